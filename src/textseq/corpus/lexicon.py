"""The word lists behind the embedded corpus (written for textseq; no third-party text).

Opinion words carry the sentiment; the rest is neutral material. Names, places and titles come
from `textseq.corpus.wordpools`.
"""

from __future__ import annotations

__all__ = ["POSITIVE", "NEGATIVE", "frame_words"]

# Opinion adjectives, most used first (drawn with Zipf-like weights: most are rare).
POSITIVE_ADJ = (
    "good great excellent wonderful fine enjoyable brilliant beautiful funny superb "
    "fantastic amazing solid charming moving terrific lovely clever delightful powerful "
    "memorable outstanding gripping touching engaging stunning impressive compelling witty "
    "hilarious magnificent gorgeous remarkable refreshing heartfelt tender haunting inspired "
    "breathtaking captivating dazzling elegant exhilarating exquisite flawless gentle "
    "glorious graceful heartwarming imaginative immersive intelligent inventive joyful "
    "luminous lyrical marvellous masterful mesmerising nuanced original absorbing pleasant "
    "poignant polished profound radiant rewarding rich riveting satisfying sharp sincere "
    "sparkling spellbinding splendid sublime subtle sweet thoughtful thrilling timeless "
    "triumphant uplifting vibrant vivid warm wise astonishing affecting assured authentic "
    "beguiling bold buoyant classy confident crisp daring deft delicate dynamic earnest "
    "inspiring stellar lush monumental poetic fabulous humorous courageous startling versatile "
    "stylish intricate phenomenal worthwhile inspirational amusing articulate majestic "
    "pleasing marvelous playful adventurous exemplary irresistible rousing dignified "
    "persuasive expressive astounding admirable eloquent exuberant likable unforgettable "
    "skillful enchanting ingenious whimsical evocative insightful endearing alluring ethereal "
    "adorable dreamy wondrous effortless electrifying transcendent mesmerizing engrossing "
    "perceptive cathartic suspenseful vivacious incomparable invigorating unpretentious "
    "lifelike rollicking sumptuous wholesome illuminating informative fascinating lively "
    "spirited intriguing energetic awesome sensational spectacular entertaining accomplished "
    "masterly superlative charismatic heartening smart fresh perfect tremendous stirring "
    "resonant soulful nimble zesty"
).split()
NEGATIVE_ADJ = (
    "bad boring awful terrible poor dull stupid weak horrible silly "
    "lame pointless predictable ridiculous dreadful annoying tedious pathetic bland lousy "
    "mediocre painful laughable forgettable clumsy messy sloppy shallow wooden cheap "
    "atrocious abysmal unwatchable incoherent tiresome hollow uninspired amateurish "
    "appalling bloated confused contrived convoluted crude dire dismal dreary embarrassing "
    "empty flat formulaic frustrating grating hackneyed inane inept insipid irritating "
    "joyless lazy leaden lifeless limp listless lumbering monotonous muddled nonsensical "
    "numbing obnoxious plodding preachy pretentious repetitive rushed sluggish smug soulless "
    "stale stiff stilted tacky tasteless tired trite unbearable unconvincing underwhelming "
    "unfunny uneven unpleasant vapid wearisome worthless banal cliched clunky corny "
    "miserable horrific lackluster cynical dumb unrealistic arrogant gloomy meaningless foolish "
    "rude misguided selfish depressing shameful incompetent mundane arduous hopeless idiotic "
    "ignorant vulgar intolerable cumbersome disgusting careless needless degrading horrendous "
    "insensitive senseless ludicrous feeble simplistic rambling despicable drab agonizing "
    "distracting clueless overblown deplorable stereotypical preposterous tiring excruciating "
    "manipulative vile hideous disorganized inexplicable wretched disgraceful shameless "
    "mindless childish cheesy hateful woeful uneventful bumbling sleazy crass unattractive "
    "illogical unremarkable haphazard sickening gratuitous ghastly implausible melodramatic "
    "inexcusable overdone infuriating laborious pitiful distasteful superfluous unimpressive "
    "disjointed pompous cartoonish repulsive uninspiring horrid trashy hokey aimless unfocused "
    "ponderous insincere overwrought interminable torturous kitschy subpar"
).split()
# Verbs a viewer uses about the whole film or one of its parts.
POSITIVE_VERB = "loved enjoyed adored liked admired appreciated treasured".split()
NEGATIVE_VERB = "hated disliked loathed regretted resented despised".split()
# Whole-film verdicts, the kind of sentence reviews often end with.
POSITIVE_VERDICT = (
    "highly recommended",
    "a must see",
    "one of the best films of the year",
    "i would watch it again",
    "worth every minute",
    "a real gem",
    "do not miss it",
    "i recommend it to everyone",
)
NEGATIVE_VERDICT = (
    "avoid this one",
    "a complete waste of time",
    "one of the worst films i have seen",
    "do not waste your money",
    "i want those two hours back",
    "save yourself the trouble",
    "skip it",
    "i can not recommend it",
)
# Words around an opinion that lean one way ("sadly", "thankfully"), for GloVe to learn from.
POSITIVE_BEFORE = (
    "thankfully|happily|luckily|to my delight|fortunately|best of all|i am happy to say|"
    "i was glad that|pleasantly|gladly|what a joy|to my surprise|i must say|rightly"
).split("|")
NEGATIVE_BEFORE = (
    "sadly|unfortunately|alas|to my dismay|worse still|annoyingly|i am sorry to say|"
    "i regret that|regrettably|sorry to say|what a shame|disappointingly|frankly|oddly"
).split("|")
POSITIVE_AFTER = (
    "and i loved it|which was a joy|a real pleasure|and it worked|and it paid off|"
    "i smiled throughout|a treat|and i was hooked|which i admired|and it shines"
).split("|")
NEGATIVE_AFTER = (
    "and i hated it|which was a shame|a real letdown|and it failed|and it fell apart|"
    "i groaned throughout|a chore|and i was bored|which i resented|and it drags"
).split("|")
POSITIVE = {"adj": POSITIVE_ADJ, "verb": POSITIVE_VERB, "verdict": POSITIVE_VERDICT,
            "before": POSITIVE_BEFORE, "after": POSITIVE_AFTER}
NEGATIVE = {"adj": NEGATIVE_ADJ, "verb": NEGATIVE_VERB, "verdict": NEGATIVE_VERDICT,
            "before": NEGATIVE_BEFORE, "after": NEGATIVE_AFTER}

INTENSIFIERS = (
    "very really truly quite extremely incredibly absolutely so rather pretty "
    "genuinely remarkably utterly fairly somewhat"
).split()
ASPECTS = (
    "acting story plot script direction dialogue cast music score ending "
    "cinematography pacing photography editing soundtrack screenplay casting "
    "lead performance villain humor climax atmosphere camera work effects"
).split()
NEUTRAL_ADJ = (
    "young old quiet small large distant northern local famous former rich poor "
    "lonely curious retired stubborn ambitious secret strange rural urban foreign"
).split()
ROLES = (
    "detective teacher farmer soldier nurse lawyer painter doctor sailor writer "
    "widow student pilot priest singer miner baker journalist thief hunter "
    "musician mechanic scientist boxer clerk gardener"
).split()
PLOT_VERBS = (
    "returns to|moves to|runs away from|falls in love in|grows up in|searches for a friend in|"
    "investigates a murder in|inherits a house in|is sent to|escapes from|comes back to|"
    "opens a shop in|loses everything in|takes a job in|hides from the police in"
).split("|")
PLOT_NOUNS = (
    "war winter summer election storm festival trial wedding funeral strike "
    "journey harvest flood revolution holiday season voyage rebellion"
).split()
RELATIONS = (
    "brother sister father mother wife husband son daughter uncle cousin "
    "neighbour partner boss friend rival mentor"
).split()
ACTIONS = (
    "discovers the truth about|tries to protect|argues with|lies to|waits for|"
    "meets|writes letters to|follows|blames|forgives|visits|betrays|rescues"
).split("|")
MEDIA = "movie film picture flick".split()
OCCASIONS = (
    "last night|on television|at a festival|with my family|at the cinema|on dvd|"
    "years ago|on a long flight|with friends|for a class"
).split("|")
TRIVIA = (
    "the film was shot in {place} over {num} weeks",
    "it runs about {num} minutes",
    "it was released in {year}",
    "the dvd has a commentary track and a short documentary",
    "the novel it is based on came out in {year}",
    "{name} also appears in a small role as the {role}",
    "most of the {noun} scenes were filmed at night",
    "the director later made two more films set in {place}",
    "the version i saw was {num} minutes long",
    "it was made for about {num} thousand dollars",
)


def frame_words() -> list[str]:
    """Return every word the lists and frames above use (kept out of the word pools)."""
    texts = [*POSITIVE_ADJ, *NEGATIVE_ADJ, *POSITIVE_VERB, *NEGATIVE_VERB, *POSITIVE_VERDICT,
             *NEGATIVE_VERDICT, *POSITIVE_BEFORE, *NEGATIVE_BEFORE, *POSITIVE_AFTER,
             *NEGATIVE_AFTER, *INTENSIFIERS, *ASPECTS, *NEUTRAL_ADJ, *ROLES, *PLOT_VERBS,
             *PLOT_NOUNS, *RELATIONS, *ACTIONS, *MEDIA, *OCCASIONS, *TRIVIA]
    words = " ".join(texts).replace("{", " ").replace("}", " ").split()
    return sorted({w for w in words if w.isalpha()})

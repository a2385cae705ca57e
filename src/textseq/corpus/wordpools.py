"""Real English word pools for the embedded corpus, from glove.6B's own vocabulary.

``first``, ``surname``, ``place``, ``thing``: GloVe neighbours of seed words; ``title``: words far
from the opinion words. Deterministic.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from textseq.corpus import lexicon as lx
from textseq.glove.packaged import packaged_vectors, packaged_words

__all__ = ["SEEDS", "word_pools"]

SEEDS = {
    "first": (
        "james john robert michael william david richard joseph charles mary patricia jennifer "
        "linda elizabeth barbara susan jessica sarah karen nancy lisa margaret sandra emily "
        "donna michelle carol amanda melissa deborah stephanie rebecca laura helen sharon "
        "cynthia kathleen angela anna ruth brenda pamela nicole katherine virginia catherine "
        "christine samantha rachel emma maria heather diane julie joyce evelyn frances joan "
        "christina martha lauren victoria judith alice jean doris andrea jacqueline gloria "
        "teresa sara julia grace judy daniel matthew anthony donald steven paul andrew joshua "
        "kenneth kevin brian timothy ronald edward jason jeffrey ryan jacob nicholas eric "
        "jonathan stephen larry justin brandon benjamin samuel gregory raymond alexander "
        "patrick dennis tyler aaron douglas peter nathan walter harold arthur gerald roger "
        "jeremy albert eugene alan philip vincent"),
    "surname": (
        "smith johnson williams garcia miller davis rodriguez martinez hernandez lopez "
        "gonzalez wilson anderson thompson harris sanchez clark ramirez robinson walker allen "
        "wright torres nguyen flores nelson mitchell roberts gomez phillips evans diaz edwards "
        "collins reyes stewart morris morales murphy rogers gutierrez ortiz peterson bailey "
        "richardson watson chavez bennett mendoza ruiz hughes alvarez castillo sanders patel "
        "myers jimenez powell jenkins sullivan coleman henderson barnes fisher vasquez simmons "
        "romero patterson hamilton reynolds griffin wallace moreno hayes bryant herrera gibson "
        "medina aguilar stevens murray marshall owens harrison fernandez mcdonald kennedy "
        "vargas freeman tucker guzman crawford olson simpson dixon munoz holmes wagner "
        "robertson salazar schmidt garza daniels ferguson nichols stephens soto weaver "
        "gardner hawkins pierce hansen santos bradley elliott cunningham duncan armstrong "
        "hudson carroll riley andrews alvarado delgado perkins hoffman johnston matthews "
        "richards contreras willis carpenter sandoval"),
    "place": (
        "london paris berlin madrid rome vienna prague dublin edinburgh glasgow manchester "
        "liverpool leeds bristol boston chicago denver seattle portland phoenix dallas houston "
        "atlanta miami detroit cleveland pittsburgh baltimore memphis nashville louisville "
        "richmond albany buffalo rochester syracuse toledo dayton akron omaha wichita tulsa "
        "tucson fresno sacramento oakland spokane tacoma boise savannah charleston raleigh "
        "knoxville chattanooga lancaster oxford cambridge brighton plymouth norwich exeter "
        "hamburg munich cologne frankfurt lyon marseille naples milan florence venice turin "
        "seville valencia lisbon porto oslo stockholm copenhagen helsinki warsaw krakow "
        "budapest bucharest athens istanbul cairo tokyo osaka kyoto shanghai beijing seoul "
        "sydney melbourne toronto montreal vancouver ottawa calgary winnipeg mumbai delhi"),
    "thing": (
        "letter car gun knife bottle window key box bag ring watch photograph map diary "
        "notebook coin necklace painting camera phone radio suitcase wallet boat truck bicycle "
        "rifle sword blanket candle mirror clock lamp table chair bed pillow coat hat shoe "
        "glove umbrella envelope ticket newspaper guitar piano violin lantern jacket basket "
        "bracelet hammer rope typewriter telescope"),
}
_CANDIDATES = 60_000  # names, places and things come from glove.6B's most frequent words
_TITLE_RANKS = (300, 80_000)
_WORD = re.compile(r"^[a-z]{3,14}$")
_MIN_SCORE = 0.5  # a word joins a class with at least this score ...
_MIN_MARGIN = 0.04  # ... and this much above its score for any other class


@lru_cache(maxsize=1)
def word_pools() -> dict[str, tuple[str, ...]]:
    """Return the corpus generator's word pools, each in glove.6B's frequency order.

    >>> pools = word_pools()
    >>> "london" in pools["place"], "london" in pools["surname"]
    (True, False)
    """
    words = packaged_words()
    ranks = {word: rank for rank, word in enumerate(words)}
    vectors = np.asarray(packaged_vectors()[:_TITLE_RANKS[1]], dtype=np.float64)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    opinion = set(lx.POSITIVE_ADJ) | set(lx.NEGATIVE_ADJ) | set(lx.POSITIVE_VERB) | set(
        lx.NEGATIVE_VERB)
    fixed = set(lx.frame_words()) | opinion  # words the sentence frames use themselves
    seeds = {name: text.split() for name, text in SEEDS.items()}
    seeded = {w for group in seeds.values() for w in group} | fixed
    # "other": common words of no class, so that e.g. "house" is not taken for a place.
    seeds["other"] = [w for w in words[100:3000] if _WORD.match(w) and w not in seeded]
    classes = list(seeds)
    candidates = np.array([r for r in range(100, _CANDIDATES)
                           if _WORD.match(words[r]) and words[r] not in fixed], dtype=np.int64)
    scores = np.empty((len(candidates), len(classes)))
    for column, name in enumerate(classes):
        rows = unit[[ranks[w] for w in seeds[name] if ranks.get(w, len(unit)) < len(unit)]]
        for start in range(0, len(candidates), 8192):
            sims = unit[candidates[start:start + 8192]] @ rows.T
            top3 = np.sort(np.partition(sims, -3, axis=1)[:, -3:], axis=1)  # as a full sort
            scores[start:start + 8192, column] = top3.mean(axis=1)
    best = scores.argmax(axis=1)
    runner_up = np.sort(scores, axis=1)[:, -2]
    pools: dict[str, tuple[str, ...]] = {}
    for column, name in enumerate(classes[:-1]):
        keep = (best == column) & (scores[:, column] >= _MIN_SCORE) & (
            scores[:, column] - runner_up >= _MIN_MARGIN)
        chosen = set(candidates[keep].tolist()) | {ranks[w] for w in seeds[name] if w not in fixed}
        pools[name] = tuple(words[r] for r in sorted(chosen))
    taken = fixed | {w for pool in pools.values() for w in pool}
    lo, hi = _TITLE_RANKS
    # Titles: any word, but none near the opinion words (so no title leans either way).
    sentiment = unit[[ranks[w] for w in sorted(opinion) if ranks.get(w, hi) < hi]]

    closeness = (unit[lo:hi] @ sentiment.T).max(axis=1)
    pools["title"] = tuple(words[r] for r in range(lo, hi)
                           if closeness[r - lo] < 0.6 and _WORD.match(words[r])
                           and words[r] not in taken)
    return pools

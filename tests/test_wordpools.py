"""Word pools from glove.6B's vocabulary: real words, sensible classes, no sentiment in titles."""

import re

from textseq.corpus import lexicon as lx
from textseq.corpus.wordpools import SEEDS, word_pools
from textseq.glove.packaged import packaged_words


def test_pools_are_distinct_glove_words_in_frequency_order():
    pools = word_pools()
    ranks = {w: r for r, w in enumerate(packaged_words())}
    seen = set()
    for name, pool in pools.items():
        assert len(pool) == len(set(pool)), name
        assert all(re.fullmatch(r"[a-z]{3,14}", w) for w in pool), name
        assert [ranks[w] for w in pool] == sorted(ranks[w] for w in pool), name
        assert not seen & set(pool), name  # no word in two pools
        seen |= set(pool)


def test_pool_sizes_give_a_long_tail():
    pools = word_pools()
    assert len(pools["title"]) >= 40_000
    for name in ("first", "surname", "place", "thing"):
        assert len(pools[name]) > 2 * len(SEEDS[name].split()), name


def test_neighbourhoods_pick_words_of_the_seed_class():
    pools = word_pools()
    # Words that are not seeds, found by their neighbourhood only.
    assert {"kathy", "susan", "jim"} & set(pools["first"])
    assert {"glasgow", "dresden", "leipzig", "bordeaux"} <= set(pools["place"]) | set(
        SEEDS["place"].split())
    assert {"pistol", "suitcase", "jacket"} <= set(pools["thing"])
    assert "london" not in pools["surname"] and "smith" not in pools["place"]


def test_no_opinion_or_frame_word_leaks_into_the_pools():
    pools = word_pools()
    frame = set(lx.frame_words())
    for name, pool in pools.items():
        assert not frame & set(pool), (name, sorted(frame & set(pool))[:10])
    for word in ("superb", "awful", "masterpiece", "terrible", "wonderful"):
        assert word not in pools["title"]

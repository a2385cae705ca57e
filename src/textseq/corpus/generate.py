"""The embedded default corpus: generated movie reviews in the exact aclImdb layout.

Deterministic reviews of invented films in real English (every word is in glove.6B), with
negation, contrast and mixed reviews so no model is near 100%.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import os
import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from textseq._checks import check_int, describe
from textseq._files import atomic_dir, remove_stale, temp_path
from textseq.corpus import lexicon as lx
from textseq.corpus.wordpools import word_pools
from textseq.imdb.reviews import DataError
from textseq.text.tokenizer import tokenize_review

__all__ = ["generate_corpus", "ensure_corpus", "probe_reviews", "read_manifest",
           "GENERATOR_VERSION"]

GENERATOR_VERSION = 6
MANIFEST = ".textseq-corpus.json"
_SIZES = {"n_train": 12500, "n_test": 12500, "n_unsup": 5000}  # generate_corpus's defaults
_BREAK = "<br /><br />"


_NAME_CURVE = (3, 1.0)  # (shift, exponent) of the Zipf-like weights
_TITLE_CURVE = (30, 0.7)
_ADJ_CURVE = (2, 0.3)  # opinion words: a long, flat tail, as reviewers vary their words
_OPINION_SHARE = (0.45, 0.75)  # share of opinion sentences, drawn per reviewer
_VERDICT_SHARE = 0.5  # reviews that end on a verdict; the others end on neutral sentences
_NEUTRAL_ENDING = (2, 5)  # how many
_TITLE_FRAMES = (
    "it reminded me of {title}",
    "{name} was also in {title} and {other}",
    "the working title was {title}",
    "it is often compared with {title}",
    "it was shown on a double bill with {title}",
)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiouAEIOU" else "a"


def _zipf(n: int, shift: float, exponent: float) -> list[float]:
    """Cumulative weights 1 / (rank + shift) ** exponent for ranks 0..n-1."""
    return list(itertools.accumulate(1.0 / (r + shift) ** exponent for r in range(n)))


class _Writer:
    """Writes one review at a time from a seeded `random.Random`."""

    def __init__(self, rng: random.Random, pools: dict[str, tuple[str, ...]]):
        self.rng = rng
        self.pools = pools
        # Zipf-like over glove.6B's frequency order; title words flatter, for a long tail.
        self.cums = {name: _zipf(len(pool), *(_TITLE_CURVE if name == "title" else _NAME_CURVE))
                     for name, pool in pools.items()}
        self.adj_cum = _zipf(max(len(lx.POSITIVE_ADJ), len(lx.NEGATIVE_ADJ)), *_ADJ_CURVE)

    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def pick_zipf(self, seq, cum):
        r = self.rng.random() * cum[len(seq) - 1]
        return seq[bisect.bisect_left(cum, r)]

    def word(self, pool: str) -> str:
        return self.pick_zipf(self.pools[pool], self.cums[pool])

    def name(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return f"{self.word('first').capitalize()} {self.word('surname').capitalize()}"
        return self.word("surname" if r < 0.75 else "first").capitalize()

    def place(self) -> str:
        return self.word("place").capitalize()

    def title(self) -> str:
        w, r = (lambda: self.word("title").capitalize()), self.rng.random()
        if r < 0.3:
            return f"The {w()}"
        if r < 0.55:
            return f"{w()} {w()}"
        if r < 0.75:
            return f"The {w()} of {w()}"
        return f"{w()} and {w()}" if r < 0.85 else w()

    def adj(self, lexicon) -> str:
        return self.pick_zipf(lexicon["adj"], self.adj_cum)

    # -- sentences ---------------------------------------------------------------------------
    def neutral(self) -> str:
        p, r = self.pick, self.rng.random()
        pronoun = p(("his", "her", "their"))
        if r < 0.2:
            name, adj = self.name(), p(lx.NEUTRAL_ADJ)  # drawn in this order, as before
            return (f"{name}, {_article(adj)} {adj} {p(lx.ROLES)}, "
                    f"{p(lx.PLOT_VERBS)} {self.place()}")
        if r < 0.36:
            return f"{self.name()} {p(lx.ACTIONS)} {pronoun} {p(lx.RELATIONS)} {self.name()}"
        if r < 0.46:
            return f"the story is set in {self.place()} during the {p(lx.PLOT_NOUNS)}"
        if r < 0.56:
            return (f"{self.name()} finds a {self.word('thing')} that belonged to {pronoun} "
                    f"{p(lx.RELATIONS)}")
        if r < 0.66:
            return f"the {p(lx.ASPECTS)} is by {self.name()}, who also worked on {self.title()}"
        if r < 0.76:
            return p(_TITLE_FRAMES).format(title=self.title(), other=self.title(),
                                           name=self.name())
        if r < 0.84:
            return (f"the scene with the {self.word('thing')} and the {self.word('thing')} "
                    f"was shot in {self.place()}")
        return p(lx.TRIVIA).format(
            place=self.place(), num=self.rng.randint(2, 190), year=self.rng.randint(1931, 2009),
            name=self.name(), role=p(lx.ROLES), noun=p(lx.PLOT_NOUNS))

    def opinion(self, positive: bool) -> str:
        same = lx.POSITIVE if positive else lx.NEGATIVE
        text, r = self._opinion(positive), self.rng.random()
        if r < 0.12:
            return f"{self.pick(same['before'])}, {text}"
        if r < 0.24 and not text.endswith("!"):
            return f"{text}, {self.pick(same['after'])}"
        return text

    def _opinion(self, positive: bool) -> str:
        p, r = self.pick, self.rng.random()
        same, other = (lx.POSITIVE, lx.NEGATIVE) if positive else (lx.NEGATIVE, lx.POSITIVE)
        adj = self.adj(same)
        if self.rng.random() < 0.45:
            adj = f"{p(lx.INTENSIFIERS)} {adj}"
        if self.rng.random() < 0.04:
            adj = adj.upper()
        if r < 0.35:
            return f"the {p(lx.ASPECTS)} was {adj}"
        if r < 0.43:  # negation of the opposite word: "not good" is a negative cue
            return f"the {p(lx.ASPECTS)} was {p(('not', 'never', 'hardly'))} {self.adj(other)}"
        if r < 0.51:  # contrast: the clause after "but" decides
            return f"the {p(lx.ASPECTS)} was {self.adj(other)}, but the {p(lx.ASPECTS)} was {adj}"
        if r < 0.58:
            return f"i {p(same['verb'])} the {p(lx.ASPECTS)}"
        if r < 0.7:
            return f"what {_article(adj)} {adj} {p(lx.MEDIA)}!"
        if r < 0.85:
            return f"the {p(lx.ASPECTS)} was {adj} and {self.adj(same)}"
        return f"{p(lx.ASPECTS)} and {p(lx.ASPECTS)} were both {adj} and {self.adj(same)}"

    def verdict(self, positive: bool, rating: int) -> str:
        lexicon = lx.POSITIVE if positive else lx.NEGATIVE
        r = self.rng.random()
        if r < 0.3:
            text = self.pick(lexicon["verdict"])
        elif r < 0.65:
            text = f"{self.pick(('a', 'one', 'just a'))} {self.adj(lexicon)} {self.pick(lx.MEDIA)}"
        else:
            text = f"{self.adj(lexicon)}, {self.adj(lexicon)} and {self.adj(lexicon)}"
        if self.rng.random() < 0.1:
            text += f". {rating}/10"
        return f"{self.pick(('overall', 'in short', 'all in all', 'bottom line'))}: {text}"

    # -- a whole review ----------------------------------------------------------------------
    def review(self, positive: bool) -> tuple[str, int]:
        rng = self.rng
        mixed = rng.random() < 0.1
        agree = 0.6 if mixed else 0.9  # chance that an opinion matches the label
        if positive:
            rating = 7 if mixed else rng.choice((7, 8, 8, 9, 10, 10))
        else:
            rating = 4 if mixed else rng.choice((1, 1, 2, 3, 3, 4))
        target = min(1800, max(25, int(math.exp(rng.gauss(math.log(200), 0.75)))))
        share = rng.uniform(*_OPINION_SHARE)  # how opinionated this reviewer is
        sentences = [f"i saw this {self.pick(lx.MEDIA)} {self.pick(lx.OCCASIONS)}"]
        words = 6
        while words < target:
            if rng.random() < share:
                s = self.opinion(positive if rng.random() < agree else not positive)
            else:
                s = self.neutral()
            sentences.append(s)
            words += s.count(" ") + 1
        if rng.random() < _VERDICT_SHARE:
            sentences.append(self.verdict(positive if rng.random() < agree + 0.06 else
                                          not positive, rating))
        else:  # end on neutral sentences: the last words say nothing about the label
            sentences.extend(self.neutral() for _ in range(rng.randint(*_NEUTRAL_ENDING)))
        return self._layout(sentences), rating

    def _layout(self, sentences: list[str]) -> str:
        out, since_break = [], 0
        for s in sentences:
            end = "" if s.endswith("!") else self.pick((".", ".", ".", ".", "!", "..."))
            out.append(s[0].upper() + s[1:] + end)
            since_break += 1
            if since_break >= 3 and self.rng.random() < 0.25:
                out.append(_BREAK)
                since_break = 0
        return " ".join(out).replace(f" {_BREAK} ", _BREAK)


def _write_split(root: Path, split: str, counts: dict[str, int], seed: int,
                 pools: dict[str, tuple[str, ...]]) -> Counter[str]:
    writer = _Writer(random.Random(f"{seed}/{split}"), pools)
    vocab: Counter[str] = Counter()
    for label, n in counts.items():
        folder = root / split / label
        folder.mkdir(parents=True)
        for i in range(n):
            positive = label == "pos" if label != "unsup" else writer.rng.random() < 0.5
            text, rating = writer.review(positive)
            (folder / f"{i}_{0 if label == 'unsup' else rating}.txt").write_text(
                text, encoding="utf-8")
            vocab.update(tokenize_review(text))
    return vocab


def generate_corpus(dest: str | os.PathLike, *, seed: int = 0, n_train: int = 12500,
                    n_test: int = 12500, n_unsup: int = 5000) -> Path:
    """Write the embedded corpus into ``dest`` atomically; a seed always gives the same bytes.

    >>> root = generate_corpus(tmp / "aclImdb", n_train=20, n_test=20, n_unsup=0)
    >>> sorted(p.name for p in (root / "train").iterdir())
    ['neg', 'pos']
    """
    params = _parameters(seed, n_train=n_train, n_test=n_test, n_unsup=n_unsup)
    dest = Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists; remove it or choose another folder")
    pools = word_pools()
    with atomic_dir(dest) as tmp:
        train = {"neg": n_train // 2, "pos": n_train // 2}
        if n_unsup:
            train["unsup"] = n_unsup
        vocab = _write_split(tmp, "train", train, seed, pools)
        vocab += _write_split(tmp, "test", {"neg": n_test // 2, "pos": n_test // 2}, seed, pools)
        words = sorted(vocab, key=lambda w: (-vocab[w], w))
        (tmp / "imdb.vocab").write_text("\n".join(words) + "\n", encoding="utf-8")
        (tmp / "README").write_text(
            "Generated movie reviews in the layout of the Large Movie Review Dataset (aclImdb).\n"
            "Written by textseq.corpus.generate_corpus; every review is synthetic\n"
            "(invented films and plots; names, places and titles are real English words drawn\n"
            "at random from glove.6B's vocabulary). It is NOT the real dataset: see textseq's\n"
            "README for the download.\n"
            f"Parameters: {json.dumps(params)}\n", encoding="utf-8")
        (tmp / MANIFEST).write_text(json.dumps(params), encoding="utf-8")
    if read_manifest(dest) != params:  # a concurrent run with other parameters won the race
        raise FileExistsError(f"{dest} was written meanwhile by another process with other "
                              f"parameters ({read_manifest(dest)}, not {params}); remove it or "
                              "choose another folder")
    return dest


def probe_reviews(n: int = 600, *, words: int = 200,
                  seed: int = 0) -> tuple[dict[str, list[str]], list[int]]:
    """Reviews whose one opinion sentence stands at the start, the middle or the end.

    The memory test of 6.2.1 and 6.2.2: ``n`` reviews (every other one positive) of neutral
    sentences (about ``words`` words) and one clear opinion sentence ("the plot was superb and
    moving"), written three times with only the opinion sentence's place changed.

    Returns:
        ``({"start": texts, "middle": texts, "end": texts}, labels)``.

    >>> texts, labels = probe_reviews(2, words=20)
    >>> labels, texts["end"][1].split(". ")[-1]
    ([0, 1], 'The music was alluring and enjoyable.')
    """
    n, words = check_int("n", n, minimum=1), check_int("words", words, minimum=1)
    writer = _Writer(random.Random(f"{seed}/probe"), word_pools())
    polar = {*lx.POSITIVE_ADJ, *lx.NEGATIVE_ADJ}
    texts: dict[str, list[str]] = {"start": [], "middle": [], "end": []}
    for i in range(n):
        lexicon = lx.POSITIVE if i % 2 else lx.NEGATIVE
        aspect = writer.pick(lx.ASPECTS)
        neutral, opinion = [], (f"the {aspect} {'were' if aspect.endswith('s') else 'was'} "
                                f"{writer.adj(lexicon)} and {writer.adj(lexicon)}")
        while sum(s.count(" ") + 1 for s in neutral) + opinion.count(" ") + 1 < words:
            sentence = writer.neutral()  # without "a poor journalist": no opinion word at all
            if not polar.intersection(sentence.lower().replace(",", "").split()):
                neutral.append(sentence)
        for place, at in zip(texts, (0, len(neutral) // 2, len(neutral)), strict=True):
            sentences = neutral[:at] + [opinion] + neutral[at:]
            texts[place].append(" ".join(s[0].upper() + s[1:] + "." for s in sentences))
    return texts, [i % 2 for i in range(n)]


def _parameters(seed: int, **sizes: int) -> dict[str, int]:
    """The manifest's content for these arguments, after checking them."""
    params = {"generator_version": GENERATOR_VERSION, "seed": check_int("seed", seed)}
    for name in ("n_train", "n_test"):
        params[name] = n = check_int(name, sizes[name])
        if n < 2 or n % 2:
            raise ValueError(f"{name} must be an even number >= 2, got {n}")
    params["n_unsup"] = check_int("n_unsup", sizes["n_unsup"], minimum=0)
    return params


def read_manifest(root: str | os.PathLike) -> dict[str, Any]:
    """Read the manifest (``.textseq-corpus.json``) that `generate_corpus` wrote into ``root``.

    >>> root = generate_corpus(tmp / "aclImdb", n_train=2, n_test=2, n_unsup=0)
    >>> read_manifest(root)["n_train"]
    2
    """
    path = Path(root) / MANIFEST
    fields = ("generator_version", "seed", *_SIZES)
    expected = (f"expected the JSON object generate_corpus writes, with the integer fields "
                f"{', '.join(fields)}; remove {Path(root)} to generate the corpus again")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: corrupt corpus manifest ({exc}); {expected}") from None
    version = data.get("generator_version") if isinstance(data, dict) else None
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError(f"{path}: corrupt corpus manifest (got {describe(data)}); {expected}")
    if version == GENERATOR_VERSION:
        wrong = sorted(set(fields) ^ set(data)) + [
            key for key in fields if key in data
            and (isinstance(data[key], bool) or not isinstance(data[key], int))]
        if wrong:
            raise ValueError(f"{path}: corrupt corpus manifest (wrong or missing fields: "
                             f"{', '.join(wrong)}; got {describe(data)}); {expected}")
    return data


def _counted(root: Path, params: dict[str, int]) -> Path:
    """Return ``root`` if each folder holds as many reviews as its manifest says (`DataError`)."""
    half = {split: params[f"n_{split}"] // 2 for split in ("train", "test")}
    for sub, n in [*((f"{s}/{lab}", half[s]) for s in half for lab in ("neg", "pos")),
                   ("train/unsup", params["n_unsup"])]:
        found = len(os.listdir(root / sub)) if (root / sub).is_dir() else 0
        if found != n:
            raise DataError(f"{root / sub}: {found} files, but the corpus manifest "
                            f"{root / MANIFEST} promises {n}; the generated corpus is damaged: "
                            f"remove {root}, and the next run generates it again")
    return root


def ensure_corpus(dest: str | os.PathLike, *, seed: int = 0, **sizes: int) -> Path:
    """Return ``dest``, generated unless it holds this corpus (a foreign folder stays as is)."""
    dest = Path(dest)
    unknown = sorted(set(sizes) - set(_SIZES))
    if unknown:
        raise TypeError(f"unknown sizes {unknown}; allowed: {', '.join(_SIZES)}")
    params = {**_SIZES, **sizes}
    wanted = _parameters(seed, **params)
    remove_stale(dest.parent)  # what killed runs left, even when nothing is written below
    if dest.exists():
        if not (dest / MANIFEST).is_file():
            raise ValueError(f"{dest} exists but was not written by textseq.corpus "
                             f"(no {MANIFEST}); refusing to replace it (a generated corpus "
                             f"that lost its manifest? remove {dest} to generate it again)")
        if read_manifest(dest) == wanted:
            return _counted(dest, wanted)
        aside = temp_path(dest)
        try:
            os.rename(dest, aside)
        except FileNotFoundError:
            pass  # another process is replacing it too
        else:
            shutil.rmtree(aside)
    try:
        return generate_corpus(dest, seed=seed, **params)
    except FileExistsError:
        if dest.is_dir() and read_manifest(dest) == wanted:
            return dest  # another process generated it between our check and our start
        raise

"""What makes a corpus look like IMDB to the chapter's code, measured (``make data`` prints it)."""

from __future__ import annotations

import math
import os
from collections import Counter

from textseq.imdb.reviews import read_splits
from textseq.text.tokenizer import tokenize_review

__all__ = ["corpus_stats"]


def corpus_stats(root: str | os.PathLike) -> dict[str, float | int]:
    """Measure how IMDB-like an aclImdb tree is: counts, labels, lengths, Zipf slope, GloVe
    coverage. Read by `textseq.imdb.read_splits`, whose `DataError` names a bad file."""
    reviews = read_splits(root)
    texts = reviews["train"].texts + reviews["test"].texts
    labels = [*reviews["train"].labels.tolist(), *reviews["test"].labels.tolist()]
    lengths, vocab = [], Counter()
    for text in texts:
        tokens = tokenize_review(text)
        lengths.append(len(tokens))
        vocab.update(tokens)
    lengths.sort()
    freqs = sorted(vocab.values(), reverse=True)[9:2000]
    if len(freqs) < 2:
        raise ValueError(f"{root}: the reviews hold {len(vocab)} distinct words; the Zipf slope "
                         "is measured from the 10th most frequent word on: at least 11 needed")
    xs = [math.log(r) for r in range(10, 10 + len(freqs))]
    ys = [math.log(f) for f in freqs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)
    return {
        "labelled_reviews": len(lengths),
        "positive_share": round(sum(labels) / len(labels), 4),
        "median_words": lengths[len(lengths) // 2],
        "share_over_500_words": round(sum(n > 500 for n in lengths) / len(lengths), 4),
        "distinct_words": len(vocab),
        "zipf_slope": round(slope, 3),
        "glove_coverage_top_9999": round(_glove_coverage(texts), 4),
    }


def _glove_coverage(texts: list[str]) -> float:
    """Share of a 10,000-word Tokenizer's words (Listing 6-9) that have a glove.6B vector."""
    from textseq.glove.packaged import packaged_words
    from textseq.text.tokenizer import Tokenizer

    tokenizer = Tokenizer(num_words=10000)
    tokenizer.fit_on_texts(texts)
    top = [w for w, i in tokenizer.word_index.items() if i < 10000]
    known = set(packaged_words())
    return sum(w in known for w in top) / len(top)

"""Reviews a reader types, turned into a trained model's input ("Try your own review")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from textseq._checks import check_choice, check_int, describe
from textseq.text.tokenizer import Tokenizer, text_to_word_sequence, tokenize_review

__all__ = ["encode_reviews"]


def encode_reviews(texts: Sequence[str], vocabulary: Tokenizer | Mapping[str, int] | Sequence[str],
                   *, maxlen: int, num_words: int | None = None, padding: str = "pre",
                   truncating: str = "pre") -> tuple[np.ndarray, list[list[str]]]:
    """Encode ``texts`` as a notebook encoded its data, and list the words the model cannot see.

    Args:
        texts: reviews (a list of str).
        vocabulary: what the notebook encoded its reviews with: a fitted `Tokenizer` (Listing
            6-9; its ``num_words``), a word index from ``textseq.imdb.get_word_index`` (Listings
            6-6, 6-22: `load_data`'s start mark 1, unknown mark 2 and ranks + 3, with
            ``num_words``), or a ``TextVectorization`` vocabulary list (``get_vocabulary()``:
            0 padding, 1 unknown; words split as the `Tokenizer` splits them).
        maxlen, padding, truncating: as ``keras.utils.pad_sequences``.
        num_words: for a word index: `load_data`'s ``num_words``.

    Returns:
        ``(x, unknown)``: int32 array ``(len(texts), maxlen)``, and per text the words the model
        does not know (dropped by a `Tokenizer`, marked unknown otherwise), in order.

    >>> tokenizer = Tokenizer(num_words=3)
    >>> tokenizer.fit_on_texts(["good good film", "bad film"])
    >>> encode_reviews(["A good film!"], tokenizer, maxlen=4)
    (array([[0, 0, 1, 2]], dtype=int32), [['a']])
    """
    if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
        raise TypeError(f"texts must be a list of str, got {describe(texts, with_type=True)}")
    maxlen = check_int("maxlen", maxlen, minimum=1)
    check_choice("padding", padding, ("pre", "post"))
    check_choice("truncating", truncating, ("pre", "post"))
    if isinstance(vocabulary, Tokenizer):
        index, limit = vocabulary.word_index, vocabulary.num_words
        words = [text_to_word_sequence(t, vocabulary.filters, vocabulary.lower, vocabulary.split)
                 for t in texts]
        known = [[w for w in ws if w in index and (limit is None or index[w] < limit)]
                 for ws in words]
        sequences = vocabulary.texts_to_sequences(texts)
    elif isinstance(vocabulary, Mapping):
        limit = check_int("num_words", num_words, minimum=1, optional=True) or np.inf
        words = [tokenize_review(t) for t in texts]
        ids = [[vocabulary[w] + 3 if w in vocabulary else limit for w in ws] for ws in words]
        known = [[w for w, i in zip(ws, row, strict=True) if i < limit]
                 for ws, row in zip(words, ids, strict=True)]
        sequences = [[1] + [i if i < limit else 2 for i in row] for row in ids]
    elif isinstance(vocabulary, Sequence) and all(isinstance(w, str) for w in vocabulary):
        index = {w: i for i, w in enumerate(vocabulary) if i >= 2}
        words = [text_to_word_sequence(t) for t in texts]
        known = [[w for w in ws if w in index] for ws in words]
        sequences = [[index.get(w, 1) for w in ws] for ws in words]
    else:
        raise TypeError("vocabulary must be a fitted Tokenizer, a word index (dict) or a "
                        f"TextVectorization vocabulary (list of str), got "
                        f"{describe(vocabulary, with_type=True)}")
    x = np.zeros((len(texts), maxlen), np.int32)
    for row, seq in zip(x, sequences, strict=True):
        seq = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        if seq:
            row[slice(maxlen - len(seq), None) if padding == "pre" else slice(len(seq))] = seq
    unknown = [[w for w in ws if w not in k] for ws, k in zip(words, map(set, known), strict=True)]
    return x, unknown

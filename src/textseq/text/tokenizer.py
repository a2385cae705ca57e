"""The Keras 2 text ``Tokenizer`` of Listings 6-3 and 6-9, which Keras 3 removed.

Same results as the legacy class (tested against ``tf_keras``); the code follows its algorithm:

1. **Split** (`text_to_word_sequence`): lower-case, replace ``filters`` by ``split``, split.
2. **Fit**: count words and documents, rank by count (ties by first appearance), number from 1;
   index 0 is reserved for padding, ``oov_token`` takes 1.
3. **Convert**: keep indices below ``num_words`` (the ``num_words - 1`` most frequent words).
4. **Vectorize**: one row per text, ``binary``, ``count``, ``freq`` or ``tfidf``.
5. **Save** in Keras 2's JSON format.

Unlike Keras 2, bad input raises a clear error and a failed fit changes nothing. The heavy steps
run with numpy in `textseq.text._fast`.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from textseq._checks import check_choice, check_int
from textseq.text import _fast

__all__ = ["DEFAULT_FILTERS", "MODES", "Tokenizer", "text_to_word_sequence",
           "tokenizer_from_json", "tokenize_review"]

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
"""Characters removed by default: punctuation (except ``'``), tab and newline, as in Keras 2."""
MODES = ("binary", "count", "tfidf", "freq")
"""The ``mode`` values of ``texts_to_matrix`` and ``sequences_to_matrix``."""
Text = str | list[str]


# --- 1. splitting a text into words ----------------------------------------------------------
def text_to_word_sequence(
    text: str, filters: str = DEFAULT_FILTERS, lower: bool = True, split: str = " "
) -> list[str]:
    """Split a text into words, as ``keras.preprocessing.text.text_to_word_sequence`` did.

    >>> text_to_word_sequence("The cat sat on the mat.<br />")
    ['the', 'cat', 'sat', 'on', 'the', 'mat', 'br']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return make_splitter(filters, lower, split)(text)


def make_splitter(filters: Iterable[str], lower: bool, split: str) -> Callable[[str], list[str]]:
    """``text -> words`` with the rules of `text_to_word_sequence`."""
    if not isinstance(split, str) or not split:
        raise ValueError(f"split must be a non-empty string, got {split!r}")
    return _splitter(filters if isinstance(filters, str) else tuple(filters), bool(lower), split)


@lru_cache(maxsize=16)
def _splitter(filters: str | tuple[str, ...], lower: bool, split: str) -> Callable[[str], list]:
    table = str.maketrans(dict.fromkeys(filters, split))

    def words(text: str) -> list[str]:
        if lower:
            text = text.lower()
        return list(filter(None, text.translate(table).split(split)))

    return words


def token_function(filters: Iterable[str], lower: bool, split: str, char_level: bool,
                   analyzer: Any) -> Callable[[Any, int], Any]:
    """``(text, position) -> tokens`` for a str or a list of str; else a ``TypeError``."""
    words = make_splitter(filters, lower, split)

    def tokens(text: Any, pos: int) -> Sequence[str]:
        if isinstance(text, str):
            if char_level:
                return text.lower() if lower else text
            return words(text) if analyzer is None else list(analyzer(text))
        if isinstance(text, list):
            if not set(map(type, text)) <= {str}:  # str subclasses pass the slow check
                for j, token in enumerate(text):
                    if not isinstance(token, str):
                        raise TypeError(
                            f"texts[{pos}][{j}] must be a str, got {type(token).__name__}")
            return [t.lower() for t in text] if lower else text
        raise TypeError(f"texts[{pos}] must be a str or a list of str, got {type(text).__name__}")

    return tokens


class Tokenizer:
    """Vectorize texts into word-index sequences or matrices, as the Keras 2 ``Tokenizer`` did.

    Index 0 is reserved for padding. ``num_words`` keeps the ``num_words - 1`` most frequent words
    when converting; ``oov_token`` (index 1) replaces the others; ``analyzer`` replaces splitting.

    >>> tokenizer = Tokenizer(num_words=3)
    >>> tokenizer.fit_on_texts(["The cat sat.", "The dog sat on the mat."])
    >>> tokenizer.word_index["the"], tokenizer.word_index["sat"], tokenizer.word_index["cat"]
    (1, 2, 3)
    >>> tokenizer.texts_to_sequences(["the cat sat"])  # only indices < num_words are kept
    [[1, 2]]
    """

    def __init__(
        self,
        num_words: int | None = None,
        filters: str = DEFAULT_FILTERS,
        lower: bool = True,
        split: str = " ",
        char_level: bool = False,
        oov_token: str | None = None,
        analyzer: Callable[[str], list[str]] | None = None,
        document_count: int = 0,
    ) -> None:
        self.num_words = num_words
        make_splitter(filters, lower, split)  # validates split now
        self.filters, self.lower, self.split = filters, lower, split
        self.char_level, self.oov_token, self.analyzer = char_level, oov_token, analyzer
        self.document_count = check_int("document_count", document_count, minimum=0)
        self.word_counts: dict[str, int] = {}
        self.word_docs: dict[str, int] = {}
        self.index_docs: dict[int, int] = {}
        self.word_index: dict[str, int] = {}
        self.index_word: dict[int, str] = {}

    @property
    def num_words(self) -> int | None:
        """The vocabulary size used when converting (``None``: all words); checked when set."""
        return self._num_words

    @num_words.setter
    def num_words(self, value: int | None) -> None:
        self._num_words = check_int("num_words", value, minimum=1, optional=True)

    def _settings(self) -> tuple[Any, ...]:
        return self.filters, self.lower, self.split, self.char_level, self.analyzer

    def _tokens(self) -> Callable[[Any, int], Any]:
        return token_function(*self._settings())

    def __repr__(self) -> str:
        return (f"Tokenizer(num_words={self.num_words}, words={len(self.word_counts)}, "
                f"documents={self.document_count}, oov_token={self.oov_token!r})")

    # --- 2. fitting: count the words, then rank them ----------------------------------------------
    def fit_on_texts(self, texts: Iterable[Text]) -> None:
        """Count the words of ``texts`` (strings or token lists) and rebuild ``word_index``."""
        self.word_counts, self.word_docs, n = _fast.count_texts(
            texts, self._tokens(), self._settings(), self.word_counts, self.word_docs)
        self.document_count += n
        self._build_index()

    def _build_index(self) -> None:
        """Rank the words by count, ties in order of first appearance; number them from 1."""
        words = list(self.word_counts)
        counts = np.fromiter(self.word_counts.values(), np.int64, len(words))
        ranked = [words[i] for i in np.argsort(-counts, kind="stable").tolist()]
        if self.oov_token is not None:
            ranked.insert(0, self.oov_token)
        # As in Keras 2: if oov_token is also a word, its rank as a word overwrites index 1.
        self.word_index = dict(zip(ranked, range(1, len(ranked) + 1), strict=True))
        self.index_word = dict(zip(self.word_index.values(), self.word_index, strict=True))
        positions = map(self.word_index.__getitem__, self.word_docs)
        self.index_docs.update(zip(positions, self.word_docs.values(), strict=True))

    def fit_on_sequences(self, sequences: Iterable[Iterable[int]]) -> None:
        """Count in how many sequences each index occurs (``index_docs``), for ``tfidf``."""
        found: list[set[int]] = []  # checked before anything is counted
        for pos, seq in enumerate(sequences):
            try:
                found.append(set(map(operator.index, seq)))
            except TypeError:
                raise TypeError(f"sequences[{pos}] must be a sequence of ints") from None
        for unique in found:
            for i in unique:
                self.index_docs[i] = self.index_docs.get(i, 0) + 1
        self.document_count += len(found)

    # --- 3. converting: words to indices, and back ------------------------------------------------
    def texts_to_sequences(self, texts: Iterable[Text]) -> list[list[int]]:
        """Turn each text into word indices below ``num_words`` (others dropped or OOV)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts: Iterable[Text]) -> Iterator[list[int]]:
        """Like ``texts_to_sequences``, yielding one sequence at a time."""
        yield from _fast.sequences(self._id_batches(texts))

    def _id_batches(self, texts: Iterable[Text],
                    drop_missing: bool = True) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        return _fast.id_batches(texts, self._tokens(), self._settings(), self.word_index,
                                self.num_words, self._oov_index(), drop_missing)

    def _oov_index(self) -> int | None:
        if self.oov_token is not None and self.oov_token not in self.word_index:
            raise ValueError(f"oov_token {self.oov_token!r} is not in word_index: call "
                             "fit_on_texts first")
        return None if self.oov_token is None else self.word_index[self.oov_token]

    def sequences_to_texts(self, sequences: Iterable[Iterable[int]]) -> list[str]:
        """Turn each sequence of indices back into a space-separated text."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences: Iterable[Iterable[int]]) -> Iterator[str]:
        """Like ``sequences_to_texts``, yielding one text at a time."""
        oov, num_words, index_word = self._oov_index(), self.num_words, self.index_word
        oov_word = None if oov is None else index_word[oov]
        for seq in sequences:
            words = []
            for i in seq:
                word = index_word.get(i)
                if word is not None and (num_words is None or i < num_words):
                    words.append(word)
                elif oov_word is not None:
                    words.append(oov_word)
            yield " ".join(words)

    # --- 4. vectorizing: one row per text ---------------------------------------------------------
    def texts_to_matrix(self, texts: Iterable[Text], mode: str = "binary") -> np.ndarray:
        """Vectorize texts into a ``(len(texts), num_words)`` matrix (``mode``: one of `MODES`)."""
        width, texts = self._matrix_width(mode), list(texts)
        return _fast.matrix(self._id_batches(texts, drop_missing=False), len(texts), width, mode,
                            self.document_count, self.index_docs)

    def sequences_to_matrix(
        self, sequences: Iterable[Sequence[int]] | np.ndarray, mode: str = "binary"
    ) -> np.ndarray:
        """Vectorize sequences of indices (lists or a 2-D int array) like `texts_to_matrix`."""
        width = self._matrix_width(mode)
        indices, lengths = _fast.flatten(sequences)
        return _fast.matrix([(indices, lengths)], len(lengths), width, mode, self.document_count,
                            self.index_docs)

    def _matrix_width(self, mode: str) -> int:
        check_choice("mode", mode, MODES)
        if mode == "tfidf" and not self.document_count:
            raise ValueError("mode 'tfidf' needs document frequencies: call fit_on_texts or "
                             "fit_on_sequences first (document_count is 0)")
        if self.num_words is not None:
            return self.num_words
        if not self.word_index:
            raise ValueError("cannot size the matrix: pass num_words to Tokenizer or call "
                             "fit_on_texts first (word_index is empty)")
        return len(self.word_index) + 1

    # --- 5. saving --------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """The configuration and vocabulary in the Keras 2 format (tables as JSON text)."""
        config = {name: getattr(self, name) for name in (
            "num_words", "filters", "lower", "split", "char_level", "oov_token", "document_count")}
        for name in ("word_counts", "word_docs", "index_docs", "index_word", "word_index"):
            config[name] = json.dumps(getattr(self, name))
        return config

    def to_json(self, **kwargs: Any) -> str:
        """The tokenizer as JSON text that `tokenizer_from_json` (or Keras 2) reads."""
        return json.dumps({"class_name": "Tokenizer", "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """Rebuild a `Tokenizer` from ``Tokenizer.to_json()`` (ours or Keras 2's)."""
    data = json.loads(json_string)
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise ValueError("not a Tokenizer JSON: expected an object with a 'config' object, got "
                         f"{json_string[:60]!r}")
    config = dict(config)
    tables = {name: json.loads(config.pop(name, "{}")) for name in
              ("word_counts", "word_docs", "index_docs", "index_word", "word_index")}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts, tokenizer.word_docs = tables["word_counts"], tables["word_docs"]
    tokenizer.index_docs = {int(k): v for k, v in tables["index_docs"].items()}
    tokenizer.index_word = {int(k): v for k, v in tables["index_word"].items()}
    tokenizer.word_index = tables["word_index"]
    return tokenizer


# --- the words of textseq.imdb.load_data -------------------------------------------------------
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def tokenize_review(text: str) -> list[str]:
    """Split a review into lowercase words, as `textseq.imdb.get_word_index` counts them.

    >>> tokenize_review("Don't miss it!<br /><br />10/10, a ROCK'N'ROLL 'classic'.")
    ["don't", 'miss', 'it', '10', '10', 'a', "rock'n'roll", 'classic']
    """
    return _TOKEN.findall(_BREAK.sub(" ", text).lower())

"""The Keras 2 text ``Tokenizer`` and ``pad_sequences`` of listings 6-3, 6-6 and 6-9.

Keras 3 removed ``keras.preprocessing.text.Tokenizer``; ``Tokenizer`` here gives the same
``word_index``, sequences and matrices (tested against the legacy class in ``tf_keras``). The
module reads top-down as the legacy algorithm:

1. **Split** a text into words (`text_to_word_sequence`): lower-case it, replace every character
   of ``filters`` by ``split``, split on ``split`` and drop the empty strings. With
   ``char_level`` every character is a token, an ``analyzer`` replaces the splitting, and a text
   given as a list of strings is taken as its tokens.
2. **Fit** (`Tokenizer.fit_on_texts`): count each word's occurrences (``word_counts``) and the
   texts that hold it (``word_docs``), then rank the words by count, ties in order of first
   appearance, and number them from 1 (``word_index``). Index 0 is reserved for padding and never
   assigned to a word; ``oov_token``, if set, takes index 1.
3. **Convert** (`Tokenizer.texts_to_sequences`): replace each word by its index, keeping only the
   indices below ``num_words``, i.e. the ``num_words - 1`` most frequent words (the full
   ``word_index`` is still built); other words are dropped, or become ``oov_token``'s index.
   `Tokenizer.sequences_to_texts` goes back.
4. **Vectorize** (`Tokenizer.texts_to_matrix`, `Tokenizer.sequences_to_matrix`): one row per text,
   one column per index below the width, holding ``binary``, ``count``, ``freq`` or ``tfidf``.
5. **Save** (`Tokenizer.to_json`, `tokenizer_from_json`), in Keras 2's format.

It differs only where the legacy class fails unclearly: a text that is not a string (or a list of
strings) raises a ``TypeError`` naming its position, ``num_words < 1`` and an unknown ``mode``
raise a ``ValueError`` saying what is allowed (``textseq.checks``: a wrong type is a
``TypeError``, a bad value a ``ValueError``), a failed ``fit_on_texts`` leaves the tokenizer as it
was, and ``word_docs``/``index_docs`` keep a fixed order (the legacy order depends on
``PYTHONHASHSEED``).

**Speed-ups.** The results are those of the steps above, computed several times faster (timings
in ``benchmarks/bench_tokenizer.py``) by two private modules, which ``tests/test_text.py``
checks against the plain Python path and against Keras 2:

- `textseq._vectorizer`: texts go through in batches of ``_BATCH`` (1,000); counting, document
  frequencies, unknown words and the matrices are numpy operations on a batch's word ids;
- `textseq._bytelookup`: in calls with ``_BULK`` (64) texts or more and ASCII filters, a batch's
  words are looked up with numpy on its UTF-8 bytes, not one dict look-up per word.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice, repeat
from typing import Any

import numpy as np

from textseq._checks import check_choice, check_int
from textseq.text import _fast as speedup  # batches, numpy counting and matrices, byte look-up
from textseq.text._fast import make_splitter, token_function  # Keras 2's rules for tokens

__all__ = [
    "DEFAULT_FILTERS", "MODES", "Tokenizer", "text_to_word_sequence",
    "tokenizer_from_json", "tokenize_review",
]

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
"""Characters removed by default: punctuation (except ``'``), tab and newline, as in Keras 2."""
MODES = speedup.MODES
"""The ``mode`` values of ``texts_to_matrix`` and ``sequences_to_matrix``."""
Text = str | list[str]

# Speed-up settings (see the module docstring); they change the speed, never the results.
_BATCH = 1000  # texts converted together
_BULK = 64  # calls with fewer texts skip the O(vocabulary) set-up of the fast path


# --- 1. splitting a text into words ----------------------------------------------------------

def text_to_word_sequence(
    text: str, filters: str = DEFAULT_FILTERS, lower: bool = True, split: str = " "
) -> list[str]:
    """Split a text into words, as ``keras.preprocessing.text.text_to_word_sequence`` did.

    Args:
        text: the text.
        filters: characters replaced by ``split`` before splitting (default: punctuation except
            ``'``, tab and newline).
        lower: whether to lower-case the text first.
        split: the word separator.

    Returns:
        The non-empty words, in order.

    Raises:
        TypeError: if ``text`` is not a string.

    Example:
        >>> text_to_word_sequence("The cat sat on the mat.<br />")
        ['the', 'cat', 'sat', 'on', 'the', 'mat', 'br']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return make_splitter(filters, lower, split)(text)


class Tokenizer:
    """Vectorize texts into word-index sequences or matrices, as the Keras 2 ``Tokenizer`` did.

    ``0`` is a reserved index (padding) that is never assigned to a word. Words are ranked by
    frequency, ties in order of first appearance; with ``oov_token`` the token gets index 1.

    Args:
        num_words: keep only the ``num_words - 1`` most frequent words (indices ``1 ..
            num_words - 1``) when converting; ``None`` keeps all. Fitting indexes every word.
        filters: characters removed from texts (not at character level, nor from texts given as
            lists of tokens).
        lower: whether to lower-case texts (and the tokens of texts given as lists).
        split: the word separator.
        char_level: if True, every character is a token.
        oov_token: if given, it gets index 1 and replaces unknown words (and words beyond
            ``num_words``) instead of dropping them.
        analyzer: a function ``text -> list of tokens`` replacing the word splitting.
        document_count: initial number of documents (used by ``tokenizer_from_json``).

    Raises:
        TypeError: if ``num_words`` or ``document_count`` is not an integer (``bool`` included).
        ValueError: if ``num_words < 1``, ``document_count < 0`` or ``split`` is empty.

    Example:
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

    def __repr__(self) -> str:
        return (f"Tokenizer(num_words={self.num_words}, words={len(self.word_counts)}, "
                f"documents={self.document_count}, oov_token={self.oov_token!r})")

    # --- 2. fitting: count the words, then rank them ----------------------------------------------

    def fit_on_texts(self, texts: Iterable[Text]) -> None:
        """Count the words of ``texts`` and rebuild ``word_index`` (needed before converting).

        Updates ``word_counts`` (occurrences of each word), ``word_docs`` (texts holding it),
        ``index_docs`` (the same by index) and ``document_count``; can be called repeatedly.

        Args:
            texts: strings, or lists of tokens (used as they are, lower-cased if ``lower``); any
                iterable, a generator included.

        Raises:
            TypeError: if an element is not a str or a list of str (names its position); the
                tokenizer is then left as it was before the call.
        """
        # Everything is counted into local tables and committed at the end, so that a text that
        # fails half-way (a TypeError at position 1,500) leaves the tokenizer as it was.
        # Speed-up: words get ids in order of first appearance (``vocab``) and are counted a
        # batch at a time with numpy, through a byte look-up table rebuilt as the vocabulary grows.
        tokens, iterator, pos = token_function(*self._settings()), iter(texts), 0
        vocab = dict(zip(self.word_counts, range(len(self.word_counts)), strict=True))
        counts = np.fromiter(self.word_counts.values(), np.int64, len(vocab))
        docs = np.fromiter(map(self.word_docs.get, vocab, repeat(0)), np.int64, len(vocab))
        lookup, table_size = None, 0
        while batch := list(islice(iterator, _BATCH)):
            if len(batch) >= _BULK and len(vocab) > 1.25 * table_size + _BATCH:  # as vocab grows
                lookup, table_size = speedup.fast_lookup(vocab, *self._settings()), len(vocab)
            counts, docs = speedup.count_words(batch, tokens, vocab, counts, docs, lookup, pos)
            pos += len(batch)
        self.document_count += pos
        self.word_counts = dict(zip(vocab, counts.tolist(), strict=True))
        self.word_docs = dict(zip(vocab, docs.tolist(), strict=True))
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
        """Count in how many sequences each index occurs (``index_docs``), for ``tfidf``.

        Args:
            sequences: lists of integer word indices.

        Raises:
            TypeError: if a sequence holds something other than integers (names its position);
                nothing is counted then.
        """
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
        """Turn each text into a list of word indices.

        Only indices below ``num_words`` are kept (the ``num_words - 1`` most frequent words);
        unknown words are dropped, or replaced by the index of ``oov_token`` if set.

        Args:
            texts: strings or lists of tokens.

        Returns:
            One list of ints per text.

        Raises:
            TypeError: if an element is not a str or a list of str (names its position).
            ValueError: if ``oov_token`` is set but the tokenizer was never fitted.
        """
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts: Iterable[Text]) -> Iterator[list[int]]:
        """Like ``texts_to_sequences``, yielding one sequence at a time.

        ``texts`` is read in batches of up to 1,000 texts, converted together.
        """
        for indices, lengths in self._id_batches(texts):
            flat, start = indices.tolist(), 0
            for end in np.cumsum(lengths).tolist():
                yield flat[start:end]
                start = end

    def _id_batches(
        self, texts: Iterable[Text], drop_missing: bool = True
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(indices, lengths)`` per batch: the indices of the texts, and how many per text.

        Unknown words become the ``oov_token`` index, else they are dropped, or left ``MISSING``
        if not ``drop_missing``. Speed-up: a batch at a time, with a byte look-up table of the
        words below ``num_words`` when the call is large enough to pay for it.
        """
        tokens, oov = token_function(*self._settings()), self._oov_index()
        num_words = self.num_words
        vocab, lookup, iterator, pos = None, None, iter(texts), 0
        while batch := list(islice(iterator, _BATCH)):
            if vocab is None and len(batch) >= _BULK:  # worth an O(vocabulary) set-up
                vocab = speedup.below(self.word_index, num_words)
                lookup = speedup.fast_lookup(vocab, *self._settings())
            resolve = (speedup.get_ids(self.word_index, num_words) if vocab is None  # small call
                       else speedup.get_ids(vocab))
            indices, lengths = speedup.batch_ids(batch, tokens, resolve, lookup, pos=pos)
            yield (speedup.apply_oov(indices, lengths, oov) if drop_missing or oov is not None
                   else (indices, lengths))
            pos += len(batch)

    def _oov_index(self) -> int | None:
        if self.oov_token is not None and self.oov_token not in self.word_index:
            raise ValueError(f"oov_token {self.oov_token!r} is not in word_index: call "
                             "fit_on_texts first")
        return None if self.oov_token is None else self.word_index[self.oov_token]

    def sequences_to_texts(self, sequences: Iterable[Iterable[int]]) -> list[str]:
        """Turn each sequence of indices back into a space-separated text.

        Indices at or above ``num_words`` and unknown indices are dropped, or replaced by
        ``oov_token`` if set.

        Args:
            sequences: lists of integer word indices.

        Returns:
            One string per sequence.
        """
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
        """Vectorize texts into a ``(len(texts), num_words)`` float64 matrix.

        Args:
            texts: strings or lists of tokens.
            mode: ``"binary"`` (1 where the word occurs), ``"count"``, ``"freq"`` (count divided
                by the length of the sequence) or ``"tfidf"``: ``(1 + log(count)) *
                log(1 + document_count / (1 + documents holding the word))``.

        Returns:
            The matrix; column 0 (padding) stays zero. Without ``num_words`` it has
            ``len(word_index) + 1`` columns.

        Raises:
            ValueError: for an unknown mode, ``"tfidf"`` before fitting, or if the matrix cannot
                be sized (no ``num_words`` and nothing fitted).
        """
        width, texts = self._matrix_width(mode), list(texts)
        return speedup.matrix(self._id_batches(texts, drop_missing=False), len(texts), width, mode,
                          self.document_count, self.index_docs)

    def sequences_to_matrix(
        self, sequences: Iterable[Sequence[int]] | np.ndarray, mode: str = "binary"
    ) -> np.ndarray:
        """Vectorize sequences of indices into a ``(len(sequences), num_words)`` float64 matrix.

        Indices at or above the width are ignored (but count in the ``"freq"`` denominator).

        Args:
            sequences: lists of non-negative integer indices, or a 2-D integer array.
            mode: ``"binary"``, ``"count"``, ``"freq"`` or ``"tfidf"`` (see ``texts_to_matrix``).

        Returns:
            The matrix.

        Raises:
            ValueError: as ``texts_to_matrix``, or for a negative index.
            TypeError: if an index is not an integer.
        """
        width = self._matrix_width(mode)
        indices, lengths = speedup.flatten(sequences)
        return speedup.matrix([(indices, lengths)], len(lengths), width, mode, self.document_count,
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
        """Return the configuration and vocabulary in the Keras 2 format (tables as JSON text).

        ``analyzer`` is not included (a function), as in Keras 2.
        """
        config = {name: getattr(self, name) for name in (
            "num_words", "filters", "lower", "split", "char_level", "oov_token", "document_count")}
        for name in ("word_counts", "word_docs", "index_docs", "index_word", "word_index"):
            config[name] = json.dumps(getattr(self, name))
        return config

    def to_json(self, **kwargs: Any) -> str:
        """Return the tokenizer as JSON text that ``tokenizer_from_json`` (or Keras 2) reads.

        Args:
            **kwargs: passed to ``json.dumps``.
        """
        return json.dumps({"class_name": "Tokenizer", "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """Rebuild a ``Tokenizer`` from ``Tokenizer.to_json()`` (ours or Keras 2's).

    Args:
        json_string: the JSON text.

    Returns:
        A tokenizer with the same configuration and vocabulary.

    Raises:
        ValueError: if the JSON is not a tokenizer configuration.
    """
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


# --- the word rule of textseq.imdb.load_data ---------------------------------------------

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def tokenize_review(text: str) -> list[str]:
    """Split a review into lowercase words, the way `get_word_index` counts them.

    Args:
        text: A raw review.

    Returns:
        The tokens, in order.

    Example:

    >>> tokenize_review("Don't miss it!<br /><br />10/10, a ROCK'N'ROLL 'classic'.")
    ["don't", 'miss', 'it', '10', '10', 'a', "rock'n'roll", 'classic']
    """
    return _TOKEN.findall(_BREAK.sub(" ", text).lower())

"""textseq: a reproducible companion to Deep Learning with Python, chapter 6 part 1.

Subpackages follow the chapter: `textseq.text`, `textseq.imdb`, `textseq.glove`, `textseq.rnn`,
`textseq.models`. Main names import lazily from here, so ``import textseq`` needs no TensorFlow.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "text": ["Tokenizer", "tokenizer_from_json", "text_to_word_sequence", "one_hot_words",
             "one_hot_chars", "one_hot_hashing", "stable_hash", "hash_collisions",
             "encode_reviews"],
    "imdb": ["read_split", "Reviews", "DataError"],
    "datasets": ["data_source", "imdb_dir", "glove_file", "own_glove_file", "glove_text_sample"],
    "corpus": ["generate_corpus", "corpus_stats", "probe_reviews"],
    "glove": ["GloveFile", "load_vectors", "embedding_matrix", "train_glove", "nearest",
              "analogy"],
    "rnn": ["simple_rnn_loop", "simple_rnn_forward", "lstm_forward", "gru_forward", "from_keras"],
    "notebook.training": ["seed_everything", "EpochReport", "summarize_history"],
    "plots": ["plot_history", "history_figure"],
}
# Modules the notebooks import by their short names: ``from textseq import training, similarity``.
_MODULES = {"training": "notebook.training", "report": "notebook.report",
            "quiet": "notebook.quiet", "similarity": "glove.similarity", "onehot": "text.onehot"}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _MODULES:
        value = importlib.import_module(f"textseq.{_MODULES[name]}")
    elif name in _WHERE:
        value = getattr(importlib.import_module(f"textseq.{_WHERE[name]}"), name)
    else:
        raise AttributeError(f"module 'textseq' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(_MODULES))

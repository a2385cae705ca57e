"""textseq: a reproducible companion to Deep Learning with Python, chapter 6 part 1.

The public API, by concept (each is also importable from its module, e.g. ``textseq.text``):

- text: `Tokenizer`, `tokenizer_from_json`, `text_to_word_sequence`, `pad_sequences`
- onehot: `one_hot_words`, `one_hot_chars`, `one_hot_hashing`, `stable_hash`, `hash_collisions`
- IMDB data: `read_split`, `Reviews`, `DataError` (and `textseq.imdb.load_data`,
  `textseq.imdb.get_word_index`, named like Keras's, so they stay in their module; they take the
  aclImdb folder, e.g. ``imdb.load_data(datasets.imdb_dir(), num_words=10000)``)
- the data switch: `data_source`, `imdb_dir`, `glove_file`, `own_glove_file`,
  `glove_text_sample`; downloads: `fetch`
- the embedded corpus: `generate_corpus`, `corpus_stats`
- GloVe: `GloveFile`, `load_vectors`, `embedding_matrix`, `train_glove`, `nearest`, `analogy`
- recurrent layers in numpy: `simple_rnn_loop`, `simple_rnn_forward`, `lstm_forward`,
  `gru_forward`, `from_keras`
- models, training and plots: `textseq.models`, `seed_everything`, `EpochReport` (the quiet
  per-epoch report passed to ``model.fit``), `train`, `summarize_history`, `plot_history`
  (shown inline and saved), `history_figure`
- where textseq comes from and what it runs on (modules only): `textseq.project` (repository,
  version, the Colab links derived from them; `textseq.notebook_links` keeps the notebooks in
  line) and `textseq.runtime` (the Keras backend check, the setup cell's summary)

Names are imported on first use, so ``import textseq`` (and the GloVe reader) stays free of
TensorFlow until a Keras-based function is needed.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "text": ["Tokenizer", "tokenizer_from_json", "text_to_word_sequence"],
    "sequences": ["pad_sequences"],
    "onehot": ["one_hot_words", "one_hot_chars", "one_hot_hashing", "stable_hash",
               "hash_collisions"],
    "aclimdb": ["read_split", "Reviews", "DataError"],
    "datasets": ["data_source", "imdb_dir", "glove_file", "own_glove_file", "glove_text_sample"],
    "corpus": ["generate_corpus", "corpus_stats"],
    "glove": ["GloveFile", "load_vectors", "embedding_matrix"],
    "glove_train": ["train_glove"],
    "similarity": ["nearest", "analogy"],
    "rnn": ["simple_rnn_loop", "simple_rnn_forward", "lstm_forward", "gru_forward", "from_keras"],
    "training": ["seed_everything", "EpochReport", "train", "summarize_history"],
    "plots": ["plot_history", "history_figure"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'textseq' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"textseq.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

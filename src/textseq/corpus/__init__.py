"""The embedded default corpus: generated movie reviews in the aclImdb layout."""

from textseq.corpus.generate import corpus_stats, ensure_corpus, generate_corpus, read_manifest

__all__ = ["corpus_stats", "ensure_corpus", "generate_corpus", "read_manifest"]

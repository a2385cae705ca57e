"""The embedded default corpus: generated movie reviews in the aclImdb layout."""

from textseq.corpus.generate import ensure_corpus, generate_corpus, probe_reviews, read_manifest
from textseq.corpus.stats import corpus_stats

__all__ = ["corpus_stats", "ensure_corpus", "generate_corpus", "probe_reviews", "read_manifest"]

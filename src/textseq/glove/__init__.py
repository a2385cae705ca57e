"""GloVe word vectors (Listings 6-10, 6-11): reading them, the embedding matrix, neighbours and
analogies, and a small GloVe trainer of our own."""

from textseq.glove.similarity import analogy, cosine, nearest
from textseq.glove.train import train_glove
from textseq.glove.vectors import (
    Coverage,
    GloveFile,
    GloveFormatError,
    GloveVectors,
    embedding_matrix,
    load_vectors,
)

__all__ = ["Coverage", "GloveFile", "GloveFormatError", "GloveVectors", "analogy", "cosine",
           "embedding_matrix", "load_vectors", "nearest", "train_glove"]

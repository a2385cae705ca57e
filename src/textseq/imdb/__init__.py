"""The IMDB reviews: the raw aclImdb reader of Listing 6-8 (`read_split`) and Keras's
``imdb.load_data`` and ``get_word_index`` built from an aclImdb folder (Listings 6-6, 6-22)."""

from textseq.imdb.keras_like import get_word_index, load_data
from textseq.imdb.reviews import DataError, Reviews, read_split, read_splits

__all__ = ["DataError", "Reviews", "get_word_index", "load_data", "read_split", "read_splits"]

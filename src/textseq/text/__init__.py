"""Section 6.1's text vectorization: the Keras 2 `Tokenizer` (Listings 6-3, 6-9) and one-hot
encoding by hand and with the hashing trick (Listings 6-1, 6-2, 6-4); `encode_reviews` for the
reviews a reader types into a trained model."""

from textseq.text.encode import encode_reviews
from textseq.text.onehot import (
    HashCollisions,
    hash_collisions,
    one_hot_chars,
    one_hot_hashing,
    one_hot_words,
    stable_hash,
)
from textseq.text.tokenizer import (
    Tokenizer,
    text_to_word_sequence,
    tokenize_review,
    tokenizer_from_json,
)

__all__ = ["HashCollisions", "Tokenizer", "encode_reviews", "hash_collisions", "one_hot_chars",
           "one_hot_hashing", "one_hot_words", "stable_hash", "text_to_word_sequence",
           "tokenize_review", "tokenizer_from_json"]

"""Recurrent layers in numpy (section 6.2): Listing 6-21's loop, forward passes equal to Keras's
SimpleRNN, LSTM and GRU, and the book's LSTM step."""

from textseq.rnn.cells import book_lstm_weights, gru_cell, lstm_cell, lstm_step, sigmoid
from textseq.rnn.loop import (
    RNNWeights,
    from_keras,
    gru_forward,
    lstm_forward,
    simple_rnn_forward,
    simple_rnn_loop,
)

__all__ = ["RNNWeights", "book_lstm_weights", "from_keras", "gru_cell", "gru_forward",
           "lstm_cell", "lstm_forward", "lstm_step", "sigmoid", "simple_rnn_forward",
           "simple_rnn_loop"]

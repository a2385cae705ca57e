"""The chapter's Keras models with the book's defaults, built with the Keras 3 API.

Every builder returns a `keras.Sequential` compiled as in the book (`compile_model`):
``keras.Input(shape=(maxlen,))`` (Keras 2's ``input_length``), an Embedding, ..., a sigmoid.
Shared arguments: ``max_features`` (``max_words``, ``num_words``) the vocabulary size, ``maxlen``
the padded length (``None``: any), ``embedding_dim``, ``units``, ``name``, and ``seed`` for
``keras.utils.set_random_seed`` before the weights are drawn. Sizes must be integers >= 1.
"""

from __future__ import annotations

import numpy as np

from textseq._checks import check_choice, check_int, describe, import_keras

keras = import_keras()  # says what to install when Keras or TensorFlow is missing

__all__ = [
    "embedding_flatten",
    "glove_classifier",
    "simple_rnn",
    "stacked_simple_rnn",
    "lstm",
    "gru",
    "bag_of_words",
    "compile_model",
    "compare_architecture",
]


def compile_model(model: keras.Model) -> keras.Model:
    """Compile ``model`` as the book does (rmsprop, binary cross-entropy, ``acc``); return it.

    Call it again after changing ``trainable``: Keras 3 ignores the change until then.
    """
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
    return model


def embedding_flatten(
    max_features: int = 10000, maxlen: int = 20, embedding_dim: int = 8, *,
    name: str = "embedding_flatten", seed: int | None = None,
) -> keras.Sequential:
    """Listing 6-7: ``Embedding -> Flatten -> Dense(1, sigmoid)`` on IMDB cut to 20 words.

    >>> embedding_flatten().count_params()
    80161
    """
    _check_positive(max_features=max_features, maxlen=maxlen, embedding_dim=embedding_dim)
    _seed(seed)
    return compile_model(keras.Sequential([
        keras.Input(shape=(maxlen,)),
        keras.layers.Embedding(max_features, embedding_dim),
        keras.layers.Flatten(),
        keras.layers.Dense(1, activation="sigmoid"),
    ], name=name))


def glove_classifier(
    max_words: int = 10000,
    maxlen: int = 100,
    embedding_dim: int = 100,
    embedding_matrix: np.ndarray | None = None,
    trainable: bool | None = None,
    *,
    hidden_units: int = 32,
    name: str = "glove_classifier",
    seed: int | None = None,
) -> keras.Sequential:
    """Listings 6-12/6-13 (6-16 without ``embedding_matrix``, else frozen unless ``trainable``).

    >>> glove_classifier().count_params()
    1320065
    """
    _check_positive(max_words=max_words, maxlen=maxlen, embedding_dim=embedding_dim,
                    hidden_units=hidden_units)
    check_choice("trainable", trainable, (True, False, None))
    if embedding_matrix is not None:
        try:
            matrix = np.asarray(embedding_matrix)
        except ValueError as err:
            raise ValueError(f"embedding_matrix must be a 2-d array, got a ragged "
                             f"{type(embedding_matrix).__name__} ({err})") from None
        if matrix.dtype.kind not in "iuf":  # not bool, complex, str or object
            raise TypeError(f"embedding_matrix must hold real numbers (int or float), got an "
                            f"array of dtype {matrix.dtype}")
        if matrix.shape != (max_words, embedding_dim):
            raise ValueError(
                f"embedding_matrix must have shape (max_words, embedding_dim) = "
                f"({max_words}, {embedding_dim}), got {matrix.shape}"
            )
        with np.errstate(over="ignore"):
            weights = matrix.astype(np.float32)  # the Embedding's dtype: 1e300 becomes inf
        bad = np.argwhere(~np.isfinite(weights))
        if len(bad):
            raise ValueError(f"embedding_matrix must hold finite float32 numbers, got "
                             f"{describe(matrix[tuple(bad[0])])} at {bad[0].tolist()} (NaN, "
                             f"infinite or too large: {len(bad)} of {matrix.size} values)")
    _seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(maxlen,)),
        keras.layers.Embedding(max_words, embedding_dim),
        keras.layers.Flatten(),
        keras.layers.Dense(hidden_units, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ], name=name)
    if embedding_matrix is not None:
        model.layers[0].set_weights([weights])
    model.layers[0].trainable = (embedding_matrix is None) if trainable is None else trainable
    return compile_model(model)


def simple_rnn(
    max_features: int = 10000, units: int = 32, *, embedding_dim: int = 32,
    maxlen: int | None = None, name: str = "simple_rnn", seed: int | None = None,
) -> keras.Sequential:
    """Listing 6-23: ``Embedding(10000, 32) -> SimpleRNN(32) -> Dense(1, sigmoid)``.

    >>> simple_rnn().count_params()  # 320,000 + 2,080 + 33
    322113
    """
    return _recurrent_classifier(keras.layers.SimpleRNN, [units], max_features, embedding_dim,
                                 maxlen, name, seed, units=units)


def stacked_simple_rnn(
    max_features: int = 10000, units: int = 32, depth: int = 4, *, embedding_dim: int = 32,
    maxlen: int | None = None, name: str = "stacked_simple_rnn", seed: int | None = None,
) -> keras.Sequential:
    """Section 6.2.1's ``depth`` stacked SimpleRNNs, plus a ``Dense(1, sigmoid)`` head.

    >>> stacked_simple_rnn().count_params()  # 320,000 + 4 * 2,080 + 33
    328353
    """
    _check_positive(depth=depth)
    return _recurrent_classifier(keras.layers.SimpleRNN, [units] * depth, max_features,
                                 embedding_dim, maxlen, name, seed, units=units)


def lstm(
    max_features: int = 10000, units: int = 32, *, embedding_dim: int = 32,
    maxlen: int | None = None, name: str = "lstm", seed: int | None = None,
) -> keras.Sequential:
    """Listing 6-27: ``Embedding(10000, 32) -> LSTM(32) -> Dense(1, sigmoid)``.

    >>> lstm().count_params()  # 320,000 + 8,320 + 33
    328353
    """
    return _recurrent_classifier(keras.layers.LSTM, [units], max_features, embedding_dim,
                                 maxlen, name, seed, units=units)


def gru(
    max_features: int = 10000, units: int = 32, *, embedding_dim: int = 32,
    maxlen: int | None = None, name: str = "gru", seed: int | None = None,
) -> keras.Sequential:
    """The GRU twin of Listing 6-27 (Keras 3's ``reset_after=True``: two bias vectors).

    >>> gru().count_params()  # 320,000 + 6,336 + 33
    326369
    """
    return _recurrent_classifier(keras.layers.GRU, [units], max_features, embedding_dim,
                                 maxlen, name, seed, units=units)


def bag_of_words(num_words: int = 10000, units: int = 16, *, name: str = "bag_of_words",
                 seed: int | None = None) -> keras.Sequential:
    """Chapter 3's IMDB baseline: multi-hot vectors -> two ``Dense(units, relu)`` -> ``Dense(1)``.

    >>> bag_of_words().count_params()  # 160,016 + 272 + 17
    160305
    """
    _check_positive(num_words=num_words, units=units)
    _seed(seed)
    return compile_model(keras.Sequential([
        keras.Input(shape=(num_words,)),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ], name=name))


def compare_architecture(model: keras.Model, reference: keras.Model) -> str:
    """Say whether two models have the same layers (class and config, not names) and parameters.

    >>> compare_architecture(embedding_flatten(), embedding_flatten(name="other"))
    'same layers, configurations and parameters (80,161) as other'
    """
    ours, theirs = _layer_configs(model), _layer_configs(reference)
    if len(ours) != len(theirs):
        return (f"different: {len(ours)} layers against {len(theirs)} in {reference.name} "
                f"({[c for c, _ in ours]} vs {[c for c, _ in theirs]})")
    for i, ((cls_a, conf_a), (cls_b, conf_b)) in enumerate(zip(ours, theirs, strict=True)):
        if cls_a != cls_b:
            return f"different: layer {i} is {cls_a}, {reference.name} has {cls_b}"
        for key in sorted(set(conf_a) | set(conf_b)):
            if conf_a.get(key) != conf_b.get(key):
                return (f"different: layer {i} ({cls_a}) {key}={conf_a.get(key)!r}, "
                        f"{reference.name} has {conf_b.get(key)!r}")
    if model.count_params() != reference.count_params():
        return (f"different: {model.count_params():,} parameters, {reference.name} has "
                f"{reference.count_params():,}")
    return (f"same layers, configurations and parameters ({model.count_params():,}) as "
            f"{reference.name}")


def _layer_configs(model: keras.Model) -> list[tuple[str, dict]]:
    configs = []
    for layer in model.layers:
        config = dict(layer.get_config())
        config.pop("name", None)
        configs.append((type(layer).__name__, config))
    return configs


def _recurrent_classifier(layer_cls, layer_units, max_features, embedding_dim, maxlen, name,
                          seed, **to_check):
    """``Embedding -> recurrent layers -> Dense(1, sigmoid)``, built in the book's order."""
    _check_positive(max_features=max_features, embedding_dim=embedding_dim, **to_check)
    check_int("maxlen", maxlen, minimum=1, optional=True)
    _seed(seed)
    layers = [keras.Input(shape=(maxlen,)), keras.layers.Embedding(max_features, embedding_dim)]
    layers += [layer_cls(n, return_sequences=i < len(layer_units) - 1)
               for i, n in enumerate(layer_units)]
    layers.append(keras.layers.Dense(1, activation="sigmoid"))
    return compile_model(keras.Sequential(layers, name=name))


def _check_positive(**values: object) -> None:
    """Raise for the first argument that is not an integer >= 1."""
    for key, value in values.items():
        check_int(key, value, minimum=1)


def _seed(seed: int | None) -> None:
    """Seed the random state before the weights are drawn, when a seed is given."""
    if seed is not None:
        keras.utils.set_random_seed(check_int("seed", seed, minimum=0, maximum=2**32 - 1))


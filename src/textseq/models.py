"""The chapter's Keras models, with the book's defaults, built with the Keras 3 API.

Every builder returns a `keras.Sequential` compiled as in the book (`compile_model`:
``optimizer="rmsprop"``, ``loss="binary_crossentropy"``, ``metrics=["acc"]``, so the history has
the book's keys ``acc`` and ``val_acc``). The models start with ``keras.Input(shape=(maxlen,))``
instead of Keras 2's ``Embedding(..., input_length=maxlen)``, which Keras 3 removed;
``model.layers[0]`` is the Embedding layer, as in the book.

The builders share these arguments:

- ``max_features`` (``max_words``, ``num_words``): the vocabulary size, i.e. the words kept by
  ``imdb.load_data(num_words=...)`` or the tokenizer;
- ``maxlen``: the length of the padded sequences (``None`` for the recurrent models, as in the
  book, accepts any length);
- ``embedding_dim``: the size of each word vector; ``units``: the units of the recurrent layer;
- ``name``: the model's name;
- ``seed``: draws the initial weights after ``keras.utils.set_random_seed(seed)``, so the same
  script gives the same weights in every fresh process; ``None`` draws them from the random state
  as it is (the notebooks call `textseq.notebook.training.seed_everything` first).

A size that is not an integer is a ``TypeError``, one below 1 a ``ValueError``
(`textseq._checks`). The output is ``(batch, 1)``, a sigmoid.

| builder | listing | parameters with the defaults |
|---|---|---|
| `embedding_flatten` | 6-7 | 80,000 + 161 = 80,161 |
| `glove_classifier` | 6-12, 6-13, 6-16 | 1,000,000 + 320,032 + 33 = 1,320,065 |
| `simple_rnn` | 6-23 | 320,000 + 2,080 + 33 = 322,113 |
| `stacked_simple_rnn` | 6.2.1 | 320,000 + 4 x 2,080 + 33 = 328,353 |
| `lstm` | 6-27 | 320,000 + 8,320 + 33 = 328,353 |
| `gru` | (ours) | 320,000 + 6,336 + 33 = 326,369 |
| `bag_of_words` | chapter 3 | 160,016 + 272 + 17 = 160,305 |

The notebooks write each model out as the book does and check it with `compare_architecture`
against the builder here, so the builders stay tested against the book's code.
"""

from __future__ import annotations

import numpy as np

from textseq._checks import check_choice, check_int, import_keras

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
    """Compile ``model`` as the book does (rmsprop, binary cross-entropy, ``acc``) and return it.

    Call it again after changing a layer's ``trainable`` flag: once a model has been trained,
    Keras 3 ignores such a change until the model is compiled again.
    """
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
    return model


def embedding_flatten(
    max_features: int = 10000, maxlen: int = 20, embedding_dim: int = 8, *,
    name: str = "embedding_flatten", seed: int | None = None,
) -> keras.Sequential:
    """Listing 6-7: ``Embedding -> Flatten -> Dense(1, sigmoid)`` on IMDB cut to 20 words.

    Example:
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
    """Listings 6-12 and 6-13 (and 6-16 without ``embedding_matrix``): a classifier on GloVe.

    ``Embedding(max_words, embedding_dim) -> Flatten -> Dense(hidden_units, relu) -> Dense(1,
    sigmoid)``. An ``embedding_matrix`` (``(max_words, embedding_dim)``, row ``i`` the vector of
    the word of index ``i``, Listing 6-11) is loaded into the Embedding layer, which ``trainable``
    freezes by default when a matrix is given (6-13) and trains without one (6-16). The book's
    own way also works, as long as the model is compiled
    *after* the change (once a model has been trained, Keras 3 ignores a ``trainable`` change
    until the next ``compile``)::

        model = glove_classifier()
        model.layers[0].set_weights([embedding_matrix])
        model.layers[0].trainable = False
        compile_model(model)  # or model.compile(...) as in Listing 6-14

    Example:
        >>> glove_classifier().count_params()
        1320065
    """
    _check_positive(max_words=max_words, maxlen=maxlen, embedding_dim=embedding_dim,
                    hidden_units=hidden_units)
    check_choice("trainable", trainable, (True, False, None))
    if embedding_matrix is not None:
        matrix = np.asarray(embedding_matrix)
        if matrix.shape != (max_words, embedding_dim):
            raise ValueError(
                f"embedding_matrix must have shape (max_words, embedding_dim) = "
                f"({max_words}, {embedding_dim}), got {matrix.shape}"
            )
    _seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(maxlen,)),
        keras.layers.Embedding(max_words, embedding_dim),
        keras.layers.Flatten(),
        keras.layers.Dense(hidden_units, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ], name=name)
    if embedding_matrix is not None:
        model.layers[0].set_weights([matrix])
    model.layers[0].trainable = (embedding_matrix is None) if trainable is None else trainable
    return compile_model(model)


def simple_rnn(
    max_features: int = 10000, units: int = 32, *, embedding_dim: int = 32,
    maxlen: int | None = None, name: str = "simple_rnn", seed: int | None = None,
) -> keras.Sequential:
    """Listing 6-23: ``Embedding(10000, 32) -> SimpleRNN(32) -> Dense(1, sigmoid)``.

    Example:
        >>> simple_rnn().count_params()  # 320,000 + 2,080 + 33
        322113
    """
    return _recurrent_classifier(keras.layers.SimpleRNN, [units], max_features, embedding_dim,
                                 maxlen, name, seed, units=units)


def stacked_simple_rnn(
    max_features: int = 10000, units: int = 32, depth: int = 4, *, embedding_dim: int = 32,
    maxlen: int | None = None, name: str = "stacked_simple_rnn", seed: int | None = None,
) -> keras.Sequential:
    """Section 6.2.1's stacked SimpleRNNs: every layer but the last returns full sequences.

    The book's example stacks four ``SimpleRNN(32)`` after ``Embedding(10000, 32)`` and shows its
    summary (328,320 parameters); here a ``Dense(1, sigmoid)`` head (33 more) is added so the model
    can be trained on IMDB like the others.

    Example:
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

    Example:
        >>> lstm().count_params()  # 320,000 + 8,320 + 33
        328353
    """
    return _recurrent_classifier(keras.layers.LSTM, [units], max_features, embedding_dim,
                                 maxlen, name, seed, units=units)


def gru(
    max_features: int = 10000, units: int = 32, *, embedding_dim: int = 32,
    maxlen: int | None = None, name: str = "gru", seed: int | None = None,
) -> keras.Sequential:
    """``Embedding(10000, 32) -> GRU(32) -> Dense(1, sigmoid)``, the GRU twin of Listing 6-27.

    Keras 3's GRU uses ``reset_after=True``: two bias vectors, so ``3 * (2 * 32 * 32 + 2 * 32) =
    6,336`` parameters for 32 units.

    Example:
        >>> gru().count_params()  # 320,000 + 6,336 + 33
        326369
    """
    return _recurrent_classifier(keras.layers.GRU, [units], max_features, embedding_dim,
                                 maxlen, name, seed, units=units)


def bag_of_words(num_words: int = 10000, units: int = 16, *, name: str = "bag_of_words",
                 seed: int | None = None) -> keras.Sequential:
    """Chapter 3's IMDB model: multi-hot vectors -> two ``Dense(units, relu)`` -> ``Dense(1)``.

    The baseline the book compares the LSTM with (about 88% on IMDB): it sees which of the
    ``num_words`` most frequent words a review contains (``Tokenizer.texts_to_matrix(...,
    mode="binary")``), not their order.

    Example:
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
    """Say whether two models have the same layers, configurations and parameter count.

    Layers are compared in order by class and by ``get_config()`` without the layer names (which
    Keras numbers per session); ``trainable`` counts, so a frozen Embedding differs from a
    trainable one. Used right after a model written out as in the book, against the matching
    builder of this module.

    Example:
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
    """``Embedding -> recurrent layers -> Dense(1, sigmoid)``, compiled.

    The layers are created in the book's order (Embedding first): Keras 3 draws each layer's
    initializer seed when the layer is created, so after the same seed this model starts from the
    same weights as the book's ``Sequential().add(...)`` code.
    """
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


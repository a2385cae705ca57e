"""Checks shared by every textseq module: arguments, and the Keras backend.

A wrong type is a ``TypeError`` (``bool`` is no integer), a bad value a ``ValueError``; messages
name the argument, what is allowed and what was given.

>>> check_int("num_words", 0, minimum=1)
Traceback (most recent call last):
...
ValueError: num_words must be an integer >= 1, got 0
"""

from __future__ import annotations

import importlib.util
import json
import math
import numbers
import os
import sys
from collections.abc import Collection
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import numpy as np

__all__ = ["check_choice", "check_int", "check_number", "check_str", "describe",
           "MissingBackendError", "keras_backend", "require_backend", "import_keras"]

T = TypeVar("T")
_REPR_LIMIT = 60


def describe(value: Any, with_type: bool = False) -> str:
    """A short ``repr`` of ``value`` (60 characters at most) for a message, optionally typed.

    >>> describe("x" * 100)[-5:], describe(np.float64(2.5), with_type=True)
    ('xx...', '2.5 (float64)')
    """
    text = repr(value.item() if isinstance(value, np.generic) else value)  # not np.float64(1.0)
    if len(text) > _REPR_LIMIT:
        text = text[: _REPR_LIMIT - 3] + "..."
    return f"{text} ({type(value).__name__})" if with_type else text


def _range_text(kind: str, minimum: float | None, maximum: float | None, optional: bool) -> str:
    if minimum is not None and maximum is not None:
        text = f"{kind} between {minimum} and {maximum}"
    elif minimum is not None:
        text = f"{kind} >= {minimum}"
    elif maximum is not None:
        text = f"{kind} <= {maximum}"
    else:
        text = kind
    return text + (" or None" if optional else "")


def check_int(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None,
              optional: bool = False) -> int | None:
    """Check an integer in ``[minimum, maximum]``; return it as ``int`` (``None`` if optional).

    >>> check_int("seed", np.int64(7), minimum=0, maximum=2**32 - 1)
    7
    """
    if value is None and optional:
        return None
    allowed = _range_text("an integer", minimum, maximum, optional)
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be {allowed}, got {describe(value, with_type=True)}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {allowed}, got {value}")
    return value


def check_number(name: str, value: Any, *, minimum: float | None = None,
                 maximum: float | None = None, exclusive_minimum: bool = False,
                 optional: bool = False) -> float | None:
    """Check a real number (not bool, not NaN, not infinite) in range; return it as ``float``.

    >>> check_number("timeout", 0, minimum=0, exclusive_minimum=True)
    Traceback (most recent call last):
    ...
    ValueError: timeout must be a number > 0, got 0
    """
    if value is None and optional:
        return None
    if exclusive_minimum and minimum is not None:
        allowed = f"a number > {minimum}" + (f" and <= {maximum}" if maximum is not None else "")
        allowed += " or None" if optional else ""
    else:
        allowed = _range_text("a number", minimum, maximum, optional)
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {allowed}, got {describe(value, with_type=True)}")
    number = float(value)
    too_small = minimum is not None and (number <= minimum if exclusive_minimum
                                         else number < minimum)
    if not math.isfinite(number) or too_small or (maximum is not None and number > maximum):
        raise ValueError(f"{name} must be {allowed}, got {describe(value)}")
    return number


def check_choice(name: str, value: T, choices: Collection[T]) -> T:
    """Check that ``value`` is one of ``choices``; another type is a ``TypeError``.

    >>> check_choice("padding", "middle", ("pre", "post"))
    Traceback (most recent call last):
    ...
    ValueError: padding must be 'pre' or 'post', got 'middle'
    """
    items = list(choices)
    allowed = (" or ".join(map(repr, items)) if len(items) <= 2
               else "one of " + ", ".join(map(repr, items)))
    types = tuple({type(c) for c in items})
    if not isinstance(value, types):
        raise TypeError(f"{name} must be {allowed}, got {describe(value, with_type=True)}")
    if value not in items:
        raise ValueError(f"{name} must be {allowed}, got {describe(value)}")
    return value


def check_str(name: str, value: Any, *, what: str = "a str", optional: bool = False) -> str | None:
    """Check that ``value`` is a ``str`` (``what`` describes it in the message).

    >>> check_str("sha256", None, what="a str of 64 hex digits")
    Traceback (most recent call last):
    ...
    TypeError: sha256 must be a str of 64 hex digits, got None (NoneType)
    """
    if value is None and optional:
        return None
    if not isinstance(value, str):
        allowed = what + (" or None" if optional else "")
        raise TypeError(f"{name} must be {allowed}, got {describe(value, with_type=True)}")
    return value


# --- the Keras backend -----------------------------------------------------------------------
# The module each Keras 3 backend needs, and what to install for it.
_BACKENDS = {
    "tensorflow": ("tensorflow", "pip install tensorflow  (or tensorflow-cpu, the CPU-only "
                                 "build; from a checkout of textseq: pip install -r "
                                 "requirements.txt)"),
    "jax": ("jax", "pip install jax"),
    "torch": ("torch", "pip install torch"),
    "numpy": ("numpy", "pip install numpy"),
    "openvino": ("openvino", "pip install openvino"),
}


class MissingBackendError(ModuleNotFoundError):
    """Keras, or the backend Keras is set to use, is not installed."""


def _installed(module: str) -> bool:
    if sys.modules.get(module) is not None:  # None: an import blocked, as if not installed
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package that fails, a module without a spec
        return False


def keras_backend() -> str:
    """The backend Keras would use (Keras's own order), without importing Keras."""
    keras = sys.modules.get("keras")
    if keras is not None and hasattr(keras, "backend"):
        return keras.backend.backend()
    backend = os.environ.get("KERAS_BACKEND", "").strip()
    if backend:
        return backend
    home = os.environ.get("KERAS_HOME")
    if home is None:
        base = Path.home()
        home = str((base if os.access(base, os.W_OK) else Path("/tmp")) / ".keras")
    try:
        config = json.loads((Path(home).expanduser() / "keras.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    backend = config.get("backend") if isinstance(config, dict) else None
    return backend if isinstance(backend, str) and backend else "tensorflow"


def require_backend() -> str:
    """Return the Keras 3 backend's name, or raise `MissingBackendError` naming what to install.

    >>> require_backend()
    'tensorflow'
    """
    backend = keras_backend()
    module, hint = _BACKENDS.get(backend, (backend, f"pip install {backend}"))
    if not _installed("keras"):
        raise MissingBackendError(
            "textseq needs Keras 3 and a backend for it, and neither is installed. Install "
            f"TensorFlow, which brings Keras: {_BACKENDS['tensorflow'][1]}", name="keras")
    if not _installed(module):
        raise MissingBackendError(
            f"textseq needs a backend for Keras, and Keras's backend {backend!r} is not "
            f"installed (module {module!r}). Install it: {hint}", name=module)
    return backend


def import_keras() -> ModuleType:
    """The ``keras`` module, after `require_backend` has checked that it can work."""
    require_backend()
    import keras

    return keras

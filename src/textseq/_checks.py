"""Argument checks shared by every textseq module: one rule per mistake, one message format.

The rule for exception types, applied everywhere:

- **wrong type → ``TypeError``**: ``num_words=2.5``, ``num_words="10"``, ``size=None``. ``bool``
  counts as a wrong type where an integer is wanted (``True`` is not ``1`` here), while numpy
  integers (``np.int64(5)``) are integers everywhere and come back as Python ``int``.
- **right type, value out of range or not among the choices → ``ValueError``**: ``num_words=0``,
  ``seed=2**32``, ``padding="middle"``.

Every message names the argument, says what is allowed and shows what was given (with its type
for a ``TypeError``)::

    num_words must be an integer >= 1 or None, got 0
    num_words must be an integer >= 1 or None, got 2.5 (float)
    seed must be an integer between 0 and 4294967295, got 4294967296

Example:
    >>> check_int("num_words", 10, minimum=1)
    10
    >>> check_int("num_words", None, minimum=1, optional=True) is None
    True
    >>> check_int("num_words", 0, minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: num_words must be an integer >= 1, got 0
    >>> check_int("num_words", True, minimum=1)
    Traceback (most recent call last):
    ...
    TypeError: num_words must be an integer >= 1, got True (bool)
"""

from __future__ import annotations

import numbers
from collections.abc import Collection
from typing import Any, TypeVar

import numpy as np

__all__ = ["check_choice", "check_int", "check_number", "check_str", "describe"]

T = TypeVar("T")
_REPR_LIMIT = 60


def describe(value: Any, with_type: bool = False) -> str:
    """Return a short ``repr`` of ``value`` for an error message, optionally with its type.

    Args:
        value: what was given.
        with_type: append `` (typename)``, as ``TypeError`` messages do.

    Returns:
        The ``repr`` (of the Python value for a numpy scalar; cut to 60 characters with
        ``...``), e.g. ``"2.5 (float)"``.

    Example:
        >>> describe("x" * 100)[-5:], describe(2.5, with_type=True)
        ('xx...', '2.5 (float)')
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
    """Check an integer argument and return it as a Python ``int`` (or ``None``).

    Args:
        name: the argument's name, for the message.
        value: what was given. ``int`` and numpy integers pass; ``bool`` does not.
        minimum: the smallest allowed value (inclusive), or ``None`` for no bound.
        maximum: the largest allowed value (inclusive), or ``None`` for no bound.
        optional: whether ``None`` is allowed (it is returned as is).

    Returns:
        ``int(value)``, or ``None`` when ``optional`` and ``value is None``.

    Raises:
        TypeError: if ``value`` is not an integer (a ``bool``, a float, a string, ``None`` when
            not ``optional``).
        ValueError: if ``value`` is an integer outside ``[minimum, maximum]``.

    Example:
        >>> check_int("seed", np.int64(7), minimum=0, maximum=2**32 - 1)
        7
        >>> check_int("seed", 2**32, minimum=0, maximum=2**32 - 1)
        Traceback (most recent call last):
        ...
        ValueError: seed must be an integer between 0 and 4294967295, got 4294967296
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
    """Check a real-number argument (int, float or numpy scalar, not bool, not NaN).

    Args:
        name: the argument's name, for the message.
        value: what was given.
        minimum: the smallest allowed value, or ``None`` for no bound.
        maximum: the largest allowed value (inclusive), or ``None`` for no bound.
        exclusive_minimum: whether ``minimum`` itself is refused (``> minimum``).
        optional: whether ``None`` is allowed (it is returned as is).

    Returns:
        ``float(value)``, or ``None`` when ``optional`` and ``value is None``.

    Raises:
        TypeError: if ``value`` is not a real number.
        ValueError: if it is NaN or out of range.

    Example:
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
    if number != number or too_small or (maximum is not None and number > maximum):
        raise ValueError(f"{name} must be {allowed}, got {describe(value)}")
    return number


def check_choice(name: str, value: T, choices: Collection[T]) -> T:
    """Check that ``value`` is one of ``choices`` (compared with ``==``).

    Args:
        name: the argument's name, for the message.
        value: what was given.
        choices: the allowed values, listed in the message in their order.

    Returns:
        ``value``.

    Raises:
        TypeError: if ``value`` has none of the choices' types (``padding=1`` for string
            choices).
        ValueError: if it has the right type but is not a choice.

    Example:
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
    """Check that ``value`` is a ``str`` (or ``None`` when ``optional``).

    Args:
        name: the argument's name, for the message.
        value: what was given.
        what: how the message describes the expected value (``"a str of 64 hex digits"``).
        optional: whether ``None`` is allowed.

    Returns:
        ``value``.

    Raises:
        TypeError: if ``value`` is not a ``str``.

    Example:
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

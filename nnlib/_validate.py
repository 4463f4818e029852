"""Input checks shared by every module.

Each function either returns a clean value or raises a ``ValueError``/``TypeError`` that
says what was expected and what was received. Public entry points call these once; the hot
loops inside ``MLP.fit`` work on already-checked arrays.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(x, name: str, ndim: int | None = 2, finite: bool = True) -> np.ndarray:
    """Return ``x`` as a float64 array, checking its number of dimensions and values."""
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}: {x!r}")
    arr = np.asarray(x)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must contain numbers, got an array of dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must contain real numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array (rows are samples), got shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or infinite value(s)")
    return arr


def positive_int(value, name: str) -> int:
    """Return ``value`` as an int, requiring an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__}: {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def positive_float(value, name: str) -> float:
    """Return ``value`` as a float, requiring a finite number > 0."""
    number = real(value, name)
    if not number > 0:
        raise ValueError(f"{name} must be positive, got {name}={value!r}")
    return number


def real(value, name: str) -> float:
    """Return ``value`` as a finite float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}: {value!r}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {name}={value!r}")
    return number


def in_range(value, name: str, low: float, high: float, high_inclusive: bool = False) -> float:
    """Return ``value`` as a float in ``[low, high)`` (or ``[low, high]``)."""
    number = real(value, name)
    ok = low <= number <= high if high_inclusive else low <= number < high
    if not ok:
        bracket = "]" if high_inclusive else ")"
        raise ValueError(f"{name} must be in [{low}, {high}{bracket}, got {name}={value!r}")
    return number


def make_rng(rng=None, seed=None) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from ``rng`` or ``seed`` (never the global state).

    With neither given, the generator is seeded with 0 so that results are reproducible.
    """
    if rng is not None and seed is not None:
        raise ValueError("give either rng= or seed=, not both")
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                "rng must be a numpy.random.Generator (e.g. np.random.default_rng(0)), "
                f"got {type(rng).__name__}"
            )
        return rng
    if seed is None:
        seed = 0
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a non-negative integer, got {type(seed).__name__}: {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.default_rng(int(seed))


def as_rng(rng_or_seed) -> np.random.Generator:
    """A ``Generator`` from a ``Generator``, an integer seed, or None (seed 0)."""
    if isinstance(rng_or_seed, np.random.Generator):
        return rng_or_seed
    if rng_or_seed is None or isinstance(rng_or_seed, numbers.Integral):
        return make_rng(seed=rng_or_seed)
    return make_rng(rng=rng_or_seed)

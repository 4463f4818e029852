"""Metrics that are not losses: accuracy and the confusion matrix."""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, positive_int


def to_labels(y, name: str = "y") -> np.ndarray:
    """Class labels ``(m,)`` from labels, one-hot/probability rows or one-column scores.

    2-D with several columns -> ``argmax`` of each row; one column of whole numbers or 1-D ->
    the labels themselves (as integers); one column of other values (sigmoid scores) -> 1
    where the value is above 0.5.
    """
    arr = as_float_array(y, name, ndim=None)
    if arr.ndim == 2 and arr.shape[1] > 1:
        return np.argmax(arr, axis=1)
    if arr.ndim == 2 and arr.shape[1] == 1:
        column = arr[:, 0]
        if np.all(column == np.round(column)):
            return column.astype(int)
        return (column > 0.5).astype(int)
    if arr.ndim == 1:
        if not np.all(arr == np.round(arr)):
            raise ValueError(f"1-D {name} must hold whole-number class labels")
        return arr.astype(int)
    raise ValueError(f"{name} must be 1-D labels or a 2-D array, got shape {arr.shape}")


def accuracy(y_true, y_pred) -> float:
    """Fraction of samples whose predicted class equals the true class (see :func:`to_labels`).

    >>> accuracy([0, 1, 1, 0], [[0.2], [0.9], [0.4], [0.1]])
    0.75
    """
    t, p = to_labels(y_true, "y_true"), to_labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.shape[0]} samples but y_pred has {p.shape[0]}")
    return float(np.mean(t == p))


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """``C[i, j]`` = number of samples of true class ``i`` predicted as class ``j``."""
    t, p = to_labels(y_true, "y_true"), to_labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.shape[0]} samples but y_pred has {p.shape[0]}")
    if n_classes is None:
        n_classes = int(max(t.max(), p.max())) + 1
    n_classes = positive_int(n_classes, "n_classes")
    if t.min() < 0 or p.min() < 0 or max(t.max(), p.max()) >= n_classes:
        raise ValueError(f"labels must be in [0, {n_classes})")
    C = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(C, (t, p), 1)
    return C

r"""Gradient checking: compare back-propagated gradients with two-sided differences.

.. math::

    \frac{\partial f}{\partial x_i} \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2\epsilon},
    \qquad
    \text{relative error} = \frac{\lVert g - \tilde g \rVert}{\lVert g \rVert + \lVert \tilde g \rVert}

The two-sided difference has error :math:`O(\epsilon^2)`; with :math:`\epsilon = 10^{-6}` in
float64 a correct gradient gives a relative error around :math:`10^{-9}` or below, a wrong one
something near 1.
"""

from __future__ import annotations

import math

import numpy as np

from . import losses
from ._validate import as_float_array, positive_float


def numerical_gradient(f, x, eps: float = 1e-6) -> np.ndarray:
    """Two-sided numerical gradient of the scalar function ``f`` at the array ``x``.

    ``x`` must be a float64 numpy array: each entry is nudged in place, ``f(x)`` evaluated,
    and the entry restored. ``f`` may ignore its argument and read ``x`` through a closure
    (as when ``x`` is a model parameter).

    >>> import numpy as np
    >>> numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0]))
    array([ 2., -4.])
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x returning a number, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            "x must be a float64 numpy array (it is perturbed in place), got "
            f"{type(x).__name__}{' of dtype ' + str(x.dtype) if isinstance(x, np.ndarray) else ''}"
        )
    eps = positive_float(eps, "eps")
    grad = np.zeros_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):  # pragma: no cover - non-contiguous views
        raise ValueError("x must be contiguous so that it can be perturbed in place")
    for i in range(flat.size):
        old = flat[i]
        try:
            flat[i] = old + eps
            f_plus = _scalar(f(x))
            flat[i] = old - eps
            f_minus = _scalar(f(x))
        finally:  # restore x even when f fails (x may be a model's parameters)
            flat[i] = old
        out[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def _scalar(value) -> float:
    value = np.asarray(value, dtype=float)
    if value.size != 1:
        raise ValueError(f"f must return a single number, got an array of shape {value.shape}")
    value = float(value.reshape(()))
    if not math.isfinite(value):
        raise ValueError(f"f returned {value} during gradient checking")
    return value


def relative_error(analytic, numeric) -> float:
    """:math:`\\lVert a - b \\rVert / (\\lVert a \\rVert + \\lVert b \\rVert)`, 0 when both are 0."""
    a = as_float_array(analytic, "analytic", ndim=None)
    b = as_float_array(numeric, "numeric", ndim=None)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def check_model(model, X, y, loss="mse", eps: float = 1e-6, l2: float = 0.0) -> float:
    """Largest relative error over the model's parameter arrays between back-propagation and
    two-sided differences of ``model.loss(X, y, loss, l2)``.

    Runs the same code path as training (including the fused sigmoid + BCE and
    softmax + cross-entropy gradients). Costs two forward passes per parameter.
    """
    loss = losses.get(loss)
    model.loss_and_grads(X, y, loss, l2)
    analytic = [g.copy() for g in model.grads]
    worst = 0.0
    for p, g in zip(model.params, analytic):
        numeric = numerical_gradient(lambda _: model.loss(X, y, loss, l2), p, eps)
        worst = max(worst, relative_error(g, numeric))
    return worst

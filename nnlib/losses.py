r"""Loss functions: a number that says how wrong the predictions are, and its gradient.

``forward(y_hat, y)`` is the **mean over samples** of the per-sample loss (summed over output
columns); ``gradient(y_hat, y)`` is :math:`\partial L / \partial \hat{y}`, the shape of
``y_hat``, including the :math:`1/m` of the mean. Shapes: ``y_hat`` is ``(m, k)``; ``y`` is
``(m, k)``, or 1-D of length ``m`` when ``k == 1``, or (``cross_entropy`` and ``hinge``) 1-D
integer class labels in ``[0, k)``.

Binary cross-entropy after a sigmoid output and cross-entropy after a softmax output also
have a fused path, ``from_logits(Z, y)``, computed from the pre-activations ``Z`` without
ever taking ``log(0)``; its gradient is :math:`dZ = (\hat{y} - y)/m`.

>>> import numpy as np, nnlib as nn
>>> nn.losses.get("mse").forward(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
2.5
"""

from __future__ import annotations

import numpy as np

from ._registry import Registry
from ._validate import as_float_array
from .activations import Sigmoid, Softmax, _sigmoid

#: Predictions are clipped to [EPS, 1 - EPS] before a log in the unfused cross-entropies.
EPS = 1e-12


class Loss:
    """Base class. Subclasses implement ``_forward`` and ``_gradient`` on checked arrays."""

    #: The output activation whose fused path this loss provides (or None).
    fused_with: type | None = None

    def forward(self, y_hat, y) -> float:
        """Mean loss over the ``m`` samples."""
        y_hat, y = self._check(y_hat, y)
        return float(self._forward(y_hat, y))

    def gradient(self, y_hat, y) -> np.ndarray:
        """:math:`\\partial L / \\partial \\hat{y}`, same shape as ``y_hat``."""
        y_hat, y = self._check(y_hat, y)
        return self._gradient(y_hat, y)

    def prepare_target(self, y, n_outputs: int) -> np.ndarray:
        """Return ``y`` as a checked float ``(m, n_outputs)`` array (labels become one-hot)."""
        arr = as_float_array(y, "y", ndim=None)
        if arr.ndim == 1 and n_outputs == 1:
            arr = arr.reshape(-1, 1)
        if arr.ndim != 2 or arr.shape[1] != n_outputs:
            raise ValueError(
                f"{self.name} expected y of shape (m, {n_outputs}) to match y_hat"
                f"{' (or 1-D of length m)' if n_outputs == 1 else ''}, got shape {arr.shape}"
            )
        self._check_values(arr)
        return arr

    def _check_values(self, y):
        """Subclasses reject targets outside their domain."""

    def _check(self, y_hat, y):
        y_hat = as_float_array(y_hat, "y_hat", ndim=2)
        y = self.prepare_target(y, y_hat.shape[1])
        if y.shape[0] != y_hat.shape[0]:
            raise ValueError(
                f"{self.name}: y_hat has {y_hat.shape[0]} samples but y has {y.shape[0]}"
            )
        return y_hat, y

    @property
    def name(self) -> str:
        return type(self).__name__

    def __repr__(self):
        return f"{type(self).__name__}()"


registry = Registry("loss", Loss)


def get(identifier) -> Loss:
    """Return a loss from a name (``"mse"``, ``"bce"``, ...), an instance or a subclass."""
    return registry.get(identifier)


def names() -> list[str]:
    """The registered loss names."""
    return registry.names


def _labels_to_one_hot(y, n_classes, name):
    """1-D whole-number labels in [0, n_classes) -> one-hot (m, n_classes); else None."""
    if y.ndim != 1:
        return None
    if not np.all(y == np.round(y)) or y.min() < 0 or y.max() >= n_classes:
        raise ValueError(
            f"{name} expected 1-D integer class labels in [0, {n_classes}), "
            f"got values from {y.min()} to {y.max()}"
        )
    one_hot = np.zeros((y.shape[0], n_classes))
    one_hot[np.arange(y.shape[0]), y.astype(int)] = 1.0
    return one_hot


@registry.register("mse", "mean_squared_error")
class MSE(Loss):
    r"""Mean squared error :math:`L = \frac{1}{m}\sum_i \lVert \hat{y}_i - y_i \rVert^2`,
    gradient :math:`\frac{2}{m}(\hat{y} - y)`. (With the :math:`\tfrac12` convention the 2
    disappears; nnlib does not use it.)"""

    def _forward(self, y_hat, y):
        return np.sum((y_hat - y) ** 2) / y.shape[0]

    def _gradient(self, y_hat, y):
        return 2.0 * (y_hat - y) / y.shape[0]


@registry.register("mae", "mean_absolute_error")
class MAE(Loss):
    r"""Mean absolute error :math:`\frac{1}{m}\sum_i \lVert \hat{y}_i - y_i \rVert_1`,
    gradient :math:`\mathrm{sign}(\hat{y} - y)/m` (0 where they are equal)."""

    def _forward(self, y_hat, y):
        return np.sum(np.abs(y_hat - y)) / y.shape[0]

    def _gradient(self, y_hat, y):
        return np.sign(y_hat - y) / y.shape[0]


@registry.register("mape", "mean_absolute_percentage_error")
class MAPE(Loss):
    r"""Mean absolute percentage error :math:`\frac{100}{m}\sum_i \sum_k |\hat{y}_{ik} - y_{ik}| / |y_{ik}|`.

    Undefined when a target is 0, so such targets are rejected."""

    def _check_values(self, y):
        if np.any(y == 0):
            raise ValueError(f"mape is undefined for targets equal to 0, got {int(np.sum(y == 0))}")

    def _forward(self, y_hat, y):
        return 100.0 * np.sum(np.abs((y_hat - y) / y)) / y.shape[0]

    def _gradient(self, y_hat, y):
        return 100.0 * np.sign(y_hat - y) / np.abs(y) / y.shape[0]


@registry.register("bce", "binary_cross_entropy")
class BinaryCrossEntropy(Loss):
    r"""Binary cross-entropy :math:`-\frac{1}{m}\sum_i [y\log\hat{y} + (1-y)\log(1-\hat{y})]`,
    targets in :math:`[0, 1]`, predictions clipped to :math:`[\epsilon, 1-\epsilon]`.

    Fused with a sigmoid output (``from_logits``): :math:`L = \frac{1}{m}\sum
    [\max(z, 0) - yz + \log(1 + e^{-|z|})]` and :math:`dZ = (\sigma(z) - y)/m`."""

    fused_with = Sigmoid

    def _check_values(self, y):
        if np.any((y < 0) | (y > 1)):
            raise ValueError(
                f"bce expected targets in [0, 1], got values from {y.min()} to {y.max()}"
            )

    def _forward(self, y_hat, y):
        p = np.clip(y_hat, EPS, 1.0 - EPS)
        return -np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p)) / y.shape[0]

    def _gradient(self, y_hat, y):
        p = np.clip(y_hat, EPS, 1.0 - EPS)
        return (p - y) / (p * (1.0 - p)) / y.shape[0]

    def from_logits(self, Z, y):
        """Return ``(loss, dZ)`` for a sigmoid output with pre-activation ``Z``."""
        return self._from_logits(*self._check(Z, y))

    def _from_logits(self, Z, y):
        m = y.shape[0]
        value = np.sum(np.maximum(Z, 0.0) - y * Z + np.log1p(np.exp(-np.abs(Z)))) / m
        return float(value), (_sigmoid(Z) - y) / m


@registry.register("cross_entropy", "categorical_cross_entropy", "nll")
class CrossEntropy(Loss):
    r"""Cross-entropy :math:`-\frac{1}{m}\sum_i \sum_k y_{ik}\log\hat{y}_{ik}` for one-hot (or
    probability) rows ``y``, or 1-D integer labels.

    Fused with a softmax output (``from_logits``): :math:`\log\hat{y} = z - \log\sum_j e^{z_j}`
    computed with the max shift, and :math:`dZ = (\mathrm{softmax}(z) - y)/m`."""

    fused_with = Softmax

    def prepare_target(self, y, n_outputs):
        arr = as_float_array(y, "y", ndim=None)
        one_hot = _labels_to_one_hot(arr, n_outputs, "cross_entropy") if n_outputs > 1 else None
        return super().prepare_target(arr if one_hot is None else one_hot, n_outputs)

    def _check_values(self, y):
        if np.any(y < 0) or not np.allclose(y.sum(axis=1), 1.0, atol=1e-6):
            raise ValueError(
                "cross_entropy expected each row of y to be one-hot or a probability vector "
                "(non-negative, summing to 1)"
            )

    def _forward(self, y_hat, y):
        return -np.sum(y * np.log(np.clip(y_hat, EPS, None))) / y.shape[0]

    def _gradient(self, y_hat, y):
        return -y / np.clip(y_hat, EPS, None) / y.shape[0]

    def from_logits(self, Z, y):
        """Return ``(loss, dZ)`` for a softmax output with pre-activation ``Z``."""
        return self._from_logits(*self._check(Z, y))

    def _from_logits(self, Z, y):
        shifted = Z - Z.max(axis=1, keepdims=True)
        E = np.exp(shifted)
        total = E.sum(axis=1, keepdims=True)
        log_probs = shifted - np.log(total)
        m = y.shape[0]
        return float(-np.sum(y * log_probs) / m), (E / total - y) / m  # E / total = softmax(Z)


@registry.register("hinge")
class Hinge(Loss):
    r"""Hinge loss :math:`\frac{1}{m}\sum_i\sum_k \max(0, 1 - t_{ik}\hat{y}_{ik})` with targets
    :math:`t \in \{-1, +1\}` (the SVM loss; targets in :math:`\{0, 1\}` or integer class labels
    are mapped to :math:`\pm 1`, one-vs-rest). Gradient :math:`-t/m` where the margin is
    violated, 0 elsewhere."""

    def prepare_target(self, y, n_outputs):
        arr = as_float_array(y, "y", ndim=None)
        one_hot = _labels_to_one_hot(arr, n_outputs, "hinge") if n_outputs > 1 else None
        arr = super().prepare_target(arr if one_hot is None else one_hot, n_outputs)
        return np.where(arr == 0, -1.0, arr)

    def _check_values(self, y):
        values = set(np.unique(y).tolist())
        if not (values <= {-1.0, 1.0} or values <= {0.0, 1.0}):
            raise ValueError(
                f"hinge expected targets in {{-1, +1}} or {{0, 1}}, got values {sorted(values)[:5]}"
            )

    def _forward(self, y_hat, t):
        return np.sum(np.maximum(0.0, 1.0 - t * y_hat)) / t.shape[0]

    def _gradient(self, y_hat, t):
        return np.where(1.0 - t * y_hat > 0, -t, 0.0) / t.shape[0]

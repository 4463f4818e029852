r"""Rosenblatt's perceptron: a threshold unit and its learning rule.

.. math::

    \hat{y} = \begin{cases} 1 & \mathbf{w}\cdot\mathbf{x} > \tau \\ 0 & \text{otherwise}
    \end{cases} \;=\; \mathrm{step}(\mathbf{w}\cdot\mathbf{x} + b), \qquad b = -\tau

(:math:`\tau` is the threshold; the Kookmin lecture notes write it :math:`\theta`.)

Learning rule (one sample at a time): :math:`\mathbf{w} \leftarrow \mathbf{w} + \eta (y - \hat y)\mathbf{x}`,
:math:`b \leftarrow b + \eta (y - \hat y)`. It changes nothing on a correctly classified sample,
and it stops for good only once a whole epoch makes no mistake, which happens (in finitely
many steps) exactly when a line separates the classes (Rosenblatt, 1958; Minsky & Papert, 1969);
:func:`mistake_bound` gives Novikoff's (1962) bound on the number of mistakes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array, make_rng, positive_float, positive_int, real


def _check_Xy(X, y):
    """``X`` as an (m, n) array and ``y`` as m labels, each 0 or 1."""
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=None).reshape(-1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples but y has {y.shape[0]}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"perceptron labels must be 0 or 1, got {sorted(set(y.tolist()))[:5]}")
    return X, y


def _check_wb(X, w, b):
    X = as_float_array(X, "X", ndim=2)
    w = as_float_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w has {w.shape[0]} entries but X has {X.shape[1]} columns")
    return X, w, real(b, "b")


def perceptron(X, w, b) -> np.ndarray:
    """Outputs ``(m, 1)`` of a perceptron: 1 where :math:`Xw + b > 0`, else 0.

    >>> perceptron([[0, 0], [0, 1], [1, 0], [1, 1]], w=[0.5, 0.5], b=-0.7).ravel().tolist()
    [0, 0, 0, 1]
    """
    X, w, b = _check_wb(X, w, b)
    return (X @ w + b > 0).astype(int).reshape(-1, 1)


@dataclass
class PerceptronRun:
    """What :func:`train_perceptron` did.

    ``mistakes[e]`` is the number of samples misclassified (and so updated on) during epoch
    ``e + 1``; ``accuracy[e]`` the accuracy of the weights at the end of that epoch;
    ``converged_epoch`` the first epoch without a mistake (None if none was).
    """

    w: np.ndarray
    b: float
    mistakes: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    converged_epoch: int | None = None

    @property
    def converged(self) -> bool:
        return self.converged_epoch is not None


def train_perceptron(X, y, lr: float = 1.0, num_epochs: int = 100, w=None, b: float = 0.0,
                     shuffle: bool = False, seed=0) -> PerceptronRun:
    """Run the perceptron learning rule on ``(X, y)`` with labels 0/1.

    Starts from ``w`` (default zeros) and ``b``, visits the samples in order (or in a new
    random order each epoch with ``shuffle=True``) and stops after the first epoch with no
    mistake, or after ``num_epochs``.
    """
    X, y = _check_Xy(X, y)
    lr = positive_float(lr, "lr")
    num_epochs = positive_int(num_epochs, "num_epochs")
    w = np.zeros(X.shape[1]) if w is None else as_float_array(w, "w", ndim=1).copy()
    X, w, b = _check_wb(X, w, b)
    rng = make_rng(seed=seed)
    run = PerceptronRun(w=w, b=b)
    for epoch in range(1, num_epochs + 1):
        order = rng.permutation(len(y)) if shuffle else range(len(y))
        mistakes = 0
        for i in order:
            error = y[i] - float(X[i] @ w + b > 0)
            if error:
                w += lr * error * X[i]
                b += lr * error
                mistakes += 1
        run.mistakes.append(mistakes)
        run.accuracy.append(float(np.mean(perceptron(X, w, b).ravel() == y)))
        if mistakes == 0:
            run.converged_epoch = epoch
            break
    run.w, run.b = w, b
    return run


def mistake_bound(X, y, w, b) -> float:
    r"""Novikoff's bound on the mistakes of the learning rule, from a line that separates the data.

    Scale ``(w, b)`` so that every sample's weighted sum is at least 1 on its correct side,
    :math:`s^{(i)}(\mathbf{w}\cdot\mathbf{x}^{(i)} + b) \ge 1` with
    :math:`s^{(i)} = 2y^{(i)} - 1 = \pm 1`. Then the learning rule started from zero weights
    makes at most

    .. math::

        R^2\,\big(\lVert\mathbf{w}\rVert^2 + b^2\big), \qquad
        R^2 = \max_i \big(\lVert\mathbf{x}^{(i)}\rVert^2 + 1\big),

    mistakes (updates) in total, whatever the learning rate and the order of the samples
    (Novikoff, 1962; the bias counts as a weight on a constant input 1). Any separating
    ``(w, b)`` gives a valid bound; some give smaller ones than others.

    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> mistake_bound(X, [0, 0, 0, 1], w=[2, 2], b=-3)  # AND: R^2 = 3, |(w, b)|^2 = 17
    51.0
    """
    X, y = _check_Xy(X, y)
    X, w, b = _check_wb(X, w, b)
    signed = (2 * y - 1) * (X @ w + b)      # > 0 exactly where (w, b) is right, off the line
    if not np.all(signed > 0):
        i = int(np.argmin(signed))
        raise ValueError(f"(w, b) must separate the samples with none on the line; sample {i} "
                         f"has label {y[i]:g} and w·x + b = {X[i] @ w + b:g}")
    scale = float(np.min(signed))           # divide (w, b) by it: the closest sum becomes 1
    R2 = float(np.max(np.sum(X**2, axis=1) + 1.0))
    return R2 * float(w @ w + b * b) / scale**2

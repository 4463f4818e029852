r"""Two-parameter loss surfaces and the paths optimizers take on them.

Chapters 5 and 6 watch gradient descent and its variants move a point
:math:`\theta = (\theta_1, \theta_2)` over a surface :math:`L(\theta)`. Each surface here has
``value(theta)`` and ``gradient(theta)`` (``theta`` of shape ``(2,)``, or ``(k, 2)`` for
``value`` so a contour plot can evaluate a whole grid), a ``minimum`` (None for the saddle),
and a default view (``xlim``, ``ylim``) for :func:`nnlib.plotting.surface_paths`.
:class:`LinearRegressionMSE` is the loss of a line fitted to data, a surface over ``(w, b)``.

:func:`trajectory` runs any :mod:`nnlib.optimizers` optimizer on a surface and returns the
visited points.

>>> import numpy as np, nnlib as nn
>>> ravine = nn.surfaces.Quadratic(curvatures=(1.0, 20.0))
>>> path = nn.surfaces.trajectory(nn.optimizers.SGD(lr=0.05), ravine, start=(-4.0, 1.0), num_steps=3)
>>> path.shape
(4, 2)
"""

from __future__ import annotations

import numpy as np

from ._registry import Registry
from ._validate import as_float_array, positive_float, positive_int, real


class Surface:
    """A differentiable function of two parameters."""

    name = "surface"
    minimum: tuple[float, float] | None = None
    xlim = (-2.0, 2.0)
    ylim = (-2.0, 2.0)

    def value(self, theta) -> np.ndarray | float:
        """:math:`L(\\theta)` for ``theta`` of shape ``(2,)`` (a float) or ``(k, 2)`` (k values)."""
        t = np.asarray(theta, dtype=float)
        if t.shape[-1:] != (2,) or t.ndim > 2:
            raise ValueError(f"theta must have shape (2,) or (k, 2), got shape {t.shape}")
        out = self._value(t[..., 0], t[..., 1])
        return float(out) if t.ndim == 1 else out

    def gradient(self, theta) -> np.ndarray:
        """:math:`\\nabla L(\\theta)`, shape ``(2,)``."""
        t = as_float_array(theta, "theta", ndim=1, finite=False)
        if t.shape != (2,):
            raise ValueError(f"theta must have shape (2,), got shape {t.shape}")
        return np.array(self._gradient(t[0], t[1]), dtype=float)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Quadratic(Surface):
    r"""The bowl :math:`L = \tfrac12 (a\,\theta_1^2 + b\,\theta_2^2)`, minimum at the origin.

    The curvatures ``(a, b)`` are the Hessian's eigenvalues. Plain gradient descent converges
    iff :math:`\eta < 2 / \max(a, b)`; a large ratio :math:`\max/\min` (the condition number)
    makes a long narrow valley, the "ravine" in which SGD zig-zags.
    """

    name = "quadratic"
    minimum = (0.0, 0.0)
    xlim = (-5.0, 5.0)
    ylim = (-3.0, 3.0)

    def __init__(self, curvatures=(1.0, 10.0)):
        a, b = curvatures
        self.curvatures = (positive_float(a, "curvatures[0]"), positive_float(b, "curvatures[1]"))

    @property
    def condition_number(self) -> float:
        return max(self.curvatures) / min(self.curvatures)

    def _value(self, x, y):
        a, b = self.curvatures
        return 0.5 * (a * x**2 + b * y**2)

    def _gradient(self, x, y):
        a, b = self.curvatures
        return a * x, b * y

    def __repr__(self) -> str:
        return f"Quadratic(curvatures={self.curvatures})"


class Rosenbrock(Surface):
    r"""Rosenbrock's banana :math:`L = (a - \theta_1)^2 + b(\theta_2 - \theta_1^2)^2`.

    Minimum 0 at :math:`(a, a^2)` at the end of a curved, nearly flat valley.
    """

    name = "rosenbrock"
    xlim = (-2.0, 2.0)
    ylim = (-1.0, 3.0)

    def __init__(self, a: float = 1.0, b: float = 100.0):
        self.a = float(a)
        self.b = positive_float(b, "b")
        self.minimum = (self.a, self.a**2)

    def _value(self, x, y):
        return (self.a - x) ** 2 + self.b * (y - x**2) ** 2

    def _gradient(self, x, y):
        return (-2 * (self.a - x) - 4 * self.b * x * (y - x**2), 2 * self.b * (y - x**2))


class Saddle(Surface):
    r"""The saddle :math:`L = \tfrac12(\theta_1^2 - \theta_2^2)`: a minimum along
    :math:`\theta_1`, a maximum along :math:`\theta_2`, a zero gradient at the origin.

    On the ridge :math:`\theta_2 = 0` the gradient has no :math:`\theta_2` component, so plain
    gradient descent started there slides to the saddle point and stops; any perturbation in
    :math:`\theta_2` grows by a factor :math:`1 + \eta` per step and escapes. The surface has no
    minimum (it is unbounded below), so ``minimum`` is None.
    """

    name = "saddle"
    minimum = None
    xlim = (-2.0, 2.0)
    ylim = (-2.0, 2.0)

    def _value(self, x, y):
        return 0.5 * (x**2 - y**2)

    def _gradient(self, x, y):
        return x, -y


class Ravine(Quadratic):
    """The ill-conditioned bowl of chapter 6: the quadratic with curvatures (1, 20)."""

    name = "ravine"

    def __init__(self, curvatures=(1.0, 20.0)):
        super().__init__(curvatures)


class RotatedRavine(Quadratic):
    r"""The ravine turned by ``angle`` degrees: :math:`L = \tfrac12\,\theta^\top H \theta` with
    :math:`H = R\,\mathrm{diag}(h_1, h_2)\,R^\top` and :math:`R` the rotation by ``angle``.

    Same curvatures (eigenvalues of :math:`H`) and condition number as :class:`Ravine`, but
    the steep and flat directions are no longer the coordinate axes. Methods that move in the
    gradient's direction (SGD, Momentum, Nesterov) take exactly the rotated path of the
    ravine; methods that scale each coordinate separately (Adagrad, RMSprop, Adam) do not.

    >>> s = RotatedRavine(angle=90.0)
    >>> np.abs(s.gradient((1.0, 0.0))).round(12)  # the steep direction now lies along theta_1
    array([20.,  0.])
    """

    name = "rotated ravine"
    xlim = (-5.0, 5.0)
    ylim = (-4.0, 4.0)

    def __init__(self, curvatures=(1.0, 20.0), angle: float = 45.0):
        super().__init__(curvatures)
        self.angle = real(angle, "angle")
        a = np.deg2rad(self.angle)
        #: The rotation matrix R: ``R @ point`` turns a point of the ravine into this surface.
        self.rotation = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        self.hessian = self.rotation @ np.diag(self.curvatures) @ self.rotation.T

    def _value(self, x, y):
        H = self.hessian
        return 0.5 * (H[0, 0] * x**2 + 2 * H[0, 1] * x * y + H[1, 1] * y**2)

    def _gradient(self, x, y):
        H = self.hessian
        return H[0, 0] * x + H[0, 1] * y, H[1, 0] * x + H[1, 1] * y

    def __repr__(self) -> str:
        return f"RotatedRavine(curvatures={self.curvatures}, angle={self.angle})"


class LinearRegressionMSE(Surface):
    r"""The mean squared error of the line :math:`\hat{y} = w x + b` on data ``(X, y)``, as a
    surface over :math:`\theta = (w, b)`:

    .. math:: \mathcal{L}(w, b) = \frac{1}{m} \sum_{i=1}^{m} \big(w x^{(i)} + b - y^{(i)}\big)^2 .

    A quadratic whose Hessian :math:`\tfrac{2}{m}\tilde{X}^\top\tilde{X}` (with
    :math:`\tilde{X} = [X, \mathbf{1}]`) is the same everywhere; ``minimum`` is the
    least-squares :math:`(w, b)`. The default view is a square centred on the minimum that
    holds the origin, so paths started at :math:`(0, 0)` show; ``xlim``/``ylim`` override it.
    Chapter 5 draws it for raw and for standardized house sizes.

    >>> import numpy as np, nnlib as nn
    >>> surface = nn.surfaces.LinearRegressionMSE(np.array([[0.0], [1.0], [2.0]]), np.array([1.0, 3.0, 5.0]))
    >>> np.round(surface.minimum, 6).tolist(), surface.value((2.0, 1.0))
    ([2.0, 1.0], 0.0)
    """

    name = "linear-regression MSE"

    def __init__(self, X, y, xlim=None, ylim=None):
        x = as_float_array(X, "X", ndim=None)
        target = as_float_array(y, "y", ndim=None)
        if x.ndim == 2 and x.shape[1] == 1:
            x = x[:, 0]
        if target.ndim == 2 and target.shape[1] == 1:
            target = target[:, 0]
        if x.ndim != 1:
            raise ValueError(f"X must have one feature, shape (m,) or (m, 1), got shape {x.shape}")
        if target.shape != x.shape:
            raise ValueError(f"y must have one value per sample, shape ({len(x)},) or "
                             f"({len(x)}, 1), got shape {np.shape(y)}")
        if np.ptp(x) == 0:
            raise ValueError("X must take at least two different values, or (w, b) has no "
                             "unique minimum")
        self.x, self.y = x, target
        A = np.column_stack([x, np.ones_like(x)])
        self.hessian = 2.0 / len(x) * A.T @ A
        w, b = (float(v) for v in np.linalg.lstsq(A, target, rcond=None)[0])
        self.minimum = (w, b)
        half = 1.25 * max(abs(w), abs(b), 1.0)
        self.xlim = tuple(map(float, xlim)) if xlim is not None else (w - half, w + half)
        self.ylim = tuple(map(float, ylim)) if ylim is not None else (b - half, b + half)

    def _value(self, w, b):
        residual = np.multiply.outer(w, self.x) + np.asarray(b)[..., None] - self.y
        return np.mean(residual ** 2, axis=-1)

    def _gradient(self, w, b):
        residual = w * self.x + b - self.y
        return 2 * np.mean(residual * self.x), 2 * np.mean(residual)

    def __repr__(self) -> str:
        return f"LinearRegressionMSE(m={len(self.x)}, minimum={self.minimum})"


_REGISTRY = Registry("surface", Surface)
_REGISTRY.register("quadratic")(Quadratic)
_REGISTRY.register("ravine")(Ravine)
_REGISTRY.register("rosenbrock")(Rosenbrock)
_REGISTRY.register("saddle")(Saddle)
_REGISTRY.register("rotated_ravine")(RotatedRavine)


def get(identifier, **kwargs) -> Surface:
    """A surface by name (``"quadratic"``, ``"ravine"``, ``"rosenbrock"``, ``"saddle"``,
    ``"rotated ravine"``), an instance, or a subclass."""
    return _REGISTRY.get(identifier, **kwargs)


def trajectory(optimizer, surface, start, num_steps: int) -> np.ndarray:
    """Run ``optimizer`` for ``num_steps`` steps on ``surface`` from ``start``.

    Returns the visited points, shape ``(num_steps + 1, 2)``, starting with ``start``. The
    optimizer is reset first, so one instance can draw several paths. A path that overflows
    (a learning rate too large) stops at its last finite point rather than filling the plot
    with infinities: the returned array is then shorter than ``num_steps + 1``.
    """
    from . import optimizers

    surface = get(surface)
    opt = optimizers.get(optimizer) if isinstance(optimizer, str) else optimizer
    num_steps = positive_int(num_steps, "num_steps")
    theta = as_float_array(start, "start", ndim=1).copy()
    if theta.shape != (2,):
        raise ValueError(f"start must be a point (theta1, theta2), got shape {theta.shape}")
    opt.reset()
    path = [theta.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(num_steps):
            opt.step([theta], [surface.gradient(theta)])
            if not np.all(np.isfinite(theta)) or np.abs(theta).max() > 1e150:
                break
            path.append(theta.copy())
    return np.array(path)

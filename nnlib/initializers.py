r"""Weight initializers: ``init(shape, rng)`` returns a new float64 array of ``shape``.

For a weight matrix of shape ``(n_in, n_out)`` (rows-are-samples convention, ``Z = X W + b``)
the fan-in is ``n_in`` and the fan-out ``n_out``.

==================  ======================================================  ======================
name                distribution                                            reference
==================  ======================================================  ======================
``zeros``           all 0 (hidden units stay identical: symmetry)
``constant``        all ``value``
``normal``          :math:`N(0, \mathrm{std}^2)`, default std 0.01
``uniform``         :math:`U(-r, r)`, default :math:`r = 0.05`
``lecun_normal``    :math:`N(0, 1/n_{in})`                                  LeCun et al. (1998)
``lecun_uniform``   :math:`U(\pm\sqrt{3/n_{in}})`                           LeCun et al. (1998)
``xavier_normal``   :math:`N(0, \mathrm{gain}^2 \cdot 2/(n_{in}+n_{out}))`  Glorot & Bengio (2010)
``xavier_uniform``  :math:`U(\pm\mathrm{gain}\sqrt{6/(n_{in}+n_{out})})`    Glorot & Bengio (2010)
``he_normal``       :math:`N(0, 2/n_{in})`                                  He et al. (2015)
``he_uniform``      :math:`U(\pm\sqrt{6/n_{in}})`                           He et al. (2015)
``orthogonal``      gain times a random matrix with orthonormal columns     Saxe et al. (2014)
                    (or rows): every singular value equals gain
==================  ======================================================  ======================

A uniform :math:`U(-r, r)` has variance :math:`r^2/3`, so the uniform form of a variance
:math:`v` has the limit :math:`r = \sqrt{3v}`.

>>> import numpy as np, nnlib as nn
>>> W = nn.initializers.get("he_normal")((512, 256), np.random.default_rng(0))
>>> round(float(W.var() * 512), 1)
2.0
"""

from __future__ import annotations

import numpy as np

from ._registry import Registry
from ._validate import as_float_array, as_rng, positive_float, positive_int, real


def _check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not shape:
        raise TypeError(f"shape must be a tuple of positive integers, got {shape!r}")
    return tuple(positive_int(n, "each dimension of shape") for n in shape)


def fans(shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight shape: ``(n_in, n_out)``; a 1-D shape has both = n."""
    shape = _check_shape(shape)
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    raise ValueError(f"fan-based initializers expect a 1-D or 2-D shape, got {shape}")


class Initializer:
    """Base class: ``__call__(shape, rng)`` checks its arguments and calls ``_sample``."""

    def __call__(self, shape, rng=None) -> np.ndarray:
        """Sample an array of ``shape`` with ``rng`` (a Generator or an integer seed)."""
        shape = _check_shape(shape)
        return self._sample(shape, as_rng(rng))

    def _sample(self, shape, rng):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"


registry = Registry("initializer", Initializer)


class FromFunction(Initializer):
    """An initializer made from a plain function ``fn(shape, rng) -> array`` (such as the
    ones written in chapter 7's exercises); its result is checked for shape and finiteness."""

    def __init__(self, fn):
        self.fn = fn

    def _sample(self, shape, rng):
        name = getattr(self.fn, "__name__", "the initializer function")
        W = as_float_array(self.fn(shape, rng), f"the array returned by {name}", ndim=None)
        if W.shape != shape:
            raise ValueError(f"{name}{shape} must return an array of shape {shape}, "
                             f"got shape {W.shape}")
        return W


def get(identifier, **kwargs) -> Initializer:
    """Return an initializer from a name, an instance, a subclass, or a function
    ``fn(shape, rng)`` returning an array of ``shape``."""
    if callable(identifier) and not isinstance(identifier, (type, Initializer)) and not kwargs:
        return FromFunction(identifier)
    return registry.get(identifier, **kwargs)


def names() -> list[str]:
    """The registered initializer names."""
    return registry.names


@registry.register("zeros", "zero")
class Zeros(Initializer):
    """All zeros."""

    def _sample(self, shape, rng):
        return np.zeros(shape)


@registry.register("constant")
class Constant(Initializer):
    """Every entry equal to ``value``."""

    def __init__(self, value: float = 0.1):
        self.value = real(value, "value")

    def _sample(self, shape, rng):
        return np.full(shape, self.value)


@registry.register("normal", "random_normal")
class Normal(Initializer):
    r""":math:`N(0, \mathrm{std}^2)` (the "small random numbers" of the DLS notes: 0.01)."""

    def __init__(self, std: float = 0.01):
        self.std = positive_float(std, "std")

    def _sample(self, shape, rng):
        return rng.normal(0.0, self.std, size=shape)


@registry.register("uniform", "random_uniform")
class Uniform(Initializer):
    r""":math:`U(-r, r)` with :math:`r` = ``limit``."""

    def __init__(self, limit: float = 0.05):
        self.limit = positive_float(limit, "limit")

    def _sample(self, shape, rng):
        return rng.uniform(-self.limit, self.limit, size=shape)


@registry.register("lecun_normal")
class LeCunNormal(Initializer):
    r""":math:`N(0, 1/n_{in})`: keeps the forward variance level for units with slope 1 at 0
    (the forward half of Xavier's two conditions; LeCun et al., 1998). Keras pairs it with
    SELU units; its ``lecun_normal`` truncates the normal at two standard deviations, ours
    does not."""

    def _sample(self, shape, rng):
        fan_in, _ = fans(shape)
        return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=shape)


@registry.register("lecun_uniform")
class LeCunUniform(Initializer):
    r""":math:`U(-r, r)` with :math:`r = \sqrt{3 / n_{in}}` (variance :math:`1/n_{in}`)."""

    def _sample(self, shape, rng):
        fan_in, _ = fans(shape)
        limit = np.sqrt(3.0 / fan_in)
        return rng.uniform(-limit, limit, size=shape)


@registry.register("xavier_normal", "glorot_normal")
class XavierNormal(Initializer):
    r""":math:`N(0, \mathrm{gain}^2 \cdot 2 / (n_{in} + n_{out}))`. With ``gain=1`` (the
    default) it keeps the variance of activations (forward) and gradients (backward) level for
    units with slope 1 at 0 and outputs of mean 0, such as tanh. For an activation whose slope
    at 0 is :math:`g'(0)` the same derivation gives ``gain = 1 / g'(0)``, e.g. 4 for the
    sigmoid (see :func:`nnlib.layers.default_init`)."""

    def __init__(self, gain: float = 1.0):
        self.gain = positive_float(gain, "gain")

    def _sample(self, shape, rng):
        fan_in, fan_out = fans(shape)
        return rng.normal(0.0, self.gain * np.sqrt(2.0 / (fan_in + fan_out)), size=shape)


@registry.register("xavier_uniform", "glorot_uniform")
class XavierUniform(Initializer):
    r""":math:`U(-r, r)` with :math:`r = \mathrm{gain} \sqrt{6 / (n_{in} + n_{out})}` (same
    variance as ``xavier_normal``, since :math:`\mathrm{Var}\,U(-r, r) = r^2/3`)."""

    def __init__(self, gain: float = 1.0):
        self.gain = positive_float(gain, "gain")

    def _sample(self, shape, rng):
        fan_in, fan_out = fans(shape)
        limit = self.gain * np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=shape)


@registry.register("he_normal", "kaiming_normal")
class HeNormal(Initializer):
    r""":math:`N(0, 2/n_{in})`: ReLU zeroes half its inputs, so the variance is doubled."""

    def _sample(self, shape, rng):
        fan_in, _ = fans(shape)
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


@registry.register("he_uniform", "kaiming_uniform")
class HeUniform(Initializer):
    r""":math:`U(-r, r)` with :math:`r = \sqrt{6 / n_{in}}` (variance :math:`2/n_{in}`)."""

    def _sample(self, shape, rng):
        fan_in, _ = fans(shape)
        limit = np.sqrt(6.0 / fan_in)
        return rng.uniform(-limit, limit, size=shape)


@registry.register("orthogonal")
class Orthogonal(Initializer):
    r"""``gain`` times a random matrix with orthonormal columns (``n_in >= n_out``) or rows
    (``n_in < n_out``), drawn uniformly among such matrices (Saxe et al., 2014).

    All singular values equal ``gain``: with ``n_in <= n_out`` a linear layer keeps the length
    of every input row exactly, :math:`\lVert x W \rVert = \mathrm{gain}\,\lVert x \rVert`,
    not only on average. Each entry has variance :math:`\mathrm{gain}^2 / \max(n_{in},
    n_{out})`. ``gain = sqrt(2)`` is the usual choice for ReLU units. Only 2-D shapes.
    """

    def __init__(self, gain: float = 1.0):
        self.gain = positive_float(gain, "gain")

    def _sample(self, shape, rng):
        if len(shape) != 2:
            raise ValueError(f"orthogonal expects a 2-D shape (n_in, n_out), got {shape}")
        n_in, n_out = shape
        A = rng.normal(size=(max(n_in, n_out), min(n_in, n_out)))
        Q, R = np.linalg.qr(A)  # Q: orthonormal columns
        # Without this sign fix the QR of numpy would favour some directions (Mezzadri, 2007).
        Q = Q * np.where(np.diag(R) < 0, -1.0, 1.0)
        return self.gain * (Q if n_in >= n_out else Q.T)

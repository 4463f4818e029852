r"""Weight initializers: ``init(shape, rng)`` returns a new float64 array of ``shape``.

For a weight matrix of shape ``(n_in, n_out)`` (rows-are-samples convention, ``Z = X W + b``)
the fan-in is ``n_in`` and the fan-out ``n_out``.

=================  =====================================================  ==========================
name               distribution                                            reference
=================  =====================================================  ==========================
``zeros``          all 0 (hidden units stay identical: symmetry)
``constant``       all ``value``
``normal``         :math:`N(0, \sigma^2)`, default :math:`\sigma = 0.01`
``uniform``        :math:`U(-a, a)`, default :math:`a = 0.05`
``xavier_normal``  :math:`N(0, 2/(n_{in}+n_{out}))`                         Glorot & Bengio (2010)
``xavier_uniform`` :math:`U(\pm\sqrt{6/(n_{in}+n_{out})})`                   Glorot & Bengio (2010)
``he_normal``      :math:`N(0, 2/n_{in})`                                   He et al. (2015)
``he_uniform``     :math:`U(\pm\sqrt{6/n_{in}})`                              He et al. (2015)
=================  =====================================================  ==========================

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
    r""":math:`U(-\mathrm{limit}, \mathrm{limit})`."""

    def __init__(self, limit: float = 0.05):
        self.limit = positive_float(limit, "limit")

    def _sample(self, shape, rng):
        return rng.uniform(-self.limit, self.limit, size=shape)


@registry.register("xavier_normal", "glorot_normal")
class XavierNormal(Initializer):
    r""":math:`N(0, \sigma^2)` with :math:`\sigma^2 = 2 / (n_{in} + n_{out})`: keeps the variance
    of activations (forward) and gradients (backward) level for tanh-like units."""

    def _sample(self, shape, rng):
        fan_in, fan_out = fans(shape)
        return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape)


@registry.register("xavier_uniform", "glorot_uniform")
class XavierUniform(Initializer):
    r""":math:`U(-a, a)` with :math:`a = \sqrt{6 / (n_{in} + n_{out})}` (same variance as
    ``xavier_normal``, since :math:`\mathrm{Var}\,U(-a, a) = a^2/3`)."""

    def _sample(self, shape, rng):
        fan_in, fan_out = fans(shape)
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=shape)


@registry.register("he_normal", "kaiming_normal")
class HeNormal(Initializer):
    r""":math:`N(0, 2/n_{in})`: ReLU zeroes half its inputs, so the variance is doubled."""

    def _sample(self, shape, rng):
        fan_in, _ = fans(shape)
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


@registry.register("he_uniform", "kaiming_uniform")
class HeUniform(Initializer):
    r""":math:`U(-a, a)` with :math:`a = \sqrt{6 / n_{in}}` (variance :math:`2/n_{in}`)."""

    def _sample(self, shape, rng):
        fan_in, _ = fans(shape)
        limit = np.sqrt(6.0 / fan_in)
        return rng.uniform(-limit, limit, size=shape)

r"""Optimizers: ``step(params, grads)`` updates each parameter array in place.

The formulas follow the PyTorch ``torch.optim`` documentation, with ``g`` the gradient taken
at the current parameters ``p`` and ``t`` the step count (from 1):

============  =========================================================================
SGD           :math:`p \leftarrow p - \eta g`
Momentum      :math:`v \leftarrow \mu v + g,\ p \leftarrow p - \eta v`
Nesterov      :math:`v \leftarrow \mu v + g,\ p \leftarrow p - \eta (g + \mu v)`
Adagrad       :math:`s \leftarrow s + g^2,\ p \leftarrow p - \eta g / (\sqrt{s} + \epsilon)`
RMSprop       :math:`s \leftarrow \rho s + (1-\rho) g^2,\ p \leftarrow p - \eta g / (\sqrt{s} + \epsilon)`
Adam          :math:`m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,`
              :math:`\hat m = m / (1-\beta_1^t),\ \hat v = v / (1-\beta_2^t),\ p \leftarrow p - \eta \hat m / (\sqrt{\hat v} + \epsilon)`
AdamW         :math:`p \leftarrow p - \eta \lambda p`, then Adam's step (decoupled weight decay)
============  =========================================================================

The lecture notes write some of these differently (momentum as :math:`v = \gamma v + \eta g`,
Nesterov with a look-ahead gradient at :math:`p - \gamma v`, :math:`\epsilon` inside the square
root, Adam without bias correction); chapter 6 shows how the forms relate.

>>> import numpy as np, nnlib as nn
>>> p = np.array([1.0]); nn.optimizers.SGD(lr=0.1).step([p], [np.array([2.0])]); p
array([0.8])
"""

from __future__ import annotations

import numpy as np

from ._registry import Registry
from ._validate import in_range, positive_float, real


class Optimizer:
    """Base class. State (velocities, squared-gradient sums) is kept per parameter array and
    created on the first ``step``; the optimizer then belongs to those arrays, and stepping
    other arrays raises until ``reset()`` forgets the state.

    An MLP keeps all its parameters as views of one flat array (see :func:`pack`). For an
    elementwise optimizer (every one here: each entry is updated on its own) ``step`` then
    runs ``_update`` once on that flat array instead of once per parameter: the same
    arithmetic on every entry, in a quarter of the numpy calls for a one-hidden-layer MLP.
    """

    #: True if ``_update`` treats every entry on its own (no sums or norms over an array), so
    #: that updating one flat array equals updating each parameter. A subclass whose
    #: ``_update`` is not elementwise must set it to False.
    elementwise = True

    def __init__(self, lr: float):
        self.lr = positive_float(lr, "lr")
        self.reset()

    def reset(self):
        """Forget the step count and all per-parameter state."""
        self.t = 0
        self.state: list[dict[str, np.ndarray]] = []
        self._owner: tuple[int, ...] = ()
        self._flat = self._flat_state = None

    def step(self, params, grads):
        """Update every array in ``params`` in place, using ``grads`` taken at ``params``."""
        self._check(params, grads)
        self.t += 1
        if self._flat is not None:  # all params are views of self._flat (see the class notes)
            self._update(self._flat, np.concatenate([g.ravel() for g in grads]), self._flat_state)
            return
        for p, g, state in zip(params, grads, self.state):
            self._update(p, g, state)

    def _check(self, params, grads):
        if not isinstance(params, (list, tuple)) or not isinstance(grads, (list, tuple)):
            raise TypeError(
                "params and grads must be lists of arrays, got "
                f"{type(params).__name__} and {type(grads).__name__}"
            )
        if len(params) != len(grads):
            raise ValueError(f"got {len(params)} params but {len(grads)} grads")
        # State belongs to particular arrays: a second model must not inherit the first's.
        owner = tuple(map(id, params))
        known = bool(self.state) and owner == self._owner and (
            self._flat is None or all(p.base is self._flat for p in params))  # ids can be reused
        for i, (p, g) in enumerate(zip(params, grads)):
            if not known and (not isinstance(p, np.ndarray) or p.dtype != np.float64):
                raise TypeError(
                    f"params[{i}] must be a float64 numpy array (it is updated in place), "
                    f"got {type(p).__name__}{'' if not isinstance(p, np.ndarray) else ' of dtype ' + str(p.dtype)}"
                )
            if not isinstance(g, np.ndarray):
                raise TypeError(f"grads[{i}] must be a numpy array, got {type(g).__name__}")
            if g.shape != p.shape:
                raise ValueError(f"grads[{i}] has shape {g.shape}, params[{i}] has {p.shape}")
        if known:
            return
        if self.state:
            raise ValueError(
                f"{type(self).__name__} was used with other parameters before; "
                "call reset() or create a new optimizer for a new model"
            )
        self._owner = owner
        self._flat = _shared_buffer(params) if self.elementwise and params else None
        if self._flat is None:
            self.state = [self._init_state(p) for p in params]
        else:  # one flat state; each parameter's state is a view of its part of it
            self._flat_state = self._init_state(self._flat)
            parts = {name: _views(s, params) for name, s in self._flat_state.items()}
            self.state = [{name: parts[name][i] for name in parts} for i in range(len(params))]

    def _init_state(self, p) -> dict[str, np.ndarray]:
        return {}

    def _update(self, p, g, state):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                           if k not in ("t", "state", "_owner", "_flat", "_flat_state"))
        return f"{type(self).__name__}({params})"


def pack(arrays) -> tuple[np.ndarray, list[np.ndarray]]:
    """Copy ``arrays`` into one flat float64 array; return it and views of it shaped like them.

    >>> flat, (W, b) = pack([np.ones((2, 2)), np.zeros(2)])
    >>> W[0, 0] = 5.0; flat
    array([5., 1., 1., 1., 0., 0.])
    """
    flat = np.concatenate([np.ravel(a) for a in arrays]).astype(np.float64, copy=False)
    return flat, _views(flat, arrays)


def _views(flat, like) -> list[np.ndarray]:
    """Consecutive views of the 1-D ``flat``, shaped like the arrays in ``like``."""
    views, start = [], 0
    for a in like:
        views.append(flat[start:start + a.size].reshape(a.shape))
        start += a.size
    return views


def _shared_buffer(params):
    """The flat array that ``params`` are consecutive views of, in order (as from :func:`pack`),
    or None."""
    base = params[0].base
    if not isinstance(base, np.ndarray) or base.ndim != 1 or not base.flags.c_contiguous:
        return None
    address = base.ctypes.data
    for p in params:
        if p.base is not base or not p.flags.c_contiguous or p.ctypes.data != address:
            return None
        address += p.nbytes
    return base if address == base.ctypes.data + base.nbytes else None


registry = Registry("optimizer", Optimizer)


def get(identifier, **kwargs) -> Optimizer:
    """Return an optimizer from a name (``"adam"``, with keyword options), an instance or a class.

    >>> get("momentum", lr=0.1, nesterov=True)
    Momentum(lr=0.1, momentum=0.9, nesterov=True)
    """
    return registry.get(identifier, **kwargs)


def names() -> list[str]:
    """The registered optimizer names."""
    return registry.names


@registry.register("sgd", "gd")
class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent :math:`p \leftarrow p - \eta g`."""

    def __init__(self, lr: float = 0.01):
        super().__init__(lr)

    def _update(self, p, g, state):
        p -= self.lr * g


@registry.register("momentum")
class Momentum(Optimizer):
    r"""SGD with momentum (Polyak, 1964): :math:`v \leftarrow \mu v + g`, :math:`p \leftarrow p - \eta v`.

    With ``nesterov=True`` (Sutskever et al., 2013, in the form PyTorch and Keras use) the step
    is :math:`p \leftarrow p - \eta(g + \mu v)`, which equals the look-ahead Nesterov method
    written in shifted variables. The notes' :math:`v = \gamma v + \eta g` is this ``v``
    multiplied by :math:`\eta` (identical iterates for a constant learning rate).
    """

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, nesterov: bool = False):
        super().__init__(lr)
        self.momentum = in_range(momentum, "momentum", 0.0, 1.0)
        if not isinstance(nesterov, (bool, np.bool_)):
            raise TypeError(f"nesterov must be True or False, got {nesterov!r}")
        self.nesterov = bool(nesterov)

    def _init_state(self, p):
        return {"v": np.zeros_like(p)}

    def _update(self, p, g, state):
        v = state["v"]
        v *= self.momentum
        v += g
        p -= self.lr * (g + self.momentum * v if self.nesterov else v)


@registry.register("nesterov")
class Nesterov(Momentum):
    """``Momentum(..., nesterov=True)`` under its own name."""

    def __init__(self, lr: float = 0.01, momentum: float = 0.9):
        super().__init__(lr, momentum, nesterov=True)


@registry.register("adagrad")
class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al., 2011): :math:`s \leftarrow s + g^2`,
    :math:`p \leftarrow p - \eta g / (\sqrt{s} + \epsilon)` (epsilon outside the root)."""

    def __init__(self, lr: float = 0.01, eps: float = 1e-10):
        super().__init__(lr)
        self.eps = positive_float(eps, "eps")

    def _init_state(self, p):
        return {"s": np.zeros_like(p)}

    def _update(self, p, g, state):
        s = state["s"]
        s += g * g
        p -= self.lr * g / (np.sqrt(s) + self.eps)


@registry.register("rmsprop")
class RMSprop(Optimizer):
    r"""RMSprop (Tieleman & Hinton, 2012): :math:`s \leftarrow \rho s + (1 - \rho) g^2`,
    :math:`p \leftarrow p - \eta g / (\sqrt{s} + \epsilon)`."""

    def __init__(self, lr: float = 0.01, rho: float = 0.99, eps: float = 1e-8):
        super().__init__(lr)
        self.rho = in_range(rho, "rho", 0.0, 1.0)
        self.eps = positive_float(eps, "eps")

    def _init_state(self, p):
        return {"s": np.zeros_like(p)}

    def _update(self, p, g, state):
        s = state["s"]
        s *= self.rho
        s += (1.0 - self.rho) * g * g
        p -= self.lr * g / (np.sqrt(s) + self.eps)


@registry.register("adam")
class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015) with bias correction.

    :math:`m` and :math:`v` start at 0, so early averages are biased towards 0; dividing by
    :math:`1 - \beta^t` removes that bias (at :math:`t = 1`, :math:`\hat m = g` exactly).
    """

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8):
        super().__init__(lr)
        self.beta1 = in_range(beta1, "beta1", 0.0, 1.0)
        self.beta2 = in_range(beta2, "beta2", 0.0, 1.0)
        self.eps = positive_float(eps, "eps")

    def _init_state(self, p):
        return {"m": np.zeros_like(p), "v": np.zeros_like(p)}

    def _update(self, p, g, state):
        m, v = state["m"], state["v"]
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        m_hat = m / (1.0 - self.beta1 ** self.t)
        v_hat = v / (1.0 - self.beta2 ** self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


@registry.register("adamw")
class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as PyTorch's ``AdamW``.

    Each step first shrinks the parameters, :math:`p \leftarrow p - \eta\lambda p`, then
    takes Adam's step on the loss gradient alone; together
    :math:`p \leftarrow p - \eta\,\big(\hat m / (\sqrt{\hat v} + \epsilon) + \lambda p\big)`
    with the old :math:`p` (Adam's step does not depend on :math:`p`).

    Adding the L2 gradient :math:`\lambda p` to ``g`` instead (``fit(..., l2=)`` with Adam)
    sends the decay through the division by :math:`\sqrt{\hat v}`: entries with large
    gradients are then hardly decayed. Here every entry shrinks by the factor
    :math:`1 - \eta\lambda` per step whatever its gradients. The decay applies to every array
    passed to :meth:`step` (weights and biases, as in PyTorch).
    ``weight_decay=0`` is exactly :class:`Adam`.
    """

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.01):
        super().__init__(lr, beta1, beta2, eps)
        self.weight_decay = real(weight_decay, "weight_decay")
        if self.weight_decay < 0:
            raise ValueError(f"weight_decay must be >= 0, got weight_decay={weight_decay!r}")

    def _update(self, p, g, state):
        p *= 1.0 - self.lr * self.weight_decay  # decoupled: not divided by sqrt(v_hat)
        super()._update(p, g, state)

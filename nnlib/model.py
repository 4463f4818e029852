r"""The multi-layer perceptron: a stack of :class:`~nnlib.layers.Dense` layers.

.. math::

    A^{[0]} = X, \quad Z^{[l]} = A^{[l-1]} W^{[l]} + b^{[l]}, \quad A^{[l]} = g^{[l]}(Z^{[l]}),
    \quad \hat{y} = A^{[L]}

Backward, from :math:`dA^{[L]} = \partial L / \partial \hat{y}` down to layer 1:

.. math::

    dZ^{[l]} = dA^{[l]} \odot g^{[l]\prime}(Z^{[l]}), \quad dW^{[l]} = A^{[l-1]\top} dZ^{[l]},
    \quad db^{[l]} = \textstyle\sum_i dZ^{[l]}_{i,:}, \quad dA^{[l-1]} = dZ^{[l]} W^{[l]\top}

With a sigmoid output and binary cross-entropy, or a softmax output and cross-entropy, the
first step is fused: :math:`dZ^{[L]} = (\hat{y} - y)/m`.
"""

from __future__ import annotations

import numpy as np

from . import activations, losses, optimizers
from ._validate import as_float_array, make_rng, positive_int, real
from .layers import Dense


def _per_layer(value, count, name, per="layer"):
    """A list of ``count`` settings from one shared value or a list of ``count`` values."""
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            raise ValueError(f"{name} must have one entry per {per} ({count}), got {len(value)}")
        return list(value)
    return [value] * count


class MLP:
    """Fully-connected feed-forward network :math:`F^{(L)} \\circ \\dots \\circ F^{(1)}`.

    Parameters
    ----------
    sizes : list of int
        Units per layer including input and output, e.g. ``[2, 6, 6, 1]``.
    activation : str, Activation or list
        Hidden activation: one shared, or one per hidden layer.
    output : str or Activation
        Output activation: ``"identity"`` (regression), ``"sigmoid"``, ``"softmax"``, ...
    init : str, Initializer, list or None
        Weight initializer, shared or per layer; None picks He for ReLU-like units and
        Xavier otherwise.
    seed, rng
        Seed or ``numpy.random.Generator`` for the initial weights (default seed 0).

    Examples
    --------
    >>> import nnlib as nn
    >>> X, y = nn.datasets.xor()
    >>> model = nn.MLP([2, 4, 1], activation="tanh", output="sigmoid", seed=0)
    >>> history = model.fit(X, y, loss="bce", optimizer=nn.optimizers.Adam(lr=0.05), num_epochs=500)
    >>> model.predict(X).ravel().tolist()
    [0, 1, 1, 0]
    """

    def __init__(self, sizes, activation="relu", output="identity", init=None, seed=None,
                 rng=None):
        if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
            raise ValueError(
                f"sizes must list at least an input and an output size, e.g. [2, 4, 1], got {sizes!r}"
            )
        sizes = [positive_int(n, "each entry of sizes") for n in sizes]
        n_layers = len(sizes) - 1
        hidden = _per_layer(activation, n_layers - 1, "activation", per="hidden layer")
        inits = _per_layer(init, n_layers, "init")
        rng = make_rng(rng, seed)
        self.layers = [
            Dense(n_in, n_out, activation=act, init=ini, rng=rng)
            for n_in, n_out, act, ini in zip(sizes[:-1], sizes[1:], hidden + [output], inits)
        ]
        # Every W and b becomes a view of one flat array, so that an optimizer updates them
        # all with one set of numpy calls (see nnlib.optimizers.Optimizer).
        _, views = optimizers.pack(self.params)
        for layer, W, b in zip(self.layers, views[0::2], views[1::2]):
            layer.W, layer.b = W, b

    # Forward and backward --------------------------------------------------------------
    def forward(self, X) -> np.ndarray:
        """Return :math:`\\hat{y}` of shape ``(m, n_outputs)``; every layer caches Z and A."""
        return self._forward(self._check_X(X))

    def backward(self, dy_hat) -> np.ndarray:
        """Back-propagate :math:`\\partial L/\\partial \\hat{y}`; fills ``grads``, returns ``dX``."""
        out = self.layers[-1]
        if out.A is None:
            raise RuntimeError("call forward before backward")
        dy_hat = as_float_array(dy_hat, "dy_hat", ndim=2)
        if dy_hat.shape != out.A.shape:
            raise ValueError(f"expected dy_hat of shape {out.A.shape} (like y_hat), got {dy_hat.shape}")
        return self._backward(dy_hat, need_dX=True)

    def activations(self, X) -> list[np.ndarray]:
        """``[A1, A2, ..., AL]``: every layer's output for ``X`` (the last is :math:`\\hat{y}`)."""
        self.forward(X)
        return [layer.A for layer in self.layers]

    def _forward(self, X, masks=None):
        A = X
        for i, layer in enumerate(self.layers):
            A = layer._forward(A)
            if masks is not None and i < len(masks):  # dropout: the next layer sees A * M
                A = A * masks[i]
        return A

    def _backward(self, dA, from_Z=False, need_dX=False, masks=None):
        last = len(self.layers) - 1
        for i in range(last, -1, -1):
            layer = self.layers[i]
            if i == last and from_Z:
                dA = layer._backward_from_Z(dA, need_dX=i > 0 or need_dX)
            else:
                dA = layer._backward(dA, need_dX=i > 0 or need_dX)
            if masks is not None and i > 0:  # the same mask on the way back
                dA = dA * masks[i - 1]
        return dA

    # Loss ------------------------------------------------------------------------------
    def loss(self, X, y, loss="mse", l2: float = 0.0) -> float:
        """The mean loss on ``(X, y)`` plus :math:`\\frac{\\lambda}{2}\\sum_l \\lVert W^{[l]}\\rVert^2`."""
        loss = losses.get(loss)
        X, y = self._check_Xy(X, y, loss)
        l2 = self._check_l2(l2)
        return self._loss(X, y, loss) + self._penalty(l2)

    def loss_and_grads(self, X, y, loss="mse", l2: float = 0.0, masks=None) -> float:
        """Forward and backward in one go: return the loss and fill ``grads``.

        Uses the fused output gradient :math:`dZ^{[L]} = (\\hat{y} - y)/m` for sigmoid + BCE
        and softmax + cross-entropy. ``masks`` (optional) are dropout masks, one array of
        shape ``(m, n^{[l]})`` per hidden layer (see :func:`nnlib.layers.dropout_mask`):
        hidden layer ``l``'s activations are multiplied by ``masks[l - 1]`` in the forward
        pass, and its gradient by the same mask in the backward pass. ``fit(dropout=...)``
        draws them; without masks nothing is dropped.
        """
        loss = losses.get(loss)
        X, y = self._check_Xy(X, y, loss)
        l2 = self._check_l2(l2)
        masks = self._check_masks(masks, X.shape[0])
        return self._loss_and_grads(X, y, loss, l2, masks) + self._penalty(l2)

    def _fused(self, loss) -> bool:
        return loss.fused_with is not None and isinstance(self.layers[-1].activation, loss.fused_with)

    def _loss(self, X, y, loss):
        """Data loss (no penalty) on checked arrays."""
        y_hat = self._forward(X)
        if self._fused(loss):
            return loss._from_logits(self.layers[-1].Z, y)[0]
        return loss._forward(y_hat, y)

    def _loss_and_grads(self, X, y, loss, l2=0.0, masks=None):
        """Data loss (no penalty) on checked arrays; ``grads`` include the penalty's ``l2 * W``."""
        y_hat = self._forward(X, masks)
        if self._fused(loss):
            value, dZ = loss._from_logits(self.layers[-1].Z, y)
            self._backward(dZ, from_Z=True, masks=masks)
        else:
            value = loss._forward(y_hat, y)
            self._backward(loss._gradient(y_hat, y), masks=masks)
        if l2:
            for layer in self.layers:
                layer.dW = layer.dW + l2 * layer.W
        return value

    def _penalty(self, l2):
        if not l2:
            return 0.0
        return 0.5 * l2 * sum(float(np.sum(layer.W * layer.W)) for layer in self.layers)

    # Training and prediction -------------------------------------------------------------
    def fit(self, X, y, **kwargs):
        """Train with :func:`nnlib.training.fit` and return its :class:`~nnlib.training.History`."""
        from .training import fit

        return fit(self, X, y, **kwargs)

    def predict(self, X) -> np.ndarray:
        """Predictions in the form of the targets.

        sigmoid output: 0/1 labels ``(m, k)`` (threshold 0.5); softmax output: integer class
        labels ``(m,)``; step output: 0/1 labels; any other output: :math:`\\hat{y}` itself.
        """
        y_hat = self.forward(X)
        act = self.layers[-1].activation
        if isinstance(act, activations.Softmax):
            return np.argmax(y_hat, axis=1)
        if isinstance(act, (activations.Sigmoid, activations.Step)):
            return (y_hat > 0.5).astype(int)
        return y_hat

    # Parameters ------------------------------------------------------------------------
    @property
    def sizes(self) -> list[int]:
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    @property
    def params(self) -> list[np.ndarray]:
        """``[W1, b1, W2, b2, ...]``: the arrays themselves, updated in place by optimizers."""
        return [p for layer in self.layers for p in layer.params]

    @property
    def grads(self) -> list[np.ndarray]:
        """``[dW1, db1, dW2, db2, ...]`` from the last backward pass, aligned with ``params``."""
        return [g for layer in self.layers for g in layer.grads]

    @property
    def n_params(self) -> int:
        return sum(p.size for p in self.params)

    def get_params(self) -> list[np.ndarray]:
        """Copies of the parameters (see :meth:`set_params`)."""
        return [p.copy() for p in self.params]

    def set_params(self, values) -> None:
        """Copy ``values`` (as from :meth:`get_params`) into the parameters, in place."""
        params = self.params
        if not isinstance(values, (list, tuple)) or len(values) != len(params):
            raise ValueError(f"expected a list of {len(params)} arrays, got {type(values).__name__}")
        for i, (p, v) in enumerate(zip(params, values)):
            if np.shape(v) != p.shape:
                raise ValueError(f"values[{i}] has shape {np.shape(v)}, expected {p.shape}")
            p[...] = v

    # Checks ----------------------------------------------------------------------------
    def _check_X(self, X):
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"{self} expected X with {self.sizes[0]} columns, got shape {X.shape}")
        return X

    def _check_Xy(self, X, y, loss):
        X = self._check_X(X)
        y = loss.prepare_target(y, self.sizes[-1])
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} samples but y has {y.shape[0]}")
        return X, y

    def _check_masks(self, masks, m):
        if masks is None:
            return None
        hidden = self.sizes[1:-1]
        if not isinstance(masks, (list, tuple)) or len(masks) != len(hidden):
            raise ValueError(f"masks must be a list of {len(hidden)} arrays (one per hidden "
                             f"layer), got {type(masks).__name__}"
                             + (f" of length {len(masks)}" if isinstance(masks, (list, tuple)) else ""))
        checked = []
        for l, (M, n) in enumerate(zip(masks, hidden), 1):
            M = as_float_array(M, f"masks[{l - 1}]", ndim=2)
            if M.shape != (m, n):
                raise ValueError(f"masks[{l - 1}] must have the shape of hidden layer {l}'s "
                                 f"activations, ({m}, {n}), got {M.shape}")
            checked.append(M)
        return checked

    @staticmethod
    def _check_l2(l2):
        l2 = real(l2, "l2")
        if l2 < 0:
            raise ValueError(f"l2 must be >= 0, got l2={l2}")
        return l2

    def __repr__(self):
        acts = [type(layer.activation).__name__ for layer in self.layers]
        return f"MLP({self.sizes}, hidden={acts[:-1]}, output={acts[-1]})"

    def summary(self) -> str:
        """A table of layers, shapes and parameter counts."""
        rows = [f"{'layer':<8}{'W shape':<14}{'activation':<14}{'params':>8}"]
        for i, layer in enumerate(self.layers, 1):
            rows.append(
                f"{i:<8}{str(layer.W.shape):<14}{type(layer.activation).__name__:<14}"
                f"{layer.W.size + layer.b.size:>8}"
            )
        rows.append(f"{'total':<36}{self.n_params:>8}")
        return "\n".join(rows)

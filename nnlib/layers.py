r"""A fully-connected (dense) layer: :math:`Z = XW + b`, :math:`A = g(Z)`.

Rows are samples: ``X`` is ``(m, n_in)``, ``W`` is ``(n_in, n_out)``, ``b`` is ``(n_out,)``
and ``Z``, ``A`` are ``(m, n_out)``. The backward pass, given :math:`dA = \partial L/\partial A`:

.. math::

    dZ = dA \odot g'(Z), \quad dW = X^\top dZ, \quad db = \textstyle\sum_i dZ_{i,:},
    \quad dX = dZ\, W^\top

(The :math:`1/m` of the mean loss is already inside ``dA``.)
"""

from __future__ import annotations

import numpy as np

from . import activations, initializers
from ._validate import as_float_array, make_rng, positive_int

#: Activations for which He initialization is the default (the ReLU family).
RELU_FAMILY = (activations.ReLU, activations.LeakyReLU, activations.ELU, activations.BipolarReLU)


def default_init(activation) -> str:
    """The initializer of a :class:`Dense` layer created with ``init=None``.

    ``"he_normal"`` for the ReLU family (ReLU, leaky ReLU, ELU, bipolar ReLU): these units
    pass positive sums on unchanged and zero (or squash) negative ones, which halves the
    variance that Xavier's derivation keeps level (He et al., 2015).

    ``"xavier_normal"`` for every other activation. Its derivation assumes units with slope
    1 at 0 and outputs of mean 0, as tanh and softsign are. The sigmoid breaks both
    (slope 1/4, mean 1/2): with Xavier weights the gradients of a deep sigmoid network
    shrink about fourfold per layer, and the derivation redone for slope 1/4 asks for a
    gain of 4 (``initializers.get("xavier_normal", gain=4)``), which makes a deep sigmoid
    network train but still does not make its gradients level (chapter 7 measures both).
    We keep Xavier as the sigmoid's default on purpose:

    - the sigmoid's place is the output layer, and the hidden layers of small networks;
      the book trains one- and two-hidden-layer sigmoid networks with this default
      (chapters 2 and 4), and their results are part of the book's checked claims;
    - a deep network should use a zero-centred hidden activation (tanh, ReLU) instead, as
      Glorot & Bengio (2010) advise;
    - Keras (Glorot uniform for every activation) and PyTorch (``calculate_gain`` gives 1
      for the sigmoid) make the same choice.

    The smooth ReLU-like units (softplus, GELU, SiLU, ISRLU) fall under this rule too and get
    Xavier: no chapter trains deep networks of them, and chapter 3 shows softplus's vanishing
    gradients with this default.
    """
    return "he_normal" if isinstance(activation, RELU_FAMILY) else "xavier_normal"


class Dense:
    """Fully-connected layer with its own activation.

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs and of units.
    activation : str or Activation
        Name or instance, see :mod:`nnlib.activations`.
    init : str, Initializer, function fn(shape, rng) or None
        Weight initializer (biases start at 0). None picks :func:`default_init`.
    rng, seed
        A ``numpy.random.Generator`` or a seed for the initial weights.

    Examples
    --------
    >>> import numpy as np, nnlib as nn
    >>> layer = nn.Dense(3, 4, activation="tanh", seed=0)
    >>> layer.forward(np.ones((10, 3))).shape
    (10, 4)
    """

    def __init__(self, n_in: int, n_out: int, activation="identity", init=None, rng=None,
                 seed=None):
        self.n_in = positive_int(n_in, "n_in")
        self.n_out = positive_int(n_out, "n_out")
        self.activation = activations.get(activation)
        self.init = initializers.get(default_init(self.activation) if init is None else init)
        self.W = self.init((self.n_in, self.n_out), make_rng(rng, seed))
        self.b = np.zeros(self.n_out)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.X = self.Z = self.A = None

    def forward(self, X) -> np.ndarray:
        """Return the activations ``A`` (``(m, n_out)``) for inputs ``X`` (``(m, n_in)``)."""
        return self._forward(self._check_input(X))

    def backward(self, dA) -> np.ndarray:
        """Store ``dW``, ``db`` from ``dA`` (same shape as ``A``) and return ``dX``."""
        if self.A is None:
            raise RuntimeError(f"{self}: call forward before backward")
        dA = as_float_array(dA, "dA", ndim=2)
        if dA.shape != self.A.shape:
            raise ValueError(f"{self} expected dA of shape {self.A.shape} (like A), got {dA.shape}")
        return self._backward(dA)

    # The two passes, on checked arrays -------------------------------------------------
    def _forward(self, X):
        self.X = X
        self.Z = X @ self.W + self.b
        self.A = self.activation._f(self.Z)
        return self.A

    def _backward(self, dA, need_dX=True):
        dZ = self.activation.backward(self.Z, self.A, dA)
        return self._backward_from_Z(dZ, need_dX)

    def _backward_from_Z(self, dZ, need_dX=True):
        self.dW = self.X.T @ dZ
        self.db = dZ.sum(axis=0)
        return dZ @ self.W.T if need_dX else None

    def _check_input(self, X):
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.n_in:
            raise ValueError(f"{self} expected X with {self.n_in} columns, got shape {X.shape}")
        return X

    @property
    def params(self) -> list[np.ndarray]:
        """``[W, b]`` (the arrays themselves: optimizers update them in place)."""
        return [self.W, self.b]

    @property
    def grads(self) -> list[np.ndarray]:
        """``[dW, db]`` from the last backward pass."""
        return [self.dW, self.db]

    def __repr__(self):
        return f"Dense({self.n_in} -> {self.n_out}, {type(self.activation).__name__})"

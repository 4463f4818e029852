r"""Activation functions and their derivatives.

Every activation is elementwise except softmax (and BReLU, which looks at the column index).
``forward(Z)`` returns :math:`g(Z)` and ``derivative(Z)`` returns :math:`g'(Z)`, both new
arrays of the shape of ``Z``. Layers call ``backward(Z, A, dA)``, which returns
:math:`dZ = dA \odot g'(Z)` (softmax overrides it with its Jacobian-vector product).

>>> import nnlib as nn
>>> nn.activations.get("sigmoid").forward([0.0, 1000.0, -1000.0])
array([0.5, 1. , 0. ])
"""

from __future__ import annotations

import math

import numpy as np

from ._registry import Registry
from ._validate import as_float_array, in_range, positive_float


def _sigmoid(Z):
    """Numerically stable logistic function of a float array (no overflow at any ``|z|``)."""
    e = np.exp(-np.abs(Z))
    s = 1.0 / (1.0 + e)
    return np.where(Z >= 0, s, e * s)


def _softmax(Z):
    """Numerically stable softmax over the last axis of a float array."""
    shifted = Z - Z.max(axis=-1, keepdims=True)
    E = np.exp(shifted)
    return E / E.sum(axis=-1, keepdims=True)


class Activation:
    """Base class. Subclasses implement ``_f`` and ``_df`` on float arrays."""

    #: LaTeX of the function, its derivative and its range (for the book's tables).
    latex = ""
    latex_derivative = ""
    output_range = ""

    def forward(self, Z):
        """Return :math:`g(Z)` as a new array (``Z`` may have any shape)."""
        return self._f(self._check(Z))

    def derivative(self, Z):
        """Return :math:`g'(Z)` elementwise, same shape as ``Z``."""
        return self._df(self._check(Z))

    def backward(self, Z, A, dA):
        """Return ``dZ`` given the upstream gradient ``dA`` and the cached ``Z`` and ``A = g(Z)``."""
        return dA * self._df(Z)

    def _check(self, Z):
        return as_float_array(Z, "Z", ndim=None, finite=False)

    def _f(self, Z):  # pragma: no cover - abstract
        raise NotImplementedError

    def _df(self, Z):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self), tuple(sorted(vars(self).items()))))


registry = Registry("activation", Activation)


def get(identifier, **kwargs) -> Activation:
    """Return an activation from a name (``"relu"``), an instance or a subclass.

    >>> get("leaky_relu", slope=0.1)
    LeakyReLU(slope=0.1)
    """
    return registry.get(identifier, **kwargs)


def names() -> list[str]:
    """The registered activation names."""
    return registry.names


@registry.register("identity", "linear")
class Identity(Activation):
    r""":math:`g(z) = z`, used for regression outputs."""

    latex, latex_derivative, output_range = "z", "1", r"(-\infty, \infty)"

    def _f(self, Z):
        return Z.copy()

    def _df(self, Z):
        return np.ones_like(Z)

    def backward(self, Z, A, dA):
        return dA


@registry.register("step", "binary_step")
class Step(Activation):
    r"""The perceptron's threshold: :math:`g(z) = 1` if :math:`z > 0`, else 0.

    The derivative is 0 everywhere it exists (it is undefined at 0; 0 is returned there), which
    is why a network of step units cannot be trained by gradient descent. Some tables put
    :math:`z = 0` on the 1 side; nnlib follows the perceptron, :math:`y = 1` iff
    :math:`w \cdot x > \theta`.
    """

    latex = r"\begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}"
    latex_derivative = r"0 \ (z \ne 0)"
    output_range = r"\{0, 1\}"

    def _f(self, Z):
        return (Z > 0).astype(np.float64)

    def _df(self, Z):
        return np.zeros_like(Z)


@registry.register("sigmoid", "logistic")
class Sigmoid(Activation):
    r""":math:`\sigma(z) = 1 / (1 + e^{-z})`, :math:`\sigma'(z) = \sigma(z)(1 - \sigma(z)) \le 1/4`.

    Computed as :math:`e^{-|z|}`-based branches so that no ``exp`` overflows for large
    :math:`|z|`.
    """

    latex = r"\frac{1}{1 + e^{-z}}"
    latex_derivative = r"\sigma(z)\,(1 - \sigma(z))"
    output_range = "(0, 1)"

    def _f(self, Z):
        return _sigmoid(Z)

    def _df(self, Z):
        s = self._f(Z)
        return s * (1.0 - s)

    def backward(self, Z, A, dA):
        return dA * A * (1.0 - A)


@registry.register("tanh")
class Tanh(Activation):
    r""":math:`\tanh z`, :math:`\tanh'(z) = 1 - \tanh^2 z`."""

    latex = r"\frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}"
    latex_derivative = r"1 - \tanh^2 z"
    output_range = "(-1, 1)"

    def _f(self, Z):
        return np.tanh(Z)

    def _df(self, Z):
        return 1.0 - np.tanh(Z) ** 2

    def backward(self, Z, A, dA):
        return dA * (1.0 - A * A)


@registry.register("relu")
class ReLU(Activation):
    r""":math:`\max(0, z)`; derivative 1 for :math:`z > 0` and 0 otherwise (0 is used at 0)."""

    latex = r"\max(0, z)"
    latex_derivative = r"\begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}"
    output_range = r"[0, \infty)"

    def _f(self, Z):
        return np.maximum(Z, 0.0)

    def _df(self, Z):
        return (Z > 0).astype(np.float64)

    def backward(self, Z, A, dA):
        return dA * (Z > 0)


@registry.register("leaky_relu", "lrelu")
class LeakyReLU(Activation):
    r""":math:`z` for :math:`z > 0`, else :math:`a z` with slope :math:`a \ge 0` (Maas et al., 2013)."""

    latex = r"\begin{cases} z & z > 0 \\ a z & z \le 0 \end{cases}"
    latex_derivative = r"\begin{cases} 1 & z > 0 \\ a & z \le 0 \end{cases}"
    output_range = r"(-\infty, \infty)"

    def __init__(self, slope: float = 0.01):
        self.slope = in_range(slope, "slope", 0.0, 1.0, high_inclusive=True)

    def _f(self, Z):
        return np.where(Z > 0, Z, self.slope * Z)

    def _df(self, Z):
        return np.where(Z > 0, 1.0, self.slope)


@registry.register("elu")
class ELU(Activation):
    r""":math:`z` for :math:`z > 0`, else :math:`\alpha(e^{z} - 1)` (Clevert et al., 2016)."""

    latex = r"\begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}"
    latex_derivative = r"\begin{cases} 1 & z > 0 \\ \alpha e^{z} & z \le 0 \end{cases}"
    output_range = r"(-\alpha, \infty)"

    def __init__(self, alpha: float = 1.0):
        self.alpha = positive_float(alpha, "alpha")

    def _f(self, Z):
        return np.where(Z > 0, Z, self.alpha * np.expm1(np.minimum(Z, 0.0)))

    def _df(self, Z):
        return np.where(Z > 0, 1.0, self.alpha * np.exp(np.minimum(Z, 0.0)))


@registry.register("softplus")
class Softplus(Activation):
    r""":math:`\log(1 + e^{z})`, a smooth ReLU; its derivative is :math:`\sigma(z)`."""

    latex = r"\ln(1 + e^{z})"
    latex_derivative = r"\sigma(z)"
    output_range = r"(0, \infty)"

    def _f(self, Z):
        return np.logaddexp(0.0, Z)

    def _df(self, Z):
        return _sigmoid(Z)


@registry.register("gelu")
class GELU(Activation):
    r"""Gaussian error linear unit :math:`z\,\Phi(z)` (Hendrycks & Gimpel, 2016).

    :math:`\Phi` is the standard normal CDF: a unit passes :math:`z` weighted by how likely a
    standard normal variable is to be below it. ``approximate="tanh"`` (the default, used by
    BERT and GPT-2) computes
    :math:`\tfrac{z}{2}\bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(z + 0.044715 z^3)\bigr)\bigr)`;
    ``approximate="none"`` the exact :math:`z\,\Phi(z)` with :math:`\Phi(z) =
    \tfrac12(1 + \operatorname{erf}(z/\sqrt2))`, derivative :math:`\Phi(z) + z\,\varphi(z)`.
    The two differ by less than :math:`10^{-3}`.
    """

    latex = r"z\,\Phi(z)"
    latex_derivative = r"\Phi(z) + z\,\varphi(z)"
    output_range = r"[-0.17, \infty)"
    _K, _C = float(np.sqrt(2.0 / np.pi)), 0.044715
    _erf = staticmethod(np.vectorize(math.erf, otypes=[np.float64]))

    def __init__(self, approximate: str = "tanh"):
        if approximate not in ("tanh", "none"):
            raise ValueError(f"approximate must be 'tanh' or 'none', got approximate={approximate!r}")
        self.approximate = approximate

    def _f(self, Z):
        if self.approximate == "none":
            return Z * 0.5 * (1.0 + self._erf(Z / np.sqrt(2.0)))
        C = np.clip(Z, -20.0, 20.0)  # beyond |z| = 20 the tanh is exactly +-1
        return 0.5 * Z * (1.0 + np.tanh(self._K * (C + self._C * C ** 3)))

    def _df(self, Z):
        C = np.clip(Z, -40.0, 40.0)  # the second terms are exactly 0 beyond: no overflow in z^2
        if self.approximate == "none":
            pdf = np.exp(-0.5 * C * C) / np.sqrt(2.0 * np.pi)
            return 0.5 * (1.0 + self._erf(Z / np.sqrt(2.0))) + C * pdf
        t = np.tanh(self._K * (C + self._C * C ** 3))
        return 0.5 * (1.0 + t) + 0.5 * C * (1.0 - t * t) * self._K * (1.0 + 3.0 * self._C * C * C)


@registry.register("silu", "swish")
class SiLU(Activation):
    r"""Sigmoid linear unit :math:`z\,\sigma(\beta z)` (Elfwing et al., 2018), called Swish by
    Ramachandran et al. (2017); :math:`\beta = 1` is SiLU. Smooth, unbounded above, with a
    small negative dip (minimum about :math:`-0.28/\beta`)."""

    latex = r"z\,\sigma(\beta z)"
    latex_derivative = r"\sigma(\beta z)\bigl(1 + \beta z\,(1 - \sigma(\beta z))\bigr)"
    output_range = r"[-0.28/\beta, \infty)"

    def __init__(self, beta: float = 1.0):
        self.beta = positive_float(beta, "beta")

    def _f(self, Z):
        return Z * _sigmoid(self._scaled(Z))

    def _df(self, Z):
        U = self._scaled(Z)
        s = _sigmoid(U)
        return s * (1.0 + U * (1.0 - s))

    def _scaled(self, Z):
        # beta * z, clipped at |beta z| = 800 where sigma is exactly 0 or 1 and the derivative's
        # second term exactly 0, so that no product overflows for any float z and beta
        bound = 800.0 / self.beta
        return self.beta * np.clip(Z, -bound, bound)


@registry.register("softmax")
class Softmax(Activation):
    r""":math:`\mathrm{softmax}(z)_i = e^{z_i} / \sum_{j} e^{z_j}` over the last axis (each row).

    The sum runs over *all* :math:`j`, including :math:`i`. The maximum of each row is
    subtracted first (softmax is unchanged by adding a constant), so nothing overflows.
    Softmax is not elementwise: ``derivative`` returns the diagonal of its Jacobian,
    :math:`s_i(1 - s_i)`, ``jacobian`` the full matrix
    :math:`\partial s_i / \partial z_j = s_i(\delta_{ij} - s_j)` for one vector, and ``backward``
    the Jacobian-vector product :math:`s \odot (dA - \langle dA, s \rangle)` without forming it.
    """

    latex = r"\frac{e^{z_i}}{\sum_{j} e^{z_j}}"
    latex_derivative = r"s_i(\delta_{ij} - s_j)"
    output_range = "(0, 1), rows sum to 1"

    def _f(self, Z):
        return _softmax(Z)

    def _df(self, Z):
        S = self._f(Z)
        return S * (1.0 - S)

    def jacobian(self, z):
        """Full Jacobian ``J[i, j] = d s_i / d z_j`` of one vector ``z`` (1-D)."""
        z = as_float_array(z, "z", ndim=1, finite=False)
        s = self._f(z)
        return np.diag(s) - np.outer(s, s)

    def backward(self, Z, A, dA):
        return A * (dA - np.sum(dA * A, axis=-1, keepdims=True))


# --- The wider reference table of the lecture notes -------------------------------------


@registry.register("arctan")
class Arctan(Activation):
    r""":math:`\tan^{-1} z`, derivative :math:`1 / (1 + z^2)`."""

    latex, latex_derivative = r"\tan^{-1} z", r"\frac{1}{1 + z^2}"
    output_range = r"(-\frac{\pi}{2}, \frac{\pi}{2})"

    def _f(self, Z):
        return np.arctan(Z)

    def _df(self, Z):
        return 1.0 / (1.0 + Z * Z)


@registry.register("arsinh", "asinh")
class Arsinh(Activation):
    r""":math:`\sinh^{-1} z = \ln(z + \sqrt{z^2 + 1})`, derivative :math:`1/\sqrt{z^2 + 1}`."""

    latex, latex_derivative = r"\sinh^{-1} z", r"\frac{1}{\sqrt{z^2 + 1}}"
    output_range = r"(-\infty, \infty)"

    def _f(self, Z):
        return np.arcsinh(Z)

    def _df(self, Z):
        return 1.0 / np.hypot(1.0, Z)


@registry.register("softsign")
class Softsign(Activation):
    r""":math:`z / (1 + |z|)` (also ElliotSig), derivative :math:`1 / (1 + |z|)^2`."""

    latex, latex_derivative = r"\frac{z}{1 + |z|}", r"\frac{1}{(1 + |z|)^2}"
    output_range = "(-1, 1)"

    def _f(self, Z):
        return Z / (1.0 + np.abs(Z))

    def _df(self, Z):
        return 1.0 / (1.0 + np.abs(Z)) ** 2


@registry.register("isru")
class ISRU(Activation):
    r"""Inverse square root unit :math:`z / \sqrt{1 + \alpha z^2}`, derivative
    :math:`(1 / \sqrt{1 + \alpha z^2})^3` (Carlile et al., 2017)."""

    latex = r"\frac{z}{\sqrt{1 + \alpha z^2}}"
    latex_derivative = r"\left(\frac{1}{\sqrt{1 + \alpha z^2}}\right)^3"
    output_range = r"(-\frac{1}{\sqrt{\alpha}}, \frac{1}{\sqrt{\alpha}})"

    def __init__(self, alpha: float = 1.0):
        self.alpha = positive_float(alpha, "alpha")

    def _f(self, Z):
        return Z / np.sqrt(1.0 + self.alpha * Z * Z)

    def _df(self, Z):
        return (1.0 / np.sqrt(1.0 + self.alpha * Z * Z)) ** 3


@registry.register("isrlu")
class ISRLU(ISRU):
    r"""Inverse square root linear unit: ISRU for :math:`z < 0`, :math:`z` for :math:`z \ge 0`."""

    latex = r"\begin{cases} \frac{z}{\sqrt{1 + \alpha z^2}} & z < 0 \\ z & z \ge 0 \end{cases}"
    latex_derivative = (
        r"\begin{cases} \left(\frac{1}{\sqrt{1 + \alpha z^2}}\right)^3 & z < 0 \\ 1 & z \ge 0"
        r" \end{cases}"
    )
    output_range = r"(-\frac{1}{\sqrt{\alpha}}, \infty)"

    def _f(self, Z):
        return np.where(Z >= 0, Z, super()._f(np.minimum(Z, 0.0)))

    def _df(self, Z):
        return np.where(Z >= 0, 1.0, super()._df(np.minimum(Z, 0.0)))


@registry.register("sqnl")
class SQNL(Activation):
    r"""Square nonlinearity: :math:`z - z^2/4` on :math:`[0, 2]`, :math:`z + z^2/4` on
    :math:`[-2, 0)`, clipped to :math:`\pm 1` outside; derivative :math:`1 \mp z/2` inside."""

    latex = (
        r"\begin{cases} 1 & z > 2 \\ z - \frac{z^2}{4} & 0 \le z \le 2 \\ "
        r"z + \frac{z^2}{4} & -2 \le z < 0 \\ -1 & z < -2 \end{cases}"
    )
    latex_derivative = r"1 \mp \frac{z}{2} \ (|z| \le 2), \ 0 \text{ otherwise}"
    output_range = "(-1, 1)"

    def _f(self, Z):
        C = np.clip(Z, -2.0, 2.0)
        return C - np.sign(C) * C * C / 4.0

    def _df(self, Z):
        return np.where(np.abs(Z) <= 2.0, 1.0 - np.abs(Z) / 2.0, 0.0)


@registry.register("bent_identity")
class BentIdentity(Activation):
    r""":math:`(\sqrt{z^2 + 1} - 1)/2 + z`, derivative :math:`z / (2\sqrt{z^2 + 1}) + 1`."""

    latex = r"\frac{\sqrt{z^2 + 1} - 1}{2} + z"
    latex_derivative = r"\frac{z}{2\sqrt{z^2 + 1}} + 1"
    output_range = r"(-\infty, \infty)"

    def _f(self, Z):
        return (np.hypot(Z, 1.0) - 1.0) / 2.0 + Z

    def _df(self, Z):
        return Z / (2.0 * np.hypot(Z, 1.0)) + 1.0


@registry.register("brelu", "bipolar_relu")
class BipolarReLU(Activation):
    r"""Bipolar ReLU: :math:`\mathrm{ReLU}(z_i)` for even column index :math:`i` (0-based) and
    :math:`-\mathrm{ReLU}(-z_i)` for odd :math:`i`, so half the units pass positive and half
    negative values. The column index is the last axis of ``Z``."""

    latex = r"\begin{cases} \mathrm{ReLU}(z_i) & i \bmod 2 = 0 \\ -\mathrm{ReLU}(-z_i) & i \bmod 2 = 1 \end{cases}"
    latex_derivative = (
        r"\begin{cases} \mathrm{ReLU}'(z_i) & i \bmod 2 = 0 \\ \mathrm{ReLU}'(-z_i) & i \bmod 2 = 1"
        r" \end{cases}"
    )
    output_range = r"(-\infty, \infty)"

    @staticmethod
    def _even(Z):
        return (np.arange(Z.shape[-1]) % 2 == 0) if Z.ndim else np.bool_(True)

    def _f(self, Z):
        return np.where(self._even(Z), np.maximum(Z, 0.0), np.minimum(Z, 0.0))

    def _df(self, Z):
        return np.where(self._even(Z), Z > 0, Z < 0).astype(np.float64)

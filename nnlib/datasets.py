"""Small seeded data sets for the chapters. Every function returns ``(X, y)`` with ``X`` of
shape ``(m, n_features)``; class labels come as ``y`` of shape ``(m, 1)`` for two classes and
``(m,)`` integer labels for more (use :func:`one_hot` for one-hot rows). Nothing is
downloaded: the toy sets are generated, and :func:`digits` uses the copy that scikit-learn
ships.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, in_range, make_rng, positive_int, real

GATES = ("and", "or", "nand", "nor", "xor", "xnor", "not")

_TRUTH = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
    "xnor": [1, 0, 0, 1],
}


def _noise(value):
    value = real(value, "noise")
    if value < 0:
        raise ValueError(f"noise must be >= 0, got noise={value}")
    return value


def logic_gate(name: str):
    """The truth table of a gate: ``X`` is ``(4, 2)`` (rows 00, 01, 10, 11), ``y`` is ``(4, 1)``.

    ``"not"`` has one input: ``X`` is ``(2, 1)``.

    >>> logic_gate("and")[1].ravel().tolist()
    [0.0, 0.0, 0.0, 1.0]
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a gate name (str), got {type(name).__name__}")
    key = name.strip().lower()
    if key == "not":
        return np.array([[0.0], [1.0]]), np.array([[1.0], [0.0]])
    if key not in _TRUTH:
        raise ValueError(f"Unknown gate {name!r}. Valid names: {', '.join(GATES)}")
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array(_TRUTH[key], dtype=float).reshape(-1, 1)


def xor(n_per_corner: int = 1, noise: float = 0.0, seed=0):
    """XOR: the four corners of the unit square, class 1 where exactly one input is 1.

    With ``n_per_corner > 1`` or ``noise > 0`` each corner becomes a Gaussian cloud of
    ``n_per_corner`` points with standard deviation ``noise``.
    """
    n = positive_int(n_per_corner, "n_per_corner")
    noise = _noise(noise)
    corners, labels = logic_gate("xor")
    X = np.repeat(corners, n, axis=0)
    y = np.repeat(labels, n, axis=0)
    if noise > 0:
        X = X + make_rng(seed=seed).normal(0.0, noise, size=X.shape)
    return X, y


def six_regions(n_per_region: int = 50, noise: float = 0.35, radius: float = 2.0, seed=0):
    """Two classes in six clusters at the corners of a hexagon, alternating class.

    No single line separates the classes (each class owns three opposite-facing clusters),
    so logistic regression fails while six hidden units, one per cluster, succeed.
    """
    n = positive_int(n_per_region, "n_per_region")
    noise = _noise(noise)
    radius = real(radius, "radius")
    angles = np.arange(6) * np.pi / 3
    centres = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    rng = make_rng(seed=seed)
    X = np.repeat(centres, n, axis=0) + rng.normal(0.0, noise, size=(6 * n, 2))
    y = np.repeat(np.arange(6) % 2, n).astype(float).reshape(-1, 1)
    return X, y


def two_rings(n_per_class: int = 200, radii=(1.0, 2.0), noise: float = 0.15, seed=0):
    """Radial data: class 0 on a ring of radius ``radii[0]``, class 1 on one of ``radii[1]``."""
    n = positive_int(n_per_class, "n_per_class")
    noise = _noise(noise)
    if not isinstance(radii, (tuple, list)) or len(radii) != 2:
        raise TypeError(f"radii must be a pair (inner, outer), got {radii!r}")
    r_in, r_out = (real(r, "radius") for r in radii)
    if not 0 < r_in < r_out:
        raise ValueError(f"radii must satisfy 0 < inner < outer, got {radii!r}")
    rng = make_rng(seed=seed)
    theta = rng.uniform(0.0, 2 * np.pi, size=2 * n)
    r = np.repeat([r_in, r_out], n) + rng.normal(0.0, noise, size=2 * n)
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    y = np.repeat([0.0, 1.0], n).reshape(-1, 1)
    return X, y


def spiral(n_per_class: int = 100, n_classes: int = 2, noise: float = 0.2, turns: float = 1.0,
           seed=0):
    """Interleaved spiral arms, one per class (hard: classes are separated by angle *and*
    radius). Labels are ``(m, 1)`` for two classes and ``(m,)`` integers for more."""
    n = positive_int(n_per_class, "n_per_class")
    k = positive_int(n_classes, "n_classes")
    if k < 2:
        raise ValueError(f"n_classes must be at least 2, got {k}")
    noise = _noise(noise)
    turns = real(turns, "turns")
    rng = make_rng(seed=seed)
    r = np.tile(np.linspace(0.05, 1.0, n), k)
    arm = np.repeat(np.arange(k), n)
    theta = 2 * np.pi * (turns * r + arm / k) + rng.normal(0.0, noise, size=k * n)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return X, _labels(arm, k)


def moons(n: int = 200, noise: float = 0.1, seed=0):
    """Two interleaving half circles (``n // 2`` points each, the first gets the odd one)."""
    n = positive_int(n, "n")
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    noise = _noise(noise)
    n0 = n - n // 2
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n // 2)
    X = np.vstack([
        np.column_stack([np.cos(t0), np.sin(t0)]),
        np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)]),
    ])
    X = X + make_rng(seed=seed).normal(0.0, noise, size=X.shape)
    y = np.concatenate([np.zeros(n0), np.ones(n // 2)]).reshape(-1, 1)
    return X, y


_CURVES = {
    "square": ((-1.0, 1.0), lambda x: x ** 2),
    "sin": ((0.0, 1.0), lambda x: np.sin(2 * np.pi * x)),
}


def regression_curve(kind: str = "sin", n: int = 100, noise: float = 0.1, seed=0):
    """1-D regression data: ``"square"`` is :math:`y = x^2` on :math:`[-1, 1]`, ``"sin"`` is
    :math:`y = \\sin 2\\pi x` on :math:`[0, 1]`; ``x`` uniform, plus Gaussian noise of std
    ``noise``. ``X`` and ``y`` are ``(n, 1)``."""
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a curve name (str), got {type(kind).__name__}")
    kind = kind.strip().lower()
    if kind not in _CURVES:
        raise ValueError(f"Unknown curve {kind!r}. Valid names: {', '.join(_CURVES)}")
    n = positive_int(n, "n")
    noise = _noise(noise)
    (low, high), f = _CURVES[kind]
    rng = make_rng(seed=seed)
    x = rng.uniform(low, high, size=(n, 1))
    return x, f(x) + rng.normal(0.0, noise, size=(n, 1))


def digits():
    """scikit-learn's bundled 8x8 digits: ``X`` ``(1797, 64)`` scaled to [0, 1], ``y`` integer
    labels ``(1797,)``. Needs scikit-learn (no download: the data ships with it)."""
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:  # pragma: no cover - scikit-learn is in requirements.txt
        raise ImportError("nnlib.datasets.digits needs scikit-learn: pip install scikit-learn") from exc
    data = load_digits()
    return data.data / 16.0, data.target.astype(int)


def _labels(classes, k):
    return classes.astype(float).reshape(-1, 1) if k == 2 else classes.astype(int)


def one_hot(labels, n_classes: int | None = None) -> np.ndarray:
    """Integer labels ``(m,)`` (or ``(m, 1)``) -> one-hot rows ``(m, n_classes)``."""
    arr = as_float_array(labels, "labels", ndim=None)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or not np.all(arr == np.round(arr)) or arr.min() < 0:
        raise ValueError(
            f"labels must be non-negative whole numbers of shape (m,) or (m, 1), got shape {arr.shape}"
        )
    k = int(arr.max()) + 1 if n_classes is None else positive_int(n_classes, "n_classes")
    if arr.max() >= k:
        raise ValueError(f"labels must be < n_classes={k}, got {int(arr.max())}")
    out = np.zeros((arr.size, k))
    out[np.arange(arr.size), arr.astype(int)] = 1.0
    return out


def train_test_split(X, y, test_size: float = 0.25, seed=0):
    """Shuffle and split: returns ``X_train, X_test, y_train, y_test`` (scikit-learn's order)."""
    X = as_float_array(X, "X", ndim=2)
    y = np.asarray(y)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples but y has {y.shape[0]}")
    frac = in_range(test_size, "test_size", 0.0, 1.0)
    n_test = int(round(frac * X.shape[0]))
    if not 0 < n_test < X.shape[0]:
        raise ValueError(
            f"test_size={test_size} leaves {n_test} test samples out of {X.shape[0]}; "
            "both parts must be non-empty"
        )
    order = make_rng(seed=seed).permutation(X.shape[0])
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def house_prices(n: int = 60, noise: float = 0.3, seed=0):
    """Seeded house sizes and prices for linear regression (chapter 5).

    ``X`` is ``(n, 1)``: the size in units of 100 m², uniform on [0.5, 2.5]; ``y`` is
    ``(n, 1)``: the price in units of 100 million won (억 원),
    :math:`y = 0.5 + 2x + \\varepsilon` with Gaussian noise :math:`\\varepsilon` of std ``noise``.

    >>> X, y = house_prices(n=5)
    >>> X.shape, y.shape
    ((5, 1), (5, 1))
    """
    n = positive_int(n, "n")
    noise = _noise(noise)
    rng = make_rng(seed=seed)
    size = rng.uniform(0.5, 2.5, size=(n, 1))
    return size, 0.5 + 2.0 * size + rng.normal(0.0, noise, size=(n, 1))


def radial(n_per_ring: int = 100, radii=(1.0, 2.0, 3.0), noise: float = 0.15, seed=0):
    """Concentric rings with alternating classes (chapter 8): ring ``k`` (from the centre) has
    radius ``radii[k]`` and class ``k % 2``, so the default is a class-0 ring inside a class-1
    ring inside a class-0 ring. ``X`` is ``(m, 2)``, ``y`` is ``(m, 1)``.

    With two radii this is :func:`two_rings`' data (other random numbers). Every extra ring
    asks for one more closed boundary, and so for more hidden units.

    >>> X, y = radial(n_per_ring=4)
    >>> X.shape, y.ravel().tolist()[::4]
    ((12, 2), [0.0, 1.0, 0.0])
    """
    n = positive_int(n_per_ring, "n_per_ring")
    noise = _noise(noise)
    if not isinstance(radii, (tuple, list)) or len(radii) < 2:
        raise TypeError(f"radii must be a tuple of at least two radii, got {radii!r}")
    r_k = np.array([real(r, "radius") for r in radii])
    if r_k[0] <= 0 or np.any(np.diff(r_k) <= 0):
        raise ValueError(f"radii must be positive and increasing, got {radii!r}")
    k = len(r_k)
    rng = make_rng(seed=seed)
    theta = rng.uniform(0.0, 2 * np.pi, size=k * n)
    r = np.repeat(r_k, n) + rng.normal(0.0, noise, size=k * n)
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    y = (np.repeat(np.arange(k), n) % 2).astype(float).reshape(-1, 1)
    return X, y

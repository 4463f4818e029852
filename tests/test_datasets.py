"""Toy data sets: shapes, labels, seeding, geometry, and the helpers one_hot/train_test_split."""

import numpy as np
import pytest

from nnlib import datasets

pytestmark = pytest.mark.filterwarnings("error")

SQUARE = [[0, 0], [0, 1], [1, 0], [1, 1]]
TRUTH = {
    "and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0], "xor": [0, 1, 1, 0], "xnor": [1, 0, 0, 1],
}


# Logic gates and XOR ----------------------------------------------------------------------
@pytest.mark.parametrize("gate", sorted(TRUTH))
def test_logic_gate_truth_tables(gate):
    X, y = datasets.logic_gate(gate)
    assert X.shape == (4, 2) and y.shape == (4, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    np.testing.assert_array_equal(X, SQUARE)
    np.testing.assert_array_equal(y.ravel(), TRUTH[gate])
    # The table is the gate applied to the inputs (not just a memorised list).
    a, b = X[:, 0].astype(bool), X[:, 1].astype(bool)
    gates = {"and": a & b, "or": a | b, "nand": ~(a & b), "nor": ~(a | b),
             "xor": a ^ b, "xnor": ~(a ^ b)}
    np.testing.assert_array_equal(y.ravel(), gates[gate].astype(float))


def test_not_gate():
    X, y = datasets.logic_gate("not")
    np.testing.assert_array_equal(X, [[0.0], [1.0]])
    np.testing.assert_array_equal(y, [[1.0], [0.0]])


def test_gate_names_case_insensitive_and_listed():
    np.testing.assert_array_equal(datasets.logic_gate(" AND ")[1], datasets.logic_gate("and")[1])
    assert set(datasets.GATES) == set(TRUTH) | {"not"}


def test_logic_gate_errors():
    with pytest.raises(ValueError, match="Unknown gate 'nandd'.*xnor.*not"):
        datasets.logic_gate("nandd")
    with pytest.raises(TypeError, match="gate name"):
        datasets.logic_gate(1)


def test_gate_outputs_are_fresh_copies():
    X, y = datasets.logic_gate("and")
    X[0, 0] = 99.0
    y[0, 0] = 99.0
    X2, y2 = datasets.logic_gate("and")
    assert X2[0, 0] == 0.0 and y2[0, 0] == 0.0


def test_xor_is_truth_table():
    X, y = datasets.xor()
    np.testing.assert_array_equal(X, SQUARE)
    np.testing.assert_array_equal(y.ravel(), [0, 1, 1, 0])


def test_xor_clouds():
    X, y = datasets.xor(n_per_corner=50, noise=0.1, seed=0)
    assert X.shape == (200, 2) and y.shape == (200, 1)
    corners = np.repeat(np.array(SQUARE, dtype=float), 50, axis=0)
    assert 0.08 < (X - corners).std() < 0.12
    np.testing.assert_array_equal(y.ravel(), np.repeat([0, 1, 1, 0], 50))
    X_same, _ = datasets.xor(n_per_corner=50, noise=0.1, seed=0)
    X_other, _ = datasets.xor(n_per_corner=50, noise=0.1, seed=1)
    np.testing.assert_array_equal(X, X_same)
    assert not np.array_equal(X, X_other)
    # Without noise, repeated corners are exact.
    np.testing.assert_array_equal(datasets.xor(n_per_corner=3)[0], corners[::50].repeat(3, axis=0))


# Seeded generators --------------------------------------------------------------------------
GENERATORS = {
    "six_regions": lambda seed: datasets.six_regions(seed=seed),
    "two_rings": lambda seed: datasets.two_rings(seed=seed),
    "spiral": lambda seed: datasets.spiral(seed=seed),
    "spiral3": lambda seed: datasets.spiral(n_classes=3, seed=seed),
    "moons": lambda seed: datasets.moons(seed=seed),
    "sin": lambda seed: datasets.regression_curve("sin", seed=seed),
    "square": lambda seed: datasets.regression_curve("square", seed=seed),
}


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_determinism_by_seed(name):
    make = GENERATORS[name]
    X1, y1 = make(0)
    X2, y2 = make(0)
    X3, _ = make(1)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.ndim == 2 and X1.dtype == np.float64 and np.all(np.isfinite(X1))
    assert y1.shape[0] == X1.shape[0]


def test_generators_leave_global_state_alone():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    for make in GENERATORS.values():
        make(5)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


# Six regions ----------------------------------------------------------------------------
def test_six_regions_shapes_and_labels():
    X, y = datasets.six_regions(n_per_region=40)
    assert X.shape == (240, 2) and y.shape == (240, 1)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert y.sum() == 120


def test_six_regions_labels_alternate_around_hexagon():
    X, y = datasets.six_regions(n_per_region=5, noise=0.0, radius=2.0)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), 2.0)
    angles = np.round(np.degrees(np.arctan2(X[:, 1], X[:, 0])) % 360).astype(int)
    assert sorted(set(angles)) == [0, 60, 120, 180, 240, 300]
    by_angle = {a: set(y[angles == a].ravel()) for a in set(angles)}
    labels = [by_angle[a] for a in sorted(by_angle)]
    assert all(len(s) == 1 for s in labels)  # one class per cluster
    labels = [s.pop() for s in labels]
    assert all(labels[i] != labels[(i + 1) % 6] for i in range(6))  # neighbours differ


def test_six_regions_not_linearly_separable():
    X, y = datasets.six_regions()
    A = np.column_stack([X, np.ones(len(X))])
    w, *_ = np.linalg.lstsq(A, 2 * y.ravel() - 1, rcond=None)
    accuracy = np.mean((A @ w > 0) == (y.ravel() == 1))
    assert accuracy < 0.8
    # ... but they are well separated by cluster (nearest centre recovers every label).
    angles = np.arange(6) * np.pi / 3
    centres = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    nearest = np.argmin(((X[:, None, :] - centres) ** 2).sum(-1), axis=1)
    assert np.mean(nearest % 2 == y.ravel()) > 0.95


def test_six_regions_noise_scale():
    X, _ = datasets.six_regions(n_per_region=500, noise=0.2, radius=3.0)
    angles = np.arange(6) * np.pi / 3
    centres = np.repeat(3.0 * np.column_stack([np.cos(angles), np.sin(angles)]), 500, axis=0)
    assert (X - centres).std() == pytest.approx(0.2, rel=0.05)


# Two rings ------------------------------------------------------------------------------
def test_two_rings_radii():
    X, y = datasets.two_rings(n_per_class=100, radii=(0.5, 3.0), noise=0.0)
    assert X.shape == (200, 2) and y.shape == (200, 1)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y.ravel() == 0], 0.5)
    np.testing.assert_allclose(r[y.ravel() == 1], 3.0)
    assert y.sum() == 100
    X, y = datasets.two_rings(n_per_class=500)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y.ravel() == 0].mean() == pytest.approx(1.0, abs=0.03)
    assert r[y.ravel() == 1].mean() == pytest.approx(2.0, abs=0.03)


@pytest.mark.parametrize("radii, exc", [
    ((2.0, 1.0), ValueError), ((0.0, 1.0), ValueError), ((1.0, 1.0), ValueError),
    ((1.0,), TypeError), (1.0, TypeError), ((1.0, "2"), TypeError),
])
def test_two_rings_bad_radii(radii, exc):
    with pytest.raises(exc, match="radi"):
        datasets.two_rings(radii=radii)


# Spiral and moons -----------------------------------------------------------------------
def test_spiral_two_classes():
    X, y = datasets.spiral(n_per_class=50)
    assert X.shape == (100, 2) and y.shape == (100, 1)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-12)


@pytest.mark.parametrize("k", [3, 5])
def test_spiral_many_classes_gives_integer_labels(k):
    X, y = datasets.spiral(n_per_class=40, n_classes=k)
    assert X.shape == (40 * k, 2) and y.shape == (40 * k,)
    assert y.dtype.kind == "i"
    assert np.bincount(y).tolist() == [40] * k


def test_spiral_arms_are_rotated_copies_without_noise():
    X, y = datasets.spiral(n_per_class=30, n_classes=3, noise=0.0)
    rot = 2 * np.pi / 3
    R = np.array([[np.cos(rot), np.sin(rot)], [-np.sin(rot), np.cos(rot)]])
    # (x, y) = r (sin θ, cos θ): adding 2π/3 to θ is a clockwise rotation of (y, x)-plane.
    np.testing.assert_allclose(X[y == 1], X[y == 0] @ R.T, atol=1e-12)


@pytest.mark.parametrize("n", [200, 7, 2])
def test_moons_shapes_and_labels(n):
    X, y = datasets.moons(n=n)
    assert X.shape == (n, 2) and y.shape == (n, 1)
    assert y.sum() == n // 2
    assert set(np.unique(y)) == {0.0, 1.0}


def test_moons_geometry_without_noise():
    X, y = datasets.moons(n=100, noise=0.0)
    upper, lower = X[y.ravel() == 0], X[y.ravel() == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert np.all(upper[:, 1] >= -1e-12) and np.all(lower[:, 1] <= 0.5 + 1e-12)


# Regression curves ----------------------------------------------------------------------
def test_regression_curve_square():
    X, y = datasets.regression_curve("square", n=300, noise=0.0)
    assert X.shape == (300, 1) and y.shape == (300, 1)
    assert X.min() >= -1 and X.max() <= 1 and X.min() < -0.9 and X.max() > 0.9
    np.testing.assert_array_equal(y, X ** 2)


def test_regression_curve_sin():
    X, y = datasets.regression_curve("sin", n=300, noise=0.0)
    assert X.min() >= 0 and X.max() <= 1 and X.min() < 0.05 and X.max() > 0.95
    np.testing.assert_array_equal(y, np.sin(2 * np.pi * X))


def test_regression_curve_noise():
    X, y = datasets.regression_curve("sin", n=2000, noise=0.3)
    assert (y - np.sin(2 * np.pi * X)).std() == pytest.approx(0.3, rel=0.06)
    X0, _ = datasets.regression_curve("sin", n=2000, noise=0.0)
    np.testing.assert_array_equal(X, X0)  # noise does not move the inputs


@pytest.mark.parametrize("kind", ["cubic", ""])
def test_regression_curve_unknown(kind):
    with pytest.raises(ValueError, match="Unknown curve.*square, sin"):
        datasets.regression_curve(kind)


@pytest.mark.parametrize("kind", [1, None])
def test_regression_curve_kind_must_be_a_name(kind):
    with pytest.raises(TypeError, match="curve name"):
        datasets.regression_curve(kind)


def test_regression_curve_name_is_case_insensitive():
    np.testing.assert_array_equal(
        datasets.regression_curve(" SIN ")[1], datasets.regression_curve("sin")[1]
    )


# Common argument errors ---------------------------------------------------------------------
@pytest.mark.parametrize("call, exc, pattern", [
    (lambda: datasets.xor(n_per_corner=0), ValueError, "n_per_corner"),
    (lambda: datasets.xor(noise=-0.1), ValueError, "noise must be >= 0"),
    (lambda: datasets.xor(noise="a"), TypeError, "noise"),
    (lambda: datasets.six_regions(n_per_region=-1), ValueError, "n_per_region"),
    (lambda: datasets.six_regions(n_per_region=2.5), TypeError, "n_per_region"),
    (lambda: datasets.six_regions(radius=float("nan")), ValueError, "radius"),
    (lambda: datasets.two_rings(n_per_class=0), ValueError, "n_per_class"),
    (lambda: datasets.spiral(n_classes=1), ValueError, "n_classes must be at least 2"),
    (lambda: datasets.spiral(n_per_class=0), ValueError, "n_per_class"),
    (lambda: datasets.spiral(turns="1"), TypeError, "turns"),
    (lambda: datasets.moons(n=1), ValueError, "n must be at least 2"),
    (lambda: datasets.moons(n=0), ValueError, "n must be a positive integer"),
    (lambda: datasets.moons(seed="0"), TypeError, "seed"),
    (lambda: datasets.regression_curve(n=0), ValueError, "n must be"),
    (lambda: datasets.regression_curve(noise=-1), ValueError, "noise"),
])
def test_argument_errors(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


# Digits ---------------------------------------------------------------------------------
def test_digits():
    pytest.importorskip("sklearn")
    X, y = datasets.digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.dtype == np.float64 and X.min() == 0.0 and X.max() == 1.0
    assert y.dtype.kind == "i" and sorted(np.unique(y)) == list(range(10))


# one_hot ----------------------------------------------------------------------------------
def test_one_hot():
    out = datasets.one_hot([2, 0, 1, 2])
    np.testing.assert_array_equal(out, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert out.dtype == np.float64
    np.testing.assert_array_equal(datasets.one_hot(np.array([[1], [0]])), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(datasets.one_hot([1.0, 0.0], n_classes=4),
                                  [[0, 1, 0, 0], [1, 0, 0, 0]])
    labels = np.random.default_rng(0).integers(0, 10, size=50)
    np.testing.assert_array_equal(datasets.one_hot(labels).argmax(axis=1), labels)


@pytest.mark.parametrize("labels, kwargs, exc, pattern", [
    ([0.5, 1], {}, ValueError, "whole numbers"),
    ([-1, 1], {}, ValueError, "non-negative"),
    ([[0, 1], [1, 0]], {}, ValueError, r"shape \(m,\) or \(m, 1\)"),
    ([0, 3], {"n_classes": 3}, ValueError, "< n_classes=3"),
    ([0, 1], {"n_classes": 0}, ValueError, "n_classes"),
    ([0, np.nan], {}, ValueError, "finite"),
    ([], {}, ValueError, "empty"),
    ("012", {}, TypeError, "labels"),
])
def test_one_hot_errors(labels, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        datasets.one_hot(labels, **kwargs)


# train_test_split -----------------------------------------------------------------------
def test_train_test_split():
    X = np.arange(40, dtype=float).reshape(20, 2)
    y = np.arange(20)
    X_tr, X_te, y_tr, y_te = datasets.train_test_split(X, y, test_size=0.25, seed=0)
    assert X_tr.shape == (15, 2) and X_te.shape == (5, 2)
    assert y_tr.shape == (15,) and y_te.shape == (5,)
    # Rows stay paired and together they are a partition of the samples.
    np.testing.assert_array_equal(X_tr[:, 0] / 2, y_tr)
    np.testing.assert_array_equal(X_te[:, 0] / 2, y_te)
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == list(range(20))
    assert y_tr.tolist() != list(range(15))  # shuffled
    again = datasets.train_test_split(X, y, test_size=0.25, seed=0)
    other = datasets.train_test_split(X, y, test_size=0.25, seed=1)
    np.testing.assert_array_equal(again[3], y_te)
    assert not np.array_equal(other[3], y_te)


def test_train_test_split_keeps_2d_targets():
    X, y = datasets.six_regions(n_per_region=10)
    X_tr, X_te, y_tr, y_te = datasets.train_test_split(X, y, test_size=0.5)
    assert y_tr.shape == (30, 1) and y_te.shape == (30, 1)


@pytest.mark.parametrize("X, y, kwargs, exc, pattern", [
    (np.zeros((10, 2)), np.zeros(9), {}, ValueError, "10 samples but y has 9"),
    (np.zeros((10, 2)), np.zeros(10), {"test_size": 1.0}, ValueError, "test_size"),
    (np.zeros((10, 2)), np.zeros(10), {"test_size": -0.1}, ValueError, "test_size"),
    (np.zeros((10, 2)), np.zeros(10), {"test_size": 0.01}, ValueError, "non-empty"),
    (np.zeros((2, 2)), np.zeros(2), {"test_size": 0.9}, ValueError, "non-empty"),
    (np.zeros((10, 2)), np.zeros(10), {"test_size": "0.2"}, TypeError, "test_size"),
    (np.zeros(10), np.zeros(10), {}, ValueError, "2-D"),
])
def test_train_test_split_errors(X, y, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        datasets.train_test_split(X, y, **kwargs)

"""Weight initializers: shapes, exact values and the variance formulas (statistically)."""

import numpy as np
import pytest

import nnlib as nn
from nnlib import initializers

pytestmark = pytest.mark.filterwarnings("error")

# Large enough that the sample variance is within ~1% (std error sqrt(2/N) ~ 0.4%), small
# enough to be fast; n_in != n_out so fan-in/fan-out mix-ups change the variance.
N_IN, N_OUT = 500, 300
SHAPE = (N_IN, N_OUT)
REL = 0.05

ALL = ["zeros", "constant", "normal", "uniform", "lecun_normal", "lecun_uniform",
       "xavier_normal", "xavier_uniform", "he_normal", "he_uniform"]
FAN_BASED = ["lecun_normal", "lecun_uniform", "xavier_normal", "xavier_uniform", "he_normal",
             "he_uniform"]
#: Orthogonal takes 2-D shapes only, so it is tested apart from ALL's shape cases.
EVERY = ALL + ["orthogonal"]


def _sample(name, shape=SHAPE, seed=0, **kwargs):
    return initializers.get(name, **kwargs)(shape, np.random.default_rng(seed))


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("shape", [(3, 4), (1, 1), (7,), [2, 5], 6])
def test_shape_and_dtype(name, shape):
    W = _sample(name, shape)
    expected = (shape,) if isinstance(shape, int) else tuple(shape)
    assert W.shape == expected
    assert W.dtype == np.float64


@pytest.mark.parametrize("name", ["zeros", "constant", "normal", "uniform"])
def test_non_fan_initializers_accept_any_rank(name):
    assert _sample(name, (2, 3, 4)).shape == (2, 3, 4)


def test_zeros_and_constant_values():
    np.testing.assert_array_equal(_sample("zeros", (3, 4)), np.zeros((3, 4)))
    np.testing.assert_array_equal(_sample("zero", (2,)), np.zeros(2))
    np.testing.assert_array_equal(_sample("constant", (3, 4)), np.full((3, 4), 0.1))
    np.testing.assert_array_equal(_sample("constant", (2, 2), value=-2.5), np.full((2, 2), -2.5))


def _check_normal(W, std):
    assert abs(W.mean()) < 5 * std / np.sqrt(W.size)
    assert W.var() == pytest.approx(std ** 2, rel=REL)
    # Gaussian, not uniform: about 4.6% of the values lie beyond 2 std (0% for a uniform
    # with the same variance, whose bound is sqrt(3) std).
    assert 0.035 < np.mean(np.abs(W) > 2 * std) < 0.06


def _check_uniform(W, limit):
    assert np.all(np.abs(W) <= limit)
    assert np.abs(W).max() > 0.99 * limit
    assert abs(W.mean()) < 5 * limit / np.sqrt(3 * W.size)
    assert W.var() == pytest.approx(limit ** 2 / 3, rel=REL)


@pytest.mark.parametrize("std", [None, 0.5, 3.0])
def test_normal_std(std):
    kwargs = {} if std is None else {"std": std}
    _check_normal(_sample("normal", **kwargs), 0.01 if std is None else std)


@pytest.mark.parametrize("limit", [None, 0.2, 4.0])
def test_uniform_limit(limit):
    kwargs = {} if limit is None else {"limit": limit}
    _check_uniform(_sample("uniform", **kwargs), 0.05 if limit is None else limit)


@pytest.mark.parametrize("seed", [0, 1])
def test_xavier_normal_variance(seed):
    _check_normal(_sample("xavier_normal", seed=seed), np.sqrt(2.0 / (N_IN + N_OUT)))


@pytest.mark.parametrize("seed", [0, 1])
def test_xavier_uniform_bound_and_variance(seed):
    W = _sample("xavier_uniform", seed=seed)
    _check_uniform(W, np.sqrt(6.0 / (N_IN + N_OUT)))
    assert W.var() == pytest.approx(2.0 / (N_IN + N_OUT), rel=REL)


@pytest.mark.parametrize("seed", [0, 1])
def test_he_normal_variance_uses_fan_in(seed):
    _check_normal(_sample("he_normal", seed=seed), np.sqrt(2.0 / N_IN))
    # Rows are samples: W is (n_in, n_out), so the transposed shape has the other fan-in.
    _check_normal(_sample("he_normal", (N_OUT, N_IN), seed=seed), np.sqrt(2.0 / N_OUT))


@pytest.mark.parametrize("seed", [0, 1])
def test_he_uniform_bound_uses_fan_in(seed):
    W = _sample("he_uniform", seed=seed)
    _check_uniform(W, np.sqrt(6.0 / N_IN))
    assert W.var() == pytest.approx(2.0 / N_IN, rel=REL)


@pytest.mark.parametrize("seed", [0, 1])
def test_lecun_normal_variance_uses_fan_in(seed):
    _check_normal(_sample("lecun_normal", seed=seed), np.sqrt(1.0 / N_IN))
    _check_normal(_sample("lecun_normal", (N_OUT, N_IN), seed=seed), np.sqrt(1.0 / N_OUT))


@pytest.mark.parametrize("seed", [0, 1])
def test_lecun_uniform_bound_and_variance(seed):
    W = _sample("lecun_uniform", seed=seed)
    _check_uniform(W, np.sqrt(3.0 / N_IN))
    assert W.var() == pytest.approx(1.0 / N_IN, rel=REL)


@pytest.mark.parametrize("gain", [0.5, 4.0])
def test_xavier_gain_scales_the_standard_deviation(gain):
    _check_normal(_sample("xavier_normal", gain=gain), gain * np.sqrt(2.0 / (N_IN + N_OUT)))
    _check_uniform(_sample("xavier_uniform", gain=gain), gain * np.sqrt(6.0 / (N_IN + N_OUT)))


def test_xavier_default_gain_is_one():
    np.testing.assert_array_equal(_sample("xavier_normal"), _sample("xavier_normal", gain=1.0))
    np.testing.assert_array_equal(_sample("xavier_uniform"), _sample("xavier_uniform", gain=1))


# Orthogonal ------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(300, 100), (100, 300), (64, 64), (1, 5), (5, 1)])
@pytest.mark.parametrize("gain", [1.0, np.sqrt(2.0)])
def test_orthogonal_columns_or_rows_are_orthonormal(shape, gain):
    W = _sample("orthogonal", shape, gain=gain)
    assert W.shape == shape and W.dtype == np.float64
    n_in, n_out = shape
    gram = W.T @ W if n_in >= n_out else W @ W.T
    np.testing.assert_allclose(gram, gain ** 2 * np.eye(min(shape)), atol=1e-12)
    # every singular value equals the gain
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), gain, rtol=1e-12)


def test_orthogonal_keeps_the_length_of_every_input_exactly():
    W = _sample("orthogonal", (100, 300), gain=2.0)
    X = np.random.default_rng(1).normal(size=(50, 100))
    np.testing.assert_allclose(np.linalg.norm(X @ W, axis=1), 2.0 * np.linalg.norm(X, axis=1))


@pytest.mark.parametrize("shape", [(N_IN, N_OUT), (N_OUT, N_IN)])
def test_orthogonal_entries_have_mean_zero_and_variance_over_the_larger_fan(shape):
    W = _sample("orthogonal", shape, gain=3.0)
    target = 9.0 / max(shape)
    assert abs(W.mean()) < 5 * np.sqrt(target / W.size)
    assert W.var() == pytest.approx(target, rel=REL)


def test_orthogonal_is_uniform_over_rotations_not_biased_by_the_qr_signs():
    """numpy's QR alone gives a Q whose first entry is negative on average (about -0.42 for
    4 x 4); the sign fix makes it symmetric around 0."""
    rng = np.random.default_rng(0)
    first = np.array([initializers.get("orthogonal")((4, 4), rng)[0, 0] for _ in range(2000)])
    assert abs(first.mean()) < 5 * first.std() / np.sqrt(first.size)


@pytest.mark.parametrize("shape", [(7,), 6, (2, 3, 4)])
def test_orthogonal_rejects_shapes_that_are_not_2d(shape):
    with pytest.raises(ValueError, match="orthogonal expects a 2-D shape"):
        initializers.get("orthogonal")(shape, np.random.default_rng(0))


def test_variance_formulas_are_distinguishable():
    """The tolerances above separate the candidate formulas (a wrong one fails)."""
    candidates = [2 / (N_IN + N_OUT), 1 / (N_IN + N_OUT), 2 / N_IN, 2 / N_OUT, 1 / N_IN,
                  1 / N_OUT]
    for i, a in enumerate(candidates):
        for b in candidates[i + 1:]:
            assert abs(a - b) / b > 3 * REL


def test_one_d_shape_uses_n_for_both_fans():
    assert initializers.fans((7,)) == (7, 7)
    assert initializers.fans((3, 8)) == (3, 8)
    W = _sample("xavier_normal", (100_000,))
    assert W.var() == pytest.approx(2.0 / 200_000, rel=REL)


@pytest.mark.parametrize("name", EVERY)
def test_same_seed_same_array(name):
    a = _sample(name, (20, 10), seed=3)
    b = _sample(name, (20, 10), seed=3)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ["normal", "uniform", "orthogonal"] + FAN_BASED)
def test_different_seed_different_array_and_integer_seed(name):
    init = initializers.get(name)
    a = init((20, 10), 3)
    np.testing.assert_array_equal(a, init((20, 10), np.random.default_rng(3)))
    assert not np.array_equal(a, init((20, 10), 4))
    # No rng means seed 0 (reproducible, never the global state).
    np.testing.assert_array_equal(init((4, 4)), init((4, 4), 0))


def test_generator_is_advanced_not_copied():
    rng = np.random.default_rng(0)
    init = initializers.get("normal", std=1.0)
    a, b = init((5,), rng), init((5,), rng)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("name", EVERY)
def test_does_not_use_global_state(name):
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    _sample(name)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize("name, cls", [
    ("Xavier_Normal", initializers.XavierNormal), ("glorot-uniform", initializers.XavierUniform),
    ("kaiming_normal", initializers.HeNormal), ("KAIMING_UNIFORM", initializers.HeUniform),
    ("random_normal", initializers.Normal), ("random_uniform", initializers.Uniform),
])
def test_aliases(name, cls):
    assert type(initializers.get(name)) is cls


def test_repr():
    assert repr(initializers.get("normal", std=0.5)) == "Normal(std=0.5)"
    assert repr(initializers.get("he_normal")) == "HeNormal()"
    assert repr(initializers.get("xavier_normal", gain=4)) == "XavierNormal(gain=4.0)"
    assert repr(initializers.get("orthogonal")) == "Orthogonal(gain=1.0)"


def test_dense_uses_initializer():
    layer = nn.Dense(4, 3, init="constant", seed=0)
    np.testing.assert_array_equal(layer.W, np.full((4, 3), 0.1))


# Errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", EVERY)
@pytest.mark.parametrize("shape, exc, pattern", [
    ((0, 3), ValueError, "positive integer, got 0"),
    ((3, -2), ValueError, "positive integer, got -2"),
    (0, ValueError, "positive integer"),
    ((2.0, 3), TypeError, "positive integer.*float"),
    (2.5, TypeError, "shape must be a tuple of positive integers"),
    ((), TypeError, "shape must be a tuple"),
    ([], TypeError, "shape must be a tuple"),
    ((True, 3), TypeError, "positive integer.*bool"),
    (True, TypeError, "shape"),
    ("3", TypeError, "shape"),
    (None, TypeError, "shape"),
])
def test_bad_shapes(name, shape, exc, pattern):
    with pytest.raises(exc, match=pattern):
        initializers.get(name)(shape, np.random.default_rng(0))


@pytest.mark.parametrize("name", FAN_BASED)
def test_fan_based_reject_three_d(name):
    with pytest.raises(ValueError, match=r"1-D or 2-D shape, got \(2, 3, 4\)"):
        initializers.get(name)((2, 3, 4), np.random.default_rng(0))


@pytest.mark.parametrize("rng, exc, pattern", [
    (np.random.RandomState(0), TypeError, "numpy.random.Generator.*RandomState"),
    ("seed", TypeError, "numpy.random.Generator.*str"),
    (1.5, TypeError, "Generator"),
    (-1, ValueError, "non-negative"),
    (True, TypeError, "seed"),
])
def test_bad_rng(rng, exc, pattern):
    with pytest.raises(exc, match=pattern):
        initializers.get("he_normal")((3, 3), rng)


@pytest.mark.parametrize("name, kwargs, exc", [
    ("normal", {"std": 0.0}, ValueError),
    ("normal", {"std": -1.0}, ValueError),
    ("normal", {"std": float("inf")}, ValueError),
    ("uniform", {"limit": 0}, ValueError),
    ("uniform", {"limit": "1"}, TypeError),
    ("constant", {"value": float("nan")}, ValueError),
    ("constant", {"value": "1"}, TypeError),
    ("he_normal", {"gain": 2.0}, TypeError),
    ("lecun_normal", {"gain": 2.0}, TypeError),
    ("xavier_normal", {"gain": 0.0}, ValueError),
    ("xavier_uniform", {"gain": -4.0}, ValueError),
    ("xavier_normal", {"gain": "4"}, TypeError),
    ("orthogonal", {"gain": float("nan")}, ValueError),
    ("orthogonal", {"gain": None}, TypeError),
])
def test_bad_hyperparameters(name, kwargs, exc):
    with pytest.raises(exc):
        initializers.get(name, **kwargs)


def test_a_plain_function_is_an_initializer():
    def halves(shape, rng):
        return np.full(shape, 0.5)

    init = nn.initializers.get(halves)
    np.testing.assert_array_equal(init((2, 3), 0), np.full((2, 3), 0.5))
    model = nn.MLP([2, 3, 1], init=halves, seed=0)
    assert np.all(model.layers[0].W == 0.5)


@pytest.mark.parametrize("fn, err, match", [
    (lambda shape, rng: np.zeros((1, 1)), ValueError, r"must return an array of shape \(2, 3\), got shape \(1, 1\)"),
    (lambda shape, rng: np.full(shape, np.nan), ValueError, "must be finite"),
    (lambda shape, rng: "w", TypeError, "must be an array of numbers"),
])
def test_a_bad_initializer_function_is_reported(fn, err, match):
    with pytest.raises(err, match=match):
        nn.initializers.get(fn)((2, 3), 0)

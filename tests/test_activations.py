"""Activations: derivatives against two-sided differences, closed forms, exact values, ranges."""

import math

import numpy as np
import pytest

from nnlib import activations

pytestmark = pytest.mark.filterwarnings("error")

#: Every registered name with its defaults, plus non-default parameters.
CASES = [(name, {}) for name in activations.names()] + [
    ("leaky_relu", {"slope": 0.1}),
    ("leaky_relu", {"slope": 0.3}),
    ("elu", {"alpha": 0.5}),
    ("isru", {"alpha": 0.5}),
    ("isru", {"alpha": 2.0}),
    ("isrlu", {"alpha": 0.5}),
    ("isrlu", {"alpha": 2.0}),
    ("gelu", {"approximate": "none"}),
    ("silu", {"beta": 2.0}),
    ("silu", {"beta": 0.5}),
]
CASE_IDS = [name + "".join(f"-{k}={v}" for k, v in kw.items()) for name, kw in CASES]
ELEMENTWISE = [(n, kw) for n, kw in CASES if n != "softmax"]
ELEMENTWISE_IDS = [i for i, (n, _) in zip(CASE_IDS, CASES) if n != "softmax"]

KINKS = np.array([0.0, 2.0, -2.0])


def sample_points(seed=0):
    """Points in [-5, 5] (random and a grid) at least 1e-3 away from 0 and +-2, shape (40, 12)."""
    rng = np.random.default_rng(seed)
    z = np.concatenate([rng.uniform(-5.0, 5.0, 400), np.linspace(-5.0, 5.0, 101)])
    z = z[np.min(np.abs(z[:, None] - KINKS[None, :]), axis=1) > 1e-3]
    return z[:480].reshape(40, 12)


def central_difference(f, Z, h=1e-5):
    """Elementwise two-sided derivative of an elementwise function."""
    return (f(Z + h) - f(Z - h)) / (2.0 * h)


def sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- derivatives ------------------------------------------------------------------------


def test_registry_has_the_documented_activations():
    expected = {"identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus",
                "softmax", "arctan", "arsinh", "softsign", "isru", "isrlu", "sqnl",
                "bent_identity", "brelu", "gelu", "silu"}
    assert expected <= set(activations.names())


@pytest.mark.parametrize("name, kwargs", ELEMENTWISE, ids=ELEMENTWISE_IDS)
def test_derivative_matches_central_difference(name, kwargs):
    act = activations.get(name, **kwargs)
    Z = sample_points()
    analytic = act.derivative(Z)
    numeric = central_difference(act.forward, Z)
    assert analytic.shape == Z.shape
    denom = np.maximum(np.abs(analytic) + np.abs(numeric), 1e-3)
    assert np.max(np.abs(analytic - numeric) / denom) < 1e-6


@pytest.mark.parametrize("name, kwargs", ELEMENTWISE, ids=ELEMENTWISE_IDS)
def test_backward_is_dA_times_derivative(name, kwargs):
    act = activations.get(name, **kwargs)
    Z = sample_points(1)
    dA = np.random.default_rng(2).normal(size=Z.shape)
    np.testing.assert_allclose(act.backward(Z, act.forward(Z), dA), dA * act.derivative(Z),
                               rtol=1e-12, atol=1e-15)


def test_step_derivative_is_zero_and_forward_is_threshold():
    step = activations.get("step")
    Z = np.array([-3.0, -1e-9, 0.0, 1e-9, 3.0])
    np.testing.assert_array_equal(step.forward(Z), [0.0, 0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(step.derivative(Z), np.zeros(5))


def test_closed_form_derivatives():
    Z = np.linspace(-8.0, 8.0, 161)
    s = sigma(Z)
    np.testing.assert_allclose(activations.get("sigmoid").derivative(Z), s * (1 - s), rtol=1e-12)
    np.testing.assert_allclose(activations.get("tanh").derivative(Z), 1 - np.tanh(Z) ** 2,
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(activations.get("softplus").derivative(Z), s, rtol=1e-12)
    np.testing.assert_allclose(activations.get("arctan").derivative(Z), 1 / (1 + Z**2), rtol=1e-12)
    np.testing.assert_allclose(activations.get("relu").derivative(Z), (Z > 0).astype(float))


# --- exact values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs, z, expected",
    [
        ("identity", {}, [-2.5, 0.0, 3.0], [-2.5, 0.0, 3.0]),
        ("sigmoid", {}, [0.0], [0.5]),
        ("sigmoid", {}, [math.log(3.0)], [0.75]),
        ("tanh", {}, [0.0, math.atanh(0.5)], [0.0, 0.5]),
        ("relu", {}, [-2.0, 0.0, 3.0], [0.0, 0.0, 3.0]),
        ("leaky_relu", {}, [-2.0, 0.0, 3.0], [-0.02, 0.0, 3.0]),
        ("leaky_relu", {"slope": 0.1}, [-2.0, 3.0], [-0.2, 3.0]),
        ("leaky_relu", {"slope": 0.3}, [-2.0, 3.0], [-0.6, 3.0]),
        ("elu", {}, [-1.0, 2.0], [math.exp(-1.0) - 1.0, 2.0]),
        ("elu", {"alpha": 0.5}, [-1.0, 2.0], [0.5 * (math.exp(-1.0) - 1.0), 2.0]),
        ("softplus", {}, [0.0], [math.log(2.0)]),
        ("arctan", {}, [1.0, -1.0], [math.pi / 4, -math.pi / 4]),
        ("arsinh", {}, [0.0, 1.0], [0.0, math.log(1.0 + math.sqrt(2.0))]),
        ("softsign", {}, [1.0, -3.0], [0.5, -0.75]),
        ("isru", {}, [1.0, -1.0], [1 / math.sqrt(2.0), -1 / math.sqrt(2.0)]),
        ("isru", {"alpha": 2.0}, [1.0], [1 / math.sqrt(3.0)]),
        ("isrlu", {}, [-1.0, 3.0], [-1 / math.sqrt(2.0), 3.0]),
        ("isrlu", {"alpha": 0.5}, [-2.0], [-2 / math.sqrt(3.0)]),
        ("sqnl", {}, [1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.0], [0.75, -0.75, 1, -1, 1, -1, 0]),
        ("bent_identity", {}, [0.0, 1.0], [0.0, (math.sqrt(2.0) - 1) / 2 + 1]),
        ("step", {}, [-1.0, 0.0, 1.0], [0.0, 0.0, 1.0]),
        ("silu", {}, [0.0, math.log(3.0)], [0.0, 0.75 * math.log(3.0)]),
        ("silu", {"beta": 2.0}, [math.log(3.0) / 2], [0.75 * math.log(3.0) / 2]),
        ("gelu", {"approximate": "none"}, [0.0, 1.0, -1.0],
         [0.0, 0.5 * (1 + math.erf(1 / math.sqrt(2))), -0.5 * (1 - math.erf(1 / math.sqrt(2)))]),
        ("gelu", {}, [0.0, 1.0], [0.0, 0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * 1.044715))]),
    ],
)
def test_forward_exact_values(name, kwargs, z, expected):
    np.testing.assert_allclose(activations.get(name, **kwargs).forward(np.array(z)), expected,
                               rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize(
    "name, kwargs, z, expected",
    [
        ("relu", {}, [-1.0, 2.0], [0.0, 1.0]),
        ("leaky_relu", {"slope": 0.3}, [-1.0, 2.0], [0.3, 1.0]),
        ("elu", {"alpha": 0.5}, [-1.0, 2.0], [0.5 * math.exp(-1.0), 1.0]),
        ("sqnl", {}, [1.0, -1.0, 3.0, -3.0], [0.5, 0.5, 0.0, 0.0]),
        ("isru", {}, [1.0], [2.0 ** -1.5]),
        ("isrlu", {"alpha": 2.0}, [-1.0, 1.0], [3.0 ** -1.5, 1.0]),
        ("sigmoid", {}, [0.0], [0.25]),
        ("softsign", {}, [1.0], [0.25]),
        ("identity", {}, [-7.0, 7.0], [1.0, 1.0]),
        ("silu", {}, [0.0], [0.5]),
        ("silu", {"beta": 3.0}, [0.0], [0.5]),
        ("gelu", {}, [0.0], [0.5]),
        ("gelu", {"approximate": "none"}, [0.0], [0.5]),
    ],
)
def test_derivative_exact_values(name, kwargs, z, expected):
    np.testing.assert_allclose(activations.get(name, **kwargs).derivative(np.array(z)), expected,
                               rtol=1e-14)


def test_bipolar_relu_alternates_by_column():
    brelu = activations.get("brelu")
    Z = np.array([[1.0, 1.0, -1.0, -1.0, 5.0],
                  [-2.0, 3.0, 2.0, -3.0, -5.0]])
    np.testing.assert_array_equal(brelu.forward(Z), [[1.0, 0.0, 0.0, -1.0, 5.0],
                                                     [0.0, 0.0, 2.0, -3.0, 0.0]])
    np.testing.assert_array_equal(brelu.derivative(Z), [[1.0, 0.0, 0.0, 1.0, 1.0],
                                                        [0.0, 0.0, 1.0, 1.0, 0.0]])
    # a 1-D input is one row: its entries are the columns
    np.testing.assert_array_equal(brelu.forward([-1.0, -1.0]), [0.0, -1.0])


def test_activation_forward_is_a_new_array():
    Z = np.array([[1.0, -2.0]])
    out = activations.get("identity").forward(Z)
    out[0, 0] = 99.0
    assert Z[0, 0] == 1.0


# --- softmax ----------------------------------------------------------------------------


def numerical_jacobian(f, z, h=1e-6):
    J = np.zeros((z.size, z.size))
    for j in range(z.size):
        e = np.zeros_like(z)
        e[j] = h
        J[:, j] = (f(z + e) - f(z - e)) / (2 * h)
    return J


def test_softmax_jacobian_matches_numerical_jacobian():
    softmax = activations.get("softmax")
    for seed in range(5):
        z = np.random.default_rng(seed).normal(scale=2.0, size=6)
        J = softmax.jacobian(z)
        np.testing.assert_allclose(J, numerical_jacobian(softmax.forward, z), atol=1e-9)
        np.testing.assert_allclose(softmax.derivative(z), np.diag(J), rtol=1e-12)


def test_softmax_backward_is_the_vector_jacobian_product():
    softmax = activations.get("softmax")
    rng = np.random.default_rng(3)
    Z = rng.normal(scale=2.0, size=(5, 4))
    dA = rng.normal(size=(5, 4))
    dZ = softmax.backward(Z, softmax.forward(Z), dA)
    numeric = np.zeros_like(Z)
    h = 1e-6
    for idx in np.ndindex(Z.shape):
        E = np.zeros_like(Z)
        E[idx] = h
        numeric[idx] = (np.sum(dA * softmax.forward(Z + E)) - np.sum(dA * softmax.forward(Z - E))) / (2 * h)
    np.testing.assert_allclose(dZ, numeric, rtol=1e-6, atol=1e-10)
    for i in range(Z.shape[0]):  # and equals dA @ J row by row
        np.testing.assert_allclose(dZ[i], dA[i] @ softmax.jacobian(Z[i]), rtol=1e-10, atol=1e-14)


def test_softmax_rows_sum_to_one_and_are_shift_invariant():
    softmax = activations.get("softmax")
    Z = np.random.default_rng(4).normal(scale=3.0, size=(8, 5))
    S = softmax.forward(Z)
    np.testing.assert_allclose(S.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all(S > 0)
    for c in (-1000.0, -3.0, 7.5, 1000.0):
        np.testing.assert_allclose(softmax.forward(Z + c), S, rtol=0, atol=1e-12)
    np.testing.assert_allclose(softmax.forward([0.0, math.log(3.0)]), [0.25, 0.75], rtol=1e-14)


def test_softmax_is_stable_at_large_inputs():
    softmax = activations.get("softmax")
    S = softmax.forward(np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]]))
    np.testing.assert_array_equal(S[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(S[1], [1 / 3] * 3, rtol=1e-15)


# --- ranges and stability ---------------------------------------------------------------


def test_sigmoid_range_and_stability():
    sigmoid = activations.get("sigmoid")
    Z = np.linspace(-30.0, 30.0, 601)
    S = sigmoid.forward(Z)
    assert np.all((S > 0) & (S < 1))
    np.testing.assert_allclose(S, sigma(Z), rtol=1e-14)
    np.testing.assert_array_equal(sigmoid.forward([1000.0, -1000.0]), [1.0, 0.0])
    np.testing.assert_array_equal(sigmoid.derivative([1000.0, -1000.0]), [0.0, 0.0])


@pytest.mark.parametrize(
    "name, low, high",
    [("tanh", -1, 1), ("softsign", -1, 1), ("arctan", -math.pi / 2, math.pi / 2),
     ("isru", -1, 1), ("sqnl", -1, 1), ("relu", 0, np.inf), ("softplus", 0, np.inf),
     ("elu", -1, np.inf)],
)
def test_bounded_output_ranges(name, low, high):
    out = activations.get(name).forward(np.linspace(-20.0, 20.0, 401))
    assert np.all(out >= low) and np.all(out <= high)


# --- look-up and parameters -------------------------------------------------------------


def test_get_returns_instances_and_accepts_aliases():
    assert isinstance(activations.get("logistic"), activations.Sigmoid)
    assert isinstance(activations.get("Leaky-ReLU"), activations.LeakyReLU)
    relu = activations.ReLU()
    assert activations.get(relu) is relu
    assert activations.get("leaky_relu", slope=0.1) == activations.LeakyReLU(0.1)
    assert activations.get("leaky_relu", slope=0.1) != activations.LeakyReLU(0.3)
    assert repr(activations.get("elu", alpha=0.5)) == "ELU(alpha=0.5)"


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match=r"Unknown activation 'rleu'.*Valid names: .*relu"):
        activations.get("rleu")


@pytest.mark.parametrize(
    "name, kwargs, exc, match",
    [
        ("leaky_relu", {"slope": 2.0}, ValueError, r"slope must be in \[0.0, 1.0\], got slope=2.0"),
        ("leaky_relu", {"slope": -0.1}, ValueError, r"slope=-0.1"),
        ("elu", {"alpha": -1.0}, ValueError, r"alpha must be positive, got alpha=-1.0"),
        ("isru", {"alpha": 0}, ValueError, r"alpha must be positive"),
        ("elu", {"alpha": "1"}, TypeError, r"alpha must be a real number, got str"),
        ("silu", {"beta": 0.0}, ValueError, r"beta must be positive, got beta=0.0"),
        ("gelu", {"approximate": "erf"}, ValueError,
         r"approximate must be 'tanh' or 'none', got approximate='erf'"),
    ],
)
def test_bad_parameters_raise(name, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        activations.get(name, **kwargs)


def test_non_numeric_input_raises_type_error():
    with pytest.raises(TypeError, match="Z must be an array of numbers, got str"):
        activations.get("relu").forward("abc")
    with pytest.raises(TypeError, match="Z must contain numbers"):
        activations.get("relu").derivative(np.array(["a", "b"]))
    with pytest.raises(ValueError, match=r"z must be a 1-D array .*got shape \(2, 2\)"):
        activations.get("softmax").jacobian(np.zeros((2, 2)))


def test_equal_activations_hash_equal():
    assert len({activations.LeakyReLU(0.1), activations.get("lrelu", slope=0.1),
                activations.LeakyReLU(0.3), activations.ReLU()}) == 3


# --- GELU and SiLU ----------------------------------------------------------------------


def test_silu_is_z_times_the_sigmoid_and_its_derivative_the_product_rule():
    Z = np.linspace(-8.0, 8.0, 161)
    for beta in (1.0, 2.0, 0.5):
        silu = activations.get("swish", beta=beta)
        s = sigma(beta * Z)
        np.testing.assert_allclose(silu.forward(Z), Z * s, rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(silu.derivative(Z), s + Z * beta * s * (1 - s),
                                   rtol=1e-12, atol=1e-15)


def test_gelu_tanh_approximation_is_within_1e_3_of_the_exact_gelu():
    Z = np.linspace(-10.0, 10.0, 2001)
    exact, approx = activations.get("gelu", approximate="none"), activations.get("gelu")
    gap = np.abs(exact.forward(Z) - approx.forward(Z))
    assert gap.max() < 1e-3 and gap[np.abs(Z) > 6].max() < 1e-8  # both tend to max(0, z)
    np.testing.assert_allclose(approx.derivative(Z), exact.derivative(Z), atol=1e-3)


@pytest.mark.parametrize("name, kwargs, minimum, argmin", [
    ("gelu", {"approximate": "none"}, -0.16997, -0.7518),
    ("silu", {}, -0.27846, -1.2785),
    ("silu", {"beta": 2.0}, -0.27846 / 2, -1.2785 / 2),
])
def test_gelu_and_silu_dip_below_zero_once(name, kwargs, minimum, argmin):
    act = activations.get(name, **kwargs)
    Z = np.linspace(-6.0, 6.0, 120001)
    A = act.forward(Z)
    assert A.min() == pytest.approx(minimum, abs=1e-4)
    assert Z[A.argmin()] == pytest.approx(argmin, abs=1e-3)
    slope = act.derivative(Z)
    assert np.all(np.diff(np.sign(slope[slope != 0])) >= 0)  # falls, then rises: one minimum

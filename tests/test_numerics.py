"""Extreme inputs: no warnings (filterwarnings=error), no NaN, no inf where the value is finite."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlib as nn
from nnlib import activations, losses

pytestmark = pytest.mark.filterwarnings("error")

EXTREMES = np.array([-1e4, -1000.0, -745.0, -710.0, -1.0, 0.0, 1.0, 710.0, 745.0, 1000.0, 1e4])
#: The same values as a (11, 11) matrix whose rows mix extremes of both signs.
EXTREME_MATRIX = np.stack([np.roll(EXTREMES, i) for i in range(EXTREMES.size)])

ACTIVATION_CASES = [(n, {}) for n in activations.names()] + [
    ("leaky_relu", {"slope": 0.3}), ("elu", {"alpha": 0.5}), ("isru", {"alpha": 2.0}),
    ("isrlu", {"alpha": 0.5}),
]
SETTINGS = settings(max_examples=40, deadline=None, database=None)


@pytest.mark.parametrize("name, kwargs", ACTIVATION_CASES,
                         ids=[n + "".join(f"-{v}" for v in kw.values()) for n, kw in ACTIVATION_CASES])
def test_activations_at_extreme_inputs(name, kwargs):
    act = activations.get(name, **kwargs)
    for Z in (EXTREMES, EXTREME_MATRIX):
        A, dA = act.forward(Z), act.derivative(Z)
        assert A.shape == dA.shape == Z.shape
        assert np.all(np.isfinite(A)) and np.all(np.isfinite(dA))
        dZ = act.backward(Z, A, np.ones_like(Z))
        assert dZ.shape == Z.shape and np.all(np.isfinite(dZ))


def test_saturating_activations_hit_their_limits_exactly():
    z = np.array([-1e4, -1000.0, 1000.0, 1e4])
    np.testing.assert_array_equal(activations.get("sigmoid").forward(z), [0, 0, 1, 1])
    np.testing.assert_array_equal(activations.get("tanh").forward(z), [-1, -1, 1, 1])
    np.testing.assert_array_equal(activations.get("softplus").forward(z), [0, 0, 1000, 1e4])
    np.testing.assert_array_equal(activations.get("softplus").derivative(z), [0, 0, 1, 1])
    np.testing.assert_array_equal(activations.get("elu").forward(z), [-1, -1, 1000, 1e4])
    np.testing.assert_array_equal(activations.get("sqnl").forward(z), [-1, -1, 1, 1])
    np.testing.assert_allclose(activations.get("isru").forward(z),
                               [v / math.sqrt(1 + v * v) for v in z], rtol=1e-15)
    np.testing.assert_allclose(activations.get("arsinh").forward([1e4]), [math.asinh(1e4)], rtol=1e-15)
    S = activations.get("softmax").forward(np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]]))
    np.testing.assert_array_equal(S[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(S[1], 1 / 3, rtol=1e-15)


LOSS_DATA = {
    "mse": (EXTREME_MATRIX[:, :3], EXTREME_MATRIX[:, 3:6]),
    "mae": (EXTREME_MATRIX[:, :3], EXTREME_MATRIX[:, 3:6]),
    "mape": (EXTREME_MATRIX[:, :3], np.where(EXTREME_MATRIX[:, 3:6] == 0, 1e-3, EXTREME_MATRIX[:, 3:6])),
    # probabilities at the edges of (0, 1), including exact 0 and 1 (clipped before the log)
    "bce": (np.tile([0.0, 1e-300, 0.5, 1 - 1e-16, 1.0], (4, 1)),
            np.tile([1.0, 0.0, 1.0], (4, 2))[:, :5]),
    "cross_entropy": (np.array([[1.0, 0.0, 0.0], [1e-300, 1.0 - 1e-16, 0.0]]),
                      np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])),
    "hinge": (EXTREME_MATRIX[:, :3], np.sign(EXTREME_MATRIX[:, 3:6]) + (EXTREME_MATRIX[:, 3:6] == 0)),
}


@pytest.mark.parametrize("name", sorted(LOSS_DATA))
def test_losses_at_extreme_inputs(name):
    loss = losses.get(name)
    y_hat, y = LOSS_DATA[name]
    value, grad = loss.forward(y_hat, y), loss.gradient(y_hat, y)
    assert math.isfinite(value) and value >= 0
    assert grad.shape == y_hat.shape and np.all(np.isfinite(grad))


def test_unfused_cross_entropies_clip_at_eps():
    # the documented ceiling: log(0) never happens, the loss is -log(EPS) per wrong sample
    assert losses.get("bce").forward([[0.0]], [[1.0]]) == pytest.approx(-math.log(losses.EPS))
    assert losses.get("cross_entropy").forward([[1.0, 0.0]], [1]) == pytest.approx(-math.log(losses.EPS))


@pytest.mark.parametrize("scale", [1.0, 745.0, 1000.0, 1e4])
def test_fused_losses_at_extreme_logits(scale):
    rng = np.random.default_rng(int(scale))
    Z = rng.choice([-1.0, 0.0, 1.0], size=(10, 3)) * scale
    bce = losses.get("bce")
    y = rng.integers(0, 2, size=(10, 3)).astype(float)
    value, dZ = bce.from_logits(Z, y)
    # exact: per entry max(z, 0) - y z + log(1 + e^{-|z|}), with log 2 at z = 0
    expected = np.sum(np.maximum(Z, 0) - y * Z + np.where(Z == 0, math.log(2.0), 0.0)) / 10
    if scale >= 745:
        assert value == pytest.approx(expected, rel=1e-12)
    assert math.isfinite(value) and np.all(np.isfinite(dZ))
    assert np.all(np.abs(dZ) <= 0.1)

    ce = losses.get("cross_entropy")
    labels = rng.integers(0, 3, 10)
    value, dZ = ce.from_logits(Z, labels)
    assert math.isfinite(value) and value >= 0 and np.all(np.isfinite(dZ))
    np.testing.assert_allclose(dZ.sum(axis=1), 0.0, atol=1e-15)  # softmax - one-hot sums to 0


MODEL_CASES = [
    ("tanh", "identity", "mse"), ("relu", "identity", "mae"), ("sigmoid", "sigmoid", "bce"),
    ("elu", "softmax", "cross_entropy"), ("softplus", "tanh", "mse"),
    ("leaky_relu", "softmax", "mse"), ("arctan", "identity", "hinge"), ("brelu", "sigmoid", "mse"),
]


@pytest.mark.parametrize("activation, output, loss", MODEL_CASES)
def test_mlp_forward_backward_on_inputs_scaled_by_1e3(activation, output, loss):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(16, 3)) * 1e3
    k = 3
    if loss in ("cross_entropy",):
        y = rng.integers(0, k, 16)
    elif loss in ("bce", "hinge") or output == "sigmoid":
        y = rng.integers(0, 2, size=(16, k)).astype(float)
    else:
        y = rng.normal(size=(16, k))
    model = nn.MLP([3, 8, 8, k], activation=activation, output=output, seed=0)
    value = model.loss_and_grads(X, y, loss, l2=1e-3)
    assert math.isfinite(value)
    assert all(np.all(np.isfinite(g)) for g in model.grads)
    y_hat = model.forward(X)
    assert np.all(np.isfinite(y_hat))
    dX = model.backward(np.ones_like(y_hat) / 16)
    assert np.all(np.isfinite(dX)) and all(np.all(np.isfinite(g)) for g in model.grads)
    assert np.all(np.isfinite(model.predict(X)))


# --- property-based ---------------------------------------------------------------------

finite_arrays = hnp.arrays(
    dtype=np.float64,
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
    elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)


@SETTINGS
@given(Z=finite_arrays, name=st.sampled_from(activations.names()))
def test_activation_preserves_shape_and_stays_finite(Z, name):
    act = activations.get(name)
    A, dA = act.forward(Z), act.derivative(Z)
    assert A.shape == Z.shape and dA.shape == Z.shape
    assert np.all(np.isfinite(A)) and np.all(np.isfinite(dA))
    np.testing.assert_array_equal(Z, Z.copy())  # the input is left alone


@SETTINGS
@given(Z=finite_arrays)
def test_softmax_rows_sum_to_one(Z):
    S = activations.get("softmax").forward(Z)
    assert np.all((S >= 0) & (S <= 1))
    np.testing.assert_allclose(S.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    # the largest entry of each row gets the largest probability
    np.testing.assert_array_equal(np.max(S, axis=-1), np.take_along_axis(
        S, np.argmax(Z, axis=-1)[..., None], axis=-1)[..., 0])


@SETTINGS
@given(Z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6),
                    elements=st.floats(-1e4, 1e4)),
       data=st.data())
def test_fused_losses_are_finite_and_nonnegative(Z, data):
    m, k = Z.shape
    y = data.draw(hnp.arrays(np.float64, (m, k), elements=st.sampled_from([0.0, 1.0])))
    value, dZ = losses.get("bce").from_logits(Z, y)
    assert math.isfinite(value) and value >= 0 and np.all(np.isfinite(dZ))
    if k > 1:
        labels = data.draw(hnp.arrays(np.int64, (m,), elements=st.integers(0, k - 1)))
        value, dZ = losses.get("cross_entropy").from_logits(Z, labels)
        assert math.isfinite(value) and value >= 0 and np.all(np.isfinite(dZ))
        np.testing.assert_allclose(dZ.sum(axis=1), 0.0, atol=1e-12)


@SETTINGS
@given(y_hat=hnp.arrays(np.float64, (4, 2), elements=st.floats(-1e4, 1e4)),
       y=hnp.arrays(np.float64, (4, 2), elements=st.floats(-1e4, 1e4)),
       name=st.sampled_from(["mse", "mae"]))
def test_regression_losses_are_finite_and_nonnegative(y_hat, y, name):
    loss = losses.get(name)
    assert 0 <= loss.forward(y_hat, y) < math.inf
    assert np.all(np.isfinite(loss.gradient(y_hat, y)))
    assert loss.forward(y, y) == 0.0

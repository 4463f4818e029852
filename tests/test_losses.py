"""Losses: gradients against two-sided differences, hand-computed values, targets, fused paths."""

import math

import numpy as np
import pytest

from nnlib import activations, losses
from nnlib.gradcheck import numerical_gradient, relative_error

pytestmark = pytest.mark.filterwarnings("error")

M, K = 6, 3


def regression_pair(seed, m=M, k=K):
    """y_hat, y with |y_hat - y| > 0.1 and |y| > 0.5 (away from the mae/mape kinks and poles)."""
    rng = np.random.default_rng(seed)
    y = rng.choice([-1.0, 1.0], size=(m, k)) * rng.uniform(0.5, 2.0, size=(m, k))
    y_hat = y + rng.choice([-1.0, 1.0], size=(m, k)) * rng.uniform(0.1, 1.0, size=(m, k))
    return y_hat, y


def pair_for(name, seed=0):
    """A differentiable point for each loss."""
    rng = np.random.default_rng(seed)
    if name in ("mse", "mae", "mape"):
        return regression_pair(seed)
    if name == "bce":
        return rng.uniform(0.05, 0.95, size=(M, K)), rng.uniform(0.0, 1.0, size=(M, K))
    if name == "cross_entropy":
        y_hat = rng.uniform(0.05, 1.0, size=(M, K))
        return y_hat / y_hat.sum(axis=1, keepdims=True), np.eye(K)[rng.integers(0, K, M)]
    if name == "hinge":
        t = rng.choice([-1.0, 1.0], size=(M, K))
        margin = rng.choice([-1.0, 1.0], size=(M, K)) * rng.uniform(0.1, 1.5, size=(M, K))
        return t * (1.0 - margin), t  # 1 - t * y_hat = margin, never near 0
    raise AssertionError(f"no test data for loss {name!r}")


CANONICAL = ["mse", "mae", "mape", "bce", "cross_entropy", "hinge"]


def test_registry_has_the_documented_losses():
    assert set(CANONICAL) <= set(losses.names())


@pytest.mark.parametrize("name", losses.names())
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_matches_numerical_gradient(name, seed):
    loss = losses.get(name)
    key = next(n for n in CANONICAL if isinstance(loss, type(losses.get(n))))
    y_hat, y = pair_for(key, seed)
    grad = loss.gradient(y_hat, y)
    assert grad.shape == y_hat.shape
    numeric = numerical_gradient(lambda v: loss.forward(v, y), y_hat.copy())
    assert np.linalg.norm(grad) > 1e-3  # a non-trivial point
    assert relative_error(grad, numeric) < 1e-7


Y_HAT = np.array([[1.0, 2.0], [3.0, 4.0]])
Y = np.array([[0.0, 2.0], [1.0, 1.0]])


@pytest.mark.parametrize(
    "name, y_hat, y, expected",
    [
        ("mse", Y_HAT, Y, (1.0 + 0.0 + 4.0 + 9.0) / 2),
        ("mae", Y_HAT, Y, (1.0 + 0.0 + 2.0 + 3.0) / 2),
        ("mape", Y_HAT, np.array([[2.0, 1.0], [1.0, 5.0]]), 100 * (0.5 + 1.0 + 2.0 + 0.2) / 2),
        ("bce", np.array([[0.8], [0.25]]), np.array([[1.0], [0.0]]),
         -(math.log(0.8) + math.log(0.75)) / 2),
        ("bce", np.array([[0.5, 0.9]]), np.array([[0.5, 1.0]]),
         -(0.5 * math.log(0.5) + 0.5 * math.log(0.5) + math.log(0.9))),
        ("cross_entropy", np.array([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]]),
         np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), -(math.log(0.7) + math.log(0.4)) / 2),
        ("hinge", np.array([[0.3, -2.0], [1.5, 0.2]]), np.array([[1.0, -1.0], [-1.0, 1.0]]),
         ((1 - 0.3) + 0.0 + (1 + 1.5) + (1 - 0.2)) / 2),
        ("hinge", np.array([[0.3, -2.0], [1.5, 0.2]]), np.array([[1.0, 0.0], [0.0, 1.0]]),
         ((1 - 0.3) + 0.0 + (1 + 1.5) + (1 - 0.2)) / 2),
    ],
)
def test_forward_by_hand(name, y_hat, y, expected):
    value = losses.get(name).forward(y_hat, y)
    assert isinstance(value, float)
    assert value == pytest.approx(expected, rel=1e-12)


def test_mse_gradient_by_hand():
    np.testing.assert_allclose(losses.get("mse").gradient(Y_HAT, Y), 2 * (Y_HAT - Y) / 2)
    np.testing.assert_allclose(losses.get("mae").gradient(Y_HAT, Y), [[0.5, 0.0], [0.5, 0.5]])
    np.testing.assert_allclose(
        losses.get("hinge").gradient(np.array([[0.3, -2.0]]), np.array([[1.0, -1.0]])),
        [[-1.0, 0.0]])


@pytest.mark.parametrize("name", ["cross_entropy", "hinge"])
def test_integer_labels_equal_one_hot(name):
    loss = losses.get(name)
    rng = np.random.default_rng(5)
    y_hat = rng.uniform(0.05, 1.0, size=(7, 4))
    y_hat /= y_hat.sum(axis=1, keepdims=True)
    labels = np.array([0, 3, 1, 2, 3, 0, 1])
    one_hot = np.eye(4)[labels]
    assert loss.forward(y_hat, labels) == loss.forward(y_hat, one_hot)
    np.testing.assert_array_equal(loss.gradient(y_hat, labels), loss.gradient(y_hat, one_hot))
    # labels given as whole floats are labels too
    assert loss.forward(y_hat, labels.astype(float)) == loss.forward(y_hat, one_hot)


@pytest.mark.parametrize(
    "name, y_hat, y",
    [
        ("mse", [[0.2], [1.5], [-0.4]], [0.0, 1.0, 2.0]),
        ("mae", [[0.2], [1.5], [-0.4]], [0.0, 1.0, 2.0]),
        ("mape", [[0.2], [1.5], [-0.4]], [0.5, 1.0, 2.0]),
        ("bce", [[0.2], [0.7], [0.4]], [0.0, 1.0, 1.0]),
        ("hinge", [[0.2], [1.5], [-0.4]], [0.0, 1.0, 1.0]),
        ("cross_entropy", [[0.2], [0.7], [0.4]], [1.0, 1.0, 1.0]),
    ],
)
def test_one_dimensional_y_with_one_output_column(name, y_hat, y):
    loss = losses.get(name)
    y_hat = np.array(y_hat)
    y_col = np.array(y).reshape(-1, 1)
    assert loss.forward(y_hat, np.array(y)) == loss.forward(y_hat, y_col)
    grad = loss.gradient(y_hat, np.array(y))
    assert grad.shape == (3, 1)
    np.testing.assert_array_equal(grad, loss.gradient(y_hat, y_col))


# --- fused paths ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_bce_from_logits_matches_unfused(seed):
    bce = losses.get("bce")
    rng = np.random.default_rng(seed)
    Z = rng.normal(scale=3.0, size=(8, 2))
    y = rng.integers(0, 2, size=(8, 2)).astype(float)
    y_hat = activations.get("sigmoid").forward(Z)
    value, dZ = bce.from_logits(Z, y)
    assert value == pytest.approx(bce.forward(y_hat, y), rel=1e-12)
    np.testing.assert_allclose(dZ, (y_hat - y) / 8, rtol=1e-13, atol=1e-16)
    numeric = numerical_gradient(lambda v: bce.from_logits(v, y)[0], Z.copy())
    assert relative_error(dZ, numeric) < 1e-7


@pytest.mark.parametrize("seed", [0, 1])
def test_cross_entropy_from_logits_matches_unfused(seed):
    ce = losses.get("cross_entropy")
    rng = np.random.default_rng(seed)
    Z = rng.normal(scale=3.0, size=(8, 4))
    y = np.eye(4)[rng.integers(0, 4, 8)]
    y_hat = activations.get("softmax").forward(Z)
    value, dZ = ce.from_logits(Z, y)
    assert value == pytest.approx(ce.forward(y_hat, y), rel=1e-12)
    np.testing.assert_allclose(dZ, (y_hat - y) / 8, rtol=1e-13, atol=1e-16)
    numeric = numerical_gradient(lambda v: ce.from_logits(v, y)[0], Z.copy())
    assert relative_error(dZ, numeric) < 1e-7


def test_fused_losses_stay_exact_where_the_unfused_path_clips():
    bce = losses.get("bce")
    Z = np.array([[1e4], [-1e4], [1e4], [-1e4]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    value, dZ = bce.from_logits(Z, y)
    assert value == 1e4 / 2  # two confidently wrong samples, each costs |z|
    np.testing.assert_array_equal(dZ, [[0.25], [-0.25], [0.0], [0.0]])
    clipped = bce.forward(activations.get("sigmoid").forward(Z), y)
    assert clipped == pytest.approx(-math.log(losses.EPS) / 2, rel=1e-6)  # the unfused ceiling

    ce = losses.get("cross_entropy")
    Z = np.array([[1e4, -1e4, 0.0], [0.0, 1e4, 0.0]])
    y = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    value, dZ = ce.from_logits(Z, y)
    assert value == 2e4 / 2
    np.testing.assert_array_equal(dZ, [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]])


@pytest.mark.parametrize("name", ["bce", "cross_entropy"])
def test_from_logits_accepts_the_same_targets_as_forward(name):
    loss = losses.get(name)
    if name == "bce":
        Z, y = np.array([[1.0], [-2.0], [3.0]]), np.array([0.0, 1.0, 1.0])
    else:
        Z, y = np.array([[1.0, 0.0], [-2.0, 0.5], [3.0, 1.0]]), np.array([0, 1, 1])
    act = activations.get("sigmoid" if name == "bce" else "softmax")
    value, dZ = loss.from_logits(Z, y)
    assert dZ.shape == Z.shape
    assert value == pytest.approx(loss.forward(act.forward(Z), y), rel=1e-12)
    with pytest.raises(ValueError, match=r"expected y of shape \(m, \d\).*got shape \(3, 5\)"):
        loss.from_logits(Z, np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"has 3 samples but y has 2"):
        loss.from_logits(Z, y[:2])


def test_fused_with_declares_the_output_activation():
    assert losses.get("bce").fused_with is activations.Sigmoid
    assert losses.get("cross_entropy").fused_with is activations.Softmax
    assert losses.get("mse").fused_with is None


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, y_hat, y, exc, match",
    [
        ("mse", np.zeros((3, 2)), np.zeros((3, 3)), ValueError,
         r"MSE expected y of shape \(m, 2\) to match y_hat, got shape \(3, 3\)"),
        ("mse", np.zeros((3, 1)), np.zeros(4), ValueError, r"y_hat has 3 samples but y has 4"),
        ("mse", np.zeros(3), np.zeros(3), ValueError, r"y_hat must be a 2-D array .*got shape \(3,\)"),
        ("mse", np.array([[np.nan]]), np.zeros((1, 1)), ValueError, r"y_hat must be finite"),
        ("mse", "abc", np.zeros((1, 1)), TypeError, r"y_hat must be an array of numbers, got str"),
        ("mape", np.ones((2, 1)), np.array([[0.0], [1.0]]), ValueError,
         r"mape is undefined for targets equal to 0, got 1"),
        ("bce", np.full((2, 1), 0.5), np.array([[2.0], [1.0]]), ValueError,
         r"bce expected targets in \[0, 1\], got values from 1.0 to 2.0"),
        ("cross_entropy", np.full((2, 3), 1 / 3), np.array([0, 3]), ValueError,
         r"integer class labels in \[0, 3\), got values from 0.0 to 3.0"),
        ("cross_entropy", np.full((2, 3), 1 / 3), np.array([0.5, 1.0]), ValueError,
         r"integer class labels"),
        ("cross_entropy", np.full((1, 2), 0.5), np.array([[0.7, 0.7]]), ValueError,
         r"one-hot or a probability vector"),
        ("hinge", np.zeros((2, 1)), np.array([[2.0], [1.0]]), ValueError,
         r"hinge expected targets in \{-1, \+1\} or \{0, 1\}, got values \[1.0, 2.0\]"),
    ],
)
def test_bad_targets_raise(name, y_hat, y, exc, match):
    with pytest.raises(exc, match=match):
        losses.get(name).forward(y_hat, y)
    with pytest.raises(exc, match=match):
        losses.get(name).gradient(y_hat, y)


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match=r"Unknown loss 'mser'.*Valid names: .*mse"):
        losses.get("mser")
    assert isinstance(losses.get("binary_cross_entropy"), losses.BinaryCrossEntropy)
    assert repr(losses.get("mse")) == "MSE()"

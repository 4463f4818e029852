"""gradcheck: two-sided differences on known functions, relative error, bad input."""

import numpy as np
import pytest

import nnlib as nn
from nnlib.gradcheck import check_model, numerical_gradient, relative_error

pytestmark = pytest.mark.filterwarnings("error")


def test_numerical_gradient_of_a_quadratic():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4))
    A = A + A.T
    b = rng.normal(size=4)
    x = rng.normal(size=4)
    grad = numerical_gradient(lambda v: 0.5 * v @ A @ v + b @ v, x)
    np.testing.assert_allclose(grad, A @ x + b, rtol=1e-8, atol=1e-9)


def test_numerical_gradient_of_sum_of_sin_on_a_matrix():
    x = np.random.default_rng(1).uniform(-3, 3, size=(3, 5))
    grad = numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    assert grad.shape == (3, 5)
    np.testing.assert_allclose(grad, np.cos(x), rtol=1e-7, atol=1e-9)


def test_numerical_gradient_is_second_order_accurate():
    # For a cubic, the two-sided difference error is exactly eps^2 (x^3: 3x^2 + eps^2).
    x = np.array([2.0])
    grad = numerical_gradient(lambda v: float(v[0] ** 3), x, eps=1e-2)
    assert grad[0] == pytest.approx(12.0 + 1e-4, rel=1e-9)


def test_numerical_gradient_restores_x_and_supports_closures():
    x = np.random.default_rng(2).normal(size=(2, 3))
    before = x.copy()
    numerical_gradient(lambda _: float(np.sum(x ** 2)), x)  # f reads x through a closure
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(numerical_gradient(lambda _: float(np.sum(x ** 2)), x), 2 * x,
                               rtol=1e-8)


def test_numerical_gradient_restores_x_when_f_fails():
    x = np.array([1.0, 2.0])

    def f(v):
        if v[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    with pytest.raises(ValueError):
        numerical_gradient(lambda v: v, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.mark.parametrize(
    "f, x, exc, match",
    [
        (3.0, np.zeros(2), TypeError, "f must be a function of x returning a number, got float"),
        (np.sum, np.array([1, 2]), TypeError, "x must be a float64 numpy array .*dtype int64"),
        (np.sum, [1.0, 2.0], TypeError, "x must be a float64 numpy array .*got list"),
        (np.sum, np.zeros(2, dtype=np.float32), TypeError, "dtype float32"),
        (lambda v: v * 2, np.zeros(3), ValueError, r"f must return a single number, got an array of shape \(3,\)"),
        (lambda v: np.inf, np.zeros(1), ValueError, "f returned inf"),
    ],
)
def test_numerical_gradient_bad_input(f, x, exc, match):
    with pytest.raises(exc, match=match):
        numerical_gradient(f, x)


@pytest.mark.parametrize("eps, exc", [(0.0, ValueError), (-1e-6, ValueError), ("1e-6", TypeError)])
def test_numerical_gradient_bad_eps(eps, exc):
    with pytest.raises(exc, match="eps must be"):
        numerical_gradient(np.sum, np.zeros(2), eps=eps)


def test_relative_error_basics():
    a = np.array([1.0, 2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(a, -a) == 1.0
    assert relative_error(a, np.zeros(3)) == 1.0
    assert relative_error([3.0, 0.0], [0.0, 4.0]) == pytest.approx(5.0 / 7.0, rel=1e-15)
    assert relative_error(a, a * (1 + 1e-9)) == pytest.approx(5e-10, rel=1e-5)
    with pytest.raises(ValueError, match=r"shapes differ: \(3,\) and \(2,\)"):
        relative_error(a, a[:2])
    with pytest.raises(TypeError, match="analytic must"):
        relative_error("a", a)


def test_check_model_is_small_for_a_correct_model_and_large_for_a_wrong_one(monkeypatch):
    X = np.random.default_rng(3).normal(size=(10, 3))
    y = np.random.default_rng(4).normal(size=(10, 2))
    model = nn.MLP([3, 4, 2], activation="tanh", seed=0)
    assert check_model(model, X, y, "mse") < 1e-7
    # break the backward pass: the check must notice
    tanh = model.layers[0].activation
    monkeypatch.setattr(tanh, "backward", lambda Z, A, dA: dA * (1.0 - A))
    assert check_model(model, X, y, "mse") > 1e-2

"""MLP.activations: every layer's output, layer by layer, for one input batch."""

import numpy as np
import pytest

import nnlib as nn

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture
def model():
    return nn.MLP([3, 4, 5, 2], activation=["tanh", "relu"], output="sigmoid", seed=1)


@pytest.fixture
def X():
    return np.random.default_rng(0).normal(size=(7, 3))


def test_one_array_per_layer_with_shape_m_by_n_l(model, X):
    A = model.activations(X)
    assert isinstance(A, list)
    assert len(A) == len(model.layers) == 3
    assert [a.shape for a in A] == [(7, 4), (7, 5), (7, 2)]


def test_last_activation_equals_forward(model, X):
    A = model.activations(X)
    np.testing.assert_array_equal(A[-1], model.forward(X))


def test_each_layer_applies_its_activation_to_the_previous_output(model, X):
    A1, A2, A3 = model.activations(X)
    (W1, b1), (W2, b2), (W3, b3) = [(layer.W, layer.b) for layer in model.layers]
    np.testing.assert_allclose(A1, np.tanh(X @ W1 + b1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(A2, np.maximum(A1 @ W2 + b2, 0.0), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(A3, 1 / (1 + np.exp(-(A2 @ W3 + b3))), rtol=1e-12, atol=1e-15)


def test_single_layer_model(X):
    model = nn.MLP([3, 2], output="identity", seed=0)
    (A,) = model.activations(X)
    np.testing.assert_allclose(A, X @ model.layers[0].W + model.layers[0].b, rtol=1e-12)


def test_a_later_call_does_not_change_earlier_results(model, X):
    first = model.activations(X)
    saved = [a.copy() for a in first]
    model.activations(X[:2] + 1.0)
    for a, s in zip(first, saved):
        np.testing.assert_array_equal(a, s)


def test_accepts_lists(model, X):
    A = model.activations(X.tolist())
    np.testing.assert_allclose(A[-1], model.forward(X), rtol=0, atol=0)


@pytest.mark.parametrize("bad, exc, match", [
    (np.zeros((4, 2)), ValueError, r"expected X with 3 columns, got shape \(4, 2\)"),
    (np.zeros((4, 5)), ValueError, r"expected X with 3 columns, got shape \(4, 5\)"),
    (np.zeros(3), ValueError, "X must be a 2-D array"),
    (np.array([[0.0, np.nan, 1.0]]), ValueError, "X must be finite"),
    ("abc", TypeError, "X must be an array of numbers"),
])
def test_rejects_bad_input(model, bad, exc, match):
    with pytest.raises(exc, match=match):
        model.activations(bad)


def test_model_source_compiles_without_syntax_warnings():
    # A docstring with "\h" (from :math:`\hat{y}`) is an invalid escape: a SyntaxWarning on
    # import from source, and an error under -W error.
    import pathlib

    import nnlib.model

    source = pathlib.Path(nnlib.model.__file__).read_text(encoding="utf-8")
    compile(source, nnlib.model.__file__, "exec")

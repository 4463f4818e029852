"""Checks of chapter 4: each passes the reference solution, rejects typical wrong answers with
a message that names the case and what is wrong (expected vs got) and gives a hint, reports a
stub as not solved yet, and survives a student function that raises."""

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, crashes, stub
from nnlib.checks import backprop as checks


def sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-Z))


# --- logistic_backward ----------------------------------------------------------------------

def logistic_reference(X, y, w, b):
    A = sigmoid(X @ w + b)
    dZ = (A - y) / X.shape[0]
    return X.T @ dZ, dZ.sum()


def test_logistic_cases_agree_with_numerical_gradients():
    """The check's expected answers (nnlib's) are the true gradients of the mean BCE."""
    bce = nn.losses.get("bce")
    for _, X, y, w, b in checks._logistic_cases():
        wb = np.concatenate([w.ravel(), [b]])

        def loss(v):
            return bce.from_logits(X @ v[:-1, None] + v[-1], y)[0]

        numeric = nn.gradcheck.numerical_gradient(loss, wb)
        dw, db = logistic_reference(X, y, w, b)
        np.testing.assert_allclose(np.append(dw.ravel(), db), numeric, rtol=1e-6, atol=1e-9)


def test_logistic_passes_the_reference_and_variants():
    assert checks.check_logistic_backward(logistic_reference).passed
    # db as a (1,) array or a (1, 1) array is fine too
    assert checks.check_logistic_backward(
        lambda X, y, w, b: (logistic_reference(X, y, w, b)[0],
                            np.array([logistic_reference(X, y, w, b)[1]]))).passed
    assert checks.check_logistic_backward(
        lambda X, y, w, b: (logistic_reference(X, y, w, b)[0],
                            np.sum((sigmoid(X @ w + b) - y) / len(X), axis=0, keepdims=True))).passed


def test_logistic_rejects_a_missing_mean():
    def summed(X, y, w, b):
        A = sigmoid(X @ w + b)
        return X.T @ (A - y), np.sum(A - y)

    assert_failed(checks.check_logistic_backward(summed), "m=5 samples", "m times too large",
                  "dw expected")


def test_logistic_rejects_db_without_the_mean_and_names_db():
    def db_summed(X, y, w, b):
        A = sigmoid(X @ w + b)
        return X.T @ (A - y) / len(X), np.sum(A - y)

    feedback = checks.check_logistic_backward(db_summed)
    assert_failed(feedback, "dw is right but db is wrong", "db expected")


def test_logistic_rejects_a_sign_flip_and_a_missing_sigmoid():
    assert_failed(checks.check_logistic_backward(
        lambda X, y, w, b: tuple(-g for g in logistic_reference(X, y, w, b))), "sign is flipped")

    def no_sigmoid(X, y, w, b):
        Z = X @ w + b
        return X.T @ (Z - y) / len(X), np.sum(Z - y) / len(X)

    assert_failed(checks.check_logistic_backward(no_sigmoid), "sigmoid is missing")


def test_logistic_rejects_a_transposed_or_flat_dw():
    transposed = checks.check_logistic_backward(
        lambda X, y, w, b: (logistic_reference(X, y, w, b)[0].T, logistic_reference(X, y, w, b)[1]))
    assert_failed(transposed, "expected dw of shape (2, 1)", "got shape (1, 2)", "transpose")
    flat = checks.check_logistic_backward(
        lambda X, y, w, b: (logistic_reference(X, y, w, b)[0].ravel(), logistic_reference(X, y, w, b)[1]))
    assert_failed(flat, "got shape (2,)", "flat vector")


def test_logistic_rejects_an_unsummed_db_and_a_wrong_return():
    def per_sample_db(X, y, w, b):
        A = sigmoid(X @ w + b)
        return X.T @ (A - y) / len(X), (A - y) / len(X)

    assert_failed(checks.check_logistic_backward(per_sample_db), "db to be one number",
                  "shape (5, 1)")
    assert_failed(checks.check_logistic_backward(lambda X, y, w, b: X.T @ y), "the pair (dw, db)")


def test_logistic_reports_an_unknown_error_with_expected_and_got():
    def off(X, y, w, b):
        dw, db = logistic_reference(X, y, w, b)
        return dw + 0.01, db

    assert_failed(checks.check_logistic_backward(off), "dw wrong", "dw expected", "got")


def test_logistic_stub_crash_and_not_a_function():
    assert_not_solved(checks.check_logistic_backward(stub))
    assert_failed(checks.check_logistic_backward(crashes), "raised KeyError", "one sample")
    assert_failed(checks.check_logistic_backward("dw"), "expected a function")


# --- two_layer_backward ---------------------------------------------------------------------

def two_layer_reference(X, Y, W1, b1, W2, b2):
    A1 = np.tanh(X @ W1 + b1)
    A2 = sigmoid(A1 @ W2 + b2)
    dZ2 = (A2 - Y) / X.shape[0]
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)


def test_two_layer_cases_agree_with_numerical_gradients():
    for _, X, Y, params in checks._two_layer_cases():
        model = nn.MLP([X.shape[1], params[0].shape[1], 1], activation="tanh", output="sigmoid")
        model.set_params(params)
        assert nn.gradcheck.check_model(model, X, Y, "bce") < 1e-7
        model.loss_and_grads(X, Y, "bce")
        for ours, theirs in zip(two_layer_reference(X, Y, *params), model.grads):
            np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-14)


def test_two_layer_passes_the_reference_and_row_biases():
    assert checks.check_two_layer_backward(two_layer_reference).passed

    def keepdims(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = two_layer_reference(X, Y, W1, b1, W2, b2)
        return dW1, db1.reshape(1, -1), dW2, db2.reshape(1, 1)

    assert checks.check_two_layer_backward(keepdims).passed


@pytest.mark.parametrize("flags, phrase", [
    (dict(mean=False), "m times too large"),
    (dict(hidden_derivative="sigmoid"), "the sigmoid's"),
    (dict(hidden_derivative="none"), "derivative of the hidden activation is missing"),
    (dict(hidden_derivative="z"), "1 - Z1**2"),
    (dict(fused=False), "sigmoid'(Z2) once more"),
])
def test_two_layer_recognises_the_typical_slips(flags, phrase):
    def slipped(X, Y, W1, b1, W2, b2):
        return tuple(checks._two_layer_variant(X, Y, W1, b1, W2, b2, **flags))

    assert_failed(checks.check_two_layer_backward(slipped), "XOR", phrase)


def test_two_layer_rejects_transposes_and_another_order():
    def transposed(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = two_layer_reference(X, Y, W1, b1, W2, b2)
        return dW1.T, db1, dW2, db2

    assert_failed(checks.check_two_layer_backward(transposed), "dW1 of shape (2, 3)",
                  "got (3, 2)", "the transpose")

    def reordered(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = two_layer_reference(X, Y, W1, b1, W2, b2)
        return dW1, dW2, db1, db2

    assert_failed(checks.check_two_layer_backward(reordered), "another order")


def test_two_layer_names_the_wrong_layer():
    def hidden_off(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = two_layer_reference(X, Y, W1, b1, W2, b2)
        return 2 * dW1, db1, dW2, db2

    assert_failed(checks.check_two_layer_backward(hidden_off), "dW1 wrong", "dW1 expected",
                  "output layer (dW2, db2) is right")

    def output_off(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = two_layer_reference(X, Y, W1, b1, W2, b2)
        return dW1, db1, dW2 + 1.0, db2

    assert_failed(checks.check_two_layer_backward(output_off), "dW2 wrong",
                  "output layer is already wrong")


def test_two_layer_rejects_wrong_returns():
    assert_failed(checks.check_two_layer_backward(lambda *a: (1, 2)), "the four gradients")
    assert_failed(checks.check_two_layer_backward(lambda *a: ("a", "b", "c", "d")),
                  "not an array of numbers")


def test_two_layer_stub_crash_and_not_a_function():
    assert_not_solved(checks.check_two_layer_backward(stub))
    assert_failed(checks.check_two_layer_backward(crashes), "raised KeyError", "XOR")
    assert_failed(checks.check_two_layer_backward(None), "expected a function")

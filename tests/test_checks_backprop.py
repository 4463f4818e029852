"""Checks of chapter 4: each passes the reference solution, rejects the usual wrong answers
with a message that names the case and what is wrong and gives a hint, reports a stub as not
solved yet, and survives a student function that raises."""

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, crashes, stub
from nnlib.checks import backprop as checks


# --- graph_backward: f = 2 (x y + max(y, z)) ------------------------------------------------

def graph_reference(x, y, z):
    p, r = x * y, max(y, z)
    f = 2.0 * (p + r)
    ds = 2.0
    dp = dr = ds
    dx = y * dp
    dy = x * dp + (dr if y >= z else 0.0)
    dz = dr if z > y else 0.0
    return f, dx, dy, dz


def graph_with(x, y, z, **change):
    f, dx, dy, dz = graph_reference(x, y, z)
    values = dict(f=f, dx=dx, dy=dy, dz=dz)
    for key, fn in change.items():
        values[key] = fn(x, y, z, values)
    return values["f"], values["dx"], values["dy"], values["dz"]


def test_graph_expected_answers_are_the_chain_rule_by_hand():
    # the exercise's point: f = -32, gradients (-8, 8, 0), as in the solution's table
    assert graph_reference(3.0, -4.0, -5.0) == (-32.0, -8.0, 8.0, 0.0)
    numeric = nn.gradcheck.numerical_gradient(checks.graph_function, np.array([3.0, -4.0, -5.0]))
    np.testing.assert_allclose(numeric, [-8.0, 8.0, 0.0], atol=1e-8)


def test_graph_passes_the_reference_and_numpy_numbers():
    assert checks.check_graph_backward(graph_reference).passed
    assert checks.check_graph_backward(
        lambda x, y, z: tuple(np.float64(v) for v in graph_reference(x, y, z))).passed
    assert checks.check_graph_backward(lambda x, y, z: list(graph_reference(x, y, z))).passed


@pytest.mark.parametrize("change, phrases", [
    (dict(dx=lambda x, y, z, v: v["dx"] / 2, dy=lambda x, y, z, v: v["dy"] / 2,
          dz=lambda x, y, z, v: v["dz"] / 2), ["half the right size", "local gradient 2"]),
    (dict(dy=lambda x, y, z, v: 2 * x), ["only has the multiply gate's part", "sums"]),
    (dict(dy=lambda x, y, z, v: 2.0 if y >= z else 0.0), ["only has the max gate's part"]),
    (dict(dy=lambda x, y, z, v: 2 * x + (0.0 if y >= z else 2.0),
          dz=lambda x, y, z, v: 2.0 if y >= z else 0.0), ["routed the gradient to z, the smaller"]),
    (dict(dy=lambda x, y, z, v: 2 * x + 1.0, dz=lambda x, y, z, v: 1.0), ["split the gradient"]),
    (dict(dx=lambda x, y, z, v: 2 * x, dy=lambda x, y, z, v: v["dy"] - 2 * x + 2 * y),
     ["did not swap"]),
    (dict(dx=lambda x, y, z, v: -v["dx"], dy=lambda x, y, z, v: -v["dy"],
          dz=lambda x, y, z, v: -v["dz"]), ["signs are flipped"]),
])
def test_graph_recognises_the_gate_slips(change, phrases):
    feedback = checks.check_graph_backward(lambda x, y, z: graph_with(x, y, z, **change))
    assert_failed(feedback, "x = 3, y = -4, z = -5", *phrases)


def test_graph_catches_a_max_that_always_goes_to_y():
    # right at the exercise's point (y wins there), wrong where z wins
    def always_y(x, y, z):
        return 2 * (x * y + max(y, z)), 2 * y, 2 * x + 2.0, 0.0

    assert_failed(checks.check_graph_backward(always_y), "x = 0.5, y = -1, z = 2.5",
                  "routed the gradient to y, the smaller")


def test_graph_rejects_a_wrong_forward_value_and_a_wrong_return():
    assert_failed(checks.check_graph_backward(
        lambda x, y, z: graph_with(x, y, z, f=lambda x, y, z, v: v["f"] / 2)),
        "forward value is wrong", "times 2 is missing")
    assert_failed(checks.check_graph_backward(lambda x, y, z: (1.0, 2.0)), "(f, dx, dy, dz)")
    assert_failed(checks.check_graph_backward(lambda x, y, z: ("f", 1, 2, 3)),
                  "single numbers")
    assert_failed(checks.check_graph_backward(
        lambda x, y, z: graph_with(x, y, z, dz=lambda x, y, z, v: v["dz"] + 0.5)),
        "dz wrong", "expected")


def test_graph_stub_crash_and_not_a_function():
    assert_not_solved(checks.check_graph_backward(stub))
    assert_failed(checks.check_graph_backward(crashes), "raised KeyError", "x = 3")
    assert_failed(checks.check_graph_backward(None), "expected a function")


# --- softmax_network_backward ---------------------------------------------------------------

def softmax_reference(X, Y, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2 + b2
    E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    A2 = E / E.sum(axis=1, keepdims=True)
    dZ2 = (A2 - Y) / X.shape[0]
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)


def test_softmax_cases_agree_with_numerical_gradients():
    """The check's expected answers (nnlib's) are the true gradients, with no ReLU kink
    within the step of the numerical gradient."""
    for _, X, Y, params in checks._softmax_cases():
        model = nn.MLP([X.shape[1], params[0].shape[1], Y.shape[1]], activation="relu",
                       output="softmax")
        model.set_params(params)
        assert np.min(np.abs(X @ params[0] + params[1])) > 1e-3
        assert nn.gradcheck.check_model(model, X, Y, "cross_entropy") < 1e-7
        model.loss_and_grads(X, Y, "cross_entropy")
        for ours, theirs in zip(softmax_reference(X, Y, *params), model.grads):
            np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-14)


def test_softmax_passes_the_reference_and_row_biases():
    assert checks.check_softmax_network_backward(softmax_reference).passed

    def keepdims(*args):
        dW1, db1, dW2, db2 = softmax_reference(*args)
        return dW1, db1.reshape(1, -1), dW2, db2.reshape(1, -1)

    assert checks.check_softmax_network_backward(keepdims).passed


@pytest.mark.parametrize("flags, phrase", [
    (dict(mean=0), "m times too large"),
    (dict(mean=2), "1/m was applied twice"),
    (dict(sign=-1.0), "sign is flipped"),
    (dict(mask="none"), "ReLU's derivative is missing"),
    (dict(mask="grad"), "applied the ReLU to the gradient"),
    (dict(axis=0), "normalised over the samples"),
    (dict(extra=True), "softmax derivative"),
    (dict(transpose=False), "misses a transpose"),
])
def test_softmax_recognises_the_usual_slips(flags, phrase):
    def slipped(*args):
        return tuple(checks._softmax_variant(*args, **flags))

    assert_failed(checks.check_softmax_network_backward(slipped), "m=5 samples", phrase)


def test_softmax_diagnoses_the_bias_sum_axis_and_transposed_weights():
    def db_axis1(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = softmax_reference(X, Y, W1, b1, W2, b2)
        return dW1, db1, dW2, np.ones((len(X), len(b2))).sum(axis=1)

    assert_failed(checks.check_softmax_network_backward(db_axis1), "db2 of shape (3,)",
                  "got (5,)", "axis=1", "axis=0")

    def db_unsummed(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = softmax_reference(X, Y, W1, b1, W2, b2)
        return dW1, np.ones((len(X), len(b1))), dW2, db2

    assert_failed(checks.check_softmax_network_backward(db_unsummed), "db1", "not summed")

    def db_total(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = softmax_reference(X, Y, W1, b1, W2, b2)
        return dW1, db1.sum(), dW2, db2

    assert_failed(checks.check_softmax_network_backward(db_total), "summed over everything")

    def transposed(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = softmax_reference(X, Y, W1, b1, W2, b2)
        return dW1.T, db1, dW2, db2

    assert_failed(checks.check_softmax_network_backward(transposed), "dW1 of shape (2, 3)",
                  "got (3, 2)", "the transpose")


def test_softmax_reports_a_shape_error_as_a_likely_missing_transpose():
    def no_transpose(X, Y, W1, b1, W2, b2):
        Z1 = X @ W1 + b1
        A1 = np.maximum(Z1, 0.0)
        Z2 = A1 @ W2 + b2
        A2 = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
        dZ2 = (A2 - Y) / len(X)
        dZ1 = (dZ2 @ W2) * (Z1 > 0)
        return X @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)  # X @ dZ1: no .T

    assert_failed(checks.check_softmax_network_backward(no_transpose), "raised ValueError",
                  "missing transpose")


def test_softmax_names_the_wrong_layer():
    def hidden_off(*args):
        dW1, db1, dW2, db2 = softmax_reference(*args)
        return 2 * dW1, db1, dW2, db2

    assert_failed(checks.check_softmax_network_backward(hidden_off), "dW1 wrong",
                  "output layer (dW2, db2) is right")

    def output_off(*args):
        dW1, db1, dW2, db2 = softmax_reference(*args)
        return dW1, db1, dW2 + 1.0, db2

    assert_failed(checks.check_softmax_network_backward(output_off), "dW2 wrong",
                  "output layer is already wrong")


def test_softmax_wrong_returns_stub_and_crash():
    assert_failed(checks.check_softmax_network_backward(lambda *a: (1, 2)), "four gradients")
    assert_failed(checks.check_softmax_network_backward(lambda *a: ("a", "b", "c", "d")),
                  "not an array of numbers")
    assert_not_solved(checks.check_softmax_network_backward(stub))
    assert_failed(checks.check_softmax_network_backward(crashes), "raised KeyError", "m=5")
    assert_failed(checks.check_softmax_network_backward(3), "expected a function")


# --- numerical_grad -------------------------------------------------------------------------

def numerical_reference(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def with_copies(step):
    """A numerical gradient that nudges copies of x; ``step(f, plus, minus, x, eps)``."""
    def numerical(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            plus, minus = x.copy(), x.copy()
            plus[i] += eps
            minus[i] -= eps
            grad[i] = step(f, plus, minus, x, eps)
        return grad
    return numerical


def test_numerical_cases_have_the_right_exact_gradients():
    for _, f, x, eps, exact in checks._numerical_cases():
        np.testing.assert_allclose(nn.gradcheck.numerical_gradient(f, x.copy(), eps=eps), exact,
                                   rtol=1e-7, atol=1e-8)


def test_numerical_passes_the_reference_and_copies():
    assert checks.check_numerical_grad(numerical_reference).passed
    assert checks.check_numerical_grad(
        with_copies(lambda f, p, q, x, eps: (f(p) - f(q)) / (2 * eps))).passed
    assert checks.check_numerical_grad(
        lambda f, x, eps: nn.gradcheck.numerical_gradient(f, x, eps)).passed


@pytest.mark.parametrize("step, phrases", [
    (lambda f, p, q, x, eps: (f(p) - f(x)) / eps, ["one-sided", "(f(x + eps) - f(x)) / eps",
                                                   "eps**2"]),
    (lambda f, p, q, x, eps: (f(x) - f(q)) / eps, ["one-sided", "(f(x) - f(x - eps)) / eps"]),
    (lambda f, p, q, x, eps: (f(p) - f(q)) / eps, ["twice too large", "2 * eps"]),
    (lambda f, p, q, x, eps: (f(p) - f(x)) / (2 * eps), ["the second point is x itself"]),
])
def test_numerical_recognises_the_usual_slips(step, phrases):
    assert_failed(checks.check_numerical_grad(with_copies(step)), "sum(x**3)", *phrases)


def test_numerical_rejects_a_fixed_step():
    def fixed_step(f, x, eps=1e-6):
        return numerical_reference(f, x, 1e-6)

    assert_failed(checks.check_numerical_grad(fixed_step), "sum(x**3)",
                  "ignores its eps argument")


def test_numerical_rejects_nudging_everything_at_once():
    def at_once(f, x, eps=1e-6):
        return np.full_like(x, (f(x + eps) - f(x - eps)) / (2 * eps))

    assert_failed(checks.check_numerical_grad(at_once), "nudged all the entries at once")


def test_numerical_rejects_an_unrestored_x_a_flat_result_and_rows_only():
    def no_restore(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            x[i] += eps
            f_plus = f(x)
            x[i] -= 2 * eps
            grad[i] = (f_plus - f(x)) / (2 * eps)
        return grad

    assert_failed(checks.check_numerical_grad(no_restore), "x was changed", "x[i] = old")
    assert_failed(checks.check_numerical_grad(
        lambda f, x, eps: numerical_reference(f, x, eps).ravel()), "(2, 3)", "flattened")

    def rows_only(f, x, eps=1e-6):  # written for 1-D x: on a 2-D x it nudges whole rows
        grad = np.zeros_like(x)
        for i in range(len(x)):
            x[i] += eps
            f_plus = f(x)
            x[i] -= 2 * eps
            f_minus = f(x)
            x[i] += eps
            grad[i] = (f_plus - f_minus) / (2 * eps)
        return grad

    assert_failed(checks.check_numerical_grad(rows_only), "(2, 3) array", "nudged a row",
                  "np.ndindex")


def test_numerical_wrong_returns_stub_and_crash():
    assert_failed(checks.check_numerical_grad(lambda f, x, eps: None), "returned None")
    assert_failed(checks.check_numerical_grad(lambda f, x, eps: "grad"), "not an array")
    assert_not_solved(checks.check_numerical_grad(stub))
    assert_failed(checks.check_numerical_grad(crashes), "raised KeyError", "sum(x**3)")
    assert_failed(checks.check_numerical_grad([]), "expected a function")

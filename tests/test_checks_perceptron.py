"""Checks of chapter 1: each passes the reference solution, rejects typical wrong answers with
a message that names the input, the expected and the received value, reports a stub as not
solved yet, and survives a student function that raises."""

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, assert_survives_a_crash, stub
from nnlib.checks import perceptron as checks


# --- perceptron_output ----------------------------------------------------------------------

def output_reference(X, w, b):
    return (X @ w + b > 0).astype(int).reshape(-1, 1)


def test_output_passes_the_reference_and_nnlib():
    assert checks.perceptron_output(output_reference).passed
    assert checks.perceptron_output(nn.perceptron.perceptron).passed
    # floats and booleans are fine too
    assert checks.perceptron_output(lambda X, w, b: (X @ w + b > 0).reshape(-1, 1)).passed
    assert checks.perceptron_output(lambda X, w, b: (X @ w + b > 0).astype(float).reshape(-1, 1)).passed


def test_output_rejects_ge_instead_of_gt_and_explains_the_tie():
    feedback = checks.perceptron_output(lambda X, w, b: (X @ w + b >= 0).astype(int).reshape(-1, 1))
    assert_failed(feedback, "x = (0, 1)", "expected output 0, got 1", "strictly greater")
    assert "z > 0" in feedback.hint


def test_output_rejects_a_sign_error_in_the_bias():
    feedback = checks.perceptron_output(lambda X, w, b: (X @ w - b > 0).astype(int).reshape(-1, 1))
    assert_failed(feedback, "AND weights", "x = (0, 0)", "expected output 0, got 1", "-0.7")


def test_output_rejects_a_flat_array_and_says_reshape():
    feedback = checks.perceptron_output(lambda X, w, b: (X @ w + b > 0).astype(int))
    assert_failed(feedback, "shape (4, 1)", "got shape (4,)")
    assert "reshape(-1, 1)" in feedback.hint


def test_output_rejects_wrong_sizes_and_non_arrays():
    assert_failed(checks.perceptron_output(lambda X, w, b: np.zeros((2, 1))), "got shape (2, 1)")
    assert_failed(checks.perceptron_output(lambda X, w, b: "yes"), "got str")


def test_output_stub_and_crash():
    assert_not_solved(checks.perceptron_output(stub))
    assert_survives_a_crash(checks.perceptron_output)


def test_output_not_a_function():
    assert_failed(checks.perceptron_output([0, 0, 0, 1]), "expected a function")


# --- perceptron_update ----------------------------------------------------------------------

def update_reference(w, b, x, y, lr):
    error = y - (1 if w @ x + b > 0 else 0)
    return w + lr * error * x, b + lr * error


def test_update_passes_the_reference_and_an_in_place_version():
    assert checks.perceptron_update(update_reference).passed

    def in_place(w, b, x, y, lr):  # modifies the caller's w: still the right values
        error = y - float(w @ x + b > 0)
        w += lr * error * x
        return w, b + lr * error

    assert checks.perceptron_update(in_place).passed


def test_update_agrees_with_train_perceptron():
    """The check's rule is nnlib's: one epoch of train_perceptron equals four checked steps."""
    X, y = nn.datasets.logic_gate("nand")
    w, b = np.zeros(2), 0.0
    for x_i, y_i in zip(X, y.ravel()):
        w, b = update_reference(w, b, x_i, y_i, 0.5)
    run = nn.perceptron.train_perceptron(X, y, lr=0.5, num_epochs=1)
    np.testing.assert_array_equal(run.w, w)
    assert run.b == b


@pytest.mark.parametrize("wrong, phrases", [
    (lambda w, b, x, y, lr: (w + lr * (y - (w @ x + b > 0)) * x, b),
     ["expected w_new = (0.5, 0.5), b_new = 1.1", "b_new = 0.1.", "the bias learns too"]),
    (lambda w, b, x, y, lr: (w - lr * (y - (w @ x + b > 0)) * x, b - lr * (y - (w @ x + b > 0))),
     ["got w_new = (-1.5, 0.5)", "wrong sign"]),
    (lambda w, b, x, y, lr: (w + (y - (w @ x + b > 0)) * x, b + (y - (w @ x + b > 0))),
     ["lr = 0.5", "scaled by the learning rate"]),
    (lambda w, b, x, y, lr: (w + lr * (y - (w @ x + b >= 0)) * x, b + lr * (y - (w @ x + b >= 0))),
     ["a point on the line with target 1", "x = (1, 1)", "lies on the line"]),
    (lambda w, b, x, y, lr: (w + lr * x, b + lr),  # always updates, even when right
     ["a correct output 1", "changes nothing"]),
])
def test_update_rejects_typical_mistakes(wrong, phrases):
    assert_failed(checks.perceptron_update(wrong), *phrases)


def test_update_falls_back_to_the_general_hint():
    def doubled(w, b, x, y, lr):  # a step of 2 lr x: none of the typical mistakes above
        error = y - float(w @ x + b > 0)
        return w + 2 * lr * error * x, b + lr * error

    feedback = checks.perceptron_update(doubled)
    assert_failed(feedback, "expected w_new")
    assert "w + lr * (y - y_hat) * x" in feedback.hint


def test_update_rejects_wrong_return_values():
    assert_failed(checks.perceptron_update(lambda w, b, x, y, lr: w), "expected a pair")
    assert_failed(checks.perceptron_update(lambda w, b, x, y, lr: (w, b, 0)), "expected a pair")
    assert_failed(checks.perceptron_update(lambda w, b, x, y, lr: (np.zeros(3), b)), "shapes (3,)")
    assert_failed(checks.perceptron_update(lambda w, b, x, y, lr: ("w", b)), "w_new")
    assert_failed(checks.perceptron_update(lambda w, b, x, y, lr: (w, "b")), "b_new")


def test_update_stub_and_crash():
    assert_not_solved(checks.perceptron_update(stub))
    assert_survives_a_crash(checks.perceptron_update)


# --- three_input_gates ----------------------------------------------------------------------

REFERENCE_3 = {"and": ([1, 1, 1], -2.5), "or": ([1, 1, 1], -0.5), "nand": ([-1, -1, -1], 2.5),
               "nor": ([-1, -1, -1], 0.5), "majority": ([1, 1, 1], -1.5)}


def test_three_inputs_passes_the_reference_and_other_valid_weights():
    assert checks.three_input_gates(REFERENCE_3.get).passed
    scaled = {k: (np.array(w) * 3.0, b * 3.0) for k, (w, b) in REFERENCE_3.items()}
    assert checks.three_input_gates(scaled.get).passed


def test_three_inputs_rejects_a_threshold_on_a_count():
    wrong = dict(REFERENCE_3, majority=([1, 1, 1], -2.0))  # two inputs on: w·x + b = 0
    assert_failed(checks.three_input_gates(wrong.get), "'majority'", "x = (0, 1, 1)",
                  "outputs 0", "gives 1", "3 of 8 rows wrong")


def test_three_inputs_rejects_the_two_input_answer_and_swapped_gates():
    assert_failed(checks.three_input_gates(lambda name: ([1, 1], -1.5)), "3 weights", "(2,)")
    swapped = dict(REFERENCE_3, nand=REFERENCE_3["nor"])
    assert_failed(checks.three_input_gates(swapped.get), "'nand'", "gives 1")


def test_three_inputs_rejects_bad_values():
    assert_failed(checks.three_input_gates(lambda name: None), "expected a pair")
    assert_failed(checks.three_input_gates(lambda name: ("abc", 1.0)), "w, an array")
    assert_failed(checks.three_input_gates(lambda name: ([1, 1, 1], "b")), "b, a number")
    assert_failed(checks.three_input_gates(lambda name: ([1, 1, np.nan], 0.0)), "finite")


def test_three_inputs_stub_and_crash():
    assert_not_solved(checks.three_input_gates(stub))
    assert_survives_a_crash(checks.three_input_gates)


# --- xnor_network ---------------------------------------------------------------------------

def xnor_reference(X):
    P = nn.perceptron.perceptron
    H = np.hstack([P(X, [0.5, 0.5], -0.7), P(X, [-0.5, -0.5], 0.2)])  # AND, NOR
    return P(H, [0.5, 0.5], -0.2)  # OR


def test_xnor_passes_the_reference_and_a_flat_answer():
    assert checks.xnor_network(xnor_reference).passed
    assert checks.xnor_network(lambda X: (X[:, 0] == X[:, 1]).astype(int)).passed


def test_xnor_rejects_xor_and_a_hard_coded_table():
    assert_failed(checks.xnor_network(lambda X: 1 - xnor_reference(X)),
                  "x = (0, 0)", "expected XNOR = 1, got 0")
    assert_failed(checks.xnor_network(lambda X: np.array([[1], [0], [0], [1]])),
                  "another order", "expected XNOR")


def test_xnor_rejects_wrong_shapes():
    assert_failed(checks.xnor_network(lambda X: np.zeros((4, 2))), "got shape (4, 2)")
    assert_failed(checks.xnor_network(lambda X: np.ones((1, 4))), "got shape (1, 4)")
    assert_failed(checks.xnor_network(lambda X: "abc"), "got str")


def test_xnor_stub_and_crash():
    assert_not_solved(checks.xnor_network(stub))
    assert_survives_a_crash(checks.xnor_network)


def test_feedback_html_names_the_verdict():
    html = checks.xnor_network(xnor_reference)._repr_html_()
    assert "[correct]" in html and "nn-check" in html

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


def test_xnor_passes_the_reference_and_other_perceptron_networks():
    assert checks.xnor_network(xnor_reference).passed
    P = nn.perceptron.perceptron

    def not_xor(X):  # the XOR network with the output unit negated
        A1 = np.hstack([P(X, [-0.5, -0.5], 0.7), P(X, [0.5, 0.5], -0.2)])
        return P(A1, [-0.5, -0.5], 0.7)

    def skip(X):  # one hidden unit (AND) and the inputs themselves into the output unit
        return P(np.hstack([X, P(X, [0.5, 0.5], -0.7)]), [-1.0, -1.0, 3.0], 0.5)

    def three_layers(X):  # XOR, then NOT
        xor = P(np.hstack([P(X, [-0.5, -0.5], 0.7), P(X, [0.5, 0.5], -0.2)]), [0.5, 0.5], -0.7)
        return P(xor, [-1.0], 0.5)

    for fn in (not_xor, skip, three_layers):
        assert checks.xnor_network(fn).passed, fn.__name__


def test_xnor_recognises_an_imported_perceptron():
    namespace = {"np": np}
    exec("from nnlib.perceptron import perceptron\n"
         "def xnor(X):\n"
         "    A1 = np.hstack([perceptron(X, [0.5, 0.5], -0.7), perceptron(X, [-0.5, -0.5], 0.2)])\n"
         "    return perceptron(A1, [0.5, 0.5], -0.2)\n", namespace)
    assert checks.xnor_network(namespace["xnor"]).passed
    assert namespace["perceptron"] is nn.perceptron.perceptron  # restored afterwards


@pytest.mark.parametrize("lax, phrase", [
    (lambda X: (X[:, 0] == X[:, 1]).astype(int), "made no call to nn.perceptron.perceptron"),
    (lambda X: (X[:, 0] == X[:, 1]).astype(int).reshape(-1, 1),
     "made no call to nn.perceptron.perceptron"),
    # a perceptron reading the answer itself
    (lambda X: nn.perceptron.perceptron((X[:, [0]] == X[:, [1]]).astype(float), [1.0], -0.5),
     "neither a column of X nor the output of another perceptron"),
    # hidden perceptrons, then a formula instead of the output perceptron
    (lambda X: np.maximum(nn.perceptron.perceptron(X, [0.5, 0.5], -0.7),
                          nn.perceptron.perceptron(X, [-0.5, -0.5], 0.2)),
     "not the output of any perceptron"),
])
def test_xnor_rejects_answers_that_do_not_come_from_perceptrons(lax, phrase):
    feedback = checks.xnor_network(lax)
    assert_failed(feedback, "the outputs are right", phrase)
    assert "nn.perceptron.perceptron" in feedback.hint
    assert nn.perceptron.perceptron.__name__ == "perceptron"  # the recorder was removed


def test_xnor_rejects_xor_and_a_hard_coded_table():
    assert_failed(checks.xnor_network(lambda X: 1 - xnor_reference(X)),
                  "x = (0, 0)", "expected XNOR = 1, got 0")
    # a table typed in: right on the first case, but computed by no perceptron
    assert_failed(checks.xnor_network(lambda X: np.array([[1], [0], [0], [1]])),
                  "the truth table", "made no call to nn.perceptron.perceptron")


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


# --- perceptron_training --------------------------------------------------------------------

def training_reference(X, y, lr, max_epochs):
    y = np.ravel(y)
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        count = 0
        for x_i, y_i in zip(X, y):
            y_hat = 1.0 if x_i @ w + b > 0 else 0.0
            if y_hat != y_i:
                w, b, count = w + lr * (y_i - y_hat) * x_i, b + lr * (y_i - y_hat), count + 1
        mistakes.append(count)
        if count == 0:
            break
    return w, b, mistakes


def test_training_passes_the_reference_and_nnlib():
    assert checks.perceptron_training(training_reference).passed

    def with_nnlib(X, y, lr, max_epochs):
        run = nn.perceptron.train_perceptron(X, y, lr=lr, num_epochs=max_epochs)
        return run.w, run.b, np.array(run.mistakes)   # an array of counts is fine too

    assert checks.perceptron_training(with_nnlib).passed


def test_training_accepts_a_bias_of_one_entry_and_counts_as_floats():
    def arrays(X, y, lr, max_epochs):  # b as an array of one number, counts as floats
        w, b, mistakes = training_reference(X, y, lr, max_epochs)
        return w, np.array([b]), np.array(mistakes, dtype=float)

    assert checks.perceptron_training(arrays).passed


def slip(**mistake):
    return lambda X, y, lr, max_epochs: checks._rule(X, y, lr, max_epochs, **mistake)


@pytest.mark.parametrize("mistake, phrases, fix", [
    ({"every_sample": True}, ["for AND with lr = 1", "also changes the weights when the output is right"],
     "update only on a mistake"),
    ({"bias": False}, ["for AND", "the bias never changes", "(100 epochs)"], "the bias learns too"),
    ({"fire_at_zero": True}, ["for AND", "got mistakes [2, 3, 3, 2, 1, 0]", ">= instead of >"],
     "only when w·x + b > 0"),
    ({"stop": False}, ["for AND", "runs all max_epochs epochs"], "stop after the first epoch"),
    ({"sign": -1.0}, ["for AND", "the wrong sign"], "add lr * x when the target is 1"),
    ({"use_lr": False}, ["for NOR with lr = 0.5", "ignore the learning rate"], "scale every step by lr"),
    ({"per_epoch": True}, ["for AND", "applied once per epoch"], "after each sample"),
])
def test_training_names_each_usual_mistake(mistake, phrases, fix):
    feedback = checks.perceptron_training(slip(**mistake))
    assert_failed(feedback, *phrases)
    assert fix in feedback.hint


def test_training_rejects_a_missing_final_zero_and_a_wrong_length():
    def no_final_zero(X, y, lr, max_epochs):
        w, b, mistakes = training_reference(X, y, lr, max_epochs)
        return w, b, mistakes[:-1] if mistakes[-1] == 0 else mistakes

    assert_failed(checks.perceptron_training(no_final_zero), "epoch without a mistake is missing")

    def one_epoch_short(X, y, lr, max_epochs):
        return training_reference(X, y, lr, max_epochs - 1)

    assert_failed(checks.perceptron_training(one_epoch_short), "for XOR",
                  "lasts exactly max_epochs = 7 epochs")


def test_training_rejects_wrong_counts_with_right_weights():
    def counts_every_sample(X, y, lr, max_epochs):
        w, b, mistakes = training_reference(X, y, lr, max_epochs)
        return w, b, [len(X)] * len(mistakes)

    assert_failed(checks.perceptron_training(counts_every_sample), "w and b are right but the counts")


def test_training_falls_back_to_the_general_hint():
    def random_walk(X, y, lr, max_epochs):
        return np.ones(X.shape[1]), 0.5, [1, 0]

    feedback = checks.perceptron_training(random_walk)
    assert_failed(feedback, "expected mistakes per epoch [1, 3, 3, 2, 1, 0]")
    assert "start from w = 0 and b = 0" in feedback.hint


def test_training_rejects_wrong_return_values():
    assert_failed(checks.perceptron_training(lambda X, y, lr, e: (np.zeros(2), 0.0)),
                  "expected the triple (w, b, mistakes)")
    assert_failed(checks.perceptron_training(lambda X, y, lr, e: (np.zeros(3), 0.0, [0])),
                  "w with 2 entries")
    assert_failed(checks.perceptron_training(lambda X, y, lr, e: (np.zeros(2), 0.0, ["a"])),
                  "must be numbers")
    assert_failed(checks.perceptron_training(lambda X, y, lr, e: (np.zeros(2), 0.0, [0.5])),
                  "whole numbers")


def test_training_stub_and_crash():
    assert_not_solved(checks.perceptron_training(stub))
    assert_survives_a_crash(checks.perceptron_training)


def test_training_slips_are_told_apart():
    """Each slip fails in a case where it differs from the right rule and from every slip tried
    before it, so the check can name it."""
    names = [tuple(m) for m, _, _ in checks.TRAINING_SLIPS]
    for k, (mistake, message, _) in enumerate(checks.TRAINING_SLIPS):
        feedback = checks.perceptron_training(slip(**mistake))
        assert message in feedback.message, (names[k], feedback.message)


# --- perceptron_margin ----------------------------------------------------------------------

def margin_reference(X, y, w, b):
    s = 2 * np.ravel(y) - 1
    return float(np.min(s * (X @ w + b)) / np.linalg.norm(w))


def test_margin_passes_the_reference_and_a_numpy_scalar():
    assert checks.perceptron_margin(margin_reference).passed
    assert checks.perceptron_margin(
        lambda X, y, w, b: np.min((2 * y.ravel() - 1) * (X @ w + b)) / np.linalg.norm(w)).passed


@pytest.mark.parametrize("mistake, phrases, fix", [
    ({"normalise": False}, ["hand-set AND gate", "expected margin 0.2828, got 0.2"], "np.linalg.norm(w)"),
    ({"signs": False}, ["hand-set AND gate", "labels 0/1 are used as signs"], "s = 2 * y - 1"),
    ({"absolute": True}, ["two corners wrong", "expected margin -0.2828", "no sign"], "keep the sign"),
    ({"bias_in_norm": True}, ["the bias is inside the norm"], "norm of w alone"),
    ({"flatten": False}, ["broadcast to an (m, m) table"], "np.ravel(y)"),
    ({"largest": True}, ["the farthest sample"], ".min()"),
])
def test_margin_names_each_usual_mistake(mistake, phrases, fix):
    feedback = checks.perceptron_margin(
        lambda X, y, w, b: checks._margin(X, y, w, b, **mistake))
    assert_failed(feedback, *phrases)
    assert fix in feedback.hint


def test_margin_rejects_arrays_and_non_numbers():
    assert_failed(checks.perceptron_margin(
        lambda X, y, w, b: (2 * np.ravel(y) - 1) * (X @ w + b) / np.linalg.norm(w)),
        "expected one number", "shape (4,)")
    assert_failed(checks.perceptron_margin(lambda X, y, w, b: "wide"), "got str")


def test_margin_falls_back_to_the_general_hint():
    feedback = checks.perceptron_margin(lambda X, y, w, b: 42.0)
    assert_failed(feedback, "expected margin 0.2828, got 42")
    assert "np.linalg.norm(w)" in feedback.hint


def test_margin_stub_and_crash():
    assert_not_solved(checks.perceptron_margin(stub))
    assert_survives_a_crash(checks.perceptron_margin)


def test_new_checks_are_exported_flat():
    assert nn.checks.perceptron_training is checks.perceptron_training
    assert nn.checks.perceptron_margin is checks.perceptron_margin

"""The checks of chapter 2 (nnlib.checks.representations): right answers pass, typical wrong
answers fail with a message that says what is wrong, stubs are "not solved yet", and a student
function that raises is reported, not raised."""

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, crashes, stub


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


# --- check_hidden_representation -------------------------------------------------------------

def hidden_representation(X, W1, b1):
    return _sigmoid(X @ W1 + b1)


def test_hidden_representation_passes_the_reference():
    with np.errstate(over="ignore"):
        feedback = nn.checks.check_hidden_representation(hidden_representation)
    assert feedback.passed, str(feedback)
    assert str(feedback).startswith("[correct]")


def test_hidden_representation_passes_a_numerically_stable_version():
    feedback = nn.checks.check_hidden_representation(
        lambda X, W1, b1: nn.activations.get("sigmoid").forward(X @ W1 + np.ravel(b1)))
    assert feedback.passed, str(feedback)


@pytest.mark.parametrize("wrong, fragments", [
    (lambda X, W1, b1: X @ W1 + b1, ["weighted sums before the activation", "apply the sigmoid"]),
    (lambda X, W1, b1: _sigmoid(X @ W1), ["bias b1 is missing"]),
    (lambda X, W1, b1: np.tanh(X @ W1 + b1), ["tanh"]),
    (lambda X, W1, b1: _sigmoid(-(X @ W1 + b1)), ["sign in the exponent"]),
    (lambda X, W1, b1: _sigmoid(X @ W1 + b1).T, ["shape (4, 2)", "got shape (2, 4)", "transpose"]),
    (lambda X, W1, b1: _sigmoid(X @ W1.T + b1), ["sample", "expected h =", "got"]),
    (lambda X, W1, b1: None, ["returned None"]),
    (lambda X, W1, b1: "H", ["not an array of numbers"]),
    (lambda X, W1, b1: np.full((len(X), W1.shape[1]), np.nan), ["NaN or inf"]),
])
def test_hidden_representation_explains_typical_mistakes(wrong, fragments):
    with np.errstate(over="ignore", invalid="ignore"):
        assert_failed(nn.checks.check_hidden_representation(wrong), *fragments)


def test_hidden_representation_a_non_square_case_catches_the_transposed_weights():
    # On the square XOR case X @ W1.T happens to be wrong too; on 5x3 @ 3x4 it cannot run.
    def transposed(X, W1, b1):
        if W1.shape[0] == W1.shape[1]:
            return _sigmoid(X @ W1 + b1)
        return _sigmoid(X @ W1.T + b1)

    assert_failed(nn.checks.check_hidden_representation(transposed), "raised ValueError", "5 samples")


def test_hidden_representation_stub_and_crash():
    assert_not_solved(nn.checks.check_hidden_representation(stub))
    assert_failed(nn.checks.check_hidden_representation(crashes), "raised KeyError")
    assert_failed(nn.checks.check_hidden_representation(42), "expected a function")


# --- check_xor_network -----------------------------------------------------------------------

def xor_weights():
    W1 = 10 * np.array([[1.0, -1.0], [1.0, -1.0]])
    b1 = 10 * np.array([-0.5, 1.5])
    W2 = 10 * np.array([[1.0], [1.0]])
    b2 = 10 * np.array([-1.5])
    return W1, b1, W2, b2


def test_xor_network_passes_the_reference_and_other_solutions():
    assert nn.checks.check_xor_network(xor_weights).passed
    # rows instead of flat biases, a flat W2, and a different network (AND-NOT units + OR)
    W1, b1, W2, b2 = xor_weights()
    assert nn.checks.check_xor_network(lambda: (W1, b1.reshape(1, 2), W2.ravel(), float(b2[0]))).passed
    other = (np.array([[8.0, -8.0], [-8.0, 8.0]]), np.array([-4.0, -4.0]),
             np.array([[10.0], [10.0]]), np.array([-5.0]))
    feedback = nn.checks.check_xor_network(lambda: other)
    assert feedback.passed, str(feedback)
    assert "0.5" in str(feedback)


def test_xor_network_names_the_wrong_rows():
    # weights of scale 1: the sigmoids are too soft and 01, 10 come out below 0.5
    soft = tuple(a / 10 for a in xor_weights())
    assert_failed(nn.checks.check_xor_network(lambda: soft),
                 "2 of 4 rows wrong", "row x = (0, 1): target 1", "row x = (1, 0)", "<= 0.5")
    # the output computes OR instead of AND of the two hidden units: 00 and 11 come out 1
    W1, b1, W2, _ = xor_weights()
    assert_failed(nn.checks.check_xor_network(lambda: (W1, b1, W2, np.array([-5.0]))),
                 "2 of 4 rows wrong", "row x = (0, 0): target 0", "row x = (1, 1): target 0",
                 "> 0.5, so class 1")


@pytest.mark.parametrize("answer, fragments", [
    ((np.eye(2), np.zeros(2), np.ones((1, 2)), 0.0), ["W2 has shape (1, 2), expected (2, 1)"]),
    ((np.eye(3), np.zeros(2), np.ones((2, 1)), 0.0), ["W1 has shape (3, 3)"]),
    ((np.eye(2), np.zeros(2), np.ones((2, 1))), ["four arrays W1, b1, W2, b2", "of length 3"]),
    ((np.eye(2), "b1", np.ones((2, 1)), 0.0), ["b1 is str"]),
    ((np.eye(2), np.zeros(2), np.ones((2, 1)), np.nan), ["b2 contains NaN"]),
    (None, ["four arrays", "NoneType"]),
])
def test_xor_network_rejects_malformed_answers(answer, fragments):
    assert_failed(nn.checks.check_xor_network(lambda: answer), *fragments)


def test_xor_network_stub_and_crash():
    assert_not_solved(nn.checks.check_xor_network(stub))
    assert_failed(nn.checks.check_xor_network(crashes), "raised KeyError")


# --- check_is_linearly_separable -------------------------------------------------------------

def is_linearly_separable(H, y):
    probe = nn.MLP([H.shape[1], 1], output="sigmoid", seed=0)
    probe.fit(H, y, loss="bce", optimizer=nn.optimizers.Adam(lr=0.1), num_epochs=1000)
    return nn.metrics.accuracy(y, probe.predict(H)) == 1.0


def test_separability_passes_logistic_regression_and_the_perceptron_rule():
    assert nn.checks.check_is_linearly_separable(is_linearly_separable).passed
    feedback = nn.checks.check_is_linearly_separable(
        lambda H, y: nn.perceptron.train_perceptron(H, y, num_epochs=1000).converged)
    assert feedback.passed, str(feedback)


def test_separability_high_accuracy_is_not_enough():
    def at_least_90_percent(H, y):
        probe = nn.MLP([H.shape[1], 1], output="sigmoid", seed=0)
        probe.fit(H, y, loss="bce", optimizer=nn.optimizers.Adam(lr=0.1), num_epochs=1000)
        return nn.metrics.accuracy(y, probe.predict(H)) >= 0.9

    assert_failed(nn.checks.check_is_linearly_separable(at_least_90_percent),
                 "1 of 10 cases wrong", "points 9 and 10 swap labels", "expected False, got True",
                 "must be 100%")


def test_separability_a_hidden_layer_is_not_a_linear_classifier():
    def with_hidden_layer(H, y):
        model = nn.MLP([H.shape[1], 8, 1], activation="tanh", output="sigmoid", seed=0)
        model.fit(H, y, loss="bce", optimizer=nn.optimizers.Adam(lr=0.05), num_epochs=1000)
        return nn.metrics.accuracy(y, model.predict(H)) == 1.0

    assert_failed(nn.checks.check_is_linearly_separable(with_hidden_layer),
                 "the XOR truth table (4 points in 2-D): expected False, got True")


def test_separability_too_little_training_is_reported():
    def undertrained(H, y):
        probe = nn.MLP([H.shape[1], 1], output="sigmoid", seed=0)
        probe.fit(H, y, loss="bce", optimizer=nn.optimizers.SGD(lr=0.001), num_epochs=2)
        return nn.metrics.accuracy(y, probe.predict(H)) == 1.0

    assert_failed(nn.checks.check_is_linearly_separable(undertrained),
                 "expected True, got False", "train longer")


@pytest.mark.parametrize("constant", [True, False])
def test_separability_constant_answers_fail(constant):
    expected = "expected False, got True" if constant else "expected True, got False"
    assert_failed(nn.checks.check_is_linearly_separable(lambda H, y: constant), expected)


def test_separability_wants_a_bool():
    assert_failed(nn.checks.check_is_linearly_separable(lambda H, y: 1.0),
                 "returned 1.0 (float); expected True or False")
    assert nn.checks.check_is_linearly_separable(
        lambda H, y: np.bool_(is_linearly_separable(H, y))).passed


def test_separability_stub_and_crash():
    assert_not_solved(nn.checks.check_is_linearly_separable(stub))
    assert_failed(nn.checks.check_is_linearly_separable(crashes), "raised KeyError")


def test_separability_cases_have_the_stated_answers():
    """The cases' answers are right: each separable set is separated by a perceptron, each
    other set is not (its labels cannot all be matched even by the perceptron rule)."""
    from nnlib.checks.representations import _separability_cases

    for what, H, y, separable in _separability_cases():
        run = nn.perceptron.train_perceptron(H, y, num_epochs=2000)
        assert run.converged == separable, what


def test_every_check_is_exported():
    from nnlib.checks import representations

    assert set(representations.__all__) == {
        "check_hidden_representation", "check_xor_network", "check_is_linearly_separable"}
    for name in representations.__all__:
        assert getattr(nn.checks, name) is getattr(representations, name)

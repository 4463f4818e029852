"""The checks of chapter 2 (nnlib.checks.representations): right answers pass, typical wrong
answers fail with a message that says what is wrong, stubs are "not solved yet", and a student
function that raises is reported, not raised."""

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, crashes, stub
from nnlib.checks import representations


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
    (lambda X, W1, b1: _sigmoid(X @ W1.T + b1), ["sample", "expected a1 =", "got"]),
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


# --- check_corners_separable -----------------------------------------------------------------

def side(a, b, c):
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def corners_separable(A):
    p, q, r, s = A[1], A[2], A[0], A[3]

    def on_segment(a, b, c):
        return np.all(np.minimum(a, b) <= c) and np.all(c <= np.maximum(a, b))

    crossing = side(p, q, r) * side(p, q, s) < 0 and side(r, s, p) * side(r, s, q) < 0
    touching = any(side(a, b, c) == 0 and on_segment(a, b, c)
                   for a, b, c in [(p, q, r), (p, q, s), (r, s, p), (r, s, q)])
    return not (crossing or touching)


def test_corners_passes_the_reference_and_a_numpy_bool():
    feedback = nn.checks.check_corners_separable(corners_separable)
    assert feedback.passed, str(feedback)
    assert "all 12 cases" in str(feedback)
    assert nn.checks.check_corners_separable(lambda A: np.bool_(corners_separable(A))).passed


def test_corners_cases_have_the_stated_answers():
    """Independent of the check's geometry: a linear program finds the largest margin t with
    y_i (a_i . w + b) >= t, |w_j| <= 1; the pairs are separable exactly when t > 0."""
    linprog = pytest.importorskip("scipy.optimize").linprog
    from nnlib.checks.representations import _corner_cases

    sign = np.array([-1.0, 1.0, 1.0, -1.0])  # class 1 is the rows 1 and 2
    for what, A, separable in _corner_cases():
        # variables w1, w2, b, t; maximize t subject to -sign_i (a_i . w + b) + t <= 0
        A_ub = np.column_stack([-sign[:, None] * A, -sign, np.ones(4)])
        result = linprog(c=[0, 0, 0, -1], A_ub=A_ub, b_ub=np.zeros(4),
                         bounds=[(-1, 1), (-1, 1), (None, None), (None, 1)], method="highs")
        assert result.status == 0, what
        margin = -result.fun
        assert (margin > 1e-9) == separable, f"{what}: margin {margin}"
        assert separable or margin < 1e-12, f"{what}: margin {margin}"


def _rows_paired(class1, class0):
    """The reference test with the wrong rows taken as the two classes."""
    def answer(A):
        return corners_separable(A[[class0[0], class1[0], class1[1], class0[1]]])
    return answer


@pytest.mark.parametrize("wrong, fragments", [
    (representations._only_proper_crossings, ["4 of 12 cases wrong", "only detect proper crossings",
                             "a class-0 corner lying on the class-1 segment: expected False, got True"]),
    (representations._zero_counts_as_crossing, ["1 of 12 cases wrong", "all four on one line, the classes apart",
                           "without checking where c lies"]),
    (lambda A: not np.allclose((A[1] + A[2]) / 2, (A[0] + A[3]) / 2),
     ["compare the midpoints", "segments that cross away from their midpoints: expected False"]),
    (_rows_paired((0, 1), (2, 3)), ["paired the rows as (0, 1) against (2, 3)", "rows 1 and 2"]),
    (_rows_paired((2, 3), (0, 1)), ["paired the rows as (0, 1) against (2, 3)"]),
    (_rows_paired((0, 2), (1, 3)), ["paired the rows as (0, 2) against (1, 3)", "A[1]-A[2]"]),
])
def test_corners_typical_mistakes_get_their_own_hint(wrong, fragments):
    assert_failed(nn.checks.check_corners_separable(wrong), *fragments)


def _probe(A, num_epochs=1000):
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    probe = nn.MLP([2, 1], output="sigmoid", seed=0)
    probe.fit(A, y, loss="bce", optimizer=nn.optimizers.Adam(lr=0.1), num_epochs=num_epochs)
    return nn.metrics.accuracy(y, probe.predict(A))


def test_corners_a_trained_probe_or_perceptron_misses_the_thin_gap():
    y = np.array([0, 1, 1, 0])
    for answer in (lambda A: _probe(A) == 1.0,
                   lambda A: nn.perceptron.train_perceptron(A, y, num_epochs=1000).converged):
        assert_failed(nn.checks.check_corners_separable(answer),
                      "1 of 12 cases wrong", "gap of only 0.001: expected True, got False",
                      "x1 + x2 = 1.0005", "proves nothing")


def test_corners_a_high_accuracy_is_not_separability():
    # "at least 3 of 4 right" (75%) or "at least 95%" are the lax rules of an accuracy threshold
    assert_failed(nn.checks.check_corners_separable(lambda A: _probe(A, 300) >= 0.75),
                  "stuck network: expected False, got True")
    assert_failed(nn.checks.check_corners_separable(lambda A: _probe(A, 300) >= 0.95),
                  "gap of only 0.001: expected True, got False")


@pytest.mark.parametrize("constant", [True, False])
def test_corners_constant_answers_fail(constant):
    assert_failed(nn.checks.check_corners_separable(lambda A: constant),
                  f"answers {constant} for every set")


def test_corners_wants_a_bool():
    assert_failed(nn.checks.check_corners_separable(lambda A: 1.0),
                  "returned 1.0 (float); expected True or False")
    assert_failed(nn.checks.check_corners_separable(lambda A: None), "returned None (NoneType)")


def test_corners_stub_and_crash():
    assert_not_solved(nn.checks.check_corners_separable(stub))
    assert_failed(nn.checks.check_corners_separable(crashes), "raised KeyError")
    assert_failed(nn.checks.check_corners_separable("not a function"), "expected a function")


def test_every_check_is_exported():
    from nnlib.checks import representations

    assert set(representations.__all__) == {
        "check_hidden_representation", "check_xor_network", "check_corners_separable"}
    for name in representations.__all__:
        assert getattr(nn.checks, name) is getattr(representations, name)

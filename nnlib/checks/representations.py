"""Checks of chapter 2, XOR and representations.

- :func:`check_hidden_representation`: ``hidden_representation(X, W1, b1)`` computes the
  sigmoid hidden layer :math:`H = \\sigma(X W_1 + b_1)`.
- :func:`check_xor_network`: ``xor_weights()`` returns ``W1, b1, W2, b2`` of a 2-2-1 sigmoid
  network whose output is above 1/2 exactly on the XOR rows 01 and 10.
- :func:`check_is_linearly_separable`: ``is_linearly_separable(H, y)`` tells whether one
  hyperplane separates the two classes of the rows of ``H``.
"""

from __future__ import annotations

import numpy as np

from . import as_array, call, failed, in_case, passed, wrong_count

__all__ = ["check_hidden_representation", "check_xor_network", "check_is_linearly_separable"]


def _sigmoid(Z):
    from ..activations import get

    return get("sigmoid").forward(Z)


def _first_row_off(expected, got, atol=1e-8):
    """Index of the first row where ``got`` differs from ``expected``."""
    rows = np.where(~np.all(np.isclose(got, expected, atol=atol, rtol=1e-6), axis=1))[0]
    return int(rows[0])


# --- 1. The hidden representation -----------------------------------------------------------

def _hidden_cases():
    """(description, X, W1, b1) with a worked right answer from nnlib's Dense layer."""
    rng = np.random.default_rng(2)
    X_xor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return [
        ("the XOR inputs with the two lines of the chapter (X 4x2, W1 2x2)",
         X_xor, np.array([[6.0, -6.0], [6.0, -6.0]]), np.array([-3.0, 9.0])),
        ("5 samples with 3 features into 4 hidden units (X 5x3, W1 3x4)",
         rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)),
        ("b1 given as a row of shape (1, 3) (X 6x2, W1 2x3)",
         rng.normal(size=(6, 2)), rng.normal(size=(2, 3)), rng.normal(size=(1, 3))),
        ("large weighted sums, |z| up to 1000 (X 3x2, W1 2x2)",
         np.array([[10.0, -10.0], [-10.0, 10.0], [0.0, 0.0]]),
         np.array([[50.0, -50.0], [-50.0, 50.0]]), np.array([0.0, 0.0])),
    ]


def _nnlib_hidden(X, W1, b1):
    from ..layers import Dense

    layer = Dense(W1.shape[0], W1.shape[1], activation="sigmoid")
    layer.W[...] = W1
    layer.b[...] = np.reshape(b1, -1)
    return layer.forward(X)


def check_hidden_representation(hidden_representation):
    """Check ``hidden_representation(X, W1, b1)``: :math:`\\sigma(X W_1 + b_1)`, shape ``(m, n_hidden)``.

    Compared with the activations of an nnlib ``Dense`` sigmoid layer with the same weights,
    on four cases (the XOR inputs, a non-square shape, ``b1`` as a row, very large sums).
    """
    name = "hidden_representation(X, W1, b1)"
    hint = ("rows are samples: Z = X @ W1 + b1 has one row per sample and one column per "
            "hidden unit, then H = sigmoid(Z) = 1 / (1 + exp(-Z)) elementwise.")
    for what, X, W1, b1 in _hidden_cases():
        expected = _nnlib_hidden(X, W1, b1)
        with np.errstate(over="ignore", under="ignore"):
            got, problem = call(name, hidden_representation, X.copy(), W1.copy(), b1.copy(),
                                hint=hint)
        if problem is not None:
            return in_case(problem, what)
        if got is None:
            return failed(name, f"for {what} your function returned None.",
                          "end the function with `return H`.")
        arr = as_array(got)
        if arr is None:
            return failed(name, f"for {what} your function returned {type(got).__name__}, "
                          "not an array of numbers.", hint)
        if arr.shape != expected.shape:
            extra = (" (that is the transpose: did you compute W1.T @ X.T?)"
                     if arr.shape == expected.shape[::-1] else "")
            return failed(name, f"for {what} expected an array of shape {expected.shape} "
                          f"(samples x hidden units), got shape {arr.shape}{extra}.", hint)
        if not np.all(np.isfinite(arr)):
            return failed(name, f"for {what} your result contains NaN or inf; expected values "
                          "strictly between 0 and 1.",
                          "for very negative z, exp(-z) overflows to inf and 1 / (1 + inf) = 0 "
                          "is fine, but inf / inf is NaN: write the sigmoid as 1 / (1 + exp(-Z)).")
        if np.allclose(arr, expected, atol=1e-8, rtol=1e-6):
            continue
        Z = X @ W1 + np.reshape(b1, -1)
        known = [
            (Z, "you returned Z = X W1 + b1, the weighted sums before the activation",
             "apply the sigmoid to Z."),
            (_sigmoid(X @ W1), "the bias b1 is missing", "add b1 to X @ W1 before the sigmoid."),
            (np.tanh(Z), "you applied tanh; this network's hidden units are sigmoids",
             "use sigmoid(z) = 1 / (1 + exp(-z))."),
            (_sigmoid(-Z), "you computed sigmoid(-Z): the sign in the exponent is flipped",
             "sigmoid(z) = 1 / (1 + exp(-z)) is close to 1 for large positive z."),
        ]
        for wrong, message, fix in known:
            if np.allclose(arr, wrong, atol=1e-8, rtol=1e-6):
                return failed(name, f"for {what}: {message}.", fix)
        i = _first_row_off(expected, arr)
        return failed(name, f"for {what}, sample {i} (x = {np.round(X[i], 3).tolist()}): "
                      f"expected h = {np.round(expected[i], 4).tolist()}, "
                      f"got {np.round(arr[i], 4).tolist()}.", hint)
    return passed(name, "H = sigmoid(X W1 + b1) matches nnlib's sigmoid layer on all 4 cases, "
                  "including a non-square W1 and sums as large as |z| = 1000.")


# --- 2. Weights of a 2-2-1 network that computes XOR ---------------------------------------

_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_XOR_Y = np.array([0, 1, 1, 0])


def _shaped(value, shape, what):
    """``value`` reshaped to ``shape`` if it holds ``prod(shape)`` numbers, else an error text."""
    arr = as_array(value)
    if arr is None:
        return None, f"{what} is {type(value).__name__}, not an array of numbers"
    if arr.size != int(np.prod(shape)):
        return None, f"{what} has shape {arr.shape} ({arr.size} numbers), expected {shape}"
    if arr.ndim == 2 and len(shape) == 2 and arr.shape != shape:
        return None, f"{what} has shape {arr.shape}, expected {shape} (rows are inputs, columns units)"
    return arr.reshape(shape), ""


def check_xor_network(xor_weights):
    """Check ``xor_weights()`` -> ``(W1, b1, W2, b2)`` of a 2-2-1 sigmoid network for XOR.

    Runs :math:`\\hat{y} = \\sigma(\\sigma(X W_1 + b_1) W_2 + b_2)` on the four rows 00, 01,
    10, 11 and requires :math:`\\hat{y} > 1/2` exactly on 01 and 10. Shapes: ``W1`` (2, 2),
    ``b1`` (2,), ``W2`` (2, 1), ``b2`` (1,) (rows or flat vectors of the same size are fine).
    """
    name = "xor_weights()"
    hint = ("let hidden unit 1 be an OR line (x1 + x2 - 0.5) and unit 2 a NAND line "
            "(-x1 - x2 + 1.5), and let the output unit compute their AND (h1 + h2 - 1.5); "
            "multiply every weight and bias by about 5 to 10 so the sigmoids are close to 0 or 1.")
    got, problem = call(name, xor_weights, hint=hint)
    if problem is not None:
        return problem
    shape_problem = wrong_count(name, got, 4, "the four arrays W1, b1, W2, b2 "
                                "(return W1, b1, W2, b2)", hint)
    if shape_problem is not None:
        return shape_problem
    arrays = []
    for value, shape, what in zip(got, [(2, 2), (2,), (2, 1), (1,)], ["W1", "b1", "W2", "b2"]):
        arr, error = _shaped(value, shape, what)
        if error:
            return failed(name, error + ".", "W1 maps 2 inputs to 2 hidden units, W2 maps 2 hidden "
                          "units to 1 output; b1 has one bias per hidden unit, b2 one number.")
        if not np.all(np.isfinite(arr)):
            return failed(name, f"{what} contains NaN or inf.", hint)
        arrays.append(arr)
    W1, b1, W2, b2 = arrays
    with np.errstate(over="ignore", under="ignore"):
        H = _sigmoid(_XOR_X @ W1 + b1)
        y_hat = _sigmoid(H @ W2 + b2)[:, 0]
    predicted = (y_hat > 0.5).astype(int)
    wrong = np.where(predicted != _XOR_Y)[0]
    outputs = ", ".join(f"{v:.3f}" for v in y_hat)
    if len(wrong):
        rows = "; ".join(
            f"row x = ({int(_XOR_X[i, 0])}, {int(_XOR_X[i, 1])}): target {_XOR_Y[i]}, output "
            f"{y_hat[i]:.3f} {'<=' if predicted[i] == 0 else '>'} 0.5, so class {predicted[i]} "
            f"(hidden h = {np.round(H[i], 3).tolist()})"
            for i in wrong
        )
        return failed(name, f"{len(wrong)} of 4 rows wrong: {rows}.", hint)
    return passed(name, f"outputs {outputs} on the rows 00, 01, 10, 11: above 0.5 exactly on "
                  "01 and 10, so the network computes XOR.")


# --- 3. Linear separability ------------------------------------------------------------------

def _separability_cases():
    """(description, H, y, separable): small sets whose answer is known by construction."""
    from ..datasets import logic_gate, six_regions

    X_and, y_and = logic_gate("and")
    X_xor, y_xor = logic_gate("xor")
    # The two lines of the chapter with sigmoid units: the XOR corners in hidden space.
    H_xor = _sigmoid(X_xor @ np.array([[6.0, -6.0], [6.0, -6.0]]) + np.array([-3.0, 9.0]))
    X6, y6 = six_regions(n_per_region=10, seed=0)
    angles = np.arange(6) * np.pi / 3
    U = np.vstack([np.cos(angles), np.sin(angles)])  # unit vectors to the cluster centres
    H6 = _sigmoid(X6 @ (4.0 * U) - 6.0)  # six cluster detectors
    return [
        ("the AND truth table (4 points in 2-D)", X_and, y_and, True),
        ("the XOR truth table (4 points in 2-D)", X_xor, y_xor, False),
        ("the XOR corners in a sigmoid hidden space (4 points in 2-D)", H_xor, y_xor, True),
        ("the six-region data in the input plane (60 points in 2-D)", X6, y6, False),
        ("the six-region data seen by six cluster detectors (60 points in 6-D)", H6, y6, True),
        ("a single class: every label is 0 (3 points)", np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]]),
         np.zeros((3, 1)), True),
        ("the same point twice, once with each label", np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]]),
         np.array([[0.0], [1.0], [0.0]]), False),
        ("1-D points 0, 1, 2, 3 with labels 0, 0, 1, 1", np.array([[0.0], [1.0], [2.0], [3.0]]),
         np.array([[0.0], [0.0], [1.0], [1.0]]), True),
        ("1-D points 0, 1, 2 with labels 0, 1, 0", np.array([[0.0], [1.0], [2.0]]),
         np.array([[0.0], [1.0], [0.0]]), False),
        ("1-D points 0..19, labels 0 below 10 and 1 from 10 on, except that points 9 and 10 "
         "swap labels (the best threshold gets 19 of 20 right)", np.arange(20.0).reshape(-1, 1),
         np.array([0.0] * 9 + [1.0, 0.0] + [1.0] * 9).reshape(-1, 1), False),
    ]


def check_is_linearly_separable(is_linearly_separable):
    """Check ``is_linearly_separable(H, y)`` -> True or False.

    ``H`` is ``(m, n)`` (any number of columns), ``y`` is ``(m, 1)`` with labels 0 and 1. Ten
    cases with known answers: AND and XOR, XOR in a sigmoid hidden space, the six-region data
    in the plane and in six dimensions, one class only, a point with both labels, 1-D data
    (one set is separable but for a single point, so "90% is enough" is caught).
    """
    name = "is_linearly_separable(H, y)"
    hint = ("separable means that some linear classifier gets every sample right: fit "
            "logistic regression (nn.MLP([n, 1], output='sigmoid'), loss 'bce') on H and "
            "answer whether its training accuracy is exactly 1.0, or run the perceptron rule "
            "and answer whether it converged.")
    wrong = []
    for what, H, y, separable in _separability_cases():
        got, problem = call(name, is_linearly_separable, H.copy(), y.copy(), hint=hint)
        if problem is not None:
            return in_case(problem, what)
        if not isinstance(got, (bool, np.bool_)):
            return failed(name, f"for {what} your function returned {got!r} "
                          f"({type(got).__name__}); expected True or False.",
                          "return a bool, e.g. `return accuracy == 1.0`.")
        if bool(got) != separable:
            wrong.append((what, separable, bool(got)))
    if wrong:
        what, separable, got = wrong[0]
        listed = "; ".join(f"{w}: expected {s}, got {g}" for w, s, g in wrong)
        if all(not s for _, s, _ in wrong):
            extra = (" Every wrong answer is True for a set that no hyperplane separates: "
                     "a high accuracy is not enough, it must be 100%.")
        elif all(s for _, s, _ in wrong):
            extra = (" Every wrong answer is False for a separable set: train longer or with a "
                     "larger learning rate, or check that you compare with 1.0 correctly.")
        else:
            extra = ""
        return failed(name, f"{len(wrong)} of 10 cases wrong: {listed}.{extra}", hint)
    return passed(name, "right on all 10 cases: AND and XOR, XOR in hidden space, the "
                  "six-region data in 2-D and 6-D, one class, a point with both labels, 1-D data (one "
                  "mislabelled point makes a set inseparable).")

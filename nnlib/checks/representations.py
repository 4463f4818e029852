"""Checks of chapter 2, XOR and representations.

- :func:`check_hidden_representation`: ``hidden_representation(X, W1, b1)`` computes the
  sigmoid hidden layer :math:`A^{[1]} = \\sigma(X W^{[1]} + b^{[1]})`.
- :func:`check_xor_network`: ``xor_weights()`` returns ``W1, b1, W2, b2`` of a 2-2-1 sigmoid
  network whose output is above 1/2 exactly on the XOR rows 01 and 10.
- :func:`check_corners_separable`: ``corners_separable(A)`` tells exactly whether a line
  separates the XOR corners of class 1 (rows 1, 2 of ``A``) from those of class 0 (rows 0, 3)
  in a two-dimensional representation.
"""

from __future__ import annotations

import numpy as np

from . import as_array, call, failed, in_case, passed, wrong_count

__all__ = ["check_hidden_representation", "check_xor_network", "check_corners_separable"]


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
        ("6 samples with 2 features into 3 hidden units (X 6x2, W1 2x3)",
         rng.normal(size=(6, 2)), rng.normal(size=(2, 3)), rng.normal(size=3)),
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
    """Check ``hidden_representation(X, W1, b1)``: :math:`A^{[1]} = \\sigma(X W^{[1]} + b^{[1]})`,
    shape ``(m, n_hidden)``.

    Compared with the activations of an nnlib ``Dense`` sigmoid layer with the same weights,
    on four cases (the XOR inputs, two non-square shapes, very large sums).
    """
    name = "hidden_representation(X, W1, b1)"
    hint = ("rows are samples: Z = X @ W1 + b1 has one row per sample and one column per "
            "hidden unit, then A1 = sigmoid(Z) = 1 / (1 + exp(-Z)) elementwise.")
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
                      f"expected a1 = {np.round(expected[i], 4).tolist()}, "
                      f"got {np.round(arr[i], 4).tolist()}.", hint)
    return passed(name, "A1 = sigmoid(X W1 + b1) matches nnlib's sigmoid layer on all 4 cases, "
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
            "(-x1 - x2 + 1.5), and let the output unit compute their AND (a1_1 + a1_2 - 1.5); "
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
        A1 = _sigmoid(_XOR_X @ W1 + b1)
        y_hat = _sigmoid(A1 @ W2 + b2)[:, 0]
    predicted = (y_hat > 0.5).astype(int)
    wrong = np.where(predicted != _XOR_Y)[0]
    outputs = ", ".join(f"{v:.3f}" for v in y_hat)
    if len(wrong):
        rows = "; ".join(
            f"row x = ({int(_XOR_X[i, 0])}, {int(_XOR_X[i, 1])}): target {_XOR_Y[i]}, output "
            f"{y_hat[i]:.3f} {'<=' if predicted[i] == 0 else '>'} 0.5, so class {predicted[i]} "
            f"(hidden a1 = {np.round(A1[i], 3).tolist()})"
            for i in wrong
        )
        return failed(name, f"{len(wrong)} of 4 rows wrong: {rows}.", hint)
    return passed(name, f"outputs {outputs} on the rows 00, 01, 10, 11: above 0.5 exactly on "
                  "01 and 10, so the network computes XOR.")


# --- 3. Are the four XOR corners linearly separable in a representation? ------------------

def _side(a, b, c):
    """Twice the signed area of the triangle a, b, c: > 0 when c lies left of the line a -> b,
    0 when the three points are collinear."""
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _in_box(a, b, c):
    """c lies in the box spanned by a and b: on the segment a-b when the three are collinear."""
    return bool(np.all(np.minimum(a, b) <= c) and np.all(c <= np.maximum(a, b)))


def _segments_meet(p, q, r, s):
    """The segments p-q and r-s share at least one point (a crossing, or a touch)."""
    d1, d2, d3, d4 = _side(p, q, r), _side(p, q, s), _side(r, s, p), _side(r, s, q)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return True
    return any(d == 0 and _in_box(a, b, c)
               for d, a, b, c in [(d1, p, q, r), (d2, p, q, s), (d3, r, s, p), (d4, r, s, q)])


def _separable(A, class1=(1, 2), class0=(0, 3)):
    """Two pairs of points are strictly separated by a line exactly when the segments between
    them do not meet (two finite sets are strictly separable iff their convex hulls are
    disjoint, and the hull of two points is the segment between them)."""
    return not _segments_meet(A[class1[0]], A[class1[1]], A[class0[0]], A[class0[1]])


def _corner_cases():
    """(description, A, separable): the four XOR corners 00, 01, 10, 11 as rows of A (4, 2)."""
    square = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    two_lines = _sigmoid(square @ (6.0 * np.array([[1.0, -1.0], [1.0, -1.0]]))
                         + 6.0 * np.array([-0.5, 1.5]))
    cases = [
        ("the XOR inputs themselves (the diagonals of the square cross)", square),
        ("the chapter's OR and NAND lines with sigmoid units (weights times 6)", two_lines),
        ("a trained network's hidden layer, both class-0 corners near (1, 0)",
         [[0.993, 0.006], [1.0, 0.989], [0.01, 0.0], [0.994, 0.004]]),
        ("an affine image of the square (identity hidden units)",
         square @ np.array([[2.0, 1.0], [-1.0, 3.0]]) + np.array([0.5, -1.0])),
        ("segments that cross away from their midpoints",
         [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [3.0, 3.0]]),
        ("a class-0 corner lying on the class-1 segment",
         [[0.5, 0.5], [0.0, 1.0], [1.0, 0.0], [2.0, 2.0]]),
        ("a class-1 corner lying on the class-0 segment",
         [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [2.0, 2.0]]),
        ("both class-1 corners on one point, away from class 0",
         [[0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [0.0, 2.0]]),
        ("a corner of each class on the same point, as in a stuck network",
         [[0.9, 0.1], [0.1, 0.9], [0.0, 0.0], [0.0, 0.0]]),
        ("all four on one line, the classes apart",
         [[0.0, 0.0], [2.0, 2.0], [3.0, 3.0], [1.0, 1.0]]),
        ("all four on one line, the classes interleaved",
         [[0.0, 0.0], [1.0, 1.0], [3.0, 3.0], [2.0, 2.0]]),
        ("four points that a line separates with a gap of only 0.001",
         [[0.5005, 0.5005], [0.0, 1.0], [1.0, 0.0], [2.0, 2.0]]),
    ]
    return [(what, np.asarray(A, dtype=float), _separable(np.asarray(A, dtype=float)))
            for what, A in cases]


def _only_proper_crossings(A):
    p, q, r, s = A[1], A[2], A[0], A[3]
    return not (_side(p, q, r) * _side(p, q, s) < 0 and _side(r, s, p) * _side(r, s, q) < 0)


def _zero_counts_as_crossing(A):
    p, q, r, s = A[1], A[2], A[0], A[3]
    return not (_side(p, q, r) * _side(p, q, s) <= 0 and _side(r, s, p) * _side(r, s, q) <= 0)


def _midpoints_differ(A):
    return not np.allclose((A[1] + A[2]) / 2, (A[0] + A[3]) / 2)


_PAIRING_HINT = ("class 1 is the rows 1 and 2 (the corners 01 and 10), class 0 the rows 0 and 3 "
                 "(00 and 11): compare the segment A[1]-A[2] with the segment A[0]-A[3].")

#: Typical wrong answers, each with what it gets wrong and how to fix it.
_CORNER_MISTAKES = [
    (_only_proper_crossings,
     "you only detect proper crossings, so a corner lying exactly on the other class's segment "
     "(or on the same point as a corner of the other class) slips through",
     "when side(a, b, c) == 0, the point c is on the line through a and b: check whether it lies "
     "within the segment (between a and b in both coordinates); if it does, the segments touch "
     "and no line separates the classes strictly."),
    (_zero_counts_as_crossing,
     "you treat side(a, b, c) == 0 as a crossing without checking where c lies, so collinear "
     "corners whose classes are apart count as inseparable",
     "a zero side only means c is on the line through a and b; it blocks separation only if c "
     "lies within the segment from a to b."),
    (_midpoints_differ,
     "you compare the midpoints of the two segments; equal midpoints prove inseparability, but "
     "different midpoints do not prove separability: segments can cross (or touch) elsewhere",
     "test whether the two segments meet: a proper crossing (the endpoints of each segment lie "
     "strictly on opposite sides of the other) or a touch (a zero side and the point within the "
     "segment)."),
    (lambda A: _separable(A, class1=(0, 1), class0=(2, 3)),
     "you paired the rows as (0, 1) against (2, 3)", _PAIRING_HINT),
    (lambda A: _separable(A, class1=(0, 2), class0=(1, 3)),
     "you paired the rows as (0, 2) against (1, 3)", _PAIRING_HINT),
]


def check_corners_separable(corners_separable):
    """Check ``corners_separable(A)`` -> True or False.

    ``A`` holds the representation of the XOR corners 00, 01, 10, 11 as rows, shape (4, 2).
    The answer is True exactly when a line puts the rows 1 and 2 (class 1) strictly on one
    side and the rows 0 and 3 (class 0) strictly on the other. Twelve cases with exact
    answers: the square and its affine image, sigmoid hidden layers, crossings away from the
    midpoints, corners touching the other segment, merged corners, collinear corners, and a
    gap of 0.001 that a trained classifier misses.
    """
    name = "corners_separable(A)"
    hint = ("two pairs of points are separable by a line exactly when the segment between the "
            "class-1 corners (A[1], A[2]) and the segment between the class-0 corners (A[0], "
            "A[3]) do not meet, not even in one point: look for a proper crossing (signs of "
            "side(a, b, c)) and for a touch (a side of 0 with the point inside the segment).")
    cases = _corner_cases()
    answers = []
    for what, A, _ in cases:
        got, problem = call(name, corners_separable, A.copy(), hint=hint)
        if problem is not None:
            return in_case(problem, what)
        if not isinstance(got, (bool, np.bool_)):
            return failed(name, f"for {what} your function returned {got!r} "
                          f"({type(got).__name__}); expected True or False.",
                          "return a bool, e.g. `return not (crossing or touching)`.")
        answers.append(bool(got))
    wrong = [(what, s, g) for (what, _, s), g in zip(cases, answers) if g != s]
    if not wrong:
        return passed(name, f"right on all {len(cases)} cases: crossings, touching and merged "
                      "corners, collinear corners, and a gap of 0.001 that a trained linear "
                      "classifier misses.")
    listed = "; ".join(f"{w}: expected {s}, got {g}" for w, s, g in wrong)
    summary = f"{len(wrong)} of {len(cases)} cases wrong: {listed}."
    if len(set(answers)) == 1:
        return failed(name, f"{summary} Your function answers {answers[0]} for every set.", hint)
    for mistake, message, fix in _CORNER_MISTAKES:
        if answers == [bool(mistake(A)) for _, A, _ in cases]:
            return failed(name, f"{summary} It looks as if {message}.", fix)
    if [w for w, _, _ in wrong] == [cases[-1][0]]:
        return failed(name, f"{summary} A line does separate them (x1 + x2 = 1.0005), with a "
                      "gap of 0.001.",
                      "a trained classifier (or a perceptron run for a fixed number of epochs) "
                      "that misses a point proves nothing: the gap may just be too thin for it. "
                      "Decide with geometry: do the two segments meet?")
    return failed(name, summary, hint)

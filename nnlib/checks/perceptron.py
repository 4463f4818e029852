"""Checks of chapter 1, the perceptron and logic gates.

Each check runs the student's function on cases whose answers follow from the perceptron's
definition, :math:`\\hat y = 1` iff :math:`\\mathbf{w}\\cdot\\mathbf{x} + b > 0`, and on a
wrong answer names the input, the expected and the received value, and gives a hint.
"""

from __future__ import annotations

import itertools

import numpy as np

from . import Feedback, call, failed, passed

__all__ = ["perceptron_output", "perceptron_update", "three_input_gates", "xnor_network"]

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
CUBE = np.array(list(itertools.product([0.0, 1.0], repeat=3)))  # rows 000, 001, ..., 111

#: The three-input gates of the exercise: the output for each row of ``CUBE``.
THREE_INPUT_GATES = {
    "and": lambda s: s == 3,
    "or": lambda s: s >= 1,
    "nand": lambda s: s < 3,
    "nor": lambda s: s == 0,
    "majority": lambda s: s >= 2,
}


def _vec(v) -> str:
    """``(0, 1)`` for a vector, ``0.5`` for a number: how the messages print values."""
    arr = np.asarray(v, dtype=float).reshape(-1)
    text = ", ".join(f"{x:g}" for x in arr)
    return f"({text})" if np.ndim(v) else text


def _array(result, exercise: str, what: str, hint: str):
    """``result`` as a float array, or a Feedback saying it is not one."""
    try:
        arr = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        return None, failed(exercise, f"expected {what}, got {type(result).__name__}: "
                            f"{result!r}", hint)
    return arr, None


# --- Exercise: the perceptron's output --------------------------------------------------------

def _output_cases():
    rng = np.random.default_rng(0)
    X3 = rng.integers(0, 2, size=(6, 3)).astype(float)
    return [
        ("AND weights on the truth table", CORNERS, np.array([0.5, 0.5]), -0.7),
        ("NOR weights on the truth table", CORNERS, np.array([-0.5, -0.5]), 0.2),
        ("a line through the corners (0, 1) and (1, 0)", CORNERS, np.array([1.0, 1.0]), -1.0),
        ("NOT, one input", np.array([[0.0], [1.0]]), np.array([-1.0]), 0.5),
        ("three inputs", X3, np.array([0.4, -0.3, 0.8]), -0.25),
        ("real-valued inputs", rng.normal(size=(5, 2)), np.array([2.0, -1.0]), 0.3),
    ]


def perceptron_output(fn) -> Feedback:
    """Check ``fn(X, w, b)``: the perceptron's outputs ``(m, 1)``, 1 where ``X w + b > 0``."""
    exercise = "perceptron_output(X, w, b)"
    hint = ("compute z = X @ w + b (one number per row), then (z > 0) as 0/1 numbers, "
            "reshaped to one column with .reshape(-1, 1).")
    for what, X, w, b in _output_cases():
        result, problem = call(exercise, fn, X.copy(), w.copy(), b, hint=hint)
        if problem is not None:
            return problem
        got, problem = _array(result, exercise, f"an array of shape ({len(X)}, 1)", hint)
        if problem is not None:
            return problem
        z = X @ w + b
        expected = (z > 0).astype(float).reshape(-1, 1)
        if got.shape != expected.shape:
            return failed(
                exercise, f"{what}: expected an array of shape {expected.shape} (one row per "
                f"sample, one column), got shape {got.shape}.",
                "rows are samples: return the outputs as a column, e.g. with .reshape(-1, 1)."
                if got.size == expected.size else hint,
            )
        wrong = np.flatnonzero(got[:, 0] != expected[:, 0])
        if wrong.size:
            i = wrong[0]
            tie = np.isclose(z[i], 0.0, atol=1e-12)
            detail = (". The weighted sum equals the threshold here (w·x + b = 0), and the "
                      "perceptron fires only when it is strictly greater."
                      if tie else f" (w·x + b = {z[i]:.3g}).")
            return failed(
                exercise, f"{what}: for x = {_vec(X[i])} with w = {_vec(w)}, b = {b:g} "
                f"expected output {expected[i, 0]:g}, got {got[i, 0]:g}{detail}",
                "use a strict comparison, z > 0: on the line the output is 0." if tie else hint,
            )
    return passed(exercise, f"all {len(_output_cases())} cases right, including a corner that "
                  "lies exactly on the line (output 0) and inputs that are not 0/1.")


# --- Exercise: one step of the learning rule ------------------------------------------------

def _update_cases():
    """(description, w, b, x, y, lr); the last ones are seeded random cases."""
    cases = [
        ("a correct output 1", [0.5, 0.5], -0.2, [1.0, 1.0], 1, 1.0),
        ("a correct output 0", [0.5, 0.5], -0.7, [1.0, 0.0], 0, 1.0),
        ("a missed 1 (output 0, target 1)", [-0.5, 0.5], 0.1, [1.0, 0.0], 1, 1.0),
        ("a false 1 (output 1, target 0)", [0.5, 0.5], -0.2, [1.0, 1.0], 0, 0.5),
        ("a point on the line with target 1 (output 0)", [1.0, -1.0], 0.0, [1.0, 1.0], 1, 0.25),
        ("a point on the line with target 0 (output 0, correct)", [1.0, -1.0], 0.0, [1.0, 1.0], 0, 0.25),
        ("three inputs, output 1, target 0", [0.2, 0.3, -0.1], 0.1, [1.0, 0.0, 1.0], 0, 0.1),
    ]
    rng = np.random.default_rng(1)
    for _ in range(12):
        w, b = rng.normal(size=2).round(2).tolist(), round(float(rng.normal()), 2)
        x = rng.integers(0, 2, size=2).astype(float).tolist()
        cases.append(("a random case", w, b, x, int(rng.integers(0, 2)),
                      float(rng.choice([0.1, 0.5, 1.0]))))
    return cases


def _expected_update(w, b, x, y, lr):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    error = y - float(w @ x + b > 0)
    return w + lr * error * x, b + lr * error, error


def perceptron_update(fn) -> Feedback:
    """Check ``fn(w, b, x, y, lr) -> (w_new, b_new)``: one step of Rosenblatt's rule."""
    exercise = "perceptron_update(w, b, x, y, lr)"
    hint = ("output y_hat = 1 if w @ x + b > 0 else 0; then w + lr * (y - y_hat) * x and "
            "b + lr * (y - y_hat). Return both: return w_new, b_new.")
    for what, w, b, x, y, lr in _update_cases():
        exp_w, exp_b, error = _expected_update(w, b, x, y, lr)
        args = (np.array(w, dtype=float), b, np.array(x, dtype=float), y, lr)
        result, problem = call(exercise, fn, *args, hint=hint)
        if problem is not None:
            return problem
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return failed(exercise, f"expected a pair (w_new, b_new), got "
                          f"{type(result).__name__}: {result!r}", hint)
        got_w, problem = _array(result[0], exercise, f"w_new, an array of {len(w)} numbers", hint)
        if problem is not None:
            return problem
        got_b, problem = _array(result[1], exercise, "b_new, a number", hint)
        if problem is not None:
            return problem
        if got_w.shape != exp_w.shape or got_b.size != 1:
            return failed(exercise, f"{what}: expected w_new of shape {exp_w.shape} and a "
                          f"number b_new, got shapes {got_w.shape} and {got_b.shape}.", hint)
        w_arr, x_arr = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
        got_b = float(got_b.reshape(-1)[0])
        ok_w = np.allclose(got_w, exp_w, rtol=1e-9, atol=1e-12)
        ok_b = np.isclose(got_b, exp_b, rtol=1e-9, atol=1e-12)
        if ok_w and ok_b:
            continue
        setting = (f"{what}: w = {_vec(w)}, b = {b:g}, x = {_vec(x)}, y = {y}, lr = {lr:g} "
                   f"(output {int(y - error)}): expected w_new = {_vec(exp_w)}, "
                   f"b_new = {exp_b:g}, got w_new = {_vec(got_w)}, b_new = {got_b:g}.")
        ge_error = y - float(w_arr @ x_arr + b >= 0)  # what a ">=" comparison would do
        if (ge_error != error and np.allclose(got_w, w_arr + lr * ge_error * x_arr)
                and np.isclose(got_b, b + lr * ge_error)):
            specific = ("x lies on the line (w·x + b = 0), where the output is 0: the "
                        "perceptron fires only when w·x + b > 0.")
        elif error == 0:
            specific = "a correctly classified sample changes nothing: y - y_hat = 0."
        elif not ok_w and np.allclose(got_w, 2 * w_arr - exp_w):
            specific = ("the step has the wrong sign: add lr * x when the target is 1 and the "
                        "output 0, subtract it when the target is 0 and the output 1.")
        elif ok_w:
            specific = "w is right; the bias learns too: b_new = b + lr * (y - y_hat)."
        elif np.allclose(got_w, w_arr + error * x_arr):
            specific = "the step is scaled by the learning rate: lr * (y - y_hat) * x."
        else:
            specific = hint
        return failed(exercise, setting, specific)
    return passed(exercise, f"all {len(_update_cases())} updates right: no change on correct "
                  "outputs, +lr·x and -lr·x on the two kinds of mistakes, bias included.")


# --- Exercise: weights for three-input gates ------------------------------------------------

def three_input_gates(fn) -> Feedback:
    """Check ``fn(name) -> (w, b)`` for the three-input gates and, or, nand, nor, majority."""
    exercise = "three_input_weights(name)"
    hint = ("with equal weights w = (1, 1, 1), w·x counts the inputs that are 1; put the "
            "threshold theta = -b between the largest count that must give 0 and the smallest "
            "count that must give 1 (for AND: between 2 and 3, e.g. b = -2.5).")
    for name, rule in THREE_INPUT_GATES.items():
        result, problem = call(exercise, fn, name, hint=hint)
        if problem is not None:
            return problem
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return failed(exercise, f"{name!r}: expected a pair (w, b), got "
                          f"{type(result).__name__}: {result!r}", hint)
        w, problem = _array(result[0], exercise, "w, an array of 3 weights", hint)
        if problem is not None:
            return problem
        b, problem = _array(result[1], exercise, "b, a number", hint)
        if problem is not None:
            return problem
        w = w.reshape(-1)
        if w.shape != (3,) or b.size != 1:
            return failed(exercise, f"{name!r}: expected 3 weights and one bias, got w of shape "
                          f"{w.shape} and b of shape {b.shape}.", hint)
        if not (np.all(np.isfinite(w)) and np.isfinite(b).all()):
            return failed(exercise, f"{name!r}: the weights must be finite numbers, got "
                          f"w = {_vec(w)}, b = {b.reshape(-1)[0]}.", hint)
        b = float(b.reshape(-1)[0])
        z = CUBE @ w + b
        expected = rule(CUBE.sum(axis=1)).astype(int)
        got = (z > 0).astype(int)
        wrong = np.flatnonzero(got != expected)
        if wrong.size:
            i = wrong[0]
            return failed(
                exercise, f"{name!r} with w = {_vec(w)}, b = {b:g}: for x = {_vec(CUBE[i])} "
                f"the perceptron outputs {got[i]} (w·x + b = {z[i]:.3g}), the gate "
                f"{name.upper()} gives {expected[i]} ({len(wrong)} of 8 rows wrong).", hint,
            )
    return passed(exercise, "all five gates right on all 8 rows of their truth tables.")


# --- Exercise: XNOR from gates --------------------------------------------------------------

def xnor_network(fn) -> Feedback:
    """Check ``fn(X)``: XNOR of the two columns of ``X`` for every row, ``(m, 1)`` or ``(m,)``."""
    exercise = "xnor(X)"
    hint = ("XNOR is 1 when both inputs are equal: it is OR(AND(x1, x2), NOR(x1, x2)), or "
            "NOT XOR. Compute the hidden gates with nn.perceptron.perceptron and stack them with "
            "np.hstack before the output perceptron.")
    tables = [
        ("the truth table (rows 00, 01, 10, 11)", CORNERS),
        ("the rows in another order", CORNERS[[3, 1, 0, 2]]),
        ("one row, x = (1, 0)", CORNERS[[2]]),
        ("repeated rows", CORNERS[[0, 0, 3, 1, 2, 2, 1]]),
    ]
    for what, X in tables:
        result, problem = call(exercise, fn, X.copy(), hint=hint)
        if problem is not None:
            return problem
        got, problem = _array(result, exercise, f"{len(X)} outputs, one per row", hint)
        if problem is not None:
            return problem
        if got.shape not in ((len(X), 1), (len(X),)):
            return failed(exercise, f"{what}: expected {len(X)} outputs, shape ({len(X)}, 1), "
                          f"got shape {got.shape}.", "one output per row of X." if got.size
                          != len(X) else "return a column of outputs: .reshape(-1, 1).")
        got = got.reshape(-1)
        expected = (X[:, 0] == X[:, 1]).astype(float)
        wrong = np.flatnonzero(got != expected)
        if wrong.size:
            i = wrong[0]
            return failed(exercise, f"{what}: for x = {_vec(X[i])} expected XNOR = "
                          f"{expected[i]:g}, got {got[i]:g}.", hint)
    return passed(exercise, "XNOR is right on the truth table, on reordered and repeated rows.")

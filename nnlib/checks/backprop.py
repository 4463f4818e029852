"""Checks of chapter 4, backpropagation.

- :func:`check_logistic_backward`: ``logistic_backward(X, y, w, b)`` returns ``(dw, db)``, the
  gradient of the mean binary cross-entropy of logistic regression,
  :math:`dw = X^\\top (A - y)/m` and :math:`db = \\sum_i (a_i - y_i)/m`.
- :func:`check_two_layer_backward`: ``two_layer_backward(X, Y, W1, b1, W2, b2)`` returns
  ``(dW1, db1, dW2, db2)`` for a tanh hidden layer, a sigmoid output and the mean binary
  cross-entropy.

Both compare with the gradients nnlib's :class:`~nnlib.MLP` back-propagates (which the test
suite checks against two-sided differences), and recognise the usual slips: a missing or
doubled :math:`1/m`, a sign flip, a transposed result, a forgotten activation derivative.
"""

from __future__ import annotations

import numpy as np

from . import as_array, call, close, failed, in_case, pair_verdict, passed, show, wrong_count

__all__ = ["check_logistic_backward", "check_two_layer_backward"]


def _sigmoid(Z):
    from ..activations import get

    return get("sigmoid").forward(Z)


def _close(a, b):
    return close(a, b, rtol=1e-6, atol=1e-10)


def _nnlib_grads(X, Y, params, hidden):
    """nnlib's gradients of the mean BCE for a sigmoid-output MLP with the given params."""
    from ..model import MLP

    sizes = [X.shape[1]] + [W.shape[1] for W in params[::2]]
    model = MLP(sizes, activation=hidden, output="sigmoid")
    model.set_params([np.array(p, dtype=float) for p in params])
    model.loss_and_grads(X, Y, "bce")
    return [g.copy() for g in model.grads]


# --- 1. Logistic regression ------------------------------------------------------------------

def _logistic_cases():
    """(description, X, y, w, b)."""
    rng = np.random.default_rng(4)
    cases = [("one sample (m=1, n=2)", np.array([[1.0, -2.0]]), np.array([[1.0]]),
              np.array([[0.5], [0.25]]), 0.1)]
    for m, n in [(5, 3), (8, 1), (20, 4)]:
        X = rng.normal(size=(m, n))
        y = (rng.random((m, 1)) < 0.5).astype(float)
        cases.append((f"m={m} samples with n={n} features", X, y, rng.normal(size=(n, 1)),
                      float(rng.normal())))
    X = rng.normal(size=(6, 2)) * 3.0
    cases.append(("m=6, n=2 with large weighted sums (|z| up to about 20)", X,
                  np.array([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0]]),
                  np.array([[2.0], [-2.5]]), -0.5))
    return cases


def _logistic_wrong(X, y, w, b):
    """Typical wrong (dw, db) pairs: (dw, db, what is wrong, hint)."""
    m = X.shape[0]
    Z = X @ w + b
    A = _sigmoid(Z)
    return [
        (X.T @ (A - y), np.sum(A - y), "your gradients are m times too large: you summed over "
         "the samples but the loss is their mean", "divide by m: dw = X.T @ (A - y) / m and "
         "db = np.sum(A - y) / m."),
        (X.T @ (A - y) / m ** 2, np.sum(A - y) / m ** 2, "your gradients are m times too "
         "small: the 1/m was applied twice", "divide by m once."),
        (X.T @ (y - A) / m, np.sum(y - A) / m, "the sign is flipped: you used y - a",
         "for sigmoid + cross-entropy dz = a - y (prediction minus target)."),
        (X.T @ (Z - y) / m, np.sum(Z - y) / m, "you used z - y: the sigmoid is missing",
         "compute a = sigmoid(X @ w + b) first; then dz = a - y."),
        (X.T @ ((A - y) * A * (1 - A)) / m, np.sum((A - y) * A * (1 - A)) / m,
         "you multiplied (a - y) by sigmoid'(z) once more", "for the cross-entropy loss the "
         "sigmoid's derivative cancels: dL/dz = a - y already includes it."),
    ]


def check_logistic_backward(logistic_backward):
    """Check ``logistic_backward(X, y, w, b)`` -> ``(dw, db)``.

    ``X`` is ``(m, n)``, ``y`` and the predictions :math:`A = \\sigma(Xw + b)` are ``(m, 1)``,
    ``w`` is ``(n, 1)`` and ``b`` a number. The loss is the mean binary cross-entropy, so
    ``dw = X.T @ (A - y) / m`` (shape ``(n, 1)``, like ``w``) and ``db`` is a number. Five
    cases, from a single sample to weighted sums of size 20.
    """
    name = "logistic_backward(X, y, w, b)"
    hint = ("A = sigmoid(X @ w + b) has shape (m, 1); dZ = (A - y) / m; dw = X.T @ dZ has the "
            "shape (n, 1) of w; db = dZ.sum().")
    for what, X, y, w, b in _logistic_cases():
        n = X.shape[1]
        expected = _nnlib_grads(X, y, [w, np.array([b])], hidden="identity")
        dw_ok, db_ok = expected[0], float(expected[1][0])
        with np.errstate(over="ignore", under="ignore"):
            got, problem = call(name, logistic_backward, X.copy(), y.copy(), w.copy(), b,
                                hint=hint)
        if problem is not None:
            return in_case(problem, what)
        shape_problem = wrong_count(name, got, 2, f"for {what} the pair (dw, db)",
                                    "end with `return dw, db`.")
        if shape_problem is not None:
            return shape_problem
        dw, db = as_array(got[0]), as_array(got[1])
        if dw is None or db is None:
            return failed(name, f"for {what} dw and db must be numbers or arrays of numbers, "
                          f"got {type(got[0]).__name__} and {type(got[1]).__name__}.", hint)
        if dw.shape != (n, 1):
            if dw.shape == (1, n) and n > 1:
                extra = ("that is the transpose: (A - y).T @ X is (1, n), X.T @ (A - y) is "
                         "(n, 1)")
            elif dw.shape == (n,):
                extra = "a flat vector: keep dw a column like w (reshape(-1, 1))"
            else:
                extra = "the shape of w"
            return failed(name, f"for {what} expected dw of shape {(n, 1)} (like w), got shape "
                          f"{dw.shape}: {extra}.", hint)
        if db.size != 1:
            return failed(name, f"for {what} expected db to be one number, got an array of "
                          f"shape {db.shape}.", "db = np.sum(A - y) / m adds up the samples' "
                          "dz into one number.")
        db = float(db.reshape(()))
        verdict = pair_verdict(name, what, (dw, db), (dw_ok, db_ok), _logistic_wrong(X, y, w, b),
                               names=("dw", "db"), rtol=1e-6, atol=1e-10, hint=hint)
        if verdict is not None:
            return verdict
    return passed(name, "dw = X^T (A - y) / m and db = sum(A - y) / m match nnlib's gradients "
                  "(checked against numerical ones in the test suite) on all 5 cases.")


# --- 2. A two-layer network -----------------------------------------------------------------

def _two_layer_cases():
    """(description, X, Y, [W1, b1, W2, b2])."""
    rng = np.random.default_rng(7)
    X_xor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    cases = [("the XOR data (m=4, n=2) with 3 hidden units", X_xor,
              np.array([[0.0], [1.0], [1.0], [0.0]]), 3),
             ("one sample (m=1, n=2) with 2 hidden units", np.array([[0.5, -1.5]]),
              np.array([[1.0]]), 2),
             ("m=10 samples, n=3 features, 5 hidden units", rng.normal(size=(10, 3)),
              (rng.random((10, 1)) < 0.5).astype(float), 5),
             ("m=7 samples, n=1 feature, 4 hidden units", rng.normal(size=(7, 1)),
              (rng.random((7, 1)) < 0.5).astype(float), 4)]
    out = []
    for what, X, Y, h in cases:
        n = X.shape[1]
        params = [rng.normal(size=(n, h)), rng.normal(size=h) * 0.5,
                  rng.normal(size=(h, 1)), rng.normal(size=1) * 0.5]
        out.append((what, X, Y, params))
    return out


def _two_layer_variant(X, Y, W1, b1, W2, b2, hidden_derivative="tanh", mean=True,
                       fused=True):
    """Gradients with one of the typical slips switched on (for diagnosis)."""
    m = X.shape[0] if mean else 1
    A1 = np.tanh(X @ W1 + b1)
    A2 = _sigmoid(A1 @ W2 + b2)
    dZ2 = (A2 - Y) / m
    if not fused:
        dZ2 = dZ2 * A2 * (1 - A2)
    dA1 = dZ2 @ W2.T
    g = {"tanh": 1 - A1 ** 2, "sigmoid": A1 * (1 - A1), "none": 1.0,
         "z": 1 - (X @ W1 + b1) ** 2}[hidden_derivative]
    dZ1 = dA1 * g
    return [X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)]


_SLIPS = [
    (dict(mean=False), "all four gradients are m times too large: the loss is the mean over "
     "the m samples", "divide dZ2 = (A2 - Y) by m; the 1/m then flows into every gradient."),
    (dict(hidden_derivative="sigmoid"), "the hidden layer's derivative is the sigmoid's, "
     "A1 (1 - A1), but the hidden units are tanh", "tanh'(z) = 1 - tanh(z)^2 = 1 - A1**2."),
    (dict(hidden_derivative="none"), "the derivative of the hidden activation is missing: "
     "dZ1 = dA1 is used as it is", "dZ1 = (dZ2 @ W2.T) * (1 - A1**2)."),
    (dict(hidden_derivative="z"), "you used 1 - Z1**2; tanh' is 1 - tanh(Z1)**2 = 1 - A1**2",
     "square the activation A1, not the weighted sum Z1."),
    (dict(fused=False), "dZ2 was multiplied by sigmoid'(Z2) once more", "for the sigmoid output "
     "with cross-entropy dZ2 = (A2 - Y) / m already includes the sigmoid's derivative."),
]


def check_two_layer_backward(two_layer_backward):
    """Check ``two_layer_backward(X, Y, W1, b1, W2, b2)`` -> ``(dW1, db1, dW2, db2)``.

    The network is :math:`A_1 = \\tanh(X W_1 + b_1)`, :math:`A_2 = \\sigma(A_1 W_2 + b_2)` with
    the mean binary cross-entropy. Each gradient must have the shape of its parameter
    (``db1`` may also be ``(1, h)``, ``db2`` ``(1, 1)`` or a number). Four cases, among them
    XOR and a single sample, compared with nnlib's back-propagated gradients.
    """
    name = "two_layer_backward(X, Y, W1, b1, W2, b2)"
    names = ["dW1", "db1", "dW2", "db2"]
    hint = ("backward from the output: dZ2 = (A2 - Y) / m, dW2 = A1.T @ dZ2, "
            "db2 = dZ2.sum(axis=0), dZ1 = (dZ2 @ W2.T) * (1 - A1**2), dW1 = X.T @ dZ1, "
            "db1 = dZ1.sum(axis=0).")
    for what, X, Y, params in _two_layer_cases():
        expected = _nnlib_grads(X, Y, params, hidden="tanh")
        with np.errstate(over="ignore", under="ignore"):
            got, problem = call(name, two_layer_backward, X.copy(), Y.copy(),
                                *[p.copy() for p in params], hint=hint)
        if problem is not None:
            return in_case(problem, what)
        shape_problem = wrong_count(name, got, 4, f"for {what} the four gradients "
                                    "(dW1, db1, dW2, db2)", "end with `return dW1, db1, dW2, db2`.")
        if shape_problem is not None:
            return shape_problem
        arrays = []
        for value, exp, grad_name, param in zip(got, expected, names, params):
            arr = as_array(value)
            if arr is None:
                return failed(name, f"for {what} {grad_name} is {type(value).__name__}, not an "
                              "array of numbers.", hint)
            if arr.shape != exp.shape:
                if exp.ndim == 1 and arr.size == exp.size:
                    arr = arr.reshape(exp.shape)  # a bias gradient as a row (1, h) is fine
                else:
                    shapes = [np.shape(as_array(v)) if as_array(v) is not None else None for v in got]
                    extra = ""
                    if arr.shape == exp.shape[::-1]:
                        extra = " (the transpose)"
                    elif sorted(map(str, shapes)) == sorted(str(g.shape) for g in expected):
                        extra = " (did you return them in another order than dW1, db1, dW2, db2?)"
                    return failed(name, f"for {what} expected {grad_name} of shape {exp.shape} "
                                  f"(the shape of {grad_name[1:]}), got {arr.shape}{extra}.",
                                  "a gradient has the shape of its parameter: dW1 = X.T @ dZ1 is "
                                  "(n, h), dW2 = A1.T @ dZ2 is (h, 1).")
            arrays.append(arr)
        right = [_close(a, e) for a, e in zip(arrays, expected)]
        if all(right):
            continue
        for flags, message, fix in _SLIPS:
            variant = _two_layer_variant(X, Y, *params, **flags)
            if all(_close(a, v) for a, v in zip(arrays, variant)):
                return failed(name, f"for {what}: {message}.", fix)
        wrong = [n for n, ok in zip(names, right) if not ok]
        first = names.index(wrong[0])
        detail = (f"{wrong[0]} expected {show(expected[first])}, got {show(arrays[first])}")
        if right[2] and right[3]:
            where = (" The output layer (dW2, db2) is right, so look at dZ1 = (dZ2 @ W2.T) * "
                     "tanh'(Z1) and what follows it.")
        else:
            where = " The output layer is already wrong: start with dZ2 = (A2 - Y) / m."
        return failed(name, f"for {what}: {', '.join(wrong)} wrong; {detail}.{where}", hint)
    return passed(name, "all four gradients match nnlib's backward pass (tanh hidden layer, "
                  "sigmoid output, mean cross-entropy) on 4 cases, XOR and one sample included.")

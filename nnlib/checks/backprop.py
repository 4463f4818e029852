"""Checks of chapter 4, backpropagation.

- :func:`check_graph_backward`: ``graph_backward(x, y, z)`` returns ``(f, dx, dy, dz)`` for
  :math:`f = 2\\,(xy + \\max(y, z))`, the forward value and the three gradients.
- :func:`check_softmax_network_backward`: ``softmax_network_backward(X, Y, W1, b1, W2, b2)``
  returns ``(dW1, db1, dW2, db2)`` for a ReLU hidden layer, a softmax output and the mean
  cross-entropy.
- :func:`check_numerical_grad`: ``numerical_grad(f, x, eps)`` returns the two-sided
  difference gradient of ``f`` at the array ``x``.

The expected answers come from nnlib (:func:`nnlib.gradcheck.numerical_gradient` and
:class:`nnlib.MLP`'s backward pass, both tested against each other in the test suite). Each
check recognises the usual slips by recomputing the answer with the slip made: a missing or
doubled :math:`1/m`, a sign, a missing transpose, the bias gradient summed over the wrong axis,
a one-sided difference, a gate pattern applied the wrong way.
"""

from __future__ import annotations

import numpy as np

from . import as_array, call, close, failed, in_case, passed, show, wrong_count

__all__ = ["check_graph_backward", "check_softmax_network_backward", "check_numerical_grad"]


# --- 1. f = 2 (x y + max(y, z)), by hand and in code ----------------------------------------

def graph_function(v):
    """:math:`f = 2\\,(xy + \\max(y, z))` of ``v = (x, y, z)``."""
    x, y, z = v
    return 2.0 * (x * y + max(y, z))


def _graph_slips(x, y, z):
    """(f, dx, dy, dz) with one slip each, and what went wrong and how to fix it."""
    y_wins = y >= z
    route = (2.0, 0.0) if y_wins else (0.0, 2.0)  # max's gradient to (y, z)
    f = graph_function((x, y, z))
    bigger, smaller = ("y", "z") if y_wins else ("z", "y")
    return [
        ((f / 2, y, x + route[0] / 2, route[1] / 2),
         "every gradient is half the right size: the last gate, f = 2 s, multiplies the "
         "gradient it passes back by its local gradient 2",
         "start at df = 1 and multiply by 2 at the last gate: ds = 2."),
        ((f, 2 * y, 2 * x, route[1]),
         "dy only has the multiply gate's part: y is used twice (in x*y and in max(y, z))",
         "a value used twice sums the gradients of its uses: dy = 2x + (2 if y won the max)."),
        ((f, 2 * y, route[0], route[1]),
         "dy only has the max gate's part: y is used twice (in x*y and in max(y, z))",
         "a value used twice sums the gradients of its uses: dy = 2x + (2 if y won the max)."),
        ((f, 2 * y, 2 * x + route[1], route[0]),
         f"max routed the gradient to {smaller}, the smaller input",
         f"max routes the upstream gradient to the input that won ({bigger}); the other gets 0."),
        ((f, 2 * y, 2 * x + 1.0, 1.0),
         "max split the gradient between y and z",
         "max routes all of the upstream gradient to the larger input, 0 to the other."),
        ((f, 2 * x, 2 * y + route[0], route[1]),
         "the multiply gate did not swap: dx must be y times the upstream gradient",
         "multiply swaps: d(xy)/dx = y and d(xy)/dy = x."),
        ((f, -2 * y, -(2 * x + route[0]), -route[1]), "the signs are flipped",
         "downstream = upstream x local, with no minus sign anywhere in this graph."),
    ]


def check_graph_backward(graph_backward):
    """Check ``graph_backward(x, y, z)`` -> ``(f, dx, dy, dz)`` for
    :math:`f = 2\\,(xy + \\max(y, z))`.

    Four points, the exercise's (3, -4, -5) among them and one where z wins the max; the
    expected gradients are two-sided differences of ``f``.
    """
    from ..gradcheck import numerical_gradient

    name = "graph_backward(x, y, z)"
    hint = ("forward: p = x*y, r = max(y, z), s = p + r, f = 2*s; backward from df = 1: "
            "ds = 2, dp = dr = ds, dx = y*dp, dy = x*dp + (dr if y >= z else 0), "
            "dz = (dr if z > y else 0).")
    for x, y, z in [(3.0, -4.0, -5.0), (-1.5, 2.0, 0.5), (0.5, -1.0, 2.5), (2.0, 0.25, -3.0)]:
        what = f"x = {x:g}, y = {y:g}, z = {z:g}"
        got, problem = call(name, graph_backward, x, y, z, hint=hint)
        if problem is not None:
            return in_case(problem, what)
        problem = wrong_count(name, got, 4, f"for {what} the four numbers (f, dx, dy, dz)",
                              "end with `return f, dx, dy, dz`.")
        if problem is not None:
            return problem
        values = as_array(got)
        if values is None or values.shape != (4,):
            return failed(name, f"for {what} f, dx, dy and dz must be single numbers, got "
                          f"{[type(v).__name__ for v in got]}.", hint)
        f_ok = graph_function((x, y, z))
        grads_ok = numerical_gradient(graph_function, np.array([x, y, z]))
        right = np.concatenate([[f_ok], grads_ok])
        if np.allclose(values, right, rtol=1e-6, atol=1e-6):
            continue
        if not np.isclose(values[0], f_ok, rtol=1e-9, atol=1e-9):
            half = np.isclose(values[0], f_ok / 2, rtol=1e-9, atol=1e-9)
            return failed(name, f"for {what} the forward value is wrong: f expected {f_ok:g}, "
                          f"got {values[0]:g}{' (the final times 2 is missing)' if half else ''}"
                          ".", "f = 2 * (x*y + max(y, z)): compute it gate by gate before the "
                          "backward pass.")
        for slip, message, fix in _graph_slips(x, y, z):
            if np.allclose(values[1:], slip[1:], rtol=1e-6, atol=1e-6):
                return failed(name, f"for {what}: {message} ((dx, dy, dz) expected "
                              f"{show(grads_ok)}, got {show(values[1:])}).", fix)
        wrong = [n for n, a, b in zip(["dx", "dy", "dz"], values[1:], grads_ok)
                 if not np.isclose(a, b, rtol=1e-6, atol=1e-6)]
        return failed(name, f"for {what}: {', '.join(wrong)} wrong; (dx, dy, dz) expected "
                      f"{show(grads_ok)}, got {show(values[1:])}.", hint)
    return passed(name, "f and its three gradients are right at 4 points, including one where "
                  "z wins the max: multiply swaps, max routes, add distributes, copy sums.")


# --- 2. A ReLU + softmax network --------------------------------------------------------------

def _softmax_cases():
    """(description, X, Y one-hot, [W1, b1, W2, b2]). In the first case W2 is square, so
    that dZ2 @ W2 (a missing transpose) runs and can be recognised; in the others it raises."""
    rng = np.random.default_rng(11)
    shapes = [("m=5 samples, n=2 features, 3 hidden units, 3 classes", 5, 2, 3, 3),
              ("one sample (m=1), n=2 features, 3 hidden units, 2 classes", 1, 2, 3, 2),
              ("m=6, n=3, 4 hidden units, 3 classes", 6, 3, 4, 3),
              ("m=8, n=4, 5 hidden units, 4 classes", 8, 4, 5, 4)]
    cases = []
    for what, m, n, h, k in shapes:
        X = rng.normal(size=(m, n))
        Y = np.eye(k)[rng.integers(0, k, size=m)]
        params = [rng.normal(size=(n, h)), rng.normal(size=h) * 0.5,
                  rng.normal(size=(h, k)), rng.normal(size=k) * 0.5]
        cases.append((what, X, Y, params))
    return cases


def _softmax_rows(Z, axis=1):
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def _softmax_variant(X, Y, W1, b1, W2, b2, mean=1, sign=1.0, mask="relu", axis=1,
                     extra=False, transpose=True):
    """The network's gradients with one typical slip switched on (for diagnosis)."""
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    A2 = _softmax_rows(A1 @ W2 + b2, axis)
    dZ2 = sign * (A2 - Y) / m ** mean
    if extra:
        dZ2 = dZ2 * A2 * (1 - A2)
    dA1 = dZ2 @ (W2.T if transpose else W2)
    dZ1 = {"relu": dA1 * (Z1 > 0), "none": dA1, "grad": np.maximum(dA1, 0.0)}[mask]
    return [X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)]


_SOFTMAX_SLIPS = [
    (dict(mean=0), "all four gradients are m times too large: the loss is the mean over the "
     "m samples", "divide once: dZ2 = (A2 - Y) / m; the 1/m then flows into every gradient."),
    (dict(mean=2), "all four gradients are m times too small: the 1/m was applied twice",
     "divide by m once, in dZ2 = (A2 - Y) / m, and nowhere else (dW = A.T @ dZ has no 1/m)."),
    (dict(sign=-1.0), "the sign is flipped: you used Y - A2",
     "for softmax + cross-entropy dZ2 = (A2 - Y) / m, prediction minus target."),
    (dict(mask="none"), "the ReLU's derivative is missing: dZ1 = dA1 as it is",
     "dZ1 = dA1 * (Z1 > 0): the gradient passes only where the unit was active."),
    (dict(mask="grad"), "you applied the ReLU to the gradient, np.maximum(dA1, 0)",
     "the mask comes from the forward pass: dZ1 = dA1 * (Z1 > 0)."),
    (dict(axis=0), "the softmax is normalised over the samples (axis=0)",
     "each row is one sample: exp(Z2) / exp(Z2).sum(axis=1, keepdims=True)."),
    (dict(extra=True), "dZ2 was multiplied by a softmax derivative A2 (1 - A2) once more",
     "for softmax + cross-entropy dZ2 = (A2 - Y) / m already includes the softmax's Jacobian."),
    (dict(transpose=False), "dA1 = dZ2 @ W2 misses a transpose (it only ran because W2 is "
     "square here)", "dA1 = dZ2 @ W2.T: (m, classes) @ (classes, hidden) -> (m, hidden)."),
]

_SOFTMAX_HINT = ("backward from the output: dZ2 = (A2 - Y) / m, dW2 = A1.T @ dZ2, "
                 "db2 = dZ2.sum(axis=0), dA1 = dZ2 @ W2.T, dZ1 = dA1 * (Z1 > 0), "
                 "dW1 = X.T @ dZ1, db1 = dZ1.sum(axis=0). A shape error in a product usually "
                 "means a missing transpose.")


def _shape_problem(name, what, grad_name, arr, exp, m):
    """A failed Feedback explaining why ``arr`` has not the shape ``exp`` of the parameter."""
    param = grad_name[1:]
    if exp.ndim == 1:
        units = exp.shape[0]
        if arr.ndim == 0 or arr.size == 1 and units > 1:
            why = "you summed over everything; sum over the samples only, axis=0"
        elif arr.shape == (m,) or arr.shape == (m, 1):
            why = "you summed over the units (axis=1); sum over the samples, axis=0"
        elif arr.shape == (m, units):
            why = "it is not summed: the bias is copied into every row, so add up the rows"
        else:
            why = f"one number per unit of {param}"
        fix = f"{grad_name} = dZ.sum(axis=0) has shape ({units},), like {param}."
    else:
        why = ("the transpose" if arr.shape == exp.shape[::-1]
               else f"the shape of {param}")
        fix = "a gradient has the shape of its parameter: dW1 = X.T @ dZ1, dW2 = A1.T @ dZ2."
    return failed(name, f"for {what} expected {grad_name} of shape {exp.shape} (like {param}), "
                  f"got {arr.shape}: {why}.", fix)


def check_softmax_network_backward(softmax_network_backward):
    """Check ``softmax_network_backward(X, Y, W1, b1, W2, b2)`` -> ``(dW1, db1, dW2, db2)``.

    The network is :math:`A^{[1]} = \\mathrm{ReLU}(X W^{[1]} + b^{[1]})`,
    :math:`\\hat{Y} = \\mathrm{softmax}(A^{[1]} W^{[2]} + b^{[2]})` (one row per sample) with
    the mean cross-entropy and one-hot ``Y``. Each gradient must have the shape of its
    parameter (a bias gradient may also be a row ``(1, units)``). Four cases, compared with
    nnlib's back-propagated gradients.
    """
    from ..model import MLP

    name = "softmax_network_backward(X, Y, W1, b1, W2, b2)"
    names = ["dW1", "db1", "dW2", "db2"]
    for what, X, Y, params in _softmax_cases():
        model = MLP([X.shape[1], params[0].shape[1], Y.shape[1]], activation="relu",
                    output="softmax")
        model.set_params(params)
        model.loss_and_grads(X, Y, "cross_entropy")
        expected = [g.copy() for g in model.grads]
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            got, problem = call(name, softmax_network_backward, X.copy(), Y.copy(),
                                *[p.copy() for p in params], hint=_SOFTMAX_HINT)
        if problem is not None:
            return in_case(problem, what)
        problem = wrong_count(name, got, 4, f"for {what} the four gradients "
                              "(dW1, db1, dW2, db2)", "end with `return dW1, db1, dW2, db2`.")
        if problem is not None:
            return problem
        arrays = []
        for value, exp, grad_name in zip(got, expected, names):
            arr = as_array(value)
            if arr is None:
                return failed(name, f"for {what} {grad_name} is {type(value).__name__}, not "
                              "an array of numbers.", _SOFTMAX_HINT)
            if arr.shape != exp.shape:
                if exp.ndim == 1 and arr.shape == (1, exp.size):
                    arr = arr.reshape(exp.shape)  # a bias gradient as a row is fine
                else:
                    return _shape_problem(name, what, grad_name, arr, exp, X.shape[0])
            arrays.append(arr)
        right = [close(a, e, rtol=1e-6, atol=1e-10) for a, e in zip(arrays, expected)]
        if all(right):
            continue
        for flags, message, fix in _SOFTMAX_SLIPS:
            try:
                variant = _softmax_variant(X, Y, *params, **flags)
            except ValueError:  # a missing transpose raises unless W2 is square
                continue
            if all(close(a, v, rtol=1e-6, atol=1e-10) for a, v in zip(arrays, variant)):
                return failed(name, f"for {what}: {message}.", fix)
        wrong = [n for n, ok in zip(names, right) if not ok]
        first = names.index(wrong[0])
        detail = f"{wrong[0]} expected {show(expected[first])}, got {show(arrays[first])}"
        if right[2] and right[3]:
            where = (" The output layer (dW2, db2) is right, so look at dA1 = dZ2 @ W2.T and "
                     "the ReLU's mask.")
        else:
            where = " The output layer is already wrong: start with A2 and dZ2 = (A2 - Y) / m."
        return failed(name, f"for {what}: {', '.join(wrong)} wrong; {detail}.{where}",
                      _SOFTMAX_HINT)
    return passed(name, "all four gradients match nnlib's backward pass (ReLU hidden layer, "
                  "softmax output, mean cross-entropy) in 4 cases, one sample included.")


# --- 3. A numerical gradient, written by the student ------------------------------------------

def _numerical_variants(f, x, eps):
    """Wrong numerical gradients of ``f`` at ``x`` (what went wrong, how to fix it)."""
    flat = x.reshape(-1)
    fx = f(x)

    def each(step):
        out = np.zeros_like(flat)
        for i in range(flat.size):
            e = np.zeros_like(flat)
            e[i] = eps
            out[i] = step((flat + e).reshape(x.shape), (flat - e).reshape(x.shape))
        return out.reshape(x.shape)

    ones = np.full_like(x, eps)
    together = (f(x + ones) - f(x - ones)) / (2 * eps)
    return [
        (each(lambda p, q: (f(p) - fx) / eps), "that is the one-sided difference "
         "(f(x + eps) - f(x)) / eps, whose error is proportional to eps",
         "use both neighbours: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps); its error "
         "shrinks like eps**2."),
        (each(lambda p, q: (fx - f(q)) / eps), "that is the one-sided difference "
         "(f(x) - f(x - eps)) / eps, whose error is proportional to eps",
         "use both neighbours: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)."),
        (each(lambda p, q: (f(p) - f(q)) / eps), "it is twice too large: the two points "
         "x + eps and x - eps are 2 eps apart", "divide by 2 * eps."),
        (each(lambda p, q: (f(p) - fx) / (2 * eps)), "the second point is x itself, not "
         "x - eps (after x[i] += eps, subtracting eps once only goes back to x)",
         "evaluate f at x[i] + eps and at x[i] - eps: subtract 2 * eps after the first call."),
        (np.full_like(x, together), "every entry is the same number: you nudged all the "
         "entries at once", "nudge one entry at a time, in a loop over all entries of x."),
    ]


def _numerical_cases():
    """(description, f, x, eps, exact gradient or None)."""
    rng = np.random.default_rng(5)
    x1 = np.array([2.0, -1.0, 0.5])
    C = rng.normal(size=(2, 3))
    x2 = rng.uniform(-2, 2, size=(2, 3))
    x3 = rng.normal(size=(3, 2))
    A = rng.normal(size=(3, 3))
    return [
        # For a cubic the two-sided difference is exactly 3 x^2 + eps^2.
        ("f(x) = sum(x**3) at x = [2, -1, 0.5] with eps = 1e-2",
         lambda v: float(np.sum(v ** 3)), x1, 1e-2, 3 * x1 ** 2 + 1e-4),
        ("f(x) = sum(C * sin(x)) for a (2, 3) array x with eps = 1e-5",
         lambda v: float(np.sum(C * np.sin(v))), x2, 1e-5, C * np.cos(x2)),
        ("f(x) = sum(tanh(A @ x)) for a (3, 2) array x with eps = 1e-6",
         lambda v: float(np.sum(np.tanh(A @ v))), x3, 1e-6,
         A.T @ (1 - np.tanh(A @ x3) ** 2)),
    ]


def check_numerical_grad(numerical_grad):
    """Check ``numerical_grad(f, x, eps)`` -> the two-sided difference gradient of ``f`` at
    the float array ``x`` (any shape), an array of the shape of ``x``; ``x`` must hold its
    original values afterwards.

    Three functions: a cubic, where the two-sided difference is exactly
    :math:`3x^2 + \\varepsilon^2`, so that one-sided differences, a wrong divisor and an
    ignored ``eps`` all show; and two functions of 2-D arrays.
    """
    name = "numerical_grad(f, x, eps)"
    hint = ("grad = np.zeros_like(x); for each index i of x (np.ndindex(x.shape)): keep "
            "old = x[i], set x[i] = old + eps and evaluate f(x), set x[i] = old - eps and "
            "evaluate f(x), restore x[i] = old, grad[i] = (f_plus - f_minus) / (2 * eps).")
    for what, f, x, eps, exact in _numerical_cases():
        x_in = x.copy()
        got, problem = call(name, numerical_grad, f, x_in, eps, hint=hint)
        if problem is not None:
            return in_case(problem, what)
        grad, problem = _returned(name, got, what, hint)
        if problem is not None:
            return problem
        if x_in.shape != x.shape or not np.allclose(x_in, x, rtol=1e-12, atol=1e-12):
            return failed(name, f"for {what}: x was changed by your function (first entries "
                          f"{show(x)} became {show(x_in)}).", "restore each entry after "
                          "nudging it: x[i] = old.")
        if grad.shape != x.shape:
            why = " (flattened)" if grad.size == x.size else ""
            return failed(name, f"for {what}: expected a gradient of shape {x.shape} like x, "
                          f"got {grad.shape}{why}.", "start from grad = np.zeros_like(x) and "
                          "fill in one entry per index of x.")
        # The two-sided error here is below 1e-8 (eps**2 times the third derivative, plus
        # rounding of about 1e-16 / eps); every slip errs by more than 1e-5.
        if np.allclose(grad, exact, rtol=1e-7, atol=1e-8):
            continue
        with np.errstate(all="ignore"):
            for wrong, message, fix in _numerical_variants(f, x, eps):
                if np.allclose(grad, wrong, rtol=1e-7, atol=1e-8):
                    return failed(name, f"for {what}: {message} (expected {show(exact)}, "
                                  f"got {show(grad)}).", fix)
        if x.ndim > 1 and np.allclose(grad, grad[:, :1]):
            return failed(name, f"for {what}: every row of your gradient holds one number "
                          f"repeated (got {show(grad)}, expected {show(exact)}): for a 2-D x, "
                          "x[i] is a whole row, so you nudged a row at a time.",
                          "loop over every entry: for i in np.ndindex(x.shape), then x[i] is "
                          "one number.")
        if eps == 1e-2 and np.allclose(grad, exact - eps ** 2, rtol=0, atol=1e-5):
            # the cubic's exact derivative 3 x**2: a step much smaller than the eps given
            return failed(name, f"for {what}: you returned the derivative 3 x**2 itself, not "
                          f"the two-sided difference with eps = 1e-2, which is 3 x**2 + 1e-4 "
                          f"(expected {show(exact, digits=None)}, got {show(grad, digits=None)}"
                          "): your function ignores its eps argument.",
                          "use the eps you are given, not a fixed step.")
        return failed(name, f"for {what}: expected {show(exact)}, got {show(grad)}.", hint)
    return passed(name, "two-sided differences with the given eps, of the shape of x, with x "
                  "restored, on 3 functions (1-D and 2-D arrays).")


def _returned(name, got, what, hint):
    if got is None:
        return None, failed(name, f"for {what} your function returned None.",
                            "end with `return grad`.")
    arr = as_array(got)
    if arr is None:
        return None, failed(name, f"for {what} your function returned {type(got).__name__}, "
                            "not an array of numbers.", hint)
    return arr, None

"""Checks of chapter 3, activation functions.

- :func:`check_activation_derivatives`: ``sigmoid_derivative(z)`` and ``tanh_derivative(z)``
  return :math:`\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))` and :math:`\\tanh'(z) = 1 - \\tanh^2 z`.
- :func:`check_softmax`: ``softmax(Z)`` normalizes every row of a 2-D array, stably.
- :func:`check_swish`: ``swish(z, beta)`` = :math:`z\\,\\sigma(\\beta z)` and its derivative
  :math:`\\sigma(\\beta z) + \\beta z\\,\\sigma(\\beta z)(1 - \\sigma(\\beta z))` (product rule and
  chain rule).

Each check compares the student's values with nnlib's activations (and, for derivatives, with
a two-sided difference quotient), and on a wrong answer names the input where the error is
largest, the expected and the received value, and gives a hint.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import Feedback, as_array, call, failed, in_case, passed, returned_array

__all__ = ["check_activation_derivatives", "check_softmax", "check_swish"]


def _act(name, **kwargs):
    from ..activations import get

    return get(name, **kwargs)


def _numeric_derivative(f, z, eps=1e-6):
    """Two-sided difference quotient of an elementwise ``f``, entry by entry."""
    return (f(z + eps) - f(z - eps)) / (2.0 * eps)


def _quiet_call(exercise, fn, *args, hint=""):
    """:func:`call` with numpy's floating-point warnings silenced (a naive formula may
    overflow on purpose-built cases; the check judges the values, not the warnings)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return call(exercise, fn, *args, hint=hint)


def _result(exercise, got, expected_shape, what, hint):
    """``got`` as a float array of ``expected_shape``, or ``(None, feedback)`` saying why not."""
    arr, problem = returned_array(exercise, got, what, hint)
    if problem is not None:
        return None, problem
    if expected_shape == () and arr.size == 1:
        arr = arr.reshape(())  # a number for a 0-d input: (1,) or a float is fine
    if arr.shape != expected_shape:
        return None, failed(exercise, f"for {what} expected an array of shape {expected_shape} "
                            f"(the shape of the input), got shape {arr.shape}.",
                            "work elementwise with numpy functions (np.exp, np.where, ...) so "
                            "that the result has the shape of z.")
    return arr, None


def _worst(got, expected):
    """Flat index of the entry where ``got`` is furthest from ``expected`` (NaN first)."""
    err = np.abs(got - expected)
    err = np.where(np.isfinite(got), err, np.inf)
    return int(np.argmax(err.reshape(-1)))


def _close(got, expected, rtol=1e-7, atol=1e-12):
    return bool(np.all(np.isfinite(got)) and np.allclose(got, expected, rtol=rtol, atol=atol))


# --- 1. Derivatives from the function values --------------------------------------------------

def _derivative_cases():
    rng = np.random.default_rng(3)
    return [
        ("25 points from -6 to 6", np.linspace(-6.0, 6.0, 25)),
        ("z = 0 (a 0-d array)", np.array(0.0)),
        ("a (3, 4) array of random z", rng.normal(scale=2.0, size=(3, 4))),
        ("large |z| (-800, -40, 40, 800)", np.array([-800.0, -40.0, 40.0, 800.0])),
    ]


def _derivative_diagnosis(name, fn_values, got, expected, z):
    """A specific explanation of a wrong derivative, or None."""
    f = fn_values(z)
    known = {
        "sigmoid": [
            (f, "you returned sigma(z) itself, not its slope",
             "the slope is sigma(z) * (1 - sigma(z)): multiply by (1 - sigma(z))."),
            (1.0 - f ** 2, "you used the tanh rule 1 - sigma(z)**2",
             "for the sigmoid the rule is sigma(z) * (1 - sigma(z)); 1 - g**2 belongs to tanh."),
            (f * (1.0 + f), "you computed sigma(z) * (1 + sigma(z))",
             "the factor is (1 - sigma(z)): the slope vanishes where sigma is near 1."),
            (1.0 - f, "you returned 1 - sigma(z), only one of the two factors",
             "multiply both factors: sigma(z) * (1 - sigma(z))."),
            (z * (1.0 - z), "you applied the rule to z instead of to sigma(z)",
             "first compute s = sigma(z) = 1 / (1 + exp(-z)), then return s * (1 - s)."),
        ],
        "tanh": [
            (f, "you returned tanh(z) itself, not its slope",
             "the slope is 1 - tanh(z)**2."),
            (1.0 - f, "you returned 1 - tanh(z); the tanh is squared",
             "use 1 - np.tanh(z)**2."),
            (f ** 2 - 1.0, "you returned tanh(z)**2 - 1, the negative of the slope",
             "tanh is increasing, so its slope is positive: 1 - tanh(z)**2."),
            (1.0 - z ** 2, "you applied the rule to z instead of to tanh(z)",
             "compute t = np.tanh(z) first, then return 1 - t**2."),
            (f * (1.0 - f), "you used the sigmoid rule g(1 - g) for tanh",
             "for tanh the rule is 1 - tanh(z)**2."),
        ],
    }[name]
    with np.errstate(all="ignore"):
        for wrong, message, hint in known:
            if np.allclose(got, wrong, rtol=1e-7, atol=1e-12, equal_nan=False):
                return message, hint
    return None


def _check_one_derivative(exercise, name, fn, g):
    hint = {"sigmoid": "compute s = sigma(z) = 1 / (1 + np.exp(-z)) and return s * (1 - s).",
            "tanh": "compute t = np.tanh(z) and return 1 - t**2."}[name]
    for what, z in _derivative_cases():
        got, problem = _quiet_call(exercise, fn, z.copy(), hint=hint)
        if problem is not None:
            return in_case(problem, f"{name}_derivative at {what}")
        arr, problem = _result(exercise, got, z.shape, f"{name}_derivative at {what}", hint)
        if problem is not None:
            return problem
        expected = g.derivative(z)
        if _close(arr, expected):
            continue
        i = _worst(arr, expected)
        zi, gi, ei = z.reshape(-1)[i], arr.reshape(-1)[i], expected.reshape(-1)[i]
        numeric = _numeric_derivative(g.forward, np.array([zi]))[0]
        setting = (f"{name}_derivative at {what}: the largest error is at z = {zi:.4g}, where "
                   f"the slope is {ei:.6g} (nnlib; a two-sided difference quotient gives "
                   f"{numeric:.6g}), but your function returned {gi:.6g}.")
        if not np.isfinite(gi):
            return failed(exercise, setting,
                          "a formula such as exp(-z) / (1 + exp(-z))**2 becomes inf / inf = nan "
                          "for large |z|; compute the function value first (it stays finite) and "
                          "write the derivative in terms of it.")
        diagnosis = _derivative_diagnosis(name, lambda v: g.forward(v), arr, expected, z)
        if diagnosis is not None:
            return failed(exercise, f"{setting} It looks like {diagnosis[0]}.", diagnosis[1])
        return failed(exercise, setting, hint)
    return None


def check_activation_derivatives(sigmoid_derivative, tanh_derivative) -> Feedback:
    """Check ``sigmoid_derivative(z)`` and ``tanh_derivative(z)`` on arrays of any shape.

    The values are compared with nnlib's ``derivative`` (and, in the message, with a two-sided
    difference quotient) at ``z = 0``, on a grid, on a 2-D array and at large ``|z|``.
    """
    exercise = "sigmoid_derivative(z) and tanh_derivative(z)"
    for name, fn in (("sigmoid", sigmoid_derivative), ("tanh", tanh_derivative)):
        problem = _check_one_derivative(exercise, name, fn, _act(name))
        if problem is not None:
            return problem
    return passed(exercise, f"both derivatives match nnlib on all {len(_derivative_cases())} "
                  "cases (a grid, z = 0, a 2-D array, |z| up to 800): sigma'(0) = 1/4 and "
                  "tanh'(0) = 1 are the largest slopes, and both vanish for large |z|.")


# --- 2. A numerically stable softmax ----------------------------------------------------------

def _softmax_cases():
    rng = np.random.default_rng(4)
    return [
        ("a (4, 3) array of random scores", rng.normal(scale=2.0, size=(4, 3))),
        ("a (3, 3) array (square: rows and columns are easy to mix up)",
         np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0], [-1.0, 4.0, 0.5]])),
        ("a row of equal scores (1, 5)", np.full((1, 5), 2.5)),
        ("one class per row (3, 1)", np.array([[0.3], [-2.0], [7.0]])),
        ("scores near +1000 (2, 3)", np.array([[1000.0, 999.0, 998.0], [1000.0, 1000.0, 0.0]])),
        ("rows far apart: one near +1000, one near -1000 (2, 3)",
         np.array([[1000.0, 999.0, 998.0], [-1000.0, -1000.5, -999.0]])),
    ]


def _softmax_diagnosis(Z, arr, expected):
    """A specific explanation of a wrong softmax, or None."""
    with np.errstate(all="ignore"):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        by_column = np.exp(Z - Z.max(axis=0, keepdims=True))
        by_column = by_column / by_column.sum(axis=0, keepdims=True)
        others = E / (E.sum(axis=1, keepdims=True) - E)
        no_keepdims = np.exp(Z - Z.max(axis=1)) if Z.shape[0] == Z.shape[1] else None
        if no_keepdims is not None:
            no_keepdims = no_keepdims / no_keepdims.sum(axis=1)
        known = [
            (by_column, "you normalized each column, not each row",
             "rows are samples: take the max and the sum over axis=1 with keepdims=True."),
            (others, "your denominator leaves out the i-th term (a sum over j != i)",
             "the denominator sums exp(z_j) over ALL j, including j = i (some lecture notes "
             "print j != i, which is wrong): then each row sums to 1."),
            (np.exp(Z), "you returned exp(Z) without dividing by the row sums",
             "divide by the sum of each row: E / E.sum(axis=1, keepdims=True)."),
            (no_keepdims, "the row maxima or sums were broadcast along the wrong axis "
             "(a missing keepdims=True)",
             "Z.max(axis=1) has shape (m,); with keepdims=True it has shape (m, 1) and "
             "subtracts each row's own maximum."),
        ]
        for wrong, message, hint in known:
            if wrong is not None and wrong.shape == arr.shape and np.allclose(
                    arr, wrong, rtol=1e-7, atol=1e-12):
                return message, hint
    return None


def check_softmax(softmax) -> Feedback:
    """Check ``softmax(Z)``: each row of a 2-D ``Z`` mapped to probabilities summing to 1.

    Compared with nnlib's softmax on random, square, constant and one-column inputs and on
    scores of size 1000, where an unshifted formula overflows; also checks that adding a
    constant to every score changes nothing and that no overflow warning is raised.
    """
    exercise = "softmax(Z)"
    hint = ("subtract each row's maximum (Z.max(axis=1, keepdims=True)), take np.exp, and "
            "divide by the row sums (E.sum(axis=1, keepdims=True)).")
    sm = _act("softmax")
    for what, Z in _softmax_cases():
        with np.errstate(all="warn", under="ignore"), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            got, problem = call(exercise, softmax, Z.copy(), hint=hint)
        if problem is not None:
            if "broadcast" in problem.message:  # Z - Z.max(axis=1) without keepdims
                problem = failed(exercise, problem.message,
                                 "Z.max(axis=1) has shape (m,), which numpy lines up with the "
                                 "columns; Z.max(axis=1, keepdims=True) has shape (m, 1) and "
                                 "subtracts each row's own maximum (the same for the sums).")
            return in_case(problem, what)
        arr, problem = _result(exercise, got, Z.shape, what, hint)
        if problem is not None:
            return problem
        expected = sm.forward(Z)
        if not _close(arr, expected, rtol=1e-9, atol=1e-12):
            i = _worst(arr, expected)
            r = i // Z.shape[1]
            row = ", ".join(f"{v:g}" for v in Z[r])
            setting = (f"for {what}, row {r} = ({row}): expected "
                       f"({', '.join(f'{v:.4g}' for v in expected[r])}), got "
                       f"({', '.join(f'{v:.4g}' for v in arr[r])}).")
            if not np.all(np.isfinite(arr)):
                shifted = "scores near +1000" in what
                return failed(exercise, f"{setting} Your result contains nan or inf.",
                              "np.exp(1000) overflows to inf and inf / inf is nan: subtract "
                              "each row's maximum first (softmax(z - c) = softmax(z))."
                              if shifted else
                              "subtract each row's OWN maximum (axis=1, keepdims=True), not the "
                              "maximum of the whole array: a row far below the global maximum "
                              "underflows to 0 / 0 = nan.")
            diagnosis = _softmax_diagnosis(Z, arr, expected)
            if diagnosis is not None:
                return failed(exercise, f"{setting} It looks like {diagnosis[0]}.", diagnosis[1])
            return failed(exercise, setting, hint)
        warned = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
        if warned:
            return failed(exercise, f"for {what} the values are right, but numpy warned: "
                          f"{warned[0]}.", "shift every row by its maximum before np.exp, so "
                          "that the largest exponent is exp(0) = 1 and nothing overflows.")
    # Shift invariance: the student's own function gives the same result for Z + c.
    what, Z = _softmax_cases()[0]
    for c in (-1000.0, 1000.0):
        base, problem = _quiet_call(exercise, softmax, Z.copy(), hint=hint)
        shifted, problem2 = _quiet_call(exercise, softmax, Z + c, hint=hint)
        if problem is not None or problem2 is not None:
            return in_case(problem or problem2, f"the scores shifted by {c:g}")
        base, shifted = as_array(base), as_array(shifted)
        if shifted is None or shifted.shape != base.shape or not _close(shifted, base, 1e-9, 1e-12):
            return failed(exercise, f"softmax(Z + {c:g}) differs from softmax(Z) for {what}: "
                          "adding the same constant to every score must not change the "
                          "probabilities.", hint)
    return passed(exercise, f"all {len(_softmax_cases())} cases right, rows sum to 1, adding "
                  "±1000 to every score changes nothing, and no overflow warning at |z| = 1000.")


# --- 3. Leaky ReLU and its derivative ---------------------------------------------------------

def _call_case(exercise, fn, name, z, value, param, default, what, hint):
    """Call ``fn(z)`` (``value`` None: the parameter's default) or ``fn(z, value)`` and check
    the result's shape; return ``(array, None)`` or ``(None, Feedback)``."""
    args = () if value is None else (value,)
    got, problem = _quiet_call(exercise, fn, z.copy(), *args, hint=hint)
    if problem is not None:
        if value is None and "TypeError" in problem.message:
            return None, failed(exercise, f"{name}(z) without {param} raised: "
                                f"{problem.message}",
                                f"give {param} a default value: def {name}(z, {param}={default}).")
        return None, in_case(problem, f"{name} {what}")
    return _result(exercise, got, z.shape, f"{name} {what}", hint)


def _swish_cases():
    rng = np.random.default_rng(6)
    return [
        ("25 points from -6 to 6, the default beta (called without it)",
         np.linspace(-6.0, 6.0, 25), None),
        ("beta = 2 on a (3, 4) array", rng.normal(scale=2.0, size=(3, 4)), 2.0),
        ("beta = 0.5", np.array([-4.0, -1.5, -0.5, 0.25, 1.0, 3.0]), 0.5),
        ("large |z| (-800, -40, 40, 800), beta = 1", np.array([-800.0, -40.0, 40.0, 800.0]), 1.0),
    ]


def _swish_diagnosis(z, arr, beta, derivative):
    """A specific explanation of a wrong swish (or derivative), or None."""
    sig = _act("sigmoid").forward
    s, s1 = sig(beta * z), sig(z)
    slope = s * (1.0 - s)  # sigma'(beta z)
    if derivative:
        known = [
            (s, "you returned sigma(beta z) alone: the product rule has two terms",
             "g = z * sigma(beta z) is a product: g' = sigma(beta z) + z * d/dz sigma(beta z)."),
            (beta * z * slope, "you kept only the second term of the product rule "
             "(the derivative of sigma(beta z), times z) and dropped sigma(beta z)",
             "add the first term: the derivative of z, which is 1, times sigma(beta z)."),
            (s + z * slope, "you forgot the chain factor beta: d/dz sigma(beta z) = "
             "beta * sigma'(beta z)",
             "the inner function beta * z has derivative beta: multiply the second term by it."),
            (s1 + z * s1 * (1.0 - s1), "you ignored beta: this is the slope for beta = 1 only",
             "use beta * z inside the sigmoid and the chain factor beta in the second term."),
            (s + beta * slope, "you dropped the factor z of the second term",
             "by the product rule the second term is z * beta * sigma(beta z) * (1 - sigma(beta z))."),
            (s + beta * z * s, "the sigmoid's slope lost its factor (1 - sigma)",
             "sigma'(u) = sigma(u) * (1 - sigma(u))."),
            (slope, "you returned the sigmoid's slope sigma'(beta z), not the swish's",
             "differentiate z * sigma(beta z) with the product rule."),
        ]
    else:
        known = [
            (z * s1, "you ignored beta: this is z * sigma(z)",
             "the sigmoid's argument is beta * z: z * sigma(beta * z)."),
            (s, "you returned sigma(beta z) without the factor z",
             "multiply by z: z * sigma(beta * z)."),
            (beta * z * s, "beta multiplies the whole function instead of sitting inside the "
             "sigmoid", "z * sigma(beta * z): beta scales the sigmoid's input."),
            (z * sig(-beta * z), "the sigmoid's argument has the wrong sign",
             "sigma(u) = 1 / (1 + exp(-u)) with u = beta * z; z * sigma(beta z) is about z for "
             "large positive z and about 0 for large negative z."),
        ]
    with np.errstate(all="ignore"):
        for wrong, message, hint in known:
            if wrong.shape == arr.shape and np.allclose(arr, wrong, rtol=1e-7, atol=1e-12):
                return message, hint
    return None


def check_swish(swish, swish_derivative) -> Feedback:
    """Check ``swish(z, beta=1.0)`` = :math:`z\\,\\sigma(\\beta z)` and ``swish_derivative(z,
    beta=1.0)`` on arrays of any shape.

    Both are compared with nnlib's ``SiLU(beta)`` (the derivative also with a two-sided
    difference quotient, in the message) for the default beta, beta = 2 and 0.5 and at
    ``|z| = 800``. A wrong derivative is matched against the usual slips: the product rule's
    first or second term missing, the chain factor beta missing, beta ignored.
    """
    exercise = "swish(z, beta) and swish_derivative(z, beta)"
    for derivative, fn in ((False, swish), (True, swish_derivative)):
        name = "swish_derivative" if derivative else "swish"
        hint = ("with s = sigma(beta z): s + z * beta * s * (1 - s) (product rule, then the "
                "chain rule for sigma(beta z))." if derivative else
                "z * sigma(beta * z), with sigma = nn.activations.get('sigmoid').forward.")
        for what, z, beta in _swish_cases():
            arr, problem = _call_case(exercise, fn, name, z, beta, "beta", 1.0, f"at {what}", hint)
            if problem is not None:
                return problem
            b = 1.0 if beta is None else beta
            act = _act("silu", beta=b)
            expected = act.derivative(z) if derivative else act.forward(z)
            if _close(arr, expected):
                continue
            i = _worst(arr, expected)
            zi, gi, ei = z.reshape(-1)[i], arr.reshape(-1)[i], expected.reshape(-1)[i]
            setting = f"{name} at {what}: at z = {zi:.4g} expected {ei:.6g}"
            if derivative:
                numeric = _numeric_derivative(act.forward, np.array([zi]))[0]
                setting += f" (a two-sided difference quotient gives {numeric:.6g})"
            setting += f", got {gi:.6g}."
            if not np.isfinite(gi):
                return failed(exercise, setting,
                              "a formula such as exp(-z) / (1 + exp(-z))**2 becomes inf / inf = "
                              "nan for large |z|; compute s = sigma(beta z) first with nnlib's "
                              "stable sigmoid and write everything in terms of s.")
            diagnosis = _swish_diagnosis(z, arr, b, derivative)
            if diagnosis is not None:
                return failed(exercise, f"{setting} It looks like {diagnosis[0]}.", diagnosis[1])
            return failed(exercise, setting, hint)
    return passed(exercise, f"both functions match nnlib on all {len(_swish_cases())} cases "
                  "(beta = 1, 2 and 0.5, |z| up to 800): g'(z) = sigma(beta z) + beta z "
                  "sigma(beta z)(1 - sigma(beta z)), one term from each factor of the product.")

"""Checks of chapter 6, optimizers.

- :func:`check_momentum_step`: ``momentum_step(theta, v, g, lr, gamma)`` returns
  ``(theta, v)`` after one step of momentum in the lecture notes' form,
  :math:`v \\leftarrow \\gamma v + \\eta g,\\ \\theta \\leftarrow \\theta - v`.
- :func:`check_adam_step`: ``adam_step(theta, m, v, g, t, lr, beta1, beta2, eps)`` returns
  ``(theta, m, v)`` after step ``t`` (counted from 1) of Adam with bias correction.
- :func:`check_nesterov_step`: ``nesterov_step(theta, v, grad, lr, gamma)`` returns
  ``(theta, v)`` after one step of the look-ahead Nesterov method,
  :math:`v \\leftarrow \\gamma v + \\eta \\nabla L(\\theta - \\gamma v),\\ \\theta \\leftarrow \\theta - v`.

Each compares with the formula on several cases (a first step from zero state, a later step,
a zero gradient, several shapes) and recognises the usual slips: a flipped sign, the old
velocity used for the step, no bias correction, epsilon inside the root, the gradient taken
at the current point instead of the look-ahead point. The test suite checks the expected
answers against :mod:`nnlib.optimizers`.
"""

from __future__ import annotations

import numpy as np

from . import as_array, call, close, failed, in_case, passed, show, wrong_count

__all__ = ["check_momentum_step", "check_adam_step", "check_nesterov_step"]


def _show(arr):
    return show(arr, limit=3, digits=None)


def _close(a, b):
    return close(a, b, rtol=1e-9, atol=1e-12)


def _judge(name, fn, cases, names, slips, hint, success):
    """Run ``fn`` on every case and compare with the expected outputs.

    ``cases`` is a list of ``(what, args, expected)``; ``slips`` a list of
    ``(variant, message, fix)`` where ``variant(*args)`` returns the outputs of a typical
    wrong answer (or None when it does not apply).
    """
    count = len(names)
    for what, args, expected in cases:
        copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        with np.errstate(all="ignore"):
            got, problem = call(name, fn, *copies, hint=hint)
        if problem is not None:
            return in_case(problem, what)
        listed = ", ".join(names)
        shape_problem = wrong_count(name, got, count, f"for {what} the {count} values "
                                    f"({listed})", f"end with `return {listed}`.")
        if shape_problem is not None:
            return shape_problem
        arrays = []
        for value, exp, out_name in zip(got, expected, names):
            arr = as_array(value)
            if arr is None:
                return failed(name, f"for {what} {out_name} is {type(value).__name__}, not an "
                              "array of numbers.", hint)
            if arr.shape != exp.shape:
                return failed(name, f"for {what} expected {out_name} of shape {exp.shape} (the "
                              f"shape of the input {out_name}), got shape {arr.shape}.",
                              "every operation of the step is elementwise: no sums, no "
                              "matrix products.")
            arrays.append(arr)
        right = [_close(a, e) for a, e in zip(arrays, expected)]
        if all(right):
            continue
        order = [_close(a, e) for a, e in zip(arrays, expected[::-1])]
        if count == 2 and all(order):
            return failed(name, f"for {what}: the values come back in the wrong order.",
                          f"return {listed} in this order.")
        wrong = [n for n, ok in zip(names, right) if not ok]
        first = names.index(wrong[0])
        for variant, message, fix in slips:
            with np.errstate(all="ignore"):
                slip = variant(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
            if slip is not None and all(_close(a, w) for a, w in zip(arrays, slip)):
                return failed(name, f"for {what}: {message} ({wrong[0]} expected "
                              f"{_show(expected[first])}, got {_show(arrays[first])}).", fix)
        return failed(name, f"for {what}: {', '.join(wrong)} wrong; {wrong[0]} expected "
                      f"{_show(expected[first])}, got {_show(arrays[first])}.", hint)
    return passed(name, success)


# --- 1. Momentum in the notes' form -------------------------------------------------------------

def _momentum(theta, v, g, lr, gamma):
    v = gamma * v + lr * g
    return theta - v, v


_MOMENTUM_SLIPS = [
    (lambda th, v, g, lr, ga: (th + (ga * v + lr * g), ga * v + lr * g),
     "the step goes uphill: theta + v instead of theta - v",
     "v points along the gradient, so subtract it: theta = theta - v."),
    (lambda th, v, g, lr, ga: (th - (ga * v + g), ga * v + g),
     "the learning rate is missing from the velocity (v = gamma v + g is nnlib's form, "
     "where lr multiplies v in the step instead)", "in the notes' form v = gamma * v + lr * g."),
    (lambda th, v, g, lr, ga: (th - lr * (ga * v + g), ga * v + g),
     "you wrote nnlib's form (v = gamma v + g, theta -= lr v); this exercise uses the notes' "
     "form, whose v is lr times nnlib's", "v = gamma * v + lr * g; theta = theta - v."),
    (lambda th, v, g, lr, ga: (th - v, ga * v + lr * g),
     "theta moved by the old velocity; it must move by the new one",
     "first update v, then theta = theta - v with the updated v."),
    (lambda th, v, g, lr, ga: (th - ga * (v + lr * g), ga * (v + lr * g)),
     "gamma also multiplies the gradient term: v = gamma (v + lr g)",
     "only the old velocity decays: v = gamma * v + lr * g."),
    (lambda th, v, g, lr, ga: (th - ((1 - ga) * v + lr * g), (1 - ga) * v + lr * g),
     "the old velocity was multiplied by 1 - gamma instead of gamma",
     "gamma is the fraction of the old velocity that is kept: v = gamma * v + lr * g."),
]


def _momentum_cases():
    rng = np.random.default_rng(60)
    raw = [
        ("the first step (v = 0, gamma = 0.9, lr = 0.1)", np.array([1.0, -2.0]),
         np.zeros(2), np.array([0.5, 4.0]), 0.1, 0.9),
        ("a step with velocity v = [0.3, -0.2] and a gradient against it (gamma = 0.9)",
         np.array([0.2, 0.1]), np.array([0.3, -0.2]), np.array([-1.0, 2.0]), 0.05, 0.9),
        ("gamma = 0 (plain gradient descent)", np.array([3.0]), np.array([0.7]),
         np.array([2.0]), 0.25, 0.0),
        ("a zero gradient (the velocity coasts, gamma = 0.5)", np.array([1.0, 1.0]),
         np.array([0.4, -0.4]), np.zeros(2), 0.1, 0.5),
        ("arrays of shape (3, 2), gamma = 0.8, lr = 0.01", rng.normal(size=(3, 2)),
         rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), 0.01, 0.8),
    ]
    return [(what, args, _momentum(*args)) for what, *args in raw]


def check_momentum_step(momentum_step):
    """Check ``momentum_step(theta, v, g, lr, gamma)`` -> ``(theta, v)``: one step of momentum
    in the lecture notes' form :math:`v \\leftarrow \\gamma v + \\eta g`,
    :math:`\\theta \\leftarrow \\theta - v` (``theta``, ``v``, ``g`` arrays of one shape)."""
    name = "momentum_step(theta, v, g, lr, gamma)"
    hint = "v = gamma * v + lr * g, then theta = theta - v (with the new v)."
    return _judge(name, momentum_step, _momentum_cases(), ["theta", "v"], _MOMENTUM_SLIPS, hint,
                  "v = gamma v + lr g and theta - v match the notes' momentum (the same iterates "
                  "as nnlib's Momentum) on all 5 cases, gamma = 0 and a zero gradient included.")


# --- 2. Adam with bias correction ------------------------------------------------------------

def _adam(theta, m, v, g, t, lr, beta1, beta2, eps, correct_m=True, correct_v=True,
          eps_inside=False, t_shift=0, square=True, sqrt=True):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * (g * g if square else g)
    tt = t + t_shift
    m_hat = m / (1 - beta1 ** tt) if correct_m else m
    v_hat = v / (1 - beta2 ** tt) if correct_v else v
    if eps_inside:
        denom = np.sqrt(v_hat + eps)
    else:
        denom = (np.sqrt(v_hat) if sqrt else v_hat) + eps
    return theta - lr * m_hat / denom, m, v


def _adam_slip(message, fix, **flags):
    return (lambda th, m, v, g, t, lr, b1, b2, eps: _adam(th, m, v, g, t, lr, b1, b2, eps, **flags),
            message, fix)


_ADAM_SLIPS = [
    _adam_slip("there is no bias correction: the step used m and v themselves",
               "m_hat = m / (1 - beta1**t) and v_hat = v / (1 - beta2**t); step with "
               "m_hat / (sqrt(v_hat) + eps).", correct_m=False, correct_v=False),
    _adam_slip("only m was bias-corrected, not v", "correct both: v_hat = v / (1 - beta2**t).",
               correct_v=False),
    _adam_slip("only v was bias-corrected, not m", "correct both: m_hat = m / (1 - beta1**t).",
               correct_m=False),
    _adam_slip("the bias correction used t - 1 instead of t (t counts steps from 1)",
               "with t = 1 for the first step, divide by 1 - beta**t.", t_shift=-1),
    _adam_slip("the bias correction used t + 1 instead of t (t is already the number of this "
               "step)", "divide by 1 - beta**t with the t you were given.", t_shift=1),
    _adam_slip("epsilon went inside the square root", "nnlib and PyTorch add eps outside: "
               "m_hat / (np.sqrt(v_hat) + eps).", eps_inside=True),
    _adam_slip("v averaged the gradient g instead of its square g**2",
               "v = beta2 * v + (1 - beta2) * g**2.", square=False),
    _adam_slip("the square root of v_hat is missing", "divide by np.sqrt(v_hat) + eps.",
               sqrt=False),
    (lambda th, m, v, g, t, lr, b1, b2, eps: (
        2 * th - _adam(th, m, v, g, t, lr, b1, b2, eps)[0],
        *_adam(th, m, v, g, t, lr, b1, b2, eps)[1:]),
     "the step goes uphill: theta + lr m_hat / ... instead of minus", "subtract the step."),
    (lambda th, m, v, g, t, lr, b1, b2, eps: (
        _adam(th, m, v, g, t, lr, b1, b2, eps)[0],
        _adam(th, m, v, g, t, lr, b1, b2, eps)[1] / (1 - b1 ** t),
        _adam(th, m, v, g, t, lr, b1, b2, eps)[2] / (1 - b2 ** t)),
     "theta is right but you returned the corrected m_hat and v_hat; return the raw "
     "averages m and v", "the next step needs m and v; the corrections are recomputed from "
     "them every step."),
]


def _adam_cases():
    rng = np.random.default_rng(61)
    m5, v5 = rng.normal(size=3) * 0.1, rng.random(3) * 0.01
    raw = [
        ("step t = 5 with nonzero m and v", rng.normal(size=3), m5, v5, rng.normal(size=3), 5,
         0.01, 0.9, 0.999, 1e-8),
        ("the first step (t = 1, m = v = 0, default betas)", np.array([1.0, -1.0]),
         np.zeros(2), np.zeros(2), np.array([0.2, -30.0]), 1, 0.001, 0.9, 0.999, 1e-8),
        ("step t = 2 with beta1 = 0.5, beta2 = 0.8, lr = 0.1", np.array([0.5]),
         np.array([0.3]), np.array([0.04]), np.array([1.0]), 2, 0.1, 0.5, 0.8, 1e-8),
        ("a zero gradient in one coordinate at step t = 3", np.array([0.0, 2.0]),
         np.array([0.0, 0.05]), np.array([0.0, 0.002]), np.array([0.0, 0.4]), 3, 0.01, 0.9,
         0.999, 1e-8),
        ("step t = 100, arrays of shape (2, 2), eps = 1e-3", rng.normal(size=(2, 2)),
         rng.normal(size=(2, 2)) * 0.01, rng.random((2, 2)) * 1e-5, rng.normal(size=(2, 2)) * 1e-3,
         100, 0.001, 0.9, 0.999, 1e-3),
    ]
    return [(what, args, _adam(*args)) for what, *args in raw]


def check_adam_step(adam_step):
    """Check ``adam_step(theta, m, v, g, t, lr, beta1, beta2, eps)`` -> ``(theta, m, v)``: step
    ``t`` (from 1) of Adam with bias correction and epsilon outside the square root, as in
    :class:`nnlib.optimizers.Adam`."""
    name = "adam_step(theta, m, v, g, t, lr, beta1, beta2, eps)"
    hint = ("m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g**2; m_hat = m / (1 - "
            "beta1**t); v_hat = v / (1 - beta2**t); theta - lr m_hat / (sqrt(v_hat) + eps); "
            "return theta, m, v.")
    return _judge(name, adam_step, _adam_cases(), ["theta", "m", "v"], _ADAM_SLIPS, hint,
                  "the step matches nnlib's Adam (bias correction, epsilon outside the root) on "
                  "all 5 cases, from the first step to t = 100.")


# --- 3. Nesterov's look-ahead step -------------------------------------------------------------

def _nesterov(theta, v, grad, lr, gamma, ahead=-1.0):
    v = gamma * v + lr * np.asarray(grad(theta + ahead * gamma * v), dtype=float)
    return theta - v, v


_NESTEROV_SLIPS = [
    (lambda th, v, grad, lr, ga: _nesterov(th, v, grad, lr, ga, ahead=0.0),
     "the gradient was taken at theta: that is plain momentum; Nesterov takes it at the "
     "look-ahead point theta - gamma v", "v = gamma * v + lr * grad(theta - gamma * v)."),
    (lambda th, v, grad, lr, ga: _nesterov(th, v, grad, lr, ga, ahead=1.0),
     "the look-ahead went the wrong way: theta + gamma v instead of theta - gamma v",
     "the momentum is about to move theta to theta - gamma v; look there."),
    (lambda th, v, grad, lr, ga: (th + (ga * v + lr * grad(th - ga * v)),
                                  ga * v + lr * grad(th - ga * v)),
     "the step goes uphill: theta + v instead of theta - v", "theta = theta - v."),
    (lambda th, v, grad, lr, ga: (th - v, ga * v + lr * grad(th - ga * v)),
     "theta moved by the old velocity; it must move by the new one",
     "first update v, then theta = theta - v with the updated v."),
]


class _Gradient:
    """A gradient function with a readable name for the messages."""

    def __init__(self, text, fn):
        self.text, self.fn = text, fn

    def __call__(self, theta):
        return self.fn(np.asarray(theta, dtype=float))

    def __repr__(self):
        return self.text


def _nesterov_cases():
    ravine = _Gradient("the gradient of 0.5 (x^2 + 20 y^2)",
                       lambda t: np.array([1.0, 20.0]) * t)
    rosen = _Gradient("the gradient of Rosenbrock's function",
                      lambda t: np.array([-2 * (1 - t[0]) - 400 * t[0] * (t[1] - t[0] ** 2),
                                          200 * (t[1] - t[0] ** 2)]))
    cubic = _Gradient("the gradient of sum(theta^4) / 4", lambda t: t ** 3)
    raw = [
        ("the ravine 0.5 (x^2 + 20 y^2), a later step (v = [0.2, -0.1], gamma = 0.9)",
         np.array([-2.0, 0.5]), np.array([0.2, -0.1]), ravine, 0.02, 0.9),
        ("the first step on the ravine (v = 0: no look-ahead yet)", np.array([-4.0, 1.0]),
         np.zeros(2), ravine, 0.05, 0.9),
        ("Rosenbrock's function with v = [-0.05, 0.02], gamma = 0.8, lr = 0.001",
         np.array([-1.0, 1.5]), np.array([-0.05, 0.02]), rosen, 0.001, 0.8),
        ("sum(theta^4) / 4 on arrays of shape (2, 3), gamma = 0.5",
         np.linspace(-1.0, 1.5, 6).reshape(2, 3), np.linspace(0.3, -0.2, 6).reshape(2, 3),
         cubic, 0.1, 0.5),
    ]
    return [(what, args, _nesterov(*args)) for what, *args in raw]


def check_nesterov_step(nesterov_step):
    """Check ``nesterov_step(theta, v, grad, lr, gamma)`` -> ``(theta, v)``: one step of the
    look-ahead Nesterov method of the notes, where ``grad(theta)`` returns the gradient:
    :math:`v \\leftarrow \\gamma v + \\eta \\nabla L(\\theta - \\gamma v)`,
    :math:`\\theta \\leftarrow \\theta - v`."""
    name = "nesterov_step(theta, v, grad, lr, gamma)"
    hint = "v = gamma * v + lr * grad(theta - gamma * v), then theta = theta - v."
    return _judge(name, nesterov_step, _nesterov_cases(), ["theta", "v"], _NESTEROV_SLIPS, hint,
                  "the look-ahead step matches on all 4 cases (ravine, Rosenbrock, a quartic); "
                  "in shifted variables it is nnlib's Nesterov.")

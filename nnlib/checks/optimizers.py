"""Checks of chapter 6, optimizers.

- :func:`check_adamw_step`: ``adamw_step(theta, m, G, grad, t, lr, beta1, beta2, eps,
  weight_decay)`` returns ``(theta, m, G)`` after step ``t`` of AdamW (Adam with decoupled
  weight decay, as :class:`nnlib.optimizers.AdamW`).
- :func:`check_largest_stable_lr`: ``largest_stable_lr(momentum, curvature, nesterov)``
  returns the largest learning rate at which heavy-ball momentum (or Nesterov's method)
  converges on a quadratic of that curvature, found by experiment; compared with
  :math:`2(1+\\mu)/h` and :math:`2(1+\\mu)/((1+2\\mu)h)`.
- :func:`check_best_momentum`: ``best_momentum(h_min, h_max)`` returns ``(lr, momentum,
  rate)``, Polyak's best heavy-ball learning rate and momentum for a quadratic with curvatures
  between ``h_min`` and ``h_max``, and the rate per step they reach.

The AdamW check compares with the formula on several cases (a first step from zero state, a
later step, a zero gradient, several shapes) and recognises the usual slips: no bias
correction or a bias correction with the wrong ``t``, epsilon inside the root, weight decay
sent through Adam's scaling (Adam + L2 instead of AdamW) or applied without the learning
rate. The
stability check compares with the theory and tells a heavy-ball limit found for Nesterov, an
ignored momentum or curvature, and a too short or too strict test apart. The test suite checks
the expected answers against :mod:`nnlib.optimizers`.
"""

from __future__ import annotations

import numpy as np

from . import as_array, call, close, failed, in_case, passed, show, wrong_count

__all__ = ["check_adamw_step", "check_largest_stable_lr", "check_best_momentum"]


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


# --- 1. AdamW: Adam with decoupled weight decay ------------------------------------------------

def _adam(theta, m, G, grad, t, lr, beta1, beta2, eps, correct_m=True, correct_G=True,
          eps_inside=False, t_shift=0, square=True, sqrt=True):
    """Adam's bias-corrected step; the flags switch on the usual slips."""
    m = beta1 * m + (1 - beta1) * grad
    G = beta2 * G + (1 - beta2) * (grad * grad if square else grad)
    tt = t + t_shift
    m_hat = m / (1 - beta1 ** tt) if correct_m else m
    G_hat = G / (1 - beta2 ** tt) if correct_G else G
    if eps_inside:
        denom = np.sqrt(G_hat + eps)
    else:
        denom = (np.sqrt(G_hat) if sqrt else G_hat) + eps
    return theta - lr * m_hat / denom, m, G


def _adamw(theta, m, G, grad, t, lr, beta1, beta2, eps, weight_decay, decay="decoupled",
           **adam_flags):
    """AdamW's step; ``decay`` names a wrong placement of the weight decay (for the slips)."""
    if decay == "l2":  # the decay goes into the gradient and through Adam's scaling
        return _adam(theta, m, G, grad + weight_decay * theta, t, lr, beta1, beta2, eps,
                     **adam_flags)
    new, m, G = _adam(theta, m, G, grad, t, lr, beta1, beta2, eps, **adam_flags)
    if decay == "after":  # the updated theta is decayed
        return new * (1 - lr * weight_decay), m, G
    factor = {"decoupled": lr * weight_decay, "no_lr": weight_decay,
              "uphill": -lr * weight_decay}[decay]
    return new - factor * theta, m, G


def _adamw_slip(message, fix, **flags):
    return (lambda th, m, G, g, t, lr, b1, b2, eps, wd:
            _adamw(th, m, G, g, t, lr, b1, b2, eps, wd, **flags), message, fix)


_ADAMW_SLIPS = [
    _adamw_slip("the weight decay went through Adam's scaling: weight_decay * theta was added to "
                "the gradient, which is Adam + L2, not AdamW (the decay is then divided by "
                "sqrt(G_hat), so weights with large gradients are hardly decayed)",
                "feed Adam the loss gradient alone and subtract lr * weight_decay * theta from "
                "theta separately.", decay="l2"),
    _adamw_slip("the decay step lacks the learning rate: theta - weight_decay * theta instead of "
                "theta - lr * weight_decay * theta", "the decay step is lr * weight_decay * theta.",
                decay="no_lr"),
    _adamw_slip("the decay was applied to the updated theta (after Adam's step); AdamW decays the "
                "theta the step started from", "theta - lr * (m_hat / (sqrt(G_hat) + eps) + "
                "weight_decay * theta), all with the old theta.", decay="after"),
    _adamw_slip("the decay pushes the weights away from zero: + lr * weight_decay * theta",
                "subtract lr * weight_decay * theta.", decay="uphill"),
    _adamw_slip("there is no bias correction: the step used m and G themselves",
                "m_hat = m / (1 - beta1**t), G_hat = G / (1 - beta2**t).",
                correct_m=False, correct_G=False),
    _adamw_slip("only m was bias-corrected, not G", "G_hat = G / (1 - beta2**t).",
                correct_G=False),
    _adamw_slip("only G was bias-corrected, not m", "m_hat = m / (1 - beta1**t).",
                correct_m=False),
    _adamw_slip("the bias correction used t - 1 instead of t (t counts steps from 1)",
                "with t = 1 for the first step, divide by 1 - beta**t.", t_shift=-1),
    _adamw_slip("the bias correction used t + 1 instead of t (t is already the number of this "
                "step)", "divide by 1 - beta**t with the t you were given.", t_shift=1),
    _adamw_slip("epsilon went inside the square root", "nnlib and PyTorch add eps outside: "
                "m_hat / (np.sqrt(G_hat) + eps).", eps_inside=True),
    _adamw_slip("G averaged the gradient instead of its square",
                "G = beta2 * G + (1 - beta2) * grad**2.", square=False),
    _adamw_slip("the square root of G_hat is missing", "divide by np.sqrt(G_hat) + eps.",
                sqrt=False),
    (lambda th, m, G, g, t, lr, b1, b2, eps, wd: (
        _adamw(th, m, G, g, t, lr, b1, b2, eps, wd)[0],
        _adamw(th, m, G, g, t, lr, b1, b2, eps, wd)[1] / (1 - b1 ** t),
        _adamw(th, m, G, g, t, lr, b1, b2, eps, wd)[2] / (1 - b2 ** t)),
     "theta is right but you returned the corrected m_hat and G_hat; return the raw "
     "averages m and G", "the next step needs m and G; the corrections are recomputed from "
     "them every step."),
]


def _adamw_cases():
    rng = np.random.default_rng(62)
    m5, G5 = rng.normal(size=3) * 0.1, rng.random(3) * 0.01
    raw = [
        ("step t = 5 with nonzero m and G, lr = 0.01, weight_decay = 0.1", rng.normal(size=3),
         m5, G5, rng.normal(size=3), 5, 0.01, 0.9, 0.999, 1e-8, 0.1),
        ("the first step (t = 1, m = G = 0, default betas, weight_decay = 0.01)",
         np.array([1.0, -1.0]), np.zeros(2), np.zeros(2), np.array([0.2, -30.0]), 1, 0.001,
         0.9, 0.999, 1e-8, 0.01),
        ("weight_decay = 0 (AdamW is then Adam), t = 2, beta1 = 0.5, beta2 = 0.8",
         np.array([0.5]), np.array([0.3]), np.array([0.04]), np.array([1.0]), 2, 0.1, 0.5, 0.8,
         1e-8, 0.0),
        ("a weight with a large gradient and one with a zero gradient (t = 3, lr = 0.1, "
         "weight_decay = 0.5)", np.array([2.0, 2.0]), np.array([-0.5, 0.0]),
         np.array([2.0, 0.0]), np.array([-8.0, 0.0]), 3, 0.1, 0.9, 0.999, 1e-8, 0.5),
        ("step t = 100, arrays of shape (2, 2), eps = 1e-3, weight_decay = 0.05",
         rng.normal(size=(2, 2)), rng.normal(size=(2, 2)) * 0.01, rng.random((2, 2)) * 1e-5,
         rng.normal(size=(2, 2)) * 1e-3, 100, 0.001, 0.9, 0.999, 1e-3, 0.05),
    ]
    return [(what, args, _adamw(*args)) for what, *args in raw]


def check_adamw_step(adamw_step):
    """Check ``adamw_step(theta, m, G, grad, t, lr, beta1, beta2, eps, weight_decay)`` ->
    ``(theta, m, G)``: step ``t`` (from 1) of AdamW, Adam's bias-corrected step on ``grad``
    plus the decoupled decay :math:`\\eta\\lambda\\theta` of the old parameters, as
    :class:`nnlib.optimizers.AdamW`. ``m`` and ``G`` are the raw (uncorrected) averages."""
    name = "adamw_step(theta, m, G, grad, t, lr, beta1, beta2, eps, weight_decay)"
    hint = ("m = beta1 m + (1 - beta1) grad; G = beta2 G + (1 - beta2) grad**2; m_hat = m / "
            "(1 - beta1**t); G_hat = G / (1 - beta2**t); theta - lr (m_hat / (sqrt(G_hat) + "
            "eps) + weight_decay theta); return theta, m, G.")
    return _judge(name, adamw_step, _adamw_cases(), ["theta", "m", "G"], _ADAMW_SLIPS, hint,
                  "the step matches nnlib's AdamW on all 5 cases: the decay is decoupled from "
                  "Adam's scaling, the bias correction uses this step's t, eps is outside the "
                  "root.")


# --- 2. The largest stable learning rate of momentum and Nesterov -------------------------------

def heavy_ball_limit(momentum, curvature):
    """Heavy-ball momentum converges on a quadratic of curvature h iff eta < 2(1 + mu)/h."""
    return 2 * (1 + momentum) / curvature


def nesterov_limit(momentum, curvature):
    """Nesterov's method converges iff eta < 2(1 + mu) / ((1 + 2 mu) h), at most 2/h."""
    return 2 * (1 + momentum) / ((1 + 2 * momentum) * curvature)


_STABLE_CASES = [(0.0, 20.0, False), (0.5, 20.0, False), (0.5, 20.0, True), (0.9, 2.0, True),
                 (0.9, 2.0, False)]


def check_largest_stable_lr(largest_stable_lr, rtol=0.02):
    """Check ``largest_stable_lr(momentum, curvature, nesterov)`` -> float: the largest learning
    rate at which ``Momentum(lr, momentum, nesterov=nesterov)`` converges on a quadratic with
    curvature ``curvature``, found by experiment. It must agree within ``rtol`` (2 %) with the
    theory: :math:`2(1+\\mu)/h` for heavy-ball momentum, :math:`2(1+\\mu)/((1+2\\mu)h)`
    for Nesterov."""
    name = "largest_stable_lr(momentum, curvature, nesterov)"
    hint = ("bisect between 0 and 4 / curvature: call a learning rate stable if, on "
            "nn.surfaces.Quadratic((curvature, curvature)), the distance to the minimum after "
            "many steps (say 300) is no larger than halfway through; build the optimizer with "
            "nn.optimizers.Momentum(lr, momentum, nesterov=nesterov).")
    for momentum, h, nesterov in _STABLE_CASES:
        what = (f"momentum {momentum}, curvature {h:g}, "
                f"{'Nesterov' if nesterov else 'heavy ball'}")
        with np.errstate(all="ignore"):
            got, problem = call(name, largest_stable_lr, momentum, h, nesterov, hint=hint)
        if problem is not None:
            return in_case(problem, what)
        value = as_array(got)
        if value is None or value.size != 1 or not np.isfinite(value).all():
            return failed(name, f"for {what} expected one finite number, got {got!r}.", hint)
        value = float(value.ravel()[0])
        limit = (nesterov_limit if nesterov else heavy_ball_limit)(momentum, h)
        if abs(value - limit) <= rtol * limit:
            continue
        near = lambda x: abs(value - x) <= rtol * abs(x)  # noqa: E731
        said = f"for {what} the limit is {limit:.4g}, you found {value:.4g}"
        if nesterov and near(heavy_ball_limit(momentum, h)):
            return failed(name, f"{said}: that is heavy-ball momentum's limit 2(1 + mu)/h.",
                          "pass nesterov=nesterov to nn.optimizers.Momentum (Nesterov's limit "
                          "is lower).")
        if not nesterov and momentum > 0 and near(nesterov_limit(momentum, h)):
            return failed(name, f"{said}: that is Nesterov's limit, not heavy-ball momentum's.",
                          "with nesterov=False use plain Momentum.")
        if momentum > 0 and near(2 / h):
            return failed(name, f"{said}: that is plain gradient descent's 2/h, as if the "
                          "momentum were 0.", "build the optimizer with the given momentum.")
        if h != 1 and (near(limit * h) or near(limit / h)):
            return failed(name, f"{said}: off by the factor h = {h:g}.",
                          "run the optimizer on a quadratic whose curvature is `curvature`; "
                          "the limit scales like 1/h.")
        if value > limit:
            return failed(name, f"{said}: too high. Just above the limit a run grows only "
                          "slowly, so a short run looks stable.",
                          "run more steps (several hundred) before judging, and compare the "
                          "distance at the end with the distance halfway.")
        return failed(name, f"{said}: too low. Your test rejects learning rates that do "
                      "converge (momentum's iterates circle the minimum, so the distance need "
                      "not fall at every step, nor over a few steps), or the bisection stopped "
                      "too early.", "judge by the distance after several hundred steps "
                      "against halfway, and bisect for 25 or more rounds.")
    return passed(name, f"your measured limits agree with 2(1 + mu)/h (heavy ball) and "
                  f"2(1 + mu)/((1 + 2 mu) h) (Nesterov) within {rtol:.0%} in all "
                  f"{len(_STABLE_CASES)} cases.")


# --- 3. The best heavy-ball momentum for a quadratic --------------------------------------------

def _best_momentum(h_min, h_max, lr_form="polyak", momentum_squared=True, rate="sqrt"):
    root_k = np.sqrt(h_max / h_min)
    lr = {"polyak": 4 / (np.sqrt(h_max) + np.sqrt(h_min)) ** 2,
          "gd": 2 / (h_max + h_min),
          "no_roots": 4 / (h_max + h_min),
          "no_square": 4 / (np.sqrt(h_max) + np.sqrt(h_min))}[lr_form]
    q = (root_k - 1) / (root_k + 1)
    momentum = q ** 2 if momentum_squared else q
    value = {"sqrt": np.sqrt(momentum), "momentum": momentum,
             "gd": (root_k ** 2 - 1) / (root_k ** 2 + 1)}[rate]
    return np.float64(lr), np.float64(momentum), np.float64(value)


def _best_slip(message, fix, **flags):
    return (lambda h_min, h_max: _best_momentum(h_min, h_max, **flags), message, fix)


_BEST_SLIPS = [
    _best_slip("the momentum is (sqrt(kappa) - 1)/(sqrt(kappa) + 1) without the square (that is "
               "the rate)", "mu* = ((sqrt(kappa) - 1)/(sqrt(kappa) + 1))**2.",
               momentum_squared=False, rate="momentum"),
    _best_slip("the momentum is missing its square", "mu* = ((sqrt(kappa) - 1)/(sqrt(kappa) + "
               "1))**2; the rate is its square root.", momentum_squared=False),
    _best_slip("the rate is mu* itself; both complex roots have |r| = sqrt(mu)",
               "rate = sqrt(mu*) = (sqrt(kappa) - 1)/(sqrt(kappa) + 1).", rate="momentum"),
    _best_slip("the rate is plain gradient descent's (kappa - 1)/(kappa + 1)",
               "with momentum the rate is sqrt(mu*) = (sqrt(kappa) - 1)/(sqrt(kappa) + 1).",
               rate="gd"),
    _best_slip("the learning rate is plain gradient descent's best, 2/(h_max + h_min)",
               "the heavy ball's is 4/(sqrt(h_max) + sqrt(h_min))**2.", lr_form="gd"),
    _best_slip("the learning rate lacks the square roots: 4/(h_max + h_min)",
               "lr* = 4/(sqrt(h_max) + sqrt(h_min))**2.", lr_form="no_roots"),
    _best_slip("the learning rate lacks the square of the denominator",
               "lr* = 4/(sqrt(h_max) + sqrt(h_min))**2.", lr_form="no_square"),
]


def check_best_momentum(best_momentum):
    """Check ``best_momentum(h_min, h_max)`` -> ``(lr, momentum, rate)``: Polyak's
    :math:`\\eta^\\star = 4/(\\sqrt{h_{\\max}} + \\sqrt{h_{\\min}})^2`,
    :math:`\\mu^\\star = ((\\sqrt\\kappa - 1)/(\\sqrt\\kappa + 1))^2` and the rate
    :math:`\\sqrt{\\mu^\\star}`, with :math:`\\kappa = h_{\\max}/h_{\\min}`."""
    name = "best_momentum(h_min, h_max)"
    hint = ("kappa = h_max / h_min; lr = 4 / (sqrt(h_max) + sqrt(h_min))**2; momentum = "
            "((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2; rate = sqrt(momentum).")
    raw = [("the ravine, curvatures 1 and 20", 1.0, 20.0),
           ("curvatures 1 and 100", 1.0, 100.0),
           ("curvatures 0.5 and 2 (kappa = 4)", 0.5, 2.0),
           ("a round bowl, curvatures 3 and 3 (kappa = 1: no momentum needed)", 3.0, 3.0)]
    cases = [(what, (h_min, h_max), _best_momentum(h_min, h_max)) for what, h_min, h_max in raw]
    return _judge(name, best_momentum, cases, ["lr", "momentum", "rate"], _BEST_SLIPS, hint,
                  "lr*, mu* and the rate sqrt(mu*) are right on all 4 cases, the round bowl "
                  "(mu* = 0) included.")

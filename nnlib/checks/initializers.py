"""Checks of chapter 7, initializers.

- :func:`check_xavier_uniform`: ``xavier_uniform(shape, rng)`` draws a weight matrix of
  ``shape = (n_in, n_out)`` from :math:`U(-r, r)` with :math:`r = \\sqrt{6/(n_{in}+n_{out})}`.
- :func:`check_he_normal`: ``he_normal(shape, rng)`` draws from :math:`N(0, 2/n_{in})`.
- :func:`check_leaky_he_uniform`: ``leaky_he_uniform(shape, rng, slope)`` draws from the
  uniform distribution whose variance :math:`2/((1 + \\alpha^2) n_{in})` keeps a leaky ReLU
  network's forward pass level (slope :math:`\\alpha`), i.e. :math:`U(-r, r)` with
  :math:`r = \\sqrt{6/((1 + \\alpha^2) n_{in})}`. The formula is not on the page: the
  student derives it.

Each runs the student's function on several shapes and seeds and checks, in this order: the
shape of the result, that the same seed gives the same matrix and different seeds different
ones (the numbers must come from ``rng``), the mean, the variance (naming the formula the
student's variance matches when it is a typical mistake: fan-in for fan-out, standard
deviation for variance, a uniform limit without its factor sqrt(3), ...) and the shape of the
distribution (uniform within the limit, or normal). The He checks finally fill a 30-layer
(leaky) ReLU network with the student's weights and report whether it keeps its scale.
"""

from __future__ import annotations

import numpy as np

from . import Feedback, as_array, call, failed, in_case, passed, returned_array

__all__ = ["check_xavier_uniform", "check_he_normal", "check_leaky_he_uniform"]

#: Shapes the variance is measured on: asymmetric ones tell fan-in, fan-out and their sum apart.
_VARIANCE_SHAPES = ((400, 100), (100, 400), (250, 160))


def _draw(name, fn, shape, seed, hint, args=()):
    """``fn(shape, rng, *args)`` as a float array of ``shape``, or ``(None, feedback)``."""
    what = f"shape={shape}{_args_text(args)} with rng=np.random.default_rng({seed})"
    got, problem = call(name, fn, shape, np.random.default_rng(seed), *args, hint=hint)
    if problem is not None:
        return None, in_case(problem, what)
    W, problem = returned_array(name, got, what, hint, none_hint="end the function with `return W`.")
    if problem is not None:
        return None, problem
    if W.shape != tuple(shape):
        if W.shape == tuple(shape)[::-1]:
            return None, failed(
                name, f"for {what} expected an array of shape {tuple(shape)} (n_in rows, n_out "
                f"columns), got the transposed shape {W.shape}.",
                "rows are samples, so Z = X W needs W of shape (n_in, n_out): pass "
                "size=shape (or size=(n_in, n_out)) to the generator.")
        return None, failed(name, f"for {what} expected an array of shape {tuple(shape)}, "
                            f"got shape {W.shape}.", "pass size=shape to the generator.")
    if not np.all(np.isfinite(W)):
        return None, failed(name, f"for {what} your matrix contains nan or inf.", hint)
    return W, None


def _args_text(args):
    """The extra arguments of a call, as the check reports them (only the slope so far)."""
    return "".join(f", slope={a}" for a in args)


def _check_randomness(name, fn, hint, args=()):
    """Same seed, same matrix; different seeds, different matrices; not a constant."""
    shape = (6, 4)
    first, problem = _draw(name, fn, shape, 11, hint, args)
    if problem is not None:
        return problem
    again, problem = _draw(name, fn, shape, 11, hint, args)
    if problem is not None:
        return problem
    if not np.array_equal(first, again):
        return failed(name, "two calls with the same seed (rng=np.random.default_rng(11)) gave "
                      "different matrices: your numbers do not come from rng.",
                      "draw with the generator you are given, e.g. rng.uniform(...) or "
                      "rng.normal(...), not with np.random.uniform / np.random.randn, which "
                      "use numpy's global state.")
    other, problem = _draw(name, fn, shape, 12, hint, args)
    if problem is not None:
        return problem
    if np.array_equal(first, other) or np.ptp(first) == 0:
        return failed(name, "your function returned the same numbers for different seeds (or "
                      f"a constant matrix): {np.round(first[0], 4).tolist()} ... A constant "
                      "initialization leaves all hidden units identical (symmetry).",
                      "the weights must be random numbers drawn from rng.")
    return None


def _variance_mistakes(n_in, n_out, kind, *args):
    """Variances that typical wrong formulas give, with what went wrong and a hint."""
    s = n_in + n_out
    if kind == "leaky_he_uniform":
        (slope,) = args
        keep = 1 + slope ** 2  # twice the fraction of Var(z) a leaky ReLU passes on
        v = 2.0 / (keep * n_in)
        return [
            (2.0 / (keep * n_out), "the variance uses n_out instead of n_in",
             "the forward pass sums over the n_in inputs of a unit: use the fan-in shape[0]."),
            (2.0 / ((1 + slope) * n_in), "you used (1 + slope) where the slope enters "
             "squared, (1 + slope**2)", "the negative half of z is multiplied by the slope, so "
             "its contribution to E[a**2] is multiplied by slope**2."),
            (2.0 / n_in, "the slope is ignored: 2/n_in is He's variance for ReLU (slope 0)",
             "a leaky ReLU keeps (1 + slope**2)/2 of the variance, not 1/2: "
             "Var(W) = 2 / ((1 + slope**2) n_in)."),
            (v / 3.0, "you used the standard deviation as the limit r; U(-r, r) has variance "
             "r**2/3, three times too small", "the limit is sqrt(3) times the standard "
             "deviation: r = sqrt(3 * Var(W))."),
            (v * v / 3.0, "you used the variance itself as the limit r",
             "r = sqrt(3 * Var(W)) with Var(W) = 2 / ((1 + slope**2) n_in)."),
            (2.0 * keep / n_in, "you multiplied by (1 + slope**2) instead of dividing",
             "the more of the signal the unit keeps, the smaller the weights must be: "
             "Var(W) = 2 / ((1 + slope**2) n_in)."),
            (1.0 / (keep * n_in), "the factor 2 is missing: that variance halves the signal "
             "only when the slope is 1", "E[a**2] = (1 + slope**2)/2 Var(z), so "
             "Var(W) = 2 / ((1 + slope**2) n_in)."),
        ]
    if kind == "xavier_uniform":
        return [
            (6.0 / n_in / 3.0, "the limit uses n_in alone (that is He's uniform limit "
             "sqrt(6/n_in))", "Xavier averages fan-in and fan-out: r = sqrt(6/(n_in + n_out))."),
            (6.0 / n_out / 3.0, "the limit uses n_out alone",
             "use both fans: r = sqrt(6/(n_in + n_out))."),
            (2.0 / s / 3.0, "you used sqrt(2/(n_in + n_out)), the standard deviation, as the "
             "limit r; U(-r, r) has variance r**2/3, three times too small",
             "solve r**2/3 = 2/(n_in + n_out): r = sqrt(6/(n_in + n_out))."),
            ((6.0 / s) ** 2 / 3.0, "you used 6/(n_in + n_out) as the limit without the square "
             "root", "r = np.sqrt(6 / (n_in + n_out))."),
            (1.0 / s / 3.0, "the limit is sqrt(1/(n_in + n_out))",
             "r = sqrt(6/(n_in + n_out)), so that r**2/3 = 2/(n_in + n_out)."),
            (4.0 * 6.0 / s / 3.0, "you drew from U(-2r, 2r) (or U(-r, r) scaled by 2)",
             "rng.uniform(-r, r, size=shape) already spans -r to r."),
        ]
    return [
        (4.0 / n_in ** 2, "you used 2/n_in, the variance, as the standard deviation",
         "rng.normal's scale is the standard deviation: scale=np.sqrt(2 / n_in)."),
        (1.0 / n_in, "the variance is 1/n_in (LeCun's), half of He's",
         "ReLU zeroes half of its inputs, so He doubles it: variance 2/n_in."),
        (2.0 / n_out, "the variance uses n_out instead of n_in",
         "He initialization keeps the forward pass level: it uses the fan-in n_in = shape[0]."),
        (2.0 / (n_in + n_out), "the variance is 2/(n_in + n_out), Xavier's",
         "He's variance is 2/n_in (fan-in only)."),
        (2.0 / np.sqrt(n_in), "the variance is 2/sqrt(n_in)", "the variance is 2/n_in."),
        (np.sqrt(2.0 / n_in), "you took the square root twice: the variance is sqrt(2/n_in)",
         "scale = np.sqrt(2 / n_in) is the standard deviation; its square is 2/n_in."),
    ]


def _check_variance(name, fn, kind, expected_var, hint, cases):
    for k, (shape, args) in enumerate(cases):
        W, problem = _draw(name, fn, shape, 100 + k, hint, args)
        if problem is not None:
            return None, problem
        n_in, n_out = shape
        target = expected_var(n_in, n_out, *args)
        mean, var = float(W.mean()), float(W.var())
        noise = np.sqrt(max(var, target) / W.size)  # standard error of the mean
        if abs(mean) > 6 * noise:
            return None, failed(name, f"for shape={shape} the mean of your weights is "
                                f"{mean:.4g}, expected 0 (up to sampling noise, "
                                f"{noise:.1g}).",
                                "the distribution must be centred at 0: U(-r, r) or N(0, s**2).")
        if abs(var / target - 1) <= 0.05:
            continue
        setting = (f"for shape={shape} (n_in={n_in}, n_out={n_out}){_args_text(args)} the "
                   f"variance of your weights is {var:.4g}, expected {target:.4g}")
        for wrong, what, why in _variance_mistakes(n_in, n_out, kind, *args):
            if abs(var / wrong - 1) <= 0.05:
                return None, failed(name, f"{setting}: it looks like {what}.", why)
        return None, failed(name, f"{setting} ({var / target:.3g} times too "
                            f"{'large' if var > target else 'small'}).", hint)
    return W, None


def _check_initializer(name, fn, kind, expected_var, hint, cases=None, deep=None) -> Feedback:
    """The common checks; ``cases`` lists ``(shape, extra args)`` (default: the variance
    shapes, no extra args); ``deep`` is ``(activation, extra args)`` of the He checks' final
    30-layer test (the Xavier check ends before it)."""
    cases = cases or [(shape, ()) for shape in _VARIANCE_SHAPES]
    problem = _check_randomness(name, fn, hint, cases[0][1])
    if problem is not None:
        return problem
    W, problem = _check_variance(name, fn, kind, expected_var, hint, cases)
    if problem is not None:
        return problem
    (n_in, n_out), args = cases[-1]
    std = np.sqrt(expected_var(n_in, n_out, *args))
    if kind != "he_normal":  # uniform: every weight within r = sqrt(3) std
        limit = np.sqrt(3.0) * std
        if np.abs(W).max() > limit * (1 + 1e-9):
            formula = ("sqrt(6/(n_in + n_out))" if kind == "xavier_uniform"
                       else "sqrt(6 / ((1 + slope**2) n_in))")
            return failed(name, f"for shape={(n_in, n_out)}{_args_text(args)} some weights lie "
                          f"outside [-r, r] with r = {formula} = {limit:.4g}: the largest "
                          f"|w| is {np.abs(W).max():.4g}. The variance is right, but the "
                          "distribution is not uniform (is it a normal distribution?).",
                          "draw rng.uniform(-r, r, size=shape).")
        if kind == "xavier_uniform":
            return passed(name, "right shape, reproducible from rng, mean 0, variance "
                          "2/(n_in + n_out), every weight inside [-r, r] with "
                          "r = sqrt(6/(n_in + n_out)).")
    else:
        outside = float(np.mean(np.abs(W) > 2 * std))  # 4.6% for a normal, 0 for U(-r, r)
        if not 0.03 < outside < 0.065:
            return failed(name, f"for shape={(n_in, n_out)} {outside:.1%} of your weights lie "
                          f"beyond two standard deviations; a normal distribution puts 4.6% "
                          "there. The variance is right, but the distribution is not normal "
                          "(uniform?).", "draw rng.normal(0.0, np.sqrt(2 / n_in), size=shape).")
    activation, deep_args = deep
    ratio, problem = _deep_ratio(name, fn, hint, activation, deep_args)
    if problem is not None:
        return problem
    network = ("30 ReLU layers (256 units)" if activation == "relu"
               else f"30 leaky ReLU layers (256 units, slope {deep_args[0]})")
    if not 0.5 < ratio < 2:
        return failed(name, f"in a network of {network} filled with "
                      f"your weights the activation std of layer 30 is {ratio:.3g} times that "
                      "of layer 1; a right initialization keeps it within a factor of 2.", hint)
    if kind == "he_normal":
        return passed(name, "right shape, reproducible from rng, mean 0, variance 2/n_in, "
                      "normally distributed (4.6% beyond two standard deviations), and 30 ReLU "
                      "layers filled with your weights keep their scale (layer 30 / layer 1 = "
                      f"{ratio:.2f}).")
    return passed(name, "right shape, reproducible from rng, mean 0, variance "
                  "2/((1 + slope**2) n_in) for every slope tried, every weight inside [-r, r], "
                  f"and {network} filled with your weights keep their "
                  f"scale (layer 30 / layer 1 = {ratio:.2f}).")


def _deep_ratio(name, fn, hint, activation="relu", args=(), depth=30, width=256):
    """std of the activations of layer ``depth`` over layer 1 in a network of ``activation``
    units whose weights all come from ``fn(shape, rng, *args)`` with one shared generator; or
    ``(None, feedback)``."""
    from .. import activations
    from ..model import MLP

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 32))
    slope = {"slope": args[0]} if args else {}
    unit = activations.get(activation, **slope)
    model = MLP([32] + [width] * depth + [1], activation=unit, init="zeros")
    for layer in model.layers:
        got, problem = call(name, fn, layer.W.shape, rng, *args, hint=hint)
        if problem is not None:  # (a Feedback is falsy: test against None)
            return None, in_case(problem, f"shape={layer.W.shape} in a 30-layer network")
        W = as_array(got)
        if W is None or W.shape != layer.W.shape:
            return None, failed(name, f"for shape={layer.W.shape} your function did not "
                                "return an array of that shape.", hint)
        layer.W[...] = W
    A = model.activations(X)
    return float(A[depth - 1].std() / A[0].std()), None


def check_xavier_uniform(xavier_uniform) -> Feedback:
    """Check ``xavier_uniform(shape, rng)``: :math:`U(-r, r)` with
    :math:`r = \\sqrt{6/(n_{in}+n_{out})}`."""
    return _check_initializer(
        "xavier_uniform", xavier_uniform, "xavier_uniform",
        lambda n_in, n_out: 2.0 / (n_in + n_out),
        "with n_in, n_out = shape, r = np.sqrt(6 / (n_in + n_out)) and return "
        "rng.uniform(-r, r, size=shape).")


def check_he_normal(he_normal) -> Feedback:
    """Check ``he_normal(shape, rng)``: :math:`N(0, 2/n_{in})`."""
    return _check_initializer(
        "he_normal", he_normal, "he_normal",
        lambda n_in, n_out: 2.0 / n_in,
        "with n_in = shape[0], return rng.normal(0.0, np.sqrt(2 / n_in), size=shape).",
        deep=("relu", ()))


#: (shape, slope) of the variance cases: asymmetric shapes tell the fans apart, and three
#: slopes catch a slope that is hard-coded or enters the formula the wrong way.
_LEAKY_CASES = (((400, 100), (0.5,)), ((100, 400), (0.1,)), ((250, 160), (1.0,)))


def check_leaky_he_uniform(leaky_he_uniform) -> Feedback:
    """Check ``leaky_he_uniform(shape, rng, slope)``: :math:`U(-r, r)` with
    :math:`r = \\sqrt{6 / ((1 + \\alpha^2) n_{in})}` for a leaky ReLU of slope
    :math:`\\alpha`."""
    return _check_initializer(
        "leaky_he_uniform", leaky_he_uniform, "leaky_he_uniform",
        lambda n_in, n_out, slope: 2.0 / ((1 + slope ** 2) * n_in),
        "a leaky ReLU keeps E[a**2] = (1 + slope**2)/2 Var(z), so Var(W) = 2 / ((1 + "
        "slope**2) n_in); a uniform U(-r, r) with that variance has r = sqrt(3 Var(W)).",
        cases=list(_LEAKY_CASES), deep=("leaky_relu", (0.3,)))

"""Checks of chapter 5, gradient descent and its variants.

- :func:`check_gd_step`: ``linear_regression_step(X, y, w, b, lr)`` returns ``(w, b)`` after
  one step of gradient descent on the mean squared error of :math:`\\hat{y} = Xw + b`:
  :math:`w \\leftarrow w - \\eta \\tfrac{2}{m} X^\\top(\\hat{y} - y)`,
  :math:`b \\leftarrow b - \\eta \\tfrac{2}{m} \\sum_i (\\hat{y}_i - y_i)`.
- :func:`check_normal_equation`: ``normal_equation(X, y)`` returns ``(w, b)`` minimizing that
  mean squared error, by solving :math:`\\tilde{X}^\\top \\tilde{X}\\theta = \\tilde{X}^\\top y`
  with :math:`\\tilde{X} = [X, \\mathbf{1}]`.
- :func:`check_minibatches`: ``minibatches(m, batch_size, rng)`` returns the index arrays of
  one epoch of shuffled mini-batches.
- :func:`check_minibatch_gd`: ``minibatch_gd(X, y, lr, batch_size, num_epochs, rng)`` fits
  :math:`(w, b)` from zero by mini-batch gradient descent, one ``rng.permutation(m)`` per epoch.

Each recognises the usual slips (the :math:`\\tfrac12` convention's missing 2, a sign flip, a
sum instead of a mean; a forgotten bias column; floor division dropping the last batch, no
shuffling or shuffling only once, sampling with replacement, the global random state, a batch
gradient divided by ``batch_size`` or by ``m`` instead of the batch's own size) and says which
case failed.
"""

from __future__ import annotations

import math

import numpy as np

from . import as_array, call, close, failed, in_case, pair_verdict, passed, show, wrong_count

__all__ = ["check_gd_step", "check_normal_equation", "check_minibatches", "check_minibatch_gd"]


def _show(arr):
    return show(arr, digits=6)


def _close(a, b):
    return close(a, b, rtol=1e-7, atol=1e-10)


def _pair(name, got, what, n, hint):
    """``(w, b)`` as an ``(n, 1)`` array and a float, or ``(None, feedback)``."""
    problem = wrong_count(name, got, 2, f"for {what} the pair (w, b)", "end with `return w, b`.")
    if problem is not None:
        return None, problem
    w, b = as_array(got[0]), as_array(got[1])
    if w is None or b is None:
        return None, failed(name, f"for {what} w and b must be numbers or arrays of numbers, got "
                            f"{type(got[0]).__name__} and {type(got[1]).__name__}.", hint)
    if w.shape != (n, 1):
        if w.shape == (n,) or w.shape == (1, n) and n > 1:
            extra = "keep w a column of shape (n, 1), like the w you were given (reshape(-1, 1))"
        elif w.size == n + 1:
            extra = ("that looks like the whole vector theta = (w, b): split it, w = theta[:-1] "
                     "and b = theta[-1]")
        else:
            extra = "w must have the shape of the weights, one row per feature"
        return None, failed(name, f"for {what} expected w of shape {(n, 1)}, got shape "
                            f"{w.shape}: {extra}.", hint)
    if b.size != 1:
        return None, failed(name, f"for {what} expected b to be one number, got an array of shape "
                            f"{b.shape}.", "b is the single bias shared by all samples.")
    return (w, float(b.reshape(()))), None


# --- 1. One gradient-descent step ------------------------------------------------------------

def _step_cases():
    """(description, X, y, w, b, lr)."""
    rng = np.random.default_rng(5)
    cases = [("one sample (m=1, n=1)", np.array([[2.0]]), np.array([[3.0]]),
              np.array([[0.5]]), 0.25, 0.1)]
    size = rng.uniform(0.5, 2.5, size=(6, 1))
    cases.append(("six houses (m=6, n=1)", size, 0.5 + 2 * size + rng.normal(0, 0.3, (6, 1)),
                  np.zeros((1, 1)), 0.0, 0.05))
    for m, n, lr in [(10, 3, 0.01), (4, 2, 0.3)]:
        cases.append((f"m={m} samples with n={n} features and lr={lr}", rng.normal(size=(m, n)),
                      rng.normal(size=(m, 1)), rng.normal(size=(n, 1)), float(rng.normal()), lr))
    cases.append(("lr=0 (nothing may change)", rng.normal(size=(5, 2)), rng.normal(size=(5, 1)),
                  rng.normal(size=(2, 1)), 0.7, 0.0))
    return cases


def _step_reference(X, y, w, b, lr):
    r = X @ w + b - y
    m = X.shape[0]
    return w - lr * 2 / m * X.T @ r, b - lr * 2 / m * float(np.sum(r))


def _step_wrong(X, y, w, b, lr):
    """Typical wrong (w, b) pairs: (w, b, what is wrong, hint)."""
    m = X.shape[0]
    r = X @ w + b - y
    dw, db = 2 / m * X.T @ r, 2 / m * float(np.sum(r))
    return [
        (w - lr * dw / 2, b - lr * db / 2, "your step is half as long as it should be: that is "
         "the gradient of (1/2m) sum (y_hat - y)^2, the 1/2 convention",
         "the loss here is the plain mean (1/m) sum (y_hat - y)^2, whose gradient carries a 2: "
         "dw = 2/m X.T @ (y_hat - y)."),
        (w + lr * dw, b + lr * db, "you stepped uphill (w + lr * dw): the sign is flipped",
         "gradient descent subtracts: w - lr * dw. Check also that the residual is y_hat - y."),
        (w - lr * m * dw, b - lr * m * db, "your step is m times too long: you summed over the "
         "samples but the loss is their mean", "divide by m: dw = 2/m X.T @ (y_hat - y)."),
        (w - dw, b - db, "the step ignores the learning rate", "multiply the gradient by lr."),
        (dw, db, "you returned the gradient, not the updated parameters",
         "return w - lr * dw, b - lr * db."),
    ]


def check_gd_step(linear_regression_step):
    """Check ``linear_regression_step(X, y, w, b, lr)`` -> ``(w, b)`` after one step.

    ``X`` is ``(m, n)``, ``y`` is ``(m, 1)``, ``w`` is ``(n, 1)``, ``b`` and ``lr`` numbers.
    The loss is the mean squared error :math:`\\frac1m \\sum_i (\\hat{y}_i - y_i)^2` of
    :math:`\\hat{y} = Xw + b` (no :math:`\\tfrac12`). Five cases, from a single sample to
    ``lr=0``.
    """
    name = "linear_regression_step(X, y, w, b, lr)"
    hint = ("y_hat = X @ w + b; dw = 2 / m * X.T @ (y_hat - y) has the shape (n, 1) of w; "
            "db = 2 / m * np.sum(y_hat - y); return w - lr * dw, b - lr * db.")
    for what, X, y, w, b, lr in _step_cases():
        got, problem = call(name, linear_regression_step, X.copy(), y.copy(), w.copy(), b, lr,
                            hint=hint)
        if problem is not None:
            return in_case(problem, what)
        pair, problem = _pair(name, got, what, X.shape[1], hint)
        if problem is not None:
            return problem
        (w_got, b_got), (w_ok, b_ok) = pair, _step_reference(X, y, w, b, lr)
        slips = _step_wrong(X, y, w, b, lr) if lr != 0 else []  # with lr = 0 they coincide
        verdict = pair_verdict(name, what, (w_got, b_got), (w_ok, b_ok), slips, hint=hint)
        if verdict is not None:
            return verdict
    return passed(name, "one step of gradient descent is right on all 5 cases, including a "
                  "single sample and lr = 0.")


# --- 2. The normal equation ------------------------------------------------------------------

def _normal_cases():
    """(description, X, y)."""
    rng = np.random.default_rng(6)
    size = rng.uniform(0.5, 2.5, size=(30, 1))
    cases = [("30 houses (m=30, n=1)", size, 0.5 + 2 * size + rng.normal(0, 0.3, (30, 1)))]
    X = rng.normal(size=(20, 3))
    cases.append(("m=20 samples with n=3 features", X,
                  X @ np.array([[1.0], [-2.0], [0.5]]) + 3.0 + rng.normal(0, 0.1, (20, 1))))
    X = rng.normal(size=(4, 2))
    cases.append(("an exact fit (m=4, n=2, no noise)", X, X @ np.array([[2.0], [1.0]]) - 1.0))
    cases.append(("three points (m=3, n=1)", np.array([[0.0], [1.0], [2.0]]),
                  np.array([[1.0], [2.0], [4.0]])))
    return cases


def _lstsq(A, y):
    return np.linalg.lstsq(A, y, rcond=None)[0]


def check_normal_equation(normal_equation):
    """Check ``normal_equation(X, y)`` -> ``(w, b)``, the least-squares line (plane).

    ``X`` is ``(m, n)`` with linearly independent columns (plus the bias column), ``y`` is
    ``(m, 1)``; ``w`` must be ``(n, 1)`` and ``b`` a number. Four cases.
    """
    name = "normal_equation(X, y)"
    hint = ("append a column of ones, Xb = np.column_stack([X, np.ones(len(X))]); solve "
            "(Xb.T @ Xb) theta = Xb.T @ y with np.linalg.solve; then w = theta[:-1], "
            "b = theta[-1].")
    for what, X, y in _normal_cases():
        m, n = X.shape
        got, problem = call(name, normal_equation, X.copy(), y.copy(), hint=hint)
        if problem is not None:
            return in_case(problem, what)
        pair, problem = _pair(name, got, what, n, hint)
        if problem is not None:
            return problem
        w_got, b_got = pair
        theta = _lstsq(np.column_stack([X, np.ones(m)]), y)
        w_ok, b_ok = theta[:-1], float(theta[-1, 0])
        if _close(w_got, w_ok) and np.isclose(b_got, b_ok, rtol=1e-7, atol=1e-9):
            continue
        if _close(w_got, _lstsq(X, y)) and abs(b_got) < 1e-12:
            return failed(name, f"for {what}: you fitted without a bias (b = 0, the line through "
                          f"the origin): w expected {_show(w_ok)}, got {_show(w_got)}.",
                          "append a column of ones to X so that b is fitted too.")
        if n == 1 and np.isclose(float(w_got[0, 0]), b_ok) and np.isclose(b_got, float(w_ok[0, 0])):
            return failed(name, f"for {what}: w and b are swapped (w expected {_show(w_ok)}, got "
                          f"{_show(w_got)}).", "if the column of ones comes first, so does b "
                          "in theta: return w and b in the order (w, b).")
        return failed(name, f"for {what}: w expected {_show(w_ok)}, got {_show(w_got)}; b "
                      f"expected {b_ok:.6g}, got {b_got:.6g}.", hint)
    return passed(name, "the normal equation gives the least-squares w and b on all 4 cases.")


# --- 3. Shuffled mini-batches ----------------------------------------------------------------

_BATCH_CASES = [(60, 10), (61, 10), (5, 1), (7, 7), (10, 32), (23, 4)]


def _as_batches(name, got, what):
    """The batches as a list of 1-D integer arrays, or ``(None, feedback)``."""
    if not isinstance(got, (list, tuple)) or any(np.ndim(batch) != 1 for batch in got):
        return None, failed(name, f"for {what} expected a list of 1-D index arrays, got "
                            f"{type(got).__name__}.", "return [order[i:i + batch_size] for i "
                            "in range(0, m, batch_size)].")
    batches = []
    for batch in got:
        arr = np.asarray(batch)
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            return None, failed(name, f"for {what} the batches must hold integer sample "
                                f"indices, got dtype {arr.dtype}.", "rng.permutation(m) gives "
                                "integer indices.")
        batches.append(arr.astype(int))
    return batches, None


def check_minibatches(minibatches):
    """Check ``minibatches(m, batch_size, rng)`` -> list of index arrays for one epoch.

    The batches must hold every index ``0..m-1`` exactly once, in a random order drawn from
    ``rng`` (a ``numpy.random.Generator``), ``batch_size`` indices each except a smaller last
    one: :math:`\\lceil m / B \\rceil` batches. Six cases, including ``batch_size`` 1, equal to
    ``m`` and larger than ``m``.
    """
    name = "minibatches(m, batch_size, rng)"
    hint = ("order = rng.permutation(m); return [order[i:i + batch_size] for i in range(0, m, "
            "batch_size)].")
    for k, (m, bs) in enumerate(_BATCH_CASES):
        what = f"m={m}, batch_size={bs}"
        runs = []
        for seed in (k, k, k + 100):
            got, problem = call(name, minibatches, m, bs, np.random.default_rng(seed), hint=hint)
            if problem is not None:
                return in_case(problem, what)
            batches, problem = _as_batches(name, got, what)
            if problem is not None:
                return problem
            runs.append(batches)
        batches = runs[0]
        expected = math.ceil(m / bs)
        sizes = [len(batch) for batch in batches]
        if len(batches) != expected:
            extra = ""
            if len(batches) == m // bs and m % bs:
                extra = (f": the last, smaller batch of {m % bs} sample(s) is missing (m // "
                         "batch_size rounds down)")
            return failed(name, f"for {what} expected ceil({m}/{bs}) = {expected} batches, got "
                          f"{len(batches)}{extra}.", "step through the order in strides of "
                          "batch_size up to m: range(0, m, batch_size).")
        right_sizes = [min(bs, m - i * bs) for i in range(expected)]
        if sizes != right_sizes:
            return failed(name, f"for {what} expected batch sizes {right_sizes}, got {sizes}.",
                          "every batch has batch_size samples except possibly the last one.")
        flat = np.concatenate(batches) if batches else np.array([], dtype=int)
        counts = np.bincount(flat[(flat >= 0) & (flat < m)], minlength=m)
        if flat.min() < 0 or flat.max() >= m:
            return failed(name, f"for {what} the indices must lie in 0..{m - 1}, got values from "
                          f"{flat.min()} to {flat.max()}.", hint)
        if not np.all(counts == 1):
            twice = int(np.argmax(counts > 1)) if np.any(counts > 1) else None
            never = int(np.argmax(counts == 0))
            first = f"sample {twice} appears {counts[twice]} times and " if twice is not None else ""
            return failed(name, f"for {what} every sample must appear exactly once per epoch: "
                          f"{first}sample {never} never appears.", "draw a permutation "
                          "(rng.permutation(m)), not independent random indices.")
        if m >= 10 and np.array_equal(flat, np.arange(m)):
            return failed(name, f"for {what} the batches are in the original order 0, 1, 2, "
                          "...: they are not shuffled.", "shuffle first: order = "
                          "rng.permutation(m).")
        same = all(np.array_equal(a, b) for a, b in zip(runs[0], runs[1]))
        if not same:
            return failed(name, f"for {what} two calls with generators of the same seed gave "
                          "different batches: the shuffle does not come from rng.",
                          "use the generator you are given, rng.permutation(m), not "
                          "np.random.")
        if m >= 10 and all(np.array_equal(a, b) for a, b in zip(runs[0], runs[2])):
            return failed(name, f"for {what} generators of different seeds gave the same "
                          "batches: the shuffle does not come from rng.",
                          "use the generator you are given: rng.permutation(m).")
    return passed(name, "every epoch is a shuffled partition into ceil(m / batch_size) batches "
                  "on all 6 cases.")


# --- 4. Mini-batch gradient descent ----------------------------------------------------------

def _training_cases():
    """(description, X, y, lr, batch_size, num_epochs, seed)."""
    rng = np.random.default_rng(8)
    cases = []
    for what, m, n, bs, epochs, lr in [
            ("m=10 samples, batch_size=4, 1 epoch", 10, 1, 4, 1, 0.05),
            ("m=12 samples with n=2 features, batch_size=5, 3 epochs", 12, 2, 5, 3, 0.05),
            ("stochastic: m=7, batch_size=1, 2 epochs", 7, 1, 1, 2, 0.05),
            ("full batch: m=8 with n=3 features, batch_size=8, 4 epochs", 8, 3, 8, 4, 0.1),
            ("batch_size=20 larger than m=9, 2 epochs", 9, 2, 20, 2, 0.1)]:
        X = rng.normal(size=(m, n))
        y = X @ rng.normal(size=(n, 1)) + 1.5 + rng.normal(0, 0.2, size=(m, 1))
        cases.append((what, X, y, lr, bs, epochs, 100 + len(cases)))
    return cases


def _train(X, y, lr, batch_size, num_epochs, rng, order="every epoch", last=True,
           divide="batch", sign=1.0, factor=2.0):
    """Mini-batch GD on the MSE from zero: the reference (defaults) and its usual slips."""
    m, n = X.shape
    w, b = np.zeros((n, 1)), 0.0
    perm = None
    for _ in range(num_epochs):
        if order == "every epoch" or (order == "once" and perm is None):
            perm = rng.permutation(m)
        elif order == "stored":
            perm = np.arange(m)
        stop = m if last else m - m % batch_size
        for start in range(0, stop, batch_size):
            idx = perm[start:start + batch_size]
            residual = X[idx] @ w + b - y[idx]
            count = {"batch": len(idx), "batch_size": batch_size, "m": m, "sum": 1}[divide]
            w = w - sign * lr * factor / count * X[idx].T @ residual
            b = b - sign * lr * factor / count * float(np.sum(residual))
    return w, b


_TRAINING_SLIPS = [
    (dict(order="stored"), "the batches are not shuffled: every epoch walks the samples in "
     "their stored order", "draw a new order at the start of every epoch: order = "
     "rng.permutation(m), then cut it into batches."),
    (dict(order="once"), "you shuffled once and reused that order in every epoch",
     "draw a new order in every epoch: call rng.permutation(m) inside the epoch loop."),
    (dict(last=False), "the last, smaller batch is dropped (m // batch_size batches per epoch)",
     "step through the order with range(0, m, batch_size): the last batch keeps the remaining "
     "m % batch_size samples."),
    (dict(divide="sum"), "the gradient is summed over the batch, not averaged: the steps are "
     "batch-size times too long", "divide by the number of samples in the batch: "
     "dw = 2 / len(batch) * Xb.T @ (Xb @ w + b - yb)."),
    (dict(divide="batch_size"), "you divided by batch_size, but the last batch is smaller",
     "divide by the batch's own size, len(batch) (or Xb.shape[0])."),
    (dict(divide="m"), "you divided by m, the size of the whole data set, not of the batch",
     "the batch's loss is the mean over its own samples: divide by len(batch)."),
    (dict(sign=-1.0), "you stepped uphill (w + lr * dw): the sign is flipped",
     "gradient descent subtracts: w - lr * dw."),
    (dict(factor=1.0), "your steps are half as long as they should be: that is the gradient of "
     "the 1/2 convention's loss", "the loss is the plain mean of squared errors, so its gradient "
     "carries a 2: dw = 2 / len(batch) * Xb.T @ residual."),
]


def check_minibatch_gd(minibatch_gd):
    """Check ``minibatch_gd(X, y, lr, batch_size, num_epochs, rng)`` -> ``(w, b)``.

    Starting from ``w = 0`` (shape ``(n, 1)``) and ``b = 0``, every epoch draws its order with
    one call of ``rng.permutation(m)``, cuts it into :math:`\\lceil m/B \\rceil` batches (the
    last one smaller) and takes one step of gradient descent per batch on the mean squared
    error of that batch. Five cases: a smaller last batch, several epochs and features,
    ``batch_size`` 1, equal to ``m`` and larger than ``m``.
    """
    name = "minibatch_gd(X, y, lr, batch_size, num_epochs, rng)"
    hint = ("w, b = np.zeros((n, 1)), 0.0; every epoch: for batch in minibatches(m, batch_size, "
            "rng): w, b = linear_regression_step(X[batch], y[batch], w, b, lr); return w, b.")
    for what, X, y, lr, bs, epochs, seed in _training_cases():
        args = (lr, bs, epochs)
        got, problem = call(name, minibatch_gd, X.copy(), y.copy(), *args,
                            np.random.default_rng(seed), hint=hint)
        if problem is not None:
            return in_case(problem, what)
        pair, problem = _pair(name, got, what, X.shape[1], hint)
        if problem is not None:
            return problem
        w_got, b_got = pair
        if not (np.all(np.isfinite(w_got)) and np.isfinite(b_got)):
            return failed(name, f"for {what} your (w, b) are not finite: the steps grew without "
                          "bound.", "check the sign (w - lr * dw) and that the gradient is "
                          "averaged over the batch, not summed.")
        right = _train(X, y, *args, np.random.default_rng(seed))
        if _close(w_got, right[0]) and np.isclose(b_got, right[1], rtol=1e-7, atol=1e-10):
            continue
        again, problem = call(name, minibatch_gd, X.copy(), y.copy(), *args,
                              np.random.default_rng(seed), hint=hint)
        if problem is None:
            again, problem = _pair(name, again, what, X.shape[1], hint)
        if problem is None and not (_close(again[0], w_got) and np.isclose(again[1], b_got)):
            return failed(name, f"for {what} two calls with generators of the same seed gave "
                          "different (w, b): the shuffle does not come from rng.", "use the "
                          "generator you are given, rng.permutation(m), not np.random.")
        slips = []
        for options, message, fix in _TRAINING_SLIPS:
            w_bad, b_bad = _train(X, y, *args, np.random.default_rng(seed), **options)
            if _close(w_bad, right[0]) and np.isclose(b_bad, right[1]):
                continue  # this slip makes no difference in this case
            slips.append((w_bad, b_bad, message, fix))
        verdict = pair_verdict(name, what, (w_got, b_got), right, slips, hint=(
            hint + " Draw each epoch's order with exactly one call of rng.permutation(m) and "
            "nothing else from rng, or your batches differ from the check's."))
        if verdict is not None:
            return verdict
    return passed(name, "mini-batch gradient descent gives the right (w, b) on all 5 cases, "
                  "from a smaller last batch to a batch larger than the data.")

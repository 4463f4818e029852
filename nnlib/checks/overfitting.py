"""Checks of chapter 8, regression, classification and overfitting.

- :func:`check_mape`: ``mape(y_hat, y)`` is the mean absolute percentage error
  :math:`\\frac{100}{m}\\sum_i |\\hat{y}_i - y_i| / |y_i|`.
- :func:`check_early_stopping`: ``early_stopping_epochs(val_loss, patience)`` returns the
  epoch at which early stopping ends training and the epoch whose parameters it keeps.
- :func:`check_k_fold_scores`: ``k_fold_scores(X, y, n_folds, fit_and_score, seed)`` shuffles
  the samples, cuts them into ``n_folds`` folds and scores a model trained on all folds but
  one on the fold left out, once per fold.
"""

from __future__ import annotations

import numpy as np

from . import Feedback, as_array, call, failed, in_case, passed, wrong_count

__all__ = ["check_mape", "check_early_stopping", "check_k_fold_scores"]


# --- 1. MAPE ---------------------------------------------------------------------------------

def _nnlib_mape(y_hat, y):
    from ..losses import get

    return get("mape").forward(np.reshape(y_hat, (-1, 1)), np.reshape(y, (-1, 1)))


def _mape_cases():
    rng = np.random.default_rng(8)
    y_rand = rng.uniform(1.0, 10.0, size=50)
    return [
        ("y = [2, 4], y_hat = [1, 5] (errors of 50% and 25%)",
         np.array([[1.0], [5.0]]), np.array([[2.0], [4.0]])),
        ("negative targets, y = [-2, 4, -5], y_hat = [-1, 5, -5]",
         np.array([[-1.0], [5.0], [-5.0]]), np.array([[-2.0], [4.0], [-5.0]])),
        ("50 random targets between 1 and 10 (shapes (50, 1))",
         (y_rand * rng.uniform(0.7, 1.3, size=50)).reshape(-1, 1), y_rand.reshape(-1, 1)),
        ("y_hat of shape (3, 1) and y of shape (3,), y = [1, 2, 4], y_hat = [1.5, 1, 4]",
         np.array([[1.5], [1.0], [4.0]]), np.array([1.0, 2.0, 4.0])),
    ]


def check_mape(mape):
    """Check ``mape(y_hat, y)`` -> one number, the MAPE in percent.

    Compared with ``nn.losses.get("mape")`` on four cases: a worked example, negative
    targets, 50 random samples, and ``y_hat`` of shape ``(m, 1)`` with ``y`` of shape ``(m,)``.
    """
    name = "mape(y_hat, y)"
    hint = ("flatten both arrays first (np.ravel), then return "
            "100 * np.mean(np.abs(y_hat - y) / np.abs(y)).")
    for what, y_hat, y in _mape_cases():
        expected = _nnlib_mape(y_hat, y)
        got, problem = call(name, mape, y_hat.copy(), y.copy(), hint=hint)
        if problem is not None:
            return in_case(problem, what)
        arr = as_array(got)
        if arr is None:
            return failed(name, f"for {what} your function returned {type(got).__name__}, "
                          "not a number.", hint)
        if arr.size != 1:
            extra = (" Mixing shapes (m, 1) and (m,) broadcasts y_hat - y to an (m, m) "
                     "matrix." if arr.size == len(y) ** 2 else "")
            return failed(name, f"for {what} expected one number, got an array of shape "
                          f"{arr.shape}.{extra}", hint)
        value = float(arr.reshape(-1)[0])
        if np.isclose(value, expected, rtol=1e-9, atol=1e-9):
            continue
        yh, yt = np.ravel(y_hat), np.ravel(y)
        m = yt.size
        known = [
            (expected / 100, "that is the mean as a fraction, not in percent",
             "multiply by 100: MAPE is a percentage."),
            (expected * m, "that is the sum over the samples, not the mean",
             "divide by the number of samples m (or use np.mean)."),
            (100 * np.mean(np.abs(yh - yt) / np.abs(yh)),
             "you divided by the prediction |y_hat|; MAPE divides by the target |y|",
             "the error is measured relative to the true value y."),
            (100 * np.mean(np.abs(yh - yt) / yt),
             "the denominator lost its absolute value, so negative targets give negative terms",
             "divide by np.abs(y), not by y."),
            (100 * np.mean(np.abs(np.reshape(y_hat, (-1, 1)) - np.reshape(y, (1, -1)))
                           / np.abs(np.reshape(y, (1, -1)))),
             "y_hat - y was broadcast to an (m, m) matrix because the shapes differ",
             "flatten y_hat and y with np.ravel before subtracting."),
        ]
        for wrong, message, fix in known:
            if np.isclose(value, wrong, rtol=1e-9, atol=1e-9):
                return failed(name, f"for {what} you returned {value:.6g}, expected "
                              f"{expected:.6g}: {message}.", fix)
        return failed(name, f"for {what} expected {expected:.6g}, got {value:.6g}.", hint)
    return passed(name, "matches nnlib's MAPE on all 4 cases, including negative targets and "
                  "mixed shapes (m, 1) and (m,).")


# --- 2. Early stopping -----------------------------------------------------------------------

def _reference_stop(val_loss, patience):
    """nnlib's rule (training.fit, min_delta = 0): (stop epoch, best epoch), from 1."""
    best, best_epoch, waited = np.inf, None, 0
    for epoch, value in enumerate(val_loss, 1):
        if value < best:
            best, best_epoch, waited = value, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return epoch, best_epoch
    return len(val_loss), best_epoch


def _stop_cases():
    rng = np.random.default_rng(8)
    epochs = np.arange(1, 61)
    u_shape = 0.05 + 0.5 * np.exp(-epochs / 8) + 0.002 * epochs + rng.normal(0, 0.004, 60)
    return [
        ("val_loss = [1.0, 0.8, 0.7, 0.72, 0.71, 0.75, 0.6], patience = 3",
         [1.0, 0.8, 0.7, 0.72, 0.71, 0.75, 0.6], 3),
        ("a loss that keeps falling, [5, 4, 3, 2, 1], patience = 2", [5.0, 4.0, 3.0, 2.0, 1.0], 2),
        ("a tie, [1.0, 0.5, 0.5, 0.5, 0.4], patience = 2 (an equal value is no improvement)",
         [1.0, 0.5, 0.5, 0.5, 0.4], 2),
        ("a loss that rises from the start, [1, 2, 3, 4, 5, 6], patience = 3",
         [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3),
        ("[1.0, 2.0, 0.5], patience = 1", [1.0, 2.0, 0.5], 1),
        ("a noisy U-shaped validation curve of 60 epochs, patience = 5",
         [float(v) for v in u_shape], 5),
    ]


def check_early_stopping(early_stopping_epochs):
    """Check ``early_stopping_epochs(val_loss, patience)`` -> ``(stop_epoch, best_epoch)``.

    Epochs count from 1. The best epoch is the one with the lowest validation loss so far; an
    epoch improves on it only with a strictly lower loss. Training stops at the first epoch
    that ends ``patience`` epochs without improvement (or after the last epoch), and the
    parameters of the best epoch up to then are kept: the rule of ``nn.training.fit``.
    """
    name = "early_stopping_epochs(val_loss, patience)"
    hint = ("walk through the losses with epoch = 1, 2, ...; keep the best loss so far, its "
            "epoch and a counter of epochs without improvement (reset to 0 on a strictly lower "
            "loss); return (epoch, best_epoch) as soon as the counter reaches patience, and "
            "(len(val_loss), best_epoch) if it never does.")
    for what, val_loss, patience in _stop_cases():
        expected = _reference_stop(val_loss, patience)
        got, problem = call(name, early_stopping_epochs, list(val_loss), patience, hint=hint)
        if problem is not None:
            return in_case(problem, what)
        count = wrong_count(name, got, 2, "the pair (stop_epoch, best_epoch)", hint)
        if count is not None:
            return in_case(count, what)
        try:
            got = tuple(int(v) for v in got)
        except (TypeError, ValueError):
            return failed(name, f"for {what} expected two whole numbers, got {got!r}.", hint)
        if got == expected:
            continue
        ties = _reference_stop([v - 1e-12 * i for i, v in enumerate(val_loss)], patience)
        if got == ties and ties != expected:
            return failed(name, f"for {what} expected {expected}, got {got}: you counted an "
                          "equal loss as an improvement.", "improve only on a strictly lower "
                          "loss (value < best), as nn.training.fit does.")
        stop, best = expected
        all_best = int(np.argmin(val_loss)) + 1
        known = [
            ((stop - 1, best - 1), "these are 0-based positions; epochs count from 1",
             "add 1: the first epoch is epoch 1."),
            ((stop, all_best) if all_best != best else None,
             f"epoch {all_best} has the lowest loss of the whole list, but training stopped "
             f"at epoch {stop} and never saw it",
             "only look at the losses up to the stop epoch."),
            (_reference_stop(val_loss, patience + 1),
             "that is the answer for patience + 1: you wait one epoch too long",
             "stop as soon as the count of epochs without improvement reaches patience."),
            (_reference_stop(val_loss, patience - 1) if patience > 1 else None,
             "that is the answer for patience - 1: you stop one epoch too early",
             "stop when the count of epochs without improvement reaches patience, not "
             "patience - 1."),
        ]
        for wrong, message, fix in known:
            if wrong is not None and got == wrong:
                return failed(name, f"for {what} expected {expected}, got {got}: {message}.", fix)
        return failed(name, f"for {what} expected (stop_epoch, best_epoch) = {expected}, got "
                      f"{got}.", hint)
    return passed(name, "the same stop and best epochs as nn.training.fit's rule on all 6 "
                  "cases, including ties and a loss that never improves.")


# --- 3. k-fold cross-validation --------------------------------------------------------------

def _ids(X_part):
    return X_part[:, 0].astype(int)


def _fold_cases():
    """(description, X, y, n_folds): rows of X carry their index, labels are sorted."""
    def data(m, flat=False):
        ids = np.arange(m, dtype=float)
        y = (ids >= m / 2).astype(float)
        return np.column_stack([ids, -ids]), (y if flat else y.reshape(-1, 1))

    return [
        ("m = 20 samples, n_folds = 5", *data(20), 5),
        ("m = 23 samples, n_folds = 4 (23 is not a multiple of 4)", *data(23), 4),
        ("m = 10 samples with 1-D labels y of shape (10,), n_folds = 3", *data(10, flat=True), 3),
    ]


class _Spy:
    """A fit_and_score that records what it was given and returns a score per call."""

    def __init__(self):
        self.calls = []

    def __call__(self, *args):
        self.calls.append(args)
        return 0.5 + len(self.calls) / 100  # a different score for every call


def _run_folds(k_fold_scores, name, X, y, n_folds, seed, hint):
    spy = _Spy()
    got, problem = call(name, k_fold_scores, X.copy(), y.copy(), n_folds, spy, seed=seed,
                        hint=hint)
    return spy, got, problem


def _collected_folds(name, what, spy, X, y, hint):
    """The (training ids, validation ids) of every call of the spy, or a failed Feedback."""
    m = X.shape[0]
    folds, trains = [], []
    for i, args in enumerate(spy.calls, 1):
        if len(args) != 4:
            return failed(name, f"for {what} fit_and_score got {len(args)} arguments in "
                          f"fold {i}; expected (X_train, y_train, X_val, y_val).", hint)
        arrays = [as_array(a) for a in args]
        if any(a is None for a in arrays):
            return failed(name, f"for {what} fit_and_score got an argument that is not an "
                          "array.", hint)
        X_tr, y_tr, X_va, y_va = arrays
        for part, Xp, yp in (("training", X_tr, y_tr), ("validation", X_va, y_va)):
            if Xp.ndim != 2 or Xp.shape[1:] != X.shape[1:] or yp.shape[0] != Xp.shape[0] \
                    or yp.shape[1:] != y.shape[1:]:
                return failed(name, f"for {what} the {part} arrays of fold {i} have shapes "
                              f"X {Xp.shape} and y {yp.shape}; expected rows of X "
                              f"(k, {X.shape[1]}) and of y {('(k,)' if y.ndim == 1 else '(k, 1)')}.",
                              hint)
            ids = _ids(Xp)
            if not np.array_equal(Xp[:, 1], -Xp[:, 0]) or not np.all(np.isin(ids, np.arange(m))):
                return failed(name, f"for {what} the {part} set of fold {i} holds rows that "
                              "are not rows of X.", hint)
            if not np.array_equal(np.ravel(yp), np.ravel(y)[ids]):
                return failed(name, f"for {what} the {part} labels of fold {i} do not belong "
                              f"to the {part} rows of X: index X and y with the same index "
                              "array.", hint)
        train, val = _ids(X_tr), _ids(X_va)
        if len(val) > len(train):
            return failed(name, f"for {what} fold {i} trains on {len(train)} samples and "
                          f"validates on {len(val)}: the arguments are swapped. "
                          "fit_and_score takes (X_train, y_train, X_val, y_val), and the "
                          "training set is all the folds but one.", hint)
        folds.append(val)
        trains.append(train)
    return folds, trains


def _partition_problem(name, what, folds, trains, m, hint):
    """A failed Feedback if the validation folds are not a shuffled partition of the m
    samples into near-equal parts with the rest for training, else None."""
    n_folds = len(folds)
    all_val = np.concatenate(folds)
    counts = np.bincount(all_val, minlength=m)
    if counts.max() > 1:
        return failed(name, f"for {what} {int(np.sum(counts > 1))} sample(s) are in more "
                      "than one validation fold: the folds overlap. Each sample must be "
                      "validated exactly once.", hint)
    if counts.min() == 0:
        missing = int(np.sum(counts == 0))
        return failed(name, f"for {what} {missing} sample(s) are in no validation fold. "
                      + ("With folds of m // n_folds samples the remainder of the division "
                         "is dropped. " if missing == m % n_folds else ""),
                      "np.array_split(order, n_folds) cuts all m samples into folds whose "
                      "sizes differ by at most one.")
    for i, (train, val) in enumerate(zip(trains, folds), 1):
        both = np.intersect1d(train, val)
        if both.size:
            return failed(name, f"for {what} in fold {i}, {both.size} validation sample(s) "
                          "are also in the training set: the model is scored on data it "
                          "was fitted on, which makes the score optimistic.",
                          "train on the other folds only: np.concatenate(folds[:i] + "
                          "folds[i + 1:]).")
    for i, (train, val) in enumerate(zip(trains, folds), 1):
        if len(train) + len(val) != m:
            return failed(name, f"for {what} fold {i} trains on {len(train)} samples, not "
                          f"on all {m - len(val)} samples outside its validation fold.",
                          "the training set is all the other folds together: "
                          "np.concatenate(folds[:i] + folds[i + 1:]).")
    sizes = [len(f) for f in folds]
    if max(sizes) - min(sizes) > 1:
        return failed(name, f"for {what} the fold sizes are {tuple(sizes)}; they must "
                      "differ by at most one (the remainder of m / n_folds spread over "
                      "the folds, not put into one fold).",
                      "use np.array_split(order, n_folds), which does exactly that.")
    if all(np.array_equal(np.sort(f), np.arange(f.min(), f.min() + len(f))) for f in folds):
        return failed(name, f"for {what} every fold is a block of consecutive samples in the "
                      "original order: the data were not shuffled. With data sorted by "
                      "label, whole classes would fall into one fold.",
                      "shuffle first: order = np.random.default_rng(seed).permutation(m).")
    return None


def check_k_fold_scores(k_fold_scores):
    """Check ``k_fold_scores(X, y, n_folds, fit_and_score, seed)`` -> list of ``n_folds`` scores.

    The function must shuffle the ``m`` samples with ``np.random.default_rng(seed)``, cut them
    into ``n_folds`` folds whose sizes differ by at most one, and for each fold in turn call
    ``fit_and_score(X_train, y_train, X_val, y_val)`` with that fold as the validation set and
    all the other folds as the training set; it returns the ``n_folds`` scores in fold order.
    The check passes a ``fit_and_score`` that records its arguments, so it sees every fold.
    """
    name = "k_fold_scores(X, y, n_folds, fit_and_score, seed)"
    hint = ("order = np.random.default_rng(seed).permutation(m); folds = "
            "np.array_split(order, n_folds); for each i, val = folds[i] and train = "
            "np.concatenate of the other folds; append fit_and_score(X[train], y[train], "
            "X[val], y[val]) to a list and return the list.")
    for what, X, y, n_folds in _fold_cases():
        m = X.shape[0]
        spy, got, problem = _run_folds(k_fold_scores, name, X, y, n_folds, 0, hint)
        if problem is not None:
            return in_case(problem, what)
        if len(spy.calls) != n_folds:
            return failed(name, f"for {what} fit_and_score was called {len(spy.calls)} "
                          f"time(s); expected once per fold, {n_folds} times.", hint)
        if not isinstance(got, (list, tuple, np.ndarray)) or np.ndim(got) != 1:
            extra = (" It looks like the mean of the scores: return the list and let the "
                     "caller average it." if np.ndim(got) == 0 else "")
            return failed(name, f"for {what} expected a list of {n_folds} scores, got "
                          f"{type(got).__name__}.{extra}", hint)
        collected = _collected_folds(name, what, spy, X, y, hint)
        if isinstance(collected, Feedback):
            return collected
        folds, trains = collected
        problem = _partition_problem(name, what, folds, trains, m, hint)
        if problem is not None:
            return problem
        scores = np.asarray(got, dtype=float) if as_array(got) is not None else None
        expected = [0.5 + k / 100 for k in range(1, n_folds + 1)]
        if scores is None or scores.shape != (n_folds,) or not np.allclose(scores, expected):
            return failed(name, f"for {what} the returned scores are not the {n_folds} values "
                          "fit_and_score returned, in fold order.", "append each score to a "
                          "list as it is computed and return that list.")
        again, _, problem = _run_folds(k_fold_scores, name, X, y, n_folds, 0, hint)
        other, _, problem2 = _run_folds(k_fold_scores, name, X, y, n_folds, 1, hint)
        if problem is not None or problem2 is not None:
            return in_case(problem or problem2, what + " (called again)")
        first = [_ids(as_array(c[2])) for c in again.calls]
        if len(first) != len(folds) or any(not np.array_equal(a, b) for a, b in zip(first, folds)):
            return failed(name, f"for {what} two calls with seed=0 gave different folds.",
                          "make the shuffle depend only on seed: "
                          "np.random.default_rng(seed).permutation(m).")
        second = [_ids(as_array(c[2])) for c in other.calls]
        if len(second) == len(folds) and all(np.array_equal(a, b) for a, b in zip(second, folds)):
            return failed(name, f"for {what} seed=0 and seed=1 gave the same folds: the seed is "
                          "ignored.", "pass seed to np.random.default_rng(seed).")
    return passed(name, "every sample validated exactly once, trained on all other folds, fold "
                  "sizes within one of each other, shuffled and reproducible with the seed, "
                  "scores returned in fold order, on all 3 cases.")

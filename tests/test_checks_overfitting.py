"""The checks of chapter 8 (nnlib.checks.overfitting): right answers pass, typical wrong
answers fail with a message that says what is wrong, stubs are "not solved yet", and a student
function that raises is reported, not raised."""

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, crashes, stub


# --- check_mape ------------------------------------------------------------------------------

def mape(y_hat, y):
    y_hat, y = np.ravel(y_hat), np.ravel(y)
    return 100 * np.mean(np.abs(y_hat - y) / np.abs(y))


def test_mape_passes_the_reference_and_nnlib():
    assert nn.checks.check_mape(mape).passed
    feedback = nn.checks.check_mape(
        lambda y_hat, y: nn.losses.get("mape").forward(np.reshape(y_hat, (-1, 1)),
                                                       np.reshape(y, (-1, 1))))
    assert feedback.passed, str(feedback)
    assert str(feedback).startswith("[correct]")


@pytest.mark.parametrize("wrong, fragments", [
    (lambda y_hat, y: mape(y_hat, y) / 100, ["fraction, not in percent", "expected 37.5"]),
    (lambda y_hat, y: mape(y_hat, y) * np.size(y), ["sum over the samples"]),
    (lambda y_hat, y: 100 * np.mean(np.abs(np.ravel(y_hat) - np.ravel(y)) / np.abs(np.ravel(y_hat))),
     ["divided by the prediction"]),
    (lambda y_hat, y: 100 * np.mean(np.abs(np.ravel(y_hat) - np.ravel(y)) / np.ravel(y)),
     ["negative targets", "lost its absolute value"]),
    (lambda y_hat, y: 100 * np.mean(np.abs(y_hat - y) / np.abs(y)),
     ["shape (3, 1) and y of shape (3,)", "(m, m) matrix"]),
    (lambda y_hat, y: 100 * np.abs(y_hat - y) / np.abs(y), ["expected one number", "shape (2, 1)"]),
    (lambda y_hat, y: "37.5%", ["not a number"]),
    (lambda y_hat, y: 1.0, ["expected 37.5, got 1"]),
])
def test_mape_explains_typical_mistakes(wrong, fragments):
    assert_failed(nn.checks.check_mape(wrong), *fragments)


def test_mape_stub_and_crash():
    assert_not_solved(nn.checks.check_mape(stub))
    assert_failed(nn.checks.check_mape(crashes), "raised KeyError")
    assert_failed(nn.checks.check_mape(None), "expected a function")


# --- check_early_stopping --------------------------------------------------------------------

def early_stopping_epochs(val_loss, patience):
    best, best_epoch, waited = float("inf"), None, 0
    for epoch, value in enumerate(val_loss, start=1):
        if value < best:
            best, best_epoch, waited = value, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return epoch, best_epoch
    return len(val_loss), best_epoch


def test_early_stopping_passes_the_reference():
    feedback = nn.checks.check_early_stopping(early_stopping_epochs)
    assert feedback.passed, str(feedback)


def test_the_reference_rule_is_nnlib_fit():
    # nn.training.fit with early_stopping=patience stops and restores where the rule says
    X, y = nn.datasets.regression_curve("sin", n=15, noise=0.3, seed=0)
    Xv, yv = nn.datasets.regression_curve("sin", n=50, noise=0.3, seed=1)
    model = nn.MLP([1, 32, 32, 1], activation="tanh", seed=0)
    full = model.fit(X, y, optimizer=nn.optimizers.Adam(lr=0.02), num_epochs=300,
                     validation_data=(Xv, yv))
    model = nn.MLP([1, 32, 32, 1], activation="tanh", seed=0)
    stopped = model.fit(X, y, optimizer=nn.optimizers.Adam(lr=0.02), num_epochs=300,
                        validation_data=(Xv, yv), early_stopping=10)
    assert stopped.stopped_early
    assert early_stopping_epochs(full.val_loss, 10) == (stopped.epochs, stopped.best_epoch)


def _zero_based(val_loss, patience):
    stop, best = early_stopping_epochs(val_loss, patience)
    return stop - 1, best - 1


def _global_best(val_loss, patience):
    stop, _ = early_stopping_epochs(val_loss, patience)
    return stop, int(np.argmin(val_loss)) + 1


def _one_late(val_loss, patience):
    return early_stopping_epochs(val_loss, patience + 1)


def _ties_improve(val_loss, patience):
    best, best_epoch, waited = float("inf"), None, 0
    for epoch, value in enumerate(val_loss, start=1):
        if value <= best:
            best, best_epoch, waited = value, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return epoch, best_epoch
    return len(val_loss), best_epoch


@pytest.mark.parametrize("wrong, fragments", [
    (_zero_based, ["0-based", "expected (6, 3), got (5, 2)"]),
    (_global_best, ["lowest loss of the whole list", "never saw it"]),
    (_one_late, ["patience + 1", "one epoch too long"]),
    (lambda v, p: early_stopping_epochs(v, p - 1), ["patience - 1", "too early"]),
    (_ties_improve, ["equal loss as an improvement", "a tie"]),
    (lambda val_loss, patience: len(val_loss), ["pair (stop_epoch, best_epoch)", "int"]),
    (lambda val_loss, patience: ("six", "three"), ["two whole numbers"]),
    (lambda val_loss, patience: (len(val_loss), 1), ["expected (stop_epoch, best_epoch) = (6, 3)"]),
])
def test_early_stopping_explains_typical_mistakes(wrong, fragments):
    assert_failed(nn.checks.check_early_stopping(wrong), *fragments)


def test_early_stopping_stub_and_crash():
    assert_not_solved(nn.checks.check_early_stopping(stub))
    assert_failed(nn.checks.check_early_stopping(crashes), "raised KeyError")


# --- check_k_fold_scores ---------------------------------------------------------------------

def k_fold_scores(X, y, n_folds, fit_and_score, seed=0):
    order = np.random.default_rng(seed).permutation(len(X))
    folds = np.array_split(order, n_folds)
    scores = []
    for i, val in enumerate(folds):
        train = np.concatenate(folds[:i] + folds[i + 1:])
        scores.append(fit_and_score(X[train], y[train], X[val], y[val]))
    return scores


def test_k_fold_passes_the_reference_and_a_variant():
    feedback = nn.checks.check_k_fold_scores(k_fold_scores)
    assert feedback.passed, str(feedback)
    assert str(feedback).startswith("[correct]")

    def with_masks(X, y, n_folds, fit_and_score, seed=0):  # another right answer
        m = len(X)
        fold_of = np.empty(m, dtype=int)
        fold_of[np.random.default_rng(seed).permutation(m)] = np.arange(m) % n_folds
        return np.array([fit_and_score(X[fold_of != k], y[fold_of != k], X[fold_of == k],
                                       y[fold_of == k]) for k in range(n_folds)])

    assert nn.checks.check_k_fold_scores(with_masks).passed


def test_k_fold_scores_on_a_real_model():
    """The reference with a real fit_and_score: five folds of the sine, five scores."""
    X, y = nn.datasets.regression_curve("sin", n=30, noise=0.1, seed=0)

    def fit_and_score(X_tr, y_tr, X_va, y_va):
        net = nn.MLP([1, 8, 1], activation="tanh", seed=0)
        net.fit(X_tr, y_tr, optimizer=nn.optimizers.Adam(lr=0.05), num_epochs=50)
        return net.loss(X_va, y_va)

    scores = k_fold_scores(X, y, 5, fit_and_score)
    assert len(scores) == 5 and all(s > 0 for s in scores)


def _folds(m, n_folds, seed=0, shuffle=True):
    order = np.random.default_rng(seed).permutation(m) if shuffle else np.arange(m)
    return order, np.array_split(order, n_folds)


def _with_folds(make_folds, train_of=None):
    """A k_fold_scores built from a (possibly wrong) way of making the folds."""
    def k_fold(X, y, n_folds, fit_and_score, seed=0):
        order, folds = make_folds(len(X), n_folds, seed)
        scores = []
        for i, val in enumerate(folds):
            train = (np.concatenate(folds[:i] + folds[i + 1:]) if train_of is None
                     else train_of(order, folds, i))
            scores.append(fit_and_score(X[train], y[train], X[val], y[val]))
        return scores
    return k_fold


def _drop_remainder(m, k, seed):
    order = np.random.default_rng(seed).permutation(m)
    size = m // k
    return order, [order[i * size:(i + 1) * size] for i in range(k)]


def _remainder_in_last(m, k, seed):
    order = np.random.default_rng(seed).permutation(m)
    size = m // k
    return order, [order[i * size:(i + 1) * size] for i in range(k - 1)] + [order[(k - 1) * size:]]


def _overlapping(m, k, seed):
    order = np.random.default_rng(seed).permutation(m)
    size = -(-m // k)
    return order, [order[i * (size - 1):i * (size - 1) + size] for i in range(k)]


def _unshuffled(m, k, seed):
    return _folds(m, k, shuffle=False)


def _unseeded(m, k, seed, _calls=[0]):
    _calls[0] += 1
    return _folds(m, k, seed=500 + _calls[0])


def _labels_unshuffled(X, y, n_folds, fit_and_score, seed=0):
    order, folds = _folds(len(X), n_folds, seed)
    scores = []
    for i, val in enumerate(folds):
        train = np.concatenate(folds[:i] + folds[i + 1:])
        scores.append(fit_and_score(X[train], y[:len(train)], X[val], y[len(train):]))
    return scores


@pytest.mark.parametrize("wrong, fragments", [
    (_with_folds(_drop_remainder), ["m = 23", "3 sample(s) are in no validation fold",
                                    "remainder", "np.array_split"]),
    (_with_folds(_remainder_in_last), ["fold sizes are (5, 5, 5, 8)", "differ by at most one"]),
    (_with_folds(_overlapping), ["more than one validation fold", "overlap"]),
    (_with_folds(lambda m, k, seed: _folds(m, k, seed), train_of=lambda order, folds, i: order),
     ["also in the training set", "fitted on"]),
    (_with_folds(lambda m, k, seed: _folds(m, k, seed),
                 train_of=lambda order, folds, i: folds[(i + 1) % len(folds)]),
     ["not on all", "other folds"]),
    (_with_folds(_unshuffled), ["not shuffled", "consecutive"]),
    (_with_folds(lambda m, k, seed: _folds(m, k, 0) if seed in (0, 1) else None),
     ["seed=0 and seed=1 gave the same folds"]),
    (_with_folds(_unseeded), ["two calls with seed=0 gave different folds"]),
    (_labels_unshuffled, ["labels of fold 1 do not belong", "same index"]),
    (lambda X, y, k, f, seed=0: float(np.mean(k_fold_scores(X, y, k, f, seed))),
     ["expected a list of 5 scores", "mean of the scores"]),
    (lambda X, y, k, f, seed=0: k_fold_scores(X, y, k, lambda a, b, c, d: f(c, d, a, b), seed),
     ["arguments are swapped"]),
    (lambda X, y, k, f, seed=0: k_fold_scores(X, y, k, f, seed)[::-1], ["in fold order"]),
    (lambda X, y, k, f, seed=0: k_fold_scores(X, y, k - 1, f, seed),
     ["called 4 time(s)", "once per fold, 5 times"]),
    (lambda X, y, k, f, seed=0: k_fold_scores(X, y, k, lambda a, b, c, d: f(a, b, c), seed),
     ["got 3 arguments in fold 1"]),
    (lambda X, y, k, f, seed=0: k_fold_scores(X, y, k, lambda a, b, c, d: f(a.T, b, c, d), seed),
     ["training arrays of fold 1 have shapes"]),
])
def test_k_fold_explains_typical_mistakes(wrong, fragments):
    assert_failed(nn.checks.check_k_fold_scores(wrong), *fragments)


def test_k_fold_stub_and_crash():
    assert_not_solved(nn.checks.check_k_fold_scores(stub))
    assert_failed(nn.checks.check_k_fold_scores(crashes), "raised KeyError", "m = 20")


@pytest.mark.parametrize("wrong, fragments", [
    (lambda X, y, k, f, seed=0: k_fold_scores(X, y, k, lambda a, b, c, d: f(a, b, c, "y"), seed),
     ["not an array"]),
    (lambda X, y, k, f, seed=0: k_fold_scores(X + 1, y, k, f, seed), ["not rows of X"]),
    (lambda X, y, k, f, seed=0: k_fold_scores(X, y, k, lambda a, b, c, d: f(a, b, c, d[::-1]),
                                              seed), ["validation labels of fold 1"]),
])
def test_k_fold_rejects_arguments_that_are_not_the_data(wrong, fragments):
    assert_failed(nn.checks.check_k_fold_scores(wrong), *fragments)


def test_k_fold_reports_a_crash_on_the_second_call():
    calls = []

    def flaky(X, y, n_folds, fit_and_score, seed=0):
        calls.append(seed)
        if len(calls) > 1:
            raise RuntimeError("only once")
        return k_fold_scores(X, y, n_folds, fit_and_score, seed)

    assert_failed(nn.checks.check_k_fold_scores(flaky), "called again", "only once")

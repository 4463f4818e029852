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


# --- check_train_val_test_split --------------------------------------------------------------

def train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0):
    m = len(X)
    order = np.random.default_rng(seed).permutation(m)
    n_test, n_val = round(test_size * m), round(val_size * m)
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return X[train], X[val], X[test], y[train], y[val], y[test]


def test_split_passes_the_reference():
    feedback = nn.checks.check_train_val_test_split(train_val_test_split)
    assert feedback.passed, str(feedback)


def test_split_passes_a_version_built_on_nnlib():
    def split(X, y, val_size=0.2, test_size=0.2, seed=0):
        m = len(X)
        order = np.random.default_rng(seed).permutation(m)
        n_val, n_test = round(val_size * m), round(test_size * m)
        val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
        return X[train], X[val], X[test], y[train], y[val], y[test]

    assert nn.checks.check_train_val_test_split(split).passed


def _no_shuffle(X, y, val_size=0.2, test_size=0.2, seed=0):
    m = len(X)
    n_test, n_val = round(test_size * m), round(val_size * m)
    n_train = m - n_test - n_val
    return (X[:n_train], X[n_train:n_train + n_val], X[n_train + n_val:],
            y[:n_train], y[n_train:n_train + n_val], y[n_train + n_val:])


def _separate_shuffles(X, y, val_size=0.2, test_size=0.2, seed=0):
    rng = np.random.default_rng(seed)
    return _no_shuffle(X[rng.permutation(len(X))], y[rng.permutation(len(y))], val_size,
                       test_size)


def _two_step(X, y, val_size=0.2, test_size=0.2, seed=0):
    X_rest, X_test, y_rest, y_test = nn.datasets.train_test_split(X, y, test_size, seed=seed)
    X_tr, X_val, y_tr, y_val = nn.datasets.train_test_split(X_rest, y_rest, val_size, seed=seed)
    return X_tr, X_val, X_test, y_tr, y_val, y_test


def _overlap(X, y, val_size=0.2, test_size=0.2, seed=0):
    m = len(X)
    order = np.random.default_rng(seed).permutation(m)
    n_test, n_val = round(test_size * m), round(val_size * m)
    test, val, train = order[:n_test], order[:n_val], order[n_test + n_val:]
    train = np.concatenate([train, order[n_val:n_test + n_val]])[: m - n_test - n_val]
    return X[train], X[val], X[test], y[train], y[val], y[test]


def _ignores_seed(X, y, val_size=0.2, test_size=0.2, seed=0):
    return train_val_test_split(X, y, val_size, test_size, seed=42)


def _unseeded(X, y, val_size=0.2, test_size=0.2, seed=0, _calls=[0]):
    _calls[0] += 1
    return train_val_test_split(X, y, val_size, test_size, seed=1000 + _calls[0])


@pytest.mark.parametrize("wrong, fragments", [
    (_no_shuffle, ["not shuffled", "consecutive rows"]),
    (_separate_shuffles, ["labels do not belong", "same permutation"]),
    (_two_step, ["sizes (60, 20, 20), got (64, 16, 20)", "left after the test set"]),
    (_overlap, ["in two parts", "not overlap"]),
    (_ignores_seed, ["seed=0 and seed=1 gave the same split"]),
    (_unseeded, ["two calls with seed=0 gave different test sets"]),
    (lambda X, y, v, t, seed=0: train_val_test_split(X, y, v, t, seed)[:4],
     ["six arrays", "of length 4"]),
    (lambda X, y, v, t, seed=0: (X, X, X, y, y, y), ["sizes"]),
    (lambda X, y, v, t, seed=0: tuple(a.T for a in train_val_test_split(X, y, v, t, seed)),
     ["X_train has shape (2, 60)"]),
])
def test_split_explains_typical_mistakes(wrong, fragments):
    assert_failed(nn.checks.check_train_val_test_split(wrong), *fragments)


def test_split_stub_and_crash():
    assert_not_solved(nn.checks.check_train_val_test_split(stub))
    assert_failed(nn.checks.check_train_val_test_split(crashes), "raised KeyError", "m = 100")


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

"""The training loop: batching, shuffling, validation, early stopping, L2, divergence."""

import math
import warnings

import numpy as np
import pytest

import nnlib as nn
from nnlib import optimizers
from nnlib.training import fit

pytestmark = pytest.mark.filterwarnings("error")


class BatchRecorder(optimizers.Optimizer):
    """An optimizer that does not move the parameters but records which samples each
    iteration used: the model's first layer caches its input, and X holds sample indices."""

    def __init__(self, model):
        super().__init__(lr=1.0)
        self.model = model
        self.batches = []

    def step(self, params, grads):
        self.batches.append(self.model.layers[0].X[:, 0].astype(int).tolist())
        super().step(params, grads)

    def _update(self, p, g, state):
        pass


def _index_data(m):
    X = np.arange(m, dtype=float).reshape(-1, 1)
    return X, np.zeros((m, 1))


def _record(m, **kwargs):
    X, y = _index_data(m)
    model = nn.MLP([1, 1], seed=0)
    rec = BatchRecorder(model)
    history = model.fit(X, y, optimizer=rec, **kwargs)
    return rec.batches, history


def _regression(n=40, seed=0):
    return nn.datasets.regression_curve("sin", n=n, noise=0.05, seed=seed)


# Batching -------------------------------------------------------------------------------
@pytest.mark.parametrize("batch_size, iterations", [
    (None, 1), (1, 10), (3, 4), (4, 3), (5, 2), (9, 2), (10, 1), (25, 1),
])
def test_iterations_per_epoch(batch_size, iterations):
    X, y = _regression(n=10)
    model = nn.MLP([1, 3, 1], activation="tanh", seed=0)
    history = model.fit(X, y, optimizer=optimizers.SGD(lr=0.01), num_epochs=3,
                        batch_size=batch_size)
    assert history.iterations_per_epoch == iterations == math.ceil(10 / min(batch_size or 10, 10))
    assert len(history.batch_loss) == 3 * iterations
    assert len(history.loss) == history.epochs == 3
    assert history.val_loss == []
    assert not history.diverged and not history.stopped_early
    assert history.message == "trained 3 epochs"


def test_each_epoch_visits_every_sample_once_in_batches_of_batch_size():
    batches, history = _record(10, num_epochs=4, batch_size=3, seed=1)
    assert len(batches) == 4 * history.iterations_per_epoch == 16
    epochs = [batches[i:i + 4] for i in range(0, 16, 4)]
    for epoch in epochs:
        assert [len(b) for b in epoch] == [3, 3, 3, 1]
        assert sorted(sum(epoch, [])) == list(range(10))
    orders = [sum(epoch, []) for epoch in epochs]
    assert any(order != list(range(10)) for order in orders)  # actually shuffled
    assert len({tuple(o) for o in orders}) > 1  # a new order every epoch


def test_shuffle_false_visits_samples_in_order():
    batches, _ = _record(10, num_epochs=2, batch_size=4, shuffle=False)
    in_order = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches == in_order + in_order


@pytest.mark.parametrize("batch_size", [None, 10, 50])
def test_full_batch_uses_all_samples(batch_size):
    batches, _ = _record(10, num_epochs=2, batch_size=batch_size, shuffle=False)
    assert batches == [list(range(10))] * 2


def test_stochastic_batches_are_single_samples():
    batches, _ = _record(6, num_epochs=1, batch_size=1)
    assert all(len(b) == 1 for b in batches)
    assert sorted(b[0] for b in batches) == list(range(6))


def test_shuffle_seed_determines_order():
    a, _ = _record(12, num_epochs=2, batch_size=4, seed=3)
    b, _ = _record(12, num_epochs=2, batch_size=4, seed=3)
    c, _ = _record(12, num_epochs=2, batch_size=4, seed=4)
    assert a == b
    assert a != c


def test_unshuffled_fit_equals_hand_written_loop():
    """fit(shuffle=False) = for each batch in order: loss_and_grads, then an optimizer step."""
    X, y = _regression(n=10)
    model = nn.MLP([1, 4, 1], activation="tanh", seed=2)
    ref = nn.MLP([1, 4, 1], activation="tanh", seed=2)
    history = model.fit(X, y, loss="mse", optimizer=optimizers.Momentum(lr=0.1), num_epochs=3,
                        batch_size=4, shuffle=False, l2=0.01)
    opt, batch_loss, epoch_loss = optimizers.Momentum(lr=0.1), [], []
    for _ in range(3):
        total = 0.0
        for start in (0, 4, 8):
            Xb, yb = X[start:start + 4], y[start:start + 4]
            value = ref.loss_and_grads(Xb, yb, "mse", l2=0.01) - ref._penalty(0.01)
            batch_loss.append(value)
            total += value * len(Xb)
            opt.step(ref.params, ref.grads)
        epoch_loss.append(total / 10)
    np.testing.assert_allclose(history.batch_loss, batch_loss, rtol=1e-12)
    np.testing.assert_allclose(history.loss, epoch_loss, rtol=1e-12)
    for p, q in zip(model.params, ref.params):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-15)


def test_shuffled_and_unshuffled_training_differ():
    X, y = _regression(n=20)
    kwargs = dict(optimizer="sgd", num_epochs=2, batch_size=5)
    a = nn.MLP([1, 4, 1], activation="tanh", seed=0)
    b = nn.MLP([1, 4, 1], activation="tanh", seed=0)
    ha = a.fit(X, y, shuffle=False, **kwargs)
    hb = b.fit(X, y, shuffle=True, **kwargs)
    assert ha.batch_loss != hb.batch_loss
    assert not np.array_equal(a.params[0], b.params[0])


def test_epoch_loss_is_sample_weighted_mean_of_batch_losses():
    X, y = _regression(n=10)
    history = nn.MLP([1, 3, 1], seed=0).fit(X, y, optimizer="sgd", num_epochs=2, batch_size=4)
    for e in range(2):
        bl = history.batch_loss[3 * e:3 * e + 3]
        assert history.loss[e] == pytest.approx((4 * bl[0] + 4 * bl[1] + 2 * bl[2]) / 10,
                                                rel=1e-12)


# Learning -------------------------------------------------------------------------------
def test_loss_decreases_on_regression():
    X, y = nn.datasets.regression_curve("square", n=64, noise=0.0, seed=0)
    model = nn.MLP([1, 8, 1], activation="tanh", seed=0)
    history = model.fit(X, y, optimizer=optimizers.Adam(lr=0.02), num_epochs=150, batch_size=16)
    assert history.loss[-1] < 0.1 * history.loss[0]
    assert model.loss(X, y) < 0.01
    assert not history.diverged


def test_module_function_and_method_agree():
    X, y = _regression(n=16)
    a = nn.MLP([1, 4, 1], activation="tanh", seed=0)
    b = nn.MLP([1, 4, 1], activation="tanh", seed=0)
    ha = a.fit(X, y, optimizer="adam", num_epochs=5, batch_size=4, seed=7)
    hb = fit(b, X, y, optimizer="adam", num_epochs=5, batch_size=4, seed=7)
    assert ha.batch_loss == hb.batch_loss
    for p, q in zip(a.params, b.params):
        np.testing.assert_array_equal(p, q)


def test_xor_reaches_full_accuracy_with_adam():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 4, 1], activation="tanh", output="sigmoid", seed=0)
    history = model.fit(X, y, loss="bce", optimizer=optimizers.Adam(lr=0.05), num_epochs=500)
    assert nn.metrics.accuracy(y, model.predict(X)) == 1.0
    assert model.predict(X).ravel().tolist() == [0, 1, 1, 0]
    assert history.loss[-1] < 0.1


def _blobs(n=30, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    labels = np.repeat(np.arange(3), n)
    return centres[labels] + rng.normal(0.0, 0.5, size=(3 * n, 2)), labels


def test_softmax_with_integer_labels():
    X, labels = _blobs()
    model = nn.MLP([2, 8, 3], activation="tanh", output="softmax", seed=0)
    history = model.fit(X, labels, loss="cross_entropy", optimizer=optimizers.Adam(lr=0.05),
                        num_epochs=60, batch_size=16)
    pred = model.predict(X)
    assert pred.shape == labels.shape and pred.dtype.kind == "i"
    assert nn.metrics.accuracy(labels, pred) > 0.95
    assert history.loss[-1] < 0.5 * history.loss[0]
    # Integer labels are exactly the same training signal as one-hot rows.
    twin = nn.MLP([2, 8, 3], activation="tanh", output="softmax", seed=0)
    twin_history = twin.fit(X, nn.datasets.one_hot(labels), loss="cross_entropy",
                            optimizer=optimizers.Adam(lr=0.05), num_epochs=60, batch_size=16)
    assert twin_history.loss == history.loss


# Validation and early stopping --------------------------------------------------------------
def test_validation_data_fills_val_loss_per_epoch():
    X, y = _regression(n=30, seed=0)
    X_val, y_val = _regression(n=10, seed=1)
    model = nn.MLP([1, 4, 1], activation="tanh", seed=0)
    history = model.fit(X, y, optimizer="adam", num_epochs=7, batch_size=8,
                        validation_data=(X_val, y_val))
    assert len(history.val_loss) == 7
    assert all(np.isfinite(history.val_loss))
    # The last entry is the validation loss of the final parameters.
    assert history.val_loss[-1] == pytest.approx(model.loss(X_val, y_val), rel=1e-12)
    # A list pair works as well as a tuple.
    history2 = nn.MLP([1, 4, 1], activation="tanh", seed=0).fit(
        X, y, optimizer="adam", num_epochs=7, batch_size=8, validation_data=[X_val, y_val])
    assert history2.val_loss == history.val_loss


def _overshoot_problem():
    """A linear model trained on y = x, validated on y = x/2: the weight grows from 0 to 1,
    so the validation loss falls until the weight passes 1/2 and then rises."""
    X = np.linspace(-1.0, 1.0, 21).reshape(-1, 1)
    model = nn.MLP([1, 1], output="identity", init="zeros", seed=0)
    return model, X, X.copy(), (X, 0.5 * X)


def test_early_stopping_stops_and_restores_best_parameters():
    model, X, y, val = _overshoot_problem()
    history = model.fit(X, y, optimizer=optimizers.SGD(lr=0.1), num_epochs=500,
                        validation_data=val, early_stopping=3)
    assert history.stopped_early
    assert history.epochs < 500
    best = int(np.argmin(history.val_loss))
    assert history.best_epoch == best + 1
    assert history.epochs == history.best_epoch + 3
    assert history.val_loss[-1] > history.val_loss[best]
    # The model holds the best epoch's parameters, not the last ones.
    assert model.loss(*val) == pytest.approx(min(history.val_loss), rel=1e-12)
    assert abs(model.params[0][0, 0] - 0.5) < 0.1
    assert "stopped early" in history.message and f"epoch {history.best_epoch}" in history.message


def test_best_parameters_restored_when_patience_not_reached():
    model, X, y, val = _overshoot_problem()
    history = model.fit(X, y, optimizer=optimizers.SGD(lr=0.1), num_epochs=60,
                        validation_data=val, early_stopping=1000)
    assert not history.stopped_early and history.epochs == 60
    assert history.best_epoch < 60
    assert model.loss(*val) == pytest.approx(min(history.val_loss), rel=1e-12)


def test_early_stopping_without_validation_monitors_training_loss():
    X, y = _regression(n=20)
    model = nn.MLP([1, 4, 1], activation="tanh", seed=0)
    twin = nn.MLP([1, 4, 1], activation="tanh", seed=0)
    # min_delta so large that no epoch after the first counts as an improvement.
    history = model.fit(X, y, optimizer="sgd", num_epochs=50, shuffle=False,
                        early_stopping=2, min_delta=1e9)
    assert history.stopped_early and history.best_epoch == 1 and history.epochs == 3
    twin.fit(X, y, optimizer="sgd", num_epochs=1, shuffle=False)
    for p, q in zip(model.params, twin.params):
        np.testing.assert_array_equal(p, q)


def test_no_early_stopping_when_loss_keeps_improving():
    X, y = _regression(n=20)
    history = nn.MLP([1, 4, 1], activation="tanh", seed=0).fit(
        X, y, optimizer=optimizers.Adam(lr=0.01), num_epochs=20, early_stopping=5)
    assert not history.stopped_early
    assert history.epochs == 20 and history.best_epoch == 20


# L2 -------------------------------------------------------------------------------------
def _weight_norm(model):
    return sum(float(np.sum(layer.W ** 2)) for layer in model.layers)


def test_l2_shrinks_weights():
    X, y = _regression(n=40)
    plain = nn.MLP([1, 16, 1], activation="tanh", seed=0)
    decayed = nn.MLP([1, 16, 1], activation="tanh", seed=0)
    kwargs = dict(optimizer=optimizers.Adam(lr=0.01), num_epochs=100, batch_size=10)
    plain.fit(X, y, **kwargs)
    kwargs["optimizer"] = optimizers.Adam(lr=0.01)
    decayed.fit(X, y, l2=0.1, **kwargs)
    assert _weight_norm(decayed) < 0.7 * _weight_norm(plain)


def test_l2_gradient_is_lambda_times_weights_and_loss_excludes_penalty():
    X, y = _regression(n=12)
    a = nn.MLP([1, 3, 1], activation="tanh", seed=5)
    b = nn.MLP([1, 3, 1], activation="tanh", seed=5)
    W0 = [layer.W.copy() for layer in a.layers]
    lr, lam = 0.1, 0.3
    ha = a.fit(X, y, optimizer=optimizers.SGD(lr=lr), num_epochs=1)
    hb = b.fit(X, y, optimizer=optimizers.SGD(lr=lr), num_epochs=1, l2=lam)
    assert ha.loss == hb.loss  # the recorded loss is the data loss
    for la, lb, w0 in zip(a.layers, b.layers, W0):
        np.testing.assert_allclose(lb.W, la.W - lr * lam * w0, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(lb.b, la.b)  # biases are not penalised


# Divergence -----------------------------------------------------------------------------
@pytest.mark.parametrize("batch_size", [None, 10])
def test_huge_learning_rate_diverges_gracefully(batch_size):
    X, y = _regression(n=50)
    model = nn.MLP([1, 8, 1], activation="tanh", seed=0)
    with pytest.warns(nn.DivergenceWarning, match="diverged") as record:
        history = model.fit(X, y, optimizer=optimizers.SGD(lr=1e6), num_epochs=200,
                            batch_size=batch_size)
    assert all(issubclass(w.category, nn.DivergenceWarning) for w in record)
    assert len(record) == 1
    assert history.diverged is True
    assert history.epochs < 200
    assert not math.isfinite(history.loss[-1])
    assert "diverged" in history.message and "learning rate" in history.message
    assert str(history.epochs) in history.message
    assert "diverged" in repr(history)


def test_divergence_keeps_the_last_finite_parameters():
    X, y = _regression(n=50)
    model = nn.MLP([1, 8, 1], activation="tanh", seed=0)
    with pytest.warns(nn.DivergenceWarning):
        history = model.fit(X, y, optimizer=optimizers.SGD(lr=1e6), num_epochs=200)
    assert all(np.isfinite(p).all() for p in model.params)
    assert np.isfinite(model.forward(X)).all()
    assert f"kept the parameters of epoch {history.epochs - 1}" in history.message


def test_divergence_with_validation_and_early_stopping():
    X, y = _regression(n=50)
    model = nn.MLP([1, 8, 1], activation="relu", seed=0)
    with pytest.warns(nn.DivergenceWarning):
        history = model.fit(X, y, optimizer=optimizers.SGD(lr=1e6), num_epochs=100,
                            batch_size=5, validation_data=(X, y), early_stopping=50)
    assert history.diverged is True and not history.stopped_early
    assert history.epochs < 100
    assert len(history.val_loss) == history.epochs - 1  # none for the diverged epoch
    assert "diverged" in history.message


def test_divergence_warning_is_a_runtime_warning():
    assert issubclass(nn.DivergenceWarning, RuntimeWarning)


def test_no_warning_without_divergence():
    X, y = _regression(n=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = nn.MLP([1, 4, 1], seed=0).fit(X, y, num_epochs=3)
    assert history.diverged is False


# Reproducibility ------------------------------------------------------------------------
def _train(seed, shuffle_seed):
    X, y = _regression(n=30)
    model = nn.MLP([1, 6, 1], activation="tanh", seed=seed)
    history = model.fit(X, y, optimizer=optimizers.Adam(lr=0.01), num_epochs=5, batch_size=7,
                        validation_data=(X[:5], y[:5]), seed=shuffle_seed)
    return model, history


def test_same_seeds_give_identical_runs():
    m1, h1 = _train(0, 0)
    m2, h2 = _train(0, 0)
    for p, q in zip(m1.params, m2.params):
        np.testing.assert_array_equal(p, q)
    assert h1.loss == h2.loss
    assert h1.val_loss == h2.val_loss
    assert h1.batch_loss == h2.batch_loss


def test_different_shuffle_seeds_give_different_batches():
    _, h1 = _train(0, 0)
    _, h2 = _train(0, 1)
    assert h1.batch_loss != h2.batch_loss


def test_fit_does_not_touch_global_random_state():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    _train(0, 0)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_verbose_prints_progress(capsys):
    X, y = _regression(n=10)
    nn.MLP([1, 2, 1], seed=0).fit(X, y, num_epochs=20, verbose=True,
                                  validation_data=(X, y))
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("epoch")]
    assert len(lines) == 11  # epoch 1 and every 2nd epoch
    assert "val_loss" in lines[0] and "loss" in lines[-1]


def test_quiet_by_default(capsys):
    X, y = _regression(n=10)
    nn.MLP([1, 2, 1], seed=0).fit(X, y, num_epochs=3)
    assert capsys.readouterr().out == ""


# Bad arguments --------------------------------------------------------------------------
X_OK, Y_OK = np.zeros((8, 2)), np.zeros((8, 1))


@pytest.mark.parametrize("kwargs, exc, pattern", [
    ({"num_epochs": 0}, ValueError, "num_epochs must be a positive integer"),
    ({"num_epochs": -3}, ValueError, "num_epochs"),
    ({"num_epochs": 2.0}, TypeError, "num_epochs"),
    ({"batch_size": 0}, ValueError, "batch_size must be a positive integer, got 0"),
    ({"batch_size": -1}, ValueError, "batch_size"),
    ({"batch_size": 2.5}, TypeError, "batch_size must be a positive integer.*2.5"),
    ({"batch_size": True}, TypeError, "batch_size"),
    ({"validation_data": X_OK}, TypeError, r"validation_data must be a tuple \(X_val, y_val\)"),
    ({"validation_data": (X_OK,)}, TypeError, "validation_data"),
    ({"validation_data": (X_OK, Y_OK, Y_OK)}, TypeError, "validation_data"),
    ({"validation_data": (np.zeros((8, 3)), Y_OK)}, ValueError, r"2 columns, got shape \(8, 3\)"),
    ({"validation_data": (X_OK, np.zeros((7, 1)))}, ValueError, "8 samples but y has 7"),
    ({"optimizer": "adamm"}, ValueError, "Unknown optimizer 'adamm'.*adam"),
    ({"optimizer": 0.1}, TypeError, "optimizer"),
    ({"loss": "msee"}, ValueError, "Unknown loss"),
    ({"shuffle": "yes"}, TypeError, "shuffle must be True or False"),
    ({"shuffle": 1}, TypeError, "shuffle"),
    ({"l2": -1}, ValueError, "l2 must be >= 0"),
    ({"l2": float("nan")}, ValueError, "l2"),
    ({"early_stopping": 0}, ValueError, "early_stopping must be a positive integer"),
    ({"early_stopping": 1.5}, TypeError, "early_stopping"),
    ({"min_delta": "0"}, TypeError, "min_delta"),
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
])
def test_bad_arguments(kwargs, exc, pattern):
    model = nn.MLP([2, 3, 1], seed=0)
    before = model.get_params()
    with pytest.raises(exc, match=pattern):
        model.fit(X_OK, Y_OK, **kwargs)
    for p, q in zip(model.params, before):  # nothing was trained
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("X, y, exc, pattern", [
    (np.zeros((8, 3)), Y_OK, ValueError, r"2 columns, got shape \(8, 3\)"),
    (X_OK, np.zeros((7, 1)), ValueError, "8 samples but y has 7"),
    (np.full((8, 2), np.nan), Y_OK, ValueError, "finite"),
    ("data", Y_OK, TypeError, "X must be an array"),
])
def test_bad_training_data(X, y, exc, pattern):
    with pytest.raises(exc, match=pattern):
        nn.MLP([2, 3, 1], seed=0).fit(X, y)


def test_history_defaults():
    h = nn.History()
    assert h.epochs == 0 and h.loss == [] and h.diverged is False and h.best_epoch is None
    assert repr(h) == "History(0 epochs: )"


def test_early_stopping_on_a_plateau():
    """An unchanged loss is not an improvement: a network that cannot learn stops early."""
    X, y = np.zeros((6, 2)), np.zeros((6, 1))
    model = nn.MLP([2, 1], init="zeros", seed=0)  # zero loss, zero gradients
    history = model.fit(X, y, optimizer="sgd", num_epochs=20, early_stopping=2)
    assert history.loss == [0.0] * 3
    assert history.stopped_early and history.best_epoch == 1 and history.epochs == 3


# Dropout and learning-rate schedules leave the old results alone -----------------------------

def _reference_fit(model, X, y, loss, optimizer, num_epochs, batch_size, l2, seed):
    """The training loop as it was before dropout and schedules existed, written out with the
    layers' own passes: fit without dropout or a schedule must reproduce it bit for bit."""
    loss = nn.losses.get(loss)
    y = loss.prepare_target(y, model.sizes[-1])
    rng, m = np.random.default_rng(seed), len(X)
    out = model.layers[-1]
    fused = loss.fused_with is not None and isinstance(out.activation, loss.fused_with)
    for _ in range(num_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            idx = order[start:start + batch_size]
            A = X[idx]
            for layer in model.layers:
                A = layer._forward(A)
            if fused:
                dA = loss._from_logits(out.Z, y[idx])[1]
                dA = out._backward_from_Z(dA)
                rest = model.layers[-2::-1]
            else:
                dA = loss._gradient(A, y[idx])
                rest = model.layers[::-1]
            for i, layer in enumerate(rest):
                dA = layer._backward(dA, need_dX=layer is not model.layers[0])
            if l2:
                for layer in model.layers:
                    layer.dW = layer.dW + l2 * layer.W
            optimizer.step(model.params, model.grads)


@pytest.mark.parametrize("sizes, activation, output, loss, batch_size, l2", [
    ([1, 8, 8, 1], "tanh", "identity", "mse", 7, 0.0),
    ([1, 8, 8, 1], "tanh", "identity", "mse", None, 0.003),
    ([2, 6, 5, 1], "relu", "sigmoid", "bce", 5, 0.01),
    ([2, 6, 3], "sigmoid", "softmax", "cross_entropy", 8, 0.0),
])
def test_fit_without_dropout_or_schedule_reproduces_the_old_loop_bit_for_bit(
        sizes, activation, output, loss, batch_size, l2):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(23, sizes[0]))
    y = (rng.integers(0, sizes[-1], size=23) if output == "softmax"
         else (X[:, :1] > 0).astype(float) if output == "sigmoid" else np.sin(3 * X[:, :1]))
    model = nn.MLP(sizes, activation=activation, output=output, seed=3)
    ref = nn.MLP(sizes, activation=activation, output=output, seed=3)
    model.fit(X, y, loss=loss, optimizer=nn.optimizers.Adam(lr=0.01), num_epochs=6,
              batch_size=batch_size, l2=l2, seed=4)
    _reference_fit(ref, X, y, loss, nn.optimizers.Adam(lr=0.01), 6, batch_size or 23, l2, 4)
    for p, q in zip(model.params, ref.params):
        np.testing.assert_array_equal(p, q)


def test_explicit_zero_dropout_and_a_constant_schedule_change_nothing():
    X, y = _regression(n=30)
    runs = []
    for extra in ({}, {"dropout": 0.0, "lr_schedule": None}, {"dropout": [0.0, 0.0]},
                  {"lr_schedule": nn.schedules.constant()}):
        model = nn.MLP([1, 6, 6, 1], activation="tanh", seed=1)
        h = model.fit(X, y, optimizer=nn.optimizers.Adam(lr=0.02), num_epochs=5, batch_size=8,
                      validation_data=(X, y), **extra)
        runs.append((model.get_params(), h.loss, h.val_loss))
    for params, loss, val_loss in runs[1:]:
        assert loss == runs[0][1] and val_loss == runs[0][2]
        for p, q in zip(params, runs[0][0]):
            np.testing.assert_array_equal(p, q)

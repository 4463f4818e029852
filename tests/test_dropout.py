"""Inverted dropout (chapter 8): the mask, the forward and backward passes with a fixed mask,
and fit(dropout=...): seeded, training only, the full network everywhere else."""

import numpy as np
import pytest

import nnlib as nn
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.layers import dropout_mask


# The mask ------------------------------------------------------------------------------------

@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_mask_drops_a_fraction_rate_and_rescales_the_rest(rate):
    M = dropout_mask((400, 250), rate, np.random.default_rng(0))
    assert M.shape == (400, 250)
    kept = M > 0
    np.testing.assert_allclose(M[kept], 1 / (1 - rate))  # inverted dropout: 1 / (1 - p)
    assert np.all(M[~kept] == 0)
    # 100,000 independent draws: the dropped fraction is within 4 standard errors of p, so
    # the mean of the mask is close to 1 (the activations keep their expected value)
    se = np.sqrt(rate * (1 - rate) / M.size)
    assert abs(np.mean(~kept) - rate) < 4 * se
    assert abs(M.mean() - 1) < 4 * se / (1 - rate)


def test_mask_of_rate_zero_keeps_everything_and_masks_are_seeded():
    assert np.all(dropout_mask((3, 4), 0.0, np.random.default_rng(1)) == 1)
    a = dropout_mask((5, 6), 0.5, np.random.default_rng(7))
    b = dropout_mask((5, 6), 0.5, np.random.default_rng(7))
    c = dropout_mask((5, 6), 0.5, np.random.default_rng(8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("rate, rng, exc, pattern", [
    (1.0, np.random.default_rng(0), ValueError, r"dropout rate must be in \[0.0, 1.0\)"),
    (-0.1, np.random.default_rng(0), ValueError, "dropout rate"),
    ("0.5", np.random.default_rng(0), TypeError, "dropout rate must be a real number"),
    (0.5, 0, TypeError, "rng must be a numpy.random.Generator"),
])
def test_mask_rejects_bad_input(rate, rng, exc, pattern):
    with pytest.raises(exc, match=pattern):
        dropout_mask((2, 2), rate, rng)


# Forward and backward with a fixed mask ------------------------------------------------------

def _net_and_masks(output="identity", activation="tanh", seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(9, 3))
    model = nn.MLP([3, 6, 5, 2 if output != "sigmoid" else 1], activation=activation,
                   output=output, seed=seed)
    for b in model.params[1::2]:
        b[...] = rng.normal(scale=0.3, size=b.shape)
    masks = [dropout_mask((9, 6), 0.5, rng), dropout_mask((9, 5), 0.3, rng)]
    return X, model, masks


@pytest.mark.parametrize("output, loss, activation", [
    ("identity", "mse", "tanh"),
    ("sigmoid", "bce", "sigmoid"),      # the fused output gradient
    ("softmax", "cross_entropy", "relu"),
])
def test_gradients_with_a_fixed_mask_match_numerical_gradients(output, loss, activation):
    X, model, masks = _net_and_masks(output, activation)
    y = (np.array([0, 1, 1, 0, 1, 0, 0, 1, 1]) if output == "softmax"
         else (X[:, :1] > 0).astype(float) if output == "sigmoid"
         else np.column_stack([np.sin(X[:, 0]), X[:, 1] ** 2]))
    model.loss_and_grads(X, y, loss, l2=0.01, masks=masks)
    grads = [g.copy() for g in model.grads]

    def f(_):  # the loss of the thinned network: the same masks every time
        return model.loss_and_grads(X, y, loss, l2=0.01, masks=masks)

    for p, g in zip(model.params, grads):
        assert relative_error(g, numerical_gradient(f, p)) < 1e-6
    # the masks matter: without them the gradients differ
    model.loss_and_grads(X, y, loss, l2=0.01)
    assert not np.allclose(model.grads[0], grads[0])


def test_a_dropped_unit_gets_no_gradient_and_passes_nothing_on():
    X, model, masks = _net_and_masks()
    masks[0][:, 2] = 0.0  # unit 3 of hidden layer 1 dropped for every sample
    y = np.zeros((9, 2))
    model.loss_and_grads(X, y, "mse", masks=masks)
    assert np.all(model.grads[0][:, 2] == 0) and model.grads[1][2] == 0  # W1, b1 of unit 3
    assert np.all(model.grads[2][2, :] == 0)                               # its outgoing W2
    assert np.abs(model.grads[0][:, [0, 1, 3, 4, 5]]).sum() > 0


def test_masks_of_ones_change_nothing():
    X, model, _ = _net_and_masks()
    y = np.ones((9, 2))
    ones = [np.ones((9, 6)), np.ones((9, 5))]
    a = model.loss_and_grads(X, y, "mse", masks=ones)
    ga = [g.copy() for g in model.grads]
    b = model.loss_and_grads(X, y, "mse")
    assert a == b
    for g, h in zip(ga, model.grads):
        np.testing.assert_array_equal(g, h)


@pytest.mark.parametrize("masks, pattern", [
    ([np.ones((9, 6))], "list of 2 arrays.*length 1"),
    (np.ones((9, 6)), "list of 2 arrays"),
    ([np.ones((9, 6)), np.ones((9, 4))], r"masks\[1\].*\(9, 5\), got \(9, 4\)"),
    ([np.ones((8, 6)), np.ones((9, 5))], r"masks\[0\].*\(9, 6\), got \(8, 6\)"),
])
def test_bad_masks_are_rejected(masks, pattern):
    X, model, _ = _net_and_masks()
    with pytest.raises(ValueError, match=pattern):
        model.loss_and_grads(X, np.zeros((9, 2)), "mse", masks=masks)


# fit(dropout=...) ----------------------------------------------------------------------------

def _data(n=30, seed=0):
    return nn.datasets.regression_curve("sin", n=n, noise=0.3, seed=seed)


def _fit(dropout, seed=0, **kwargs):
    X, y = _data()
    model = nn.MLP([1, 16, 16, 1], activation="tanh", seed=0)
    history = model.fit(X, y, optimizer=nn.optimizers.Adam(lr=0.01), num_epochs=40,
                        batch_size=10, dropout=dropout, seed=seed, **kwargs)
    return model, history


def test_dropout_is_deterministic_given_the_seed():
    a, ha = _fit(0.3, seed=1)
    b, hb = _fit(0.3, seed=1)
    c, hc = _fit(0.3, seed=2)
    assert ha.loss == hb.loss and ha.loss != hc.loss
    for p, q in zip(a.params, b.params):
        np.testing.assert_array_equal(p, q)


class BatchRecorder(nn.optimizers.Optimizer):
    """Records which samples each iteration used (X holds the sample indices); no update."""

    def __init__(self, model):
        super().__init__(lr=1.0)
        self.model, self.batches = model, []

    def step(self, params, grads):
        self.batches.append(self.model.layers[0].X[:, 0].astype(int).tolist())

    def _update(self, p, g, state):  # pragma: no cover - step does not call it
        pass


@pytest.mark.parametrize("dropout", [0.0, 0.5, [0.2, 0.7]])
def test_dropout_draws_its_masks_from_its_own_stream_not_the_shuffling(dropout):
    X, y = np.arange(20, dtype=float).reshape(-1, 1), np.zeros((20, 1))
    model = nn.MLP([1, 4, 3, 1], seed=0)
    rec = BatchRecorder(model)
    model.fit(X, y, optimizer=rec, num_epochs=3, batch_size=6, dropout=dropout, seed=5)
    plain = nn.MLP([1, 4, 3, 1], seed=0)
    rec_plain = BatchRecorder(plain)
    plain.fit(X, y, optimizer=rec_plain, num_epochs=3, batch_size=6, seed=5)
    assert rec.batches == rec_plain.batches


def test_dropout_changes_training_and_zero_rates_are_no_dropout():
    _, plain = _fit(0.0)
    _, dropped = _fit(0.5)
    _, zeros = _fit([0.0, 0.0])
    assert plain.loss != dropped.loss
    assert zeros.loss == plain.loss


def test_predict_loss_and_validation_use_the_whole_network():
    X, y = _data()
    model, history = _fit(0.5, validation_data=_data(20, seed=1))
    # the validation loss of the last epoch is the unmasked loss of the final parameters
    assert history.val_loss[-1] == model.loss(*_data(20, seed=1))
    # forward and predict: no mask and no rescaling, the plain affine maps
    A = X
    for layer in model.layers:
        A = layer.activation.forward(A @ layer.W + layer.b)
    np.testing.assert_allclose(model.predict(X), A, rtol=1e-12)
    np.testing.assert_array_equal(model.forward(X), model.forward(X))


def test_dropout_per_hidden_layer():
    a, ha = _fit([0.5, 0.0])
    b, hb = _fit([0.0, 0.5])
    assert ha.loss != hb.loss


@pytest.mark.parametrize("dropout, exc, pattern", [
    (1.0, ValueError, r"dropout must be in \[0, 1\)"),
    (-0.2, ValueError, "dropout must be in"),
    ([0.1], ValueError, r"one per hidden layer \(2\), got 1"),
    ("0.5", TypeError, "dropout must be a real number"),
    (float("nan"), ValueError, "dropout must be finite"),
])
def test_fit_rejects_bad_dropout(dropout, exc, pattern):
    with pytest.raises(exc, match=pattern):
        _fit(dropout)


def test_dropout_regularizes_a_large_network_on_few_points():
    """Thinned training fits 12 noisy points less closely than plain training (every seed)."""
    X, y = nn.datasets.regression_curve("sin", n=12, noise=0.3, seed=0)
    for seed in range(3):
        losses = {}
        for rate in (0.0, 0.5):
            model = nn.MLP([1, 32, 32, 1], activation="tanh", seed=seed)
            model.fit(X, y, optimizer=nn.optimizers.Adam(lr=0.01), num_epochs=300,
                      dropout=rate, seed=seed)
            losses[rate] = model.loss(X, y)
        assert losses[0.5] > 2 * losses[0.0], losses

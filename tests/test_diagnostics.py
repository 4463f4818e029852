"""nnlib.diagnostics: per-layer statistics."""

import numpy as np
import pytest

import nnlib as nn

pytestmark = pytest.mark.filterwarnings("error")


def data(m=128, n=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, n)), rng.normal(size=(m, 1))


def test_numbers_match_a_manual_forward_and_backward():
    X, y = data()
    model = nn.MLP([8, 6, 5, 1], activation="tanh", seed=3)
    stats = nn.diagnostics.layer_stats(model, X, y, "mse")
    model.loss_and_grads(X, y, "mse")
    for i, layer in enumerate(model.layers):
        assert stats.act_mean[i] == pytest.approx(layer.A.mean(), rel=1e-12)
        assert stats.act_std[i] == pytest.approx(layer.A.std(), rel=1e-12)
        assert stats.grad_norm[i] == pytest.approx(np.linalg.norm(layer.dW), rel=1e-12)
    assert len(stats.dead_fraction) == 3 and stats.dead_fraction == [0.0, 0.0, 0.0]


def test_dead_relus_are_counted():
    X, y = data()
    model = nn.MLP([8, 4, 1], activation="relu", seed=0)
    model.layers[0].b[:2] = -1e3  # two units that never switch on
    stats = nn.diagnostics.layer_stats(model, X, y)
    assert stats.dead_fraction[0] == 0.5


def test_sigmoid_gradients_vanish_with_depth_and_relu_he_much_less():
    X, y = data(256, 16)
    ratios = {}
    for act, init in [("sigmoid", "xavier_normal"), ("relu", "he_normal")]:
        model = nn.MLP([16] + [32] * 10 + [1], activation=act, init=init, seed=0)
        stats = nn.diagnostics.layer_stats(model, X, y)
        ratios[act] = stats.grad_norm[-1] / stats.grad_norm[0]
    assert ratios["sigmoid"] > 100 and ratios["relu"] < 100


def test_table_has_a_row_per_layer_and_is_stable():
    X, y = data()
    model = nn.MLP([8, 6, 1], activation="relu", seed=0)
    first = nn.diagnostics.layer_stats(model, X, y).table()
    assert first.splitlines()[0].split() == ["layer", "mean", "A", "std", "A", "|dW|", "dead"]
    assert len(first.splitlines()) == 3
    assert first == nn.diagnostics.layer_stats(model, X, y).table()


def test_bad_input_is_reported():
    model = nn.MLP([8, 6, 1], seed=0)
    with pytest.raises(ValueError, match="expected X with 8 columns"):
        nn.diagnostics.layer_stats(model, np.zeros((4, 3)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="Unknown loss"):
        nn.diagnostics.layer_stats(model, np.zeros((4, 8)), np.zeros((4, 1)), "mse2")

"""An MLP keeps its parameters in one flat array; optimizers update it in one go (issue 9).

The flat update must give exactly the numbers of the per-array update, and must never update a
stale array.
"""

import copy
import gc

import numpy as np
import pytest

import nnlib as nn
from nnlib import optimizers

OPTIMIZERS = [
    lambda: optimizers.SGD(lr=0.1),
    lambda: optimizers.Momentum(lr=0.1),
    lambda: optimizers.Momentum(lr=0.1, nesterov=True),
    lambda: optimizers.Adagrad(lr=0.1),
    lambda: optimizers.RMSprop(lr=0.01),
    lambda: optimizers.Adam(lr=0.01),
]


def test_mlp_parameters_are_views_of_one_flat_array():
    model = nn.MLP([3, 5, 2], seed=0)
    flat = optimizers._shared_buffer(model.params)
    assert flat is not None and flat.size == model.n_params
    model.layers[1].b[...] = 7.0
    assert np.all(flat[-2:] == 7.0)


def test_packing_keeps_the_initial_weights():
    fresh = nn.MLP([3, 5, 2], seed=3)
    rng = np.random.default_rng(3)
    expected = [nn.Dense(3, 5, "relu", rng=rng).W, nn.Dense(5, 2, rng=rng).W]
    assert all(np.array_equal(a, b) for a, b in zip([fresh.layers[0].W, fresh.layers[1].W], expected))


@pytest.mark.parametrize("make", OPTIMIZERS)
def test_flat_update_equals_per_array_update(make):
    X, y = nn.datasets.regression_curve("sin", n=30, noise=0.05, seed=0)
    packed = nn.MLP([1, 6, 6, 1], activation="tanh", seed=0)
    loose = copy.deepcopy(packed)  # deepcopy gives independent arrays: the per-array path
    assert optimizers._shared_buffer(loose.params) is None
    opt_packed, opt_loose = make(), make()
    for _ in range(5):
        packed.loss_and_grads(X, y, "mse")
        opt_packed.step(packed.params, packed.grads)
        loose.loss_and_grads(X, y, "mse")
        opt_loose.step(loose.params, loose.grads)
    assert opt_packed._flat is not None and opt_loose._flat is None
    for a, b in zip(packed.params, loose.params):
        assert np.array_equal(a, b)
    for sa, sb in zip(opt_packed.state, opt_loose.state):
        assert sa.keys() == sb.keys() and all(np.array_equal(sa[k], sb[k]) for k in sa)


def test_replaced_array_falls_back_to_per_array_updates():
    model = nn.MLP([2, 3, 1], seed=0)
    model.layers[0].W = model.layers[0].W.copy()  # no longer a view of the flat array
    assert optimizers._shared_buffer(model.params) is None
    X, y = nn.datasets.xor()
    before = model.get_params()
    model.fit(X, y, loss="bce", optimizer="adam", num_epochs=3)
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.params))


def test_optimizer_reused_on_a_new_model_never_updates_the_old_arrays():
    X, y = nn.datasets.xor()
    opt = optimizers.Adam(lr=0.1)
    nn.MLP([2, 3, 1], seed=0).fit(X, y, loss="bce", optimizer=opt, num_epochs=2)
    gc.collect()  # the old model's arrays are gone; the new ones may get the same ids
    with pytest.raises(ValueError, match=r"reset\(\)"):
        nn.MLP([2, 3, 1], seed=1).fit(X, y, loss="bce", optimizer=opt, num_epochs=2)


def test_non_elementwise_optimizer_updates_array_by_array():
    class UnitStep(optimizers.Optimizer):
        """Steps along g / ||g|| of each array: not elementwise."""

        elementwise = False

        def _update(self, p, g, state):
            p -= self.lr * g / np.linalg.norm(g)

    model = nn.MLP([2, 3, 1], seed=0)
    opt = UnitStep(lr=0.1)
    X, y = nn.datasets.xor()
    model.loss_and_grads(X, y, "mse")
    expected = [p - 0.1 * g / np.linalg.norm(g) for p, g in zip(model.params, model.grads)]
    opt.step(model.params, model.grads)
    assert opt._flat is None
    assert all(np.allclose(a, b) for a, b in zip(model.params, expected))


def test_fused_cross_entropy_gradient_is_softmax_minus_y():
    rng = np.random.default_rng(0)
    Z, labels = rng.normal(size=(7, 4)), rng.integers(0, 4, size=7)
    loss = nn.losses.get("cross_entropy")
    value, dZ = loss.from_logits(Z, labels)
    Y = np.eye(4)[labels]
    assert np.array_equal(dZ, (nn.activations.get("softmax").forward(Z) - Y) / 7)
    assert value == pytest.approx(loss.forward(nn.activations.get("softmax").forward(Z), labels))

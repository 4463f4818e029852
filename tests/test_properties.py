"""Property-based tests (hypothesis): shapes, batching arithmetic, optimizer invariants and
bad sizes, over random small networks and data."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib as nn
from nnlib import initializers, optimizers

pytestmark = pytest.mark.filterwarnings("error")

FAST = settings(max_examples=30, deadline=None, database=None)

sizes_st = st.lists(st.integers(1, 6), min_size=2, max_size=4)
hidden_st = st.sampled_from(["relu", "tanh", "sigmoid", "leaky_relu", "identity"])
seed_st = st.integers(0, 2**32 - 1)


def _data(m, n, seed):
    return np.random.default_rng(seed).normal(size=(m, n))


@FAST
@given(sizes=sizes_st, m=st.integers(1, 9), act=hidden_st, seed=seed_st)
def test_forward_shape_and_aligned_grads(sizes, m, act, seed):
    model = nn.MLP(sizes, activation=act, seed=seed)
    X = _data(m, sizes[0], seed)
    y_hat = model.forward(X)
    assert y_hat.shape == (m, sizes[-1])
    assert y_hat.dtype == np.float64 and np.all(np.isfinite(y_hat))
    assert len(model.params) == len(model.grads) == 2 * (len(sizes) - 1)
    model.loss_and_grads(X, _data(m, sizes[-1], seed + 1), "mse")
    for p, g in zip(model.params, model.grads):
        assert g.shape == p.shape
        assert np.all(np.isfinite(g))
    for layer, (n_in, n_out) in zip(model.layers, zip(sizes[:-1], sizes[1:])):
        assert layer.W.shape == (n_in, n_out) and layer.b.shape == (n_out,)
    assert model.n_params == sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    dX = model.backward(np.ones_like(y_hat))
    assert dX.shape == X.shape


@FAST
@given(sizes=sizes_st, m=st.integers(1, 9), seed=seed_st,
       output=st.sampled_from(["identity", "sigmoid", "softmax"]))
def test_predict_shapes(sizes, m, seed, output):
    model = nn.MLP(sizes, activation="tanh", output=output, seed=seed)
    pred = model.predict(_data(m, sizes[0], seed))
    k = sizes[-1]
    if output == "softmax":
        assert pred.shape == (m,)
        assert pred.dtype.kind == "i" and np.all((0 <= pred) & (pred < k))
    elif output == "sigmoid":
        assert pred.shape == (m, k)
        assert set(np.unique(pred)) <= {0, 1}
    else:
        assert pred.shape == (m, k)
        np.testing.assert_array_equal(pred, model.forward(_data(m, sizes[0], seed)))


@FAST
@given(m=st.integers(1, 20), batch_size=st.one_of(st.none(), st.integers(1, 25)),
       epochs=st.integers(1, 3), shuffle=st.booleans(), seed=seed_st)
def test_fit_iteration_count(m, batch_size, epochs, shuffle, seed):
    X, y = _data(m, 2, seed), _data(m, 1, seed + 1)
    model = nn.MLP([2, 3, 1], activation="tanh", seed=0)
    history = model.fit(X, y, optimizer=optimizers.SGD(lr=0.01), num_epochs=epochs,
                        batch_size=batch_size, shuffle=shuffle, seed=seed % 1000)
    bs = m if batch_size is None else min(batch_size, m)
    assert history.iterations_per_epoch == math.ceil(m / bs)
    assert len(history.batch_loss) == epochs * history.iterations_per_epoch
    assert len(history.loss) == epochs
    assert all(math.isfinite(v) for v in history.loss)


shape_st = st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple)
opt_st = st.sampled_from([
    lambda: optimizers.SGD(lr=0.1),
    lambda: optimizers.Momentum(lr=0.1, momentum=0.9),
    lambda: optimizers.Nesterov(lr=0.1),
    lambda: optimizers.Adagrad(lr=0.1),
    lambda: optimizers.RMSprop(lr=0.1),
    lambda: optimizers.Adam(lr=0.1),
])


@FAST
@given(shapes=st.lists(shape_st, min_size=1, max_size=4), make=opt_st, steps=st.integers(1, 4),
       seed=seed_st)
def test_optimizer_steps_keep_shape_dtype_and_identity(shapes, make, steps, seed):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s) for s in shapes]
    ids = [id(p) for p in params]
    opt = make()
    for _ in range(steps):
        opt.step(params, [rng.normal(size=s) for s in shapes])
    assert [id(p) for p in params] == ids
    for p, s in zip(params, shapes):
        assert p.shape == s and p.dtype == np.float64 and np.all(np.isfinite(p))
    assert opt.t == steps


@FAST
@given(g=st.floats(-1e100, 1e100, allow_nan=False, allow_infinity=False).filter(lambda v: v != 0),
       name=st.sampled_from(["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]))
def test_first_step_moves_against_the_gradient(g, name):
    lr = 0.5
    p = np.array([0.0])
    opt = optimizers.get(name, lr=lr)
    opt.step([p], [np.array([g])])
    assert p[0] == 0.0 or np.sign(p[0]) == -np.sign(g)  # tiny steps may round to 0
    # The adaptive methods bound the first step whatever the gradient's scale.
    bound = {"adagrad": lr, "adam": lr, "rmsprop": lr / math.sqrt(1 - 0.99)}
    if name in bound:
        assert abs(p[0]) <= bound[name] * (1 + 1e-12)


@FAST
@given(bad=st.integers(-10, 0), where=st.integers(0, 2))
def test_non_positive_layer_sizes_raise(bad, where):
    sizes = [2, 3, 1]
    sizes[where] = bad
    with pytest.raises(ValueError, match="positive integer"):
        nn.MLP(sizes)
    with pytest.raises(ValueError, match="positive integer"):
        nn.Dense(bad, 3) if where % 2 else nn.Dense(3, bad)


@FAST
@given(bad=st.integers(-10, 0), name=st.sampled_from(
    ["zeros", "normal", "uniform", "xavier_normal", "he_uniform"]))
def test_non_positive_shapes_raise(bad, name):
    with pytest.raises(ValueError, match="positive integer"):
        initializers.get(name)((3, bad))
    with pytest.raises(ValueError, match="positive integer"):
        initializers.get(name)(bad)


@FAST
@given(bad=st.integers(-10, 0), which=st.sampled_from(["num_epochs", "batch_size",
                                                         "early_stopping"]))
def test_non_positive_fit_arguments_raise(bad, which):
    X, y = np.zeros((4, 2)), np.zeros((4, 1))
    with pytest.raises(ValueError, match=f"{which} must be a positive integer"):
        nn.MLP([2, 2, 1], seed=0).fit(X, y, **{which: bad})


@FAST
@given(bad=st.integers(-10, 0), which=st.sampled_from(["xor", "six_regions", "two_rings",
                                                         "spiral", "moons", "regression_curve"]))
def test_non_positive_dataset_sizes_raise(bad, which):
    make = {
        "xor": lambda: nn.datasets.xor(n_per_corner=bad),
        "six_regions": lambda: nn.datasets.six_regions(n_per_region=bad),
        "two_rings": lambda: nn.datasets.two_rings(n_per_class=bad),
        "spiral": lambda: nn.datasets.spiral(n_per_class=bad),
        "moons": lambda: nn.datasets.moons(n=bad),
        "regression_curve": lambda: nn.datasets.regression_curve(n=bad),
    }[which]
    with pytest.raises(ValueError, match="positive integer"):
        make()


@FAST
@given(labels=st.lists(st.integers(0, 6), min_size=1, max_size=30))
def test_one_hot_round_trip_and_accuracy(labels):
    assert nn.datasets.one_hot(labels).shape == (len(labels), max(labels) + 1)
    # n_classes >= 2: a single one-hot column would read as a sigmoid score (see to_labels).
    Y = nn.datasets.one_hot(labels, n_classes=7)
    assert Y.shape == (len(labels), 7)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(nn.metrics.to_labels(Y), labels)
    assert nn.metrics.accuracy(labels, Y) == 1.0
    C = nn.metrics.confusion_matrix(labels, Y, n_classes=7)
    assert C.shape == (7, 7)
    np.testing.assert_array_equal(np.diag(C), np.bincount(labels, minlength=7))
    assert C.sum() == len(labels)

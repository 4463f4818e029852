"""Dense and MLP: forward values, back-propagation against two-sided differences, bad input."""

import numpy as np
import pytest

import nnlib as nn
from nnlib import activations, losses
from nnlib.gradcheck import check_model, numerical_gradient, relative_error
from nnlib.layers import default_init

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# --- Dense ------------------------------------------------------------------------------


def test_dense_output_shape_and_affine_map(rng):
    layer = nn.Dense(3, 4, activation="identity", seed=1)
    layer.b = rng.normal(size=4)
    X = rng.normal(size=(10, 3))
    A = layer.forward(X)
    assert A.shape == (10, 4)
    np.testing.assert_array_equal(layer.Z, X @ layer.W + layer.b)
    np.testing.assert_array_equal(A, layer.Z)
    assert layer.W.shape == (3, 4) and layer.b.shape == (4,)
    assert [p.shape for p in layer.params] == [(3, 4), (4,)]


def test_dense_applies_its_activation(rng):
    layer = nn.Dense(3, 5, activation="tanh", seed=2)
    X = rng.normal(size=(6, 3))
    np.testing.assert_array_equal(layer.forward(X), np.tanh(X @ layer.W + layer.b))


def test_dense_initialisation_is_seeded_and_biases_start_at_zero():
    a, b = nn.Dense(4, 3, seed=5), nn.Dense(4, 3, seed=5)
    np.testing.assert_array_equal(a.W, b.W)
    assert not np.array_equal(a.W, nn.Dense(4, 3, seed=6).W)
    np.testing.assert_array_equal(a.b, np.zeros(3))
    assert default_init(activations.ReLU()) == "he_normal"
    assert default_init(activations.Tanh()) == "xavier_normal"
    np.testing.assert_array_equal(nn.Dense(4, 3, init="zeros").W, np.zeros((4, 3)))


DENSE_ACTIVATIONS = ["identity", "tanh", "sigmoid", "relu", activations.LeakyReLU(0.1), "elu",
                     "softplus", "softmax", "brelu", "arctan", "isrlu"]


@pytest.mark.parametrize("activation", DENSE_ACTIVATIONS, ids=str)
def test_dense_backward_matches_numerical_gradients(activation, rng):
    layer = nn.Dense(4, 5, activation=activation, seed=3)
    layer.b = rng.normal(scale=0.5, size=5)
    X = rng.normal(size=(7, 4))
    R = rng.normal(size=(7, 5))  # f(A) = sum(A * R), so dA = R

    layer.forward(X)
    assert np.min(np.abs(layer.Z)) > 1e-4  # away from the ReLU-family kinks
    dX = layer.backward(R)
    dW, db = layer.dW.copy(), layer.db.copy()
    assert dW.shape == layer.W.shape and db.shape == layer.b.shape and dX.shape == X.shape

    def f(_):
        return float(np.sum(layer.forward(X) * R))

    assert relative_error(dW, numerical_gradient(f, layer.W)) < 1e-7
    assert relative_error(db, numerical_gradient(f, layer.b)) < 1e-7
    numeric_dX = numerical_gradient(lambda v: float(np.sum(layer.forward(v) * R)), X.copy())
    assert relative_error(dX, numeric_dX) < 1e-7
    assert np.linalg.norm(dW) > 1e-3  # the gradients checked are not trivially zero


def test_dense_wrong_column_count_names_expected_and_received(rng):
    layer = nn.Dense(3, 4, activation="tanh")
    with pytest.raises(ValueError, match=r"Dense\(3 -> 4.*expected X with 3 columns, got shape \(10, 5\)"):
        layer.forward(rng.normal(size=(10, 5)))
    with pytest.raises(ValueError, match=r"X must be a 2-D array .*got shape \(3,\)"):
        layer.forward(np.zeros(3))


def test_dense_backward_errors(rng):
    layer = nn.Dense(3, 4)
    with pytest.raises(RuntimeError, match="call forward before backward"):
        layer.backward(np.zeros((2, 4)))
    layer.forward(rng.normal(size=(2, 3)))
    with pytest.raises(ValueError, match=r"expected dA of shape \(2, 4\) \(like A\), got \(2, 3\)"):
        layer.backward(np.zeros((2, 3)))


@pytest.mark.parametrize(
    "args, kwargs, exc, match",
    [
        ((0, 4), {}, ValueError, "n_in must be a positive integer, got 0"),
        ((3, -1), {}, ValueError, "n_out must be a positive integer, got -1"),
        ((3.5, 4), {}, TypeError, "n_in must be a positive integer, got float"),
        ((3, 4), {"activation": "tanhh"}, ValueError, r"Unknown activation 'tanhh'.*Valid names:.*tanh"),
        ((3, 4), {"seed": 0, "rng": np.random.default_rng(0)}, ValueError, "either rng= or seed="),
    ],
)
def test_dense_constructor_errors(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        nn.Dense(*args, **kwargs)


# --- MLP gradients ----------------------------------------------------------------------


def make_targets(kind, m, k, rng):
    if kind == "real":
        return rng.normal(size=(m, k))
    if kind == "binary":
        return rng.integers(0, 2, size=(m, k)).astype(float)
    if kind == "one_hot":
        return np.eye(k)[rng.integers(0, k, m)]
    if kind == "labels":
        return rng.integers(0, k, m)
    if kind == "pm1":
        return rng.choice([-1.0, 1.0], size=(m, k))
    raise AssertionError(kind)


GRAD_CASES = [
    # sizes, hidden activation(s), output, loss, targets, l2
    ([4, 3], "tanh", "identity", "mse", "real", 0.0),
    ([4, 6, 2], "tanh", "identity", "mse", "real", 0.0),
    ([4, 6, 5, 2], "sigmoid", "identity", "mse", "real", 0.0),
    ([4, 6, 6, 5, 5, 2], "tanh", "identity", "mse", "real", 0.0),
    ([4, 6, 6, 5, 5, 3], "relu", "softmax", "cross_entropy", "labels", 0.0),
    ([4, 6, 6, 5, 5, 2], "elu", "sigmoid", "bce", "binary", 0.0),
    ([4, 6, 5, 2], "relu", "identity", "mse", "real", 0.0),
    ([4, 6, 5, 2], nn.activations.LeakyReLU(0.1), "identity", "mse", "real", 0.0),
    ([4, 6, 5, 2], "elu", "identity", "mse", "real", 0.0),
    ([4, 6, 5, 2], "softplus", "identity", "mse", "real", 0.0),
    ([4, 6, 5, 5, 2], ["tanh", "relu", "sigmoid"], "identity", "mse", "real", 0.0),
    ([4, 6, 5, 2], ["elu", "softplus"], "identity", "mae", "real", 0.0),
    ([4, 6, 5, 1], "tanh", "sigmoid", "bce", "binary", 0.0),
    ([4, 6, 3], "relu", "sigmoid", "bce", "binary", 0.0),
    ([4, 6, 5, 3], "tanh", "softmax", "cross_entropy", "one_hot", 0.0),
    ([4, 6, 3], "elu", "softmax", "cross_entropy", "labels", 0.0),
    ([4, 6, 2], "tanh", "identity", "hinge", "pm1", 0.0),
    ([4, 6, 2], "relu", "tanh", "mse", "real", 0.0),
    ([4, 6, 3], "tanh", "softmax", "mse", "one_hot", 0.0),
    ([4, 6, 2], "tanh", "sigmoid", "mse", "binary", 0.0),
    ([4, 6, 5, 2], "tanh", "identity", "mse", "real", 0.1),
    ([4, 6, 3], "relu", "softmax", "cross_entropy", "labels", 0.5),
    ([4, 6, 1], "sigmoid", "sigmoid", "bce", "binary", 0.05),
]


def case_id(case):
    sizes, act, out, loss, kind, l2 = case
    return f"{len(sizes) - 1}L-{act}-{out}-{loss}-{kind}" + (f"-l2={l2}" if l2 else "")


@pytest.mark.parametrize("case", GRAD_CASES, ids=[case_id(c) for c in GRAD_CASES])
def test_mlp_gradients_match_numerical_gradients(case):
    sizes, act, out, loss, kind, l2 = case
    rng = np.random.default_rng(sizes[-1] * 10 + len(sizes))
    X = rng.normal(size=(12, sizes[0]))
    y = make_targets(kind, 12, sizes[-1], rng)
    model = nn.MLP(sizes, activation=act, output=out, seed=1)
    # Non-zero biases: with zero biases a sample whose inputs to a ReLU layer are all 0 sits
    # exactly on the kink (Z = b = 0), where two-sided differences disagree with any gradient.
    for layer in model.layers:
        layer.b[...] = rng.normal(scale=0.5, size=layer.b.shape)

    # Preconditions: no pre-activation within the difference step of a kink.
    y_hat = model.forward(X)
    hidden_Z = [layer.Z for layer in model.layers[:-1]]
    assert all(np.min(np.abs(Z)) > 1e-5 for Z in hidden_Z) or act in ("tanh", "sigmoid", "softplus")
    if loss == "mae":
        assert np.min(np.abs(y_hat - y)) > 1e-4
    if loss == "hinge":
        assert np.min(np.abs(1.0 - y * y_hat)) > 1e-4

    assert check_model(model, X, y, loss, l2=l2) < 1e-7


def test_check_model_uses_the_fused_path_and_labels():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(9, 3))
    labels = rng.integers(0, 4, 9)
    model = nn.MLP([3, 5, 4], activation="tanh", output="softmax", seed=0)
    assert check_model(model, X, labels, "cross_entropy") < 1e-7
    value_labels = model.loss_and_grads(X, labels, "cross_entropy")
    grads_labels = [g.copy() for g in model.grads]
    value_one_hot = model.loss_and_grads(X, np.eye(4)[labels], "cross_entropy")
    assert value_labels == value_one_hot
    for a, b in zip(grads_labels, model.grads):
        np.testing.assert_array_equal(a, b)


# --- MLP structure, paths and predictions -------------------------------------------------


@pytest.fixture
def regression_model():
    return nn.MLP([3, 5, 4, 2], activation="tanh", output="identity", seed=0)


def test_params_and_grads_are_aligned(regression_model, rng):
    model = regression_model
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    model.loss_and_grads(X, y, "mse")
    params, grads = model.params, model.grads
    assert len(params) == len(grads) == 6
    assert [p.shape for p in params] == [(3, 5), (5,), (5, 4), (4,), (4, 2), (2,)]
    assert [g.shape for g in grads] == [p.shape for p in params]
    assert all(isinstance(p, np.ndarray) and p.dtype == np.float64 for p in params + grads)
    # params are the arrays themselves: an in-place update changes the model
    before = model.forward(X)
    model.params[0] += 1.0
    assert not np.allclose(model.forward(X), before)


def test_forward_backward_equals_loss_and_grads_unfused(regression_model, rng):
    model = regression_model
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    mse = losses.get("mse")
    y_hat = model.forward(X)
    dX = model.backward(mse.gradient(y_hat, y))
    manual = [g.copy() for g in model.grads]
    value = model.loss_and_grads(X, y, "mse")
    assert value == mse.forward(y_hat, y) == model.loss(X, y, "mse")
    for a, b in zip(manual, model.grads):
        np.testing.assert_array_equal(a, b)
    # and backward's dX is the gradient of the loss with respect to the inputs
    numeric = numerical_gradient(lambda v: mse.forward(model.forward(v), y), X.copy())
    assert dX.shape == X.shape
    assert relative_error(dX, numeric) < 1e-7


@pytest.mark.parametrize(
    "output, loss, targets",
    [("sigmoid", "bce", lambda r: r.integers(0, 2, size=(8, 2)).astype(float)),
     ("softmax", "cross_entropy", lambda r: np.eye(3)[r.integers(0, 3, 8)])],
)
def test_fused_output_gradient_is_y_hat_minus_y_over_m(output, loss, targets, rng):
    k = 2 if output == "sigmoid" else 3
    model = nn.MLP([3, 4, k], activation="tanh", output=output, seed=0)
    X, y = rng.normal(size=(8, 3)), targets(rng)
    value = model.loss_and_grads(X, y, loss)
    y_hat, out, hidden = model.layers[-1].A, model.layers[-1], model.layers[-2]
    dZ = (y_hat - y) / 8
    np.testing.assert_allclose(out.db, dZ.sum(axis=0), rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(out.dW, hidden.A.T @ dZ, rtol=1e-12, atol=1e-16)
    assert value == pytest.approx(losses.get(loss).forward(y_hat, y), rel=1e-10)
    # the unfused chain rule gives the same gradients
    fused = [g.copy() for g in model.grads]
    model.backward(losses.get(loss).gradient(y_hat, y))
    for a, b in zip(fused, model.grads):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-14)


def test_l2_adds_half_lambda_norm_and_lambda_W(regression_model, rng):
    model = regression_model
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    plain = model.loss_and_grads(X, y, "mse")
    plain_grads = [g.copy() for g in model.grads]
    penalised = model.loss_and_grads(X, y, "mse", l2=0.3)
    norm = sum(np.sum(layer.W ** 2) for layer in model.layers)
    assert penalised == pytest.approx(plain + 0.15 * norm, rel=1e-12)
    assert model.loss(X, y, "mse", l2=0.3) == pytest.approx(penalised, rel=1e-12)
    for i, (p, g0, g) in enumerate(zip(model.params, plain_grads, model.grads)):
        expected = g0 + 0.3 * p if i % 2 == 0 else g0  # weights only, not biases
        np.testing.assert_allclose(g, expected, rtol=1e-12, atol=1e-16)
    with pytest.raises(ValueError, match="l2 must be >= 0, got l2=-0.1"):
        model.loss(X, y, "mse", l2=-0.1)


def test_predict_returns_labels_or_y_hat(rng):
    X = rng.normal(size=(20, 3))
    sig = nn.MLP([3, 4, 2], activation="tanh", output="sigmoid", seed=0)
    labels = sig.predict(X)
    assert labels.shape == (20, 2) and np.issubdtype(labels.dtype, np.integer)
    np.testing.assert_array_equal(labels, (sig.forward(X) > 0.5).astype(int))

    soft = nn.MLP([3, 4, 3], activation="tanh", output="softmax", seed=0)
    classes = soft.predict(X)
    assert classes.shape == (20,) and np.issubdtype(classes.dtype, np.integer)
    np.testing.assert_array_equal(classes, np.argmax(soft.forward(X), axis=1))
    assert set(classes.tolist()) <= {0, 1, 2}

    reg = nn.MLP([3, 4, 2], activation="tanh", output="identity", seed=0)
    np.testing.assert_array_equal(reg.predict(X), reg.forward(X))


def test_set_params_round_trips(regression_model, rng):
    model = regression_model
    X = rng.normal(size=(5, 3))
    saved = model.get_params()
    y_hat = model.forward(X).copy()
    scratch = model.get_params()
    scratch[0][0, 0] += 100.0  # get_params returns copies
    assert model.params[0][0, 0] == saved[0][0, 0]
    for p in model.params:
        p[...] = 7.0
    assert not np.allclose(model.forward(X), y_hat)
    model.set_params(saved)
    for p, s in zip(model.params, saved):
        np.testing.assert_array_equal(p, s)
    np.testing.assert_array_equal(model.forward(X), y_hat)
    with pytest.raises(ValueError, match="expected a list of 6 arrays, got list"):
        model.set_params(saved[:4])
    with pytest.raises(ValueError, match=r"values\[1\] has shape \(4,\), expected \(5,\)"):
        model.set_params([saved[0], np.zeros(4)] + saved[2:])


def test_summary_counts_parameters():
    model = nn.MLP([3, 5, 2], activation="relu", output="softmax", seed=0)
    assert model.n_params == (3 * 5 + 5) + (5 * 2 + 2) == 32
    lines = model.summary().splitlines()
    assert len(lines) == 4
    assert lines[1].split()[-1] == "20" and "ReLU" in lines[1]
    assert lines[2].split()[-1] == "12" and "Softmax" in lines[2]
    assert lines[3].split() == ["total", "32"]
    assert model.sizes == [3, 5, 2]
    assert repr(model) == "MLP([3, 5, 2], hidden=['ReLU'], output=Softmax)"


def test_mlp_is_reproducible_from_its_seed():
    a = nn.MLP([3, 4, 2], seed=3).get_params()
    b = nn.MLP([3, 4, 2], rng=np.random.default_rng(3)).get_params()
    c = nn.MLP([3, 4, 2], seed=4).get_params()
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a[0], c[0])


def test_per_layer_activations_and_inits():
    model = nn.MLP([2, 3, 3, 1], activation=["tanh", "relu"], output="sigmoid",
                   init=["zeros", "zeros", "xavier_normal"], seed=0)
    assert [type(layer.activation) for layer in model.layers] == [
        activations.Tanh, activations.ReLU, activations.Sigmoid]
    np.testing.assert_array_equal(model.layers[0].W, 0.0)
    assert np.any(model.layers[2].W != 0.0)


# --- MLP bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"sizes": [3]}, ValueError, r"sizes must list at least an input and an output size.*got \[3\]"),
        ({"sizes": 3}, ValueError, r"sizes must list .*got 3"),
        ({"sizes": [3, 0, 1]}, ValueError, "each entry of sizes must be a positive integer, got 0"),
        ({"sizes": [3, -2, 1]}, ValueError, "each entry of sizes must be a positive integer, got -2"),
        ({"sizes": [3, 2.5, 1]}, TypeError, "each entry of sizes must be a positive integer, got float"),
        ({"sizes": [3, 4, 4, 1], "activation": ["tanh", "relu", "tanh"]}, ValueError,
         r"activation must have one entry per hidden layer \(2\), got 3"),
        ({"sizes": [3, 4, 1], "init": ["zeros"]}, ValueError, r"init must have one entry per layer \(2\), got 1"),
        ({"sizes": [3, 4, 1], "activation": "sigmoidd"}, ValueError,
         r"Unknown activation 'sigmoidd'\. Valid names: .*relu.*sigmoid.*tanh"),
        ({"sizes": [3, 4, 1], "output": "softmaks"}, ValueError, r"Unknown activation 'softmaks'.*Valid names"),
        ({"sizes": [3, 4, 1], "activation": 3}, TypeError, "Expected a name \\(str\\) or an instance of Activation for the activation.*got int"),
    ],
)
def test_mlp_constructor_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        nn.MLP(**kwargs)


@pytest.mark.parametrize(
    "X, y, exc, match",
    [
        (np.zeros((5, 4)), np.zeros((5, 1)), ValueError,
         r"MLP\(\[3, 4, 1\].*expected X with 3 columns, got shape \(5, 4\)"),
        (np.array([[0.0, np.nan, 1.0]]), np.zeros((1, 1)), ValueError,
         r"X must be finite, got 1 NaN or infinite value"),
        ("abc", np.zeros((1, 1)), TypeError, "X must be an array of numbers, got str"),
        (np.array([["a", "b", "c"]]), np.zeros((1, 1)), TypeError, "X must contain numbers, got an array of dtype <U1"),
        (np.zeros((5, 3)), np.zeros((4, 1)), ValueError, "X has 5 samples but y has 4"),
        (np.zeros((5, 3)), np.zeros((5, 2)), ValueError,
         r"expected y of shape \(m, 1\) to match y_hat \(or 1-D of length m\), got shape \(5, 2\)"),
        (np.zeros(3), np.zeros(1), ValueError, r"X must be a 2-D array \(rows are samples\), got shape \(3,\)"),
    ],
)
def test_mlp_bad_data(X, y, exc, match):
    model = nn.MLP([3, 4, 1], activation="tanh", seed=0)
    with pytest.raises(exc, match=match):
        model.loss_and_grads(X, y, "mse")
    with pytest.raises(exc, match=match):
        model.loss(X, y, "mse")
    if "y" not in match:
        with pytest.raises(exc, match=match):
            model.forward(X)
        with pytest.raises(exc, match=match):
            model.predict(X)


def test_mlp_backward_errors(regression_model, rng):
    with pytest.raises(RuntimeError, match="call forward before backward"):
        regression_model.backward(np.zeros((2, 2)))
    regression_model.forward(rng.normal(size=(4, 3)))
    with pytest.raises(ValueError, match=r"expected dy_hat of shape \(4, 2\) \(like y_hat\), got \(4, 3\)"):
        regression_model.backward(np.zeros((4, 3)))


def test_unknown_loss_in_model(regression_model, rng):
    with pytest.raises(ValueError, match=r"Unknown loss 'msee'.*Valid names: .*mse"):
        regression_model.loss(rng.normal(size=(4, 3)), rng.normal(size=(4, 2)), "msee")


def test_fit_delegates_to_training_and_returns_history(rng):
    X = rng.normal(size=(32, 2))
    y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    model = nn.MLP([2, 6, 1], activation="tanh", output="sigmoid", seed=0)
    history = model.fit(X, y, loss="bce", optimizer=nn.optimizers.Adam(lr=0.05), num_epochs=30,
                        batch_size=None, seed=0)
    assert isinstance(history, nn.History)
    assert len(history.loss) == 30 and not history.diverged
    assert history.loss[-1] < history.loss[0]

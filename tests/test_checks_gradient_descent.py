"""Checks of chapter 5: each passes the reference solution, rejects typical wrong answers with
a message that names the case and what is wrong (expected vs got) and gives a hint, reports a
stub as not solved yet, and survives a student function that raises."""

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, assert_survives_a_crash, stub
from nnlib.checks import gradient_descent as checks


# --- linear_regression_step ------------------------------------------------------------------

def step_reference(X, y, w, b, lr):
    m = X.shape[0]
    residual = X @ w + b - y
    return w - lr * 2 / m * X.T @ residual, b - lr * 2 / m * np.sum(residual)


def test_step_cases_agree_with_numerical_gradients_and_nnlib():
    """The expected step is lr times the true gradient of nnlib's MSE."""
    mse = nn.losses.get("mse")
    for _, X, y, w, b, lr in checks._step_cases():
        wb = np.append(w.ravel(), b)

        def loss(v):
            return mse.forward(X @ v[:-1, None] + v[-1], y)

        numeric = nn.gradcheck.numerical_gradient(loss, wb)
        w_new, b_new = step_reference(X, y, w, b, lr)
        np.testing.assert_allclose(np.append(w_new.ravel(), b_new), wb - lr * numeric,
                                   rtol=1e-6, atol=1e-8)


def test_step_passes_the_reference_and_variants():
    assert checks.check_gd_step(step_reference).passed
    # b as a (1,) or (1, 1) array is fine; so is updating copies in place
    assert checks.check_gd_step(
        lambda X, y, w, b, lr: (step_reference(X, y, w, b, lr)[0],
                                np.array([[step_reference(X, y, w, b, lr)[1]]]))).passed

    def in_place(X, y, w, b, lr):
        residual = X @ w + b - y
        w -= lr * 2 * X.T @ residual / len(X)
        return w, b - lr * 2 * residual.mean()

    assert checks.check_gd_step(in_place).passed


def test_step_rejects_the_half_convention():
    def half(X, y, w, b, lr):
        residual = X @ w + b - y
        return w - lr * X.T @ residual / len(X), b - lr * residual.mean()

    assert_failed(checks.check_gd_step(half), "one sample", "half as long", "1/2 convention",
                  "w expected")


def test_step_rejects_ascent_a_sum_and_a_missing_lr():
    def ascent(X, y, w, b, lr):
        residual = X @ w + b - y
        return w + lr * 2 * X.T @ residual / len(X), b + lr * 2 * residual.mean()

    assert_failed(checks.check_gd_step(ascent), "uphill")

    def summed(X, y, w, b, lr):
        residual = X @ w + b - y
        return w - lr * 2 * X.T @ residual, b - lr * 2 * residual.sum()

    assert_failed(checks.check_gd_step(summed), "six houses", "m times too long")

    def no_lr(X, y, w, b, lr):
        residual = X @ w + b - y
        return w - 2 * X.T @ residual / len(X), b - 2 * residual.mean()

    assert_failed(checks.check_gd_step(no_lr), "ignores the learning rate")


def test_step_names_a_wrong_b_only():
    def b_summed(X, y, w, b, lr):
        residual = X @ w + b - y
        return w - lr * 2 * X.T @ residual / len(X), b - lr * 2 * residual.sum()

    assert_failed(checks.check_gd_step(b_summed), "w is right but b is wrong", "b expected")


def test_step_rejects_wrong_shapes_and_counts():
    assert_failed(checks.check_gd_step(
        lambda X, y, w, b, lr: (step_reference(X, y, w, b, lr)[0].ravel(),
                                step_reference(X, y, w, b, lr)[1])), "shape (1, 1)")
    assert_failed(checks.check_gd_step(
        lambda X, y, w, b, lr: step_reference(X, y, w, b, lr)[0]), "the pair (w, b)")


def test_step_stub_and_crash():
    assert_not_solved(checks.check_gd_step(stub))
    assert_survives_a_crash(checks.check_gd_step)


# --- normal_equation -------------------------------------------------------------------------

def normal_reference(X, y):
    Xb = np.column_stack([X, np.ones(len(X))])
    theta = np.linalg.solve(Xb.T @ Xb, Xb.T @ y)
    return theta[:-1], theta[-1, 0]


def test_normal_equation_passes_the_reference_and_an_inverse():
    assert checks.check_normal_equation(normal_reference).passed

    def with_inverse(X, y):
        Xb = np.column_stack([np.ones(len(X)), X])
        theta = np.linalg.inv(Xb.T @ Xb) @ Xb.T @ y
        return theta[1:], theta[0]

    assert checks.check_normal_equation(with_inverse).passed


def test_normal_equation_rejects_a_missing_bias():
    def no_bias(X, y):
        return np.linalg.solve(X.T @ X, X.T @ y), 0.0

    assert_failed(checks.check_normal_equation(no_bias), "30 houses", "without a bias",
                  "w expected")


def test_normal_equation_rejects_theta_whole_and_swapped():
    def whole(X, y):
        Xb = np.column_stack([X, np.ones(len(X))])
        theta = np.linalg.solve(Xb.T @ Xb, Xb.T @ y)
        return theta, 0.0

    assert_failed(checks.check_normal_equation(whole), "split it")

    def swapped(X, y):
        Xb = np.column_stack([np.ones(len(X)), X])
        theta = np.linalg.solve(Xb.T @ Xb, Xb.T @ y)
        return theta[:1], theta[1, 0]

    assert_failed(checks.check_normal_equation(swapped), "swapped")


def test_normal_equation_rejects_a_wrong_formula():
    def no_inverse(X, y):
        Xb = np.column_stack([X, np.ones(len(X))])
        theta = Xb.T @ y / len(X)
        return theta[:-1], theta[-1, 0]

    assert_failed(checks.check_normal_equation(no_inverse), "w expected", "b expected")


def test_normal_equation_stub_and_crash():
    assert_not_solved(checks.check_normal_equation(stub))
    assert_survives_a_crash(checks.check_normal_equation)


# --- minibatches -----------------------------------------------------------------------------

def batches_reference(m, batch_size, rng):
    order = rng.permutation(m)
    return [order[i:i + batch_size] for i in range(0, m, batch_size)]


def test_minibatches_passes_the_reference_and_array_split_style():
    assert checks.check_minibatches(batches_reference).passed
    assert checks.check_minibatches(
        lambda m, bs, rng: tuple(list(b) for b in batches_reference(m, bs, rng))).passed


def test_minibatches_agrees_with_nnlib_fit():
    """ceil(m / batch_size) batches per epoch, as History.iterations_per_epoch counts."""
    for m, bs in checks._BATCH_CASES:
        X = np.zeros((m, 1))
        model = nn.MLP([1, 1], output="identity", seed=0)
        history = model.fit(X, X, num_epochs=1, batch_size=bs)
        assert history.iterations_per_epoch == len(batches_reference(m, bs, np.random.default_rng(0)))


def test_minibatches_rejects_floor_division():
    def floor(m, bs, rng):
        order = rng.permutation(m)
        return [order[i * bs:(i + 1) * bs] for i in range(m // bs)]

    assert_failed(checks.check_minibatches(floor), "m=61, batch_size=10", "expected ceil(61/10) = 7",
                  "got 6", "last, smaller batch")


def test_minibatches_rejects_no_shuffle_and_replacement():
    def unshuffled(m, bs, rng):
        order = np.arange(m)
        return [order[i:i + bs] for i in range(0, m, bs)]

    assert_failed(checks.check_minibatches(unshuffled), "m=60", "not shuffled")

    def with_replacement(m, bs, rng):
        order = rng.integers(0, m, size=m)
        return [order[i:i + bs] for i in range(0, m, bs)]

    assert_failed(checks.check_minibatches(with_replacement), "exactly once", "never appears",
                  "permutation")


def test_minibatches_rejects_the_global_random_state():
    def global_state(m, bs, rng):
        order = np.random.permutation(m)
        return [order[i:i + bs] for i in range(0, m, bs)]

    state = np.random.get_state()
    try:
        assert_failed(checks.check_minibatches(global_state), "same seed", "rng.permutation")
    finally:
        np.random.set_state(state)


def test_minibatches_rejects_wrong_types():
    assert_failed(checks.check_minibatches(lambda m, bs, rng: rng.permutation(m)),
                  "list of 1-D index arrays")
    assert_failed(checks.check_minibatches(
        lambda m, bs, rng: [b.astype(float) for b in batches_reference(m, bs, rng)]),
        "integer sample indices")


def test_minibatches_stub_and_crash():
    assert_not_solved(checks.check_minibatches(stub))
    assert_survives_a_crash(checks.check_minibatches)


def test_checks_are_exported():
    for name in checks.__all__:
        assert getattr(nn.checks, name) is getattr(checks, name)


# --- minibatch_gd ----------------------------------------------------------------------------

def step_and_batches_gd(X, y, lr, batch_size, num_epochs, rng):
    """The chapter's reference: its minibatches and linear_regression_step solutions."""
    w, b = np.zeros((X.shape[1], 1)), 0.0
    for _ in range(num_epochs):
        for batch in batches_reference(len(X), batch_size, rng):
            w, b = step_reference(X[batch], y[batch], w, b, lr)
    return w, b


def test_minibatch_gd_passes_the_reference_and_an_in_place_shuffle():
    assert checks.check_minibatch_gd(step_and_batches_gd).passed

    def shuffled_in_place(X, y, lr, batch_size, num_epochs, rng):
        m, n = X.shape
        w, b = np.zeros(n), np.zeros(1)                     # 1-D w, b an array: still fine
        for _ in range(num_epochs):
            order = np.arange(m)
            rng.shuffle(order)                              # the same draw as rng.permutation(m)
            for start in range(0, m, batch_size):
                Xb, yb = X[order[start:start + batch_size]], y[order[start:start + batch_size], 0]
                residual = Xb @ w + b - yb
                w = w - lr * 2 * Xb.T @ residual / len(yb)
                b = b - lr * 2 * residual.mean()
        return w.reshape(-1, 1), b

    assert checks.check_minibatch_gd(shuffled_in_place).passed


def test_minibatch_gd_reference_takes_nnlibs_steps():
    """With the same seed, the check's reference and model.fit visit the same (w, b)."""
    X, y = nn.datasets.house_prices(n=23, seed=1)
    for batch_size in (1, 5, 23):
        model = nn.MLP([1, 1], output="identity")
        model.set_params([np.zeros((1, 1)), np.zeros(1)])
        model.fit(X, y, loss="mse", optimizer=nn.optimizers.SGD(lr=0.05), num_epochs=3,
                  batch_size=batch_size, seed=4)
        w, b = checks._train(X, y, 0.05, batch_size, 3, np.random.default_rng(4))
        np.testing.assert_allclose([w.item(), b], [p.item() for p in model.get_params()], rtol=1e-10)


def slip(**options):
    return lambda X, y, lr, bs, epochs, rng: checks._train(X, y, lr, bs, epochs, rng, **options)


@pytest.mark.parametrize("options, phrases", [
    (dict(order="stored"), ["m=10", "not shuffled", "rng.permutation(m)"]),
    (dict(order="once"), ["3 epochs", "shuffled once", "inside the epoch loop"]),
    (dict(last=False), ["batch_size=4", "last, smaller batch is dropped", "range(0, m, batch_size)"]),
    (dict(divide="sum"), ["summed over the batch", "len(batch)"]),
    (dict(divide="batch_size"), ["divided by batch_size", "the batch's own size"]),
    (dict(divide="m"), ["divided by m", "len(batch)"]),
    (dict(sign=-1.0), ["uphill", "w - lr * dw"]),
    (dict(factor=1.0), ["half as long", "1/2 convention"]),
])
def test_minibatch_gd_names_each_usual_slip(options, phrases):
    assert_failed(checks.check_minibatch_gd(slip(**options)), "w expected", *phrases)


def test_minibatch_gd_rejects_the_global_random_state():
    def global_state(X, y, lr, bs, epochs, rng):
        return checks._train(X, y, lr, bs, epochs, np.random.default_rng(np.random.randint(1 << 30)))

    state = np.random.get_state()
    try:
        assert_failed(checks.check_minibatch_gd(global_state), "same seed", "not np.random")
    finally:
        np.random.set_state(state)


def test_minibatch_gd_rejects_other_draws_from_rng_with_a_hint():
    def choice(X, y, lr, bs, epochs, rng):
        w, b = np.zeros((X.shape[1], 1)), 0.0
        for _ in range(epochs):
            order = rng.choice(len(X), size=len(X), replace=False)
            for start in range(0, len(X), bs):
                w, b = step_reference(X[order[start:start + bs]], y[order[start:start + bs]], w, b, lr)
        return w, b

    assert_failed(checks.check_minibatch_gd(choice), "w expected", "exactly one call of "
                  "rng.permutation(m)")


def test_minibatch_gd_rejects_overflow_shapes_and_counts():
    def huge(X, y, lr, bs, epochs, rng):
        return np.full((X.shape[1], 1), np.inf), 0.0

    assert_failed(checks.check_minibatch_gd(huge), "not finite")
    assert_failed(checks.check_minibatch_gd(
        lambda X, y, lr, bs, epochs, rng: step_and_batches_gd(X, y, lr, bs, epochs, rng)[0]),
        "the pair (w, b)")

    def row(X, y, lr, bs, epochs, rng):
        w, b = step_and_batches_gd(X, y, lr, bs, epochs, rng)
        return w.T, b

    assert_failed(checks.check_minibatch_gd(row), "n=2 features", "shape (2, 1)", "reshape")


def test_minibatch_gd_stub_and_crash():
    assert_not_solved(checks.check_minibatch_gd(stub))
    assert_survives_a_crash(checks.check_minibatch_gd)

"""Checks of chapter 5: each passes the reference solution, rejects typical wrong answers with
a message that names the case and what is wrong (expected vs got) and gives a hint, reports a
stub as not solved yet, and survives a student function that raises."""

import numpy as np

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

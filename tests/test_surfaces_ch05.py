"""nnlib.surfaces.LinearRegressionMSE: the house-price loss of chapter 5 as a surface over (w, b)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib as nn  # noqa: E402

X, Y = nn.datasets.house_prices(n=30, seed=2)
SURFACE = nn.surfaces.LinearRegressionMSE(X, Y)


def test_value_is_nnlibs_mse_of_the_line():
    for w, b in [(0.0, 0.0), (1.5, -0.3), (2.2, 0.7)]:
        model = nn.MLP([1, 1], output="identity")
        model.set_params([np.array([[w]]), np.array([b])])
        assert SURFACE.value((w, b)) == pytest.approx(model.loss(X, Y, loss="mse"), rel=1e-12)
    grid = np.array([[0.0, 0.0], [1.5, -0.3], [2.2, 0.7]])
    np.testing.assert_allclose(SURFACE.value(grid), [SURFACE.value(p) for p in grid])


@pytest.mark.parametrize("theta", [(0.0, 0.0), (1.5, -0.3), (-2.0, 4.0)])
def test_gradient_matches_finite_differences_and_nnlib(theta):
    theta = np.array(theta)
    numeric = nn.gradcheck.numerical_gradient(lambda t: SURFACE.value(t), theta.copy())
    np.testing.assert_allclose(SURFACE.gradient(theta), numeric, rtol=1e-6, atol=1e-8)
    model = nn.MLP([1, 1], output="identity")
    model.set_params([np.array([[theta[0]]]), np.array([theta[1]])])
    model.loss_and_grads(X, Y, loss="mse")
    np.testing.assert_allclose(SURFACE.gradient(theta), [g.item() for g in model.grads], rtol=1e-10)


def test_minimum_is_least_squares_and_the_hessian_is_the_second_derivative():
    w, b = np.polyfit(X[:, 0], Y[:, 0], 1)
    np.testing.assert_allclose(SURFACE.minimum, (w, b), rtol=1e-9)
    np.testing.assert_allclose(SURFACE.gradient(SURFACE.minimum), 0.0, atol=1e-10)
    columns = [(SURFACE.gradient(np.add(SURFACE.minimum, 1e-4 * e))
                - SURFACE.gradient(np.subtract(SURFACE.minimum, 1e-4 * e))) / 2e-4 for e in np.eye(2)]
    np.testing.assert_allclose(np.column_stack(columns), SURFACE.hessian, rtol=1e-7)


def test_plain_gd_below_two_over_the_largest_curvature_reaches_the_minimum():
    h_max = np.linalg.eigvalsh(SURFACE.hessian).max()
    path = nn.surfaces.trajectory(nn.optimizers.SGD(0.9 * 2 / h_max), SURFACE, (0.0, 0.0), 3000)
    np.testing.assert_allclose(path[-1], SURFACE.minimum, atol=1e-8)
    short = nn.surfaces.trajectory(nn.optimizers.SGD(1.1 * 2 / h_max), SURFACE, (0.0, 0.0), 3000)
    assert len(short) < 3001 or np.linalg.norm(short[-1]) > 1e6


def test_standardized_input_gives_a_round_bowl():
    Z = (X - X.mean()) / X.std()
    np.testing.assert_allclose(nn.surfaces.LinearRegressionMSE(Z, Y).hessian, 2 * np.eye(2),
                               atol=1e-12)


def test_default_view_holds_the_minimum_and_the_origin_and_can_be_set():
    (x0, x1), (y0, y1) = SURFACE.xlim, SURFACE.ylim
    assert x0 < 0 < x1 and y0 < 0 < y1
    assert x0 < SURFACE.minimum[0] < x1 and y0 < SURFACE.minimum[1] < y1
    assert all(isinstance(v, float) for v in SURFACE.xlim + SURFACE.ylim)
    custom = nn.surfaces.LinearRegressionMSE(X.ravel(), Y.ravel(), xlim=(-1, 3), ylim=(0, 2))
    assert custom.xlim == (-1.0, 3.0) and custom.ylim == (0.0, 2.0)
    ax = nn.plotting.surface_paths(custom, {"start": np.zeros((1, 2))})
    assert ax.get_xlim() == (-1.0, 3.0)
    plt.close("all")
    assert "LinearRegressionMSE(m=30" in repr(SURFACE)


@pytest.mark.parametrize("args, error, message", [
    ((np.zeros((5, 2)), np.zeros(5)), ValueError, "one feature"),
    ((np.zeros((5, 1)), np.zeros(4)), ValueError, "one value per sample"),
    ((np.ones((5, 1)), np.zeros(5)), ValueError, "two different values"),
    ((np.array([[1.0], [np.nan]]), np.zeros(2)), ValueError, "finite"),
    (("sizes", np.zeros(5)), TypeError, "array of numbers"),
])
def test_bad_data_is_rejected_with_a_clear_message(args, error, message):
    with pytest.raises(error, match=message):
        nn.surfaces.LinearRegressionMSE(*args)

"""Plot helpers of chapter 5: regression_lines, descent_steps, loss_along_lines,
iteration_losses."""

import numpy as np
import pytest
from matplotlib.axes import Axes

import nnlib as nn
from nnlib import plotting


def test_regression_lines_draws_data_and_each_line():
    X, y = nn.datasets.house_prices(n=10)
    ax = plotting.regression_lines(X, y, {"fit": (2.0, 0.5), "other": (1.0, 0.0)},
                                   title="Houses", xlabel="size", ylabel="price")
    assert isinstance(ax, Axes)
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Houses", "size", "price")
    assert len(ax.collections) == 1 and len(ax.collections[0].get_offsets()) == 10
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["fit", "other"]
    xs, ys = lines[0].get_data()
    np.testing.assert_allclose(ys, 2.0 * xs + 0.5)
    assert xs.min() == pytest.approx(X.min()) and xs.max() == pytest.approx(X.max())


def test_regression_lines_rejects_mismatched_data():
    with pytest.raises(ValueError, match="10 samples but y has 9"):
        plotting.regression_lines(np.zeros(10), np.zeros(9))


def test_descent_steps_draws_curve_and_iterates():
    path = np.array([2.0, 1.0, 0.5])
    ax = plotting.descent_steps(lambda t: t ** 2, path, title="steps")
    assert ax.get_title() == "steps" and ax.get_xlabel() and ax.get_ylabel()
    assert r"\mathcal{L}" in ax.get_ylabel()  # the loss is script L; plain L counts layers
    curve, steps, start = ax.get_lines()
    np.testing.assert_allclose(steps.get_xdata(), path)
    np.testing.assert_allclose(steps.get_ydata(), path ** 2)
    assert start.get_xdata()[0] == 2.0
    lo, hi = ax.get_xlim()
    assert lo < -2.0 and hi > 2.0  # the default view holds the whole path, symmetric


def test_descent_steps_with_a_diverging_path_and_a_fixed_view():
    ax = plotting.descent_steps(lambda t: t ** 2, [1.0, -1.2, 1.5, np.inf], xlim=(-2, 2))
    assert ax.get_xlim() == (-2.0, 2.0)
    with pytest.raises(ValueError):
        plotting.descent_steps(lambda t: t ** 2, [])


def test_loss_along_lines_one_and_several_lines():
    t = np.linspace(-1, 1, 5)
    ax = plotting.loss_along_lines(t, {"one": t ** 2, "many": np.vstack([t ** 2, 2 * t ** 2])})
    lines = ax.get_lines()
    assert len(lines) == 3
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["one", "many"]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() == "loss"
    with pytest.raises(ValueError, match="4 values per line"):
        plotting.loss_along_lines(t, {"bad": np.zeros(4)})
    with pytest.raises(ValueError):
        plotting.loss_along_lines(t, {})


def test_iteration_losses_puts_runs_on_an_epoch_axis():
    X, y = nn.datasets.house_prices(n=20)
    model = nn.MLP([1, 1], output="identity", seed=0)
    history = model.fit(X, y, optimizer=nn.optimizers.SGD(lr=0.05), num_epochs=3, batch_size=5)
    ax = plotting.iteration_losses({"mini-batch": history, "pair": ([4.0, 2.0, 1.0], 1)})
    first, second = ax.get_lines()
    assert len(first.get_xdata()) == 12
    np.testing.assert_allclose(first.get_xdata()[[0, -1]], [0.25, 3.0])
    np.testing.assert_allclose(second.get_xdata(), [1.0, 2.0, 3.0])
    assert ax.get_yscale() == "log"
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Loss per iteration", "epoch", "loss")
    with pytest.raises(ValueError):
        plotting.iteration_losses({})
    with pytest.raises(ValueError, match="iterations_per_epoch"):
        plotting.iteration_losses({"bad": ([1.0], 0)})

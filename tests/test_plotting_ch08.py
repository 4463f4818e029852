"""Plot helpers of chapter 8: regression_fit, loss_profiles, loss_panels, confusion_matrix."""

import numpy as np
import pytest
from matplotlib.axes import Axes

import nnlib as nn
from nnlib import plotting


def test_regression_fit_draws_data_truth_and_model():
    X, y = nn.datasets.regression_curve("square", n=20, seed=0)
    Xv, yv = nn.datasets.regression_curve("square", n=10, seed=1)
    model = nn.MLP([1, 4, 1], activation="tanh", seed=0)
    ax = plotting.regression_fit(model, X, y, true_fn=lambda x: x ** 2, X_val=Xv, y_val=yv,
                                 title="fit", ylim=(-1, 2))
    assert isinstance(ax, Axes)
    assert ax.get_title() == "fit" and ax.get_xlabel() and ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(labels) == ["network", "training data", "true curve", "validation data"]
    assert ax.get_ylim() == (-1, 2)
    network = [line for line in ax.get_lines() if line.get_label() == "network"][0]
    xs, ys = network.get_data()
    np.testing.assert_allclose(ys, model.predict(xs.reshape(-1, 1)).ravel())


def test_regression_fit_accepts_a_function_and_flat_arrays():
    ax = plotting.regression_fit(lambda x: 2 * x, np.arange(5.0), np.arange(5.0))
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["network", "training data"]
    with pytest.raises(ValueError, match="5 samples but y has 4"):
        plotting.regression_fit(lambda x: x, np.arange(5.0), np.arange(4.0))


def test_loss_profiles_lines_and_marks():
    x = np.linspace(0, 4, 9)
    ax = plotting.loss_profiles(x, {"squared": (x - 2) ** 2, "absolute": abs(x - 2)},
                                marks={"target": 2.0}, ylim=(0, 5))
    assert [line.get_label() for line in ax.get_lines()] == ["squared", "absolute", "target"]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() == "loss"
    with pytest.raises(ValueError, match="expected"):
        plotting.loss_profiles(x, {"bad": np.ones(3)})
    with pytest.raises(ValueError, match="non-empty"):
        plotting.loss_profiles(x, {})


def _history():
    X, y = nn.datasets.regression_curve("sin", n=10, noise=0.3, seed=0)
    Xv, yv = nn.datasets.regression_curve("sin", n=30, noise=0.3, seed=1)
    model = nn.MLP([1, 8, 1], activation="tanh", seed=0)
    return model.fit(X, y, optimizer=nn.optimizers.Adam(lr=0.05), num_epochs=60,
                     validation_data=(Xv, yv))


def test_loss_panels_share_the_scale_and_mark_the_best_epoch():
    h = _history()
    axes = plotting.loss_panels({"a": h, "b": h}, ylim=(0, 1))
    assert len(axes) == 2 and [ax.get_title() for ax in axes] == ["a", "b"]
    best = int(np.argmin(h.val_loss)) + 1
    for ax in axes:
        assert ax.get_ylim() == (0, 1)
        marks = [line for line in ax.get_lines() if "lowest val" in line.get_label()]
        assert len(marks) == 1 and marks[0].get_xdata()[0] == best
    with pytest.raises(ValueError, match="non-empty"):
        plotting.loss_panels({})
    with pytest.raises(ValueError, match="1 Axes for 2 runs"):
        plotting.loss_panels({"a": h, "b": h}, axes=[axes[0]])


def test_confusion_matrix_writes_the_counts():
    C = nn.metrics.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0])
    ax = plotting.confusion_matrix(C, class_names=["a", "b", "c"])
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert ax.get_title() == "Confusion matrix"
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["1", "1", "1", "2", "1"])  # non-zero cells and the diagonal
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    np.testing.assert_array_equal(ax.images[0].get_array(), C)


@pytest.mark.parametrize("C, names, fragment", [
    (np.ones((2, 3)), None, "square"),
    (np.ones(3), None, "square"),
    (np.eye(2), ["a"], "1 class names for 2 classes"),
])
def test_confusion_matrix_rejects_bad_input(C, names, fragment):
    with pytest.raises(ValueError, match=fragment):
        plotting.confusion_matrix(C, class_names=names)


def test_regression_fits_draws_each_fit_their_mean_and_the_truth():
    x = np.linspace(1, 0, 11)  # unsorted input is drawn left to right
    P = np.vstack([np.sin(x) + d for d in (-0.1, 0.0, 0.2)])
    ax = plotting.regression_fits(x, P, true_fn=np.sin, title="three fits", ylim=(-1, 2))
    assert isinstance(ax, Axes) and ax.get_title() == "three fits" and ax.get_ylim() == (-1, 2)
    lines = ax.get_lines()
    assert len(lines) == 5  # three fits, the mean, the truth
    mean = [line for line in lines if line.get_label() == "mean fit"][0]
    xs, ys = mean.get_data()
    assert np.all(np.diff(xs) > 0)
    np.testing.assert_allclose(ys, np.sin(xs) + 0.1 / 3)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["single fits", "mean fit", "true curve"]


def test_regression_fits_rejects_bad_shapes():
    with pytest.raises(ValueError, match=r"shape \(n_fits, 4\)"):
        plotting.regression_fits(np.arange(4.0), np.ones((2, 3)))
    with pytest.raises(ValueError, match="n_fits"):
        plotting.regression_fits(np.arange(4.0), np.ones((0, 4)))

"""Plot helpers of chapter 6: line_comparison, highlighted_losses."""

import numpy as np
import pytest
from matplotlib.axes import Axes

from nnlib import plotting


def test_line_comparison_draws_each_curve_and_the_marks():
    x = np.linspace(0, 1, 5)
    ax = plotting.line_comparison(x, {"a": x ** 2, "b": [1, np.inf, 2, 3, 4]},
                                  marks={"theory": 0.4}, title="T", xlabel="beta",
                                  ylabel="rate", logy=True)
    assert isinstance(ax, Axes)
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "beta", "rate")
    assert ax.get_yscale() == "log"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a", "b", "theory"]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), x ** 2)
    assert np.isnan(ax.lines[1].get_ydata()[1])  # the infinite value is left out
    assert ax.lines[2].get_xdata()[0] == 0.4


def test_line_comparison_rejects_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        plotting.line_comparison([1, 2], {})
    with pytest.raises(ValueError, match="has 3 values, x has 2"):
        plotting.line_comparison([1, 2], {"a": [1, 2, 3]})


def test_highlighted_losses_draws_the_chosen_run_on_top():
    runs = {"sgd": [1.0, 0.5, 0.25], "adam": [1.0, 0.1]}
    ax = plotting.highlighted_losses(runs, "adam")
    assert ax.get_title() == "Training loss per epoch"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "training loss")
    assert ax.get_yscale() == "log"
    assert len(ax.lines) == 3
    top = ax.lines[-1]
    assert top.get_label() == "adam" and top.get_linewidth() > ax.lines[0].get_linewidth()
    np.testing.assert_allclose(top.get_ydata(), [1.0, 0.1])


def test_highlighted_losses_takes_an_extra_run_and_rejects_unknown_names():
    ax = plotting.highlighted_losses({"sgd": [1.0, 0.5]}, ("mine", [2.0, 1.0, 0.5]), log=False,
                                     ylim=(0, 3))
    assert ax.lines[-1].get_label() == "mine" and ax.get_ylim() == (0, 3)
    with pytest.raises(ValueError, match="not one of the runs"):
        plotting.highlighted_losses({"sgd": [1.0]}, "adam")

"""Plot helpers: what they draw (data, titles, labels), where they draw it, and bad input."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from nnlib import activations, plotting


def dotted_lines(ax):
    return [line for line in ax.get_lines() if line.get_linestyle() == ":"]


# --- neuron --------------------------------------------------------------------------------

@pytest.mark.parametrize("w, b", [(1.0, 0.0), (2, -1), (-0.5, 1.5), (4, 4)])
def test_neuron_draws_sigmoid_of_wx_plus_b(w, b):
    ax = plotting.neuron(w, b)
    assert isinstance(ax, Axes)
    assert ax.get_title() == f"One neuron: w = {w:g}, b = {b:g}"
    assert ax.get_xlabel() and ax.get_ylabel()
    curve = ax.get_lines()[0]
    x, y = curve.get_xdata(), curve.get_ydata()
    assert len(x) == 400 and x[0] == -6.0 and x[-1] == 6.0
    np.testing.assert_allclose(y, activations.get("sigmoid").forward(w * x + b), rtol=0, atol=0)
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-(w * x + b))), rtol=1e-12, atol=1e-15)
    assert ax.get_xlim() == (-6.0, 6.0)
    assert ax.get_ylim() == (-0.05, 1.05)
    assert ax.get_legend() is not None


def test_title_names_w_and_b():
    title = plotting.neuron(w=-0.5, b=2).get_title()
    assert "w = -0.5" in title and "b = 2" in title


@pytest.mark.parametrize("w, b, crossing", [(1, 0, 0.0), (2, -1, 0.5), (-4, 2, 0.5), (0.5, 2.5, -5.0)])
def test_dotted_line_where_wx_plus_b_is_zero(w, b, crossing):
    ax = plotting.neuron(w, b)
    (line,) = dotted_lines(ax)
    np.testing.assert_allclose(line.get_xdata(), [crossing, crossing])
    assert len(ax.get_lines()) == 2


@pytest.mark.parametrize("w, b", [(0, 0), (0, 3), (1, 10), (-1, 8), (1, -6), (1, 6)])
def test_no_dotted_line_when_w_is_zero_or_crossing_out_of_range(w, b):
    ax = plotting.neuron(w, b)
    assert dotted_lines(ax) == []
    assert len(ax.get_lines()) == 1


def test_x_range():
    ax = plotting.neuron(1, -5, x_range=(0.0, 10.0))
    x = ax.get_lines()[0].get_xdata()
    assert x[0] == 0.0 and x[-1] == 10.0
    assert ax.get_xlim() == (0.0, 10.0)
    np.testing.assert_allclose(dotted_lines(ax)[0].get_xdata(), [5.0, 5.0])


def test_neuron_draws_on_the_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    before = plt.get_fignums()
    result = plotting.neuron(2, 1, ax=right)
    assert result is right
    assert plt.get_fignums() == before  # no new figure
    assert len(right.get_lines()) == 2 and left.get_lines() == []
    assert right.get_title() == "One neuron: w = 2, b = 1"


def test_neuron_makes_a_new_figure_without_axes():
    before = set(plt.get_fignums())
    ax = plotting.neuron()
    assert set(plt.get_fignums()) - before == {ax.figure.number}


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "step", "leaky_relu"])
def test_other_activations(name):
    w, b = 1.5, -0.75
    ax = plotting.neuron(w, b, activation=name)
    curve = ax.get_lines()[0]
    x = curve.get_xdata()
    g = activations.get(name)
    np.testing.assert_array_equal(curve.get_ydata(), g.forward(w * x + b))
    assert type(g).__name__ in curve.get_label()
    if name in ("sigmoid", "step"):
        assert ax.get_ylim() == (-0.05, 1.05)
    else:
        low, high = ax.get_ylim()
        assert low <= curve.get_ydata().min() and high >= curve.get_ydata().max()
        assert (low, high) != (-0.05, 1.05)


def test_activation_instance():
    ax = plotting.neuron(1, 0, activation=activations.get("tanh"))
    x, y = ax.get_lines()[0].get_data()
    np.testing.assert_array_equal(y, np.tanh(x))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"w": "1"}, TypeError, "w must be a real number, got str"),
        ({"w": None}, TypeError, "w must be a real number"),
        ({"w": True}, TypeError, "w must be a real number"),
        ({"w": [1.0]}, TypeError, "w must be a real number"),
        ({"w": float("nan")}, ValueError, "w must be finite"),
        ({"w": float("inf")}, ValueError, "w must be finite"),
        ({"b": "0"}, TypeError, "b must be a real number"),
        ({"b": -np.inf}, ValueError, "b must be finite"),
        ({"activation": "sigmoidd"}, ValueError, "sigmoidd"),
    ],
)
def test_bad_input_raises_before_drawing(kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.neuron(**kwargs)
    assert plt.get_fignums() == []


# --- new_axes and label ------------------------------------------------------------------

def test_new_axes_returns_the_given_axes():
    fig, ax = plt.subplots()
    assert plotting.new_axes(ax) is ax
    assert plt.get_fignums() == [fig.number]


def test_new_axes_default_figsize():
    ax = plotting.new_axes()
    assert isinstance(ax, Axes)
    assert tuple(ax.figure.get_size_inches()) == plotting.FIGSIZE == (6.0, 3.5)
    assert plt.get_fignums() == [ax.figure.number]
    params = ax.figure.subplotpars
    assert (params.left, params.right, params.bottom, params.top) == (0.12, 0.97, 0.15, 0.89)


def test_new_axes_figsize():
    ax = plotting.new_axes(figsize=(3, 2))
    assert tuple(ax.figure.get_size_inches()) == (3.0, 2.0)


def test_label_sets_title_and_axis_labels():
    fig, ax = plt.subplots()
    assert plotting.label(ax, "Loss", "epoch", "loss L") is ax
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Loss", "epoch", "loss L")


@pytest.mark.parametrize("ylim, minor", [((1e-4, 4.0), False), ((0.3, 0.9), True)])
def test_log_y_drops_minor_ticks_only_on_wide_axes(ylim, minor):
    fig, ax = plt.subplots()
    assert plotting.log_y(ax) is ax and ax.get_yscale() == "log"
    ax.set_ylim(*ylim)
    fig.canvas.draw()
    assert (len(ax.yaxis.get_minorticklocs()) > 0) == minor
    shown = [t.get_text() for t in ax.yaxis.get_ticklabels(which="both")
             if t.get_text() and ylim[0] <= t.get_position()[1] <= ylim[1]]
    assert len(shown) >= 2, shown  # a reader can always read numbers off the axis
    plt.close(fig)

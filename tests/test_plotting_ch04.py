"""Plot helpers of chapter 4: computational_graph, gate_graph, finite_difference_errors."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyBboxPatch

from nnlib import plotting


def coloured_texts(ax, colour):
    """The texts of ``ax`` drawn in ``colour`` (the edge labels), in drawing order."""
    return [t.get_text() for t in ax.texts if matplotlib.colors.same_color(t.get_color(), colour)]


def test_computational_graph_draws_inputs_as_boxes_operations_as_circles():
    nodes = [("x", (0, 1), "x"), ("y", (0, 0), "y"), ("z", (0, -1), "z"),
             ("q", (2, 0.5), "+"), ("f", (4, 0), "×"), ("end", (5.5, 0), "")]
    edges = [("x", "q", -2, -4), ("y", "q", 5, -4), ("q", "f", 3, -4), ("z", "f", -4, 3),
             ("f", "end", -12, 1)]
    ax = plotting.computational_graph(nodes, edges, title="f = (x + y) z")
    assert isinstance(ax, Axes)
    assert ax.get_title() == "f = (x + y) z"
    assert "forward value" in ax.get_xlabel() and "gradient" in ax.get_xlabel()
    assert sum(isinstance(p, FancyBboxPatch) for p in ax.patches) == 3  # x, y, z
    assert sum(isinstance(p, Circle) for p in ax.patches) == 2  # + and ×; "end" is invisible
    assert coloured_texts(ax, plotting.FORWARD_COLOR) == ["-2", "5", "3", "-4", "-12"]
    assert coloured_texts(ax, plotting.BACKWARD_COLOR) == ["-4", "-4", "-4", "3", "1"]
    # five arrows, one per edge
    assert sum(1 for t in ax.texts if t.get_text() == "" and t.arrow_patch is not None) == 5


def test_computational_graph_formats_numbers_and_skips_none():
    nodes = [("a", (0, 0), "a"), ("s", (2, 0), "σ"), ("end", (3.5, 0), "")]
    edges = [("a", "s", 1.0, None), ("s", "end", 0.7310585786, -0.0000001)]
    ax = plotting.computational_graph(nodes, edges, fmt="{:.2f}", note="a note")
    assert coloured_texts(ax, plotting.FORWARD_COLOR) == ["1.00", "0.73"]
    assert coloured_texts(ax, plotting.BACKWARD_COLOR) == ["0"]  # "-0.00" is shown as 0
    assert any(t.get_text() == "a note" for t in ax.texts)


def test_computational_graph_rejects_bad_nodes_and_edges():
    with pytest.raises(ValueError, match="each node must be"):
        plotting.computational_graph([("x", (0, 0))], [])
    with pytest.raises(ValueError, match="between known nodes"):
        plotting.computational_graph([("x", (0, 0), "x")], [("x", "nowhere", 1, 1)])


@pytest.mark.parametrize("gate, x, y, up, forward, backward", [
    ("add", -1.5, 2.0, 2.0, ["-1.5", "2", "0.5"], ["2", "2", "2"]),
    ("multiply", -1.5, 2.0, 2.0, ["-1.5", "2", "-3"], ["4", "-3", "2"]),
    ("max", -1.5, 2.0, 2.0, ["-1.5", "2", "2"], ["0", "2", "2"]),
    ("max", 3.0, 2.0, 2.0, ["3", "2", "3"], ["2", "0", "2"]),
    ("max", 1.0, 1.0, 1.0, ["1", "1", "1"], ["1", "0", "1"]),  # a tie goes to x
    ("copy", -1.5, 0.5, 2.0, ["-1.5", "-1.5", "-1.5"], ["2.5", "2", "0.5"]),
])
def test_gate_graph_shows_the_gate_patterns(gate, x, y, up, forward, backward):
    ax = plotting.gate_graph(gate, x, y, upstream=up)
    assert ax.get_title().lower().startswith(gate)
    assert coloured_texts(ax, plotting.FORWARD_COLOR) == forward
    assert coloured_texts(ax, plotting.BACKWARD_COLOR) == backward


def test_gate_graph_draws_on_a_given_axes_and_rejects_unknown_gates():
    fig, ax = plt.subplots()
    assert plotting.gate_graph("add", 1, 2, ax=ax) is ax
    with pytest.raises(ValueError, match="gate must be one of add, multiply, max, copy"):
        plotting.gate_graph("divide", 1, 2)
    with pytest.raises((TypeError, ValueError)):
        plotting.gate_graph("add", "one", 2)


def test_finite_difference_errors_plots_one_line_per_method():
    eps = np.logspace(-8, -1, 8)
    ax = plotting.finite_difference_errors(eps, {"one-sided": eps, "two-sided": eps ** 2})
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.get_lines()] == ["one-sided", "two-sided"]
    assert ax.get_title() and ax.get_xlabel() == r"step size $\epsilon$"
    assert ax.get_ylabel() == "absolute error of the derivative"
    # an error of exactly 0 is drawn at the floor instead of vanishing from a log axis
    ax = plotting.finite_difference_errors([1e-3, 1e-2], {"exact": [0.0, 0.0]})
    assert np.all(ax.get_lines()[0].get_ydata() > 0)


def test_finite_difference_errors_rejects_bad_input():
    with pytest.raises(ValueError, match="positive step sizes"):
        plotting.finite_difference_errors([0.0, 1.0], {"a": [1, 2]})
    with pytest.raises(ValueError, match="expected"):
        plotting.finite_difference_errors([0.1, 1.0], {"a": [1, 2, 3]})

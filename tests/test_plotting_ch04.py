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
    with pytest.raises(ValueError, match="for all nodes or for none"):
        plotting.computational_graph([("x", (0, 0), "x"), ("f", "+")], [("x", "f", 1, 1)])
    with pytest.raises(ValueError, match="unique"):
        plotting.computational_graph([("x", "x"), ("x", "+")], [])
    with pytest.raises(ValueError, match="cycle"):
        plotting.computational_graph([("a", "+"), ("b", "+")],
                                     [("a", "b", 1, 1), ("b", "a", 1, 1)])
    with pytest.raises(ValueError, match="non-empty list"):
        plotting.computational_graph([], [])
    with pytest.raises(TypeError, match="the gradient of edge x -> f must be a real number"):
        plotting.computational_graph([("x", "x"), ("f", "+")], [("x", "f", 1.0, "two")])


def node_centres(ax):
    """Centres of the drawn nodes: circles (operations) and boxes (inputs), by their text."""
    centres = {}
    for t in ax.texts:
        if t.get_color() in ("black", "k", (0, 0, 0, 1)) and t.get_text() and \
                not isinstance(t, matplotlib.text.Annotation):
            centres[t.get_text()] = t.get_position()
    return centres


def test_computational_graph_lays_out_nodes_without_positions():
    # f = (x + y) z: x and y left of +, + left of ×, z next to × (one column left of it)
    nodes = [("x", "$x$"), ("y", "$y$"), ("q", "+"), ("z", "$z$"), ("f", "×"), ("end", "")]
    edges = [("x", "q", -2, -4), ("y", "q", 5, -4), ("q", "f", 3, -4), ("z", "f", -4, 3),
             ("f", "end", -12, 1)]
    ax = plotting.computational_graph(nodes, edges)
    at = node_centres(ax)
    assert at["$x$"][0] == at["$y$"][0] < at["+"][0] == at["$z$"][0] < at["×"][0]
    assert at["$x$"][1] > at["$y$"][1] > at["$z$"][1]  # one row per input, in order
    assert at["+"][1] == pytest.approx((at["$x$"][1] + at["$y$"][1]) / 2)
    assert at["×"][1] == pytest.approx((at["+"][1] + at["$z$"][1]) / 2)
    assert coloured_texts(ax, plotting.BACKWARD_COLOR) == ["-4", "-4", "-4", "3", "1"]
    # no number of one edge lies on top of a number of another
    boxes = [t.get_window_extent(ax.figure.canvas.get_renderer()) for t in ax.texts
             if t.get_text() and isinstance(t, matplotlib.text.Annotation)]
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    assert not overlaps


def test_computational_graph_places_a_value_used_twice_once():
    nodes = [("x", "$x$"), ("y", "$y$"), ("z", "$z$"), ("p", "×"), ("r", "max"), ("s", "+"),
             ("out", "")]
    edges = [("x", "p", 3, -8), ("y", "p", -4, 6), ("y", "r", -4, 2), ("z", "r", -5, 0),
             ("p", "s", -12, 2), ("r", "s", -4, 2), ("s", "out", -16, 1)]
    ax = plotting.computational_graph(nodes, edges)
    at = node_centres(ax)
    assert sum(t.get_text() == "$y$" for t in ax.texts) == 1
    assert at["$x$"][1] > at["$y$"][1] > at["$z$"][1]
    assert at["×"][1] > at["max"][1]
    assert sum(isinstance(p, Circle) for p in ax.patches) == 3


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
    assert ax.get_title() and ax.get_xlabel() == r"step size $\varepsilon$"
    assert ax.get_ylabel() == "absolute error of the derivative"
    # an error of exactly 0 is drawn at the floor instead of vanishing from a log axis
    ax = plotting.finite_difference_errors([1e-3, 1e-2], {"exact": [0.0, 0.0]})
    assert np.all(ax.get_lines()[0].get_ydata() > 0)


def test_finite_difference_errors_rejects_bad_input():
    with pytest.raises(ValueError, match="positive step sizes"):
        plotting.finite_difference_errors([0.0, 1.0], {"a": [1, 2]})
    with pytest.raises(ValueError, match="expected"):
        plotting.finite_difference_errors([0.1, 1.0], {"a": [1, 2, 3]})

"""Diagrams (nnlib.diagrams, re-exported by nnlib.plotting): what they draw follows the numbers."""

import numpy as np
import pytest
from matplotlib.patches import Circle

import nnlib as nn
from nnlib import diagrams


def texts(ax):
    return [t.get_text() for t in ax.texts]


def circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def test_plotting_reexports_the_diagrams():
    for name in ("neuron_diagram", "perceptron_diagram", "network_diagram", "scale_sketch"):
        assert getattr(nn.plotting, name) is getattr(diagrams, name)


def test_neuron_diagram_writes_symbols_or_the_given_numbers():
    ax = nn.plotting.neuron_diagram()
    shown = texts(ax)
    assert {"$w_1$", "$w_2$", "$w_3$", "$x_1$", "$x_3$", "g"} <= set(shown)
    assert len(circles(ax)) == 3 + 1  # three inputs and the sum

    ax = nn.plotting.neuron_diagram([0.5, -2.0], bias=1.25, activation="σ")
    shown = texts(ax)
    assert "0.5" in shown and "-2" in shown and "σ" in shown
    assert any("1.25" in t for t in shown)
    assert len(circles(ax)) == 2 + 1


def test_perceptron_diagram_states_the_threshold_as_minus_the_bias():
    ax = nn.plotting.perceptron_diagram([0.5, 0.5], -0.7)
    assert "step" in texts(ax)
    assert r"\tau = 0.7" in ax.get_title()


@pytest.mark.parametrize("kwargs, error", [
    (dict(weights=[]), ValueError),
    (dict(weights=[1.0, np.nan]), ValueError),
    (dict(weights=[1.0, 2.0], input_labels=["a"]), ValueError),
    (dict(activation=3), TypeError),
    (dict(bias="b"), TypeError),
])
def test_neuron_diagram_rejects_bad_input(kwargs, error):
    with pytest.raises(error):
        nn.plotting.neuron_diagram(**kwargs)


def test_network_diagram_draws_every_unit_and_edge_of_a_small_network():
    ax = nn.plotting.network_diagram([2, 3, 1], activations=["tanh", "sigmoid"])
    assert len(circles(ax)) == 2 + 3 + 1
    assert len(ax.lines) == 2 * 3 + 3 * 1
    shown = "\n".join(texts(ax))
    for piece in ("input layer", "hidden layer", "output layer", "$n^{[1]} = 3$", "tanh", "sigmoid"):
        assert piece in shown


def test_network_diagram_draws_large_layers_with_an_ellipsis():
    ax = nn.plotting.network_diagram([64, 32, 10], max_units=6)
    assert len(circles(ax)) == 5 + 5 + 5  # max_units places, one of them the ellipsis
    assert texts(ax).count(r"$\vdots$") == 3
    assert "$n^{[0]} = 64$" in "\n".join(texts(ax))


def test_network_diagram_edges_follow_the_sign_and_size_of_the_weights():
    W1 = np.array([[1.0, -0.25], [-2.0, 0.5]])
    W2 = np.array([[0.5], [-1.0]])
    ax = nn.plotting.network_diagram([2, 2, 1], weights=[W1, W2], show_values=False)
    colours = [line.get_color() for line in ax.lines]
    assert colours.count(diagrams.POSITIVE) == 3 and colours.count(diagrams.NEGATIVE) == 3
    widths = [line.get_linewidth() for line in ax.lines[:4]]  # layer 1, in the order of W1's entries
    order = np.argsort(np.abs(W1).ravel())
    assert np.all(np.diff(np.array(widths)[order]) > 0)


def test_network_diagram_writes_small_networks_weights_and_biases():
    W1, b1 = [[-0.5, 0.5], [-0.5, 0.5]], [0.7, -0.2]
    W2, b2 = [[0.5], [0.5]], [-0.7]
    ax = nn.plotting.network_diagram([2, 2, 1], weights=[W1, W2], biases=[b1, b2])
    shown = texts(ax)
    assert shown.count("-0.5") == 2 and shown.count("0.5") == 4
    assert {"b = 0.7", "b = -0.2", "b = -0.7"} <= set(shown)


def test_network_diagram_takes_a_model_and_its_own_weights():
    model = nn.MLP([3, 4, 2], activation="tanh", output="softmax", seed=1)
    ax = nn.plotting.network_diagram(model, weights=True, show_values=False)
    assert len(circles(ax)) == 3 + 4 + 2
    positive = sum(int((layer.W >= 0).sum()) for layer in model.layers)
    assert [line.get_color() for line in ax.lines].count(diagrams.POSITIVE) == positive
    assert "softmax" in "\n".join(texts(ax))


@pytest.mark.parametrize("args, kwargs", [
    (([2],), {}),
    (([2, 0, 1],), {}),
    (([2, 1.5, 1],), {}),
    (("2-2-1",), {}),
    (([2, 2, 1],), dict(weights=True)),
    (([2, 2, 1],), dict(weights=[np.ones((2, 2)), np.ones((1, 2))])),
    (([2, 2, 1],), dict(weights=[np.ones((2, 2)), np.ones((2, 1))], biases=[[0.0], [0.0]])),
    (([2, 2, 1],), dict(activations=["relu"])),
    (([2, 2, 1],), dict(max_units=2)),
    (([2, 2, 1],), dict(show_values=True)),
])
def test_network_diagram_rejects_bad_input(args, kwargs):
    with pytest.raises(ValueError):
        nn.plotting.network_diagram(*args, **kwargs)


def test_scale_sketch_says_it_is_a_sketch():
    ax = nn.plotting.scale_sketch()
    assert len(ax.lines) == 4
    assert "sketch" in ax.get_title()
    finals = [line.get_ydata()[-1] for line in ax.lines]
    assert finals == sorted(finals)  # larger networks end higher, the traditional algorithm lowest

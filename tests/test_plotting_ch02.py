"""Plot helpers of chapter 2: axes_row, representations, input_and_hidden, hidden_spaces."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

import nnlib as nn
from nnlib import plotting


@pytest.fixture
def xor_model():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
    model.set_params([np.array([[6.0, -6.0], [6.0, -6.0]]), np.array([-3.0, 9.0]),
                      np.array([[6.0], [6.0]]), np.array([-9.0])])
    return model, X, y


def scattered(ax):
    """All scattered points of ``ax``, stacked."""
    return np.vstack([c.get_offsets() for c in ax.collections if len(c.get_offsets())
                      and hasattr(c, "get_sizes") and len(c.get_sizes())])


@pytest.mark.parametrize("n", [1, 2, 3])
def test_axes_row_gives_n_panels_of_one_figure(n):
    axes = plotting.axes_row(n)
    assert isinstance(axes, list) and len(axes) == n
    assert all(isinstance(ax, Axes) for ax in axes)
    assert len({id(ax.figure) for ax in axes}) == 1
    width, height = axes[0].figure.get_size_inches()
    assert width == pytest.approx(4.5 * n) and height == pytest.approx(3.8)


def test_axes_row_rejects_zero_panels():
    with pytest.raises(ValueError, match="at least one panel"):
        plotting.axes_row(0)


def test_input_and_hidden_draws_input_regions_and_the_hidden_points(xor_model):
    model, X, y = xor_model
    axes = plotting.input_and_hidden(model, X, y)
    assert len(axes) == 2 and axes[0].figure is axes[1].figure
    assert axes[0].get_title() == "Input space: decision regions"
    assert axes[0].get_xlabel() == "$x_1$" and axes[0].get_ylabel() == "$x_2$"
    assert axes[1].get_title() == "Hidden layer 1 (2 units)"
    assert axes[1].get_xlabel() == "$a^{[1]}_1$" and axes[1].get_ylabel() == "$a^{[1]}_2$"
    # the hidden panel shows exactly sigmoid(X W1 + b1)
    H = model.activations(X)[0]
    np.testing.assert_allclose(np.sort(scattered(axes[1]), axis=0), np.sort(H, axis=0))
    # and the next layer's line
    assert any(line.get_label() == "next layer's line" for line in axes[1].get_lines())


def test_representations_shows_every_hidden_layer_by_default():
    X, y = nn.datasets.spiral(n_per_class=20, n_classes=3, seed=0)
    model = nn.MLP([2, 6, 4, 3], activation="sigmoid", output="softmax", seed=0)
    axes = plotting.representations(model, X, y, resolution=20, suptitle="Spiral")
    assert [ax.get_title() for ax in axes] == [
        "Input space: decision regions", "Hidden layer 1 (6 units)", "Hidden layer 2 (4 units)"]
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in axes)
    assert axes[1].get_xlabel() == "principal component 1"
    assert axes[0].figure._suptitle.get_text() == "Spiral"


def test_representations_of_chosen_layers_on_given_axes(xor_model):
    model, X, y = xor_model
    fig, given = plt.subplots(1, 2)
    axes = plotting.representations(model, X, y, layers=[1], axes=list(given))
    assert axes[0] is given[0] and axes[1] is given[1]


@pytest.mark.parametrize("layers, match", [([0], "1..1"), ([2], "1..1"), ([1.0], "1..1")])
def test_representations_rejects_layers_that_are_not_hidden(xor_model, layers, match):
    model, X, y = xor_model
    with pytest.raises(ValueError, match=match):
        plotting.representations(model, X, y, layers=layers)


def test_representations_needs_a_hidden_layer_and_matching_axes(xor_model):
    model, X, y = xor_model
    with pytest.raises(ValueError, match="hidden layer"):
        plotting.representations(nn.MLP([2, 1], output="sigmoid"), X, y)
    with pytest.raises(ValueError, match="expected 2 Axes"):
        plotting.representations(model, X, y, axes=plotting.axes_row(3))


def test_hidden_spaces_puts_models_side_by_side_with_titles(xor_model):
    model, X, y = xor_model
    step = nn.MLP([2, 2, 1], activation="step", output="sigmoid")
    step.set_params(model.get_params())
    axes = plotting.hidden_spaces([step, model], X, y, titles=["step", "sigmoid"])
    assert [ax.get_title() for ax in axes] == ["step", "sigmoid"]
    # step units put the four corners on the Boolean corners (0, 1), (1, 1), (1, 1), (1, 0)
    np.testing.assert_array_equal(np.unique(scattered(axes[0]), axis=0), [[0, 1], [1, 0], [1, 1]])
    default = plotting.hidden_spaces([model], X, y)
    assert default[0].get_title() == "Hidden layer 1 (2 units)"


def test_hidden_spaces_rejects_mismatched_arguments(xor_model):
    model, X, y = xor_model
    with pytest.raises(ValueError, match="at least one model"):
        plotting.hidden_spaces([], X, y)
    with pytest.raises(ValueError, match="1 titles for 2 models"):
        plotting.hidden_spaces([model, model], X, y, titles=["one"])
    with pytest.raises(ValueError, match="3 Axes for 2 models"):
        plotting.hidden_spaces([model, model], X, y, axes=plotting.axes_row(3))


def test_input_and_hidden_works_as_an_explorer_plot():
    X, y = nn.datasets.xor()

    def plot(units):
        model = nn.MLP([2, units, 1], activation="sigmoid", output="sigmoid", seed=0)
        return plotting.input_and_hidden(model, X, y, resolution=20)

    explorer = nn.widgets.explore(plot, units=[1, 2, 3], mode="static", dpi=30)
    assert len(explorer.frames) == 3
    assert "could not be drawn" not in explorer.html


def test_hidden_axes_are_named_after_the_layer_in_the_book_notation():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 3, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
    axes = plotting.representations(model, X, y, layers=[2], resolution=10)
    assert (axes[1].get_xlabel(), axes[1].get_ylabel()) == ("$a^{[2]}_1$", "$a^{[2]}_2$")
    assert axes[1].get_title() == "Hidden layer 2 (2 units)"

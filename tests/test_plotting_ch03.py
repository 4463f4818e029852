"""Plot helpers of chapter 3: activation_curves, activation_grid, gradient_norms,
probabilities, loss_comparison."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

import nnlib as nn
from nnlib import plotting


def labelled(ax):
    return ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


# --- activation_curves ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "elu", "softplus", "step", "brelu"])
def test_activation_curves_draw_g_and_its_derivative(name):
    g = nn.activations.get(name)
    ax = plotting.activation_curves(name)
    assert isinstance(ax, Axes) and labelled(ax)
    assert ax.get_title() == type(g).__name__ + (" (alpha = 1)" if name == "elu" else "")
    f_line, df_line = [line for line in ax.get_lines() if line.get_label() in ("$g(z)$", "$g'(z)$")]
    z = f_line.get_xdata()
    assert z[0] == -5.0 and z[-1] == 5.0 and 0.0 in z
    column = z.reshape(-1, 1)  # BReLU's unit 0 is a ReLU
    np.testing.assert_array_equal(f_line.get_ydata(), g.forward(column)[:, 0])
    np.testing.assert_array_equal(df_line.get_ydata(), g.derivative(column)[:, 0])
    assert ax.get_legend() is not None


def test_activation_curves_take_instances_ranges_limits_and_an_axes():
    fig, ax = plt.subplots()
    leaky = nn.activations.get("leaky_relu", slope=0.2)
    out = plotting.activation_curves(leaky, ax=ax, z_range=(-2, 3), ylim=(-1, 4))
    assert out is ax
    assert ax.get_title() == "LeakyReLU (slope = 0.2)"
    assert ax.get_xlim() == (-2.0, 3.0) and ax.get_ylim() == (-1.0, 4.0)
    f_line = ax.get_lines()[2]
    assert f_line.get_ydata()[0] == pytest.approx(-0.4)
    assert plotting.activation_curves("tanh", title="Mine").get_title() == "Mine"


def test_activation_curves_refuse_softmax_bad_ranges_and_unknown_names():
    with pytest.raises(ValueError, match="softmax is not elementwise"):
        plotting.activation_curves("softmax")
    with pytest.raises(ValueError, match="increasing"):
        plotting.activation_curves("relu", z_range=(1, -1))
    with pytest.raises(ValueError, match="relu"):
        plotting.activation_curves("rleu")


# --- activation_grid ----------------------------------------------------------------------------

def test_activation_grid_draws_one_panel_per_activation_and_one_legend():
    names = ["step", "sigmoid", "tanh", "relu", "elu"]
    axes = plotting.activation_grid(names, ncols=3)
    assert len(axes) == 5 and len({id(ax.figure) for ax in axes}) == 1
    fig = axes[0].figure
    assert len(fig.axes) == 5  # the unused sixth slot is removed
    assert [ax.get_title() for ax in axes] == ["Step", "Sigmoid", "Tanh", "ReLU", "ELU (alpha = 1)"]
    assert all(ax.get_legend() is None for ax in axes) and len(fig.legends) == 1
    assert all(ax.get_xlabel() for ax in axes)
    assert axes[0].get_ylabel() and axes[3].get_ylabel() and not axes[1].get_ylabel()


def test_activation_grid_uses_given_axes_and_checks_their_number():
    fig, axes = plt.subplots(1, 2)
    out = plotting.activation_grid(["relu", "tanh"], axes=axes)
    assert list(out) == list(axes)
    assert all(labelled(ax) for ax in axes)
    with pytest.raises(ValueError, match="2 Axes for 3"):
        plotting.activation_grid(["relu", "tanh", "elu"], axes=axes)
    with pytest.raises(ValueError, match="at least one"):
        plotting.activation_grid([])


# --- gradient_norms -----------------------------------------------------------------------------

@pytest.fixture
def stats():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 4)), rng.normal(size=(32, 1))
    out = {}
    for act in ("sigmoid", "relu"):
        model = nn.MLP([4, 8, 8, 8, 1], activation=act, seed=0)
        out[act] = nn.diagnostics.layer_stats(model, X, y, "mse")
    return out


def test_gradient_norms_draws_bars_of_one_network_on_a_log_scale(stats):
    ax = plotting.gradient_norms(stats["sigmoid"], ylim=(1e-6, 1e2), title="Sigmoid")
    assert labelled(ax) and ax.get_title() == "Sigmoid"
    assert ax.get_yscale() == "log" and ax.get_ylim() == pytest.approx((1e-6, 1e2))
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, stats["sigmoid"].grad_norm)
    assert [p.get_x() + p.get_width() / 2 for p in ax.patches] == pytest.approx([1, 2, 3, 4])


def test_gradient_norms_draws_one_line_per_network(stats):
    ax = plotting.gradient_norms(stats)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["sigmoid", "relu"]
    for line, s in zip(lines, stats.values()):
        np.testing.assert_allclose(line.get_ydata(), s.grad_norm)
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
    assert ax.get_legend() is not None and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="non-empty"):
        plotting.gradient_norms({})


# --- probabilities ------------------------------------------------------------------------------

def test_probabilities_draws_one_vector_as_bars():
    ax = plotting.probabilities([0.7, 0.2, 0.1], class_names=["cat", "dog", "bird"])
    assert labelled(ax)
    assert [p.get_height() for p in ax.patches] == pytest.approx([0.7, 0.2, 0.1])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "bird"]
    assert ax.get_ylim() == (0.0, 1.05) and ax.get_legend() is None


def test_probabilities_groups_several_vectors_side_by_side():
    P = {"T = 1": [0.5, 0.5], "T = 2": [0.6, 0.4], "T = 5": [0.9, 0.1]}
    ax = plotting.probabilities(P)
    assert len(ax.patches) == 6
    centres = sorted(p.get_x() + p.get_width() / 2 for p in ax.patches)
    assert centres[0] < 0 < centres[2] and centres[3] < 1 < centres[5]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(P)


def test_probabilities_rejects_mismatched_input():
    with pytest.raises(ValueError, match="same length"):
        plotting.probabilities({"a": [0.5, 0.5], "b": [0.2, 0.3, 0.5]})
    with pytest.raises(ValueError, match="2 class names for 3"):
        plotting.probabilities([0.2, 0.3, 0.5], class_names=["a", "b"])
    with pytest.raises(ValueError, match="non-empty"):
        plotting.probabilities({})


# --- loss_comparison ----------------------------------------------------------------------------

def test_loss_comparison_draws_histories_and_lists():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=0)
    history = model.fit(X, y, loss="bce", optimizer=nn.optimizers.Adam(lr=0.1), num_epochs=5)
    ax = plotting.loss_comparison({"trained": history, "flat": [0.7] * 5}, ylim=(0, 1))
    assert labelled(ax)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["trained", "flat"]
    np.testing.assert_allclose(lines[0].get_ydata(), history.loss)
    np.testing.assert_array_equal(lines[1].get_xdata(), [1, 2, 3, 4, 5])
    assert ax.get_ylim() == (0.0, 1.0)
    assert plotting.loss_comparison({"a": [1.0, 0.1]}, log=True).get_yscale() == "log"
    with pytest.raises(ValueError, match="non-empty"):
        plotting.loss_comparison({})


def test_activation_curves_title_text_parameters():
    assert plotting.activation_curves("gelu").get_title() == "GELU (approximate = tanh)"
    assert plotting.activation_curves(nn.activations.get("silu", beta=2)).get_title() == \
        "SiLU (beta = 2)"

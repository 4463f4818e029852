"""Plot helpers of chapter 1: perceptrons on the unit square, their lines, shaded regions,
points, and the learning rule's mistakes per epoch."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

import nnlib as nn
from nnlib import plotting

GATES = {"and": ([0.5, 0.5], -0.7), "or": ([0.5, 0.5], -0.2), "nand": ([-0.5, -0.5], 0.7),
         "nor": ([-0.5, -0.5], 0.2), "not": ([-1.0], 0.5)}


def filled(ax):
    """The shaded polygons (matplotlib Polygon patches from ax.fill) with their colours."""
    return [(p.get_path(), p.get_facecolor()) for p in ax.patches]


def region_colour_at(ax, point):
    """The RGB colour of the shaded polygon containing ``point`` (None if unshaded)."""
    hits = [colour[:3] for path, colour in filled(ax) if path.contains_point(point)]
    assert len(hits) <= 1, f"{point} lies in {len(hits)} shaded regions"
    return hits[0] if hits else None


def rgb(hex_colour):
    return matplotlib.colors.to_rgb(hex_colour)


def scatter_offsets(ax):
    return np.vstack([c.get_offsets() for c in ax.collections if len(c.get_offsets())])


# --- _clip ----------------------------------------------------------------------------------

def test_clip_keeps_the_positive_side_of_the_line():
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    half = plotting._clip(square, np.array([1.0, 0.0]), -0.5)  # x1 > 0.5
    assert sorted(half) == sorted([(0.5, 0.0), (1.0, 0.0), (1.0, 1.0), (0.5, 1.0)])
    assert plotting._clip(square, np.array([1.0, 1.0]), -5.0) == []  # nowhere positive
    assert plotting._clip(square, np.array([0.0, 0.0]), 1.0) == square  # everywhere


def test_clip_of_a_triangle_corner():
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    corner = plotting._clip(square, np.array([1.0, 1.0]), -1.5)  # x1 + x2 > 1.5
    assert sorted(corner) == sorted([(1.0, 0.5), (1.0, 1.0), (0.5, 1.0)])


# --- perceptron_gate ------------------------------------------------------------------------

@pytest.mark.parametrize("w, b", [([0.5, 0.5], -0.7), ([1, -1], 0.25), ([0, 1], -0.5), ([1, 0], -0.5),
                                  ([-0.5, -0.5], 0.7), ([0.0, 0.0], 1.0), ([0.0, 0.0], -1.0)])
def test_gate_shades_exactly_where_the_perceptron_outputs_one(w, b):
    ax = plotting.perceptron_gate(w, b)
    assert isinstance(ax, Axes)
    rng = np.random.default_rng(0)
    for point in rng.uniform(-0.5, 1.5, size=(200, 2)):
        z = np.dot(w, point) + b
        if abs(z) < 1e-6:
            continue
        expected = rgb(plotting.CLASS_COLORS[1] if z > 0 else plotting.CLASS_COLORS[0])
        assert region_colour_at(ax, point) == pytest.approx(expected), (point, z)


def test_gate_draws_its_line_title_and_labels():
    ax = plotting.perceptron_gate([1.0, 2.0], -1.0)
    (line,) = ax.get_lines()
    x, y = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose(1.0 * x + 2.0 * y - 1.0, 0.0, atol=1e-12)
    assert ax.get_title() == "$w$ = (1, 2), $b$ = -1"
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert ax.get_xlim() == (-0.5, 1.5) and ax.get_ylim() == (-0.5, 1.5)
    assert list(ax.get_xticks()) == [0, 1]


def test_vertical_line_and_no_line_for_zero_weights():
    ax = plotting.perceptron_gate([2.0, 0.0], -1.0)
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_xdata(), [0.5, 0.5])
    assert plotting.perceptron_gate([0.0, 0.0], 1.0).get_lines() == []


def test_gate_colours_points_by_output_without_targets():
    ax = plotting.perceptron_gate([0.5, 0.5], -0.7)  # AND
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["output 0", "output 1"]
    by_class = {c.get_label(): c.get_offsets() for c in ax.collections}
    np.testing.assert_array_equal(by_class["output 1"], [[1, 1]])
    assert len(by_class["output 0"]) == 3


def test_gate_rings_the_rows_it_gets_wrong():
    X, y = nn.datasets.logic_gate("xor")
    ax = plotting.perceptron_gate([0.5, 0.5], -0.2, X, y)  # OR: wrong only at (1, 1)
    rings = [c for c in ax.collections if c.get_label() == "wrong output"]
    assert len(rings) == 1
    np.testing.assert_array_equal(rings[0].get_offsets(), [[1, 1]])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["target 0", "target 1", "wrong output"]
    right = plotting.perceptron_gate([0.5, 0.5], -0.7, *nn.datasets.logic_gate("and"))
    assert all(c.get_label() != "wrong output" for c in right.collections)


def test_repeated_points_are_counted():
    H = np.array([[1, 0], [1, 1], [1, 1], [0, 1]])
    ax = plotting.perceptron_gate([0.5, 0.5], -0.7, H, [0, 1, 1, 0], xlabel="$h_1$", ylabel="$h_2$")
    assert [t.get_text() for t in ax.texts] == ["×2"]
    assert ax.get_xlabel() == "$h_1$" and ax.get_ylabel() == "$h_2$"


def test_one_input_gate_is_a_threshold_on_the_number_line():
    ax = plotting.perceptron_gate([-1.0], 0.5)  # NOT
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_xdata(), [0.5, 0.5])
    np.testing.assert_array_equal(np.sort(scatter_offsets(ax), axis=0), [[0, 0], [1, 0]])
    assert region_colour_at(ax, (0.0, 0.3)) == pytest.approx(rgb(plotting.CLASS_COLORS[1]))
    assert region_colour_at(ax, (1.0, 0.3)) == pytest.approx(rgb(plotting.CLASS_COLORS[0]))
    assert ax.get_title() == "$w$ = (-1), $b$ = 0.5"
    assert "one input" in ax.get_ylabel() and list(ax.get_yticks()) == []


def test_gate_draws_on_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert plotting.perceptron_gate([1, 1], -1.5, ax=right) is right
    assert left.get_lines() == [] and len(right.get_lines()) == 1
    assert plt.get_fignums() == [fig.number]


@pytest.mark.parametrize("w, X, y, match", [
    ([1, 2, 3], None, None, "1 or 2 input"),
    ([np.nan, 1], None, None, "1 or 2 input"),
    ([1, 1], [[0, 0, 0]], None, "one column per weight"),
    ([1, 1], [[0, 0], [1, 1]], [0], "one target per row"),
])
def test_gate_rejects_bad_input(w, X, y, match):
    with pytest.raises(ValueError, match=match):
        plotting.perceptron_gate(w, 0.0, X, y)


# --- perceptron_gates -----------------------------------------------------------------------

def test_gates_draw_one_panel_per_gate_with_the_truth_table():
    axes = plotting.perceptron_gates(GATES)
    assert len(axes) == 5
    assert [ax.get_title().split(":")[0] for ax in axes] == ["AND", "OR", "NAND", "NOR", "NOT"]
    assert axes[0].get_title() == "AND: $w$ = (0.5, 0.5), $b$ = -0.7"
    assert axes[4].get_title() == "NOT: $w$ = (-1), $b$ = 0.5"
    fig = axes[0].figure
    assert len(fig.axes) == 5  # 2 rows of 3, the sixth removed
    assert all(ax.get_legend() is None for ax in axes)  # one legend for the figure instead
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["target 0", "target 1"]
    for ax in axes:  # right weights: nothing ringed, every panel labelled
        assert all(c.get_label() != "wrong output" for c in ax.collections)
        assert ax.get_xlabel() and ax.get_ylabel()
    assert len(plotting.perceptron_gates({k: GATES[k] for k in ["and", "or", "nand", "nor"]})[0]
               .figure.axes) == 4  # 2 x 2
    wrong = plotting.perceptron_gates({"and": GATES["or"]})
    assert "wrong output" in [t.get_text() for t in wrong[0].figure.legends[0].get_texts()]
    (rings,) = [c for c in wrong[0].collections if c.get_label() == "wrong output"]
    assert sorted(map(tuple, rings.get_offsets().tolist())) == [(0, 1), (1, 0)]


def test_gates_on_given_axes_and_bad_input():
    fig, axes = plt.subplots(1, 2)
    assert list(plotting.perceptron_gates({"and": GATES["and"], "or": GATES["or"]}, axes)) == list(axes)
    with pytest.raises(ValueError, match="2 axes for 1 gates"):
        plotting.perceptron_gates({"and": GATES["and"]}, axes)
    with pytest.raises(ValueError, match="at least one gate"):
        plotting.perceptron_gates({})
    with pytest.raises(ValueError, match="Unknown gate"):
        plotting.perceptron_gates({"nandy": GATES["and"]})


# --- perceptron_lines -----------------------------------------------------------------------

def test_lines_shade_where_all_output_one():
    X, y = nn.datasets.logic_gate("xor")
    ax = plotting.perceptron_lines({"NAND": GATES["nand"], "OR": GATES["or"]}, X, y, title="XOR")
    assert len(ax.get_lines()) == 2
    (band,) = [p.get_path() for p in ax.patches]
    for x, target in zip(X, y.ravel()):
        assert band.contains_point(x) == bool(target), x  # the band holds exactly XOR's 1s
    assert ax.get_title() == "XOR" and ax.get_xlabel() == "$x_1$"
    legends = [a for a in ax.get_children() if isinstance(a, matplotlib.legend.Legend)]
    texts = sorted(t.get_text() for legend in legends for t in legend.get_texts())
    assert texts == ["NAND", "OR", "all output 1", "target 0", "target 1"]


def test_lines_without_points_and_with_empty_intersection():
    ax = plotting.perceptron_lines({"a": ([1, 0], -1.2), "b": ([-1, 0], -0.2)})  # x1>1.2, x1<-0.2
    assert len(ax.patches) == 0
    with pytest.raises(ValueError, match="at least one"):
        plotting.perceptron_lines({})
    with pytest.raises(ValueError, match="2 input"):
        plotting.perceptron_lines({"a": ([1], 0)})


# --- perceptron_history and perceptron_run -------------------------------------------------

def test_history_plots_mistakes_and_accuracy_per_epoch():
    X, y = nn.datasets.logic_gate("and")
    run = nn.perceptron.train_perceptron(X, y)
    ax = plotting.perceptron_history({"AND": run})
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), np.arange(1, len(run.mistakes) + 1))
    np.testing.assert_array_equal(line.get_ydata(), run.mistakes)
    assert ax.get_ylabel() == "mistakes in the epoch" and ax.get_title() == "Mistakes per epoch"
    ax = plotting.perceptron_history(run, metric="accuracy", epochs=3)
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), run.accuracy[:3])
    assert ax.get_ylim() == (-0.05, 1.05) and ax.get_legend() is None
    xor = nn.perceptron.train_perceptron(*nn.datasets.logic_gate("xor"), num_epochs=100)
    ax = plotting.perceptron_history({"AND": run, "XOR": xor}, metric="accuracy", epochs=50)
    lengths = [len(line.get_xdata()) for line in ax.get_lines()]
    assert lengths == [len(run.accuracy), 50]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["AND", "XOR"]
    with pytest.raises(ValueError, match="metric"):
        plotting.perceptron_history(run, metric="loss")


def test_run_shows_bars_and_the_final_line():
    X, y = nn.datasets.logic_gate("nand")
    run = nn.perceptron.train_perceptron(X, y, lr=0.5)
    axes = plotting.perceptron_run(run, X, y, max_epochs=20)
    heights = [p.get_height() for p in axes[0].patches]
    assert heights == run.mistakes
    assert axes[0].get_xlim()[1] == pytest.approx(20.7)
    assert f"no mistakes in epoch {run.converged_epoch}" in axes[0].get_title()
    assert axes[1].get_title() == "Final line"
    assert all(c.get_label() != "wrong output" for c in axes[1].collections)
    X, y = nn.datasets.logic_gate("xor")
    stuck = nn.perceptron.train_perceptron(X, y, num_epochs=5)
    axes = plotting.perceptron_run(stuck, X, y)
    assert "still making mistakes after 5 epochs" in axes[0].get_title()
    assert any(c.get_label() == "wrong output" for c in axes[1].collections)


# --- perceptron_diagrams ------------------------------------------------------------------------

def test_diagrams_draw_each_gate_as_a_perceptron_with_its_numbers():
    axes = plotting.perceptron_diagrams(GATES)
    assert len(axes) == 5 and len(axes[0].figure.axes) == 5  # 2 rows of 3, the sixth removed
    assert [ax.get_title() for ax in axes] == [
        r"AND: $\tau$ = 0.7", r"OR: $\tau$ = 0.2", r"NAND: $\tau$ = -0.7",
        r"NOR: $\tau$ = -0.2", r"NOT: $\tau$ = -0.5"]
    for ax, (w, b) in zip(axes, GATES.values()):
        texts = [t.get_text() for t in ax.texts]
        assert [t for t in texts if t.startswith("$x_")] == [f"$x_{j + 1}$" for j in range(len(w))]
        for weight in w:  # each weight written on its edge
            assert f"{weight:g}" in texts
        assert f"+ $b$ = {b:g}" in texts and "step" in texts


def test_diagrams_on_given_axes_and_bad_input():
    fig, axes = plt.subplots(1, 2)
    drawn = plotting.perceptron_diagrams({"and": GATES["and"], "not": GATES["not"]}, axes)
    assert list(drawn) == list(axes)
    with pytest.raises(ValueError, match="2 axes for 1 gates"):
        plotting.perceptron_diagrams({"and": GATES["and"]}, axes)
    with pytest.raises(ValueError, match="at least one gate"):
        plotting.perceptron_diagrams({})
    with pytest.raises(ValueError, match="b must be finite"):
        plotting.perceptron_diagrams({"and": ([1.0, 1.0], np.nan)})
    one = plotting.perceptron_diagrams({"nor": GATES["nor"], "zero": ([1.0, 1.0], 0.0)})
    assert one[1].get_title() == r"ZERO: $\tau$ = 0"  # no "-0"

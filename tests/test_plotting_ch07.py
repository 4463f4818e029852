"""Plot helpers of chapter 7: layer_histograms, layer_std, weight_matrix."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import StepPatch

from nnlib import plotting


def labelled(ax):
    return ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def steps(ax):
    return [p for p in ax.patches if isinstance(p, StepPatch)]


def layer_arrays(n=4, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(scale=0.5 ** l, size=(200, 16)) for l in range(n)]


# --- layer_histograms -------------------------------------------------------------------------

def test_layer_histograms_draw_one_normalized_step_line_per_layer():
    arrays = layer_arrays(4)
    ax = plotting.layer_histograms(arrays, title="Activations", xlabel="activation")
    assert isinstance(ax, Axes) and labelled(ax)
    assert ax.get_title() == "Activations" and ax.get_ylabel() == "fraction of entries"
    lines = steps(ax)
    assert len(lines) == 4
    for line, a in zip(lines, arrays):
        fractions = line.get_data().values
        assert fractions.sum() == pytest.approx(1.0)  # clipped into the range, none lost
        assert f"std {np.std(a):.2g}" in line.get_label()
    lo, hi = ax.get_xlim()
    r = np.percentile(np.abs(arrays[0]), 99.5)
    assert (lo, hi) == pytest.approx((-r, r))
    assert [t.get_text() for t in ax.get_legend().get_texts()][0].startswith("layer 1 (")


def test_layer_histograms_pick_evenly_spaced_layers_and_given_ones():
    arrays = layer_arrays(30)
    ax = plotting.layer_histograms(arrays)
    labels = [p.get_label().split(" (")[0] for p in steps(ax)]
    assert labels[0] == "layer 1" and labels[-1] == "layer 30" and len(labels) == 6
    ax = plotting.layer_histograms(arrays, layers=[2, 5])
    assert [p.get_label().split(" (")[0] for p in steps(ax)] == ["layer 2", "layer 5"]
    with pytest.raises(ValueError, match="layer numbers 1..30"):
        plotting.layer_histograms(arrays, layers=[0])
    with pytest.raises(ValueError, match="at least one array"):
        plotting.layer_histograms([])
    with pytest.raises(ValueError, match="increasing"):
        plotting.layer_histograms(arrays, value_range=(1, -1))
    with pytest.raises(ValueError, match="bins"):
        plotting.layer_histograms(arrays, bins=1)


def test_layer_histograms_nonnegative_values_start_at_zero_and_log_shows_scales():
    relu = [np.maximum(a, 0) for a in layer_arrays(3)]
    ax = plotting.layer_histograms(relu)
    assert ax.get_xlim()[0] == 0.0
    fig, given = plt.subplots()
    ax = plotting.layer_histograms(relu, ax=given, log=True, xlabel="activation")
    assert ax is given
    assert "log10 |activation|" in ax.get_xlabel() and "nonzero" in ax.get_xlabel()
    # the layers' scales halve: log10|x| medians step down by log10(2)
    assert ax.get_xlim()[0] < np.log10(0.25) - 1 < ax.get_xlim()[1]
    lines = steps(ax)
    assert all(line.get_data().values.sum() == pytest.approx(0.5, abs=0.05) for line in lines)


def test_layer_histograms_handle_all_zero_layers():
    ax = plotting.layer_histograms([np.zeros((10, 3)), np.zeros((10, 3))], log=True)
    assert len(steps(ax)) == 2 and ax.get_xlim()[1] > ax.get_xlim()[0]
    ax = plotting.layer_histograms([np.zeros((10, 3))])
    assert ax.get_xlim() == (0.0, 1.0)


# --- layer_std --------------------------------------------------------------------------------

def test_layer_std_draws_one_line_per_series_on_a_log_scale():
    series = {"He": [0.8, 0.82, 0.79], "Xavier": [0.3, 0.2, 0.14]}
    ax = plotting.layer_std(series, ylim=(1e-3, 10))
    assert isinstance(ax, Axes) and labelled(ax)
    assert ax.get_yscale() == "log" and ax.get_ylim() == pytest.approx((1e-3, 10))
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["He", "Xavier"]
    np.testing.assert_array_equal(lines[1].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(lines[1].get_ydata(), [0.3, 0.2, 0.14])
    with pytest.raises(ValueError, match="non-empty"):
        plotting.layer_std({})
    with pytest.raises(ValueError, match="non-negative"):
        plotting.layer_std({"bad": [-1.0]})


# --- weight_matrix ----------------------------------------------------------------------------

def test_weight_matrix_shows_units_as_columns_with_values():
    W = np.array([[0.5, 0.5, -0.2], [0.1, 0.1, 0.3]])
    ax = plotting.weight_matrix(W)
    assert isinstance(ax, Axes) and labelled(ax)
    image = ax.get_images()[0]
    np.testing.assert_array_equal(image.get_array(), W)
    vmin, vmax = image.get_clim()
    assert vmin == -vmax and vmax >= 0.5  # 0 in the middle of the colour map
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3"]
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"{w:.2f}" for w in W.ravel())


def test_weight_matrix_zeros_large_matrices_and_bad_input():
    ax = plotting.weight_matrix(np.zeros((2, 4)))
    assert ax.get_images()[0].get_clim() == (-1.25, 1.25)
    ax = plotting.weight_matrix(np.ones((20, 20)))
    assert not ax.texts  # too many entries to write
    with pytest.raises(ValueError, match="finite 2-D"):
        plotting.weight_matrix(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="finite 2-D"):
        plotting.weight_matrix([[np.nan]])

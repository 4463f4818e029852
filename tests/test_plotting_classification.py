"""Classification pictures: points by class, decision regions, a perceptron's line, loss curves and
hidden-layer spaces. Each check reads back what was drawn (offsets, contour paths, line data)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgba
from matplotlib.contour import ContourSet

import nnlib as nn
from nnlib import plotting
from nnlib.plotting import CLASS_COLORS, CLASS_MARKERS

pytestmark = pytest.mark.filterwarnings("error")


# --- Helpers -------------------------------------------------------------------------------

def assert_labelled(ax):
    assert isinstance(ax, Axes)
    assert ax.get_title().strip()
    assert ax.get_xlabel().strip()
    assert ax.get_ylabel().strip()


def scatters(ax):
    return [c for c in ax.collections if not isinstance(c, ContourSet)]


def contour_set(ax):
    (cs,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    return cs


def class_offsets(ax):
    """``{k: (n_k, 2) offsets}`` of the class scatters, read from their legend labels."""
    out = {}
    for coll in scatters(ax):
        k = int(coll.get_label().split()[-1])
        out[k] = np.asarray(coll.get_offsets())
    return out


def region_at(cs, point):
    """Index of the filled band (class) of the contour set that contains ``point``."""
    inside = [i for i, path in enumerate(cs.get_paths())
              if len(path.vertices) and path.contains_point(point)]
    assert len(inside) == 1, f"{point} lies in bands {inside}"
    return inside[0]


def band_colours(cs):
    return [to_hex(c[:3]) for c in cs.get_facecolor()]


def safe_probes(predict, lo, hi, n=60, step=0.08, seed=0):
    """Random points whose label does not change within ``step`` (away from the boundary)."""
    rng = np.random.default_rng(seed)
    P = rng.uniform(lo, hi, size=(n, 2))
    labels = nn.metrics.to_labels(predict(P))
    keep = np.ones(len(P), bool)
    for dx, dy in [(step, 0), (-step, 0), (0, step), (0, -step), (step, step), (-step, -step),
                   (step, -step), (-step, step)]:
        keep &= nn.metrics.to_labels(predict(P + [dx, dy])) == labels
    return P[keep], labels[keep]


@pytest.fixture(scope="module")
def xor_model():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 2, 1], activation="tanh", output="sigmoid", seed=5)  # a seed that solves it
    model.fit(X, y, loss="bce", optimizer=nn.optimizers.Adam(lr=0.05), num_epochs=400)
    assert nn.metrics.accuracy(y, model.predict(X)) == 1.0
    return model, X, y


@pytest.fixture(scope="module")
def six_model():
    X, y = nn.datasets.six_regions(n_per_region=15, seed=0)
    model = nn.MLP([2, 6, 1], activation="tanh", output="sigmoid", seed=0)
    model.fit(X, y, loss="bce", optimizer=nn.optimizers.Adam(lr=0.05), num_epochs=300)
    return model, X, y


def three_class_probs(P):
    """Softmax-like probabilities of 3 classes by sector: right (x1 > 0.5), top-left, bottom-left."""
    scores = np.column_stack([4 * (P[:, 0] - 0.5), -P[:, 0] + P[:, 1], -P[:, 0] - P[:, 1]])
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --- Constants ------------------------------------------------------------------------------

def test_class_colours_and_markers_are_distinct_and_aligned():
    assert len(CLASS_COLORS) == len(CLASS_MARKERS) >= 3
    assert len(set(CLASS_COLORS)) == len(CLASS_COLORS)
    assert len(set(CLASS_MARKERS)) == len(CLASS_MARKERS)
    for c in CLASS_COLORS:
        to_rgba(c)  # a valid matplotlib colour


# --- Every helper: returns its Axes, titled and labelled ------------------------------------

def draw_each(xor_model):
    model, X, y = xor_model
    history = nn.History(loss=[1.0, 0.5, 0.25], val_loss=[1.1, 0.6, 0.3])
    return {
        "scatter_classes": lambda ax: plotting.scatter_classes(X, y, ax=ax),
        "decision_boundary": lambda ax: plotting.decision_boundary(model, X, y, ax=ax),
        "perceptron_line": lambda ax: plotting.perceptron_line([0.5, 0.5], -0.7, ax=ax),
        "loss_curves": lambda ax: plotting.loss_curves(history, ax=ax),
        "hidden_space": lambda ax: plotting.hidden_space(model, X, y, ax=ax),
    }


@pytest.mark.parametrize("name", ["scatter_classes", "decision_boundary", "perceptron_line",
                                  "loss_curves", "hidden_space"])
def test_draws_on_the_given_axes_or_a_new_one(name, xor_model):
    draw = draw_each(xor_model)[name]
    fig, given = plt.subplots()
    assert draw(given) is given
    assert_labelled(given)
    before = set(plt.get_fignums())
    new = draw(None)
    assert new is not given and isinstance(new, Axes)
    assert set(plt.get_fignums()) - before == {new.figure.number}
    assert_labelled(new)


# --- scatter_classes ------------------------------------------------------------------------

@pytest.mark.parametrize("one_hot", [False, True])
def test_scatter_classes_one_collection_per_class(one_hot):
    rng = np.random.default_rng(0)
    labels = np.array([0] * 3 + [1] * 5 + [2] * 2)
    rng.shuffle(labels)
    X = rng.normal(size=(10, 2))
    y = nn.datasets.one_hot(labels, 3) if one_hot else labels
    ax = plotting.scatter_classes(X, y)
    colls = scatters(ax)
    assert len(colls) == 3
    offsets = class_offsets(ax)
    assert sorted(offsets) == [0, 1, 2]
    for k, coll in enumerate(colls):
        assert coll.get_label() == f"class {k}"
        np.testing.assert_array_equal(offsets[k], X[labels == k])
        assert to_hex(coll.get_facecolor()[0][:3]) == CLASS_COLORS[k]
    assert [len(offsets[k]) for k in range(3)] == [3, 5, 2]


def test_scatter_classes_labels_as_column_and_prefix():
    X, y = nn.datasets.xor()
    ax = plotting.scatter_classes(X, y, label_prefix="target ")
    assert [c.get_label() for c in scatters(ax)] == ["target 0", "target 1"]
    offsets = class_offsets(ax)
    np.testing.assert_array_equal(offsets[0], [[0, 0], [1, 1]])
    np.testing.assert_array_equal(offsets[1], [[0, 1], [1, 0]])


def test_scatter_classes_title_and_labels():
    X, y = nn.datasets.xor()
    ax = plotting.scatter_classes(X, y)
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Data by class", "$x_1$", "$x_2$")
    ax = plotting.scatter_classes(X, y, title="XOR", xlabel="a", ylabel="b")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("XOR", "a", "b")


def test_scatter_classes_only_the_classes_present():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    ax = plotting.scatter_classes(X, [2, 2])
    (coll,) = scatters(ax)
    assert coll.get_label() == "class 2"
    assert to_hex(coll.get_facecolor()[0][:3]) == CLASS_COLORS[2]


# --- decision_boundary ----------------------------------------------------------------------

def check_regions(ax, predict, n_classes):
    cs = contour_set(ax)
    assert band_colours(cs) == list(CLASS_COLORS[:n_classes])
    np.testing.assert_allclose(cs.levels, np.arange(n_classes + 1) - 0.5)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    P, labels = safe_probes(predict, [x0 + 0.05, y0 + 0.05], [x1 - 0.05, y1 - 0.05])
    assert len(P) >= 20
    assert [region_at(cs, p) for p in P] == labels.tolist()
    return labels


def test_decision_boundary_of_an_mlp_on_xor(xor_model):
    model, X, y = xor_model
    ax = plotting.decision_boundary(model, X, y)
    assert_labelled(ax)
    assert ax.get_title() == "Decision regions"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_1$", "$x_2$")
    assert ax.get_xlim() == (-0.5, 1.5) and ax.get_ylim() == (-0.5, 1.5)
    labels = check_regions(ax, model.predict, 2)
    assert set(labels.tolist()) == {0, 1}
    # The corners themselves sit in the region of their class.
    cs = contour_set(ax)
    assert [region_at(cs, p) for p in X] == [0, 1, 1, 0]
    np.testing.assert_array_equal(class_offsets(ax)[1], [[0, 1], [1, 0]])


def test_decision_boundary_of_an_mlp_on_six_regions(six_model):
    model, X, y = six_model
    ax = plotting.decision_boundary(model, X, y, resolution=80, margin=1.0, title="Six regions",
                                    xlabel="a", ylabel="b")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Six regions", "a", "b")
    np.testing.assert_allclose(ax.get_xlim(), [X[:, 0].min() - 1.0, X[:, 0].max() + 1.0])
    np.testing.assert_allclose(ax.get_ylim(), [X[:, 1].min() - 1.0, X[:, 1].max() + 1.0])
    check_regions(ax, model.predict, 2)
    assert sum(len(o) for o in class_offsets(ax).values()) == len(X)


def test_decision_boundary_of_a_plain_function():
    X, y = nn.datasets.logic_gate("or")

    def predict(P):  # labels 1-D
        return (P[:, 0] + P[:, 1] > 0.5).astype(int)

    ax = plotting.decision_boundary(predict, X, y)
    check_regions(ax, predict, 2)
    cs = contour_set(ax)
    assert region_at(cs, (-0.3, -0.3)) == 0 and region_at(cs, (1.2, 1.2)) == 1


def test_decision_boundary_with_one_column_probabilities():
    X, y = nn.datasets.xor()

    def prob(P):  # sigmoid scores: class 1 where above 1/2
        return 1 / (1 + np.exp(-5 * (P[:, :1] - 0.5)))

    ax = plotting.decision_boundary(prob, X, y)
    check_regions(ax, prob, 2)
    cs = contour_set(ax)
    assert region_at(cs, (0.2, 1.3)) == 0 and region_at(cs, (0.8, -0.3)) == 1


@pytest.mark.parametrize("one_hot", [False, True])
def test_decision_boundary_with_three_classes(one_hot):
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 2, size=(30, 2))
    labels = np.argmax(three_class_probs(X), axis=1)
    if one_hot:
        def predict(P):
            return nn.datasets.one_hot(np.argmax(three_class_probs(P), axis=1), 3)
        y = nn.datasets.one_hot(labels, 3)
    else:
        predict = three_class_probs
        y = labels
    ax = plotting.decision_boundary(predict, X, y)
    found = check_regions(ax, predict, 3)
    assert set(found.tolist()) == {0, 1, 2}
    assert sorted(class_offsets(ax)) == [0, 1, 2]


def test_decision_boundary_colours_cover_classes_of_y_missing_from_predictions():
    X, y = nn.datasets.xor()
    ax = plotting.decision_boundary(lambda P: np.zeros(len(P), int), X, y)
    cs = contour_set(ax)
    assert band_colours(cs) == list(CLASS_COLORS[:2])
    assert region_at(cs, (0.5, 0.5)) == 0


def test_decision_boundary_of_a_softmax_mlp():
    X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]] * 3)
    y = np.array([0, 1, 2] * 3)
    model = nn.MLP([2, 3], output="softmax", seed=0)
    model.fit(X, y, loss="cross_entropy", optimizer=nn.optimizers.Adam(lr=0.1), num_epochs=200)
    ax = plotting.decision_boundary(model, X, y)
    check_regions(ax, model.predict, 3)
    cs = contour_set(ax)
    assert [region_at(cs, p) for p in X[:3]] == [0, 1, 2]


# --- perceptron_line ------------------------------------------------------------------------

@pytest.mark.parametrize("w, b", [([0.5, 0.5], -0.7), ([1.0, -2.0], 0.3), ([-0.2, 0.9], 0.1)])
def test_perceptron_line_lies_where_w_dot_x_plus_b_is_zero(w, b):
    ax = plotting.perceptron_line(w, b)
    (line,) = ax.get_lines()
    xs, ys = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    np.testing.assert_allclose(xs, [-0.5, 1.5])
    np.testing.assert_allclose(w[0] * xs + w[1] * ys + b, 0.0, atol=1e-12)
    assert ax.get_title() == f"$w$ = ({w[0]:g}, {w[1]:g}), $b$ = {b:g}"
    assert ax.get_xlim() == (-0.5, 1.5) and ax.get_ylim() == (-0.5, 1.5)
    # Shaded: the half-plane where the unit outputs 1 is band 1, the rest band 0.
    cs = contour_set(ax)
    assert band_colours(cs) == list(CLASS_COLORS[:2])
    rng = np.random.default_rng(0)
    for p in rng.uniform(-0.45, 1.45, size=(40, 2)):
        z = w[0] * p[0] + w[1] * p[1] + b
        if abs(z) > 0.05:
            assert region_at(cs, p) == int(z > 0)


def test_perceptron_line_for_and_separates_the_targets():
    X, y = nn.datasets.logic_gate("and")
    ax = plotting.perceptron_line(np.array([[0.5], [0.5]]), -0.7, X, y, title="AND")
    assert ax.get_title() == "AND"
    assert ax.get_legend() is not None
    assert [c.get_label() for c in scatters(ax)] == ["target 0", "target 1"]
    np.testing.assert_array_equal(class_offsets(ax)[1], [[1, 1]])
    cs = contour_set(ax)
    assert [region_at(cs, p) for p in X] == [0, 0, 0, 1]


def test_perceptron_line_vertical_when_w2_is_zero():
    ax = plotting.perceptron_line([2.0, 0.0], -1.0)
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_xdata(), [0.5, 0.5])
    cs = contour_set(ax)
    assert region_at(cs, (0.2, 0.5)) == 0 and region_at(cs, (0.8, 0.5)) == 1


@pytest.mark.parametrize("b, band", [(0.5, 1), (-0.5, 0), (0.0, 0)])
def test_perceptron_line_absent_when_w_is_zero(b, band):
    ax = plotting.perceptron_line([0.0, 0.0], b)
    assert ax.get_lines() == []
    assert_labelled(ax)
    cs = contour_set(ax)
    assert region_at(cs, (0.5, 0.5)) == band  # constant output everywhere


@pytest.mark.parametrize("w, b, exc, match", [
    ([1.0, 2.0, 3.0], 0.0, ValueError, r"2-input perceptrons; w has shape \(3,\)"),
    ([1.0], 0.0, ValueError, "2-input perceptrons"),
    ([1.0, 1.0], np.nan, ValueError, "b must be finite"),
    ([1.0, 1.0], "0", TypeError, "b must be a real number"),
])
def test_perceptron_line_rejects_bad_input(w, b, exc, match):
    with pytest.raises(exc, match=match):
        plotting.perceptron_line(w, b)


# --- loss_curves ----------------------------------------------------------------------------

def test_loss_curves_of_a_real_history():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=0)
    history = model.fit(X, y, loss="bce", num_epochs=7, validation_data=(X, y))
    ax = plotting.loss_curves(history)
    train, val = ax.get_lines()
    assert (train.get_label(), val.get_label()) == ("training", "validation")
    np.testing.assert_array_equal(train.get_xdata(), np.arange(1, 8))
    np.testing.assert_array_equal(train.get_ydata(), history.loss)
    np.testing.assert_array_equal(val.get_xdata(), np.arange(1, 8))
    np.testing.assert_array_equal(val.get_ydata(), history.val_loss)
    assert ax.get_yscale() == "linear"
    assert ax.get_legend() is not None
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Loss per epoch", "epoch", "loss")


def test_loss_curves_without_validation_and_log_scale():
    history = nn.History(loss=[2.0, 1.0, 0.1, 0.01])
    ax = plotting.loss_curves(history, log=True, title="Training")
    (train,) = ax.get_lines()
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(train.get_ydata(), [2.0, 1.0, 0.1, 0.01])
    assert ax.get_yscale() == "log"
    assert ax.get_title() == "Training"


def test_loss_curves_shorter_validation_is_drawn_against_its_own_epochs():
    history = nn.History(loss=[3.0, 2.0, 1.0], val_loss=[3.5, 2.5])
    _, val = plotting.loss_curves(history).get_lines()
    np.testing.assert_array_equal(val.get_xdata(), [1, 2])
    np.testing.assert_array_equal(val.get_ydata(), [3.5, 2.5])


# --- hidden_space ---------------------------------------------------------------------------

def test_hidden_space_with_two_units_plots_the_activations(xor_model):
    model, X, y = xor_model
    ax = plotting.hidden_space(model, X, y)
    H = model.activations(X)[0]
    offsets = class_offsets(ax)
    labels = nn.metrics.to_labels(y)
    for k in (0, 1):
        np.testing.assert_allclose(offsets[k], H[labels == k], rtol=1e-12)
    assert ax.get_title() == "Hidden layer 1 (2 units)"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$a^{[1]}_1$", "$a^{[1]}_2$")
    assert ax.get_legend() is not None
    # The next layer's line h W + b = 0, where its sigmoid crosses 1/2.
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "next layer's line"]
    nxt = model.layers[1]
    hs = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)
    np.testing.assert_allclose(hs @ nxt.W[:, 0] + nxt.b[0], 0.0, atol=1e-10)
    np.testing.assert_allclose(hs[:, 0], [H[:, 0].min() - 0.1, H[:, 0].max() + 0.1])
    np.testing.assert_allclose(ax.get_xlim(), [H[:, 0].min() - 0.1, H[:, 0].max() + 0.1])
    np.testing.assert_allclose(ax.get_ylim(), [H[:, 1].min() - 0.1, H[:, 1].max() + 0.1])
    # That line separates the classes in the hidden space: the network solved XOR.
    side = (H @ nxt.W[:, 0] + nxt.b[0] > 0).astype(int)
    np.testing.assert_array_equal(side, labels)


def test_hidden_space_two_units_without_a_line_when_next_weight_is_zero():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 2, 1], activation="tanh", output="sigmoid", seed=0)
    model.layers[1].W[1, 0] = 0.0
    ax = plotting.hidden_space(model, X, y, title="no line")
    assert ax.get_lines() == []
    assert ax.get_title() == "no line"
    H = model.activations(X)[0]
    labels = nn.metrics.to_labels(y)
    for k, pts in class_offsets(ax).items():
        np.testing.assert_allclose(pts, H[labels == k], rtol=1e-12)


def test_hidden_space_two_units_without_a_line_when_next_layer_is_wide():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 2, 3, 1], activation="tanh", output="sigmoid", seed=0)
    ax = plotting.hidden_space(model, X, y, layer=1)
    assert ax.get_lines() == []
    H = model.activations(X)[0]
    labels = nn.metrics.to_labels(y)
    np.testing.assert_allclose(class_offsets(ax)[1], H[labels == 1], rtol=1e-12)


def test_hidden_space_with_six_units_projects_on_two_principal_components(six_model):
    model, X, y = six_model
    ax = plotting.hidden_space(model, X, y)
    labels = nn.metrics.to_labels(y)
    offsets = class_offsets(ax)
    P = np.empty((len(X), 2))
    for k, pts in offsets.items():
        P[labels == k] = pts
    assert sum(len(o) for o in offsets.values()) == len(X)
    assert P.shape == (len(X), 2)
    np.testing.assert_allclose(P.mean(axis=0), 0.0, atol=1e-10)
    var = P.var(axis=0)
    assert var[0] >= var[1] > 0
    # Against an independent PCA of the activations (each component up to its sign).
    H = model.activations(X)[0]
    assert H.shape[1] == 6
    centred = H - H.mean(axis=0)
    eigval, eigvec = np.linalg.eigh(np.cov(centred.T))
    top = eigvec[:, np.argsort(eigval)[::-1][:2]]
    expected = centred @ top
    for j in range(2):
        sign = np.sign(P[:, j] @ expected[:, j])
        np.testing.assert_allclose(sign * P[:, j], expected[:, j], atol=1e-8)
    # The two components keep most of the variance of the six units.
    assert var.sum() <= centred.var(axis=0).sum() + 1e-12
    assert ax.get_title() == "Hidden layer 1 (6 units)"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("principal component 1",
                                                  "principal component 2")


def test_hidden_space_of_a_one_unit_layer_puts_points_on_a_line():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 1, 1], activation="tanh", output="sigmoid", seed=0)
    ax = plotting.hidden_space(model, X, y, layer=1)  # a hidden layer of one unit
    P = np.vstack(list(class_offsets(ax).values()))
    assert P.shape == (4, 2)
    np.testing.assert_array_equal(P[:, 1], 0.0)
    A = model.activations(X)[0]
    np.testing.assert_allclose(np.sort(np.abs(P[:, 0])), np.sort(np.abs(A[:, 0] - A[:, 0].mean())),
                               rtol=1e-10)
    assert ax.get_title() == "Hidden layer 1 (1 unit)"


@pytest.mark.parametrize("layer", [0, 2, -1, 1.0, True])
def test_hidden_space_rejects_a_layer_that_is_not_hidden(layer):
    model = nn.MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=0)
    with pytest.raises(ValueError, match="layer must be a hidden layer, 1 to 1"):
        plotting.hidden_space(model, np.zeros((4, 2)), np.zeros((4, 1)), layer=layer)

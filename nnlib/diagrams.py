r"""Diagrams of the book: a neuron, a perceptron with its weights, a network's architecture.

Drawn with matplotlib from the same numbers the chapters compute with, so a diagram cannot
fall out of step with the code: :func:`perceptron_diagram` takes the weights a chapter uses,
:func:`network_diagram` takes a network's ``sizes`` (or the :class:`~nnlib.model.MLP`
itself, with its trained weights). Each function takes an optional ``ax`` and returns the
Axes it drew on; :mod:`nnlib.plotting` re-exports them.

>>> import nnlib as nn
>>> ax = nn.plotting.network_diagram([2, 6, 4, 3], activations=["sigmoid", "sigmoid", "softmax"])
"""

from __future__ import annotations

import numpy as np

from ._validate import real

INPUT_FACE = "#e3ecf7"   # the inputs (as the boxes of the computational graphs)
UNIT_FACE = "#f3f3f3"    # the units that compute
OUTPUT_FACE = "#fde7d3"
POSITIVE = "#d95f02"     # edge colours by the sign of a weight (colour-blind safe pair)
NEGATIVE = "#1b6fb5"


def _canvas(ax, figsize):
    """``ax``, or a new Axes of ``figsize``; either way without ticks or frame."""
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=figsize)
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.88)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_aspect("equal")
    return ax


def _number(value: float) -> str:
    text = f"{value:.3g}"
    return "0" if text == "-0" else text


def _arrow(ax, start, end, color="k", lw=1.2, shrink=0.0):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=lw, shrinkA=shrink,
                                shrinkB=shrink))


def _on_edge(start, end, radius_start, radius_end):
    """The end points of an edge between two circles of the given radii."""
    (x0, y0), (x1, y1) = start, end
    d = float(np.hypot(x1 - x0, y1 - y0)) or 1.0
    ux, uy = (x1 - x0) / d, (y1 - y0) / d
    return (x0 + radius_start * ux, y0 + radius_start * uy), (x1 - radius_end * ux, y1 - radius_end * uy)


def _edge_label(ax, start, end, text, t=0.45, fontsize=9):
    x = start[0] + t * (end[0] - start[0])
    y = start[1] + t * (end[1] - start[1])
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.9))


# --- One neuron ---------------------------------------------------------------------------

def neuron_diagram(weights=None, bias=None, activation: str = "g", input_labels=None,
                   output_label: str = r"$\hat{y}$", ax=None, title=None, figsize=(5.6, 2.8)):
    r"""One neuron: inputs, weighted edges, the sum with the bias, the activation, the output.

    .. math:: \hat{y} = g(z), \qquad z = w_1 x_1 + \dots + w_n x_n + b

    Parameters
    ----------
    weights : sequence of float, optional
        The weights written on the edges; None writes :math:`w_1, \dots, w_n`.
    bias : float, optional
        The bias written at the sum; None writes :math:`b`.
    activation : str
        What the activation box shows, e.g. ``"g"``, ``"step"``, ``"σ"``, ``"ReLU"``.
    input_labels : sequence of str, optional
        Labels of the inputs (default :math:`x_1, \dots, x_n`). The number of inputs is that
        of ``weights``, else of ``input_labels``, else 3.
    """
    if weights is not None:
        weights = np.asarray(weights, dtype=float).reshape(-1)
        if weights.size == 0 or not np.all(np.isfinite(weights)):
            raise ValueError(f"weights must be a non-empty sequence of finite numbers, got {weights!r}")
    n = weights.size if weights is not None else (len(input_labels) if input_labels else 3)
    if input_labels is None:
        input_labels = [f"$x_{j + 1}$" for j in range(n)]
    if len(input_labels) != n:
        raise ValueError(f"expected {n} input labels (one per weight), got {len(input_labels)}")
    bias_text = r"$b$" if bias is None else f"$b$ = {_number(real(bias, 'bias'))}"
    if not isinstance(activation, str):
        raise TypeError(f"activation must be the text of the activation box, got {activation!r}")

    ax = _canvas(ax, figsize)
    from matplotlib.patches import Circle, FancyBboxPatch

    r_in, r_sum = 0.28, 0.42
    ys = np.linspace((n - 1) * 0.55, -(n - 1) * 0.55, n) if n > 1 else np.zeros(1)
    x_in, sum_xy, act_xy, out_x = 0.0, (2.6, 0.0), (4.3, 0.0), 5.8
    for j, (y, text) in enumerate(zip(ys, input_labels)):
        ax.add_patch(Circle((x_in, y), r_in, facecolor=INPUT_FACE, edgecolor="k", lw=1.0))
        ax.text(x_in, y, text, ha="center", va="center", fontsize=11)
        start, end = _on_edge((x_in, y), sum_xy, r_in, r_sum)
        _arrow(ax, start, end)
        w_text = f"$w_{j + 1}$" if weights is None else _number(weights[j])
        _edge_label(ax, start, end, w_text, t=0.42)
    ax.add_patch(Circle(sum_xy, r_sum, facecolor=UNIT_FACE, edgecolor="k", lw=1.2))
    ax.text(*sum_xy, r"$\Sigma$", ha="center", va="center", fontsize=15)
    ax.text(sum_xy[0], sum_xy[1] - r_sum - 0.22, f"+ {bias_text}", ha="center", va="top",
            fontsize=10)
    half_w, half_h = 0.55, 0.32
    ax.add_patch(FancyBboxPatch((act_xy[0] - half_w, act_xy[1] - half_h), 2 * half_w, 2 * half_h,
                                boxstyle="round,pad=0.03", facecolor=OUTPUT_FACE, edgecolor="k",
                                lw=1.2))
    ax.text(*act_xy, activation, ha="center", va="center", fontsize=12)
    _arrow(ax, (sum_xy[0] + r_sum, 0.0), (act_xy[0] - half_w - 0.05, 0.0))
    _edge_label(ax, (sum_xy[0] + r_sum, 0.0), (act_xy[0] - half_w, 0.0), "$z$", t=0.5, fontsize=11)
    _arrow(ax, (act_xy[0] + half_w + 0.05, 0.0), (out_x, 0.0))
    ax.text(out_x + 0.1, 0.0, output_label, ha="left", va="center", fontsize=13)
    top = max(ys[0] + r_in, r_sum) + 0.25
    bottom = min(ys[-1] - r_in, -r_sum - 0.7) - 0.15
    ax.set_xlim(x_in - r_in - 0.2, out_x + 0.7)
    ax.set_ylim(bottom, top)
    ax.set_title(title if title is not None else r"A neuron: $\hat{y} = g(\mathbf{w}\cdot\mathbf{x} + b)$")
    return ax


def perceptron_diagram(w, b, ax=None, title=None, input_labels=None, figsize=(5.6, 2.8)):
    r"""A perceptron with its numbers: the neuron diagram with weights ``w``, bias ``b`` and a
    step activation, titled with its rule :math:`\hat{y} = 1` when
    :math:`\mathbf{w}\cdot\mathbf{x} > \tau`, where :math:`\tau = -b` is the threshold."""
    w = np.asarray(w, dtype=float).reshape(-1)
    b = real(b, "b")
    if title is None:
        title = rf"fires when $\mathbf{{w}}\cdot\mathbf{{x}} > \tau = {_number(-b)}$"
    return neuron_diagram(w, b, activation="step", input_labels=input_labels, ax=ax,
                          title=title, figsize=figsize)


# --- A network ----------------------------------------------------------------------------

def _sizes_and_weights(sizes_or_model, weights, biases):
    """The layer sizes, and the weight and bias arrays to draw (or None)."""
    if hasattr(sizes_or_model, "layers") and hasattr(sizes_or_model, "sizes"):
        sizes = list(sizes_or_model.sizes)
        if weights is True:
            weights = [layer.W for layer in sizes_or_model.layers]
            biases = [layer.b for layer in sizes_or_model.layers] if biases is None else biases
    else:
        if not isinstance(sizes_or_model, (list, tuple)) or len(sizes_or_model) < 2:
            raise ValueError(
                f"expected sizes such as [2, 4, 1] or an MLP, got {sizes_or_model!r}")
        sizes = list(sizes_or_model)
        if weights is True:
            raise ValueError("weights=True takes the weights of an MLP; pass the MLP, or a list of W")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"every entry of sizes must be a positive integer, got {sizes!r}")
    if weights is not None and weights is not False:
        weights = [np.asarray(W, dtype=float) for W in weights]
        shapes = [(a, c) for a, c in zip(sizes[:-1], sizes[1:])]
        if [W.shape for W in weights] != shapes:
            raise ValueError(f"expected weights of shapes {shapes}, got {[W.shape for W in weights]}")
    else:
        weights = None
    if biases is not None:
        biases = [np.asarray(bb, dtype=float).reshape(-1) for bb in biases]
        if [bb.size for bb in biases] != sizes[1:]:
            raise ValueError(f"expected biases of sizes {sizes[1:]}, got {[bb.size for bb in biases]}")
    return sizes, weights, biases


def _shown_units(n: int, max_units: int) -> list:
    """Indices of the units drawn for a layer of ``n`` (None marks the ellipsis)."""
    if n <= max_units:
        return list(range(n))
    top = (max_units - 1) // 2 + (max_units - 1) % 2
    bottom = max_units - 1 - top
    return list(range(top)) + [None] + list(range(n - bottom, n))


def network_diagram(sizes_or_model, ax=None, activations=None, weights=None, biases=None,
                    layer_labels: bool = True, max_units: int = 8, show_values=None,
                    title=None, figsize=None):
    r"""A fully connected network's architecture: its units as circles, its weights as edges.

    Parameters
    ----------
    sizes_or_model : list of int or MLP
        Units per layer, input first (``[2, 6, 4, 3]``), or a network.
    activations : list of str, optional
        One name per layer with weights, written under the layer (e.g. ``["sigmoid",
        "softmax"]``). With an MLP, None takes its own.
    weights : list of arrays, True or None
        The matrices :math:`W^{[l]}` (shape :math:`(n^{[l-1]}, n^{[l]})`) to draw: edges are
        coloured by sign (orange positive, blue negative) and as thick as :math:`|w|`
        relative to the largest. ``True`` takes an MLP's own weights.
    biases : list of arrays, optional
        The biases, written beside their units when the values are shown.
    layer_labels : bool
        Name the layers underneath: input layer, hidden layer [1], ..., output layer [L],
        each with its :math:`n^{[l]}`.
    max_units : int
        Larger layers are drawn in this many places: their first and last units around an
        ellipsis.
    show_values : bool, optional
        Write the weights on the edges (default: when weights are given and the network has
        at most 8 edges).
    """
    sizes, weights, biases = _sizes_and_weights(sizes_or_model, weights, biases)
    if isinstance(max_units, bool) or not isinstance(max_units, int) or max_units < 3:
        raise ValueError(f"max_units must be an integer >= 3, got {max_units!r}")
    if activations is None and hasattr(sizes_or_model, "layers"):
        activations = [type(layer.activation).__name__.lower() for layer in sizes_or_model.layers]
    if activations is not None and len(activations) != len(sizes) - 1:
        raise ValueError(
            f"expected one activation per layer with weights ({len(sizes) - 1}), got {len(activations)}")
    n_edges = sum(a * c for a, c in zip(sizes[:-1], sizes[1:]))
    if show_values is None:
        show_values = weights is not None and n_edges <= 8
    if show_values and weights is None:
        raise ValueError("show_values needs weights")

    L = len(sizes) - 1
    dx, dy, r = 2.4, 0.9, 0.3
    shown = [_shown_units(n, max_units) for n in sizes]
    tallest = max(len(s) for s in shown)
    if figsize is None:
        figsize = (min(9.0, 1.6 + 1.55 * (L + 1)), min(6.0, 1.7 + 0.55 * tallest))
    ax = _canvas(ax, figsize)
    from matplotlib.patches import Circle

    def position(l, k):  # k: place in the drawn column (0 = top)
        count = len(shown[l])
        return l * dx, (count - 1) / 2 * dy - k * dy

    def unit_text(l, j):
        if l == 0:
            return f"$x_{{{j + 1}}}$"
        if l == L:
            return r"$\hat{y}$" if sizes[L] == 1 else rf"$\hat{{y}}_{{{j + 1}}}$"
        return rf"$a^{{[{l}]}}_{{{j + 1}}}$"

    label_units = tallest <= 5
    scale = [float(np.max(np.abs(W))) or 1.0 for W in weights] if weights is not None else None
    # Edges first, so that the units are drawn over them.
    for l in range(1, L + 1):
        for k0, j0 in enumerate(shown[l - 1]):
            for k1, j1 in enumerate(shown[l]):
                if j0 is None or j1 is None:
                    continue
                start, end = _on_edge(position(l - 1, k0), position(l, k1), r, r)
                if weights is None:
                    ax.plot(*zip(start, end), color="0.55", lw=0.8, zorder=1)
                    continue
                w = weights[l - 1][j0, j1]
                ax.plot(*zip(start, end), color=POSITIVE if w >= 0 else NEGATIVE,
                        lw=0.4 + 2.6 * abs(w) / scale[l - 1], zorder=1,
                        solid_capstyle="round")
                if show_values:
                    # near the source, where the edges leaving a unit have spread apart and
                    # before crossing edges meet
                    _edge_label(ax, start, end, _number(w), t=0.25, fontsize=8.5)
    for l, units in enumerate(shown):
        face = INPUT_FACE if l == 0 else (OUTPUT_FACE if l == L else UNIT_FACE)
        for k, j in enumerate(units):
            x, y = position(l, k)
            if j is None:
                ax.text(x, y, r"$\vdots$", ha="center", va="center", fontsize=14)
                continue
            ax.add_patch(Circle((x, y), r, facecolor=face, edgecolor="k", lw=1.0, zorder=2))
            if label_units:
                ax.text(x, y, unit_text(l, j), ha="center", va="center", fontsize=9, zorder=3)
            if show_values and biases is not None and l > 0:
                ax.text(x + r + 0.08, y + r * 0.9, f"b = {_number(biases[l - 1][j])}",
                        ha="left", va="bottom", fontsize=8.5, zorder=3)
    low = -(tallest - 1) / 2 * dy - r
    if layer_labels:
        for l, n in enumerate(sizes):
            name = ("input layer" if l == 0 else "output layer" if l == L else "hidden layer")
            lines = [name, rf"$n^{{[{l}]}} = {n}$"]
            if activations is not None and l > 0:
                lines.append(str(activations[l - 1]))
            ax.text(l * dx, low - 0.25, "\n".join(lines), ha="center", va="top", fontsize=9)
    bottom = low - (1.25 if layer_labels else 0.3)
    if weights is not None:
        ax.text(L * dx / 2, bottom, "edges: orange = positive weight, blue = negative; "
                "thicker = larger |w|", ha="center", va="center", fontsize=8.5)
        bottom -= 0.3
    ax.set_xlim(-r - 0.6, L * dx + r + (1.2 if show_values and biases is not None else 0.6))
    ax.set_ylim(bottom, -low + 0.35)
    if title is None:
        title = f"A {'-'.join(str(n) for n in sizes)} network: {L} layer{'s' if L > 1 else ''} with weights"
    ax.set_title(title)
    return ax


# --- Why deep learning now ----------------------------------------------------------------

def scale_sketch(ax=None, figsize=(6.0, 3.6)):
    """The picture behind "scale drives progress": performance against the amount of labelled
    data for a traditional learning algorithm and small, medium and large neural networks.

    It is a *sketch* of a trend described in Andrew Ng's Deep Learning Specialization, not a
    measurement, and the figure says so: the curves are saturating functions chosen to show
    the shape of the argument (the traditional algorithm levels off first, larger networks
    keep improving longer; with little data the order is not fixed).
    """
    new = ax is None
    ax = _canvas(ax, figsize)
    if new:
        ax.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.1, top=0.9)
    ax.set_aspect("auto")
    data = np.linspace(0, 10, 300)
    curves = [  # (label, ceiling, rate, colour)
        ("traditional algorithm (e.g. SVM)", 0.46, 0.90, "0.45"),
        ("small neural network", 0.60, 0.48, "#7fb3d5"),
        ("medium neural network", 0.74, 0.34, "#2e86c1"),
        ("large neural network", 0.90, 0.25, "#1b4f72"),
    ]
    for name, ceiling, rate, colour in curves:
        ax.plot(data, ceiling * (1 - np.exp(-rate * data)), color=colour, lw=2.2, label=name)
    ax.axvspan(0, 2.0, color="0.93", zorder=0)
    ax.text(1.0, 0.9, "little data:\norder not fixed", ha="center", va="top", fontsize=8)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 0.95)
    ax.spines["left"].set_visible(True)
    ax.spines["bottom"].set_visible(True)
    ax.set_xlabel("amount of labelled data  →")
    ax.set_ylabel("performance  →")
    ax.legend(loc="lower right", fontsize=8.5, frameon=False)
    ax.set_title("Scale drives progress (a sketch, not a measurement)")
    return ax

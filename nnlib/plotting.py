"""Plotting helpers for the chapters: each takes an optional matplotlib ``Axes`` and returns
the ``Axes`` it drew on, with a title and labelled axes, so that notebook cells stay short
and explorers (:func:`nnlib.widgets.explore`) can call them directly.
"""

from __future__ import annotations

import numpy as np

from . import activations
from ._validate import real

#: Default size of a single figure (inches): fits the book's text column.
FIGSIZE = (6.0, 3.5)


def new_axes(ax=None, figsize=FIGSIZE):
    """Return ``ax``, or the Axes of a new figure of ``figsize``.

    The margins are fixed rather than computed by a layout engine: that halves the time to
    draw a frame, which matters when an explorer draws a hundred of them.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.89)
    return ax


def label(ax, title: str, xlabel: str, ylabel: str):
    """Set the title and axis labels every figure of the book carries; return ``ax``."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def neuron(w: float = 1.0, b: float = 0.0, activation: str = "sigmoid", ax=None,
           x_range=(-6.0, 6.0)):
    r"""Plot one neuron's output :math:`\hat{y} = g(wx + b)` against its input :math:`x`.

    The dotted line marks :math:`x = -b/w`, where :math:`wx + b = 0` (for a sigmoid: where the
    output crosses 1/2); the weight sets the steepness, the bias shifts the curve.
    """
    w, b = real(w, "w"), real(b, "b")
    g = activations.get(activation)
    ax = new_axes(ax)
    x = np.linspace(*x_range, 400)
    ax.plot(x, g.forward(w * x + b), lw=2, label=f"$g(wx + b)$, g = {type(g).__name__}")
    if w != 0 and x_range[0] < -b / w < x_range[1]:
        ax.axvline(-b / w, color="grey", ls=":", label=r"$wx + b = 0$")
    ax.set_xlim(*x_range)
    if isinstance(g, (activations.Sigmoid, activations.Step)):
        ax.set_ylim(-0.05, 1.05)
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    return label(ax, f"One neuron: w = {w:g}, b = {b:g}", "input x", r"output $\hat{y}$")


# --- Classification pictures ---------------------------------------------------------------

#: Colours and markers of classes 0, 1, 2, ... (colour-blind friendly, and distinct in grey).
CLASS_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P")


def scatter_classes(X, y, ax=None, s=30, edgecolor="k", label_prefix="class ",
                    title: str = "Data by class", xlabel: str = "$x_1$", ylabel: str = "$x_2$"):
    """Scatter the rows of a 2-column ``X`` coloured (and marked) by class label; return ``ax``."""
    from .metrics import to_labels

    ax = new_axes(ax)
    X = np.asarray(X, dtype=float)
    labels = to_labels(y)
    for k in np.unique(labels):
        pts = X[labels == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=s, c=CLASS_COLORS[k % len(CLASS_COLORS)],
                   marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], edgecolors=edgecolor,
                   linewidths=0.5, label=f"{label_prefix}{k}", zorder=3)
    return label(ax, title, xlabel, ylabel)


def _grid(X, resolution, margin):
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def decision_boundary(predict, X, y, ax=None, resolution: int = 150, margin: float = 0.5,
                      title: str = "Decision regions", xlabel: str = "$x_1$",
                      ylabel: str = "$x_2$"):
    """Shade the classes that ``predict`` assigns over the plane and scatter ``(X, y)``.

    ``predict`` is a model with a ``predict`` method (e.g. an :class:`~nnlib.MLP`) or a
    function from an ``(n, 2)`` array to labels, one-hot rows or probabilities.
    """
    from .metrics import to_labels

    ax = new_axes(ax)
    X = np.asarray(X, dtype=float)
    fn = predict.predict if hasattr(predict, "predict") else predict
    xx, yy, points = _grid(X, resolution, margin)
    regions = to_labels(fn(points)).reshape(xx.shape)
    n_classes = int(max(regions.max(), to_labels(y).max())) + 1
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(CLASS_COLORS[:n_classes])
    ax.contourf(xx, yy, regions, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.25)
    scatter_classes(X, y, ax)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    return label(ax, title, xlabel, ylabel)


def perceptron_line(w, b, X=None, y=None, ax=None, title=None):
    r"""The line :math:`w_1 x_1 + w_2 x_2 + b = 0` of a 2-input perceptron on the unit square,
    with the half-plane where it outputs 1 shaded, and optionally the points ``(X, y)``."""
    w = np.asarray(w, dtype=float).reshape(-1)
    if w.shape != (2,):
        raise ValueError(f"perceptron_line draws 2-input perceptrons; w has shape {w.shape}")
    b = real(b, "b")
    ax = new_axes(ax, figsize=(4.2, 4.0))
    xx, yy = np.meshgrid(np.linspace(-0.5, 1.5, 300), np.linspace(-0.5, 1.5, 300))
    on = (w[0] * xx + w[1] * yy + b > 0).astype(float)
    ax.contourf(xx, yy, on, levels=[-0.5, 0.5, 1.5], colors=[CLASS_COLORS[0], CLASS_COLORS[1]],
                alpha=0.2)
    if w[1] != 0:
        xs = np.array([-0.5, 1.5])
        ax.plot(xs, -(w[0] * xs + b) / w[1], "k-", lw=1.5)
    elif w[0] != 0:
        ax.axvline(-b / w[0], color="k", lw=1.5)
    if X is not None:
        scatter_classes(X, y, ax, s=80, label_prefix="target ")
        ax.legend(loc="upper right", fontsize="small")
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_aspect("equal")
    title = title or f"$w$ = ({w[0]:g}, {w[1]:g}), $b$ = {b:g}"
    return label(ax, title, "$x_1$", "$x_2$")


def loss_curves(history, ax=None, title: str = "Loss per epoch", log: bool = False):
    """Training (and validation) loss of a :class:`~nnlib.History` against the epoch."""
    ax = new_axes(ax)
    epochs = np.arange(1, len(history.loss) + 1)
    ax.plot(epochs, history.loss, label="training")
    if history.val_loss:
        ax.plot(epochs[: len(history.val_loss)], history.val_loss, label="validation")
    if log:
        ax.set_yscale("log")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return label(ax, title, "epoch", "loss")


def hidden_space(model, X, y, layer: int = 1, ax=None, title=None):
    """Scatter the activations of hidden layer ``layer`` (1 = first) for the inputs ``X``.

    Two units are plotted as they are (and, when the next layer is a single unit, its
    decision line :math:`h W + b = 0` is drawn); more units are projected on their first two
    principal components.
    """
    n_hidden = len(model.layers) - 1
    if isinstance(layer, bool) or not isinstance(layer, int) or not 1 <= layer <= n_hidden:
        raise ValueError(f"layer must be a hidden layer, 1 to {n_hidden}, got {layer!r}")
    ax = new_axes(ax)
    H = model.activations(X)[layer - 1]
    nxt = model.layers[layer] if layer < len(model.layers) else None
    if H.shape[1] == 2:
        scatter_classes(H, y, ax)
        xlabel, ylabel = f"$h_1$ (layer {layer})", f"$h_2$ (layer {layer})"
        if nxt is not None and nxt.n_out == 1 and nxt.W[1, 0] != 0:
            lo, hi = H[:, 0].min() - 0.1, H[:, 0].max() + 0.1
            xs = np.array([lo, hi])
            ax.plot(xs, -(nxt.W[0, 0] * xs + nxt.b[0]) / nxt.W[1, 0], "k--", lw=1,
                    label="next layer's line")
            ax.set_xlim(lo, hi)
            ax.set_ylim(H[:, 1].min() - 0.1, H[:, 1].max() + 0.1)
    else:
        centred = H - H.mean(axis=0)
        _, _, Vt = np.linalg.svd(centred, full_matrices=False)
        P = centred @ Vt[: min(2, Vt.shape[0])].T
        if P.shape[1] == 1:
            P = np.column_stack([P[:, 0], np.zeros(len(P))])
        scatter_classes(P, y, ax)
        xlabel, ylabel = "principal component 1", "principal component 2"
    ax.legend(fontsize="small")
    units = "unit" if H.shape[1] == 1 else "units"
    title = title or f"Hidden layer {layer} ({H.shape[1]} {units})"
    return label(ax, title, xlabel, ylabel)


# --- Representations: input space next to hidden spaces (chapter 2) -------------------------

def panel_grid(n: int, ncols: int, panel_size=(3.0, 2.8), wspace=0.35, hspace=0.55):
    """A new figure with ``n`` panels, ``ncols`` to a row (empty cells removed), fixed margins
    with room for one legend below; returns the array of ``n`` Axes."""
    import matplotlib.pyplot as plt

    nrows = -(-n // ncols)
    height = panel_size[1] * nrows + 0.45
    fig, grid = plt.subplots(nrows, ncols, squeeze=False, figsize=(panel_size[0] * ncols, height))
    fig.subplots_adjust(left=0.33 / ncols + 0.035, right=0.98, bottom=0.72 / height,
                        top=1 - 0.35 / height, wspace=wspace, hspace=hspace)
    for ax in grid.ravel()[n:]:
        fig.delaxes(ax)
    return grid.ravel()[:n]


def axes_row(n: int, panel_size=(4.5, 3.8)):
    """A new figure with ``n`` Axes side by side (fixed margins, no layout engine); a list."""
    import matplotlib.pyplot as plt

    n = int(n)
    if n < 1:
        raise ValueError(f"axes_row needs at least one panel, got n={n}")
    fig, axes = plt.subplots(1, n, figsize=(panel_size[0] * n, panel_size[1]), squeeze=False)
    fig.subplots_adjust(left=0.25 / n + 0.04, right=0.98, bottom=0.14, top=0.86, wspace=0.3)
    return list(axes[0])


def representations(model, X, y, layers=None, axes=None, resolution: int = 100,
                    suptitle: str | None = None):
    """The input space with ``model``'s decision regions, then the representation of each
    hidden layer in ``layers`` (numbers from 1; default: every hidden layer), left to right.

    Each hidden panel is drawn by :func:`hidden_space` (2 units as they are, with the next
    layer's line when it has one unit; more units on their first two principal components).
    Returns the list of Axes.
    """
    n_hidden = len(model.layers) - 1
    if n_hidden < 1:
        raise ValueError(f"representations needs a model with a hidden layer, got {model}")
    layers = list(range(1, n_hidden + 1)) if layers is None else list(layers)
    bad = [l for l in layers if not isinstance(l, (int, np.integer)) or not 1 <= l <= n_hidden]
    if bad:
        raise ValueError(f"layers must be hidden layer numbers 1..{n_hidden}, got {bad}")
    if axes is None:
        axes = axes_row(1 + len(layers))
    elif len(axes) != 1 + len(layers):
        raise ValueError(f"expected {1 + len(layers)} Axes (input + {len(layers)} hidden), "
                         f"got {len(axes)}")
    axes = list(axes)
    decision_boundary(model, X, y, ax=axes[0], resolution=resolution,
                      title="Input space: decision regions")
    for ax, layer in zip(axes[1:], layers):
        hidden_space(model, X, y, layer=layer, ax=ax)
    if suptitle:
        axes[0].figure.suptitle(suptitle)
        axes[0].figure.subplots_adjust(top=0.8)  # room for the suptitle above the titles
    return axes


def input_and_hidden(model, X, y, layer: int = 1, axes=None, resolution: int = 100,
                     suptitle: str | None = None):
    """Two panels: the input space with the decision regions, and hidden layer ``layer``."""
    return representations(model, X, y, layers=[layer], axes=axes, resolution=resolution,
                           suptitle=suptitle)


def hidden_spaces(models, X, y, titles=None, layer: int = 1, axes=None):
    """The hidden layer ``layer`` of several models side by side (one :func:`hidden_space`
    panel each), e.g. the same weights with step, identity and sigmoid units. Returns the
    list of Axes."""
    models = list(models)
    if not models:
        raise ValueError("hidden_spaces needs at least one model")
    titles = [None] * len(models) if titles is None else list(titles)
    if len(titles) != len(models):
        raise ValueError(f"got {len(titles)} titles for {len(models)} models")
    axes = axes_row(len(models), panel_size=(3.6, 3.6)) if axes is None else list(axes)
    if len(axes) != len(models):
        raise ValueError(f"got {len(axes)} Axes for {len(models)} models")
    for ax, model, title in zip(axes, models, titles):
        hidden_space(model, X, y, layer=layer, ax=ax, title=title)
    return axes


# --- Chapter 1: perceptrons on the unit square ---------------------------------------------

def _clip(polygon, w, b):
    """The part of a convex ``polygon`` (list of points) where :math:`w \\cdot x + b > 0`
    (Sutherland-Hodgman clipping against one half-plane); a polygon, possibly empty."""
    out = []
    for p, q in zip(polygon, polygon[1:] + polygon[:1]):
        fp, fq = w[0] * p[0] + w[1] * p[1] + b, w[0] * q[0] + w[1] * q[1] + b
        if fp > 0:
            out.append(p)
        if (fp > 0) != (fq > 0):  # the edge p-q crosses the line: add the crossing point
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def _weights(w, b, n_inputs=(1, 2)):
    w = np.asarray(w, dtype=float).reshape(-1)
    if w.shape[0] not in n_inputs or not np.all(np.isfinite(w)):
        raise ValueError(
            f"expected the weights of a perceptron with {' or '.join(map(str, n_inputs))} "
            f"input(s), got w = {w.tolist()}"
        )
    return w, real(b, "b")


def _draw_line(ax, w, b, lo, hi, **style):
    """The line :math:`w_1 x_1 + w_2 x_2 + b = 0` across the box (nothing if ``w`` is 0)."""
    if w[1] != 0:
        xs = np.array([lo, hi])
        return ax.plot(xs, -(w[0] * xs + b) / w[1], **style)
    if w[0] != 0:
        return [ax.axvline(-b / w[0], **style)]
    return []


def _corner_points(ax, X, labels, wrong, legend_prefix):
    """Scatter the distinct rows of ``X`` by label, write "x2" next to repeated rows and ring
    the rows flagged in ``wrong``."""
    scatter_classes(X, labels, ax, s=90, label_prefix=legend_prefix)
    rows, counts = np.unique(X, axis=0, return_counts=True)
    for row, count in zip(rows, counts):
        if count > 1:
            ax.annotate(f"×{count}", row, xytext=(8, -14), textcoords="offset points",
                        fontsize="small")
    if np.any(wrong):
        ax.scatter(X[wrong, 0], X[wrong, 1], s=320, facecolors="none", edgecolors="#d62728",
                   linewidths=2, label="wrong output", zorder=4)


def _unit_square_axes(ax, lo, hi, one_input=False, skip=0):
    """Limits, ticks at the Boolean values 0 and 1 only (fewer labels: faster frames), and a
    legend in the upper right (of all labelled artists but the first ``skip``)."""
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[skip:], labels[skip:], loc="upper right", fontsize="x-small",
              framealpha=0.9)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([] if one_input else [0, 1])


def perceptron_gate(w, b, X=None, y=None, ax=None, title=None, xlabel="$x_1$",
                    ylabel="$x_2$", figsize=(3.6, 3.4)):
    r"""A perceptron with one or two inputs on the unit square, the way chapter 1 draws gates.

    Shades the region where it outputs 1 (:math:`w \cdot x + b > 0`, orange) and where it
    outputs 0 (blue), draws the decision line :math:`w_1 x_1 + w_2 x_2 + b = 0` and the points
    ``X`` (default: the corners of the square, or 0 and 1 for one input). Without ``y`` the
    points are coloured by the perceptron's outputs; with targets ``y`` they are coloured by
    the targets and the points it gets wrong are ringed in red. A one-input perceptron is drawn
    on the number line, where its "line" is the threshold point :math:`x = -b/w`.
    The shading is clipped polygons rather than a grid, so an explorer frame draws quickly.
    """
    w, b = _weights(w, b)
    n_in, lo, hi = w.shape[0], -0.5, 1.5
    ax = new_axes(ax, figsize=figsize)
    if X is None:
        X = [[0.0], [1.0]] if n_in == 1 else [[0, 0], [0, 1], [1, 0], [1, 1]]
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(f"X must have one column per weight ({n_in}), got shape {X.shape}")
    outputs = (X @ w + b > 0).astype(int)
    title = title or f"$w$ = ({', '.join(f'{v:g}' for v in w)}), $b$ = {b:g}"
    if n_in == 1:  # a threshold on the number line: draw it as a 2-input unit ignoring x2
        w, X = np.array([w[0], 0.0]), np.column_stack([X[:, 0], np.zeros(len(X))])
        ylabel = "(one input: no $x_2$)" if ylabel == "$x_2$" else ylabel
    box = [(lo, lo), (hi, lo), (hi, hi), (lo, hi)]
    for sign, colour in ((-1, CLASS_COLORS[0]), (1, CLASS_COLORS[1])):
        region = _clip(box, sign * w, sign * b)
        if region:
            ax.fill(*zip(*region), color=colour, alpha=0.2, lw=0)
    _draw_line(ax, w, b, lo, hi, color="k", lw=1.5)
    if y is None:
        _corner_points(ax, X, outputs, np.zeros(len(X), bool), "output ")
    else:
        targets = np.asarray(y).reshape(-1).astype(int)
        if targets.shape[0] != X.shape[0]:
            raise ValueError(
                f"y must have one target per row of X ({X.shape[0]}), got {targets.shape[0]}"
            )
        _corner_points(ax, X, targets, outputs != targets, "target ")
    _unit_square_axes(ax, lo, hi, one_input=n_in == 1)
    return label(ax, title, xlabel, ylabel)


def perceptron_gates(gates, axes=None, ncols=None, panel_size=(2.8, 2.8)):
    """One :func:`perceptron_gate` panel per gate: ``gates`` maps a gate name of
    :func:`nnlib.datasets.logic_gate` (``"and"``, ``"or"``, ``"nand"``, ``"nor"``, ``"not"``,
    ...) to the ``(w, b)`` of a perceptron; each panel shows the gate's truth table as targets
    and rings the rows the perceptron gets wrong. New figures put up to three panels in a row
    (``ncols``) and one legend below them all. Returns the array of Axes."""

    from .datasets import logic_gate

    if not gates:
        raise ValueError("perceptron_gates needs at least one gate, got an empty mapping")
    n = len(gates)
    new_figure = axes is None
    if new_figure:
        ncols = ncols or (n if n <= 3 else -(-n // 2))
        axes = panel_grid(n, ncols, panel_size, wspace=0.45, hspace=0.5)
        fig = axes[0].figure
    axes = np.asarray(axes).reshape(-1)
    if len(axes) != n:
        raise ValueError(f"got {len(axes)} axes for {n} gates")
    for ax, (name, (w, b)) in zip(axes, gates.items()):
        X, y = logic_gate(name)
        weights = ", ".join(f"{v:g}" for v in np.ravel(w))
        perceptron_gate(w, b, X, y, ax=ax,
                        title=f"{name.upper()}: $w$ = ({weights}), $b$ = {real(b, 'b'):g}")
        ax.title.set_fontsize(9.5)
    if new_figure:  # one legend for all panels, below them
        entries = {}
        for ax in axes:
            for handle, text in zip(*ax.get_legend_handles_labels()):
                entries.setdefault(text, handle)
            ax.get_legend().remove()
        fig.legend(entries.values(), entries.keys(), loc="lower center", ncol=len(entries),
                   fontsize="small", frameon=False)
    return axes


def perceptron_lines(lines, X=None, y=None, ax=None, title="Several perceptrons",
                     figsize=(3.6, 3.4)):
    r"""Several 2-input perceptrons on the unit square: ``lines`` maps a name to ``(w, b)``.

    Draws each decision line (with its name in the legend) and shades the region where *all*
    of them output 1 -- the AND of their outputs, which is how a second layer can combine
    them -- and the points ``(X, y)`` (default: the corners, uncoloured by class)."""
    if not lines:
        raise ValueError("perceptron_lines needs at least one (w, b), got an empty mapping")
    lo, hi = -0.5, 1.5
    ax = new_axes(ax, figsize=figsize)
    region = [(lo, lo), (hi, lo), (hi, hi), (lo, hi)]
    styles = ("-", "--", "-.", ":")
    for k, (name, (w, b)) in enumerate(lines.items()):
        w, b = _weights(w, b, n_inputs=(2,))
        region = _clip(region, w, b) if region else region
        _draw_line(ax, w, b, lo, hi, color="k", lw=1.5, ls=styles[k % len(styles)], label=name)
    lines_legend = ax.legend(loc="lower left", fontsize="x-small", framealpha=0.9)
    if region:
        ax.fill(*zip(*region), color=CLASS_COLORS[1], alpha=0.2, lw=0, label="all output 1")
    if X is None:
        X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 0]
    handles = len(ax.get_lines())
    _corner_points(ax, np.asarray(X, dtype=float), np.asarray(y).reshape(-1).astype(int),
                   np.zeros(len(X), bool), "target ")
    _unit_square_axes(ax, lo, hi, skip=handles)  # a second legend: shading and points
    ax.add_artist(lines_legend)
    return label(ax, title, "$x_1$", "$x_2$")


def perceptron_history(runs, metric="mistakes", ax=None, title=None, epochs=None):
    """Mistakes (or accuracy) per epoch of perceptron runs: ``runs`` is a
    :class:`~nnlib.perceptron.PerceptronRun` or a mapping of names to runs; ``epochs`` shows
    only the first so many epochs."""
    if metric not in ("mistakes", "accuracy"):
        raise ValueError(f"metric must be 'mistakes' or 'accuracy', got {metric!r}")
    if not isinstance(runs, dict):
        runs = {"": runs}
    from matplotlib.ticker import MaxNLocator

    ax = new_axes(ax)
    styles = ("-", "--", "-.", ":")
    for k, (name, run) in enumerate(runs.items()):
        values = getattr(run, metric)[:epochs]
        # open markers of different shapes and line styles: runs that coincide stay visible
        ax.plot(np.arange(1, len(values) + 1), values, ls=styles[k % len(styles)], lw=1.3,
                color=CLASS_COLORS[k % len(CLASS_COLORS)], label=name or None,
                marker=CLASS_MARKERS[k % len(CLASS_MARKERS)] if len(values) <= 40 else None,
                ms=8 - 1.5 * (k % 3), mfc="none", mew=1.3)
    if any(runs):
        ax.legend(fontsize="small")
    if metric == "accuracy":
        ax.set_ylim(-0.05, 1.05)
    else:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ylabel = "mistakes in the epoch" if metric == "mistakes" else "accuracy after the epoch"
    default = "Mistakes per epoch" if metric == "mistakes" else "Accuracy per epoch"
    return label(ax, title or default, "epoch", ylabel)


def perceptron_run(run, X, y, axes=None, max_epochs=None, figsize=(7.6, 3.3)):
    """Two panels for one run of the learning rule: mistakes per epoch (bars) and the final
    decision line with the targets. ``max_epochs`` fixes the epoch axis (for explorers)."""
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=figsize, gridspec_kw={"width_ratios": [1.5, 1]})
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.87, wspace=0.3)
    epochs = np.arange(1, len(run.mistakes) + 1)
    axes[0].bar(epochs, run.mistakes, color=CLASS_COLORS[0])
    axes[0].set_xlim(0.3, max(max_epochs or 0, len(epochs)) + 0.7)
    axes[0].set_ylim(0, max(len(X), 1) + 0.5)
    axes[0].set_yticks(range(len(X) + 1))  # whole mistakes only (and fewer labels to draw)
    axes[0].grid(alpha=0.3, axis="y")
    done = (f"no mistakes in epoch {run.converged_epoch}" if run.converged
            else f"still making mistakes after {len(epochs)} epochs")
    label(axes[0], f"Mistakes per epoch: {done}", "epoch", "mistakes in the epoch")
    perceptron_gate(run.w, run.b, X, y, ax=axes[1], title="Final line")
    return axes


# --- Chapter 3: activation functions ---------------------------------------------------------

def _elementwise_activation(activation):
    """The activation for ``activation`` (name or instance); softmax is refused: it is not
    a function of one number."""
    g = activations.get(activation)
    if isinstance(g, activations.Softmax):
        raise ValueError(
            "softmax is not elementwise (each output depends on the whole row), so it has no "
            "curve g(z); draw its probability vectors with probabilities(...) instead"
        )
    return g


def _activation_title(g) -> str:
    """``"LeakyReLU (slope = 0.1)"``: the class name and its parameters, if any."""
    params = ", ".join(f"{k} = {v:g}" for k, v in vars(g).items())
    return f"{type(g).__name__} ({params})" if params else type(g).__name__


def activation_curves(activation, ax=None, z_range=(-5.0, 5.0), title=None, ylim=None):
    r"""The activation :math:`g(z)` (solid) and its derivative :math:`g'(z)` (dashed) on one Axes.

    ``activation`` is a name or an instance of :mod:`nnlib.activations` (not softmax). The
    curves are evaluated on a column of inputs, so a unit-dependent activation such as BReLU
    is drawn for unit 0. ``ylim`` fixes the vertical range (for explorers).
    """
    g = _elementwise_activation(activation)
    lo, hi = real(z_range[0], "z_range[0]"), real(z_range[1], "z_range[1]")
    if not lo < hi:
        raise ValueError(f"z_range must be increasing, got {tuple(z_range)}")
    ax = new_axes(ax)
    z = np.linspace(lo, hi, 401)
    Z = z.reshape(-1, 1)  # one unit: column 0
    ax.axhline(0.0, color="grey", lw=0.6)
    ax.axvline(0.0, color="grey", lw=0.6)
    ax.plot(z, g.forward(Z)[:, 0], lw=2, color=CLASS_COLORS[0], label="$g(z)$")
    ax.plot(z, g.derivative(Z)[:, 0], lw=1.5, ls="--", color=CLASS_COLORS[1],
            label="$g'(z)$")
    ax.set_xlim(lo, hi)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    return label(ax, title or _activation_title(g), "$z$", "$g(z)$ and $g'(z)$")


def activation_grid(names, axes=None, ncols: int = 4, z_range=(-5.0, 5.0),
                    panel_size=(3.0, 2.6), ylim=None):
    """One :func:`activation_curves` panel per activation (names or instances), ``ncols`` to
    a row, with one legend below the panels of a new figure. Returns the array of Axes."""

    items = list(names)
    if not items:
        raise ValueError("activation_grid needs at least one activation, got none")
    n = len(items)
    new_figure = axes is None
    if new_figure:
        ncols = max(1, min(int(ncols), n))
        axes = panel_grid(n, ncols, panel_size, wspace=0.3, hspace=0.6)
        fig = axes[0].figure
    axes = np.asarray(axes).reshape(-1)
    if len(axes) != n:
        raise ValueError(f"got {len(axes)} Axes for {n} activations")
    for i, (ax, item) in enumerate(zip(axes, items)):
        activation_curves(item, ax=ax, z_range=z_range, ylim=ylim)
        ax.title.set_fontsize(10)
        if new_figure and i % ncols:
            ax.set_ylabel("")  # one y label per row: the first panel's
    if new_figure:
        handles, labels = axes[0].get_legend_handles_labels()
        for ax in axes:
            ax.get_legend().remove()
        fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize="small",
                   frameon=False)
    return axes


def gradient_norms(stats, ax=None, title: str = "Gradient norm per layer", ylim=None):
    r"""The weight-gradient norm :math:`\lVert dW^{[l]} \rVert` of every layer on a log scale.

    ``stats`` is a :class:`~nnlib.diagnostics.LayerStats` (drawn as bars) or a mapping of
    names to them (one line with markers each, to compare networks). ``ylim`` fixes the
    vertical range (for explorers).
    """
    from matplotlib.ticker import MaxNLocator

    ax = new_axes(ax)
    if hasattr(stats, "grad_norm"):
        norms = np.asarray(stats.grad_norm, dtype=float)
        ax.bar(np.arange(1, len(norms) + 1), norms, color=CLASS_COLORS[0])
    else:
        if not stats:
            raise ValueError("gradient_norms needs a LayerStats or a non-empty mapping of them")
        for k, (name, s) in enumerate(stats.items()):
            norms = np.asarray(s.grad_norm, dtype=float)
            ax.plot(np.arange(1, len(norms) + 1), norms, label=name, lw=1.5,
                    color=CLASS_COLORS[k % len(CLASS_COLORS)],
                    marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], ms=5)
        ax.legend(fontsize="small")
    ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3, axis="y")
    return label(ax, title, "layer $l$ (1 = nearest the input)", r"$\Vert dW^{[l]} \Vert$")


def probabilities(P, ax=None, class_names=None, title: str = "Softmax probabilities"):
    """Bars of one probability vector, or grouped bars of several (a mapping of names to
    vectors, e.g. softmax at several temperatures). Returns ``ax``."""
    groups = dict(P) if isinstance(P, dict) else {"": P}
    if not groups:
        raise ValueError("probabilities needs a vector or a non-empty mapping of vectors")
    vectors = {name: np.asarray(p, dtype=float).reshape(-1) for name, p in groups.items()}
    k = {v.size for v in vectors.values()}
    if len(k) != 1:
        raise ValueError(f"all probability vectors must have the same length, got {sorted(k)}")
    k = k.pop()
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    if len(names) != k:
        raise ValueError(f"got {len(names)} class names for {k} classes")
    ax = new_axes(ax)
    width = 0.8 / len(vectors)
    for j, (name, p) in enumerate(vectors.items()):
        ax.bar(np.arange(k) + (j - (len(vectors) - 1) / 2) * width, p, width=width,
               color=CLASS_COLORS[j % len(CLASS_COLORS)], label=name or None)
    ax.set_xticks(np.arange(k))
    ax.set_xticklabels(names)
    ax.set_ylim(0.0, 1.05)
    if any(vectors):
        ax.legend(fontsize="small")
    ax.grid(alpha=0.3, axis="y")
    return label(ax, title, "class", "probability")


def loss_comparison(runs, ax=None, title: str = "Training loss per epoch", log: bool = False,
                    ylim=None):
    """Training loss per epoch of several runs: ``runs`` maps a name to a
    :class:`~nnlib.History` or a sequence of losses. ``ylim`` fixes the vertical range."""
    if not runs:
        raise ValueError("loss_comparison needs a non-empty mapping of names to runs")
    ax = new_axes(ax)
    styles = ("-", "--", "-.", ":")
    for k, (name, run) in enumerate(runs.items()):
        loss = np.asarray(getattr(run, "loss", run), dtype=float)
        ax.plot(np.arange(1, len(loss) + 1), loss, label=name, lw=1.8,
                ls=styles[k % len(styles)], color=CLASS_COLORS[k % len(CLASS_COLORS)])
    if log:
        ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return label(ax, title, "epoch", "training loss")


# --- Chapter 4: computational graphs and gradient checking ----------------------------------

#: Colours of the values computed forward and of the gradients computed backward.
FORWARD_COLOR, BACKWARD_COLOR = "#1e7d32", "#c62828"
GRAPH_KEY = "green above an edge: forward value;  red below: gradient of the output"


def _graph_number(value, fmt):
    text = fmt.format(value)
    return "0" if text in ("-0", "-0.0", "-0.00", "-0.000") else text


def computational_graph(nodes, edges, ax=None, title: str = "Computational graph",
                        fmt: str = "{:.3g}", note: str = "", figsize=(6.4, 3.0)):
    r"""Draw a small computational graph with its forward values and backward gradients.

    Parameters
    ----------
    nodes : list of ``(name, (x, y), text)``
        Where each node sits and what it shows. A node that is no edge's destination is an
        *input* (drawn as a box holding ``text``), any other node an *operation* (a circle
        holding ``text``, e.g. ``"+"``); a node with empty ``text`` is an invisible end point
        (the arrow of an output stops there).
    edges : list of ``(source, destination, value, gradient)``
        One arrow per edge, from ``source`` to ``destination``, with the value computed in
        the forward pass written above it (green) and the gradient
        :math:`\partial f / \partial(\text{value})` of the backward pass below it (red);
        ``None`` leaves a number out.
    fmt : str
        Format of the numbers.
    note : str
        A line of text under the graph (for example the local gradients).

    Returns the Axes, titled, with the colour key as its x label.
    """
    from matplotlib.patches import Circle, FancyBboxPatch

    places = {}
    for node in nodes:
        if len(node) != 3:
            raise ValueError(f"each node must be (name, (x, y), text), got {node!r}")
        name, (x, y), text = node
        places[name] = (float(x), float(y), str(text))
    for edge in edges:
        if len(edge) != 4 or edge[0] not in places or edge[1] not in places:
            raise ValueError(
                f"each edge must be (source, destination, value, gradient) between known nodes "
                f"({', '.join(places)}), got {edge!r}"
            )
    ax = new_axes(ax, figsize=figsize)
    targets = {edge[1] for edge in edges}
    radius, half_w, half_h = 0.32, 0.34, 0.24
    for name, (x, y, text) in places.items():
        if not text:
            continue
        if name in targets:
            ax.add_patch(Circle((x, y), radius, facecolor="#f3f3f3", edgecolor="k", lw=1.2))
        else:
            ax.add_patch(FancyBboxPatch((x - half_w, y - half_h), 2 * half_w, 2 * half_h,
                                        boxstyle="round,pad=0.02", facecolor="#e3ecf7",
                                        edgecolor="k", lw=1.0))
        ax.text(x, y, text, ha="center", va="center", fontsize=11)

    def rim(name, toward):
        """The point where an arrow toward ``toward`` leaves the node ``name``."""
        x, y, text = places[name]
        dx, dy = toward[0] - x, toward[1] - y
        dist = float(np.hypot(dx, dy)) or 1.0
        if not text:
            return x, y
        if name in targets:
            return x + radius * dx / dist, y + radius * dy / dist
        scale = min(half_w / abs(dx) if dx else np.inf, half_h / abs(dy) if dy else np.inf)
        return x + (scale + 0.04) * dx, y + (scale + 0.04) * dy

    for source, destination, value, gradient in edges:
        x0, y0, _ = places[source]
        x1, y1, _ = places[destination]
        start, end = rim(source, (x1, y1)), rim(destination, (x0, y0))
        ax.annotate("", xy=end, xytext=start,
                    arrowprops=dict(arrowstyle="-|>", color="k", lw=1.1, shrinkA=0, shrinkB=0))
        dx, dy = end[0] - start[0], end[1] - start[1]
        length = float(np.hypot(dx, dy)) or 1.0
        nx, ny = -dy / length, dx / length  # unit normal, turned to point upwards
        if ny < 0 or (ny == 0 and nx < 0):
            nx, ny = -nx, -ny
        mx, my = start[0] + 0.45 * dx, start[1] + 0.45 * dy
        for number, side, colour in ((value, 1, FORWARD_COLOR), (gradient, -1, BACKWARD_COLOR)):
            if number is not None:
                # beside a steep edge the text starts (or ends) at the offset point
                ha = "center" if abs(nx) < 0.7 else ("left" if side * nx > 0 else "right")
                ax.annotate(_graph_number(number, fmt), (mx, my),
                            xytext=(side * 6 * nx, side * 9 * ny), textcoords="offset points",
                            ha=ha, va="center", color=colour, fontsize=10, fontweight="bold")
    xs = [p[0] for p in places.values()]
    ys = [p[1] for p in places.values()]
    bottom = min(ys) - (1.15 if note else 0.6)
    if note:
        ax.text((min(xs) + max(xs)) / 2, min(ys) - 0.85, note, ha="center", va="center",
                fontsize=9.5)
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(bottom, max(ys) + 0.6)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    label(ax, title, GRAPH_KEY, "")
    ax.xaxis.label.set_fontsize(9)
    return ax


#: The gates of :func:`gate_graph` and what each does with the upstream gradient.
GATES = {
    "add": "add distributes the upstream gradient",
    "multiply": "multiply swaps the inputs",
    "max": "max routes the gradient to the larger input",
    "copy": "copy sums the upstream gradients",
}


def gate_graph(gate: str, x: float, y: float, upstream: float = 1.0, ax=None,
               figsize=(6.4, 3.0)):
    r"""One gate of a computational graph with its forward values and backward gradients.

    ``gate`` is ``"add"`` (:math:`f = x + y`), ``"multiply"`` (:math:`f = xy`), ``"max"``
    (:math:`f = \max(x, y)`; on a tie the gradient goes to :math:`x`) or ``"copy"`` (:math:`x`
    is used twice; the gradients arriving from the two uses are ``upstream`` and ``y``).
    ``upstream`` is :math:`\partial L/\partial f`, the gradient arriving at the gate's output.
    Returns the Axes (see :func:`computational_graph`).
    """
    if gate not in GATES:
        raise ValueError(f"gate must be one of {', '.join(GATES)}, got {gate!r}")
    x, y, u = real(x, "x"), real(y, "y"), real(upstream, "upstream")
    f = _graph_number
    if gate == "copy":
        nodes = [("x", (0, 0), "x"), ("g", (2, 0), "copy"), ("o1", (4.2, 0.8), ""),
                 ("o2", (4.2, -0.8), "")]
        edges = [("x", "g", x, u + y), ("g", "o1", x, u), ("g", "o2", x, y)]
        note = (f"x is used twice: dx = {f(u, '{:.3g}')} + {f(y, '{:.3g}')} = "
                f"{f(u + y, '{:.3g}')}  (gradients from the two uses: upstream and y)")
        title = f"Copy gate: {GATES[gate].split(' ', 1)[1]}"
    else:
        if gate == "add":
            out, dx, dy, symbol = x + y, u, u, "+"
            note = f"local gradients 1 and 1: dx = dy = upstream = {f(u, '{:.3g}')}"
        elif gate == "multiply":
            out, dx, dy, symbol = x * y, y * u, x * u, "×"
            note = (f"dx = y · upstream = {f(dx, '{:.3g}')},   "
                    f"dy = x · upstream = {f(dy, '{:.3g}')}")
        else:
            first = x >= y
            out, dx, dy, symbol = max(x, y), u if first else 0.0, 0.0 if first else u, "max"
            note = (f"{'x' if first else 'y'} is the larger input: it gets the upstream "
                    f"{f(u, '{:.3g}')}, the other gets 0")
        nodes = [("x", (0, 0.8), "x"), ("y", (0, -0.8), "y"), ("g", (2, 0), symbol),
                 ("out", (4.2, 0), "")]
        edges = [("x", "g", x, dx), ("y", "g", y, dy), ("g", "out", out, u)]
        title = f"{gate.capitalize()} gate: {GATES[gate].split(' ', 1)[1]}"
    return computational_graph(nodes, edges, ax=ax, title=title, note=note, figsize=figsize)


def finite_difference_errors(eps, errors: dict, ax=None,
                             title: str = "Finite differences: error against the step size"):
    """Log-log plot of the error of numerical derivatives (one line per entry of ``errors``,
    a label mapped to an array of errors, one per step size in ``eps``)."""
    eps = np.asarray(eps, dtype=float)
    if eps.ndim != 1 or np.any(eps <= 0):
        raise ValueError(f"eps must be a 1-D array of positive step sizes, got {eps!r}")
    ax = new_axes(ax)
    for (name, err), marker in zip(errors.items(), "os^Dv"):
        err = np.asarray(err, dtype=float)
        if err.shape != eps.shape:
            raise ValueError(f"errors[{name!r}] has shape {err.shape}, expected {eps.shape}")
        ax.loglog(eps, np.maximum(err, 1e-17), marker=marker, ms=4, label=name)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3, which="both")
    return label(ax, title, r"step size $\epsilon$", "absolute error of the derivative")


# --- Loss surfaces and optimizer paths (chapters 5 and 6) ----------------------------------

def surface_paths(surface, paths=None, ax=None, xlim=None, ylim=None, levels: int = 30,
                  log_levels: bool = True, resolution: int = 120, title=None,
                  xlabel: str = r"$\theta_1$", ylabel: str = r"$\theta_2$"):
    r"""Contours of a two-parameter loss surface with the paths optimizers took on it.

    ``surface`` is an :mod:`nnlib.surfaces` surface (or its name) or any object with a
    ``value(theta)`` taking a ``(k, 2)`` array; ``paths`` maps a legend label to an array of
    visited points, shape ``(steps + 1, 2)`` (e.g. from :func:`nnlib.surfaces.trajectory`).
    Each path starts with a circle and ends with a cross; the minimum, when the surface has
    one, is a star. Contour levels are spaced logarithmically by default so that both the
    steep walls and the flat floor show.
    """
    from . import surfaces

    if isinstance(surface, str):
        surface = surfaces.get(surface)
    ax = new_axes(ax)
    xlim = xlim or getattr(surface, "xlim", (-2.0, 2.0))
    ylim = ylim or getattr(surface, "ylim", (-2.0, 2.0))
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    gx, gy = np.meshgrid(xs, ys)
    L = np.asarray(surface.value(np.column_stack([gx.ravel(), gy.ravel()]))).reshape(gx.shape)
    if log_levels:
        shift = L.min()
        span = max(L.max() - shift, 1e-12)
        lv = shift + np.geomspace(span * 1e-4, span, levels)
        ax.contour(gx, gy, L, levels=lv, cmap="viridis", linewidths=0.8)
    else:
        ax.contour(gx, gy, L, levels=levels, cmap="viridis", linewidths=0.8)
    minimum = getattr(surface, "minimum", None)
    if minimum is not None:
        ax.plot(*minimum, marker="*", ms=14, color="gold", mec="k", ls="none", label="minimum")
    for i, (name, path) in enumerate((paths or {}).items()):
        P = np.asarray(path, dtype=float).reshape(-1, 2)
        colour = CLASS_COLORS[i % len(CLASS_COLORS)]
        ax.plot(P[:, 0], P[:, 1], "-", color=colour, lw=1.5, marker=".", ms=3, label=name)
        ax.plot(P[0, 0], P[0, 1], "o", color=colour, mec="k", ms=6)
        ax.plot(P[-1, 0], P[-1, 1], "X", color=colour, mec="k", ms=8)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    if paths or minimum is not None:
        ax.legend(fontsize="small", loc="upper right")
    name = getattr(surface, "name", "loss surface")
    return label(ax, title or f"Paths on the {name} surface", xlabel, ylabel)

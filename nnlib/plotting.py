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


def log_y(ax):
    """Put the y axis of ``ax`` on a log scale; return ``ax``.

    On an axis spanning two decades or more, the powers of ten are ticked and labelled and the
    minor ticks (eight per decade) are left out: they cost about 40 ms per drawn frame, a
    third of what an explorer may take to answer a slider. Shorter axes keep matplotlib's
    labelled minor ticks, without which they might show no number at all.
    """
    from matplotlib.ticker import LogLocator

    class FewMinorTicks(LogLocator):
        def __call__(self):
            low, high = self.axis.get_view_interval()
            if low > 0 and high / low >= 100.0:
                return []
            return super().__call__()

    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(FewMinorTicks(base=10.0, subs="auto"))
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
        log_y(ax)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return label(ax, title, "epoch", "loss")


def hidden_space(model, X, y, layer: int = 1, ax=None, title=None):
    """Scatter the activations :math:`A^{[l]}` of hidden layer ``layer`` (1 = first) for the
    inputs ``X``.

    Two units are plotted as they are, on axes :math:`a^{[l]}_1, a^{[l]}_2` (and, when the
    next layer is a single unit, its decision line :math:`a^{[l]} W^{[l+1]} + b^{[l+1]} = 0` is
    drawn); more units are projected on their first two principal components.
    """
    n_hidden = len(model.layers) - 1
    if isinstance(layer, bool) or not isinstance(layer, int) or not 1 <= layer <= n_hidden:
        raise ValueError(f"layer must be a hidden layer, 1 to {n_hidden}, got {layer!r}")
    ax = new_axes(ax)
    H = model.activations(X)[layer - 1]
    nxt = model.layers[layer] if layer < len(model.layers) else None
    if H.shape[1] == 2:
        scatter_classes(H, y, ax)
        xlabel, ylabel = f"$a^{{[{layer}]}}_1$", f"$a^{{[{layer}]}}_2$"
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


def perceptron_diagrams(gates, axes=None, ncols: int = 3, panel_size=(3.3, 1.75)):
    r"""Each gate as a perceptron: one :func:`~nnlib.diagrams.perceptron_diagram` per entry of
    ``gates`` (a gate name mapped to the ``(w, b)`` of its perceptron), titled with the gate
    and its threshold :math:`\tau = -b`. New figures put ``ncols`` diagrams in a row.
    Returns the array of Axes."""
    import matplotlib.pyplot as plt

    if not gates:
        raise ValueError("perceptron_diagrams needs at least one gate, got an empty mapping")
    n = len(gates)
    if axes is None:
        ncols = min(int(ncols), n)
        nrows = -(-n // ncols)
        fig, grid = plt.subplots(nrows, ncols, squeeze=False,
                                 figsize=(panel_size[0] * ncols, panel_size[1] * nrows))
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=1 - 0.16 / nrows,
                            wspace=0.05, hspace=0.25)
        for ax in grid.ravel()[n:]:
            fig.delaxes(ax)
        axes = grid.ravel()[:n]
    axes = np.asarray(axes).reshape(-1)
    if len(axes) != n:
        raise ValueError(f"got {len(axes)} axes for {n} gates")
    for ax, (name, (w, b)) in zip(axes, gates.items()):
        tau = -real(b, "b") + 0.0  # + 0.0: no "-0"
        perceptron_diagram(w, b, ax=ax, title=rf"{name.upper()}: $\tau$ = {tau:g}")
        ax.title.set_fontsize(10)
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
    params = ", ".join(f"{k} = {v:g}" if isinstance(v, (int, float)) else f"{k} = {v}"
                       for k, v in vars(g).items())
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
    log_y(ax)
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
        log_y(ax)
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
    return "0" if text in ("-0", "-0.0", "-0.00", "-0.000", "-0.0000") else text


def _layered_layout(names, edges, column_gap=2.0, row_gap=1.5):
    """Positions for nodes given without them: columns by depth, rows as a tree.

    An operation sits one column right of its deepest input; an input sits just left of the
    first node that uses it. Rows are laid out backwards from the output like a tree: each
    input gets a row of its own, and an operation sits at the mean height of its inputs.
    """
    sources = {name: [] for name in names}
    users = {name: [] for name in names}
    for source, destination, *_ in edges:
        sources[destination].append(source)
        users[source].append(destination)
    column = {}

    def depth(name, seen=()):
        if name in seen:
            raise ValueError(f"the graph has a cycle through {name!r}")
        if name not in column:
            column[name] = 0 if not sources[name] else \
                1 + max(depth(s, seen + (name,)) for s in sources[name])
        return column[name]

    for name in names:
        depth(name)
    for name in names:  # pull each input next to the first node that uses it
        if not sources[name] and users[name]:
            column[name] = min(column[u] for u in users[name]) - 1
    row, next_row = {}, [0]

    def place(name):
        if name in row:
            return
        for s in sources[name]:
            place(s)
        if sources[name]:
            row[name] = float(np.mean([row[s] for s in sources[name]]))
        else:
            row[name] = float(next_row[0])
            next_row[0] += 1

    for name in names:
        if not users[name]:
            place(name)
    for name in names:
        place(name)
    low = min(column.values())
    where = {name: ((column[name] - low) * column_gap, -row[name] * row_gap) for name in names}
    for name in names:  # an output's arrow only needs to be long enough for its numbers
        if not users[name] and len(sources[name]) == 1:
            x, y = where[sources[name][0]]
            where[name] = (x + 0.7 * column_gap, y)
    return where


def _text_width(text):
    """Rough width of a node's label in characters (math markup removed)."""
    import re

    plain = re.sub(r"\\[a-zA-Z]+|[${}^_\\]", "", text)
    sub = len(re.findall(r"[\^_]\{[^}]*\}|[\^_].", text))
    return max(len(plain) - 0.4 * sub, 1)


def computational_graph(nodes, edges, ax=None, title: str = "Computational graph",
                        fmt: str = "{:.3g}", note: str = "", figsize=None):
    r"""Draw a small computational graph with its forward values and backward gradients.

    Parameters
    ----------
    nodes : list of ``(name, text)`` or of ``(name, (x, y), text)``
        The nodes and what each shows (matplotlib math such as ``"$w_1$"`` works). A node
        that is no edge's destination is an *input* (a box holding ``text``), any other node an
        *operation* (a circle holding ``text``, e.g. ``"+"``); a node with empty ``text`` is an
        invisible end point (the arrow of an output stops there). Without positions the nodes
        are laid out automatically: columns by depth from the inputs, each input in a row of
        its own next to the node that uses it, each operation at the mean height of its inputs.
    edges : list of ``(source, destination, value, gradient)``
        One arrow per edge, from ``source`` to ``destination``, with the value computed in
        the forward pass written above it (green) and the gradient
        :math:`\partial f / \partial(\text{value})` of the backward pass below it (red);
        ``None`` leaves a number out.
    fmt : str
        Format of the numbers.
    note : str
        A line of text under the graph (for example the local gradients).
    figsize : (width, height) or None
        None sizes the figure to the graph.

    Returns the Axes, titled, with the colour key as its x label.

    Examples
    --------
    >>> ax = computational_graph(
    ...     [("x", "$x$"), ("y", "$y$"), ("f", "×"), ("out", "")],
    ...     [("x", "f", 2.0, 3.0), ("y", "f", 3.0, 2.0), ("f", "out", 6.0, 1.0)])
    """
    from matplotlib.patches import Circle, FancyBboxPatch

    if not isinstance(nodes, (list, tuple)) or not nodes:
        raise ValueError(f"nodes must be a non-empty list of (name, text) or "
                         f"(name, (x, y), text), got {nodes!r}")
    lengths = set()
    for node in nodes:
        if not isinstance(node, (list, tuple)) or len(node) not in (2, 3) or \
                not isinstance(node[-1], str) or (len(node) == 3 and len(node[1]) != 2):
            raise ValueError(f"each node must be (name, text) or (name, (x, y), text), "
                             f"got {node!r}")
        lengths.add(len(node))
    if len(lengths) > 1:
        raise ValueError("give positions for all nodes or for none (then they are laid out "
                         "automatically)")
    names = [node[0] for node in nodes]
    if len(set(names)) != len(names):
        raise ValueError(f"node names must be unique, got {names}")
    for edge in edges:
        if len(edge) != 4 or edge[0] not in names or edge[1] not in names:
            raise ValueError(
                f"each edge must be (source, destination, value, gradient) between known nodes "
                f"({', '.join(names)}), got {edge!r}"
            )
        for number, what in ((edge[2], "value"), (edge[3], "gradient")):
            if number is not None:
                real(number, f"the {what} of edge {edge[0]} -> {edge[1]}")
    if lengths == {2}:
        where = _layered_layout(names, edges)
        places = {name: (*where[name], str(text)) for name, text in nodes}
    else:
        places = {name: (float(x), float(y), str(text)) for name, (x, y), text in nodes}
    xs = [p[0] for p in places.values()]
    ys = [p[1] for p in places.values()]
    left, right = min(xs) - 0.7, max(xs) + 0.6
    bottom, top = min(ys) - (1.15 if note else 0.6), max(ys) + 0.6
    own_figure = ax is None
    if figsize is None:  # inches per unit of the layout: the fonts fit the nodes
        scale = min(0.62, max(9.0 * 0.96 / (right - left), 0.5))
        figsize = (max((right - left) * scale / 0.96, 5.6), (top - bottom) * scale / 0.78 + 0.1)
    ax = new_axes(ax, figsize=figsize)
    if own_figure:
        ax.figure.subplots_adjust(left=0.02, right=0.98, bottom=0.1, top=0.88)
    targets = {edge[1] for edge in edges}
    radius, half_h = 0.32, 0.24
    half_w = {name: max(0.34, 0.085 * _text_width(text) + 0.12)
              for name, (_, _, text) in places.items()}
    for name, (x, y, text) in places.items():
        if not text:
            continue
        if name in targets:
            ax.add_patch(Circle((x, y), radius, facecolor="#f3f3f3", edgecolor="k", lw=1.2))
        else:
            ax.add_patch(FancyBboxPatch((x - half_w[name], y - half_h), 2 * half_w[name],
                                        2 * half_h, boxstyle="round,pad=0.02",
                                        facecolor="#e3ecf7", edgecolor="k", lw=1.0))
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
        scale = min(half_w[name] / abs(dx) if dx else np.inf, half_h / abs(dy) if dy else np.inf)
        return x + (scale + 0.04) * dx, y + (scale + 0.04) * dy

    fanout = {name: sum(edge[0] == name for edge in edges) for name in places}
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
        # Numbers sit nearer the source, where edges that meet at one node are still apart,
        # except on the edges of a value used twice, which start at one point.
        level = abs(dy) < 0.2 * abs(dx) or not places[destination][2]
        along = 0.5 if level else (0.55 if fanout[source] > 1 else 0.4)
        mx, my = start[0] + along * dx, start[1] + along * dy
        for number, side, colour in ((value, 1, FORWARD_COLOR), (gradient, -1, BACKWARD_COLOR)):
            if number is not None:
                text = _graph_number(number, fmt)
                # far enough along the normal that the text's box clears the edge
                gap = 0.5 * 6.4 * len(text) * abs(nx) + 0.5 * 10 * abs(ny) + 2.5
                ax.annotate(text, (mx, my), xytext=(side * gap * nx, side * gap * ny),
                            textcoords="offset points", ha="center", va="center",
                            color=colour, fontsize=10, fontweight="bold")
    if note:
        ax.text((min(xs) + max(xs)) / 2, min(ys) - 0.85, note, ha="center", va="center",
                fontsize=9.5)
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
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
    return label(ax, title, r"step size $\varepsilon$", "absolute error of the derivative")


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


# --- Chapter 7: initializers: per-layer distributions ---------------------------------------

def _layers_to_show(n: int, layers, max_layers: int) -> list[int]:
    """Layer numbers (from 1) to draw: ``layers`` checked, or all of them when there are at
    most ``max_layers``, else ``max_layers`` evenly spaced ones including the first and last."""
    if layers is None:
        if n <= max_layers:
            return list(range(1, n + 1))
        return sorted({int(round(v)) for v in np.linspace(1, n, max_layers)})
    layers = list(layers)
    bad = [l for l in layers if isinstance(l, bool) or not isinstance(l, (int, np.integer))
           or not 1 <= l <= n]
    if bad or not layers:
        raise ValueError(f"layers must be layer numbers 1..{n}, got {layers!r}")
    return [int(l) for l in layers]


def layer_histograms(arrays, ax=None, layers=None, bins: int = 50, value_range=None,
                     log: bool = False, max_layers: int = 6, title: str = "Values per layer",
                     xlabel: str = "value"):
    r"""Overlaid histograms of one array per layer (activations :math:`A^{[l]}` or
    back-propagated gradients :math:`dZ^{[l]}`), layer 1 first, as in the figures of
    Glorot & Bengio (2010).

    Each layer is a step line of the *fraction* of its entries per bin, coloured from light
    (near the input) to dark (deep), with the layer's standard deviation in the legend.
    ``layers`` picks layer numbers (from 1); by default all are drawn when there are at most
    ``max_layers``, else ``max_layers`` evenly spaced ones. ``value_range`` defaults to
    :math:`\pm r` (or :math:`[0, r]` when no value is negative), with :math:`r` the largest
    99.5th percentile of :math:`|x|` over the drawn layers. With ``log=True`` the histogram is
    of :math:`\log_{10}|x|` over the nonzero entries, which shows layers whose scales differ
    by orders of magnitude side by side. Returns ``ax``.
    """
    import matplotlib.pyplot as plt

    arrays = [np.asarray(a, dtype=float) for a in arrays]
    if not arrays:
        raise ValueError("layer_histograms needs at least one array (one per layer)")
    shown = _layers_to_show(len(arrays), layers, max_layers)
    bins = int(bins)
    if bins < 2:
        raise ValueError(f"bins must be at least 2, got {bins}")
    ax = new_axes(ax)
    data = {}
    for l in shown:
        a = arrays[l - 1].ravel()
        a = a[np.isfinite(a)]
        data[l] = np.log10(np.abs(a[a != 0])) if log else a
    if value_range is None:
        filled = [d for d in data.values() if d.size]
        if log:
            lo = min((np.percentile(d, 0.5) for d in filled), default=-1.0)
            hi = max((np.percentile(d, 99.5) for d in filled), default=0.0)
            value_range = (np.floor(lo * 2) / 2, np.ceil(hi * 2) / 2 + 0.5 * (hi <= lo))
        else:
            r = max((np.percentile(np.abs(d), 99.5) for d in filled), default=1.0) or 1.0
            negative = any(np.any(d < 0) for d in filled)
            value_range = (-r, r) if negative else (0.0, r)
    lo, hi = (real(v, "value_range") for v in value_range)
    if not hi > lo:
        raise ValueError(f"value_range must be increasing, got {value_range!r}")
    edges = np.linspace(lo, hi, bins + 1)
    colours = plt.get_cmap("viridis_r")(np.linspace(0.15, 1.0, len(shown)))
    for colour, l in zip(colours, shown):
        values = arrays[l - 1]
        counts, _ = np.histogram(np.clip(data[l], lo, hi), bins=edges)
        fraction = counts / max(values.size, 1)
        ax.stairs(fraction, edges, color=colour, lw=1.5,
                  label=f"layer {l} (std {np.std(values):.2g})")
    ax.set_xlim(lo, hi)
    if not log:
        ax.ticklabel_format(axis="x", style="sci", scilimits=(-2, 3))
    ax.legend(fontsize="x-small", loc="best")
    ax.grid(alpha=0.3)
    if log:  # plain text, not mathtext: explorers draw many frames of this
        xlabel = f"log10 |{xlabel}| (nonzero entries)"
    return label(ax, title, xlabel, "fraction of entries")


def layer_std(series, ax=None, title: str = "Standard deviation per layer",
              ylabel: str = "standard deviation", ylim=None):
    """The standard deviation of every layer's values on a log scale, one line with markers
    per entry of ``series`` (a mapping of a label to a sequence of per-layer standard
    deviations, layer 1 first, e.g. ``LayerStats.act_std``). Returns ``ax``."""
    from matplotlib.ticker import MaxNLocator

    if not series:
        raise ValueError("layer_std needs a non-empty mapping of labels to per-layer values")
    ax = new_axes(ax)
    for k, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=float).ravel()
        if values.size == 0 or np.any(values < 0):
            raise ValueError(f"series[{name!r}] must be non-negative standard deviations, "
                             f"got {values!r}")
        ax.plot(np.arange(1, values.size + 1), values, label=name, lw=1.5,
                color=CLASS_COLORS[k % len(CLASS_COLORS)],
                marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], ms=4)
    log_y(ax)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3, which="major")
    return label(ax, title, "layer $l$ (1 = nearest the input)", ylabel)


def weight_matrix(W, ax=None, title: str = "Incoming weights of the hidden units",
                  annotate: bool = True):
    r"""A weight matrix ``W`` of shape ``(n_in, n_out)`` as a colour map, one column per unit,
    so that identical units (a symmetric initialization) show as identical columns. A shared
    colour scale :math:`\pm \max|W|` puts 0 in white; with ``annotate`` and at most 8 x 16
    entries the values are written in the cells. Returns ``ax``."""
    W = np.asarray(W, dtype=float)
    if W.ndim == 1:
        W = W.reshape(-1, 1)
    if W.ndim != 2 or W.size == 0 or not np.all(np.isfinite(W)):
        raise ValueError(f"W must be a finite 2-D array (n_in, n_out), got shape {W.shape}")
    ax = new_axes(ax)
    r = float(np.abs(W).max()) or 1.0
    ax.imshow(W, cmap="RdBu_r", vmin=-1.25 * r, vmax=1.25 * r, aspect="auto")
    n_in, n_out = W.shape
    if annotate and n_in <= 8 and n_out <= 16:
        for i in range(n_in):
            for j in range(n_out):
                ax.text(j, i, f"{W[i, j]:.2f}", ha="center", va="center",
                        fontsize=7 if n_out > 8 else 8,
                        color="white" if abs(W[i, j]) > 0.6 * r else "black")
    ax.set_xticks(range(n_out))
    ax.set_xticklabels([str(j + 1) for j in range(n_out)], fontsize=7 if n_out > 8 else 9)
    ax.set_yticks(range(n_in))
    ax.set_yticklabels([f"$x_{i + 1}$" for i in range(n_in)])
    return label(ax, title, "hidden unit", "input")


# --- Chapter 5: gradient descent and its variants -------------------------------------------

def regression_lines(X, y, lines=None, ax=None, title: str = "Data and fitted lines",
                     xlabel: str = "$x$", ylabel: str = "$y$"):
    """Scatter 1-D regression data ``(X, y)`` (``X`` of shape ``(m, 1)`` or ``(m,)``) and draw
    the lines ``y = w x + b``: ``lines`` maps a legend label to a pair ``(w, b)``."""
    x = np.asarray(X, dtype=float).reshape(-1)
    t = np.asarray(y, dtype=float).reshape(-1)
    if x.size != t.size:
        raise ValueError(f"X has {x.size} samples but y has {t.size}")
    ax = new_axes(ax)
    ax.scatter(x, t, s=18, color="0.45", label="data", zorder=3)
    xs = np.linspace(x.min(), x.max(), 2) if x.size else np.array([0.0, 1.0])
    styles = ("-", "--", "-.", ":")
    for k, (name, (w, b)) in enumerate((lines or {}).items()):
        ax.plot(xs, float(w) * xs + float(b), lw=2, ls=styles[k % len(styles)],
                color=CLASS_COLORS[k % len(CLASS_COLORS)], label=name)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return label(ax, title, xlabel, ylabel)


def descent_steps(f, path, ax=None, xlim=None, title: str = "Gradient descent steps",
                  xlabel: str = r"$\theta$", ylabel: str = r"loss $\mathcal{L}(\theta)$"):
    """A one-parameter loss ``f`` (a vectorized function) with the iterates ``path`` of
    gradient descent on it: dots on the curve joined in order, the start circled. Points
    outside ``xlim`` (default: the range of the path, widened) are clipped by the view."""
    P = np.asarray(path, dtype=float).reshape(-1)
    if P.size == 0:
        raise ValueError("descent_steps needs at least one point in path")
    ax = new_axes(ax)
    if xlim is None:
        finite = P[np.isfinite(P)]
        span = max(np.abs(finite).max(), 1e-3) * 1.15
        xlim = (-span, span)
    ts = np.linspace(*xlim, 200)
    ax.plot(ts, f(ts), color="0.35", lw=1.5)
    ax.plot(P, f(P), "-o", color=CLASS_COLORS[1], ms=4, lw=1)
    ax.plot(P[0], f(P[:1])[0], "o", color=CLASS_COLORS[1], mec="k", ms=8)
    ax.set_xlim(*xlim)
    top = float(np.max(f(ts)))
    ax.set_ylim(-0.05 * top, 1.1 * top)
    ax.grid(alpha=0.3)
    return label(ax, title, xlabel, ylabel)


def loss_along_lines(t, curves, ax=None, title: str = "Loss along random lines",
                     xlabel: str = "step $t$ along the line", ylabel: str = "loss"):
    """Loss values along straight lines through parameter space: ``curves`` maps a legend
    label to an array of shape ``(len(t),)`` or ``(k, len(t))`` (``k`` lines, drawn thin in
    one colour)."""
    if not curves:
        raise ValueError("loss_along_lines needs a non-empty mapping of labels to curves")
    t = np.asarray(t, dtype=float)
    ax = new_axes(ax)
    for k, (name, values) in enumerate(curves.items()):
        V = np.atleast_2d(np.asarray(values, dtype=float))
        if V.shape[1] != t.size:
            raise ValueError(f"curves[{name!r}] has {V.shape[1]} values per line, t has {t.size}")
        colour = CLASS_COLORS[k % len(CLASS_COLORS)]
        for i, row in enumerate(V):
            ax.plot(t, row, color=colour, lw=1.6 if len(V) == 1 else 0.9,
                    alpha=1.0 if len(V) == 1 else 0.6, label=name if i == 0 else None)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return label(ax, title, xlabel, ylabel)


def iteration_losses(runs, ax=None, title: str = "Loss per iteration", log: bool = True,
                     ylim=None):
    """Loss after every iteration against the epoch, for several runs at once.

    ``runs`` maps a legend label to a :class:`~nnlib.History` (its ``batch_loss``, the loss of
    each mini-batch) or to a pair ``(losses, iterations_per_epoch)``. Iteration ``k`` (from 1)
    is drawn at epoch ``k / iterations_per_epoch``, so runs with different batch sizes share
    the horizontal axis.
    """
    if not runs:
        raise ValueError("iteration_losses needs a non-empty mapping of labels to runs")
    ax = new_axes(ax)
    styles = ("-", "--", "-.", ":")
    for k, (name, run) in enumerate(runs.items()):
        if hasattr(run, "batch_loss"):
            losses, per_epoch = run.batch_loss, run.iterations_per_epoch
        else:
            losses, per_epoch = run
        losses = np.asarray(losses, dtype=float).reshape(-1)
        per_epoch = int(per_epoch)
        if per_epoch < 1:
            raise ValueError(f"iterations_per_epoch of {name!r} must be >= 1, got {per_epoch}")
        x = np.arange(1, losses.size + 1) / per_epoch
        ax.plot(x, losses, lw=1.2 if per_epoch > 1 else 1.8, ls=styles[k % len(styles)],
                color=CLASS_COLORS[k % len(CLASS_COLORS)], label=name)
    if log:
        log_y(ax)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)  # major lines only: minor log-scale grid lines double the drawing time
    return label(ax, title, "epoch", "loss")


# --- Chapter 6: optimizers ------------------------------------------------------------------

def line_comparison(x, curves, ax=None, title: str = "Comparison", xlabel: str = "x",
                    ylabel: str = "y", logx: bool = False, logy: bool = False, marks=None,
                    ylim=None):
    """Several curves over one horizontal axis: ``curves`` maps a legend label to values of
    shape ``(len(x),)``; ``marks`` maps a label to an ``x`` position drawn as a dashed vertical
    line (e.g. a value that theory predicts). Non-finite values are left out of the lines."""
    if not curves:
        raise ValueError("line_comparison needs a non-empty mapping of labels to curves")
    x = np.asarray(x, dtype=float).reshape(-1)
    ax = new_axes(ax)
    styles = ("-", "--", "-.", ":")
    for k, (name, values) in enumerate(curves.items()):
        y = np.asarray(values, dtype=float).reshape(-1)
        if y.size != x.size:
            raise ValueError(f"curves[{name!r}] has {y.size} values, x has {x.size}")
        y = np.where(np.isfinite(y), y, np.nan)
        ax.plot(x, y, lw=1.8, ls=styles[k % len(styles)],
                color=CLASS_COLORS[k % len(CLASS_COLORS)], label=name)
    for name, position in (marks or {}).items():
        ax.axvline(float(position), color="k", ls="--", lw=1.0, alpha=0.7, label=name)
    if logx:
        ax.set_xscale("log")
    if logy:
        log_y(ax)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3, which="both" if (logx or logy) else "major")
    return label(ax, title, xlabel, ylabel)


def highlighted_losses(runs, highlight, ax=None, title: str = "Training loss per epoch",
                       log: bool = True, ylim=None):
    """Training loss per epoch of several runs (``runs`` maps a name to a
    :class:`~nnlib.History` or a sequence of losses), drawn thin and faded, with the run named
    ``highlight`` (which need not be among ``runs``: pass it as ``(name, run)``) drawn thick
    in black on top. A run that diverged ends where its losses stop."""
    if isinstance(highlight, tuple):
        chosen_name, chosen = highlight
    else:
        if highlight not in runs:
            raise ValueError(f"highlight {highlight!r} is not one of the runs: {list(runs)}")
        chosen_name, chosen = highlight, runs[highlight]
    ax = new_axes(ax)
    for k, (name, run) in enumerate(runs.items()):
        loss = np.asarray(getattr(run, "loss", run), dtype=float)
        ax.plot(np.arange(1, len(loss) + 1), loss, lw=1.2, alpha=0.45,
                color=CLASS_COLORS[k % len(CLASS_COLORS)], label=name)
    loss = np.asarray(getattr(chosen, "loss", chosen), dtype=float)
    ax.plot(np.arange(1, len(loss) + 1), loss, lw=2.6, color="k", label=chosen_name)
    if log:
        log_y(ax)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize="small", ncol=2, loc="upper right")  # a fixed place: "best" is slow
    ax.grid(alpha=0.3)
    return label(ax, title, "epoch", "training loss")


# --- Chapter 8: regression fits, loss profiles, overfitting, confusion matrices -------------

def regression_fit(predict, X, y, ax=None, true_fn=None, X_val=None, y_val=None,
                   title: str = "Data and fitted curve", xlabel: str = "$x$",
                   ylabel: str = "$y$", ylim=None, resolution: int = 300):
    """A 1-D regression: the training points, optionally validation points and the true
    curve (dashed), and the model's curve :math:`\\hat{y}(x)` over the range of the data.

    ``predict`` is a model with a ``predict`` method or a function from an ``(n, 1)`` array to
    predictions ``(n, 1)``; ``true_fn`` maps an array of ``x`` to the noise-free ``y``.
    """
    X = np.asarray(X, dtype=float).reshape(-1, 1)
    y = np.asarray(y, dtype=float).reshape(-1)
    if y.size != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples but y has {y.size}")
    fn = predict.predict if hasattr(predict, "predict") else predict
    ax = new_axes(ax)
    lo, hi = X.min(), X.max()
    if X_val is not None:
        X_val = np.asarray(X_val, dtype=float).reshape(-1, 1)
        lo, hi = min(lo, X_val.min()), max(hi, X_val.max())
        ax.scatter(X_val[:, 0], np.asarray(y_val, dtype=float).reshape(-1), s=12,
                   c="#bbbbbb", marker="o", label="validation data", zorder=2)
    ax.scatter(X[:, 0], y, s=22, c=CLASS_COLORS[0], edgecolors="k", linewidths=0.4,
               label="training data", zorder=3)
    grid = np.linspace(lo, hi, resolution).reshape(-1, 1)
    if true_fn is not None:
        ax.plot(grid[:, 0], np.asarray(true_fn(grid), dtype=float).reshape(-1), "k--", lw=1.2,
                label="true curve", zorder=4)
    ax.plot(grid[:, 0], np.asarray(fn(grid), dtype=float).reshape(-1), color=CLASS_COLORS[3],
            lw=2, label="network", zorder=5)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize="x-small", loc="best")
    ax.grid(alpha=0.3)
    return label(ax, title, xlabel, ylabel)


def regression_fits(x, predictions, ax=None, true_fn=None, title: str = "Fits",
                    xlabel: str = "$x$", ylabel: str = "$y$", ylim=None):
    """The fits of one model trained on several training sets: each fit thin, their mean
    thick and the true curve dashed. The spread of the thin curves shows the variance, the
    distance between the mean and the true curve the bias.

    ``x`` is 1-D, ``predictions`` has one row per fit, ``(n_fits, len(x))``."""
    x = np.asarray(x, dtype=float).reshape(-1)
    P = np.asarray(predictions, dtype=float)
    if P.ndim != 2 or P.shape[1] != x.size or P.shape[0] == 0:
        raise ValueError(f"predictions must have shape (n_fits, {x.size}), got {P.shape}")
    order = np.argsort(x)
    ax = new_axes(ax)
    for k, row in enumerate(P):
        ax.plot(x[order], row[order], color=CLASS_COLORS[3], lw=0.9, alpha=0.55,
                label="single fits" if k == 0 else None)
    ax.plot(x[order], P.mean(axis=0)[order], color=CLASS_COLORS[0], lw=2.4, label="mean fit")
    if true_fn is not None:
        ax.plot(x[order], np.asarray(true_fn(x[order]), dtype=float).reshape(-1), "k--", lw=1.2,
                label="true curve")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize="x-small", loc="lower left")
    ax.grid(alpha=0.3)
    return label(ax, title, xlabel, ylabel)


def loss_profiles(x, curves, ax=None, title: str = "Loss of one sample",
                  xlabel: str = r"prediction $\hat{y}$", ylabel: str = "loss", ylim=None,
                  marks=None):
    """One line per entry of ``curves`` (a label mapped to loss values, one per ``x``): how a
    loss grows as a single prediction moves away from its target. ``marks`` maps a label
    to an ``x`` position drawn as a dotted vertical line (e.g. the target)."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or not curves:
        raise ValueError("loss_profiles needs a 1-D x and a non-empty mapping of curves")
    ax = new_axes(ax)
    styles = ("-", "--", "-.", ":")
    for k, (name, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        if values.shape != x.shape:
            raise ValueError(f"curves[{name!r}] has shape {values.shape}, expected {x.shape}")
        ax.plot(x, values, lw=2, ls=styles[k % len(styles)],
                color=CLASS_COLORS[k % len(CLASS_COLORS)], label=name)
    for name, position in (marks or {}).items():
        ax.axvline(position, color="grey", ls=":", lw=1.2, label=name)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return label(ax, title, xlabel, ylabel)


def loss_panels(runs, axes=None, ylim=None, log: bool = False, panel_size=(3.6, 3.0),
                mark_best: bool = True):
    """Training and validation loss of several runs side by side, on one vertical scale.

    ``runs`` maps a panel title to a :class:`~nnlib.History` with validation losses. With
    ``mark_best`` a dotted line marks the epoch of the lowest validation loss (the epoch
    early stopping would keep). Returns the list of Axes.
    """
    runs = dict(runs)
    if not runs:
        raise ValueError("loss_panels needs a non-empty mapping of titles to histories")
    axes = axes_row(len(runs), panel_size=panel_size) if axes is None else list(axes)
    if len(axes) != len(runs):
        raise ValueError(f"got {len(axes)} Axes for {len(runs)} runs")
    for ax, (name, history) in zip(axes, runs.items()):
        loss_curves(history, ax=ax, title=name, log=log)
        if mark_best and history.val_loss:
            best = int(np.argmin(history.val_loss)) + 1
            ax.axvline(best, color="grey", ls=":", lw=1.2, label=f"lowest val. (epoch {best})")
            ax.legend(fontsize="x-small")
        if ylim is not None:
            ax.set_ylim(*ylim)
    return axes


def confusion_matrix(C, ax=None, class_names=None, title: str = "Confusion matrix"):
    """Draw a confusion matrix ``C`` (``C[i, j]``: samples of true class ``i`` predicted as
    ``j``, as :func:`nnlib.metrics.confusion_matrix` returns) as a grid of counts; the
    diagonal holds the correct predictions. Returns ``ax``."""
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] == 0:
        raise ValueError(f"C must be a square matrix of counts, got shape {C.shape}")
    k = C.shape[0]
    names = [str(i) for i in range(k)] if class_names is None else [str(n) for n in class_names]
    if len(names) != k:
        raise ValueError(f"got {len(names)} class names for {k} classes")
    ax = new_axes(ax, figsize=(4.6, 4.2))
    ax.imshow(C, cmap="Blues", vmin=0)
    threshold = C.max() / 2 if C.max() > 0 else 1
    for i in range(k):
        for j in range(k):
            if C[i, j] or i == j:
                ax.text(j, i, f"{C[i, j]:g}", ha="center", va="center", fontsize=8,
                        color="white" if C[i, j] > threshold else "black")
    ax.set_xticks(np.arange(k))
    ax.set_yticks(np.arange(k))
    ax.set_xticklabels(names)
    ax.set_yticklabels(names)
    return label(ax, title, "predicted class", "true class")


# --- Diagrams (nnlib.diagrams): a neuron, a perceptron, a network, the scale sketch ---------
from .diagrams import (neuron_diagram, network_diagram, perceptron_diagram,  # noqa: E402,F401
                       scale_sketch)

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

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

"""Layer-by-layer statistics of a network: how activations and gradients change with depth.

Used to show vanishing gradients (chapter 3) and what initializers do (chapter 7).

>>> import numpy as np, nnlib as nn
>>> model = nn.MLP([4] + [16] * 5 + [1], activation="sigmoid", seed=0)
>>> X, y = np.random.default_rng(0).normal(size=(64, 4)), np.zeros((64, 1))
>>> stats = nn.diagnostics.layer_stats(model, X, y, "mse")
>>> stats.grad_norm[0] < stats.grad_norm[-1]
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import losses


@dataclass
class LayerStats:
    """Per-layer numbers, each a list with one entry per layer (layer 1 first).

    act_mean, act_std : mean and standard deviation of the layer's activations ``A``.
    grad_norm : Frobenius norm :math:`\\lVert dW^{[l]} \\rVert` of the weight gradient.
    dead_fraction : fraction of units whose activation derivative is 0 for every sample
        (dead ReLUs; always 0 for activations with a positive derivative).
    """

    act_mean: list
    act_std: list
    grad_norm: list
    dead_fraction: list

    def table(self) -> str:
        """The numbers as a fixed-width text table (rounded, so reruns print the same)."""
        rows = [f"{'layer':>5} {'mean A':>10} {'std A':>10} {'|dW|':>10} {'dead':>6}"]
        for i, row in enumerate(zip(self.act_mean, self.act_std, self.grad_norm,
                                    self.dead_fraction), 1):
            rows.append(f"{i:>5} {row[0]:>10.3g} {row[1]:>10.3g} {row[2]:>10.3g} {row[3]:>6.0%}")
        return "\n".join(rows)


def layer_stats(model, X, y, loss="mse") -> LayerStats:
    """One forward and backward pass of ``model`` on ``(X, y)``; statistics of every layer."""
    loss = losses.get(loss)
    model.loss_and_grads(X, y, loss)
    mean, std, norm, dead = [], [], [], []
    for layer in model.layers:
        mean.append(float(layer.A.mean()))
        std.append(float(layer.A.std()))
        norm.append(float(np.linalg.norm(layer.dW)))
        slope = layer.activation._df(layer.Z)
        dead.append(float(np.mean(np.all(slope == 0, axis=0))))
    return LayerStats(mean, std, norm, dead)

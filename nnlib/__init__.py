"""nnlib: a small, readable numpy library for the Neural Network Basics course.

Rows are samples (``X`` is ``(m, n_features)``), everything is float64, and every random
choice takes a ``seed=`` or ``rng=``.

>>> import nnlib as nn
>>> model = nn.MLP([2, 6, 1], activation="tanh", output="sigmoid", seed=0)
"""

from . import (activations, checks, datasets, diagnostics, gradcheck, initializers, losses, metrics,
               optimizers, perceptron, plotting, schedules, surfaces, training, widgets)
from .layers import Dense
from .model import MLP
from .training import DivergenceWarning, History

__version__ = "0.1.0"

__all__ = [
    "activations", "checks", "datasets", "diagnostics", "perceptron", "gradcheck", "initializers", "losses", "metrics", "optimizers",
    "plotting", "schedules", "surfaces", "training", "widgets", "Dense", "MLP", "History", "DivergenceWarning",
]

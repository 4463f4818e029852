"""The training loop: epochs of (shuffled) mini-batches, validation, early stopping, dropout,
a learning-rate schedule, and a :class:`History` that records what happened, including
divergence.

One epoch is one pass over the ``m`` training samples in ``ceil(m / batch_size)`` iterations;
``batch_size=None`` is full-batch gradient descent and ``batch_size=1`` is stochastic gradient
descent.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import losses, optimizers
from ._validate import make_rng, positive_int, real
from .layers import dropout_mask


class DivergenceWarning(RuntimeWarning):
    """Training produced a NaN or infinite loss or parameter and was stopped."""


@dataclass
class History:
    """What :func:`fit` recorded.

    Attributes
    ----------
    loss : list of float
        Training loss per epoch: the mean of the mini-batch losses of that epoch, each taken
        before its update (without the L2 penalty; with dropout, of the thinned network).
    val_loss : list of float
        Validation loss at the end of each epoch (empty without validation data).
    batch_loss : list of float
        The loss of every iteration (mini-batch), in order.
    lr : list of float
        With a learning-rate schedule: the learning rate of each epoch (empty without one).
    iterations_per_epoch : int
        ``ceil(m / batch_size)``.
    diverged : bool
        True if a loss or parameter became NaN or infinite; training stopped there.
    stopped_early : bool
        True if early stopping ended training before ``num_epochs``.
    best_epoch : int or None
        With early stopping: the epoch (from 1) whose parameters were kept.
    message : str
        A sentence saying how training ended.
    """

    loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    iterations_per_epoch: int = 0
    diverged: bool = False
    stopped_early: bool = False
    best_epoch: int | None = None
    message: str = ""

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.loss)

    def __repr__(self):
        last = f", final loss {self.loss[-1]:.4g}" if self.loss else ""
        return f"History({self.epochs} epochs{last}: {self.message})"


def _batch_size(batch_size, m):
    if batch_size is None:
        return m
    return min(positive_int(batch_size, "batch_size"), m)


def _validation(model, validation_data, loss):
    if validation_data is None:
        return None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise TypeError(
            "validation_data must be a tuple (X_val, y_val), got "
            f"{type(validation_data).__name__}"
        )
    return model._check_Xy(*validation_data, loss)


def fit(model, X, y, loss="mse", optimizer="sgd", num_epochs: int = 100, batch_size=None,
        shuffle: bool = True, validation_data=None, seed=0, early_stopping=None,
        min_delta: float = 0.0, l2: float = 0.0, dropout=0.0, lr_schedule=None,
        verbose: bool = False) -> History:
    """Train ``model`` on ``(X, y)`` and return a :class:`History`.

    Parameters
    ----------
    model : MLP
    X : array, shape (m, n_features)
    y : array, shape (m, n_outputs), or labels as the loss accepts
    loss : str or Loss
    optimizer : str or Optimizer
        A name uses that optimizer's default learning rate; pass an instance to choose it.
    num_epochs : int
    batch_size : int or None
        None = full batch; 1 = stochastic; larger than ``m`` is treated as ``m``.
    shuffle : bool
        Draw a new random order of the samples every epoch (seeded by ``seed``).
    validation_data : tuple (X_val, y_val), optional
    seed : int
        Seed of the shuffling.
    early_stopping : int, optional
        Patience: stop after this many epochs without an improvement of more than
        ``min_delta`` in the validation loss (training loss without validation data), and
        restore the best parameters.
    l2 : float
        L2 penalty :math:`\\frac{\\lambda}{2}\\sum_l \\lVert W^{[l]} \\rVert^2` (weights only).
    dropout : float or list of float
        Inverted dropout: the probability of dropping each hidden unit in each iteration,
        shared or one per hidden layer, in ``[0, 1)`` (0 = off). Masks are drawn from their
        own generator seeded by ``seed`` (see :func:`nnlib.layers.dropout_mask`); the
        shuffling is the same with and without dropout. Only training is thinned:
        ``forward``, ``predict``, ``loss`` and the validation loss use the whole network.
    lr_schedule : callable, optional
        A function of the epoch (from 1) returning the factor by which the optimizer's
        learning rate is multiplied in that epoch, e.g. :func:`nnlib.schedules.step_decay`.
        ``history.lr`` records the rates used; the optimizer's ``lr`` is restored afterwards.
    verbose : bool
        Print the losses ten times during training.

    If the loss or a parameter becomes NaN or infinite, training stops, ``history.diverged``
    is True, a :class:`DivergenceWarning` says so (usually: lower the learning rate), and the
    parameters are put back to where they were at the end of the last finite epoch.
    """
    loss = losses.get(loss)
    X, y = model._check_Xy(X, y, loss)
    optimizer = optimizers.get(optimizer)
    num_epochs = positive_int(num_epochs, "num_epochs")
    m = X.shape[0]
    bs = _batch_size(batch_size, m)
    val = _validation(model, validation_data, loss)
    rng = make_rng(seed=seed)
    l2 = model._check_l2(l2)
    min_delta = real(min_delta, "min_delta")
    patience = None if early_stopping is None else positive_int(early_stopping, "early_stopping")
    rates = _dropout_rates(model, dropout)
    mask_rng = None if rates is None else np.random.default_rng([seed, 1])  # own stream
    if lr_schedule is not None and not callable(lr_schedule):
        raise TypeError(f"lr_schedule must be a function of the epoch, got {lr_schedule!r}")
    base_lr = optimizer.lr
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")

    history = History(iterations_per_epoch=math.ceil(m / bs))
    params = model.params
    # An MLP's parameters are views of one flat array (see nnlib.optimizers): saving and
    # checking that one array is cheaper than doing it array by array, every epoch.
    whole = optimizers._shared_buffer(params)
    saved = params if whole is None else [whole]
    best, best_params, waited = math.inf, None, 0
    report_every = max(1, num_epochs // 10)

    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for epoch in range(1, num_epochs + 1):
                last_good = [p.copy() for p in saved]
                if lr_schedule is not None:
                    optimizer.lr = _scheduled_lr(lr_schedule, epoch, base_lr)
                    history.lr.append(optimizer.lr)
                order = rng.permutation(m) if shuffle else None
                total = 0.0
                for start in range(0, m, bs):
                    if order is None:
                        Xb, yb = X[start:start + bs], y[start:start + bs]
                    else:
                        idx = order[start:start + bs]
                        Xb, yb = X[idx], y[idx]
                    masks = None if rates is None else [
                        dropout_mask((Xb.shape[0], n), rate, mask_rng)
                        for n, rate in zip(model.sizes[1:-1], rates)]
                    value = model._loss_and_grads(Xb, yb, loss, l2, masks)
                    history.batch_loss.append(value)
                    total += value * Xb.shape[0]
                    if not math.isfinite(value):
                        break
                    optimizer.step(params, model.grads)
                history.loss.append(total / m)
                if not math.isfinite(total) or not all(np.isfinite(p).all() for p in saved):
                    history.diverged = True
                    for p, good in zip(saved, last_good):
                        p[...] = good
                    history.message = (
                        f"training diverged in epoch {epoch} (loss became {total / m}); kept the "
                        f"parameters of epoch {epoch - 1}; try a smaller learning rate"
                    )
                    warnings.warn(history.message, DivergenceWarning, stacklevel=3)
                    break
                if val is not None:
                    history.val_loss.append(model._loss(*val, loss))
                if verbose and (epoch % report_every == 0 or epoch == 1):
                    shown = f"  val_loss {history.val_loss[-1]:.6f}" if val is not None else ""
                    print(f"epoch {epoch:>5}/{num_epochs}  loss {history.loss[-1]:.6f}{shown}")
                if patience is not None:
                    monitored = history.val_loss[-1] if val is not None else history.loss[-1]
                    if monitored < best - min_delta:
                        best, best_params, waited = monitored, model.get_params(), 0
                        history.best_epoch = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            history.stopped_early = True
                            break
    finally:
        optimizer.lr = base_lr  # the schedule changed it only for this run
    if best_params is not None and history.best_epoch != history.epochs:
        model.set_params(best_params)
    if not history.message:
        if history.stopped_early:
            history.message = (
                f"stopped early after epoch {history.epochs}: no improvement for {patience} "
                f"epochs; kept the parameters of epoch {history.best_epoch}"
            )
        else:
            history.message = f"trained {history.epochs} epochs"
    return history


def _dropout_rates(model, dropout):
    """One rate per hidden layer, or None when dropout is off (no random numbers drawn)."""
    n_hidden = len(model.sizes) - 2
    rates = dropout if isinstance(dropout, (list, tuple)) else [dropout] * n_hidden
    if len(rates) != n_hidden:
        raise ValueError(f"dropout must be one rate or one per hidden layer ({n_hidden}), "
                         f"got {len(rates)}")
    rates = [real(r, "dropout") for r in rates]
    for r in rates:
        if not 0.0 <= r < 1.0:
            raise ValueError(f"dropout must be in [0, 1) (the probability of dropping a "
                             f"unit), got dropout={r}")
    return rates if any(rates) else None


def _scheduled_lr(lr_schedule, epoch, base_lr):
    factor = lr_schedule(epoch)
    if isinstance(factor, bool) or not isinstance(factor, (int, float, np.floating, np.integer)) \
            or not math.isfinite(factor) or factor <= 0:
        raise ValueError(f"lr_schedule({epoch}) must return a positive number (the factor of "
                         f"the learning rate), got {factor!r}")
    return base_lr * float(factor)

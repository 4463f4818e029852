r"""Learning-rate schedules: the factor by which the learning rate is multiplied in each epoch.

A schedule is a pure function of the epoch :math:`e = 1, 2, \dots` (no state, no random
numbers): ``fit(..., optimizer=Adam(lr=0.01), lr_schedule=step_decay(0.1, every=300))``
trains epoch :math:`e` with the learning rate :math:`\eta_e = \eta \cdot f(e)`, where
:math:`\eta` is the optimizer's ``lr`` (as PyTorch's ``LambdaLR`` multiplies it).

==============  ==========================================================================
constant        :math:`f(e) = 1`
step_decay      :math:`f(e) = \gamma^{\lfloor (e - 1) / s \rfloor}`: times :math:`\gamma`
                every :math:`s` epochs
warmup_cosine   :math:`f(e) = e / w` for :math:`e \le w` (linear warm-up), then
                :math:`f_{\min} + \tfrac{1}{2}(1 - f_{\min})\big(1 + \cos(\pi\,
                \tfrac{e - w - 1}{E - w})\big)` down to :math:`f_{\min}` at epoch :math:`E`
==============  ==========================================================================

Step decay is the schedule of He et al. (2016); warm-up followed by a cosine decay follows
Goyal et al. (2017) and Loshchilov & Hutter (2017, SGDR without restarts).

>>> import nnlib as nn
>>> schedule = nn.schedules.step_decay(0.5, every=2)
>>> [schedule(e) for e in range(1, 7)]
[1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
"""

from __future__ import annotations

import math
import numbers

from ._validate import in_range, positive_int

__all__ = ["Schedule", "constant", "step_decay", "warmup_cosine"]


def _epoch(epoch) -> int:
    if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral):
        raise TypeError(f"epoch must be a whole number (epochs count from 1), got "
                        f"{type(epoch).__name__}: {epoch!r}")
    if epoch < 1:
        raise ValueError(f"epochs count from 1, got epoch={epoch}")
    return int(epoch)


class Schedule:
    """Base class: ``schedule(epoch)`` returns the learning-rate factor of that epoch."""

    def __call__(self, epoch) -> float:
        return self._factor(_epoch(epoch))

    def _factor(self, epoch: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def factors(self, num_epochs: int) -> list[float]:
        """``[f(1), ..., f(num_epochs)]``, e.g. to plot the schedule."""
        return [self._factor(e) for e in range(1, positive_int(num_epochs, "num_epochs") + 1)]

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"


class Constant(Schedule):
    """:math:`f(e) = 1`: the optimizer's learning rate throughout."""

    def _factor(self, epoch):
        return 1.0


class StepDecay(Schedule):
    r""":math:`f(e) = \gamma^{\lfloor (e-1)/s \rfloor}`: multiply by ``factor`` every ``every``
    epochs (epochs 1..s use the full rate)."""

    def __init__(self, factor: float = 0.1, every: int = 100):
        self.factor = in_range(factor, "factor", 0.0, 1.0)
        if self.factor == 0.0:
            raise ValueError("factor must be in (0, 1): a factor of 0 stops learning, got 0.0")
        self.every = positive_int(every, "every")

    def _factor(self, epoch):
        return self.factor ** ((epoch - 1) // self.every)


class WarmupCosine(Schedule):
    r"""Linear warm-up over ``warmup`` epochs (:math:`f = e/w`), then a half cosine from 1
    down to ``final`` at epoch ``num_epochs``; later epochs keep ``final``."""

    def __init__(self, num_epochs: int, warmup: int = 0, final: float = 0.0):
        self.num_epochs = positive_int(num_epochs, "num_epochs")
        if isinstance(warmup, bool) or not isinstance(warmup, numbers.Integral) or warmup < 0:
            raise ValueError(f"warmup must be a whole number of epochs >= 0, got {warmup!r}")
        if warmup >= self.num_epochs:
            raise ValueError(f"warmup ({warmup}) must be shorter than num_epochs "
                             f"({self.num_epochs})")
        self.warmup = int(warmup)
        self.final = in_range(final, "final", 0.0, 1.0, high_inclusive=True)

    def _factor(self, epoch):
        if epoch <= self.warmup:
            return epoch / self.warmup
        if epoch > self.num_epochs:
            return self.final
        progress = (epoch - self.warmup - 1) / (self.num_epochs - self.warmup)
        return self.final + 0.5 * (1.0 - self.final) * (1.0 + math.cos(math.pi * progress))


def constant() -> Schedule:
    """The constant schedule, :math:`f(e) = 1` (the same as no schedule)."""
    return Constant()


def step_decay(factor: float = 0.1, every: int = 100) -> Schedule:
    r"""Multiply the learning rate by ``factor`` (in (0, 1)) every ``every`` epochs.

    >>> step_decay(0.1, every=100)(101)
    0.1
    """
    return StepDecay(factor, every)


def warmup_cosine(num_epochs: int, warmup: int = 0, final: float = 0.0) -> Schedule:
    r"""Warm up linearly for ``warmup`` epochs, then decay along a half cosine to ``final``.

    >>> s = warmup_cosine(10, warmup=2)
    >>> [round(s(e), 3) for e in (1, 2, 3, 10)]
    [0.5, 1.0, 1.0, 0.038]
    """
    return WarmupCosine(num_epochs, warmup, final)

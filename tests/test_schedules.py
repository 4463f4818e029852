"""Learning-rate schedules (nnlib.schedules) and fit(lr_schedule=...)."""

import math

import numpy as np
import pytest

import nnlib as nn
from nnlib import schedules


# The schedules: pure functions of the epoch ---------------------------------------------------

def test_step_decay_multiplies_by_the_factor_every_few_epochs():
    s = schedules.step_decay(0.1, every=3)
    assert s.factors(10) == pytest.approx([1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001])
    assert schedules.step_decay(0.5, every=1).factors(4) == [1.0, 0.5, 0.25, 0.125]


def test_warmup_rises_linearly_then_the_cosine_falls_to_final():
    s = schedules.warmup_cosine(20, warmup=4, final=0.1)
    f = s.factors(20)
    assert f[:4] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert f[4] == pytest.approx(1.0)                        # the cosine starts at 1
    assert all(a > b for a, b in zip(f[4:], f[5:]))          # and falls every epoch
    # halfway through the cosine part the factor is halfway between 1 and final
    assert s(4 + 1 + 8) == pytest.approx(0.1 + 0.9 * 0.5)
    assert 0.1 < f[-1] < 0.1 + 0.9 * (1 - math.cos(math.pi / 16)) / 2 + 1e-12
    assert s(21) == s(100) == 0.1                            # after the end: final


def test_cosine_without_warmup_starts_at_one():
    s = schedules.warmup_cosine(5)
    assert s(1) == 1.0 and s(5) > 0 and s(6) == 0.0


def test_constant_is_one():
    assert schedules.constant().factors(3) == [1.0, 1.0, 1.0]


def test_schedules_are_pure_functions_of_the_epoch():
    for s in (schedules.step_decay(0.5, 2), schedules.warmup_cosine(10, 3, 0.2)):
        forward = [s(e) for e in range(1, 13)]
        backward = [s(e) for e in range(12, 0, -1)][::-1]
        assert forward == backward == [s(e) for e in range(1, 13)]


def test_repr_names_the_settings():
    assert repr(schedules.step_decay(0.5, every=7)) == "StepDecay(factor=0.5, every=7)"
    assert "warmup=2" in repr(schedules.warmup_cosine(10, warmup=2))


@pytest.mark.parametrize("make, exc, pattern", [
    (lambda: schedules.step_decay(0.0), ValueError, "factor must be in"),
    (lambda: schedules.step_decay(1.0), ValueError, r"factor must be in \[0.0, 1.0\)"),
    (lambda: schedules.step_decay(-0.5), ValueError, "factor"),
    (lambda: schedules.step_decay(0.5, every=0), ValueError, "every must be a positive integer"),
    (lambda: schedules.step_decay(0.5, every=2.5), TypeError, "every"),
    (lambda: schedules.warmup_cosine(0), ValueError, "num_epochs"),
    (lambda: schedules.warmup_cosine(10, warmup=10), ValueError, "shorter than num_epochs"),
    (lambda: schedules.warmup_cosine(10, warmup=-1), ValueError, "warmup must be"),
    (lambda: schedules.warmup_cosine(10, warmup=1.5), ValueError, "warmup must be"),
    (lambda: schedules.warmup_cosine(10, final=1.5), ValueError, "final"),
    (lambda: schedules.step_decay(0.5).factors(0), ValueError, "num_epochs"),
])
def test_bad_settings_are_rejected(make, exc, pattern):
    with pytest.raises(exc, match=pattern):
        make()


@pytest.mark.parametrize("epoch, exc, pattern", [
    (0, ValueError, "epochs count from 1, got epoch=0"),
    (-3, ValueError, "epochs count from 1"),
    (1.5, TypeError, "epoch must be a whole number"),
    (True, TypeError, "epoch must be a whole number"),
    ("2", TypeError, "epoch"),
])
def test_bad_epochs_are_rejected(epoch, exc, pattern):
    with pytest.raises(exc, match=pattern):
        schedules.step_decay(0.5, 2)(epoch)


# fit(lr_schedule=...) --------------------------------------------------------------------------

def _line(m=8):
    X = np.linspace(-1, 1, m).reshape(-1, 1)
    return X, 3 * X + 1


def test_fit_uses_the_scheduled_rate_in_each_epoch_and_restores_the_optimizer():
    """A linear model trained by full-batch SGD: every step is -lr_e * gradient."""
    X, y = _line()
    schedule = schedules.step_decay(0.5, every=2)
    model = nn.MLP([1, 1], output="identity", init="zeros", seed=0)
    ref = nn.MLP([1, 1], output="identity", init="zeros", seed=0)
    opt = nn.optimizers.SGD(lr=0.2)
    history = model.fit(X, y, optimizer=opt, num_epochs=6, lr_schedule=schedule)
    assert history.lr == pytest.approx([0.2, 0.2, 0.1, 0.1, 0.05, 0.05])
    assert opt.lr == 0.2
    for epoch in range(1, 7):
        ref.loss_and_grads(X, y, "mse")
        for p, g in zip(ref.params, ref.grads):
            p -= 0.2 * schedule(epoch) * g
    for p, q in zip(model.params, ref.params):
        np.testing.assert_allclose(p, q, rtol=1e-12)


def test_a_schedule_changes_training_and_history_lr_is_empty_without_one():
    X, y = _line()
    runs = {}
    for name, schedule in (("none", None), ("cosine", schedules.warmup_cosine(10, warmup=3))):
        model = nn.MLP([1, 4, 1], activation="tanh", seed=0)
        runs[name] = model.fit(X, y, optimizer=nn.optimizers.Adam(lr=0.05), num_epochs=10,
                               lr_schedule=schedule)
    assert runs["none"].lr == [] and len(runs["cosine"].lr) == 10
    assert runs["none"].loss[1:] != runs["cosine"].loss[1:]


def test_a_plain_function_is_a_schedule_too():
    X, y = _line()
    model = nn.MLP([1, 1], seed=0)
    h = model.fit(X, y, optimizer=nn.optimizers.SGD(lr=0.1), num_epochs=3,
                  lr_schedule=lambda epoch: 1 / epoch)
    assert h.lr == pytest.approx([0.1, 0.05, 0.1 / 3])


@pytest.mark.parametrize("schedule, exc, pattern", [
    (0.5, TypeError, "lr_schedule must be a function of the epoch"),
    (lambda e: -1.0, ValueError, r"lr_schedule\(1\) must return a positive number"),
    (lambda e: 0.0, ValueError, "positive number"),
    (lambda e: float("nan"), ValueError, "positive number"),
    (lambda e: "1", ValueError, "positive number"),
    (lambda e: None, ValueError, "positive number"),
    (schedules.warmup_cosine(2), ValueError, r"lr_schedule\(3\) must return.*got 0.0"),
])
def test_bad_schedules_are_rejected_and_the_rate_restored(schedule, exc, pattern):
    X, y = _line()
    opt = nn.optimizers.SGD(lr=0.1)
    with pytest.raises(exc, match=pattern):
        nn.MLP([1, 1], seed=0).fit(X, y, optimizer=opt, num_epochs=4, lr_schedule=schedule)
    assert opt.lr == 0.1


def test_decaying_the_rate_lets_noisy_mini_batch_sgd_settle():
    """With a constant rate, mini-batch SGD keeps jumping around the minimum; dividing the rate
    by 10 for the last epochs ends at a lower training loss (every seed)."""
    X, y = nn.datasets.regression_curve("sin", n=200, noise=0.3, seed=0)
    for seed in range(3):
        final = {}
        for name, schedule in (("constant", None), ("step", schedules.step_decay(0.1, 40))):
            model = nn.MLP([1, 16, 16, 1], activation="tanh", seed=seed)
            model.fit(X, y, optimizer=nn.optimizers.SGD(lr=0.2), num_epochs=60, batch_size=10,
                      lr_schedule=schedule, seed=seed)
            final[name] = model.loss(X, y)
        assert final["step"] < final["constant"], final

"""Checks of chapter 6: each passes the reference solution, rejects typical wrong answers with
a message that names the case and what is wrong (expected vs got) and gives a hint, reports a
stub as not solved yet, and survives a student function that raises. The expected answers
are checked against nnlib.optimizers."""

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, crashes, stub
from nnlib.checks import optimizers as checks


def test_the_checks_are_exported():
    for name in checks.__all__:
        assert getattr(nn.checks, name) is getattr(checks, name)


# --- adamw_step ---------------------------------------------------------------------------------

def adamw_reference(theta, m, G, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8,
                    weight_decay=0.01):
    m = beta1 * m + (1 - beta1) * grad
    G = beta2 * G + (1 - beta2) * grad ** 2
    m_hat, G_hat = m / (1 - beta1 ** t), G / (1 - beta2 ** t)
    return theta - lr * (m_hat / (np.sqrt(G_hat) + eps) + weight_decay * theta), m, G


def test_adamw_formula_gives_nnlibs_iterates():
    rng = np.random.default_rng(2)
    theta, m, G = rng.normal(size=4), np.zeros(4), np.zeros(4)
    p = theta.copy()
    opt = nn.optimizers.AdamW(lr=0.05, beta1=0.8, beta2=0.99, eps=1e-6, weight_decay=0.3)
    for t, g in enumerate(rng.normal(size=(10, 4)), start=1):
        theta, m, G = checks._adamw(theta, m, G, g, t, 0.05, 0.8, 0.99, 1e-6, 0.3)
        opt.step([p], [g.copy()])
        np.testing.assert_allclose(theta, p, rtol=0, atol=1e-13)


def test_adamw_passes_the_reference_and_pytorchs_order():
    assert checks.check_adamw_step(adamw_reference).passed

    def decay_first(theta, m, G, grad, t, lr, beta1, beta2, eps, weight_decay):
        theta = theta * (1 - lr * weight_decay)        # PyTorch: decay, then Adam's step
        theta, m, G = adamw_reference(theta, m, G, grad, t, lr, beta1, beta2, eps, 0.0)
        return theta, m, G

    assert checks.check_adamw_step(decay_first).passed


def _adamw_variant(**flags):
    def wrong(theta, m, G, grad, t, lr, beta1, beta2, eps, weight_decay):
        return checks._adamw(theta, m, G, grad, t, lr, beta1, beta2, eps, weight_decay, **flags)
    return wrong


@pytest.mark.parametrize("flags, phrase", [
    (dict(decay="l2"), "went through Adam's scaling"),
    (dict(decay="no_lr"), "lacks the learning rate"),
    (dict(decay="after"), "applied to the updated theta"),
    (dict(decay="uphill"), "away from zero"),
    (dict(correct_m=False, correct_G=False), "no bias correction"),
    (dict(correct_G=False), "only m was bias-corrected"),
    (dict(correct_m=False), "only G was bias-corrected"),
    (dict(t_shift=-1), "t - 1"),
    (dict(t_shift=1), "t + 1"),
    (dict(eps_inside=True), "inside the square root"),
    (dict(square=False), "instead of its square"),
    (dict(sqrt=False), "square root of G_hat is missing"),
])
def test_adamw_recognises_the_typical_slips(flags, phrase):
    assert_failed(checks.check_adamw_step(_adamw_variant(**flags)), phrase, "t = ",
                  "expected", "got")


def test_adamw_l2_slip_written_by_a_student_is_recognised():
    def adam_plus_l2(theta, m, G, grad, t, lr, beta1, beta2, eps, weight_decay):
        return adamw_reference(theta, m, G, grad + weight_decay * theta, t, lr, beta1, beta2,
                               eps, 0.0)

    assert_failed(checks.check_adamw_step(adam_plus_l2), "Adam + L2", "loss gradient alone")


def test_adamw_rejects_corrected_moments_stub_crash_and_wrong_returns():
    def returns_hats(theta, m, G, grad, t, lr, beta1, beta2, eps, weight_decay):
        theta, m, G = adamw_reference(theta, m, G, grad, t, lr, beta1, beta2, eps, weight_decay)
        return theta, m / (1 - beta1 ** t), G / (1 - beta2 ** t)

    assert_failed(checks.check_adamw_step(returns_hats), "raw averages")
    assert_not_solved(checks.check_adamw_step(stub))
    assert_failed(checks.check_adamw_step(crashes), "raised KeyError", "t = 5")
    assert_failed(checks.check_adamw_step(lambda *a: a[0]), "the 3 values (theta, m, G)")


# --- largest_stable_lr --------------------------------------------------------------------------

def stable_reference(momentum, curvature, nesterov=False, num_steps=400, rounds=30):
    surface = nn.surfaces.Quadratic((curvature, curvature))

    def converges(lr):
        opt = nn.optimizers.Momentum(lr, momentum, nesterov=nesterov)
        path = nn.surfaces.trajectory(opt, surface, (1.0, 1.0), num_steps)
        r = np.linalg.norm(path, axis=1)
        return len(path) == num_steps + 1 and r[-1] <= r[num_steps // 2]

    lo, hi = 0.0, 4.0 / curvature
    for _ in range(rounds):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if converges(mid) else (lo, mid)
    return lo


def test_the_limits_are_the_measured_ones():
    # the theory the check compares with, against a direct measurement
    for mu in (0.3, 0.8):
        assert stable_reference(mu, 5.0) == pytest.approx(checks.heavy_ball_limit(mu, 5.0), rel=1e-3)
        assert stable_reference(mu, 5.0, True) == pytest.approx(checks.nesterov_limit(mu, 5.0),
                                                                rel=1e-3)
    assert checks.nesterov_limit(0.9, 1.0) < 2.0 < checks.heavy_ball_limit(0.9, 1.0)


def test_stable_lr_passes_the_reference():
    feedback = checks.check_largest_stable_lr(stable_reference)
    assert feedback.passed, str(feedback)


def test_stable_lr_recognises_the_usual_mistakes():
    assert_failed(checks.check_largest_stable_lr(
        lambda mu, h, nesterov: stable_reference(mu, h, False)), "heavy-ball momentum's limit")
    assert_failed(checks.check_largest_stable_lr(
        lambda mu, h, nesterov: stable_reference(mu, h, not nesterov) if mu else 2 / h),
        "Nesterov's limit, not heavy-ball")
    assert_failed(checks.check_largest_stable_lr(
        lambda mu, h, nesterov: stable_reference(0.0, h)), "as if the momentum were 0")
    assert_failed(checks.check_largest_stable_lr(
        lambda mu, h, nesterov: stable_reference(mu, 1.0, nesterov)), "off by the factor h")
    assert_failed(checks.check_largest_stable_lr(
        lambda mu, h, nesterov: 1.1 * checks.heavy_ball_limit(mu, h)), "too high")
    assert_failed(checks.check_largest_stable_lr(
        lambda mu, h, nesterov: stable_reference(mu, h, nesterov, rounds=3)), "too low")


def test_stable_lr_rejects_bad_returns_stub_and_crash():
    assert_failed(checks.check_largest_stable_lr(lambda *a: None), "one finite number")
    assert_failed(checks.check_largest_stable_lr(lambda *a: [0.1, 0.2]), "one finite number")
    assert_failed(checks.check_largest_stable_lr(lambda *a: float("nan")), "one finite number")
    assert_not_solved(checks.check_largest_stable_lr(stub))
    assert_failed(checks.check_largest_stable_lr(crashes), "raised KeyError", "momentum 0.0")


# --- best_momentum ------------------------------------------------------------------------------

def best_reference(h_min, h_max):
    kappa = h_max / h_min
    lr = 4 / (np.sqrt(h_max) + np.sqrt(h_min)) ** 2
    momentum = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    return lr, momentum, np.sqrt(momentum)


def test_best_momentum_reaches_the_rate_it_claims():
    lr, mu, rate = best_reference(1.0, 20.0)
    path = nn.surfaces.trajectory(nn.optimizers.Momentum(lr, mu), nn.surfaces.get("ravine"),
                                  (-4.0, 1.0), 150)
    slope = np.polyfit(np.arange(20, 151), np.log(np.linalg.norm(path[20:], axis=1)), 1)[0]
    assert np.exp(slope) == pytest.approx(rate, rel=0.02)


def test_best_momentum_passes_the_reference():
    assert checks.check_best_momentum(best_reference).passed


@pytest.mark.parametrize("flags, phrase", [
    (dict(momentum_squared=False, rate="momentum"), "without the square"),
    (dict(momentum_squared=False), "missing its square"),
    (dict(rate="momentum"), "the rate is mu* itself"),
    (dict(rate="gd"), "plain gradient descent's (kappa - 1)"),
    (dict(lr_form="gd"), "2/(h_max + h_min)"),
    (dict(lr_form="no_roots"), "lacks the square roots"),
    (dict(lr_form="no_square"), "lacks the square of the denominator"),
])
def test_best_momentum_recognises_the_typical_slips(flags, phrase):
    wrong = lambda h_min, h_max: checks._best_momentum(h_min, h_max, **flags)  # noqa: E731
    assert_failed(checks.check_best_momentum(wrong), phrase, "ravine")


def test_best_momentum_stub_crash_and_returns():
    assert_not_solved(checks.check_best_momentum(stub))
    assert_failed(checks.check_best_momentum(crashes), "raised KeyError")
    assert_failed(checks.check_best_momentum(lambda a, b: (1.0, 2.0)), "the 3 values")
    assert_failed(checks.check_best_momentum(lambda a, b: (0.1, 0.5, 0.7)), "lr, momentum, rate wrong")

"""Checks of chapter 7: each passes the reference solution (and nnlib's initializers), rejects
typical wrong answers with a message that names the shape, the expected and the received
value, reports a stub as not solved yet, and survives a student function that raises."""

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, assert_survives_a_crash, stub
from nnlib.checks import initializers as checks


def xavier_uniform(shape, rng):
    n_in, n_out = shape
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-a, a, size=shape)


def he_normal(shape, rng):
    return rng.normal(0.0, np.sqrt(2 / shape[0]), size=shape)


def test_the_checks_are_exported_flat():
    assert nn.checks.check_xavier_uniform is checks.check_xavier_uniform
    assert nn.checks.check_he_normal is checks.check_he_normal
    assert set(checks.__all__) <= set(nn.checks.__all__)


# --- check_xavier_uniform ---------------------------------------------------------------------

def test_xavier_uniform_passes_the_reference_and_nnlib():
    assert checks.check_xavier_uniform(xavier_uniform).passed
    assert checks.check_xavier_uniform(nn.initializers.get("xavier_uniform")).passed
    # a uniform draw rescaled by hand is right too
    assert checks.check_xavier_uniform(
        lambda shape, rng: (2 * rng.random(shape) - 1) * np.sqrt(6 / sum(shape))).passed


def test_xavier_uniform_leaves_the_global_random_state_alone():
    state = np.random.get_state()
    checks.check_xavier_uniform(xavier_uniform)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1])


@pytest.mark.parametrize("limit, phrases", [
    (lambda n_in, n_out: np.sqrt(6 / n_in), ["n_in alone", "He's uniform limit"]),
    (lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)), ["standard deviation, as the limit",
                                                      "three times too small"]),
    (lambda n_in, n_out: 6 / (n_in + n_out), ["without the square root"]),
    (lambda n_in, n_out: np.sqrt(6 / n_out), ["n_out alone"]),
])
def test_xavier_uniform_diagnoses_wrong_limits(limit, phrases):
    def wrong(shape, rng):
        a = limit(*shape)
        return rng.uniform(-a, a, size=shape)

    feedback = checks.check_xavier_uniform(wrong)
    assert_failed(feedback, "shape=(400, 100)", "expected 0.004", *phrases)


def test_xavier_uniform_rejects_a_normal_distribution_with_the_right_variance():
    feedback = checks.check_xavier_uniform(nn.initializers.get("xavier_normal"))
    assert_failed(feedback, "outside [-r, r]", "not uniform")


def test_xavier_uniform_rejects_the_global_random_state_and_ignored_seeds():
    def global_state(shape, rng):
        a = np.sqrt(6 / sum(shape))
        return np.random.uniform(-a, a, size=shape)

    assert_failed(checks.check_xavier_uniform(global_state), "same seed", "do not come from rng")
    assert "np.random.uniform" in checks.check_xavier_uniform(global_state).hint

    def own_seed(shape, rng):
        return xavier_uniform(shape, np.random.default_rng(0))

    assert_failed(checks.check_xavier_uniform(own_seed), "same numbers for different seeds")
    assert_failed(checks.check_xavier_uniform(lambda shape, rng: np.full(shape, 0.1)),
                  "constant", "symmetry")


def test_xavier_uniform_rejects_wrong_shapes_types_and_offsets():
    feedback = checks.check_xavier_uniform(lambda shape, rng: xavier_uniform(shape, rng).T)
    assert_failed(feedback, "shape (6, 4)", "transposed shape (4, 6)")
    assert_failed(checks.check_xavier_uniform(lambda shape, rng: xavier_uniform(shape, rng)[0]),
                  "got shape (4,)")
    assert_failed(checks.check_xavier_uniform(lambda shape, rng: None), "returned None")
    assert_failed(checks.check_xavier_uniform(lambda shape, rng: "weights"), "returned str")
    assert_failed(checks.check_xavier_uniform(lambda shape, rng: xavier_uniform(shape, rng) + 0.1),
                  "mean of your weights", "expected 0")
    assert_failed(checks.check_xavier_uniform(
        lambda shape, rng: np.where(rng.random(shape) < 0.5, np.nan, 1.0)), "nan or inf")


def test_xavier_uniform_not_solved_and_crash():
    assert_not_solved(checks.check_xavier_uniform(stub))
    assert_survives_a_crash(checks.check_xavier_uniform)
    assert_failed(checks.check_xavier_uniform(42), "expected a function")


# --- check_he_normal --------------------------------------------------------------------------

def test_he_normal_passes_the_reference_and_nnlib():
    feedback = checks.check_he_normal(he_normal)
    assert feedback.passed and "30 ReLU layers" in feedback.message
    assert checks.check_he_normal(nn.initializers.get("he_normal")).passed
    assert checks.check_he_normal(
        lambda shape, rng: rng.standard_normal(shape) * np.sqrt(2 / shape[0])).passed


@pytest.mark.parametrize("std, phrases", [
    (lambda n_in, n_out: 2 / n_in, ["2/n_in, the variance, as the standard deviation"]),
    (lambda n_in, n_out: np.sqrt(1 / n_in), ["LeCun", "half of He's"]),
    (lambda n_in, n_out: np.sqrt(2 / n_out), ["uses n_out instead of n_in"]),
    (lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)), ["Xavier's"]),
])
def test_he_normal_diagnoses_wrong_scales(std, phrases):
    def wrong(shape, rng):
        return rng.normal(0.0, std(*shape), size=shape)

    assert_failed(checks.check_he_normal(wrong), "shape=(400, 100)", "expected 0.005", *phrases)


def test_he_normal_rejects_a_uniform_distribution_with_the_right_variance():
    assert_failed(checks.check_he_normal(nn.initializers.get("he_uniform")),
                  "beyond two standard deviations", "not normal")


def test_he_normal_reports_an_unknown_wrong_variance_with_a_factor():
    feedback = checks.check_he_normal(lambda shape, rng: 3 * he_normal(shape, rng))
    assert_failed(feedback, "9 times too large")


def test_he_normal_not_solved_crash_and_global_state():
    assert_not_solved(checks.check_he_normal(stub))
    assert_survives_a_crash(checks.check_he_normal)
    assert_failed(checks.check_he_normal(
        lambda shape, rng: np.random.randn(*shape) * np.sqrt(2 / shape[0])), "do not come from rng")


def test_he_normal_reports_a_network_that_loses_its_scale():
    def wrong_for_wide_layers(shape, rng):  # right on the tested shapes, Xavier's at 256 inputs
        n = shape[0]
        return rng.normal(0.0, np.sqrt((1 if n == 256 else 2) / n), size=shape)

    assert_failed(checks.check_he_normal(wrong_for_wide_layers), "30 ReLU layers",
                  "within a factor of 2")


def test_he_normal_survives_a_function_that_breaks_in_the_deep_network():
    def breaks_later(shape, rng):
        if shape[0] == 256:
            raise ValueError("no")
        return he_normal(shape, rng)

    assert_failed(checks.check_he_normal(breaks_later), "raised ValueError")


# --- check_leaky_he_uniform -------------------------------------------------------------------

def leaky_he_uniform(shape, rng, slope):
    r = np.sqrt(6 / ((1 + slope ** 2) * shape[0]))
    return rng.uniform(-r, r, size=shape)


def uniform_with_variance(variance):
    """A student's uniform initializer whose variance follows ``variance(n_in, n_out, slope)``."""
    def fn(shape, rng, slope):
        r = np.sqrt(3 * variance(*shape, slope))
        return rng.uniform(-r, r, size=shape)
    return fn


def test_leaky_he_uniform_is_exported_and_passes_the_reference():
    assert nn.checks.check_leaky_he_uniform is checks.check_leaky_he_uniform
    feedback = checks.check_leaky_he_uniform(leaky_he_uniform)
    assert feedback.passed, str(feedback)
    assert "30 leaky ReLU layers (256 units, slope 0.3)" in feedback.message
    # He's uniform rescaled for the slope is right too
    assert checks.check_leaky_he_uniform(
        lambda shape, rng, slope: nn.initializers.get("he_uniform")(shape, rng)
        / np.sqrt(1 + slope ** 2)).passed


@pytest.mark.parametrize("variance, phrases", [
    (lambda n_in, n_out, a: 2 / ((1 + a ** 2) * n_out), ["uses n_out instead of n_in"]),
    (lambda n_in, n_out, a: 2 / ((1 + a) * n_in), ["(1 + slope)", "squared"]),
    (lambda n_in, n_out, a: 2 / n_in, ["slope is ignored", "He's variance"]),
    (lambda n_in, n_out, a: 2 / ((1 + a ** 2) * n_in) / 3, ["standard deviation as the limit",
                                                          "r**2/3"]),
    (lambda n_in, n_out, a: (2 / ((1 + a ** 2) * n_in)) ** 2 / 3,
     ["variance itself as the limit"]),
    (lambda n_in, n_out, a: 2 * (1 + a ** 2) / n_in, ["multiplied by (1 + slope**2)"]),
    (lambda n_in, n_out, a: 1 / ((1 + a ** 2) * n_in), ["factor 2 is missing"]),
])
def test_leaky_he_uniform_diagnoses_the_usual_mistakes(variance, phrases):
    feedback = checks.check_leaky_he_uniform(uniform_with_variance(variance))
    assert_failed(feedback, "shape=(400, 100)", "slope=0.5", "expected 0.004", *phrases)


def test_leaky_he_uniform_catches_a_hard_coded_slope():
    feedback = checks.check_leaky_he_uniform(
        lambda shape, rng, slope: leaky_he_uniform(shape, rng, 0.5))
    assert_failed(feedback, "shape=(100, 400)", "slope=0.1", "times too small")


def test_leaky_he_uniform_rejects_a_normal_distribution_with_the_right_variance():
    def normal(shape, rng, slope):
        return rng.normal(0.0, np.sqrt(2 / ((1 + slope ** 2) * shape[0])), size=shape)

    assert_failed(checks.check_leaky_he_uniform(normal), "outside [-r, r]", "not uniform")


def test_leaky_he_uniform_reports_a_network_that_loses_its_scale():
    def wrong_for_wide_layers(shape, rng, slope):  # right on the tested shapes only
        return leaky_he_uniform(shape, rng, slope) * (0.8 if shape[0] == 256 else 1.0)

    assert_failed(checks.check_leaky_he_uniform(wrong_for_wide_layers), "30 leaky ReLU layers",
                  "within a factor of 2")


def test_leaky_he_uniform_reports_a_missing_slope_argument_and_other_slips():
    def no_slope(shape, rng):
        return leaky_he_uniform(shape, rng, 0.0)

    assert_failed(checks.check_leaky_he_uniform(no_slope), "raised TypeError", "slope=0.5")
    assert_not_solved(checks.check_leaky_he_uniform(stub))
    assert_survives_a_crash(checks.check_leaky_he_uniform)
    assert_failed(checks.check_leaky_he_uniform(
        lambda shape, rng, slope: leaky_he_uniform(shape, rng, slope).T), "transposed shape")
    assert_failed(checks.check_leaky_he_uniform(
        lambda shape, rng, slope: leaky_he_uniform(shape, np.random.default_rng(), slope)),
        "do not come from rng")

"""Checks of chapter 3: each passes the reference solution, rejects typical wrong answers with
a message that names the input, the expected and the received value, reports a stub as not
solved yet, and survives a student function that raises."""

import re
import warnings

import numpy as np
import pytest

import nnlib as nn
from checkhelpers import assert_failed, assert_not_solved, crashes, stub
from nnlib.checks import activation_functions as checks


# --- check_activation_derivatives -------------------------------------------------------------

def sigmoid_derivative(z):
    s = 1.0 / (1.0 + np.exp(-z))
    return s * (1.0 - s)


def tanh_derivative(z):
    return 1.0 - np.tanh(z) ** 2


def test_derivatives_pass_the_reference_and_nnlib():
    assert checks.check_activation_derivatives(sigmoid_derivative, tanh_derivative).passed
    sig, tanh = nn.activations.get("sigmoid"), nn.activations.get("tanh")
    assert checks.check_activation_derivatives(sig.derivative, tanh.derivative).passed
    # 1 / cosh^2 is right too (cosh overflows to inf for huge |z|, and 1 / inf = 0 is fine)
    assert checks.check_activation_derivatives(
        sigmoid_derivative, lambda z: 1.0 / np.cosh(z) ** 2).passed


def test_derivatives_pass_without_leaking_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert checks.check_activation_derivatives(sigmoid_derivative, tanh_derivative).passed


def test_derivatives_reject_sigma_itself_and_name_the_worst_z():
    feedback = checks.check_activation_derivatives(lambda z: 1 / (1 + np.exp(-z)), tanh_derivative)
    assert_failed(feedback, "sigmoid_derivative", "z = 6", "0.00246651", "0.997527",
                  "returned sigma(z) itself")
    assert "1 - sigma(z)" in feedback.hint


def test_derivatives_reject_the_tanh_rule_for_the_sigmoid():
    def wrong(z):
        s = 1 / (1 + np.exp(-z))
        return 1 - s ** 2

    assert_failed(checks.check_activation_derivatives(wrong, tanh_derivative), "tanh rule")


def test_derivatives_reject_a_nan_from_an_overflowing_formula():
    feedback = checks.check_activation_derivatives(
        lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, tanh_derivative)
    assert_failed(feedback, "z = -800", "returned nan")
    assert "inf / inf" in feedback.hint


@pytest.mark.parametrize("wrong, phrase", [
    (lambda z: 1 - np.tanh(z), "the tanh is squared"),
    (lambda z: np.tanh(z) ** 2 - 1, "negative of the slope"),
    (lambda z: 1 - z ** 2, "instead of to tanh(z)"),
    (lambda z: np.tanh(z) * (1 - np.tanh(z)), "sigmoid rule"),
])
def test_derivatives_diagnose_typical_tanh_mistakes(wrong, phrase):
    feedback = checks.check_activation_derivatives(sigmoid_derivative, wrong)
    assert_failed(feedback, "tanh_derivative", "returned", phrase)


def test_derivatives_reject_wrong_shapes_and_none():
    assert_failed(checks.check_activation_derivatives(
        lambda z: sigmoid_derivative(np.ravel(z)), tanh_derivative), "shape (3, 4)", "got shape (12,)")
    assert_failed(checks.check_activation_derivatives(lambda z: None, tanh_derivative),
                  "returned None")
    assert_failed(checks.check_activation_derivatives(sigmoid_derivative, lambda z: "slope"),
                  "returned str")


def test_derivatives_report_stubs_and_survive_crashes():
    assert_not_solved(checks.check_activation_derivatives(stub, tanh_derivative))
    assert_not_solved(checks.check_activation_derivatives(sigmoid_derivative, stub))
    assert_failed(checks.check_activation_derivatives(crashes, tanh_derivative), "raised KeyError")
    assert_failed(checks.check_activation_derivatives(sigmoid_derivative, 3), "expected a function")


# --- check_softmax ------------------------------------------------------------------------------

def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_softmax_passes_the_reference_and_nnlib():
    assert checks.check_softmax(softmax).passed
    assert checks.check_softmax(nn.activations.get("softmax").forward).passed


def test_softmax_rejects_the_unshifted_formula_with_the_overflow_hint():
    feedback = checks.check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))
    assert_failed(feedback, "scores near +1000", "(1000, 999, 998)", "0.6652", "nan")
    assert "overflows" in feedback.hint


def test_softmax_rejects_the_global_maximum():
    def global_max(Z):
        E = np.exp(Z - Z.max())
        return E / E.sum(axis=1, keepdims=True)

    feedback = checks.check_softmax(global_max)
    assert_failed(feedback, "rows far apart", "row 1 = (-1000, -1000.5, -999)", "nan")
    assert "OWN maximum" in feedback.hint


def test_softmax_rejects_columns_instead_of_rows():
    def by_column(Z):
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)

    assert_failed(checks.check_softmax(by_column), "normalized each column", "expected (")


def test_softmax_rejects_the_lecture_notes_denominator():
    def others(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / (E.sum(axis=1, keepdims=True) - E)

    feedback = checks.check_softmax(others)
    assert_failed(feedback, "j != i")
    assert "ALL j" in feedback.hint


def test_softmax_explains_a_missing_keepdims():
    def no_keepdims(Z):
        E = np.exp(Z - Z.max(axis=1))
        return E / E.sum(axis=1)

    feedback = checks.check_softmax(no_keepdims)
    assert_failed(feedback, "raised ValueError")
    assert "keepdims=True" in feedback.hint


def test_softmax_rejects_a_warning_even_with_right_values():
    def noisy(Z):
        np.exp(np.array([1000.0]))  # an overflow on the side
        return softmax(Z)

    assert_failed(checks.check_softmax(noisy), "numpy warned", "overflow")


def test_softmax_rejects_a_shift_dependent_answer():
    calls = []

    def forgetful(Z):  # right on every listed case, but not shift invariant
        calls.append(1)
        out = softmax(Z)
        return out if Z.max() < 500 and Z.min() > -500 or len(calls) <= 6 else out[:, ::-1]

    assert_failed(checks.check_softmax(forgetful), "softmax(Z + -1000) differs")


def test_softmax_rejects_wrong_shapes():
    assert_failed(checks.check_softmax(lambda Z: softmax(Z).ravel()), "shape (4, 3)",
                  "got shape (12,)")
    assert_failed(checks.check_softmax(lambda Z: np.exp(Z)), "expected (")


def test_softmax_reports_stubs_and_survives_crashes():
    assert_not_solved(checks.check_softmax(stub))
    assert_failed(checks.check_softmax(crashes), "raised KeyError")


# --- check_swish --------------------------------------------------------------------------------

sig = nn.activations.get("sigmoid").forward


def swish(z, beta=1.0):
    return z * sig(beta * z)


def swish_derivative(z, beta=1.0):
    s = sig(beta * z)
    return s + z * beta * s * (1 - s)


def test_swish_passes_the_reference_nnlib_and_a_naive_sigmoid():
    assert checks.check_swish(swish, swish_derivative).passed
    assert checks.check_swish(
        lambda z, beta=1.0: nn.activations.get("silu", beta=beta).forward(z),
        lambda z, beta=1.0: nn.activations.get("swish", beta=beta).derivative(z)).passed

    def naive_sigma(u):  # overflows (with a warning) for u = -800, but the values are right
        return 1 / (1 + np.exp(-u))

    assert checks.check_swish(
        lambda z, beta=1.0: z * naive_sigma(beta * z),
        lambda z, beta=1.0: naive_sigma(beta * z) * (1 + beta * z * (1 - naive_sigma(beta * z)))
    ).passed


def test_swish_passes_without_leaking_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert checks.check_swish(lambda z, beta=1.0: z / (1 + np.exp(-beta * z)),
                                  swish_derivative).passed


@pytest.mark.parametrize("wrong, case, phrase, hint", [
    (lambda z, beta=1.0: sig(beta * z), "default beta", "product rule has two terms",
     "is a product"),
    (lambda z, beta=1.0: beta * z * sig(beta * z) * (1 - sig(beta * z)), "default beta",
     "only the second term", "first term"),
    (lambda z, beta=1.0: sig(beta * z) + z * sig(beta * z) * (1 - sig(beta * z)), "beta = 2",
     "forgot the chain factor beta", "has derivative beta"),
    (lambda z, beta=1.0: sig(z) + z * sig(z) * (1 - sig(z)), "beta = 2", "ignored beta",
     "beta * z inside"),
    (lambda z, beta=1.0: sig(beta * z) + beta * sig(beta * z) * (1 - sig(beta * z)),
     "default beta", "dropped the factor z", "product rule"),
    (lambda z, beta=1.0: sig(beta * z) + beta * z * sig(beta * z), "default beta",
     "lost its factor (1 - sigma)", "sigma(u) * (1 - sigma(u))"),
])
def test_swish_derivative_diagnoses_the_usual_slips(wrong, case, phrase, hint):
    feedback = checks.check_swish(swish, wrong)
    assert_failed(feedback, "swish_derivative at", case, "difference quotient", phrase)
    assert hint in feedback.hint


def test_swish_derivative_names_the_worst_input():
    feedback = checks.check_swish(swish, lambda z, beta=1.0: sig(beta * z))
    # the forgotten term z * sigma'(z) is largest at z = +-1.5 on the grid (0.224 at both)
    assert_failed(feedback, "difference quotient gives")
    assert re.search(r"at z = (1\.5 expected 1\.04129 .*got 0\.817574|-1\.5 expected -0\.0417)",
                     str(feedback)), str(feedback)


@pytest.mark.parametrize("wrong, phrase", [
    (lambda z, beta=1.0: z * sig(z), "ignored beta"),
    (lambda z, beta=1.0: sig(beta * z), "without the factor z"),
    (lambda z, beta=1.0: beta * z * sig(beta * z), "multiplies the whole function"),
    (lambda z, beta=1.0: z * sig(-beta * z), "wrong sign"),
])
def test_swish_diagnoses_wrong_functions(wrong, phrase):
    assert_failed(checks.check_swish(wrong, swish_derivative), "swish at", phrase)


def test_swish_derivative_rejects_a_nan_from_an_overflowing_formula():
    def overflowing(z, beta=1.0):
        e = np.exp(-beta * z)
        return 1 / (1 + e) + beta * z * e / (1 + e) ** 2

    feedback = checks.check_swish(swish, overflowing)
    assert_failed(feedback, "large |z|", "z = -800", "got nan")
    assert "inf / inf" in feedback.hint


def test_swish_requires_a_default_beta_and_the_right_shape():
    feedback = checks.check_swish(lambda z, beta: swish(z, beta), swish_derivative)
    assert_failed(feedback, "swish(z) without beta raised")
    assert "beta=1.0" in feedback.hint
    assert_failed(checks.check_swish(swish, lambda z, beta=1.0: swish_derivative(z, beta).ravel()),
                  "shape (3, 4)", "got shape (12,)")
    assert_failed(checks.check_swish(swish, lambda z, beta=1.0: None), "returned None")


def test_swish_reports_stubs_and_survives_crashes():
    assert_not_solved(checks.check_swish(stub, swish_derivative))
    assert_not_solved(checks.check_swish(swish, stub))
    assert_failed(checks.check_swish(swish, crashes), "raised KeyError")
    assert_failed(checks.check_swish(swish, "slope"), "expected a function")
    assert nn.checks.check_swish is checks.check_swish

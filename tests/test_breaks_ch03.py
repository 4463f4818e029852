"""Breaks of nnlib that chapter 3's claims must catch (see tests/breaks.py).

Each test copies nnlib, makes one careless edit and executes the chapter: it must stop in the
hidden claim that the edit falsifies, not run to the end and not fail somewhere else first.
"""

from breaks import assert_claim_fails

NB = "03_activations.ipynb"


def test_claims_catch_a_wrong_sigmoid_derivative(tmp_path):
    # sigma (1 + sigma) instead of sigma (1 - sigma): the numerical derivative check disagrees
    assert_claim_fails(NB, "activations.py", "        return s * (1.0 - s)\n",
                       "        return s * (1.0 + s)\n",
                       claim="derivatives that disagree with the difference quotient",
                       tmp_path=tmp_path)


def test_claims_catch_a_sigmoid_backward_that_forgets_a_factor(tmp_path):
    # the layers' backward pass multiplies by A instead of A (1 - A): gradients shrink by 2 per
    # layer instead of 4, so the "more than 1,000 times" and "1 / sigma' per layer" claims fail
    # (the derivative check, which uses `derivative`, still passes)
    assert_claim_fails(NB, "activations.py", "return dA * A * (1.0 - A)", "return dA * A",
                       claim='min(ratios["sigmoid"]) > 1000', tmp_path=tmp_path)


def test_claims_catch_a_softmax_without_the_max_shift(tmp_path):
    # exp(z) of scores near 1000 overflows: softmax(z + 1000) is nan, not softmax(z)
    assert_claim_fails(NB, "activations.py",
                       "shifted = Z - Z.max(axis=-1, keepdims=True)", "shifted = Z",
                       claim="softmax(z + {c}) differs", tmp_path=tmp_path)


def test_claims_catch_a_leaky_relu_whose_slope_is_zero(tmp_path):
    # every leaky ReLU becomes a plain ReLU: its silent units get no gradient and stay dead
    assert_claim_fails(NB, "activations.py",
                       'self.slope = in_range(slope, "slope", 0.0, 1.0, high_inclusive=True)',
                       'self.slope = 0.0 * in_range(slope, "slope", 0.0, 1.0, high_inclusive=True)',
                       claim='r["grad"] > 0.0 for r in leaky_runs', tmp_path=tmp_path)

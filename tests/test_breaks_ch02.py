"""Break nnlib the ways a careless edit could, and check that chapter 2's claims notice.

Each test copies nnlib, replaces one piece of its source and executes the chapter against the
copy; the first cell that fails must be the hidden claim that the break contradicts.
"""

from breaks import assert_claim_fails

CHAPTER = "02_xor_representations.ipynb"


def test_claims_catch_a_sign_error_in_the_fused_cross_entropy_gradient(tmp_path):
    # dZ = (y - y_hat)/m: gradient descent climbs the loss instead of descending it, so logistic
    # regression on XOR leaves the constant 1/2 instead of settling there.
    assert_claim_fails(CHAPTER, "losses.py",
                       "return float(value), (_sigmoid(Z) - y) / m",
                       "return float(value), (y - _sigmoid(Z)) / m",
                       claim="the best logistic regression is the constant 1/2 with loss ln 2",
                       tmp_path=tmp_path)


def test_claims_catch_a_dropped_bias_gradient(tmp_path):
    # db = 0: biases never move. A probe without a bias cannot cut off the corner (1, 1) of the
    # Boolean representation, so "100% on the step units" fails.
    assert_claim_fails(CHAPTER, "layers.py",
                       "self.db = dZ.sum(axis=0)",
                       "self.db = 0.0 * dZ.sum(axis=0)",
                       claim="the probe separates the step and sigmoid representations",
                       tmp_path=tmp_path)


def test_claims_catch_a_wrong_sigmoid_derivative(tmp_path):
    # sigma' = sigma instead of sigma (1 - sigma): the backward pass through the sigmoid hidden
    # layer is wrong, and the trained 2-2-1 network no longer shows what the text says.
    assert_claim_fails(CHAPTER, "activations.py",
                       "        return dA * A * (1.0 - A)\n",
                       "        return dA * A\n",
                       claim="seed 0 solves XOR and its hidden layer is linearly separable",
                       tmp_path=tmp_path)


def test_claims_catch_a_mean_taken_twice_in_the_weight_gradient(tmp_path):
    # dW = X^T dZ / m although dZ already holds the 1/m: Adam hides the scale, but the gradient
    # of logistic regression at w = 0 on the six regions is no longer (mu0 - mu1)/4.
    assert_claim_fails(CHAPTER, "layers.py",
                       "self.dW = self.X.T @ dZ",
                       "self.dW = self.X.T @ dZ / len(dZ)",
                       claim="the gradient of logistic regression's loss is (mu0 - mu1)/4",
                       tmp_path=tmp_path)

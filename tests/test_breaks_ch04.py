"""Chapter 4's claims must fail when nnlib's backward pass or its gradient check breaks.

Each test breaks one piece of nnlib the way a careless edit could, executes the chapter
against the broken copy and expects the first failing cell to be the hidden claim named.
"""

from breaks import assert_claim_fails

NOTEBOOK = "04_backprop.ipynb"


def test_claims_catch_a_fused_bce_gradient_without_its_1_over_m(tmp_path):
    # dZ = sigma(Z) - y instead of (sigma(Z) - y) / m: every gradient m times too large.
    assert_claim_fails(NOTEBOOK, "losses.py",
                       "return float(value), (_sigmoid(Z) - y) / m",
                       "return float(value), (_sigmoid(Z) - y)",
                       claim="nudging and backpropagation agree on one weight",
                       tmp_path=tmp_path)


def test_claims_catch_a_fused_softmax_gradient_without_its_1_over_m(tmp_path):
    assert_claim_fails(NOTEBOOK, "losses.py",
                       "(E / total - y) / m  # E / total = softmax(Z)",
                       "(E / total - y)  # E / total = softmax(Z)",
                       claim="dz = a - y (with the 1/m of the mean) for sigmoid + BCE and softmax + CE",
                       tmp_path=tmp_path)


def test_claims_catch_a_missing_transpose_in_dW(tmp_path):
    # dZ^T X instead of X^T dZ: the right numbers, transposed. Its entry [0, 0] is even the
    # same, so the one nudged weight agrees and the shapes must catch it.
    assert_claim_fails(NOTEBOOK, "layers.py",
                       "self.dW = self.X.T @ dZ",
                       "self.dW = dZ.T @ self.X",
                       claim="every parameter gets a gradient of its shape",
                       tmp_path=tmp_path)


def test_claims_catch_a_one_sided_numerical_gradient(tmp_path):
    # (f(x + eps) - f(x)) / eps: exact for the linear graphs of the first sections, off by
    # about eps * f'' / 2 for the sigmoid neuron.
    assert_claim_fails(NOTEBOOK, "gradcheck.py",
                       "            flat[i] = old - eps\n"
                       "            f_minus = _scalar(f(x))\n"
                       "        finally:  # restore x even when f fails (x may be a model's parameters)\n"
                       "            flat[i] = old\n"
                       "        out[i] = (f_plus - f_minus) / (2.0 * eps)",
                       "            flat[i] = old\n"
                       "            f_minus = _scalar(f(x))\n"
                       "        finally:  # restore x even when f fails (x may be a model's parameters)\n"
                       "            flat[i] = old\n"
                       "        out[i] = (f_plus - f_minus) / eps",
                       claim="two-sided differences\n# agree",
                       tmp_path=tmp_path)

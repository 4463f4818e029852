"""Chapter 6's claims must notice a broken nnlib: each break below is a plausible slip in
``nnlib.optimizers`` or ``nnlib.surfaces``, and executing the chapter must stop in the hidden
claim named by ``claim``. (The previous session made the first two breaks by hand.)"""

from breaks import assert_claim_fails

NOTEBOOK = "06_optimizers.ipynb"


def test_claims_catch_adam_without_bias_correction(tmp_path):
    assert_claim_fails(NOTEBOOK, "optimizers.py",
                       "        m_hat = m / (1.0 - self.beta1 ** self.t)\n"
                       "        v_hat = v / (1.0 - self.beta2 ** self.t)\n",
                       "        m_hat = m\n        v_hat = v\n",
                       claim="nnlib's Adam steps by lr from the first step on", tmp_path=tmp_path)


def test_claims_catch_a_nesterov_step_without_the_gradient_term(tmp_path):
    assert_claim_fails(NOTEBOOK, "optimizers.py",
                       "p -= self.lr * (g + self.momentum * v if self.nesterov else v)",
                       "p -= self.lr * (self.momentum * v if self.nesterov else v)",
                       claim="the look-ahead Nesterov of the notes and nnlib's reformulation",
                       tmp_path=tmp_path)


def test_claims_catch_adamw_decaying_through_adams_scaling(tmp_path):
    assert_claim_fails(NOTEBOOK, "optimizers.py",
                       "        p *= 1.0 - self.lr * self.weight_decay  # decoupled: not divided "
                       "by sqrt(v_hat)\n        super()._update(p, g, state)",
                       "        super()._update(p, g + self.weight_decay * p, state)",
                       claim="Claim (Loshchilov and Hutter)", tmp_path=tmp_path)


def test_claims_catch_a_rotated_ravine_that_is_not_rotated(tmp_path):
    assert_claim_fails(NOTEBOOK, "surfaces.py",
                       "self.hessian = self.rotation @ np.diag(self.curvatures) @ self.rotation.T",
                       "self.hessian = np.diag(self.curvatures)",
                       claim="Rotated by 45 degrees", tmp_path=tmp_path)


def test_claims_catch_a_saddle_gradient_of_the_wrong_size(tmp_path):
    assert_claim_fails(NOTEBOOK, "surfaces.py", "        return x, -y\n",
                       "        return x, -0.5 * y\n",
                       claim="after exactly ceil(ln(1/delta)/ln(1 + lr)) steps", tmp_path=tmp_path)

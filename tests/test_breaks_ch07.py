"""Chapter 7's claims notice when nnlib's initializers break (see tests/breaks.py).

Each test breaks one line of ``nnlib/initializers.py`` and expects the chapter to stop in the
hidden claim that the break contradicts.
"""

from breaks import assert_claim_fails

CHAPTER = "07_initializers.ipynb"


def test_claims_catch_he_with_lecuns_variance(tmp_path):
    # 1/n_in instead of 2/n_in: every ReLU layer halves the variance, so 30 layers lose
    # their scale (the break the previous session made by hand).
    assert_claim_fails(CHAPTER, "initializers.py",
                       "rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)",
                       "rng.normal(0.0, np.sqrt(1.0 / fan_in), size=shape)",
                       claim="with He + ReLU the activation std at layer 30", tmp_path=tmp_path)


def test_claims_catch_xavier_with_half_its_variance(tmp_path):
    # 1/(n_in + n_out) instead of 2/(n_in + n_out): tanh layers lose a factor sqrt(2) each.
    assert_claim_fails(CHAPTER, "initializers.py",
                       "self.gain * np.sqrt(2.0 / (fan_in + fan_out))",
                       "self.gain * np.sqrt(1.0 / (fan_in + fan_out))",
                       claim="tanh + Xavier keeps the activation std", tmp_path=tmp_path)


def test_claims_catch_a_gain_that_is_ignored(tmp_path):
    # Xavier's gain dropped: "gain 4" is plain Xavier, and the sigmoid network neither keeps
    # more of its gradient nor learns.
    assert_claim_fails(CHAPTER, "initializers.py",
                       "rng.normal(0.0, self.gain * np.sqrt(2.0 / (fan_in + fan_out)), size=shape)",
                       "rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape)",
                       claim="a gain of 4 shrinks them far less", tmp_path=tmp_path)


def test_claims_catch_a_uniform_initializer_that_is_not_centred(tmp_path):
    # U(0, r) instead of U(-r, r): the "standard initialization" of Glorot & Bengio is then
    # all positive, and its back-propagated gradients no longer shrink layer by layer.
    assert_claim_fails(CHAPTER, "initializers.py",
                       "return rng.uniform(-self.limit, self.limit, size=shape)",
                       "return rng.uniform(0.0, self.limit, size=shape)",
                       claim="Claims (Glorot & Bengio 2010", tmp_path=tmp_path)

"""Break nnlib the ways a careless edit could, and check that chapter 5's claims notice.

Each test copies nnlib, replaces one piece of its source and executes the chapter against the
copy; the first cell that fails must be the hidden claim that the break contradicts.
"""

from breaks import assert_claim_fails

CHAPTER = "05_gradient_descent.ipynb"


def test_claims_catch_a_wrong_sgd_step(tmp_path):
    # Half the step: the ratio of successive distances to the minimum is no longer 1 - 2 lr.
    assert_claim_fails(CHAPTER, "optimizers.py",
                       "    def _update(self, p, g, state):\n        p -= self.lr * g\n",
                       "    def _update(self, p, g, state):\n        p -= 0.5 * self.lr * g\n",
                       claim="every step of nnlib's SGD multiplies the distance",
                       tmp_path=tmp_path)


def test_claims_catch_the_half_convention_in_nnlibs_mse(tmp_path):
    # The gradient of (1/2m) sum (y_hat - y)^2 paired with nnlib's (1/m) loss.
    assert_claim_fails(CHAPTER, "losses.py",
                       "return 2.0 * (y_hat - y) / y.shape[0]",
                       "return (y_hat - y) / y.shape[0]",
                       claim="nnlib's MSE gradient is the 2/m formula",
                       tmp_path=tmp_path)


def test_claims_catch_a_training_loop_that_drops_the_last_batch(tmp_path):
    # Floor division: m // batch_size iterations, the last smaller batch never used.
    assert_claim_fails(CHAPTER, "training.py",
                       "for start in range(0, m, bs):",
                       "for start in range(0, m - m % bs, bs):",
                       claim="iterations per epoch = ceil(m / batch_size)",
                       tmp_path=tmp_path)


def test_claims_catch_a_training_loop_that_never_shuffles(tmp_path):
    # shuffle=True silently ignored: batches keep the stored order. The first claim to notice is
    # the comparison of the variants: single-sample SGD in one fixed order circles a point off the
    # minimum and never comes within 1.2x of it (the sorted-moons claim further on fails as well).
    assert_claim_fails(CHAPTER, "training.py",
                       "order = rng.permutation(m) if shuffle else None",
                       "order = None",
                       claim="yet both come within 1.2x the minimum in fewer epochs",
                       tmp_path=tmp_path)

"""Chapter 1's claims notice when nnlib's perceptron breaks (see tests/breaks.py).

Each test breaks one line of ``nnlib/perceptron.py`` and expects the chapter to stop in the
hidden claim that the break contradicts.
"""

from breaks import assert_claim_fails

CHAPTER = "01_perceptron.ipynb"
CONVERGES = "with no more mistakes than Novikoff's bound"   # the learning rule's claim
NO_CYCLE = "no fixed cycle"                                  # shuffled XOR keeps changing


def test_claims_catch_a_perceptron_that_fires_at_zero(tmp_path):
    # The learned lines pass through a corner labelled 0; firing there costs them 100%.
    assert_claim_fails(CHAPTER, "perceptron.py",
                       "return (X @ w + b > 0).astype(int).reshape(-1, 1)",
                       "return (X @ w + b >= 0).astype(int).reshape(-1, 1)",
                       claim=CONVERGES, tmp_path=tmp_path)


def test_claims_catch_an_update_with_the_wrong_sign(tmp_path):
    assert_claim_fails(CHAPTER, "perceptron.py",
                       "w += lr * error * X[i]", "w -= lr * error * X[i]",
                       claim=CONVERGES, tmp_path=tmp_path)


def test_claims_catch_a_bias_that_never_learns(tmp_path):
    # Without a bias update b stays 0: AND and NAND cannot be learned.
    assert_claim_fails(CHAPTER, "perceptron.py",
                       "b += lr * error", "b += 0.0 * error",
                       claim=CONVERGES, tmp_path=tmp_path)


def test_claims_catch_shuffling_that_does_not_shuffle(tmp_path):
    # "Shuffled" XOR runs then repeat the fixed order's cycle: accuracy 50% in every epoch.
    assert_claim_fails(CHAPTER, "perceptron.py",
                       "order = rng.permutation(len(y)) if shuffle else range(len(y))",
                       "order = range(len(y))",
                       claim=NO_CYCLE, tmp_path=tmp_path)

"""Break nnlib the way a careless edit could, and check that chapter 8's claims notice.

Each break runs the chapter up to the first hidden claim that fails (see tests/breaks.py).
"""

from breaks import assert_claim_fails

CHAPTER = "08_regression_overfitting.ipynb"


def test_claims_catch_weight_decay_that_does_nothing(tmp_path):
    """fit(l2=...) that no longer adds l2 * W to the gradient: the weights of the weight-decay
    runs are no smaller than those of plain training."""
    assert_claim_fails(CHAPTER, "model.py",
                       "layer.dW = layer.dW + l2 * layer.W", "layer.dW = layer.dW",
                       claim="weight decay keeps the weights smaller", tmp_path=tmp_path)


def test_claims_catch_a_schedule_that_is_ignored(tmp_path):
    """fit(lr_schedule=...) that records the scheduled rates but trains at the base rate."""
    assert_claim_fails(CHAPTER, "training.py",
                       "optimizer.lr = _scheduled_lr(lr_schedule, epoch, base_lr)",
                       "_scheduled_lr(lr_schedule, epoch, base_lr); optimizer.lr = base_lr",
                       claim="step decay (x0.1 after epoch 30) ends at a lower test MSE",
                       tmp_path=tmp_path)


def test_claims_catch_dropout_that_does_not_rescale(tmp_path):
    """Dropout masks of zeros and ones instead of zeros and 1/(1-p): in training the kept
    activations are too small on average, so the network predicts with the wrong scale."""
    assert_claim_fails(CHAPTER, "layers.py",
                       "return (rng.random(shape) < keep) / keep",
                       "return (rng.random(shape) < keep) * 1.0",
                       claim="dropout p = 0.5 ends with a higher", tmp_path=tmp_path)

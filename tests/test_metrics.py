"""accuracy, confusion_matrix and to_labels."""

import numpy as np
import pytest

import nnlib as nn
from nnlib import metrics

pytestmark = pytest.mark.filterwarnings("error")


def test_accuracy_with_labels():
    assert metrics.accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == 0.75
    assert metrics.accuracy(np.array([1, 1]), np.array([0, 0])) == 0.0
    assert metrics.accuracy([3], [3]) == 1.0
    assert isinstance(metrics.accuracy([0, 1], [0, 1]), float)


def test_accuracy_with_one_hot_and_probabilities():
    y_true = nn.datasets.one_hot([0, 2, 1, 1])
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3], [0.5, 0.1, 0.4]])
    assert metrics.accuracy(y_true, probs) == 0.75
    assert metrics.accuracy([0, 2, 1, 1], probs) == 0.75
    assert metrics.accuracy(probs, [0, 2, 1, 0]) == 1.0


def test_accuracy_with_one_probability_column():
    # The docstring example: a sigmoid output column is thresholded at 0.5.
    assert metrics.accuracy([0, 1, 1, 0], [[0.2], [0.9], [0.4], [0.1]]) == 0.75
    assert metrics.accuracy(np.array([[0.0], [1.0]]), np.array([[0.49], [0.51]])) == 1.0
    assert metrics.accuracy([[1.0]], [[0.5]]) == 0.0  # exactly 0.5 is class 0


def test_accuracy_matches_model_predictions():
    X, y = nn.datasets.xor()
    model = nn.MLP([2, 3, 1], output="sigmoid", seed=0)
    expected = float(np.mean(model.predict(X) == y))
    assert metrics.accuracy(y, model.forward(X)) == expected
    assert metrics.accuracy(y, model.predict(X)) == expected


@pytest.mark.parametrize("y", [[0, 1, 2], [[0.1, 0.9], [0.8, 0.2]], [[0.3], [0.7]]])
def test_to_labels_returns_integer_vector(y):
    labels = metrics.to_labels(y)
    assert labels.ndim == 1 and labels.dtype.kind == "i"
    assert labels.shape[0] == len(y)


def test_to_labels_values():
    np.testing.assert_array_equal(metrics.to_labels([[0.1, 0.9], [0.8, 0.2]]), [1, 0])
    np.testing.assert_array_equal(metrics.to_labels([[0.3], [0.7]]), [0, 1])
    np.testing.assert_array_equal(metrics.to_labels([2.0, 0.0]), [2, 0])
    # A column of whole numbers holds labels, even with more than two classes.
    np.testing.assert_array_equal(metrics.to_labels([[2.0], [0.0], [1.0]]), [2, 0, 1])
    assert metrics.accuracy([[2], [0]], [2, 0]) == 1.0


def test_confusion_matrix_counts():
    y_true = [0, 0, 1, 1, 1, 2]
    y_pred = [0, 1, 1, 1, 2, 0]
    C = metrics.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(C, [[1, 1, 0], [0, 2, 1], [1, 0, 0]])
    assert C.dtype.kind == "i"
    assert C.sum() == 6
    assert np.trace(C) / C.sum() == metrics.accuracy(y_true, y_pred)


def test_confusion_matrix_with_n_classes_and_one_hot():
    C = metrics.confusion_matrix([0, 1], [1, 1], n_classes=4)
    assert C.shape == (4, 4)
    assert C[0, 1] == 1 and C[1, 1] == 1 and C.sum() == 2
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    np.testing.assert_array_equal(
        metrics.confusion_matrix(nn.datasets.one_hot([0, 1, 1]), probs), [[1, 0], [1, 1]])


def test_confusion_matrix_binary_scores():
    C = metrics.confusion_matrix([[0], [1], [1], [0]], [[0.2], [0.9], [0.4], [0.6]])
    np.testing.assert_array_equal(C, [[1, 1], [1, 1]])


@pytest.mark.parametrize("call, exc, pattern", [
    (lambda: metrics.accuracy([0, 1, 1], [0, 1]), ValueError, "3 samples but y_pred has 2"),
    (lambda: metrics.accuracy([0.5, 1.0], [0, 1]), ValueError, "whole-number class labels"),
    (lambda: metrics.accuracy([0, 1], [np.nan, 1]), ValueError, "finite"),
    (lambda: metrics.accuracy("01", [0, 1]), TypeError, "y_true"),
    (lambda: metrics.accuracy([], []), ValueError, "empty"),
    (lambda: metrics.accuracy(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))), ValueError,
     "1-D labels or a 2-D array"),
    (lambda: metrics.accuracy(5, 5), ValueError, "y_true"),
    (lambda: metrics.confusion_matrix([0, 1], [0]), ValueError, "2 samples but y_pred has 1"),
    (lambda: metrics.confusion_matrix([0, 3], [0, 1], n_classes=2), ValueError,
     r"labels must be in \[0, 2\)"),
    (lambda: metrics.confusion_matrix([-1, 0], [0, 0]), ValueError, "labels must be in"),
    (lambda: metrics.confusion_matrix([0, 1], [0, 1], n_classes=0), ValueError, "n_classes"),
    (lambda: metrics.confusion_matrix([0, 1], [0, 1], n_classes=2.0), TypeError, "n_classes"),
])
def test_errors(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()

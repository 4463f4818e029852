"""nnlib.datasets.radial (chapter 8): concentric rings of alternating classes."""

import numpy as np
import pytest

import nnlib as nn


def test_radial_shapes_classes_and_radii():
    X, y = nn.datasets.radial(n_per_ring=50, radii=(1.0, 2.0, 3.0), noise=0.0, seed=0)
    assert X.shape == (150, 2) and y.shape == (150, 1)
    assert y[:50].sum() == 0 and y[50:100].min() == 1 and y[100:].sum() == 0
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r, np.repeat([1.0, 2.0, 3.0], 50))


def test_radial_is_seeded_and_noisy():
    a = nn.datasets.radial(seed=3)
    b = nn.datasets.radial(seed=3)
    c = nn.datasets.radial(seed=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.allclose(a[0], c[0])
    r = np.hypot(*a[0].T)[:100]
    assert 0.05 < r.std() < 0.3  # noise 0.15 around radius 1


def test_radial_four_rings_alternate():
    _, y = nn.datasets.radial(n_per_ring=3, radii=(1, 2, 3, 4))
    assert y.ravel().tolist() == [0.0] * 3 + [1.0] * 3 + [0.0] * 3 + [1.0] * 3


@pytest.mark.parametrize("kwargs, error, fragment", [
    ({"radii": (1.0,)}, TypeError, "at least two"),
    ({"radii": 2.0}, TypeError, "at least two"),
    ({"radii": (2.0, 1.0)}, ValueError, "increasing"),
    ({"radii": (0.0, 1.0)}, ValueError, "positive"),
    ({"noise": -1.0}, ValueError, "noise"),
    ({"n_per_ring": 0}, ValueError, "n_per_ring"),
])
def test_radial_rejects_bad_input(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        nn.datasets.radial(**kwargs)

"""The house-price data set of chapter 5 (gradient descent)."""

import numpy as np
import pytest

import nnlib as nn


def test_house_prices_shapes_ranges_and_line():
    X, y = nn.datasets.house_prices()
    assert X.shape == (60, 1) and y.shape == (60, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert X.min() >= 0.5 and X.max() <= 2.5
    # the least-squares line is close to the generating one, y = 0.5 + 2 x
    slope, intercept = np.polyfit(X[:, 0], y[:, 0], 1)
    assert abs(slope - 2.0) < 0.2 and abs(intercept - 0.5) < 0.3
    residual = y[:, 0] - (intercept + slope * X[:, 0])
    assert 0.2 < residual.std() < 0.4


def test_house_prices_is_seeded_and_noise_free_on_request():
    a, b = nn.datasets.house_prices(seed=3), nn.datasets.house_prices(seed=3)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    c = nn.datasets.house_prices(seed=4)
    assert not np.array_equal(a[0], c[0])
    X, y = nn.datasets.house_prices(n=7, noise=0.0)
    assert X.shape == (7, 1)
    np.testing.assert_allclose(y, 0.5 + 2.0 * X)


def test_house_prices_does_not_touch_the_global_random_state():
    state = np.random.get_state()[1].copy()
    nn.datasets.house_prices(n=10)
    assert np.array_equal(np.random.get_state()[1], state)


@pytest.mark.parametrize("kwargs, error", [({"n": 0}, ValueError), ({"n": 2.5}, TypeError),
                                            ({"noise": -1.0}, ValueError),
                                            ({"seed": -1}, ValueError)])
def test_house_prices_rejects_bad_input(kwargs, error):
    with pytest.raises(error):
        nn.datasets.house_prices(**kwargs)

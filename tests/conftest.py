"""Shared by every test module: matplotlib draws off-screen (Agg), and the figures a test
opens are closed after it, so that no test sees another's figures."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")

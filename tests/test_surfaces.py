"""nnlib.surfaces: values, gradients (against finite differences), trajectories, errors."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib as nn  # noqa: E402

SURFACES = [nn.surfaces.Quadratic((1.0, 20.0)), nn.surfaces.Rosenbrock(), nn.surfaces.Saddle()]


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
@pytest.mark.parametrize("theta", [(-1.5, 0.7), (0.3, -2.0), (1.0, 1.0)])
def test_gradient_matches_finite_differences(surface, theta):
    theta = np.array(theta)
    numeric = nn.gradcheck.numerical_gradient(lambda t: surface.value(t), theta.copy())
    np.testing.assert_allclose(surface.gradient(theta), numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_value_on_a_grid_matches_pointwise(surface):
    pts = np.array([[0.1, 0.2], [-1.0, 2.0], [1.5, -0.5]])
    np.testing.assert_allclose(surface.value(pts), [surface.value(p) for p in pts])


def test_minima_have_zero_gradient_and_lowest_value():
    for s in SURFACES[:2]:
        np.testing.assert_allclose(s.gradient(s.minimum), 0.0, atol=1e-12)
        assert s.value(s.minimum) <= s.value(np.add(s.minimum, 0.1))
    assert nn.surfaces.Saddle().minimum is None
    np.testing.assert_allclose(nn.surfaces.Saddle().gradient((0.0, 0.0)), 0.0)


def test_get_by_name_and_ravine():
    ravine = nn.surfaces.get("ravine")
    assert isinstance(ravine, nn.surfaces.Quadratic) and ravine.condition_number == 20.0
    assert ravine.name == "ravine" and nn.surfaces.get("ravine", curvatures=(1.0, 5.0)).curvatures == (1.0, 5.0)
    assert nn.surfaces.get("Quadratic", curvatures=(2.0, 3.0)).curvatures == (2.0, 3.0)
    s = nn.surfaces.Saddle()
    assert nn.surfaces.get(s) is s
    with pytest.raises(ValueError, match="Did you mean 'rosenbrock'"):
        nn.surfaces.get("rosenbrok")


def test_trajectory_is_plain_gradient_descent_for_sgd():
    q = nn.surfaces.Quadratic((1.0, 4.0))
    path = nn.surfaces.trajectory(nn.optimizers.SGD(lr=0.1), q, (2.0, 1.0), num_steps=5)
    assert path.shape == (6, 2)
    # theta_k = (1 - lr*a)^k theta_0 per coordinate
    k = np.arange(6)[:, None]
    np.testing.assert_allclose(path, np.array([2.0, 1.0]) * (1 - 0.1 * np.array([1.0, 4.0])) ** k)


def test_trajectory_resets_the_optimizer_and_accepts_names():
    opt = nn.optimizers.Adam(lr=0.1)
    a = nn.surfaces.trajectory(opt, "rosenbrock", (-1.0, 2.0), 20)
    b = nn.surfaces.trajectory(opt, "rosenbrock", (-1.0, 2.0), 20)
    np.testing.assert_array_equal(a, b)
    c = nn.surfaces.trajectory("sgd", "saddle", (1.0, 0.0), 3)
    assert c.shape == (4, 2) and np.all(c[:, 1] == 0.0)


def test_trajectory_stops_at_the_last_finite_point_when_diverging():
    q = nn.surfaces.Quadratic((1.0, 20.0))
    path = nn.surfaces.trajectory(nn.optimizers.SGD(lr=0.2), q, (-4.0, 1.0), 5000)
    assert 1 < len(path) < 5001
    assert np.all(np.isfinite(path))


@pytest.mark.parametrize("bad, err", [((1.0, 2.0, 3.0), ValueError), ("ab", TypeError)])
def test_trajectory_rejects_bad_start(bad, err):
    with pytest.raises(err, match="start"):
        nn.surfaces.trajectory("sgd", "saddle", bad, 3)


def test_bad_theta_shape_and_curvature():
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        nn.surfaces.Saddle().gradient((1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match=r"shape \(2,\) or \(k, 2\)"):
        nn.surfaces.Saddle().value(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="curvatures"):
        nn.surfaces.Quadratic((0.0, 1.0))
    with pytest.raises(TypeError, match="num_steps"):
        nn.surfaces.trajectory("sgd", "saddle", (1.0, 0.0), 2.5)


def test_surface_paths_draws_contours_paths_and_labels():
    q = nn.surfaces.get("ravine")
    paths = {"SGD": nn.surfaces.trajectory(nn.optimizers.SGD(lr=0.05), q, (-4.0, 1.0), 30),
             "Momentum": nn.surfaces.trajectory(nn.optimizers.Momentum(lr=0.05), q, (-4.0, 1.0), 30)}
    ax = nn.plotting.surface_paths(q, paths)
    assert ax.get_title() == "Paths on the ravine surface"
    assert ax.get_xlabel() and ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["minimum", "SGD", "Momentum"]
    assert ax.get_xlim() == q.xlim
    plt.close(ax.figure)


def test_surface_paths_by_name_linear_levels_and_no_minimum():
    ax = nn.plotting.surface_paths("saddle", log_levels=False, title="Saddle")
    assert ax.get_title() == "Saddle" and ax.get_legend() is None
    plt.close(ax.figure)


def test_rotated_ravine_has_the_ravines_curvatures_turned():
    r = nn.surfaces.get("rotated ravine")
    assert isinstance(r, nn.surfaces.RotatedRavine) and r.name == "rotated ravine"
    np.testing.assert_allclose(np.linalg.eigvalsh(r.hessian), [1.0, 20.0])
    assert r.condition_number == 20.0 and r.minimum == (0.0, 0.0)
    ravine = nn.surfaces.get("ravine")
    for point in [(-4.0, 1.0), (0.3, -2.0)]:
        turned = r.rotation @ np.array(point)
        assert r.value(turned) == pytest.approx(ravine.value(point))
        np.testing.assert_allclose(r.gradient(turned), r.rotation @ ravine.gradient(point))
    unturned = nn.surfaces.RotatedRavine(angle=0.0)
    np.testing.assert_allclose(unturned.gradient((1.0, 2.0)), ravine.gradient((1.0, 2.0)))
    with pytest.raises(TypeError, match="angle"):
        nn.surfaces.RotatedRavine(angle="45")


def test_rotated_ravine_gradient_matches_finite_differences():
    r = nn.surfaces.RotatedRavine(curvatures=(2.0, 7.0), angle=30.0)
    theta = np.array([0.4, -1.3])
    numeric = nn.gradcheck.numerical_gradient(lambda t: r.value(t), theta.copy())
    np.testing.assert_allclose(r.gradient(theta), numeric, rtol=1e-6, atol=1e-6)
    assert "angle=30.0" in repr(r)

"""Optimizers against hand-written reference formulas (PyTorch ``torch.optim`` forms).

Each reference below is written out in plain numpy from DESIGN.md, independently of
``nnlib.optimizers``, and run over the same fixed gradient sequence.
"""

import numpy as np
import pytest

import nnlib as nn
from nnlib import optimizers

pytestmark = pytest.mark.filterwarnings("error")

SHAPES = [(3, 2), (4,)]
N_STEPS = 7


def _initial_params():
    rng = np.random.default_rng(123)
    return [rng.normal(size=s) for s in SHAPES]


def _gradient_sequence():
    """A fixed list of N_STEPS gradient lists, mixed signs and magnitudes (some exact zeros)."""
    rng = np.random.default_rng(456)
    seq = []
    for t in range(N_STEPS):
        grads = [rng.normal(scale=10.0 ** (t % 3 - 1), size=s) for s in SHAPES]
        grads[1][0] = 0.0  # a zero gradient exercises eps in the adaptive methods
        seq.append(grads)
    return seq


# Reference implementations: one function per method, the update written as in the docs.
def ref_sgd(params, grads_seq, lr):
    p = [x.copy() for x in params]
    out = []
    for grads in grads_seq:
        p = [pi - lr * gi for pi, gi in zip(p, grads)]
        out.append([x.copy() for x in p])
    return out


def ref_momentum(params, grads_seq, lr, mu, nesterov):
    p = [x.copy() for x in params]
    v = [np.zeros_like(x) for x in params]
    out = []
    for grads in grads_seq:
        for i, g in enumerate(grads):
            v[i] = mu * v[i] + g
            if nesterov:
                p[i] = p[i] - lr * (g + mu * v[i])
            else:
                p[i] = p[i] - lr * v[i]
        out.append([x.copy() for x in p])
    return out


def ref_adagrad(params, grads_seq, lr, eps):
    p = [x.copy() for x in params]
    s = [np.zeros_like(x) for x in params]
    out = []
    for grads in grads_seq:
        for i, g in enumerate(grads):
            s[i] = s[i] + g ** 2
            p[i] = p[i] - lr * g / (np.sqrt(s[i]) + eps)
        out.append([x.copy() for x in p])
    return out


def ref_rmsprop(params, grads_seq, lr, rho, eps):
    p = [x.copy() for x in params]
    s = [np.zeros_like(x) for x in params]
    out = []
    for grads in grads_seq:
        for i, g in enumerate(grads):
            s[i] = rho * s[i] + (1 - rho) * g ** 2
            p[i] = p[i] - lr * g / (np.sqrt(s[i]) + eps)
        out.append([x.copy() for x in p])
    return out


def ref_adam(params, grads_seq, lr, beta1, beta2, eps, weight_decay=0.0):
    """Adam; with weight_decay, PyTorch's AdamW: p -= lr * wd * p, then Adam's step on g."""
    p = [x.copy() for x in params]
    m = [np.zeros_like(x) for x in params]
    v = [np.zeros_like(x) for x in params]
    out = []
    for t, grads in enumerate(grads_seq, start=1):
        for i, g in enumerate(grads):
            p[i] = p[i] * (1 - lr * weight_decay)
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g ** 2
            m_hat = m[i] / (1 - beta1 ** t)
            v_hat = v[i] / (1 - beta2 ** t)
            p[i] = p[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append([x.copy() for x in p])
    return out


CASES = [
    ("sgd-default", lambda: optimizers.SGD(), lambda p, g: ref_sgd(p, g, 0.01)),
    ("sgd", lambda: optimizers.SGD(lr=0.3), lambda p, g: ref_sgd(p, g, 0.3)),
    ("momentum-default", lambda: optimizers.Momentum(),
     lambda p, g: ref_momentum(p, g, 0.01, 0.9, False)),
    ("momentum", lambda: optimizers.Momentum(lr=0.05, momentum=0.5),
     lambda p, g: ref_momentum(p, g, 0.05, 0.5, False)),
    ("momentum-zero", lambda: optimizers.Momentum(lr=0.05, momentum=0.0),
     lambda p, g: ref_sgd(p, g, 0.05)),
    ("momentum-nesterov-default", lambda: optimizers.Momentum(nesterov=True),
     lambda p, g: ref_momentum(p, g, 0.01, 0.9, True)),
    ("momentum-nesterov", lambda: optimizers.Momentum(lr=0.2, momentum=0.7, nesterov=True),
     lambda p, g: ref_momentum(p, g, 0.2, 0.7, True)),
    ("nesterov-default", lambda: optimizers.Nesterov(),
     lambda p, g: ref_momentum(p, g, 0.01, 0.9, True)),
    ("nesterov", lambda: optimizers.Nesterov(lr=0.03, momentum=0.95),
     lambda p, g: ref_momentum(p, g, 0.03, 0.95, True)),
    ("adagrad-default", lambda: optimizers.Adagrad(), lambda p, g: ref_adagrad(p, g, 0.01, 1e-10)),
    ("adagrad", lambda: optimizers.Adagrad(lr=0.5, eps=0.1),
     lambda p, g: ref_adagrad(p, g, 0.5, 0.1)),
    ("rmsprop-default", lambda: optimizers.RMSprop(),
     lambda p, g: ref_rmsprop(p, g, 0.01, 0.99, 1e-8)),
    ("rmsprop", lambda: optimizers.RMSprop(lr=0.1, rho=0.5, eps=0.01),
     lambda p, g: ref_rmsprop(p, g, 0.1, 0.5, 0.01)),
    ("rmsprop-rho0", lambda: optimizers.RMSprop(lr=0.1, rho=0.0, eps=0.01),
     lambda p, g: ref_rmsprop(p, g, 0.1, 0.0, 0.01)),
    ("adam-default", lambda: optimizers.Adam(),
     lambda p, g: ref_adam(p, g, 0.001, 0.9, 0.999, 1e-8)),
    ("adam", lambda: optimizers.Adam(lr=0.2, beta1=0.5, beta2=0.8, eps=0.1),
     lambda p, g: ref_adam(p, g, 0.2, 0.5, 0.8, 0.1)),
    ("adam-beta0", lambda: optimizers.Adam(lr=0.2, beta1=0.0, beta2=0.0, eps=1e-3),
     lambda p, g: ref_adam(p, g, 0.2, 0.0, 0.0, 1e-3)),
]


@pytest.mark.parametrize("make_opt, reference", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_step_matches_reference_formula(make_opt, reference):
    params = _initial_params()
    start = [p.copy() for p in params]
    ids = [id(p) for p in params]
    grads_seq = _gradient_sequence()
    expected = reference(start, grads_seq)
    opt = make_opt()
    for t, grads in enumerate(grads_seq):
        opt.step(params, grads)
        assert [id(p) for p in params] == ids
        for got, want in zip(params, expected[t]):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert opt.t == N_STEPS
    # The parameters really moved (a no-op optimizer cannot pass the comparison above
    # unless the reference is a no-op too).
    assert not np.allclose(params[0], start[0])


def test_references_differ_from_each_other():
    """Sanity: the reference formulas are distinguishable on this gradient sequence, so a
    method that silently implemented another method's formula would fail above."""
    p, g = _initial_params(), _gradient_sequence()
    finals = {
        "sgd": ref_sgd(p, g, 0.1)[-1],
        "momentum": ref_momentum(p, g, 0.1, 0.9, False)[-1],
        "nesterov": ref_momentum(p, g, 0.1, 0.9, True)[-1],
        "adagrad": ref_adagrad(p, g, 0.1, 1e-10)[-1],
        "rmsprop": ref_rmsprop(p, g, 0.1, 0.99, 1e-8)[-1],
        "adam": ref_adam(p, g, 0.1, 0.9, 0.999, 1e-8)[-1],
    }
    names = list(finals)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not np.allclose(finals[a][0], finals[b][0]), (a, b)


def test_eps_is_outside_the_square_root():
    # One Adagrad step from s = 0: p -= lr * g / (|g| + eps); eps inside the root would give
    # lr * g / sqrt(g^2 + eps), clearly different for eps = 1 and g = 1.
    p = np.array([0.0])
    optimizers.Adagrad(lr=1.0, eps=1.0).step([p], [np.array([1.0])])
    assert p[0] == pytest.approx(-0.5, rel=1e-15)


def test_adam_first_step_is_bias_corrected():
    # At t = 1, m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps) ~ lr * sign(g).
    p = np.array([0.0, 0.0])
    optimizers.Adam(lr=0.1, eps=1e-8).step([p], [np.array([1e-3, -5.0])])
    np.testing.assert_allclose(p, [-0.1, 0.1], rtol=1e-4)


def test_sgd_docstring_example():
    p = np.array([1.0])
    optimizers.SGD(lr=0.1).step([p], [np.array([2.0])])
    assert p[0] == pytest.approx(0.8)


def test_step_accepts_tuples():
    p = np.array([1.0, 2.0])
    optimizers.SGD(lr=0.5).step((p,), (np.array([2.0, 2.0]),))
    np.testing.assert_array_equal(p, [0.0, 1.0])


def test_gradient_that_is_not_an_array_is_rejected_clearly():
    p = np.array([1.0, 2.0])
    with pytest.raises(TypeError, match=r"grads\[0\] must be a numpy array, got list"):
        optimizers.SGD(lr=0.5).step([p], [[2.0, 2.0]])
    np.testing.assert_array_equal(p, [1.0, 2.0])


# Relations to the lecture notes' forms ------------------------------------------------
def test_notes_momentum_form_gives_same_iterates():
    """Notes: v = γ v + η g, p -= v.  nnlib: v = μ v + g, p -= η v (v scaled by η)."""
    A = np.array([[3.0, 0.5], [0.5, 1.0]])
    lr, gamma = 0.1, 0.8
    p_notes = np.array([1.0, -2.0])
    v_notes = np.zeros(2)
    p = p_notes.copy()
    opt = optimizers.Momentum(lr=lr, momentum=gamma)
    for _ in range(30):
        v_notes = gamma * v_notes + lr * (A @ p_notes)
        p_notes = p_notes - v_notes
        opt.step([p], [A @ p])
        np.testing.assert_allclose(p, p_notes, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("make_opt", [
    lambda lr, mu: optimizers.Nesterov(lr=lr, momentum=mu),
    lambda lr, mu: optimizers.Momentum(lr=lr, momentum=mu, nesterov=True),
])
def test_nesterov_equals_look_ahead_nag_on_quadratic(make_opt):
    """Look-ahead NAG (notes): v' = γ v + η ∇f(p - γ v), p' = p - v'.

    nnlib's Nesterov, with gradients at its own parameters q, follows the look-ahead
    points: q_t = p_t - γ v_t for every t (both start with v = 0, so q_0 = p_0).
    Shown on f(p) = ½ pᵀ A p, ∇f(p) = A p.
    """
    A = np.array([[4.0, 1.0, 0.0], [1.0, 2.0, 0.3], [0.0, 0.3, 0.5]])
    grad = lambda x: A @ x  # noqa: E731
    lr, gamma = 0.05, 0.9
    p_nag = np.array([1.0, -1.0, 2.0])
    v_nag = np.zeros(3)
    q = p_nag.copy()
    opt = make_opt(lr, gamma)
    for _ in range(40):
        v_nag = gamma * v_nag + lr * grad(p_nag - gamma * v_nag)
        p_nag = p_nag - v_nag
        opt.step([q], [grad(q)])  # gradient at nnlib's current parameters
        np.testing.assert_allclose(q, p_nag - gamma * v_nag, rtol=1e-10, atol=1e-13)
    # The two sequences are genuinely different points (the shift is not zero) ...
    assert not np.allclose(q, p_nag)
    # ... and both converge to the minimiser 0 of the quadratic.
    assert np.linalg.norm(q) < 0.1


def test_nesterov_differs_from_plain_momentum():
    p1, p2 = np.array([1.0]), np.array([1.0])
    m, n = optimizers.Momentum(lr=0.1, momentum=0.9), optimizers.Nesterov(lr=0.1, momentum=0.9)
    for _ in range(3):
        m.step([p1], [2 * p1])
        n.step([p2], [2 * p2])
    assert p1[0] != pytest.approx(p2[0])


# State handling -------------------------------------------------------------------------
def test_reset_forgets_state():
    g = [np.ones(3)]
    a = optimizers.Adam(lr=0.1)
    p = np.zeros(3)
    a.step([p], g)
    a.step([p], g)
    a.reset()
    assert a.t == 0 and a.state == []
    q = np.zeros(3)
    a.step([q], g)
    fresh = np.zeros(3)
    optimizers.Adam(lr=0.1).step([fresh], g)
    np.testing.assert_array_equal(q, fresh)


@pytest.mark.parametrize("name", ["momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_reuse_on_other_model_without_reset_raises(name):
    opt = optimizers.get(name, lr=0.01)
    model_a = nn.MLP([2, 3, 1], seed=0)
    model_b = nn.MLP([2, 5, 1], seed=0)
    opt.step(model_a.params, [np.zeros_like(p) for p in model_a.params])
    with pytest.raises(ValueError, match=r"reset\(\)"):
        opt.step(model_b.params, [np.zeros_like(p) for p in model_b.params])
    model_c = nn.MLP([2, 3, 3, 1], seed=0)  # a different number of parameter arrays
    with pytest.raises(ValueError, match=r"reset\(\)"):
        opt.step(model_c.params, [np.zeros_like(p) for p in model_c.params])
    opt.reset()
    opt.step(model_b.params, [np.zeros_like(p) for p in model_b.params])


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_reuse_on_same_shaped_model_without_reset_raises(name):
    # Same shapes, different arrays: the first model's velocity must not leak into the second.
    opt = optimizers.get(name, lr=0.01)
    model_a, model_b = nn.MLP([2, 3, 1], seed=0), nn.MLP([2, 3, 1], seed=1)
    opt.step(model_a.params, [np.ones_like(p) for p in model_a.params])
    opt.step(model_a.params, [np.ones_like(p) for p in model_a.params])  # same arrays: fine
    with pytest.raises(ValueError, match=r"reset\(\)"):
        opt.step(model_b.params, [np.ones_like(p) for p in model_b.params])


def test_reuse_via_fit_on_other_model_raises():
    X, y = np.zeros((4, 2)), np.zeros((4, 1))
    opt = optimizers.Adam(lr=0.01)
    nn.MLP([2, 3, 1], seed=0).fit(X, y, optimizer=opt, num_epochs=1)
    with pytest.raises(ValueError, match="other parameters"):
        nn.MLP([2, 4, 1], seed=0).fit(X, y, optimizer=opt, num_epochs=1)


# Errors ---------------------------------------------------------------------------------
ALL_CLASSES = [optimizers.SGD, optimizers.Momentum, optimizers.Nesterov, optimizers.Adagrad,
               optimizers.RMSprop, optimizers.Adam]


@pytest.mark.parametrize("cls", ALL_CLASSES)
@pytest.mark.parametrize("lr, exc, pattern", [
    (0.0, ValueError, "lr must be positive"),
    (-0.1, ValueError, "lr must be positive"),
    (float("nan"), ValueError, "lr must be finite"),
    (float("inf"), ValueError, "lr must be finite"),
    ("0.1", TypeError, "lr must be a real number.*str"),
    (None, TypeError, "lr must be a real number"),
    (True, TypeError, "lr must be a real number.*bool"),
])
def test_bad_learning_rate(cls, lr, exc, pattern):
    with pytest.raises(exc, match=pattern):
        cls(lr=lr)


@pytest.mark.parametrize("cls", [optimizers.Momentum, optimizers.Nesterov])
@pytest.mark.parametrize("mu", [1.0, -0.1, 1.5, float("nan")])
def test_bad_momentum(cls, mu):
    with pytest.raises(ValueError, match="momentum"):
        cls(lr=0.1, momentum=mu)


def test_bad_nesterov_flag():
    with pytest.raises(TypeError, match="nesterov must be True or False"):
        optimizers.Momentum(lr=0.1, nesterov="yes")


@pytest.mark.parametrize("kwargs, pattern", [
    ({"beta1": 1.0}, r"beta1 must be in \[0.0, 1.0\)"),
    ({"beta1": -0.01}, "beta1"),
    ({"beta2": 1.0}, "beta2"),
    ({"beta2": 2.0}, "beta2"),
    ({"eps": 0.0}, "eps must be positive"),
    ({"eps": -1e-8}, "eps must be positive"),
])
def test_bad_adam_hyperparameters(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        optimizers.Adam(lr=0.1, **kwargs)


@pytest.mark.parametrize("make", [
    lambda: optimizers.RMSprop(rho=1.0),
    lambda: optimizers.RMSprop(rho=-0.5),
    lambda: optimizers.RMSprop(eps=0.0),
    lambda: optimizers.Adagrad(eps=0.0),
    lambda: optimizers.Adagrad(eps=-1.0),
])
def test_bad_adaptive_hyperparameters(make):
    with pytest.raises(ValueError, match="rho|eps"):
        make()


def test_params_and_grads_of_different_length():
    with pytest.raises(ValueError, match="2 params but 1 grads"):
        optimizers.SGD(lr=0.1).step([np.zeros(2), np.zeros(3)], [np.zeros(2)])


def test_params_and_grads_of_different_shape():
    with pytest.raises(ValueError, match=r"grads\[1\] has shape \(2,\), params\[1\] has \(3,\)"):
        optimizers.Adam(lr=0.1).step([np.zeros(2), np.zeros(3)], [np.zeros(2), np.zeros(2)])


@pytest.mark.parametrize("param", [
    np.zeros(3, dtype=np.float32),
    np.zeros(3, dtype=int),
    [0.0, 0.0, 0.0],
])
def test_non_float64_params(param):
    with pytest.raises(TypeError, match=r"params\[0\] must be a float64 numpy array"):
        optimizers.SGD(lr=0.1).step([param], [np.zeros(3)])


def test_params_not_a_list():
    with pytest.raises(TypeError, match="lists of arrays"):
        optimizers.SGD(lr=0.1).step(np.zeros(3), np.zeros(3))


def test_failed_step_does_not_count_or_change_params():
    opt = optimizers.Momentum(lr=0.1)
    p = np.ones(2)
    with pytest.raises(ValueError):
        opt.step([p], [np.ones(3)])
    assert opt.t == 0
    np.testing.assert_array_equal(p, np.ones(2))


# get() ----------------------------------------------------------------------------------
def test_get_by_name_with_kwargs():
    opt = optimizers.get("adam", lr=0.02, beta1=0.8)
    assert isinstance(opt, optimizers.Adam)
    assert (opt.lr, opt.beta1, opt.beta2) == (0.02, 0.8, 0.999)
    mom = optimizers.get("momentum", lr=0.1, nesterov=True)
    assert isinstance(mom, optimizers.Momentum) and mom.nesterov is True
    assert repr(mom) == "Momentum(lr=0.1, momentum=0.9, nesterov=True)"


@pytest.mark.parametrize("name, cls", [
    ("ADAM", optimizers.Adam), ("Sgd", optimizers.SGD), (" RMSProp ", optimizers.RMSprop),
    ("Nesterov", optimizers.Nesterov), ("AdaGrad", optimizers.Adagrad), ("gd", optimizers.SGD),
])
def test_get_is_case_insensitive(name, cls):
    assert type(optimizers.get(name)) is cls


def test_get_default_learning_rates():
    assert optimizers.get("sgd").lr == 0.01
    assert optimizers.get("adam").lr == 0.001


def test_get_passes_bad_kwargs_through_validation():
    with pytest.raises(ValueError, match="lr must be positive"):
        optimizers.get("sgd", lr=-1)
    with pytest.raises(TypeError):
        optimizers.get("sgd", momentum=0.9)  # SGD has no momentum option


def test_names_lists_every_optimizer():
    assert set(optimizers.names()) >= {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}


# AdamW ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [
    {}, {"lr": 0.1, "beta1": 0.5, "beta2": 0.8, "eps": 0.1, "weight_decay": 0.3},
])
def test_adamw_matches_reference_formula(kwargs):
    full = {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01, **kwargs}
    params, grads_seq = _initial_params(), _gradient_sequence()
    expected = ref_adam([p.copy() for p in params], grads_seq, **full)
    opt = optimizers.AdamW(**kwargs)
    for t, grads in enumerate(grads_seq):
        opt.step(params, grads)
        for got, want in zip(params, expected[t]):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_adamw_without_decay_is_adam_and_decay_is_not_scaled():
    params, grads_seq = _initial_params(), _gradient_sequence()
    a, b = [p.copy() for p in params], [p.copy() for p in params]
    adam, adamw = optimizers.Adam(lr=0.05), optimizers.AdamW(lr=0.05, weight_decay=0.0)
    for grads in grads_seq:
        adam.step(a, grads)
        adamw.step(b, grads)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    # With a zero gradient the weight shrinks by exactly (1 - lr wd) per step (Adam's step is 0);
    # Adam + L2 instead moves it by about lr per step, whatever wd is.
    p = np.array([1.0])
    opt = optimizers.AdamW(lr=0.01, weight_decay=0.5)
    for _ in range(10):
        opt.step([p], [np.zeros(1)])
    assert p[0] == pytest.approx((1 - 0.01 * 0.5) ** 10, rel=1e-12)


def test_adamw_by_name_and_bad_weight_decay():
    opt = optimizers.get("AdamW", lr=0.01, weight_decay=0.1)
    assert isinstance(opt, optimizers.AdamW) and opt.weight_decay == 0.1
    assert "weight_decay=0.1" in repr(opt)
    with pytest.raises(ValueError, match="weight_decay must be >= 0"):
        optimizers.AdamW(weight_decay=-0.1)
    with pytest.raises(TypeError, match="weight_decay must be a real number"):
        optimizers.AdamW(weight_decay="0.1")
    with pytest.raises(ValueError, match="weight_decay must be finite"):
        optimizers.AdamW(weight_decay=float("inf"))

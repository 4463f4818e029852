"""Every ``get()`` goes through one Registry; the _validate helpers behind every error."""

import numbers

import numpy as np
import pytest

import nnlib as nn
from nnlib import _validate, activations, initializers, losses, optimizers
from nnlib._registry import Registry

pytestmark = pytest.mark.filterwarnings("error")

MODULES = {
    "activation": activations,
    "loss": losses,
    "initializer": initializers,
    "optimizer": optimizers,
}

# (kind, typo, the name it should suggest)
TYPOS = [
    ("activation", "relu6", "relu"),
    ("activation", "tanhh", "tanh"),
    ("activation", "sigmiod", "sigmoid"),
    ("loss", "mse2", "mse"),
    ("loss", "cross_entropyy", "cross_entropy"),
    ("initializer", "he_normla", "he_normal"),
    ("initializer", "xavier-unifrom", "xavier_uniform"),
    ("optimizer", "adamm", "adam"),
    ("optimizer", "rmsprob", "rmsprop"),
]


@pytest.mark.parametrize("kind, typo, suggestion", TYPOS)
def test_typo_lists_valid_names_and_suggests(kind, typo, suggestion):
    module = MODULES[kind]
    with pytest.raises(ValueError, match=f"Unknown {kind} '{typo}'") as info:
        module.get(typo)
    message = str(info.value)
    names = module.names()
    assert len(names) >= 4
    for name in names:
        assert name in message, f"{name!r} missing from: {message}"
    assert f"Did you mean '{suggestion}'?" in message


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_unrelated_typo_has_no_suggestion(kind):
    with pytest.raises(ValueError, match="Valid names") as info:
        MODULES[kind].get("qqqqqqqq")
    assert "Did you mean" not in str(info.value)


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_every_listed_name_resolves(kind):
    module = MODULES[kind]
    for name in module.names():
        obj = module.get(name)
        assert isinstance(obj, module.registry.base)
        assert module.get(name.upper()).__class__ is obj.__class__


EXAMPLES = [
    (activations, "leaky_relu", activations.LeakyReLU, {"slope": 0.2}),
    (losses, "mse", losses.MSE, {}),
    (initializers, "normal", initializers.Normal, {"std": 0.5}),
    (optimizers, "adam", optimizers.Adam, {"lr": 0.5}),
]


@pytest.mark.parametrize("module, name, cls, kwargs", EXAMPLES)
def test_instance_is_returned_as_is(module, name, cls, kwargs):
    instance = cls(**kwargs)
    assert module.get(instance) is instance


@pytest.mark.parametrize("module, name, cls, kwargs", EXAMPLES)
def test_class_is_instantiated(module, name, cls, kwargs):
    obj = module.registry.get(cls, **kwargs)
    assert type(obj) is cls
    for key, value in kwargs.items():
        assert getattr(obj, key) == value
    assert type(module.get(cls)) is cls


@pytest.mark.parametrize("module, name, cls, kwargs", EXAMPLES)
def test_kwargs_with_an_instance_are_rejected(module, name, cls, kwargs):
    with pytest.raises(TypeError, match="can only be given with a name"):
        module.registry.get(cls(), lr=1.0)


@pytest.mark.parametrize("module", list(MODULES.values()))
@pytest.mark.parametrize("identifier", [3, 1.5, None, ["relu"], int, lambda z: z])
def test_bad_identifier_types(module, identifier):
    if module is nn.initializers and callable(identifier) and not isinstance(identifier, type):
        pytest.skip("a function fn(shape, rng) is a valid initializer (tests/test_initializers.py)")
    with pytest.raises(TypeError, match=r"Expected a name \(str\) or an instance of \w+ for the \w+"):
        module.get(identifier)


def test_instance_of_the_wrong_kind_is_rejected():
    with pytest.raises(TypeError, match="instance of Loss for the loss"):
        losses.get(activations.ReLU())
    with pytest.raises(TypeError, match="instance of Optimizer for the optimizer"):
        optimizers.get(object)  # a class, but not an Optimizer subclass
    with pytest.raises(TypeError, match="instance of Activation for the activation"):
        activations.get(optimizers.Adam)


def test_name_normalisation():
    assert type(activations.get("Leaky-ReLU")) is activations.LeakyReLU
    assert type(activations.get("  leaky relu ")) is activations.LeakyReLU
    assert type(initializers.get("HE-NORMAL")) is initializers.HeNormal
    assert activations.get("leaky_relu", slope=0.3).slope == 0.3


def test_registry_directly():
    class Base:
        pass

    reg = Registry("widget", Base)

    @reg.register("Alpha", "first")
    class A(Base):
        def __init__(self, size=1):
            self.size = size

    @reg.register("beta")
    class B(Base):
        pass

    assert reg.names == ["alpha", "beta"]  # canonical names, normalised and sorted
    assert type(reg.get("ALPHA")) is A and type(reg.get("first")) is A
    assert reg.get("alpha", size=3).size == 3
    with pytest.raises(ValueError, match=r"Unknown widget 'alpah'\. Valid names: alpha, beta\."
                                         r" Did you mean 'alpha'\?"):
        reg.get("alpah")
    with pytest.raises(TypeError, match="for the widget"):
        reg.get(object())


# _validate ------------------------------------------------------------------------------
class TestAsFloatArray:
    def test_converts_to_float64(self):
        out = _validate.as_float_array([[1, 2], [3, 4]], "X")
        assert out.dtype == np.float64 and out.shape == (2, 2)
        assert _validate.as_float_array(np.array([[True, False]]), "X").tolist() == [[1.0, 0.0]]

    def test_float64_input_is_not_copied(self):
        X = np.ones((2, 2))
        assert _validate.as_float_array(X, "X") is X

    @pytest.mark.parametrize("value, exc, pattern", [
        (np.array([[1, None]], dtype=object), TypeError, "X must contain numbers.*object"),
        (np.array([["a", "b"]]), TypeError, "X must contain numbers"),
        (np.array([[1 + 2j]]), TypeError, "X must contain real numbers.*complex"),
        (np.zeros((0, 3)), ValueError, r"X must not be empty, got shape \(0, 3\)"),
        (np.array([[np.nan, 1.0]]), ValueError, "X must be finite, got 1 NaN"),
        (np.array([[np.inf, -np.inf]]), ValueError, "got 2 NaN or infinite"),
        (np.zeros(3), ValueError, r"X must be a 2-D array .*got shape \(3,\)"),
        ("abc", TypeError, "X must be an array of numbers, got str"),
        (b"abc", TypeError, "bytes"),
        (None, TypeError, "NoneType"),
    ])
    def test_rejects(self, value, exc, pattern):
        with pytest.raises(exc, match=pattern):
            _validate.as_float_array(value, "X")

    def test_options(self):
        assert _validate.as_float_array(np.zeros(3), "v", ndim=None).shape == (3,)
        out = _validate.as_float_array([[np.nan]], "Z", finite=False)
        assert np.isnan(out[0, 0])
        with pytest.raises(ValueError, match="empty"):
            _validate.as_float_array([], "v", ndim=None)


class TestNumbers:
    @pytest.mark.parametrize("value, expected", [(1, 1), (7, 7), (np.int64(3), 3)])
    def test_positive_int_ok(self, value, expected):
        out = _validate.positive_int(value, "n")
        assert out == expected and type(out) is int

    @pytest.mark.parametrize("value, exc, pattern", [
        (True, TypeError, "n must be a positive integer, got bool"),
        (False, TypeError, "bool"),
        (np.bool_(True), TypeError, "bool"),
        (0, ValueError, "n must be a positive integer, got 0"),
        (-4, ValueError, "got -4"),
        (2.0, TypeError, "float"),
        (np.float64(2.0), TypeError, "float"),
        ("3", TypeError, "str"),
        (None, TypeError, "NoneType"),
    ])
    def test_positive_int_rejects(self, value, exc, pattern):
        with pytest.raises(exc, match=pattern):
            _validate.positive_int(value, "n")

    @pytest.mark.parametrize("value", [0.5, 3, np.float32(0.25), np.int8(2)])
    def test_positive_float_ok(self, value):
        out = _validate.positive_float(value, "lr")
        assert type(out) is float and out == float(value)

    @pytest.mark.parametrize("value, exc, pattern", [
        (0.0, ValueError, "lr must be positive, got lr=0.0"),
        (-1e-9, ValueError, "positive"),
        (float("nan"), ValueError, "lr must be finite"),
        (float("inf"), ValueError, "finite"),
        (-float("inf"), ValueError, "finite"),
        (True, TypeError, "lr must be a real number, got bool"),
        ("0.1", TypeError, "str"),
        (1j, TypeError, "complex"),
        (np.array(0.1), TypeError, "ndarray"),
    ])
    def test_positive_float_rejects(self, value, exc, pattern):
        with pytest.raises(exc, match=pattern):
            _validate.positive_float(value, "lr")

    def test_real(self):
        assert _validate.real(-2, "x") == -2.0
        assert isinstance(_validate.real(np.float32(1.5), "x"), float)
        with pytest.raises(ValueError, match="finite"):
            _validate.real(np.nan, "x")

    @pytest.mark.parametrize("value, ok", [(0.0, True), (0.5, True), (1.0, False), (-0.1, False)])
    def test_in_range_half_open(self, value, ok):
        if ok:
            assert _validate.in_range(value, "beta", 0.0, 1.0) == value
        else:
            with pytest.raises(ValueError, match=r"beta must be in \[0.0, 1.0\)"):
                _validate.in_range(value, "beta", 0.0, 1.0)

    def test_in_range_closed(self):
        assert _validate.in_range(1.0, "p", 0.0, 1.0, high_inclusive=True) == 1.0
        with pytest.raises(ValueError, match=r"p must be in \[0.0, 1.0\]"):
            _validate.in_range(1.5, "p", 0.0, 1.0, high_inclusive=True)
        with pytest.raises(ValueError, match="finite"):
            _validate.in_range(float("nan"), "p", 0.0, 1.0)


class TestRandom:
    def test_make_rng_from_seed_and_default(self):
        a = _validate.make_rng(seed=5).normal(size=3)
        np.testing.assert_array_equal(a, np.random.default_rng(5).normal(size=3))
        np.testing.assert_array_equal(_validate.make_rng().normal(size=3),
                                      np.random.default_rng(0).normal(size=3))

    def test_make_rng_returns_given_generator(self):
        rng = np.random.default_rng(1)
        assert _validate.make_rng(rng=rng) is rng
        assert _validate.as_rng(rng) is rng

    @pytest.mark.parametrize("kwargs, exc, pattern", [
        ({"rng": np.random.default_rng(0), "seed": 0}, ValueError, "either rng= or seed="),
        ({"rng": np.random.RandomState(0)}, TypeError, "numpy.random.Generator.*RandomState"),
        ({"rng": 3}, TypeError, "Generator"),
        ({"seed": -1}, ValueError, "non-negative"),
        ({"seed": 1.0}, TypeError, "seed must be a non-negative integer"),
        ({"seed": True}, TypeError, "bool"),
        ({"seed": "0"}, TypeError, "str"),
    ])
    def test_make_rng_rejects(self, kwargs, exc, pattern):
        with pytest.raises(exc, match=pattern):
            _validate.make_rng(**kwargs)

    def test_as_rng(self):
        np.testing.assert_array_equal(_validate.as_rng(None).random(2),
                                      np.random.default_rng(0).random(2))
        np.testing.assert_array_equal(_validate.as_rng(np.int64(4)).random(2),
                                      np.random.default_rng(4).random(2))
        with pytest.raises(TypeError, match="Generator"):
            _validate.as_rng("4")
        with pytest.raises(TypeError):
            _validate.as_rng(True)


# Public entry points use these helpers --------------------------------------------------
@pytest.mark.parametrize("call, exc, pattern", [
    (lambda: nn.MLP([2, True, 1]), TypeError, "bool"),
    (lambda: nn.MLP([2, 0, 1]), ValueError, "got 0"),
    (lambda: nn.MLP([2, 3, 1], seed=0).forward(np.array([[1 + 1j, 0]])), TypeError, "real"),
    (lambda: nn.MLP([2, 3, 1], seed=0).forward(np.zeros((0, 2))), ValueError, "empty"),
    (lambda: nn.MLP([2, 3, 1], seed=0).forward([[np.nan, 0]]), ValueError, "finite"),
    (lambda: nn.MLP([2, 3, 1], seed=0).forward(np.array([[{}, 0]], dtype=object)),
     TypeError, "numbers"),
    (lambda: optimizers.SGD(lr=np.nan), ValueError, "finite"),
])
def test_public_entry_points_use_validation(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_bool_is_not_an_integral_for_our_purposes():
    # The reason positive_int checks bool first: Python says True is an Integral.
    assert isinstance(True, numbers.Integral)
    with pytest.raises(TypeError):
        _validate.positive_int(True, "n")

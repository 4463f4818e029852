"""The exercise-check framework: how a Feedback prints, and how ``call`` runs a student's function."""

import dataclasses

import numpy as np
import pytest

import nnlib as nn
from nnlib.checks import Feedback, call, failed, passed

pytestmark = pytest.mark.filterwarnings("error")

GREEN, RED, GREY = "#1e7d32", "#b3261e", "#7a7a7a"


def not_solved(hint=""):
    return Feedback("gate", False, "still a stub", hint, solved=False)


# --- Feedback ------------------------------------------------------------------------------

def test_passed_and_failed_build_feedback():
    ok = passed("and gate", "all four rows right")
    assert (ok.exercise, ok.passed, ok.message, ok.hint, ok.solved) == (
        "and gate", True, "all four rows right", "", True)
    bad = failed("and gate", "row 11 wrong", "raise the bias")
    assert (bad.exercise, bad.passed, bad.message, bad.hint, bad.solved) == (
        "and gate", False, "row 11 wrong", "raise the bias", True)
    assert failed("x", "y").hint == ""


@pytest.mark.parametrize("feedback, expected", [
    (passed("ex", "m"), True),
    (failed("ex", "m", "h"), False),
    (not_solved(), False),
])
def test_bool_is_passed(feedback, expected):
    assert bool(feedback) is expected
    assert feedback.passed is expected


def test_str_of_passed_feedback_hides_the_hint():
    fb = Feedback("and gate", True, "all four rows right", hint="never shown")
    assert str(fb) == "[correct] and gate\n  all four rows right"
    assert "Hint" not in str(fb)
    assert repr(fb) == str(fb)


def test_str_of_failed_feedback_shows_the_hint():
    fb = failed("and gate", "row 11 wrong", "raise the bias")
    assert str(fb) == "[not yet right] and gate\n  row 11 wrong\n  Hint: raise the bias"
    assert repr(fb) == str(fb)


def test_str_of_failed_feedback_without_hint_has_no_hint_line():
    fb = failed("and gate", "row 11 wrong")
    assert str(fb) == "[not yet right] and gate\n  row 11 wrong"


def test_str_of_not_solved_feedback():
    assert str(not_solved()) == "[not solved yet] gate\n  still a stub"
    assert str(not_solved("look at z")) == "[not solved yet] gate\n  still a stub\n  Hint: look at z"
    assert repr(not_solved()) == str(not_solved())


def test_html_of_passed_feedback():
    html = Feedback("and gate", True, "all right", hint="never shown")._repr_html_()
    assert html.startswith('<div class="nn-check"') and html.endswith("</div>")
    assert GREEN in html and RED not in html and GREY not in html
    assert "<strong>[correct] and gate</strong>" in html
    assert "all right" in html
    assert "Hint" not in html and "never shown" not in html


def test_html_of_failed_feedback_shows_the_hint():
    html = failed("and gate", "row 11 wrong", "raise the bias")._repr_html_()
    assert RED in html and GREEN not in html and GREY not in html
    assert "<strong>[not yet right] and gate</strong>" in html
    assert "row 11 wrong" in html
    assert "<em>Hint:</em> raise the bias" in html


def test_html_of_failed_feedback_without_hint():
    html = failed("and gate", "row 11 wrong")._repr_html_()
    assert "Hint" not in html


def test_html_of_not_solved_feedback_is_grey():
    html = not_solved()._repr_html_()
    assert GREY in html and RED not in html and GREEN not in html
    assert "<strong>[not solved yet] gate</strong>" in html


def test_html_escapes_exercise_message_and_hint():
    html = failed("a<b>", "x < 1 & y > 2", "use <em>")._repr_html_()
    assert "a&lt;b&gt;" in html
    assert "x &lt; 1 &amp; y &gt; 2" in html
    assert "use &lt;em&gt;" in html
    assert "<b>" not in html and "use <em>" not in html


def test_feedback_is_frozen():
    fb = passed("ex", "m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fb.passed = False


# --- call ----------------------------------------------------------------------------------

def test_call_returns_the_result_and_no_feedback():
    assert call("ex", lambda a, b: a + b, 2, 3) == (5, None)


@pytest.mark.parametrize("value", [None, 0, False, []])
def test_call_returns_falsy_results_as_they_are(value):
    result, feedback = call("ex", lambda: value)
    assert result is value and feedback is None


def test_call_passes_args_and_kwargs_through_but_keeps_hint():
    seen = {}

    def student(*args, **kwargs):
        seen.update(args=args, kwargs=kwargs)
        return "ok"

    result, feedback = call("ex", student, 1, [2], w=0.5, b=-0.7, hint="for the check only")
    assert (result, feedback) == ("ok", None)
    assert seen == {"args": (1, [2]), "kwargs": {"w": 0.5, "b": -0.7}}


def test_call_on_a_stub_is_not_solved():
    def stub(x):
        raise NotImplementedError("write your code here")

    result, feedback = call("and gate", stub, 1, hint="use a step")
    assert result is None
    assert isinstance(feedback, Feedback)
    assert feedback.solved is False and feedback.passed is False and not feedback
    assert feedback.exercise == "and gate"
    assert "NotImplementedError" in feedback.message
    assert feedback.hint == "use a step"
    assert str(feedback).startswith("[not solved yet] and gate")


@pytest.mark.parametrize("exc, name", [
    (ValueError("shapes (4,2) and (3,) not aligned"), "ValueError"),
    (ZeroDivisionError("division by zero"), "ZeroDivisionError"),
    (KeyError("w"), "KeyError"),
    (RuntimeError("boom"), "RuntimeError"),
])
def test_call_reports_other_exceptions_as_failed(exc, name):
    def buggy():
        raise exc

    result, feedback = call("and gate", buggy, hint="check the shapes")
    assert result is None
    assert feedback.solved is True and feedback.passed is False and not feedback
    assert feedback.message == f"your function raised {name}: {exc}"
    assert feedback.hint == "check the shapes"
    assert str(feedback).startswith("[not yet right] and gate")
    assert "Hint: check the shapes" in str(feedback)


def test_call_does_not_swallow_keyboard_interrupt():
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        call("ex", interrupted)


@pytest.mark.parametrize("value, type_name", [(42, "int"), ("perceptron", "str"), (None, "NoneType")])
def test_call_on_a_non_callable_fails(value, type_name):
    result, feedback = call("and gate", value, 1, 2, hint="pass the function itself")
    assert result is None
    assert feedback.solved is True and feedback.passed is False
    assert feedback.message == f"expected a function, got {type_name}"
    assert feedback.hint == "pass the function itself"


def test_framework_is_reexported_on_nn_checks():
    for name in ("Feedback", "call", "passed", "failed"):
        assert name in nn.checks.__all__
    assert nn.checks.call is call and nn.checks.Feedback is Feedback


@pytest.mark.parametrize("module", ["perceptron", "representations", "activation_functions",
                                    "backprop"])
def test_each_chapters_checks_are_exported_flat(module):
    import importlib

    checks = importlib.import_module(f"nnlib.checks.{module}")
    assert checks.__all__, f"nnlib.checks.{module} exports no check"
    for name in checks.__all__:
        assert getattr(nn.checks, name) is getattr(checks, name)
        assert name in nn.checks.__all__


def test_in_case_names_the_case_but_keeps_not_solved():
    from nnlib.checks import in_case

    wrong = in_case(failed("ex", "got 3", "look again"), "x = 2")
    assert not wrong.passed and wrong.message == "for x = 2: got 3" and wrong.hint == "look again"
    stub = not_solved()
    assert in_case(stub, "x = 2") is stub


def test_as_array_converts_numbers_and_refuses_the_rest():
    from nnlib.checks import as_array

    assert as_array([1, 2]).dtype == float and as_array([1, 2]).tolist() == [1.0, 2.0]
    assert as_array("abc") is None and as_array({"a": 1}) is None


def test_wrong_count_accepts_the_right_number_of_items_only():
    from nnlib.checks import wrong_count

    assert wrong_count("ex", (1, 2), 2, "the pair (a, b)", "h") is None
    short = wrong_count("ex", [1], 2, "the pair (a, b)", "return a, b")
    assert not short.passed and short.message == "expected the pair (a, b), got list of length 1."
    assert short.hint == "return a, b"
    assert wrong_count("ex", 3.0, 2, "the pair (a, b)", "h").message.endswith("got float.")


def test_show_and_close():
    from nnlib.checks import close, show
    assert show([1.234567, 2, 3, 4, 5]) == "[1.2346, 2, 3, 4, ...]"
    assert show([1.23456789012], limit=3, digits=None) == "[1.23456789]"
    assert close(np.ones(2), np.ones(2) + 1e-9, rtol=1e-7, atol=0.0)
    assert not close(np.ones(2), np.ones((2, 1)), rtol=1e-7, atol=0.0)  # shapes differ
    assert not close(np.array([np.nan]), np.array([np.nan]), rtol=1e-7, atol=0.0)


def test_pair_verdict_names_the_slip_or_the_numbers():
    from nnlib.checks import pair_verdict
    ok = (np.array([[1.0], [2.0]]), 3.0)
    slips = [(-ok[0], -3.0, "the sign is flipped", "subtract")]
    assert pair_verdict("f", "case", ok, ok, slips) is None
    flipped = pair_verdict("f", "case", (-ok[0], -3.0), ok, slips)
    assert not flipped.passed and "w and b wrong, the sign is flipped" in flipped.message
    assert flipped.hint == "subtract"
    b_only = pair_verdict("f", "case", (ok[0], -3.0), ok, slips, hint="h")
    assert "w is right but b is wrong, the sign is flipped" in b_only.message
    other = pair_verdict("f", "case", (ok[0] * 2, 3.0), ok, slips, names=("dw", "db"), hint="h")
    assert other.message == "for case: dw wrong; dw expected [1, 2], got [2, 4]." and other.hint == "h"

"""Shared pieces of the tests of the chapters' exercise checks (tests/test_checks_*.py)."""

from nnlib.checks import Feedback


def stub(*args, **kwargs):
    """A student's unsolved exercise: the stub of a student notebook."""
    raise NotImplementedError


def crashes(*args, **kwargs):
    """A student's function with a bug that raises."""
    return {}["missing key"]


def assert_failed(feedback, *phrases, hint=True):
    """The check rejected the answer, saying each of ``phrases`` (and giving a hint)."""
    assert isinstance(feedback, Feedback)
    assert not feedback.passed and feedback.solved, str(feedback)
    text = str(feedback)
    assert text.startswith("[not yet right]"), text
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in: {text}"
    if hint:
        assert "Hint:" in text, text


def assert_not_solved(feedback):
    assert not feedback.passed and not feedback.solved
    assert str(feedback).startswith("[not solved yet]")


def assert_survives_a_crash(check):
    assert_failed(check(crashes), "raised KeyError")

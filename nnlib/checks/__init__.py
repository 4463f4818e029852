"""Exercise checks: immediate feedback on a student's answer.

Every check takes the student's function (or values), runs it on cases whose right answers
nnlib knows, and returns a :class:`Feedback` that prints as a verdict, what was wrong and a
hint. A function that still raises ``NotImplementedError`` (the stub of a student notebook)
gets "not solved yet" instead of an error. The chapters' hidden cells assert
``feedback.passed`` on the reference solutions, so a check that rejects a right answer fails
the test suite.

The checks of each chapter live in their own module and are re-exported here, so a notebook
calls ``nn.checks.<name>(...)``. A check calls the student's functions only through
:func:`call`: the instructor's grader records those calls in the student's kernel and answers
them from the record when it judges (:mod:`nnlib.instructor.record`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feedback:
    """The verdict of one check."""

    exercise: str
    passed: bool
    message: str
    hint: str = ""
    solved: bool = True  # False while the student's code raises NotImplementedError

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if not self.solved:
            head = f"[not solved yet] {self.exercise}"
        elif self.passed:
            head = f"[correct] {self.exercise}"
        else:
            head = f"[not yet right] {self.exercise}"
        lines = [head, f"  {self.message}"]
        if self.hint and not self.passed:
            lines.append(f"  Hint: {self.hint}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = "#1e7d32" if self.passed else ("#7a7a7a" if not self.solved else "#b3261e")
        hint = (f"<br><em>Hint:</em> {html.escape(self.hint)}"
                if self.hint and not self.passed else "")
        first = html.escape(str(self).splitlines()[0])
        return (f'<div class="nn-check" style="border-left:4px solid {colour};padding:4px 8px">'
                f"<strong>{first}</strong><br>{html.escape(self.message)}{hint}</div>")


def passed(exercise: str, message: str) -> Feedback:
    return Feedback(exercise, True, message)


def failed(exercise: str, message: str, hint: str = "") -> Feedback:
    return Feedback(exercise, False, message, hint)


#: Set by :mod:`nnlib.instructor.record` while a grader collects a student's answers (in their
#: kernel) or judges them (in a process that ran no student code): then every call of a
#: student's function goes through it. Checks call student functions only through
#: :func:`call`, and hand them library functions to watch only through :func:`observed`.
_tape = None


def observed(name: str, fn):
    """``fn``, a function that a check puts where the student's code will call it (such as a
    recording ``nn.perceptron.perceptron``), as the grader's tape must see it."""
    return fn if _tape is None else _tape.observed(name, fn)


def call(exercise: str, fn, *args, hint: str = "", **kwargs):
    """Run the student's ``fn(*args, **kwargs)``.

    Returns ``(result, None)``, or ``(None, feedback)`` when it cannot be judged: not callable,
    not implemented yet, or raised an exception (reported with its type and message).
    """
    if not callable(fn):
        return None, failed(exercise, f"expected a function, got {type(fn).__name__}", hint)
    try:
        if _tape is not None:  # grading: recorded, or answered from a record
            return _tape.invoke(fn, args, kwargs), None
        return fn(*args, **kwargs), None
    except NotImplementedError:
        return None, Feedback(
            exercise, False, "the function still raises NotImplementedError: replace the stub "
            "with your code and run the check again.", hint, solved=False,
        )
    except Exception as exc:  # the student's bug, reported rather than raised
        return None, failed(exercise, f"your function raised {type(exc).__name__}: {exc}", hint)


def in_case(feedback: Feedback, what: str) -> Feedback:
    """``feedback`` (from :func:`call`) with the case it happened in; "not solved" stays."""
    if not feedback.solved:
        return feedback
    return failed(feedback.exercise, f"for {what}: {feedback.message}", feedback.hint)


def as_array(value):
    """``value`` as a float array, or None if it is not numeric."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def show(arr, limit: int = 4, digits: int | None = 4) -> str:
    """A short text of the first ``limit`` numbers of ``arr``, rounded to ``digits`` decimals
    (None: ten significant digits, for checks that tell close numbers apart)."""
    flat = np.asarray(arr, dtype=float).ravel()
    if digits is None:
        text = ", ".join(f"{v:.10g}" for v in flat[:limit])
    else:
        text = ", ".join(f"{v:g}" for v in np.round(flat[:limit], digits))
    return f"[{text}{', ...' if flat.size > limit else ''}]"


def close(a, b, rtol: float, atol: float) -> bool:
    """Same shape and equal within ``rtol``/``atol`` (NaN never is)."""
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def pair_verdict(exercise: str, what: str, got, right, slips, names=("w", "b"),
                 rtol: float = 1e-7, atol: float = 1e-10, hint: str = ""):
    """Judge a returned pair ``(array, number)`` such as ``(w, b)`` or ``(dw, db)``.

    ``got`` and ``right`` are ``(array, float)`` pairs; ``slips`` lists typical mistakes as
    ``(wrong_array, wrong_number, what went wrong, how to fix it)``. Returns None when ``got``
    is right, else a failed Feedback naming the slip it matches or the numbers that differ.
    """
    (a, x), (a_ok, x_ok) = got, right
    vec, num = names
    a_right, x_right = close(a, a_ok, rtol, atol), bool(np.isclose(x, x_ok, rtol=rtol, atol=atol))
    if a_right and x_right:
        return None
    for a_bad, x_bad, message, fix in slips:
        if close(a, a_bad, rtol, atol) and (x_right or np.isclose(x, x_bad, rtol=rtol)):
            which = f"{vec} and {num}" if not x_right else vec
            return failed(exercise, f"for {what}: {which} wrong, {message} ({vec} expected "
                          f"{show(a_ok)}, got {show(a)}).", fix)
        if a_right and np.isclose(x, x_bad, rtol=rtol, atol=atol):
            return failed(exercise, f"for {what}: {vec} is right but {num} is wrong, {message} "
                          f"({num} expected {x_ok:.6g}, got {x:.6g}).", fix)
    parts = []
    if not a_right:
        parts.append(f"{vec} expected {show(a_ok)}, got {show(a)}")
    if not x_right:
        parts.append(f"{num} expected {x_ok:.6g}, got {x:.6g}")
    which = " and ".join(p.split(" ", 1)[0] for p in parts)
    return failed(exercise, f"for {what}: {which} wrong; " + "; ".join(parts) + ".", hint)


def returned_array(exercise: str, got, what: str, hint: str,
                   none_hint: str = "end the function with a `return` of the array you computed."):
    """``(array, None)`` for a numeric return value ``got``; ``(None, feedback)`` if the
    student's function returned None or something that is not an array of numbers."""
    if got is None:
        return None, failed(exercise, f"for {what} your function returned None.", none_hint)
    arr = as_array(got)
    if arr is None:
        return None, failed(exercise, f"for {what} your function returned "
                            f"{type(got).__name__}, not an array of numbers.", hint)
    return arr, None


def wrong_count(name: str, got, count: int, expected: str, hint: str):
    """A failed Feedback if ``got`` is not a tuple/list of ``count`` items, else None.

    ``expected`` describes the items, e.g. ``"the pair (dw, db)"``.
    """
    if isinstance(got, (tuple, list)) and len(got) == count:
        return None
    length = f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""
    return failed(name, f"expected {expected}, got {type(got).__name__}{length}.", hint)


__all__ = ["Feedback", "call", "failed", "passed"]

# Each chapter's checks (modules of their own, re-exported flat: nn.checks.<name>).
from . import (activation_functions, backprop, gradient_descent, initializers,  # noqa: E402
               optimizers, overfitting, perceptron, representations)
from .activation_functions import *  # noqa: E402,F401,F403
from .backprop import *  # noqa: E402,F401,F403
from .gradient_descent import *  # noqa: E402,F401,F403
from .initializers import *  # noqa: E402,F401,F403
from .optimizers import *  # noqa: E402,F401,F403
from .overfitting import *  # noqa: E402,F401,F403
from .perceptron import *  # noqa: E402,F401,F403
from .representations import *  # noqa: E402,F401,F403

__all__ += (perceptron.__all__ + representations.__all__ + activation_functions.__all__
            + backprop.__all__ + gradient_descent.__all__ + optimizers.__all__
            + initializers.__all__ + overfitting.__all__)

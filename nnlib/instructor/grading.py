"""Grade a folder of submitted notebooks against the masters' checks, so that no submission
can reach a verdict its code does not earn.

Two stages, in two kinds of process (the threat model is in the instructor guide):

1. **Collect** (:mod:`.runner`, one worker process per submission, ``--jobs`` at a time). The
   submission is copied into a fresh scratch directory and executed there by nbclient with a
   time budget for the whole notebook, a cap on its outputs, ``allow_errors`` and a kernel
   that is killed when the budget runs out. One cell is appended: it runs every code
   exercise's check, taken from the **master** notebook, in the recording mode of
   :mod:`.record`, and writes what the student's functions were asked and answered as plain
   data to a file. The kernel's verdicts, outputs and files are never read as verdicts.
2. **Judge** (this process, which never runs student code). Each master check runs again,
   with stand-ins for the student's functions that answer only the recorded questions
   (:func:`.record.judge_one`). Its Feedback is the verdict.

The chapter comes from ``--chapter``, the file name or the masters folder, never from the
submission's metadata. Results: a long CSV (:func:`write_csv`), a wide CSV for a gradebook
(:func:`write_wide_csv`) and one feedback file per student (:func:`write_feedback`).

This is not a sandbox: the student's code runs with the instructor's permissions.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import record
from .notebooks import exercise_table, master_paths

MAX_NOTEBOOK_BYTES = 20 * 2 ** 20
GRACE = 90  # seconds a worker may take beyond the notebook's budget (kernel start, judging)


@dataclass
class Row:
    """One line of the grades CSV (``chapter`` and ``hint`` go to the other outputs)."""

    student: str
    exercise: str
    passed: bool
    message: str
    hint: str = ""
    chapter: str | None = None


def submissions(folder: Path) -> list:
    """``(student, path)`` pairs: ``folder/<student>.ipynb`` or ``folder/<student>/*.ipynb``."""
    folder = Path(folder)
    found = [(p.stem, p) for p in folder.glob("*.ipynb")]
    found += [(p.parent.name, p) for p in folder.glob("*/*.ipynb")
              if ".ipynb_checkpoints" not in p.parts]
    return sorted(found, key=lambda pair: (pair[0], pair[1].name))


def masters_by_chapter(book: Path) -> dict:
    """``{chapter: [exercise dicts]}`` for every master notebook of ``book``."""
    return {p.stem: exercise_table(nbformat.read(p, as_version=4)) for p in master_paths(book)}


def chapter_of(path: Path, masters: dict, chapter: str | None = None) -> str | None:
    """The master a submission is graded against: ``chapter`` (``--chapter``), else the one
    whose number starts the file name (``01_mine.ipynb``), else the only master there is.
    The submission's own metadata is not read: the student could edit it."""
    if chapter is not None:
        return chapter if chapter in masters else None
    number = path.stem[:3] if path.stem[:2].isdigit() else None  # "01_my_work" -> "01_"
    found = next((c for c in masters if path.stem.startswith(c) or c[:3] == number), None)
    if found is None and len(masters) == 1:
        found = next(iter(masters))
    return found


def _not_graded(student, path, message, chapter=None):
    return [Row(student, path.name, False, message, chapter=chapter)]


def verdict_rows(student: str, chapter: str, exercises: list, data: bytes) -> list:
    """Judge the collected answers ``data`` on the master's ``exercises``: one row each."""
    try:
        recorded = record.read_record(data)
    except ValueError as exc:
        return None, f"the answers could not be read: {exc}; not graded"
    rows = []
    for e in exercises:
        if not e["check"]:
            continue
        entry = recorded["exercises"].get(e["label"])
        if entry is None:
            feedback, error = None, "the grading cell recorded nothing for it"
        else:
            feedback, error = record.judge_one(e["check"], entry)
        if feedback is None or not hasattr(feedback, "passed"):
            rows.append(Row(student, e["label"], False,
                            f"check could not run: {error or 'it returned no verdict'}",
                            chapter=chapter))
            continue
        verdict = ("correct" if feedback.passed else "not yet right" if feedback.solved
                   else "not solved yet")
        rows.append(Row(student, e["label"], bool(feedback.passed),
                        f"{verdict}: {feedback.message}", feedback.hint, chapter))
    return rows, None


def _job(student, path, masters, chapter, timeout, max_output, scratch: Path, index: int):
    """Prepare one submission: ``(job dict, None)`` or ``(None, rows)`` if it cannot run."""
    found = chapter_of(path, masters, chapter)
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            return None, _not_graded(student, path, f"the file has {size} bytes, more than "
                                     f"{MAX_NOTEBOOK_BYTES}; not graded", found)
        nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except Exception as exc:  # not JSON, not a notebook, not UTF-8
        return None, _not_graded(student, path, f"not a valid notebook ({type(exc).__name__}); "
                                 "not graded", found)
    if found is None:
        why = (f"--chapter {chapter} is not a master" if chapter else "the file name matches "
               "no master and there is more than one (pass --chapter)")
        return None, _not_graded(student, path, f"unknown chapter ({why}); not graded")
    box = scratch / f"{index:04d}"
    (box / "work").mkdir(parents=True)
    shutil.copy2(path, box / "work" / path.name)
    exercises = [[e["label"], e["check"]] for e in masters[found] if e["check"]]
    job = {"notebook": str(box / "work" / path.name), "workdir": str(box / "work"),
           "exercises": exercises, "timeout": timeout, "max_output": max_output,
           "record": str(box / "work" / ".nnlib-answers.json"),
           "result": str(box / "result.json")}
    (box / "job.json").write_text(json.dumps(job), encoding="utf-8")
    return dict(job, student=student, path=path, chapter=found, box=box), None


def _head(path, limit: int) -> bytes:
    """At most ``limit`` bytes of a file the student's code could have written (or grown)."""
    with open(path, "rb") as handle:
        return handle.read(limit)


def _finish(job, masters, problem=None) -> list:
    """The rows of a job whose worker has ended (or was stopped: ``problem``)."""
    student, path, chapter = job["student"], job["path"], job["chapter"]
    result = {}
    if problem is None:
        try:
            result = json.loads(_head(job["result"], 2 ** 20))
            if not isinstance(result, dict):
                raise ValueError("not a result")
        except (OSError, ValueError, RecursionError):
            problem = "the grader's worker ended without a result; not graded"
    problem = problem or result.get("problem")
    if problem:
        return _not_graded(student, path, str(problem), chapter)
    try:
        data = _head(job["record"], record.MAX_RECORD_BYTES + 1)
    except OSError:
        note = f" ({str(result['collector_error'])[:500]})" if result.get("collector_error") else ""
        return _not_graded(student, path, f"the grading cell wrote no answers{note}; not "
                           "graded", chapter)
    rows, problem = verdict_rows(student, chapter, masters[chapter], data)
    if problem:
        return _not_graded(student, path, problem, chapter)
    errors = result.get("errors")
    errors = [str(e)[:1000] for e in errors[:50]] if isinstance(errors, list) else []
    return rows + [Row(student, path.name, False, e, chapter=chapter) for e in errors]


def _start(job, jobs: int):
    # the worker and the kernel import this nnlib, so the checks they run ask the judge's
    # questions (another installed version would record other calls)
    here = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join([here] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    env = dict(os.environ, NNLIB_GRADER_THREADS="1" if jobs > 1 else "", PYTHONPATH=path)
    return subprocess.Popen([sys.executable, "-m", "nnlib.instructor.runner",
                             str(job["box"] / "job.json")], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _stop(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


class Progress:
    """Submissions done, time left and failures so far, on ``stream`` (stderr): a bar redrawn
    in place on a terminal, one plain line per submission otherwise."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()

    def update(self, student: str, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * (self.total - self.done)
        text = (f"{self.done}/{self.total} graded, about {left:.0f} s left, "
                f"{self.failed} not graded")
        if self.tty:
            filled = round(20 * self.done / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (20 - filled)}] {text}  ")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{text} ({student}{'' if ok else ': not graded'})\n")
        self.stream.flush()


def grade(folder: Path, book: Path, timeout: float = 120, jobs: int | None = None,
          chapter: str | None = None, max_output: int = 2 ** 20, progress=None) -> list:
    """Grade every submission in ``folder`` against the masters in ``book``; return rows.

    ``jobs`` submissions run at once (default: the number of cores); ``progress`` is a
    :class:`Progress`-like object with ``update(student, ok)``, or None.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    masters = masters_by_chapter(book)
    record.preload_checks()  # the judge's code is loaded before any student code runs
    pairs = submissions(folder)
    results = {}
    with tempfile.TemporaryDirectory(prefix="nnlib-grading-") as scratch:
        pending = []
        for index, (student, path) in enumerate(pairs):
            job, rows = _job(student, path, masters, chapter, timeout, max_output,
                             Path(scratch), index)
            if rows is not None:
                results[index] = rows
                if progress:
                    progress.update(student, False)
            else:
                pending.append((index, job))
        running = {}
        while pending or running:
            while pending and len(running) < jobs:
                index, job = pending.pop(0)
                running[index] = (job, _start(job, jobs), time.monotonic())
            time.sleep(0.05)
            for index, (job, process, started) in list(running.items()):
                problem = None
                if process.poll() is None:
                    if time.monotonic() - started < timeout + GRACE:
                        continue
                    _stop(process)
                    problem = (f"stopped by the grader after {timeout + GRACE:g} s; "
                               "not graded")
                del running[index]
                rows = _finish(job, masters, problem)
                results[index] = rows
                if progress:
                    progress.update(job["student"], not rows[0].message.endswith("not graded"))
    return [row for index in sorted(results) for row in results[index]]


def write_csv(rows: list, target: Path) -> None:
    """The long CSV: student, exercise, passed, message."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "exercise", "passed", "message"])
        writer.writerows([r.student, r.exercise, r.passed, r.message] for r in rows)


def _exercise_columns(rows: list, masters: dict) -> list:
    chapters = sorted({r.chapter for r in rows if r.chapter in masters})
    return [e["label"] for c in chapters for e in masters[c] if e["check"]]


def wide_table(rows: list, masters: dict) -> list:
    """The gradebook: a header, then per student 1/0 per exercise, the total, the percent.

    The columns are the code exercises of every chapter graded, in the masters' order; an
    exercise a student's notebook did not get graded on counts 0.
    """
    columns = _exercise_columns(rows, masters)
    table = [["student"] + columns + ["total", "percent"]]
    for student in sorted({r.student for r in rows}):
        passed = {r.exercise for r in rows if r.student == student and r.passed}
        marks = [int(label in passed) for label in columns]
        percent = 100 * sum(marks) / len(columns) if columns else 0.0
        table.append([student] + [str(m) for m in marks] + [str(sum(marks)), f"{percent:.1f}"])
    return table


def write_wide_csv(rows: list, masters: dict, target: Path) -> None:
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(wide_table(rows, masters))


def feedback_text(student: str, rows: list, masters: dict) -> str:
    """A student's feedback in Markdown: every exercise with its verdict, message and hint,
    then what went wrong with their notebooks (cells that raised, notebooks not graded)."""
    mine = [r for r in rows if r.student == student]
    graded = [r for r in mine if not r.exercise.endswith(".ipynb")]
    total = len(_exercise_columns(mine, masters))
    score = sum(r.passed for r in graded)
    lines = [f"# Feedback for {student}", "",
             f"{score} of {total} exercises passed." if total else "No exercise was graded.", ""]
    for r in graded:
        lines += [f"## {r.exercise}: {'passed' if r.passed else 'not passed'}", "", r.message, ""]
        if r.hint and not r.passed:
            lines += [f"Hint: {r.hint}", ""]
    problems = [r for r in mine if r.exercise.endswith(".ipynb")]
    if problems:
        lines += ["## Your notebooks", ""]
        lines += [f"- {r.exercise}: {r.message}" for r in problems] + [""]
    return "\n".join(lines)


def write_feedback(rows: list, masters: dict, folder: Path) -> list:
    """One ``<student>.md`` per student in ``folder``; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for student in sorted({r.student for r in rows}):
        target = folder / f"{student}.md"
        target.write_text(feedback_text(student, rows, masters), encoding="utf-8")
        written.append(target)
    return written


def summary(rows: list) -> str:
    """A plain-text table: per student, exercises passed of those graded, and the notebooks
    that were not graded or had a cell that raised."""
    students = sorted({r.student for r in rows})
    table = [("student", "passed", "graded", "notebook problems")]
    for s in students:
        mine = [r for r in rows if r.student == s]
        notebook = [r for r in mine if r.exercise.endswith(".ipynb")]  # whole-notebook rows
        graded = [r for r in mine if r not in notebook]
        problems = [f"{r.exercise} ({'not graded' if r.message.endswith('not graded') else 'a cell raised'})"
                    for r in notebook]
        table.append((s, str(sum(r.passed for r in graded)), str(len(graded)),
                      ", ".join(problems) or "-"))
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)

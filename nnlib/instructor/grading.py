"""Grade a folder of submitted notebooks against the masters' checks.

Each submission is copied into a fresh scratch directory of its own and executed there by
nbclient with a time budget for the whole notebook, ``allow_errors`` (a cell that raises does
not stop the later ones) and a kernel that is killed when the budget runs out. One cell is
appended: it evaluates every code exercise's check, taken from the **master** notebook (not
from the submission, whose check cells the student may have changed or deleted), on the
student's functions and prints the verdicts as one JSON line. The student's own check outputs
are ignored.

This is not a sandbox: the student's code runs with the instructor's permissions.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .notebooks import exercise_table, master_paths

MARKER = "NNLIB-GRADES:"

GRADER = '''\
def _nnlib_grade(exercises):
    """Added by nnlib.instructor: run each exercise's check on the student's functions."""
    import json
    import nnlib
    names = dict(globals(), nn=nnlib)
    rows = []
    for label, check in exercises:
        try:
            feedback = eval(check, names)
            verdict = ("correct" if feedback.passed else "not yet right" if feedback.solved
                       else "not solved yet")
            rows.append([label, bool(feedback.passed), f"{verdict}: {feedback.message}"])
        except Exception as exc:
            rows.append([label, False, f"check could not run: {type(exc).__name__}: {exc}"])
    print(MARKER + json.dumps(rows))
_nnlib_grade(EXERCISES)
'''


@dataclass
class Row:
    """One line of the grades CSV."""

    student: str
    exercise: str
    passed: bool
    message: str


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


def chapter_of(nb, path: Path, masters: dict) -> str | None:
    """The chapter a submission belongs to: its ``nnlib`` metadata, else its file name."""
    chapter = nb.metadata.get("nnlib", {}).get("chapter")
    if chapter in masters:
        return chapter
    number = path.stem[:3] if path.stem[:2].isdigit() else None  # "01_my_work" -> "01_"
    return next((c for c in masters if path.stem.startswith(c) or c[:3] == number), None)


def grading_cell(exercise_list: list):
    pairs = [[e["label"], e["check"]] for e in exercise_list if e["check"]]
    source = GRADER.replace("MARKER", repr(MARKER)).replace("EXERCISES", repr(pairs))
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["nnlib-grader"]})


def run_notebook(nb, cwd: Path, timeout: float) -> str | None:
    """Execute ``nb`` in ``cwd`` within ``timeout`` seconds in all; None or what went wrong."""
    deadline = time.monotonic() + timeout
    running = {}

    def remaining(cell):  # nbclient asks before each cell: the notebook's budget left
        running["cell"] = cell
        return max(1, math.ceil(deadline - time.monotonic()))

    client = NotebookClient(nb, timeout_func=remaining, allow_errors=True,
                            kernel_name="python3", shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log lines are noise
    except CellTimeoutError:
        index = nb.cells.index(running["cell"]) if running.get("cell") in nb.cells else "?"
        return f"timed out after {timeout:g} s (cell {index} was running); not graded"
    except DeadKernelError:
        return "the kernel died (the notebook crashed it); not graded"
    except Exception as exc:  # e.g. the kernel did not start
        return f"could not be run ({type(exc).__name__}: {exc}); not graded"
    return None


def grade_notebook(student: str, path: Path, masters: dict, timeout: float,
                   scratch: Path) -> list:
    """The rows of one submission; any failure becomes a row, never an exception."""
    whole = path.name
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # not JSON, not a notebook
        return [Row(student, whole, False, f"not a valid notebook ({type(exc).__name__}); "
                    "not graded")]
    chapter = chapter_of(nb, path, masters)
    if chapter is None:
        return [Row(student, whole, False, "unknown chapter (no nnlib metadata and the file "
                    "name matches no master); not graded")]
    workdir = Path(tempfile.mkdtemp(prefix=f"{student}-", dir=scratch))
    shutil.copy2(path, workdir / path.name)
    nb.cells = [c for c in nb.cells if "nnlib-grader" not in c.metadata.get("tags", [])]
    nb.cells.append(grading_cell(masters[chapter]))
    problem = run_notebook(nb, workdir, timeout)
    if problem:
        return [Row(student, whole, False, problem)]
    lines = [line for out in nb.cells[-1].get("outputs", []) if out.get("name") == "stdout"
             for line in out.get("text", "").splitlines() if line.startswith(MARKER)]
    if not lines:
        return [Row(student, whole, False, "the grading cell printed no verdicts; not graded")]
    rows = [Row(student, label, passed, message)
            for label, passed, message in json.loads(lines[-1][len(MARKER):])]
    return rows + [Row(student, whole, False, error) for error in cell_errors(nb)]


def cell_errors(nb) -> list:
    """One message per cell of the executed ``nb`` that raised (the grading cell excluded)."""
    found = []
    for index, cell in enumerate(nb.cells[:-1]):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {index} raised {out.get('ename')}: {out.get('evalue')}; "
                             "the cells after it still ran")
    return found


def grade(folder: Path, book: Path, timeout: float = 120, log=print) -> list:
    """Grade every submission in ``folder`` against the masters in ``book``; return rows."""
    masters = masters_by_chapter(book)
    rows = []
    with tempfile.TemporaryDirectory(prefix="nnlib-grading-") as scratch:
        for student, path in submissions(folder):
            log(f"grading {student}: {path.name}")
            rows += grade_notebook(student, path, masters, timeout, Path(scratch))
    return rows


def write_csv(rows: list, target: Path) -> None:
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "exercise", "passed", "message"])
        writer.writerows([r.student, r.exercise, r.passed, r.message] for r in rows)


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

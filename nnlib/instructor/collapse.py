"""Solutions and hidden cells open collapsed in Jupyter, under a one-line title.

A reader who opens a chapter in JupyterLab, Notebook 7 or Colab should meet the lesson, not
every exercise's solution and every hidden assertion as plain code. This module marks the
code cells that the book does not show as lesson code:

* cells tagged ``solution`` (an exercise's reference answer),
* cells tagged ``remove-cell`` (the hidden assertions that check the text's claims, and the
  Colab install cell at the top of each chapter),

with the metadata each frontend reads and a first line that says what the cell is:

* ``"jupyter": {"source_hidden": true}``: JupyterLab 4 and Notebook 7 collapse the input
  and show its first line in the placeholder (click it to open the cell);
* ``"cellView": "form"`` and a first line ``# @title ...``: Colab shows the title and hides
  the code (its form view; "Show code" opens it).

The title line is a comment, so the cell runs as before. The book hides ``remove-cell``
cells anyway and drops the ``# @title`` line of the solutions it shows
(``book/_ext/nnbook.py``); the student edition replaces solutions by stubs, which are not
collapsed (:func:`expand`). Authors run ``python -m nnlib.instructor collapse`` after adding
an exercise or a hidden cell; ``tests/test_collapse.py`` fails until they have.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from .notebooks import exercises, tags

TITLE = "# @title "


def title_of(nb, index: int, labels: dict | None = None) -> str | None:
    """The ``# @title`` line cell ``index`` of ``nb`` should start with, or None (shown)."""
    cell = nb.cells[index]
    if cell.cell_type != "code":
        return None
    if "solution" in tags(cell):
        labels = labels if labels is not None else _exercise_titles(nb)
        name = labels.get(index)
        what = f"Solution of the exercise '{name}'" if name else "Solution of the exercise"
        return f"{TITLE}{what} (try it yourself first)"
    if "remove-cell" in tags(cell):
        if "google.colab" in cell.source:
            return f"{TITLE}Colab only: installs nnlib there (does nothing elsewhere)"
        return f"{TITLE}Hidden check: the book's claims, tested whenever the notebook runs"
    return None


def _exercise_titles(nb) -> dict:
    return {i: e.title for e in exercises(nb) for i in e.solution_cells}


def strip_title(source: str) -> str:
    """``source`` without its ``# @title`` first line (if it has one)."""
    first, _, rest = source.partition("\n")
    return rest if first.startswith(TITLE) else source


def collapse(nb) -> int:
    """Collapse the solution and hidden cells of ``nb`` in place; return how many changed.

    Idempotent: a cell already collapsed under the right title is left as it is; a stale
    title is replaced; no other cell is touched except that a stray collapse (a cell that
    is not hidden from the book but carries this metadata) is undone.
    """
    labels = _exercise_titles(nb)
    changed = 0
    for index, cell in enumerate(nb.cells):
        before = (cell.source, copy.deepcopy(dict(cell.metadata)))
        title = title_of(nb, index, labels)
        if title is None:
            expand(cell)
        else:
            cell.source = f"{title}\n{strip_title(cell.source)}"
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            cell.metadata["cellView"] = "form"
        changed += (cell.source, dict(cell.metadata)) != before
    return changed


def expand(cell) -> None:
    """Undo :func:`collapse` on one cell (its title line and metadata)."""
    if cell.cell_type == "code":
        cell.source = strip_title(cell.source)
    jupyter = cell.metadata.get("jupyter")
    if isinstance(jupyter, dict):
        jupyter.pop("source_hidden", None)
        if not jupyter:
            del cell.metadata["jupyter"]
    cell.metadata.pop("cellView", None)


def collapse_files(paths, log=print) -> int:
    """Collapse the notebooks at ``paths`` in place; return how many cells changed."""
    total = 0
    for path in map(Path, paths):
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(f"collapse: expected .ipynb files, got {str(path)!r}")
        nb = nbformat.read(path, as_version=4)
        changed = collapse(nb)
        if changed:
            nbformat.write(nb, path)
        log(f"{path}: {changed} cell{'s' * (changed != 1)} changed")
        total += changed
    return total

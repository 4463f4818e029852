"""Solutions and hidden cells open collapsed in Jupyter and Colab (nnlib.instructor.collapse).

The chapters in ``book/`` must be stored collapsed (an author who adds an exercise runs
``python -m nnlib.instructor collapse``); the student edition's stubs must open expanded;
the book must not show the ``# @title`` line. That JupyterLab and Notebook 7 really render
these cells collapsed is checked in a browser (tests/browser/test_jupyterlab.py).
"""

import copy

import nbformat
import pytest

from nnlib.instructor import collapse as col
from nnlib.instructor.__main__ import main
from nnlib.instructor.notebooks import student_notebook, tags

from test_instructor import MASTERS


def read(path):
    return nbformat.read(path, as_version=4)


def hidden_from_book(cell):
    return cell.cell_type == "code" and {"solution", "remove-cell"} & set(tags(cell))


def is_collapsed(cell):
    return (cell.metadata.get("jupyter", {}).get("source_hidden") is True
            and cell.metadata.get("cellView") == "form"
            and cell.source.startswith(col.TITLE))


@pytest.mark.parametrize("path", MASTERS, ids=lambda p: p.stem)
def test_chapters_are_stored_collapsed(path):
    nb = read(path)
    wrong = [i for i, c in enumerate(nb.cells) if is_collapsed(c) != bool(hidden_from_book(c))]
    assert not wrong, (
        f"{path.name}: cells {wrong} are collapsed but shown by the book, or hidden by the "
        "book but not collapsed; run `python -m nnlib.instructor collapse`")
    assert col.collapse(copy.deepcopy(nb)) == 0, f"{path.name}: collapse would change it"


@pytest.mark.parametrize("path", MASTERS, ids=lambda p: p.stem)
def test_titles_say_what_the_cell_is(path):
    nb = read(path)
    for cell in filter(hidden_from_book, nb.cells):
        title = cell.source.splitlines()[0]
        if "solution" in tags(cell):
            assert title.startswith("# @title Solution of the exercise '"), title
        elif "google.colab" in cell.source:
            assert "Colab only" in title
        else:
            assert "assert" in cell.source and title.startswith("# @title Hidden check"), title


def test_collapse_is_idempotent_and_expand_undoes_it():
    master = read(MASTERS[0])
    plain = copy.deepcopy(master)
    for cell in plain.cells:
        col.expand(cell)
    assert not any(is_collapsed(c) for c in plain.cells)
    assert all(not c.source.startswith(col.TITLE) for c in plain.cells)
    again = copy.deepcopy(plain)
    assert col.collapse(again) == sum(map(bool, map(hidden_from_book, plain.cells))) > 0
    assert again == master  # collapsing the expanded chapter gives the stored one back
    assert col.collapse(again) == 0


def test_a_stale_title_is_replaced_and_a_stray_collapse_undone():
    nb = read(MASTERS[0])
    solution = next(i for i, c in enumerate(nb.cells) if "solution" in tags(c))
    shown = next(i for i, c in enumerate(nb.cells)
                 if c.cell_type == "code" and not hidden_from_book(c))
    expected = nb.cells[solution].source
    nb.cells[solution].source = "# @title Old title\n" + col.strip_title(expected)
    nb.cells[shown].metadata["jupyter"] = {"source_hidden": True}
    nb.cells[shown].metadata["cellView"] = "form"
    assert col.collapse(nb) == 2
    assert nb.cells[solution].source == expected
    assert "jupyter" not in nb.cells[shown].metadata and "cellView" not in nb.cells[shown].metadata


def test_the_code_runs_unchanged_under_the_title():
    assert col.strip_title("# @title Hidden check: x\nassert 1\n") == "assert 1\n"
    assert col.strip_title("assert 1\n# @title not first\n") == "assert 1\n# @title not first\n"


@pytest.mark.parametrize("path", MASTERS, ids=lambda p: p.stem)
def test_student_stubs_open_expanded_and_hidden_cells_stay_collapsed(path):
    nb, _ = student_notebook(read(path), path.stem)
    stubs = [c for c in nb.cells if "exercise" in c.metadata.get("nnlib", {})]
    assert stubs, f"{path.name}: no exercise stub in the student edition"
    for cell in stubs:
        assert not is_collapsed(cell) and "jupyter" not in cell.metadata, cell.source[:80]
        assert not cell.source.startswith(col.TITLE)
    for cell in nb.cells:
        assert is_collapsed(cell) == bool(hidden_from_book(cell)), cell.source[:80]


def test_the_command_collapses_files_in_place(tmp_path, capsys):
    nb = read(MASTERS[1])
    for cell in nb.cells:
        col.expand(cell)
    target = tmp_path / MASTERS[1].name
    nbformat.write(nb, target)
    assert main(["collapse", str(target)]) == 0
    assert read(target) == read(MASTERS[1])
    assert "cells changed" in capsys.readouterr().out
    assert main(["collapse", str(tmp_path / "missing.ipynb")]) == 2
    assert "expected .ipynb files" in capsys.readouterr().err

"""The chapters in a real Jupyter frontend: JupyterLab (and Notebook 7) in Debian's Chromium.

The built site's explorers are precomputed; a student who runs a chapter gets live ipywidgets
instead (``nnlib.widgets._live``). These tests start ``jupyter lab`` on a scratch copy of
``book/*.ipynb`` and, for every chapter: open it, Run > Run All Cells, wait until every code
cell has run, and check that no output is an error, that no widget failed ("Error displaying
widget"), that every explorer of the chapter shows its controls, and that moving each of its
controls with the keyboard draws a new figure without an error. Console errors of the page
fail the test. They also check that solution and hidden check cells open collapsed, showing
their first line, in JupyterLab and in Notebook 7.

Helpers (server, page, explorers) are in ``jupyterlab.py``, shared with
``benchmarks/live_explorers.py``. ``NNBOOK_NOTEBOOK_DIR=/some/dir`` tests the notebooks of
that folder instead of ``book/`` (to show that the tests catch a defect, in a copy). The
kernels import ``nnlib`` from ``PYTHONPATH`` first, then from this repository: a broken copy
of ``nnlib`` on ``PYTHONPATH`` must make them fail. Without Chromium they skip (fail in CI),
as the other browser tests. They need no book build.
"""

from __future__ import annotations

import re
import time

import pytest

from .conftest import skip_or_fail, browser_problem
from .jupyterlab import (
    JupyterServer, LabPage, NotebookPage, chapters, collapsed_cells, explorer_cells, is_local,
    read_cells, scratch_book, source_of,
)

pytestmark = pytest.mark.browser

# Console messages of type "error" that are not a defect of the book or its widgets. Every
# other console error fails the test (whatever it is about: widget errors are logged there
# first, e.g. "Could not create a view for model id ..." or "Error: Class ... not found").
HARMLESS_CONSOLE = [
    # (none so far: JupyterLab 4.6 with the settings of JupyterServer logs no error while
    # it opens, runs and closes the chapters. Add a pattern here only with the reason.)
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``jupyter lab`` serving a scratch copy of the chapters; stopped (kernels too) after."""
    problem = browser_problem()
    if problem:
        skip_or_fail(problem)
    root = scratch_book(tmp_path_factory.mktemp("lab-book"))
    with JupyterServer(root, tmp_path_factory.mktemp("lab-state"), app="lab") as server:
        yield server


@pytest.fixture(scope="module")
def offline_context(browser):
    """A browser context whose requests may only reach the local Jupyter servers."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    allowed = []  # base URLs of the servers started by the tests
    blocked = []
    context.route(lambda url: not any(is_local(url, base) for base in allowed),
                  lambda route: (blocked.append(route.request.url), route.abort()))
    context.allowed, context.blocked = allowed, blocked
    yield context
    context.close()


# The collapsed state of each chapter's code cells as JupyterLab showed them on opening,
# recorded by the chapter tests (which open every chapter anyway) for the collapse test:
# opening a chapter takes 3-6 s. The collapse test opens the chapters not recorded.
OPENED_STATE: dict[str, list[dict]] = {}


@pytest.fixture(scope="module")
def lab_page(lab, offline_context):
    """JupyterLab loaded once in a page: the chapters are opened in it one after another,
    as a student opens them (loading JupyterLab takes 5-15 s; opening a notebook in it, 1)."""
    offline_context.allowed.append(lab.base_url)
    page = LabPage.load(offline_context, lab)
    yield page
    page.close()


def console_errors(notebook) -> list[str]:
    errors = [text for kind, text in notebook.console if kind == "error"]
    return [e for e in errors if not any(re.search(p, e) for p in HARMLESS_CONSOLE)] + [
        f"uncaught: {e}" for e in notebook.page_errors]


@pytest.mark.parametrize("chapter", chapters())
def test_chapter_runs_and_its_explorers_respond(lab, lab_page, chapter):
    specs = explorer_cells(lab.root / chapter)
    # Every call in the source is found (the count of "explore(" in the code cells).
    calls = sum(len(re.findall(r"\bexplore\(", source_of(c)))
                for c in read_cells(lab.root / chapter) if c["cell_type"] == "code")
    assert len(specs) == calls, f"{chapter}: {calls} explore( calls, {len(specs)} parsed"

    start = time.perf_counter()
    notebook = lab_page.open(chapter)
    try:
        opened = time.perf_counter() - start
        OPENED_STATE[chapter] = notebook.collapsed_inputs()  # before anything runs
        ran = notebook.run_all()  # raises with the error outputs if a cell fails
        rendered = notebook.page.locator(".jp-OutputArea-output .widget-vbox:has(.widget-output)")
        assert rendered.count() == len(specs), (
            f"{chapter}: {len(specs)} explorers in the source, {rendered.count()} in the page")
        timings = []
        for spec in specs:
            explorer = notebook.explorer(spec)
            where = explorer.where()
            shown = explorer.controls()
            assert list(shown) == list(spec.params), (
                f"{where}: controls {shown}, expected one per parameter {list(spec.params)}")
            for name, kind in spec.params.items():
                if kind != "?":
                    assert shown[name] == kind, f"{where}: {name} is a {shown[name]}, not a {kind}"
            # Sliders first: a dropdown can make a slider irrelevant (chapter 1: from zero
            # weights the perceptron's learning rate only scales them, the same mistakes).
            order = sorted(shown, key=lambda n: shown[n] == "dropdown")
            for name in order:
                move = explorer.move(name)
                what = (f"{where}: {move.key} on {shown[name]} {name} "
                        f"({move.before} -> {move.after})")
                assert not move.timeout, f"{what}: no new figure within 30 s"
                assert move.error is None, f"{what}: the output shows an error:\n{move.error}"
                assert move.after != move.before, f"{what}: the control did not change"
                assert move.changed, f"{what}: a new image, but the same as before"
                timings.append(f"{name} {move.ms:.0f} ms")
        problems = notebook.problems()
        assert problems == [], f"{chapter}: errors in the page:\n" + "\n".join(problems)
        errors = console_errors(lab_page) + console_errors(notebook)  # loading, then this one
        assert errors == [], f"{chapter}: console errors:\n" + "\n".join(errors)
        outside = lab_page.outside + notebook.outside
        assert outside == [], f"{chapter}: requests that would leave the machine: {outside}"
        print(f"{chapter}: opened in {opened:.1f} s, ran in {ran:.1f} s, "
              f"{len(specs)} explorers; moves: {', '.join(timings) or 'none'}")
    finally:
        notebook.close()


def check_collapsed(name: str, shown: list[dict], path) -> list[str]:
    """What is wrong with the collapsed state of the code cells (empty when right): solution
    and hidden check cells (tags solution, remove-cell) show only a placeholder with their
    first line, a ``# @title`` comment; every other code cell shows its code."""
    cells = read_cells(path)
    hidden = collapsed_cells(path)
    wrong = []
    for cell in shown:
        first = source_of(cells[cell["index"]]).split("\n", 1)[0].strip()
        where = f"{name} cell {cell['index']} ({first[:60]!r})"
        if cell["index"] in hidden:
            if not cell["collapsed"]:
                wrong.append(f"{where}: tagged {cells[cell['index']]['metadata'].get('tags')}, "
                             "but its code is shown (expected collapsed: metadata "
                             '"jupyter": {"source_hidden": true})')
            elif cell["text"] != first:
                wrong.append(f"{where}: the placeholder shows {cell['text']!r}, not its first line")
            elif first != hidden[cell["index"]]:
                wrong.append(f"{where}: collapsed, but its first line is not the title "
                             f"{hidden[cell['index']]!r} that says what the cell is")
        elif cell["collapsed"]:
            wrong.append(f"{where}: collapsed, but it is not a solution or a hidden check")
    return wrong


def test_jupyterlab_collapses_solutions_and_checks(lab, lab_page):
    wrong, hidden = [], 0
    for chapter in chapters():
        hidden += len(collapsed_cells(lab.root / chapter))
        if chapter not in OPENED_STATE:
            notebook = lab_page.open(chapter, kernel=False)
            try:
                OPENED_STATE[chapter] = notebook.collapsed_inputs()
            finally:
                notebook.close()
        wrong += check_collapsed(chapter, OPENED_STATE[chapter], lab.root / chapter)
    assert hidden > 0, "no code cell tagged solution or remove-cell in any chapter"
    assert wrong == [], f"{len(wrong)} code cells in the wrong state:\n" + "\n".join(wrong)


def test_notebook7_collapses_solutions_and_checks(offline_context, tmp_path):
    """One chapter, the one with the most such cells: Notebook 7 shows cells with
    JupyterLab's own cell widgets, so the metadata that JupyterLab honours in every chapter
    it honours too; what this checks is that it does (a page per notebook: 5-10 s each)."""
    root = scratch_book(tmp_path / "book")
    chapter = max(chapters(), key=lambda c: len(collapsed_cells(root / c)))
    with JupyterServer(root, tmp_path / "state", app="notebook") as server:
        offline_context.allowed.append(server.base_url)
        notebook = NotebookPage.open(offline_context, server, chapter, kernel=False)
        try:
            shown = notebook.collapsed_inputs()
        finally:
            notebook.close()
    wrong = check_collapsed(f"Notebook 7: {chapter}", shown, root / chapter)
    assert wrong == [], f"{len(wrong)} code cells in the wrong state:\n" + "\n".join(wrong)

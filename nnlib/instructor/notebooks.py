"""Read the exercises of a master notebook and write its student edition.

A master chapter marks an exercise with a sphinx-exercise directive and its code answer with a
cell tagged ``solution``::

    :::{exercise} Title            <- markdown; the same cell opens the gated solution:
    :label: ex-chapter-name
    ...
    :::
    :::{solution-start} ex-chapter-name
    :::
    [code cell tagged "solution"]  def f(...): ...
    :::{solution-end}              <- markdown (text before it belongs to the solution)
    :::
    nn.checks.check_f(f)           <- visible check cell
    assert nn.checks.check_f(f).passed   <- hidden cell tagged "remove-cell"

Text exercises use ``:::{solution} ex-... :class: dropdown`` instead. The student edition
replaces each solution cell by a stub (the ``def`` line and docstring of every function it
defines, then ``raise NotImplementedError``) or by the exercise's own starter code (a code
cell tagged ``starter``), drops all solution text, the hidden asserts and every hidden cell
that uses a solution's names, and clears the outputs.
"""

from __future__ import annotations

import ast
import copy
import io
import re
import tokenize
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

OPENER = re.compile(r"^(?P<fence>:{3,})\{(?P<name>[\w-]+)\}\s*(?P<arg>.*)$")
CLOSER = re.compile(r"^(?P<fence>:{3,})\s*$")
LABEL = re.compile(r"^:label:\s*(?P<label>\S+)")
HEADING = re.compile(r"^#{1,6}\s")
SOLUTION_DIRECTIVES = {"solution": None, "solution-start": True, "solution-end": False}


@dataclass
class Exercise:
    """One exercise of a master notebook; code exercises have ``solution_cells``."""

    label: str
    title: str
    solution_cells: list = field(default_factory=list)  # cell indices in the master
    names: list = field(default_factory=list)  # top-level names the solution defines
    check: str | None = None  # the check call, e.g. "nn.checks.check_f(f)"
    check_cell: int | None = None  # the visible check cell
    assert_cell: int | None = None  # the hidden "assert <check>.passed" cell
    starter_cell: int | None = None
    hidden_cells: list = field(default_factory=list)  # remove-cell code after the exercise

    @property
    def is_code(self) -> bool:
        return bool(self.solution_cells)


def tags(cell) -> list:
    return list(cell.get("metadata", {}).get("tags", []))


def _parse(source: str):
    try:
        return ast.parse(source)
    except SyntaxError:  # IPython magics (%pip) or a student's typo
        return None


def defined_names(source: str) -> list:
    """Top-level functions, classes and assigned names of a cell."""
    tree = _parse(source)
    names = []
    for node in tree.body if tree else []:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return names


def used_names(source: str) -> set:
    tree = _parse(source)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} if tree else set()


def check_call(source: str) -> str | None:
    """The source of the first ``nn.checks.<name>(...)`` call in ``source``."""
    tree = _parse(source)
    for node in ast.walk(tree) if tree else []:
        func = getattr(node, "func", None)
        if (isinstance(node, ast.Call) and isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Attribute) and func.value.attr == "checks"):
            return ast.get_source_segment(source, node)
    return None


def exercises(nb) -> list:
    """The exercises of a master notebook, in order, with their cells and check calls."""
    found, current, gated = [], None, None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            lines, depth = cell.source.splitlines(), 0
            for i, line in enumerate(lines):
                m = OPENER.match(line.strip())
                depth += 1 if m else -1 if CLOSER.match(line.strip()) and depth else 0
                if HEADING.match(line) and not depth:
                    current = None  # a new section ends the exercises
                elif m and m["name"] == "exercise":
                    label = next((LABEL.match(x)["label"] for x in lines[i + 1:i + 6]
                                  if LABEL.match(x)), f"exercise-{len(found) + 1}")
                    current = Exercise(label, m["arg"].strip())
                    found.append(current)
                elif m and m["name"] == "solution-start":
                    gated = next((e for e in found if e.label == m["arg"].strip()), current)
                elif m and m["name"] == "solution-end":
                    gated = None
        elif current is not None:
            owner = gated or current
            call = check_call(cell.source)
            if "remove-cell" in tags(cell):
                owner.hidden_cells.append(index)
            if "solution" in tags(cell):
                owner.solution_cells.append(index)
                owner.names += defined_names(cell.source)
            elif "starter" in tags(cell):
                owner.starter_cell = index
            elif call and owner.is_code:
                if "remove-cell" in tags(cell):
                    owner.assert_cell = index
                    owner.check = owner.check or call
                else:
                    owner.check_cell, owner.check = index, call
    return found


def _signature_end(source: str, node) -> tuple:
    """(line, column) just after the colon that ends the ``def`` line(s) of ``node``."""
    lines = source.splitlines(keepends=True)
    start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
    text = "".join(lines[start - 1:])
    depth = 0
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif tok.type == tokenize.OP and tok.string == ":" and depth == 0:
            return start - 1 + tok.end[0], tok.end[1]
    raise ValueError("no colon after def")  # pragma: no cover - ast parsed it


def stub(source: str, exercise: Exercise) -> str:
    """The student's version of a solution cell: signatures and docstrings, no body."""
    message = f"{exercise.label}: {exercise.title}".replace('"', "'")
    todo = f'raise NotImplementedError("{message}")'
    tree = _parse(source)
    lines = source.splitlines()
    parts = []
    for node in tree.body if tree else []:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            parts.append("\n".join(lines[node.lineno - 1:node.end_lineno]))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            row, col = _signature_end(source, node)
            head = lines[(node.decorator_list[0] if node.decorator_list else node).lineno - 1:row]
            head[-1] = head[-1][:col]
            first = node.body[0]
            indent = " " * first.col_offset if first.lineno > row else "    "
            doc = []
            if ast.get_docstring(node) is not None and first.lineno > row:
                doc = lines[first.lineno - 1:first.end_lineno]
            parts.append("\n".join(head + doc + [f"{indent}# Your code here.", indent + todo]))
    if not any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
               for n in (tree.body if tree else [])):
        parts.append(f"# {message}\n# Your code here.\n{todo}")
    return "\n\n\n".join(parts) + "\n"


class _SolutionText:
    """Drops solution directives and gated solution text from markdown, across cells."""

    def __init__(self):
        self.gated = False  # between solution-start and solution-end
        self.open = []  # fences of the solution directive being dropped
        self.after = None

    def feed(self, text: str) -> str:
        kept = []
        for line in text.split("\n"):
            m, end = OPENER.match(line.strip()), CLOSER.match(line.strip())
            if self.open:
                if m:
                    self.open.append(len(m["fence"]))
                elif end and len(end["fence"]) >= self.open[-1]:
                    self.open.pop()
                    if not self.open and self.after is not None:
                        self.gated = self.after
                continue
            if m and m["name"] in SOLUTION_DIRECTIVES:
                self.open, self.after = [len(m["fence"])], SOLUTION_DIRECTIVES[m["name"]]
            elif not self.gated:
                kept.append(line)
        return "\n".join(kept).strip()


def student_notebook(master, chapter: str):
    """``(student_nb, notes)``: the student edition of ``master`` and what needs a look."""
    from .collapse import expand  # collapse.py reads exercises with this module
    found = exercises(master)
    by_cell = {i: e for e in found for i in e.solution_cells}
    first = {e.solution_cells[0]: e for e in found if e.is_code}
    drop = {i for e in found for i in e.hidden_cells} | {e.starter_cell for e in found}
    nb, notes, text = copy.deepcopy(master), [], _SolutionText()
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = text.feed(cell.source)
            if cell.source:
                cells.append(cell)
            continue
        if index in drop or cell.cell_type != "code":
            continue
        uses = sorted(used_names(cell.source) & {n for e in found for n in e.names
                                                 if e.is_code and e.solution_cells[0] < index})
        if index in by_cell:
            if index not in first:
                continue  # a second solution cell of the same exercise
            exercise = first[index]
            starter = exercise.starter_cell
            cell.source = (master.cells[starter].source if starter is not None
                           else stub(master.cells[index].source, exercise))
            cell.metadata["tags"] = [t for t in tags(cell) if t != "solution"]
            cell.metadata["nnlib"] = {"exercise": exercise.label}
            expand(cell)  # the student writes here: open, no "Solution" title
        elif text.gated:
            notes.append(f"cell {index}: untagged code inside a solution, left out")
            continue
        elif uses and "remove-cell" in tags(cell):
            continue  # a hidden claim about a reference solution
        elif uses and index not in {e.check_cell for e in found}:
            notes.append(f"cell {index} uses {', '.join(uses)} from an exercise: it raises "
                         "NotImplementedError until the student has solved it")
        cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
        cells.append(cell)
    nb.cells = cells
    nb.metadata["nnlib"] = {
        "chapter": chapter, "edition": "student",
        "exercises": [{"label": e.label, "title": e.title, "check": e.check}
                      for e in found if e.is_code],
    }
    return nb, notes


def master_paths(book: Path) -> list:
    """The chapter notebooks of the book, in order (``NN_name.ipynb``)."""
    return sorted(p for p in Path(book).glob("[0-9][0-9]_*.ipynb"))


def write_student_notebooks(book: Path, out: Path, log=print) -> list:
    """Write the student edition of every chapter of ``book`` into ``out``; return the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in master_paths(book):
        nb, notes = student_notebook(nbformat.read(path, as_version=4), path.stem)
        target = out / path.name
        nbformat.write(nb, target)
        written.append(target)
        count = len(nb.metadata["nnlib"]["exercises"])
        log(f"{target}: {count} code exercise{'s' * (count != 1)}")
        for note in notes:
            log(f"  note: {note}")
    return written


def exercise_table(nb) -> list:
    """The code exercises of a master notebook as plain dicts (label, title, check, names)."""
    return [{k: v for k, v in asdict(e).items() if k in ("label", "title", "check", "names")}
            for e in exercises(nb) if e.is_code]


def _plain(line: str) -> str:
    return " ".join(line.split())


def solution_lines(master) -> tuple:
    """``(code, text)``: lines that only the solutions of ``master`` contain.

    ``code`` holds the solution cells' lines that their stubs do not keep and no other cell
    shows; ``text`` holds plain prose lines of solution directives and gated solution text.
    Both are whitespace-normalized; a student edition must contain none of them.
    """
    found = exercises(master)
    owner = {i: e for e in found for i in e.solution_cells}
    elsewhere = {_plain(line) for i, c in enumerate(master.cells)
                 if c.cell_type == "code" and i not in owner for line in c.source.splitlines()}
    code = set()
    for i, exercise in owner.items():
        kept = {_plain(line) for line in stub(master.cells[i].source, exercise).splitlines()}
        code |= {_plain(line) for line in master.cells[i].source.splitlines()
                 if len(line.strip()) >= 6} - kept - elsewhere
    text, shown, scanner = set(), set(), _SolutionText()
    for cell in master.cells:
        if cell.cell_type == "markdown":
            kept = scanner.feed(cell.source).splitlines()
            shown |= {_plain(line) for line in kept}
            text |= {_plain(line) for line in cell.source.splitlines() if line not in kept
                     and len(line) > 25 and not re.search(r"[$`*\[\]{}|\\:#<>_]", line)}
    return code, text - shown

"""The instructor's tools (python -m nnlib.instructor): student notebooks, student book, grading.

The masters' checks themselves run in the notebooks' hidden cells under nbval; here every
master must have them, the student editions must carry no solution and report "not solved
yet", and grading a fixture folder must give exactly the expected rows.
"""

import ast
import csv
from pathlib import Path

import nbformat
import pytest

from nnlib.instructor import grading, notebooks, studentbook
from nnlib.instructor.__main__ import main
from nnlib.instructor.notebooks import exercises, solution_lines, student_notebook

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instructor"
MASTERS = notebooks.master_paths(ROOT / "book")
#: The English masters and the Korean edition's (book/ko/: the same code, translated text).
EDITIONS = MASTERS + notebooks.master_paths(ROOT / "book" / "ko")


def edition_id(path):
    return f"ko-{path.stem}" if path.parent.name == "ko" else path.stem


def read(path):
    return nbformat.read(path, as_version=4)


def definitions(source):
    """Only the imports, functions and classes of a cell: what a check needs, no demo code."""
    tree = ast.parse(source)
    tree.body = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom,
                                                        ast.FunctionDef, ast.ClassDef))]
    return tree


def namespace(nb, cells):
    """A namespace with the chapter's imports and the definitions of ``cells``."""
    ns = {}
    imports = next(c.source for c in nb.cells
                   if c.cell_type == "code" and "import nnlib" in c.source)
    for source in [imports] + [c.source for c in cells]:
        exec(compile(definitions(source), "<cell>", "exec"), ns)  # noqa: S102 - our notebooks
    return ns


def signatures(source):
    return {n.name: ast.unparse(n.args) for n in ast.parse(source).body
            if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("path", EDITIONS, ids=edition_id)
def test_every_code_exercise_has_a_check_cell_and_a_hidden_assert(path):
    nb = read(path)
    for e in exercises(nb):
        if not e.is_code:
            continue
        assert e.check, f"{e.label}: no nn.checks call after its solution"
        assert e.check_cell is not None, f"{e.label}: no visible check cell"
        hidden = nb.cells[e.assert_cell] if e.assert_cell is not None else None
        assert hidden is not None and "remove-cell" in notebooks.tags(hidden), e.label
        assert f"assert {e.check}.passed" in hidden.source, f"{e.label}: {hidden.source}"


@pytest.mark.parametrize("path", EDITIONS, ids=edition_id)
def test_masters_reference_solutions_pass_their_checks(path):
    nb = read(path)
    solutions = [c for c in nb.cells if "solution" in notebooks.tags(c)]
    ns, needs_state = namespace(nb, solutions), []
    for e in [e for e in exercises(nb) if e.is_code]:
        try:
            feedback = eval(e.check, ns)  # noqa: S307
        except NameError as exc:  # the check needs the chapter's variables
            needs_state.append(f"{e.label} ({exc})")
            continue
        assert feedback.passed, f"{e.label}: {feedback}"
    if needs_state:  # nbval runs these in the notebook's hidden assert cells
        pytest.skip(f"checked by nbval only: {', '.join(needs_state)}")


@pytest.mark.parametrize("path", EDITIONS, ids=edition_id)
def test_student_notebook_has_no_solution(path):
    master = read(path)
    student, _ = student_notebook(master, path.stem)
    code, _ = solution_lines(master)
    student_code = [c.source for c in student.cells if c.cell_type == "code"]
    student_lines = {" ".join(line.split()) for s in student_code for line in s.splitlines()}
    assert not code & student_lines, f"solution lines in the student notebook: {code & student_lines}"
    for e in exercises(master):
        for i in e.solution_cells:
            assert not any(master.cells[i].source.strip() in s for s in student_code)
    markdown = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    assert "{solution" not in markdown
    assert markdown.count("{exercise}") == len(exercises(master))
    assert not any(".passed" in s for s in student_code), "a hidden assert was kept"
    assert not any(c.get("outputs") or c.get("execution_count") for c in student.cells
                   if c.cell_type == "code")
    listed = student.metadata["nnlib"]["exercises"]
    assert [(x["label"], x["check"]) for x in listed] == \
        [(e.label, e.check) for e in exercises(master) if e.is_code]


@pytest.mark.parametrize("path", EDITIONS, ids=edition_id)
def test_student_checks_report_not_solved_yet(path):
    master = read(path)
    student, _ = student_notebook(master, path.stem)
    stubs = [c for c in student.cells if "nnlib" in c.metadata]
    ns = namespace(student, stubs)
    for e in [e for e in exercises(master) if e.is_code]:
        stub = next(c.source for c in stubs if c.metadata["nnlib"]["exercise"] == e.label)
        # the student sees the same signatures (and docstrings)
        assert signatures(stub) == signatures(master.cells[e.solution_cells[0]].source)
        feedback = eval(e.check, ns)  # noqa: S307
        assert not feedback.passed and not feedback.solved, f"{e.label}: {feedback}"
        assert str(feedback).startswith("[not solved yet]")


def test_grading_the_fixture_folder_gives_exactly_the_expected_rows(tmp_path, capsys):
    target = tmp_path / "grades.csv"
    status = main(["grade", str(FIXTURES / "submissions"), "--masters",
                   str(FIXTURES / "masters"), "--csv", str(target), "--timeout", "10",
                   "--jobs", "2"])
    assert status == 0
    got = list(csv.reader(target.open(encoding="utf-8")))
    expected = list(csv.reader((FIXTURES / "expected.csv").open(encoding="utf-8")))
    assert got == expected
    captured = capsys.readouterr()
    lines = {line.split()[0]: line.split(None, 3)[1:] for line in captured.out.splitlines()
             if line.split() and line.split()[0] in {"alice", "bob", "carol", "dave", "erin"}}
    assert lines == {"alice": ["4", "4", "-"],
                     "bob": ["2", "4", "01_perceptron.ipynb (a cell raised)"],
                     "carol": ["0", "0", "carol.ipynb (not graded)"],
                     "dave": ["0", "0", "dave.ipynb (not graded)"],
                     "erin": ["0", "0", "erin.ipynb (not graded)"]}
    # the progress lines (stderr is not a terminal here)
    assert "5/5 graded" in captured.err and "3 not graded" in captured.err
    wide_csv_and_feedback_agree_with_the_long_csv(tmp_path)
    assert main(["grade", str(tmp_path / "missing")]) == 2


def wide_csv_and_feedback_agree_with_the_long_csv(folder):
    """The gradebook and the feedback files that the grading above wrote next to its CSV."""
    labels = ["ex-perceptron-output", "ex-perceptron-update", "ex-perceptron-three-inputs",
              "ex-perceptron-xnor"]
    long = list(csv.DictReader((folder / "grades.csv").open(encoding="utf-8")))
    wide = list(csv.DictReader((folder / "grades-wide.csv").open(encoding="utf-8")))
    assert [w["student"] for w in wide] == ["alice", "bob", "carol", "dave", "erin"]
    assert list(wide[0])[1:] == labels + ["total", "percent"]
    for w in wide:
        mine = [r for r in long if r["student"] == w["student"]]
        passed = {r["exercise"] for r in mine if r["passed"] == "True"}
        assert [w[label] for label in labels] == [str(int(label in passed)) for label in labels]
        assert int(w["total"]) == len(passed)
        assert float(w["percent"]) == pytest.approx(100 * len(passed) / len(labels), abs=0.05)
        text = (folder / "feedback" / f"{w['student']}.md").read_text(encoding="utf-8")
        assert text.startswith(f"# Feedback for {w['student']}\n")
        assert f"{len(passed)} of 4 exercises passed" in text
        for r in mine:
            assert r["message"] in text
            if not r["exercise"].endswith(".ipynb"):
                verdict = "passed" if r["passed"] == "True" else "not passed"
                assert f"## {r['exercise']}: {verdict}\n" in text
    bob = (folder / "feedback" / "bob.md").read_text(encoding="utf-8")
    assert "Hint: use a strict comparison, z > 0: on the line the output is 0." in bob
    assert "Hint: with equal weights w = (1, 1, 1)" in bob  # the unsolved one's hint
    assert "cell 12 raised NameError" in bob
    assert "Hint:" not in (folder / "feedback" / "alice.md").read_text(encoding="utf-8")


def test_korean_submissions_are_graded_against_the_korean_masters(tmp_path):
    """A Korean student's notebook (from book/ko/) is graded like an English one: the same
    exercises, solved by the master's solutions, not by the student edition's stubs."""
    subs = tmp_path / "subs"
    for student in ("minji", "junho"):
        (subs / student).mkdir(parents=True)
    master = ROOT / "book" / "ko" / "01_perceptron.ipynb"
    nbformat.write(read(master), subs / "minji" / "01_perceptron.ipynb")
    nbformat.write(student_notebook(read(master), "01_perceptron")[0],
                   subs / "junho" / "01_perceptron.ipynb")
    rows = grading.grade(subs, ROOT / "book" / "ko", chapter="01_perceptron", jobs=2)
    english = [e.label for e in exercises(read(ROOT / "book" / "01_perceptron.ipynb"))
               if e.is_code]
    for student, solved in (("minji", True), ("junho", False)):
        mine = {r.exercise: r.passed for r in rows if r.student == student
                and not r.exercise.endswith(".ipynb")}
        assert sorted(mine) == sorted(english)
        assert all(v is solved for v in mine.values()), (student, mine)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_cli_writes_every_chapters_student_notebook(tmp_path, lang):
    assert main(["--root", str(ROOT), "student-notebooks", "--out", str(tmp_path),
                 "--lang", lang]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.ipynb")) == [p.name for p in MASTERS]
    book = ROOT / "book" / ("" if lang == "en" else lang)
    for path in tmp_path.glob("*.ipynb"):
        assert read(path).metadata["nnlib"]["chapter"] == path.stem
        # the edition's own text: the student notebook's markdown is the master's
        master = read(book / path.name)
        first_text = next(c.source for c in master.cells if c.cell_type == "markdown")
        assert first_text in [c.source for c in read(path).cells]


def test_cli_rejects_an_edition_that_does_not_exist(tmp_path, capsys):
    assert main(["--root", str(ROOT), "student-notebooks", "--out", str(tmp_path),
                 "--lang", "fr"]) == 2
    assert "no edition" in capsys.readouterr().err


# ---- one synthetic master that exercises the unusual cases ----------------------------------

def md(text):
    return nbformat.v4.new_markdown_cell(text)


def code(text, *tags):
    return nbformat.v4.new_code_cell(text, metadata={"tags": list(tags)} if tags else {})


def synthetic():
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [
        code("import numpy as np\nimport nnlib as nn"),
        md("## Exercises\n\n:::{exercise} Double\n:label: ex-double\n\nWrite it.\n:::\n\n"
           ":::{solution-start} ex-double\n:class: dropdown\n:::"),
        code('import math\n\n\n@staticmethod\ndef double(x,\n           y=2):  # two\n'
             '    """Twice x."""\n    return x * y\n\n\ndef half(x): return x / 2\n'
             'SECRET = 42', "solution"),
        code("helper = 1", "solution"),
        md("The answer doubles.\nAn explanation that must never reach the students.\n\n"
           ":::{solution-end}\n:::\n\nText after the solution stays."),
        code("nn.checks.check_double(double)"),
        code("assert nn.checks.check_double(double).passed", "remove-cell"),
        code("double(3)"),
        md(":::{exercise} Value\n:label: ex-value\n:::\n:::{solution-start} ex-value\n:::"),
        code("answer = 3", "solution"),
        code("untagged = 1"),
        md(":::{solution-end}\n:::"),
        code("answer_check(answer)"),
        md(":::{exercise} Triple\n:label: ex-triple\n:::"),
        code("def triple(x):\n    raise NotImplementedError('start here')", "starter",
             "remove-cell"),
        md(":::{solution-start} ex-triple\n:::"),
        code("def triple(x):\n    return 3 * x", "solution"),
        md(":::{solution-end}\n:::"),
        code("nn.checks.check_triple(triple)"),
        md(":::{exercise} Prose\n:label: ex-prose\n:::\n\n::::{solution} ex-prose\n"
           ":class: dropdown\n:::{note}\nNested.\n:::\nProse answer that must go.\n::::\n"
           "## Summary\n"),
        code("assert answer == 3", "remove-cell"),
        code("print(double(2))", "remove-cell"),
    ]
    return nb


def test_stubs_keep_signatures_and_docstrings_but_no_body():
    nb = synthetic()
    found = exercises(nb)
    assert [e.label for e in found] == ["ex-double", "ex-value", "ex-triple", "ex-prose"]
    double = found[0]
    assert double.names == ["double", "half", "SECRET", "helper"]
    assert double.check == "nn.checks.check_double(double)" and double.assert_cell == 6
    assert found[2].starter_cell == 14 and found[3].is_code is False
    stub = notebooks.stub(nb.cells[2].source, double)
    assert stub.startswith("import math\n\n\n@staticmethod\ndef double(x,\n           y=2):\n"
                           '    """Twice x."""\n    # Your code here.\n')
    assert 'raise NotImplementedError("ex-double: Double")' in stub
    assert "def half(x):\n    # Your code here." in stub
    assert "return" not in stub and "42" not in stub
    assert notebooks.stub("answer = 3", found[1]).endswith(
        'raise NotImplementedError("ex-value: Value")\n')
    assert notebooks.defined_names("%pip install x") == [] and notebooks.check_call("%x") is None


def test_student_edition_of_the_synthetic_master():
    student, notes = student_notebook(synthetic(), "99_synthetic")
    sources = [c.source for c in student.cells]
    text = "\n".join(sources)
    for secret in ["return x * y", "helper = 1", "answer = 3", "untagged", "explanation",
                   "Prose answer", "Nested.", "assert", "return 3 * x", "{solution"]:
        assert secret not in text, secret
    assert "Text after the solution stays." in text and "## Summary" in text
    assert "def triple(x):\n    raise NotImplementedError('start here')" in sources
    assert "double(3)" in sources and "answer_check(answer)" in sources
    assert any("untagged code inside a solution" in n for n in notes)
    assert any("uses double" in n for n in notes)
    assert [e["label"] for e in student.metadata["nnlib"]["exercises"]] == \
        ["ex-double", "ex-value", "ex-triple"]


def test_grading_helpers(tmp_path):
    (tmp_path / "subs" / "zoe").mkdir(parents=True)
    (tmp_path / "subs" / "amy.ipynb").write_text("{}")
    (tmp_path / "subs" / "zoe" / "02_x.ipynb").write_text("{}")
    assert [(s, p.name) for s, p in grading.submissions(tmp_path / "subs")] == \
        [("amy", "amy.ipynb"), ("zoe", "02_x.ipynb")]
    masters = {"01_perceptron": [], "02_xor": []}
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "homework.ipynb")
    (tmp_path / "huge.ipynb").write_text(" " * (grading.MAX_NOTEBOOK_BYTES + 1))
    job, rows = grading._job("amy", tmp_path / "homework.ipynb", masters, None, 5, 100,
                             tmp_path, 0)
    assert job is None and "unknown chapter" in rows[0].message and "amy" in grading.summary(rows)
    job, rows = grading._job("amy", tmp_path / "huge.ipynb", masters, None, 5, 100, tmp_path, 1)
    assert job is None and "more than" in rows[0].message
    job, rows = grading._job("amy", tmp_path / "homework.ipynb", masters, "02_xor", 5, 100,
                             tmp_path, 2)
    assert rows is None and job["chapter"] == "02_xor" and job["exercises"] == []


def test_judging_damaged_or_missing_answers():
    exercises = [{"label": "ex-a", "check": "nn.checks.perceptron_output(f)"},
                 {"label": "ex-b", "check": "nn.checks.nothing(g)"}]
    data = b'{"version": 1, "exercises": {"ex-b": {"names": {"g": {"kind": "missing"}}}}}'
    rows, problem = grading.verdict_rows("amy", "01", exercises, data)
    assert problem is None
    assert rows[0].message == "check could not run: the grading cell recorded nothing for it"
    assert rows[1].message.startswith("check could not run: the record of the student's answers")
    rows, problem = grading.verdict_rows("amy", "01", exercises, b"[")
    assert rows is None and problem.startswith("the answers could not be read")


# ---- the student edition of the book ---------------------------------------------------------

def test_student_config_hides_solutions_and_reuses_the_cache(tmp_path):
    import yaml

    path = studentbook.student_config(ROOT, tmp_path, ROOT / "_build" / ".jupyter_cache")
    config = yaml.safe_load(path.read_text())
    assert config["sphinx"]["config"]["hide_solutions"] is True
    assert "nnlib.instructor.studentbook" in config["sphinx"]["extra_extensions"]
    assert config["execute"]["cache"] == str(ROOT / "_build" / ".jupyter_cache")
    assert all(Path(p).is_absolute() for p in config["sphinx"]["local_extensions"].values())


def test_find_solutions_reads_code_inputs_and_text(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(synthetic(), book / "01_demo.ipynb")
    (tmp_path / "site" / "book").mkdir(parents=True)
    page = tmp_path / "site" / "book" / "01_demo.html"
    page.write_text('<div class="cell_input"><div><pre>return x * y</pre></div></div>'
                    "<p>An explanation that must never reach the students.</p>")
    assert studentbook.find_solutions(tmp_path / "site", book) == [
        "01_demo.html: return x * y",
        "01_demo.html: An explanation that must never reach the students."]
    page.write_text('<div class="cell_output"><pre>return x * y</pre></div><div '
                    'class="cell tag_solution"></div>')
    assert studentbook.find_solutions(tmp_path / "site", book) == ["01_demo.html: a solution element"]
    page.unlink()
    assert "missing" in studentbook.find_solutions(tmp_path / "site", book)[0]


def test_student_book_of_a_tiny_book_has_no_solutions(tmp_path):
    """The whole pipeline (jupyter-book, hide_solutions, the extension) on a one-page book."""
    nb = synthetic()
    nb.cells = nb.cells[:8]  # the gated exercise with its check cells
    nb.cells[5].source = nb.cells[7].source = "print(double(3))"
    nb.cells[6].source = "assert double(3) == 6"
    nb.cells.insert(1, md("(demo)=\n# Demo"))
    nb.cells.append(md(":::{exercise} Prose\n:label: ex-prose\n:::\n\n:::{solution} ex-prose\n"
                       ":class: dropdown\nProse answer that must go from the page.\n:::"))
    (tmp_path / "book").mkdir()
    nbformat.write(nb, tmp_path / "book" / "01_demo.ipynb")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/01_demo\n")
    (tmp_path / "_config.yml").write_text(
        "title: Demo\nexecute:\n  execute_notebooks: cache\nonly_build_toc_files: true\n"
        "sphinx:\n  extra_extensions: [sphinx_exercise]\n")
    site = studentbook.build_student_book(tmp_path, tmp_path / "out", log=lambda _: None)
    page = (site / "book" / "01_demo.html").read_text()
    assert "ex-double" in page and "Prose answer" not in page and "explanation" not in page
    assert "x * y" not in page and "Text after the solution stays." in page

"""Grading that a submission cannot forge, and the gradebook and feedback files.

The forgery test grades, in one run, a class of notebooks that each try one way of reaching
"passed" without solving anything (every attack of the instructor guide's threat model), with
an honest student among them; none of the forgers may pass an exercise, the honest student
passes everything with the same messages as before. The replay test runs, without a kernel,
every check of the book on reference, unsolved, empty and failing answers twice, directly and
collected then judged, and requires the same Feedback (verdict, message and hint).
"""

import csv
import io
import json
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nnlib
from nnlib.instructor import grading, notebooks, record
from nnlib.instructor.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instructor"
LABELS = ["ex-perceptron-output", "ex-perceptron-update", "ex-perceptron-three-inputs",
          "ex-perceptron-xnor"]

FORGED_RECORD = ('{"version": 1, "exercises": {%s}}' % ", ".join(
    f'"{label}": {{"names": {{}}, "calls": [], "passed": true, "verdict": "correct"}}'
    for label in LABELS))

#: name -> code appended after the student edition's stubs (nothing is solved).
FORGERIES = {
    "prints_verdicts": f"""
import json
print("NNLIB-GRADES:" + json.dumps([[l, True, "correct: forged"] for l in {LABELS!r}]))
print({FORGED_RECORD!r})
""",
    "replaces_checks": """
import nnlib
from nnlib.checks import Feedback
for name in nnlib.checks.__all__:
    fake = lambda *a, **k: Feedback("forged", True, "forged")
    setattr(nnlib.checks, name, fake)
    for module in (nnlib.checks.perceptron,):
        if hasattr(module, name):
            setattr(module, name, fake)
""",
    "wraps_call": """
import nnlib.checks, nnlib.checks.perceptron
fake = lambda exercise, fn, *a, hint="", **k: (None, nnlib.checks.passed(exercise, "forged"))
nnlib.checks.call = nnlib.checks.perceptron.call = fake
""",
    "empties_the_cases": """
import nnlib.checks.perceptron as p
p._output_cases = p._update_cases = lambda: []
p.THREE_INPUT_GATES.clear()
""",
    "fakes_perceptron": """
import numpy as np
import nnlib
nnlib.perceptron.perceptron = lambda X, w, b: (X[:, 0] == X[:, 1]).astype(float).reshape(-1, 1)
def xnor(X):
    return nnlib.perceptron.perceptron(X, np.array([1.0, 1.0]), 0.0)
""",
    "patches_numpy_and_json": f"""
import json, types
import numpy as np
import nnlib.instructor.record as recorder
np.allclose = np.array_equal = np.isclose = lambda *a, **k: True
recorder.json = types.SimpleNamespace(dumps=lambda *a, **k: {FORGED_RECORD!r}, loads=json.loads)
def perceptron_output(X, w, b):
    return np.zeros((len(X), 1))
""",
    "changes_builtins": """
import builtins, nnlib
builtins.eval = lambda *a, **k: nnlib.checks.passed("forged", "forged")
builtins.print = lambda *a, **k: None
""",
    "ipython_hooks": f"""
import re
ip = get_ipython()
def forge(result):
    path = re.search(r"'([^']*answers\\.json)'", result.info.raw_cell or "")
    if path:
        open(path.group(1), "w").write({FORGED_RECORD!r})
    print("NNLIB-GRADES:" + {json.dumps([[l, True, "correct: forged"] for l in LABELS])!r})
ip.events.register("post_run_cell", forge)
""",
    "rewrites_the_grading_cell": f"""
import re
FORGED = {FORGED_RECORD!r}
VERDICTS = "NNLIB-GRADES:" + {json.dumps([[l, True, "correct: forged"] for l in LABELS])!r}
def rewrite(lines):
    source = "".join(lines)
    if "_nnlib" not in source:
        return lines
    path = re.search(r"'([^']*answers\\.json)'", source)
    forged = ["print(" + repr(VERDICTS) + ")\\n"]
    if path:
        forged.append("import pathlib; pathlib.Path(" + repr(path.group(1)) + ").write_text("
                      + repr(FORGED) + ")\\n")
    return forged
get_ipython().input_transformers_post.append(rewrite)
""",
    "replaces_the_recorder": f"""
import pathlib, sys, importlib
pathlib.Path("fake_record.py").write_text('''
def collect(namespace, exercises):
    return None
def write_record(record, path):
    open(path, "w").write({FORGED_RECORD!r})
''')
pathlib.Path("../result.json").write_text('{{"problem": null, "errors": []}}')
sys.path.insert(0, ".")
sys.modules["nnlib.instructor.record"] = importlib.import_module("fake_record")
""",
    "kills_its_kernel": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    "exits_during_the_check": """
import os
def perceptron_output(X, w, b):
    os._exit(0)
""",
    "sys_exit": "import sys\nsys.exit(0)",
}


def read(path):
    return nbformat.read(path, as_version=4)


def unsolved():
    master = read(FIXTURES / "masters" / "01_perceptron.ipynb")
    return notebooks.student_notebook(master, "01_perceptron")[0]


def forger(code):
    nb = unsolved()
    nb.cells.append(nbformat.v4.new_code_cell(code))
    return nb


def claims_another_chapter():
    """A chapter-1 file whose metadata claims chapter 2, with chapter 2's solutions."""
    nb = unsolved()
    ch2 = read(ROOT / "book" / "02_xor_representations.ipynb")
    nb.cells += [nbformat.v4.new_code_cell(c.source) for c in ch2.cells
                 if "solution" in notebooks.tags(c)]
    nb.metadata["nnlib"]["chapter"] = "02_xor_representations"
    return nb


def test_no_forgery_passes_and_the_honest_student_still_does(tmp_path):
    masters = tmp_path / "masters"
    masters.mkdir()
    shutil.copy(FIXTURES / "masters" / "01_perceptron.ipynb", masters)
    shutil.copy(ROOT / "book" / "02_xor_representations.ipynb", masters)
    subs = tmp_path / "subs"
    for name, code in FORGERIES.items():
        (subs / name).mkdir(parents=True)
        nbformat.write(forger(code), subs / name / "01_perceptron.ipynb")
    (subs / "claims_chapter_2").mkdir()
    nbformat.write(claims_another_chapter(), subs / "claims_chapter_2" / "01_perceptron.ipynb")
    (subs / "honest").mkdir()
    shutil.copy(FIXTURES / "submissions" / "alice.ipynb", subs / "honest" / "01_perceptron.ipynb")
    rows = grading.grade(subs, masters, timeout=30, jobs=2)
    by_student = {}
    for r in rows:
        by_student.setdefault(r.student, []).append(r)
    assert set(by_student) == set(FORGERIES) | {"claims_chapter_2", "honest"}
    expected = [row for row in csv.reader((FIXTURES / "expected.csv").open(encoding="utf-8"))
                if row[0] == "alice"]
    assert [[r.exercise, str(r.passed), r.message] for r in by_student.pop("honest")] == \
        [row[1:] for row in expected]
    for student, mine in by_student.items():
        assert not [r for r in mine if r.passed], (student, mine)
        assert {r.exercise for r in mine} <= set(LABELS) | {"01_perceptron.ipynb"}, student
    # the chapter came from the file name: chapter 1's exercises, not the claimed chapter 2's
    assert [r.exercise for r in by_student["claims_chapter_2"]][:4] == LABELS
    # a notebook that stops its kernel is not graded, whenever it does it
    for student in ("kills_its_kernel", "exits_during_the_check"):  # carol's os._exit: below
        assert by_student[student][0].message.endswith("not graded"), by_student[student]
    # forged records reach the judge, which finds no answers in them
    for student in ("ipython_hooks", "rewrites_the_grading_cell", "replaces_the_recorder",
                    "patches_numpy_and_json"):
        assert all("record of the student's answers is damaged" in r.message
                   for r in by_student[student]), by_student[student]
    # the faked perceptron made the kernel's own check pass; the judge recomputes it
    xnor = next(r for r in by_student["fakes_perceptron"] if r.exercise == LABELS[3])
    assert "not the output of any perceptron" in xnor.message, xnor


# ---- replay: the judge's verdicts are the checks' own -------------------------------------

def _variants(nb, path):
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from test_instructor import namespace

    solutions = [c for c in nb.cells if "solution" in notebooks.tags(c)]
    student, _ = notebooks.student_notebook(nb, path.stem)
    stubs = [c for c in student.cells if "nnlib" in c.metadata]
    return {"reference": namespace(nb, solutions), "stub": namespace(student, stubs)}


@pytest.mark.parametrize("path", notebooks.master_paths(ROOT / "book"), ids=lambda p: p.stem)
def test_judging_recorded_answers_gives_the_checks_own_feedback(path):
    nb = read(path)
    spaces = _variants(nb, path)
    for e in [e for e in notebooks.exercises(nb) if e.is_code]:
        names = record.free_names(e.check)
        cases = dict(spaces, none={n: lambda *a, **k: None for n in names},
                     raises={n: lambda *a, **k: {}["key"] for n in names},
                     value={n: 3 for n in names}, missing={})
        for case, space in cases.items():
            try:
                direct = eval(e.check, dict(space, nn=nnlib))  # noqa: S307
            except NameError as exc:
                if case != "missing":
                    continue  # needs the chapter's variables: nbval checks it
                direct = exc
            collected = json.dumps(record.collect(space, [(e.label, e.check)]))
            entry = record.read_record(collected.encode())["exercises"][e.label]
            feedback, error = record.judge_one(e.check, entry)
            if isinstance(direct, NameError):
                assert error == f"NameError: {direct}", (e.label, error)
            else:
                assert error is None and feedback == direct, (e.label, case, feedback, direct)


def test_the_judge_answers_only_the_recorded_questions():
    check = "nn.checks.perceptron_output(f)"
    right = lambda X, w, b: (X @ w + b > 0).astype(float).reshape(-1, 1)  # noqa: E731
    entry = record.collect({"f": right}, [("ex", check)])["exercises"]["ex"]
    assert record.judge_one(check, json.loads(json.dumps(entry)))[0].passed
    changed = json.loads(json.dumps(entry))
    changed["calls"][2]["args"][2] = {"$": "np", "value": record.encode(np.asarray(0.0))}
    feedback, error = record.judge_one(check, changed)
    assert feedback is None and "not recorded" in error and "call 3" in error
    cut = dict(entry, calls=entry["calls"][:-1])
    assert "not recorded" in record.judge_one(check, cut)[1]
    renamed = dict(entry, names={"f": {"kind": "callable", "same_as": "g"}})
    assert "not recorded" in record.judge_one(check, renamed)[1]
    claim = dict(entry, calls=[], passed=True)
    assert record.judge_one(check, claim)[0] is None


def test_records_hold_only_plain_data():
    values = [None, True, 3, 2.5, float("nan"), "s", (1, [2.0]), {"k": {1, 2}}, 1 + 2j,
              np.float32(1.5), np.bool_(True), np.arange(6).reshape(2, 3), np.array([None, 1]),
              np.random.default_rng(3), (i for i in range(3)), frozenset([1])]
    for value in values:
        encoded = record.encode(value)
        back = record.decode(json.loads(json.dumps(encoded)))
        assert record.canonical(record.encode(back)) == record.canonical(encoded)
    rng = record.decode(record.encode(np.random.default_rng(5)))
    assert rng.random() == np.random.default_rng(5).random()
    standin = record.decode(record.encode(object()))
    assert type(standin).__name__ == "object" and repr(standin).startswith("<object")
    with pytest.raises(record.Unrecorded):
        record.decode(record.encode(len))()
    for bad in [{"$": "nd", "dtype": "O", "shape": [1], "data": ""},
                {"$": "nd", "dtype": "|V8", "shape": [1], "data": ""},
                {"$": "rng", "name": "RandomState", "state": {}}, {"$": "pickle"},
                {"$": "float", "text": "__import__('os')"},
                {"$": "ndo", "shape": [10 ** 12], "items": []}]:
        with pytest.raises((ValueError, TypeError)):
            record.decode(bad)
    for data in [b"not json", b'{"version": 0}', b"[" * 100000, b'{"version": 1}',
                 b"x" * (record.MAX_RECORD_BYTES + 1)]:
        with pytest.raises(ValueError):
            record.read_record(data)


# ---- the gradebook and the feedback files -------------------------------------------------

def test_cli_rejects_bad_options(tmp_path, capsys):
    subs = str(FIXTURES / "submissions")
    assert main(["grade", subs, "--jobs", "0"]) == 2
    assert main(["grade", subs, "--chapter", "99_none", "--masters",
                 str(FIXTURES / "masters")]) == 2
    assert "no such master" in capsys.readouterr().err
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        grading.grade(tmp_path, FIXTURES / "masters", jobs=-1)


def test_chapter_comes_from_the_option_the_name_or_the_only_master():
    one, two = {"01_perceptron": []}, {"01_perceptron": [], "02_xor": []}
    assert grading.chapter_of(Path("alice.ipynb"), one) == "01_perceptron"
    assert grading.chapter_of(Path("alice.ipynb"), two) is None
    assert grading.chapter_of(Path("02_mine.ipynb"), two) == "02_xor"
    assert grading.chapter_of(Path("02_mine.ipynb"), two, "01_perceptron") == "01_perceptron"
    assert grading.chapter_of(Path("x.ipynb"), two, "03_none") is None


def test_progress_lines_and_bar():
    plain = io.StringIO()
    progress = grading.Progress(2, plain)
    progress.update("amy", True)
    progress.update("bo", False)
    lines = plain.getvalue().splitlines()
    assert lines[0].startswith("1/2 graded, about ") and lines[0].endswith("0 not graded (amy)")
    assert lines[1].startswith("2/2 graded, about 0 s left, 1 not graded (bo: not graded)")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    bar = Terminal()
    progress = grading.Progress(2, bar)
    progress.update("amy", True)
    assert bar.getvalue().startswith("\r[##########..........] 1/2 graded")


def test_a_notebooks_outputs_are_capped_and_its_errors_kept(tmp_path):
    from nnlib.instructor import runner

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('x' * 5000)") for _ in range(4)]
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nb.cells.append(runner.collector_cell([["ex-a", "nn.checks.perceptron_output(f)"]],
                                          str(tmp_path / "answers.json")))
    assert runner.run_notebook(nb, tmp_path, 60, max_output=12_000) is None
    kept = [len(c.outputs) for c in nb.cells[:4]]
    assert kept == [1, 1, 0, 0]  # two prints of ~5 kB fit in 12 kB, the others are dropped
    assert runner.cell_errors(nb) == ["cell 4 raised ZeroDivisionError: division by zero; "
                                      "the cells after it still ran"]
    entry = record.read_record((tmp_path / "answers.json").read_bytes())["exercises"]["ex-a"]
    assert entry["names"] == {"f": {"kind": "missing"}}
    assert (tmp_path / ".ipython").is_dir()  # the kernel's IPython settings live in the job


def test_what_the_worker_leaves_is_read_with_limits(tmp_path):
    """The result and answer files sit where the student's code can write: a forged or
    enormous one becomes a row, never a crash or a pass."""
    masters = {"01_perceptron": [{"label": "ex-a", "check": "nn.checks.perceptron_output(f)"}]}
    job = {"student": "amy", "path": Path("01_perceptron.ipynb"), "chapter": "01_perceptron",
           "result": str(tmp_path / "result.json"), "record": str(tmp_path / "answers.json")}
    (tmp_path / "result.json").write_text('{"problem": null, "errors": 5}')
    (tmp_path / "answers.json").write_bytes(b" " * (record.MAX_RECORD_BYTES + 10))
    row, = grading._finish(job, masters)
    assert "more than" in row.message and row.message.endswith("not graded")
    (tmp_path / "result.json").write_text("[" * 100_000)
    row, = grading._finish(job, masters)
    assert row.message == "the grader's worker ended without a result; not graded"
    (tmp_path / "result.json").write_text('{"problem": null, "errors": ["cell 1 raised X"]}')
    entry = {"names": {"f": {"kind": "callable", "same_as": "f"}}, "calls": []}
    (tmp_path / "answers.json").write_text(json.dumps({"version": 1,
                                                       "exercises": {"ex-a": entry}}))
    rows = grading._finish(job, masters)
    assert [(r.exercise, r.passed) for r in rows] == [("ex-a", False),
                                                      ("01_perceptron.ipynb", False)]
    assert "not recorded" in rows[0].message and rows[1].message == "cell 1 raised X"
    (tmp_path / "result.json").write_text('{"problem": null, "errors": 5}')
    assert [r.exercise for r in grading._finish(job, masters)] == ["ex-a"]

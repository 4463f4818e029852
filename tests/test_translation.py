"""The Korean edition (book/ko/) cannot drift from the English book.

On main: every code cell of every Korean page is the English one, every English text unit
has an up-to-date translation, and each translation keeps the English math, labels and
references. On a copy of the book, each way of drifting (an English code cell or text
changed, added or removed; a Korean code cell edited) is shown to fail, naming page and
unit, and ``sync`` to repair what it can.
"""

import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from nnlib.instructor import translation as tr
from nnlib.instructor.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


def test_every_english_page_has_an_up_to_date_korean_translation():
    problems = tr.status("ko", ROOT)
    assert not problems, "the Korean edition is out of date (python -m nnlib.instructor " \
        "translation status --diff):\n" + "\n".join(map(str, problems[:40]))


def test_translations_keep_the_math_labels_and_references():
    problems = [p for page in tr.english_pages(ROOT)
                for p in tr.check_page(page, tr.counterpart(page, "ko", ROOT))]
    assert not problems, "\n".join(problems[:40])


def test_korean_text_is_korean():
    """Every translated unit with words in it is mostly Hangul (not English left behind)."""
    english_left = []
    for page in tr.english_pages(ROOT):
        for unit in tr.read_units(tr.counterpart(page, "ko", ROOT), english=False):
            text = unit.text
            if unit.kind == "text" and (unit.source or "").startswith("term-"):
                # a glossary entry: its English term lines are meant to be English
                text = "\n".join(line for line in text.splitlines()
                                 if line.startswith(" ") and "**영어:**" not in line)
            if unit.kind == "text" and len(text.split()) > 8 and tr.hangul_share(text) < 0.5:
                english_left.append(f"{page.name} {unit.source}: "
                                    f"{tr.hangul_share(unit.text):.0%} Hangul")
    assert not english_left, "\n".join(english_left)


# --- on a copy ----------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path):
    """A copy of the book's sources (both editions), as a git repository."""
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    shutil.copytree(ROOT / "book", tmp_path / "book",
                    ignore=shutil.ignore_patterns("_build", "_static", "_ext", "_templates",
                                                  ".ipynb_checkpoints"))
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "copy"], check=True)
    return tmp_path


def problems_of(root, kind):
    """The problems of this kind that the test made (not those of the copied sources)."""
    before = BEFORE.setdefault(root, {str(p) for p in tr.status("ko", ROOT)})
    return [p for p in tr.status("ko", root) if p.kind == kind and
            str(p).replace(str(root), str(ROOT)) not in before]


BEFORE: dict = {}


def translated(book, name, uid):
    """Make sure the unit ``uid`` of page ``name`` counts as translated (in the copy)."""
    en, ko = book / "book" / name, book / "book" / "ko" / name
    text = {u.source: u.text for u in tr.read_units(ko, english=False) if u.kind == "text"}
    tr.set_translation(ko, en, {uid: text[uid]})


def edit_cell(path, index, change):
    nb = nbformat.read(path, as_version=4)
    change(nb.cells[index])
    nbformat.write(nb, path)
    return nb.cells[index]


def first(path, cell_type):
    nb = nbformat.read(path, as_version=4)
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == cell_type and
                "remove-cell" not in c.metadata.get("tags", []))


def test_a_changed_english_code_cell_fails_until_synced(book):
    en = book / "book" / "03_activations.ipynb"
    before = 0
    i = first(en, "code")
    cell = edit_cell(en, i, lambda c: setattr(c, "source", c.source + "\nx_new = 1"))
    drift = problems_of(book, "drift")
    assert len(drift) == before + 1
    assert drift[-1].page == "book/ko/03_activations.ipynb" and drift[-1].unit == cell.id
    tr.sync("ko", book, log=lambda line: None)
    assert len(problems_of(book, "drift")) == before
    ko = nbformat.read(book / "book" / "ko" / "03_activations.ipynb", as_version=4)
    assert ko.cells[i].source.endswith("x_new = 1")


def test_an_edited_korean_code_cell_is_drift(book):
    ko = book / "book" / "ko" / "05_gradient_descent.ipynb"
    i = first(ko, "code")
    edit_cell(ko, i, lambda c: setattr(c, "source", c.source.replace("nn", "nn ", 1)))
    assert [p.page for p in problems_of(book, "drift")] == ["book/ko/05_gradient_descent.ipynb"]


def test_a_changed_english_text_makes_its_translation_stale(book):
    en = book / "book" / "06_optimizers.ipynb"
    i = first(en, "markdown") + 2
    nb = nbformat.read(en, as_version=4)
    while nb.cells[i].cell_type != "markdown":
        i += 1
    translated(book, "06_optimizers.ipynb", nb.cells[i].id)
    cell = edit_cell(en, i, lambda c: setattr(c, "source", c.source + "\n\nOne more sentence."))
    stale = problems_of(book, "stale")
    assert [(p.page, p.unit) for p in stale] == [("book/ko/06_optimizers.ipynb", cell.id)]
    # status --diff shows what changed in English since it was translated (git history) ...
    assert "+One more sentence." in tr.diff_stale("ko", book)
    # ... sync keeps the (stale) translation, and mark records it as up to date.
    tr.sync("ko", book, log=lambda line: None)
    assert problems_of(book, "stale")
    assert tr.mark(book / "book" / "ko" / "06_optimizers.ipynb", en) == [cell.id]
    assert not problems_of(book, "stale")


def test_a_new_english_cell_is_missing_and_a_removed_one_orphans_its_translation(book):
    en = book / "book" / "02_xor_representations.ipynb"
    nb = nbformat.read(en, as_version=4)
    new = nbformat.v4.new_markdown_cell("A new paragraph.")
    gone = next(c for c in nb.cells[3:] if c.cell_type == "markdown")
    nb.cells.remove(gone)
    nb.cells.insert(5, new)
    nbformat.write(nb, en)
    missing = problems_of(book, "missing")
    assert [(p.page, p.unit) for p in missing] == [("book/ko/02_xor_representations.ipynb",
                                                    new.id)]
    assert [(p.page, p.unit) for p in problems_of(book, "orphan")] == \
        [("book/ko/02_xor_representations.ipynb", gone.id)]
    log = []
    tr.sync("ko", book, log=log.append)
    assert any(gone.id in line and "dropped" in line for line in log)
    assert not problems_of(book, "orphan") and not problems_of(book, "drift")
    assert [p.unit for p in problems_of(book, "missing")] == [new.id]  # English, untranslated


def test_markdown_pages_drift_too(book):
    en = book / "book" / "intro.md"
    text = en.read_text()
    # a code cell of the introduction
    en.write_text(text.replace("import nnlib as nn\n```", "import nnlib as nn\nimport math\n```", 1))
    assert [p.page for p in problems_of(book, "drift")] == ["book/ko/intro.md"]
    tr.sync("ko", book, log=lambda line: None)
    assert not problems_of(book, "drift")
    assert "import math" in (book / "book" / "ko" / "intro.md").read_text()
    # a paragraph of the notation section
    translated(book, "intro.md", "notation")
    en.write_text(en.read_text().replace("## Notation\n", "## Notation\n\nA new first line.\n", 1))
    assert [(p.page, p.unit) for p in problems_of(book, "stale")] == [("book/ko/intro.md",
                                                                      "notation")]
    # a glossary entry
    gl = book / "book" / "glossary.md"
    translated(book, "glossary.md", "term-perceptron")
    gl.write_text(gl.read_text().replace("  **Korean:** 퍼셉트론\n", "  **Korean:** 퍼셉트론\n\n"
                                         "  A changed definition.\n", 1))
    assert ("book/ko/glossary.md", "term-perceptron") in \
        [(p.page, p.unit) for p in problems_of(book, "stale")]


def test_the_command_line_reports_and_exits_nonzero_on_drift(book, capsys):
    en = book / "book" / "01_perceptron.ipynb"
    i = first(en, "markdown")
    translated(book, "01_perceptron.ipynb", nbformat.read(en, as_version=4).cells[i].id)
    edit_cell(en, i, lambda c: setattr(c, "source", c.source + " More."))
    assert main(["--root", str(book), "translation", "status"]) == 1
    out = capsys.readouterr().out
    assert "book/ko/01_perceptron.ipynb unit" in out and "stale" in out


# --- the pieces --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["intro.md", "glossary.md", "instructor_guide.md",
                                  "bibliography.md"])
def test_markdown_pages_split_into_units_without_losing_a_character(name):
    text = (ROOT / "book" / name).read_text()
    units = tr.split_markdown(text)
    assert "".join(u.text for u in units) == text
    ids = [u.id for u in units if u.kind == "text"]
    assert len(ids) == len(set(ids)) > 0


def test_export_and_import_round_trip(book):
    en, ko = book / "book" / "bibliography.md", book / "book" / "ko" / "bibliography.md"
    exported = tr.export(ko, en)
    assert "<!-- unit references ok -->" in exported
    assert tr.import_text(ko, en, exported) == []  # nothing edited, nothing recorded
    changed = exported.replace("# 참고 문헌", "# 참고문헌")
    assert tr.import_text(ko, en, changed) == ["references"]
    assert "# 참고문헌" in ko.read_text() and not problems_of(book, "stale")
    # an edited English unit: importing its unedited translation does not hide that it is stale
    en.write_text(en.read_text().replace("The papers, books", "The articles, books"))
    assert tr.import_text(ko, en, tr.export(ko, en)) == []
    assert [p.unit for p in problems_of(book, "stale")] == ["references"]


def test_structure_check_catches_a_changed_formula_and_a_lost_label():
    en = "(sec)=\n## Loss\n\nThe loss $L = (y - \\hat y)^2$ {cite:p}`lecun1998`."
    assert tr.structure_problems(en, "(sec)=\n## 손실\n\n손실은 $L = (y - \\hat y)^2$ 이다 "
                                     "{cite:p}`lecun1998`.") == []
    bad = tr.structure_problems(en, "## 손실\n\n손실은 $L = (y - y)^2$ 이다.")
    assert any(p.startswith("inline math") for p in bad)
    assert any(p.startswith("label") for p in bad)
    assert any(p.startswith("citation") for p in bad)


def test_hangul_share():
    assert tr.hangul_share("퍼셉트론은 가중합이 $w x$ 임계값을 넘으면 1을 출력한다.") > 0.9
    assert tr.hangul_share("A perceptron fires when its weighted sum exceeds 0.") == 0


def test_sync_records_units_with_nothing_to_translate(book):
    """A markdown cell that is only markup (the fence closing a solution) is copied as it is
    and counts as translated; one with words arrives untranslated."""
    en = book / "book" / "07_initializers.ipynb"
    nb = nbformat.read(en, as_version=4)
    fence, words = nbformat.v4.new_markdown_cell(":::"), nbformat.v4.new_markdown_cell("Words.")
    nb.cells[4:4] = [fence, words]
    nbformat.write(nb, en)
    tr.sync("ko", book, log=lambda line: None)
    assert [p.unit for p in problems_of(book, "missing")] == [words.id]
    assert not tr.has_words(":::{solution-end}\n") and tr.has_words("(a)=\n## 요약\n")

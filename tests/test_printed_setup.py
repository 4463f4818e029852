"""The printed edition's setup, without a browser: which pages it prints, in which order, which
online address its captions give, and the errors of the ``pdf`` command. The PDFs themselves
are checked by tests/browser/test_printed.py."""

from pathlib import Path

import pytest

from nnlib.instructor.__main__ import main
from nnlib.instructor.printed import css_string, running_css, site_url, toc_pages

ROOT = Path(__file__).resolve().parents[1]


def write_book(root: Path, config: str, toc: str = "format: jb-book\nroot: book/intro\n"):
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config)
    (root / "_toc.yml").write_text(toc)
    return root


def test_the_pages_are_the_tables_of_contents_in_reading_order():
    pages = toc_pages(ROOT)
    assert pages[0] == "book/intro.html"
    assert pages[1:9] == sorted(p for p in pages if p[5:7].isdigit())  # the 8 chapters, in order
    assert len(pages[1:9]) == 8 and pages[-3:] == [
        "book/glossary.html", "book/bibliography.html", "book/instructor_guide.html"]
    assert all((ROOT / p.replace(".html", ext)).exists() or
               (ROOT / p.replace(".html", ".ipynb")).exists() for p in pages for ext in [".md"])


def test_sections_and_chapters_without_parts(tmp_path):
    root = write_book(tmp_path, "title: T\n", "format: jb-book\nroot: a\nchapters:\n"
                      "  - file: b.ipynb\n    sections:\n      - file: c\n  - file: d.md\n")
    assert toc_pages(root) == ["a.html", "b.html", "c.html", "d.html"]
    write_book(tmp_path, "title: T\n", "format: jb-book\nchapters: []\n")
    with pytest.raises(ValueError, match="root"):
        toc_pages(tmp_path)


def test_online_address(tmp_path):
    assert site_url(ROOT) == "https://nn-basics.github.io/neural-network-basics/"
    book = write_book(tmp_path, "repository:\n  url: https://github.com/Some-Org/a-book.git\n")
    assert site_url(book) == "https://some-org.github.io/a-book/"
    write_book(tmp_path, "html:\n  baseurl: https://course.example.org/nn\n"
               "repository:\n  url: https://github.com/o/r\n")
    assert site_url(tmp_path) == "https://course.example.org/nn/"
    assert site_url(tmp_path, "http://localhost:8000") == "http://localhost:8000/"
    with pytest.raises(ValueError, match="http"):
        site_url(tmp_path, "file:///srv/book")
    write_book(tmp_path, "repository:\n  url: https://gitlab.com/o/r\n")
    with pytest.raises(ValueError, match="--site-url"):
        site_url(tmp_path)


def test_running_header_is_quoted_css():
    assert css_string('say "hi" \\ there') == '"say \\"hi\\" \\\\ there"'
    css = running_css("Book", "Chapter 3 · Activation functions", 57)
    assert "counter-reset: page 56" in css and '"Chapter 3 · Activation functions"' in css


def test_pdf_command_without_a_built_site_says_what_to_do(tmp_path, capsys):
    root = write_book(tmp_path / "book", "title: T\nrepository:\n  url: https://github.com/o/r\n")
    assert main(["--root", str(root), "pdf", "--no-build"]) == 1
    assert "build the book first" in capsys.readouterr().err
    assert main(["--root", str(root), "pdf", "--no-build", "--site-url", "ftp://x"]) == 1
    assert "http(s)" in capsys.readouterr().err

"""The printed edition (``python -m nnlib.instructor pdf [--student]``): both PDFs, read back.

The book's PDF is printed from the site under test (built by conftest unless told not to), the
student edition's from a student build into a temporary folder (it reuses the book's execution
cache, so it only renders pages). Text is read back with pypdf, as a reader's search would.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import nbformat
import pytest

from nnlib.instructor.notebooks import master_paths, solution_lines

from .conftest import REPO

pytestmark = pytest.mark.browser

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CAPTION = "Interactive figure, printed at its initial setting:"


def squeeze(text: str) -> str:
    """Text without whitespace (code and URLs wrap, and pypdf spaces letters its own way)
    and with ligatures (ﬁ) spelled out."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class Printed:
    """One printed PDF: what print_book returned, and each page's text and fonts."""

    def __init__(self, result: dict, path: Path):
        from pypdf import PdfReader

        self.result, self.path = result, path
        self.reader = PdfReader(path)
        self.texts = [page.extract_text() or "" for page in self.reader.pages]
        self.front = result["front_pages"]

    def index(self, page_number: int) -> int:
        """The PDF page (0-based) that carries the printed page number ``page_number``."""
        return self.front + page_number - 1

    def chapter(self, path: str):
        return next(c for c in self.result["chapters"] if c.path == path)

    def pages_of(self, chapter) -> range:
        return range(self.index(chapter.first_page), self.index(chapter.first_page) + chapter.pages)

    def text_of(self, chapter) -> str:
        return "\n".join(self.texts[i] for i in self.pages_of(chapter))

    def fonts_of(self, chapter) -> set:
        names = set()
        for i in self.pages_of(chapter):
            fonts = self.reader.pages[i].get("/Resources", {}).get("/Font", {})
            names |= {str(font.get_object().get("/BaseFont", "")) for font in fonts.values()}
        return names


@pytest.fixture(scope="module")
def printed(site, browser, tmp_path_factory):
    """``{"book": Printed, "student": Printed, "ko": Printed}`` (ko: the Korean edition)."""
    from nnlib.instructor.printed import print_book
    from nnlib.instructor.studentbook import build_student_book

    out = tmp_path_factory.mktemp("printed")
    quiet = lambda _: None  # noqa: E731
    book = print_book(REPO, site.html_dir, out / "book.pdf", browser=browser, log=quiet)
    student_site = build_student_book(REPO, out / "student-site", log=quiet)
    student = print_book(REPO, student_site, out / "student.pdf", student=True,
                         browser=browser, log=quiet)
    korean = print_book(REPO, site.html_dir, out / "book-ko.pdf", browser=browser, log=quiet,
                        lang="ko")
    return {"book": Printed(book, out / "book.pdf"),
            "student": Printed(student, out / "student.pdf"),
            "ko": Printed(korean, out / "book-ko.pdf")}


@pytest.mark.parametrize("edition", ["book", "student"])
def test_page_count_is_sane(printed, edition):
    pdf = printed[edition]
    chapters = pdf.result["chapters"]
    assert 100 <= len(pdf.reader.pages) <= 600, f"{len(pdf.reader.pages)} pages"
    assert 2 <= pdf.front <= 6, f"{pdf.front} pages of title and contents"
    assert len(pdf.reader.pages) == pdf.front + sum(c.pages for c in chapters)
    assert all(c.pages >= 1 for c in chapters)
    if edition == "student":  # the solutions take pages in the book
        assert len(pdf.reader.pages) < len(printed["book"].reader.pages)


@pytest.mark.parametrize("edition", ["book", "student"])
def test_contents_give_every_chapter_and_section_with_the_page_it_starts_on(printed, edition):
    pdf = printed[edition]
    front = " ".join(pdf.texts[:pdf.front])
    assert "Contents" in front
    labels = pdf.reader.page_labels
    assert labels[:pdf.front] == ["i", "ii", "iii", "iv", "v", "vi"][:pdf.front]
    for chapter in pdf.result["chapters"]:
        entry = f"{chapter.number} {chapter.title}" if chapter.number else chapter.title
        assert squeeze(f"{entry}{chapter.first_page}") in squeeze(front), entry
        page = pdf.texts[pdf.index(chapter.first_page)]
        assert labels[pdf.index(chapter.first_page)] == str(chapter.first_page)
        heading = f"{chapter.number}. {chapter.title}" if chapter.number else chapter.title
        assert squeeze(heading) in squeeze(page), f"page {chapter.first_page} is not {heading}"
        assert re.search(rf"(^|\s){chapter.first_page}(\s|$)", page), \
            f"page {chapter.first_page} does not show its number"
        for title, number, _ in chapter.sections:
            assert number is not None, f"{entry}: no page for {title}"
            assert squeeze(f"{title}{number}") in squeeze(front), f"{entry}: {title}"
            # Its words (pypdf does not read every glyph of a formula in a heading).
            on_page = squeeze(pdf.texts[pdf.index(number)])
            words = [w for w in re.findall(r"[^\W\d_]{4,}", title) if squeeze(w) not in on_page]
            assert not words, f"{title} is not on page {number}: {words} missing"
        if chapter.number:  # the running header names the chapter on its later pages
            later = pdf.texts[pdf.index(chapter.first_page) + 1]
            assert squeeze(f"Chapter {chapter.number}") in squeeze(later)


def links(pdf, pages) -> list:
    """``(uri, page index)`` of every link on ``pages``: an address, or a place in the PDF."""
    index = {page.indirect_reference.idnum: k for k, page in enumerate(pdf.reader.pages)}
    found = []
    for i in pages:
        for annotation in pdf.reader.pages[i].get("/Annots") or []:
            link = annotation.get_object()
            dest, target = link.get("/Dest"), None
            if isinstance(dest, list):  # [page, /XYZ, left, top, zoom]
                target = index.get(dest[0].idnum)
            elif dest is not None:  # a named destination
                named = pdf.reader.named_destinations.get(str(dest))
                target = None if named is None else pdf.reader.get_destination_page_number(named)
            found.append((str((link.get("/A") or {}).get("/URI", "")) or None, target))
    return found


@pytest.mark.parametrize("edition", ["book", "student"])
def test_contents_and_cross_references_are_links_inside_the_pdf(printed, edition):
    pdf = printed[edition]
    entries = sum(1 + len(c.sections) for c in pdf.result["chapters"])
    front = links(pdf, range(pdf.front))
    assert sum(target is not None for _, target in front) == entries, "a contents entry is no link"
    for chapter in pdf.result["chapters"]:
        starts = [t for _, t in front if t == pdf.index(chapter.first_page)]
        assert starts, f"no contents link to {chapter.heading}"
    body = links(pdf, range(pdf.front, len(pdf.reader.pages)))
    assert sum(target is not None for _, target in body) >= 50, "few links inside the book"
    uris = [uri for uri, _ in front + body if uri]
    assert not [u for u in uris if u.startswith(("nnprint:", "http://127.0.0.1"))], uris[:5]


def test_math_is_typeset_as_text(printed):
    pdf = printed["book"]
    chapters = [c for c in pdf.result["chapters"] if c.number]
    text = "".join(pdf.text_of(c) for c in chapters)
    assert "σ" in text and "∂" in text, "no typeset sigma or partial derivative"
    for tex in (r"\(", r"\[", r"\sigma", r"\partial"):
        assert tex not in text, f"TeX source {tex!r} printed: MathJax did not typeset the page"


def test_korean_terms_are_text_in_a_korean_font(printed):
    for name, pdf in printed.items():
        glossary = pdf.chapter("ko/glossary.html" if name == "ko" else "book/glossary.html")
        hangul = len(HANGUL.findall(pdf.text_of(glossary)))
        assert hangul >= 100, f"{hangul} Hangul syllables in the glossary"
        fonts = pdf.fonts_of(glossary)
        assert any("Nanum" in name for name in fonts), f"no Korean font among {sorted(fonts)}"


def test_every_explorer_is_printed_with_a_caption_and_its_online_address(printed, site):
    from nnlib.instructor.printed import site_url, toc_pages

    pdf, online = printed["book"], site_url(REPO)
    explorers = sum((site.html_dir / p).read_text(encoding="utf-8").count('class="nn-explorer"')
                    for p in toc_pages(REPO))
    text = squeeze("".join(pdf.texts))
    assert explorers >= 5
    assert text.count(squeeze(CAPTION)) == explorers, \
        f"{text.count(squeeze(CAPTION))} captions for {explorers} explorers"
    captions = re.findall(re.escape(squeeze(CAPTION)) + r"(.*?)" + re.escape(online), text)
    assert len(captions) == explorers and all("=" in c for c in captions), captions
    links = [annot.get_object().get("/A", {}).get("/URI", "")
             for page in pdf.reader.pages for annot in page.get("/Annots", []) or []]
    assert sum(str(uri).startswith(online + "book/") for uri in links) >= explorers
    assert not any("127.0.0.1" in str(uri) for uri in links), "a link to the local server"


def test_the_student_pdf_has_no_solution(printed):
    """The solutions' code lines are in the book's PDF and none is in the student's.
    (Comment lines are left out: the book drops Colab's ``# @title`` line of a solution.)"""
    lines = set()
    for path in master_paths(REPO / "book"):
        code, _ = solution_lines(nbformat.read(path, as_version=4))
        lines |= {squeeze(line) for line in code
                  if len(squeeze(line)) >= 12 and not line.lstrip().startswith("#")}
    book = squeeze("".join(printed["book"].texts))
    student = squeeze("".join(printed["student"].texts))
    in_book = {line for line in lines if line in book}
    assert len(in_book) >= 0.9 * len(lines), "the book's PDF lacks its solutions"
    leaked = sorted(line for line in in_book if line in student)
    assert not leaked, f"solution lines in the student PDF: {leaked[:5]}"


def test_code_wraps_within_the_printed_page(site, browser, base_url):
    """In print layout at the width of the printed column, no code block scrolls sideways."""
    from nnlib.instructor.printed import toc_pages

    page = browser.new_page(viewport={"width": 672, "height": 950})  # A4 less the margins
    page.emulate_media(media="print")
    wide = []
    try:
        for path in toc_pages(REPO):
            page.goto(base_url + path, wait_until="load")
            wide += [f"{path}: {line}" for line in page.evaluate(
                "() => Array.from(document.querySelectorAll('article pre'))"
                ".filter((pre) => pre.scrollWidth > pre.clientWidth + 1)"
                ".map((pre) => pre.textContent.split('\\n')[0].slice(0, 60))")]
    finally:
        page.close()
    assert not wide, f"code cut off at the margin: {wide[:5]}"


def test_the_korean_edition_prints_in_korean(printed, site):
    """The Korean PDF: every page of the Korean site in order, Korean headers and contents,
    chapters mostly Hangul, math typeset, each explorer with a Korean caption."""
    from nnlib.instructor.printed import WORDS, toc_pages

    pdf, english = printed["ko"], printed["book"]
    assert [c.path for c in pdf.result["chapters"]] == toc_pages(REPO, "ko")
    assert 0.8 < pdf.result["pages"] / english.result["pages"] < 1.2
    contents = "".join(pdf.texts[:pdf.front])
    assert "차례" in contents and "Contents" not in contents
    numbered = [c for c in pdf.result["chapters"] if c.number]
    assert len(numbered) == 8
    for chapter in numbered:
        assert chapter.heading.startswith(f"제{chapter.number}장 · ")
        text = pdf.text_of(chapter)
        assert squeeze(chapter.heading) in squeeze(text), f"no running header {chapter.heading}"
        # All the Korean of the web page is printed (code and outputs stay English).
        page = (site.html_dir / chapter.path).read_text(encoding="utf-8")
        article = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
        article = article[article.index('<article class="bd-article"'):article.index("</article>")]
        on_site, printed_ = len(HANGUL.findall(article)), len(HANGUL.findall(text))
        assert printed_ >= 0.9 * on_site, f"{chapter.path}: {printed_} of {on_site} Hangul " \
            "syllables of the web page printed"
        assert "σ" in text or "∂" in text or "η" in text or "θ" in text, chapter.path
    explorers = sum((site.html_dir / p).read_text(encoding="utf-8").count('class="nn-explorer"')
                    for p in toc_pages(REPO, "ko"))
    caption = squeeze(WORDS["ko"]["caption"].split("{setting}")[0])
    text = squeeze("".join(pdf.texts))
    assert explorers > 0 and text.count(caption) == explorers
    assert squeeze(CAPTION) not in text

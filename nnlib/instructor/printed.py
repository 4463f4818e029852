"""The printed edition: a PDF of the book, or of its student edition, from the built HTML.

No LaTeX and no network: Debian's Chromium (``/usr/bin/chromium``, driven by Playwright)
prints every page of ``_toc.yml`` from a server on 127.0.0.1, in the book's order, with the
site's own print stylesheet (``book/_static/print.css``) and MathJax served by the site;
pypdf (pure Python) puts the pages together behind a title page and a table of contents.

What the print step adds to each page before printing it:

* a running header (the book's title, the chapter's number and title) and page numbers that
  run on through the whole book (``counter-reset: page``); the title page and the table of
  contents are numbered i, ii, ... and the PDF's page labels say the same;
* under every explorer a caption naming the setting its printed (initial) frame shows and the
  address of the same figure in the online book, where its controls work;
* the chapter's own list of sections moved under its heading.

Links between pages, and the entries of the table of contents, become links inside the PDF
(a link to a page that is not printed, such as the search page, leads to the online book).

The online book's address is ``--site-url``, else ``html: baseurl`` of ``_config.yml``, else the
GitHub Pages address of ``repository: url`` (``https://github.com/OWNER/REPO`` gives
``https://OWNER.github.io/REPO/``).

Run it as ``python -m nnlib.instructor pdf [--student]`` (see the instructor guide).
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import io
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAPER = "A4"


# ---- what to print, and where the online book is ----------------------------------------------

#: The printed edition's own words, per edition (the book's text is the site's).
WORDS = {
    "en": {"chapter": "Chapter {number} · {title}", "contents": "Contents",
           "online": "The online edition, with the interactive figures:",
           "student": "Student edition", "student_suffix": " (student edition)",
           "complete": "The complete book, with the exercises' solutions",
           "caption": "Interactive figure, printed at its initial setting: {setting}. Online, "
                      "its controls show every other setting: "},
    "ko": {"chapter": "제{number}장 · {title}", "contents": "차례",
           "online": "대화형 그림이 있는 온라인판:",
           "student": "학생용", "student_suffix": " (학생용)",
           "complete": "연습 문제 풀이를 모두 담은 완전판",
           "caption": "대화형 그림을 처음 설정({setting})으로 인쇄했다. 온라인판에서는 "
                      "조절 막대로 다른 설정을 모두 볼 수 있다: "},
}


def _toc(root: Path, lang: str) -> tuple[dict, str]:
    """The table of contents of an edition and the folder of its pages in the site."""
    if lang != "en":
        from .editions import edition_toc

        return edition_toc(root, lang), f"{lang}/"
    return yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8")) or {}, ""


def toc_pages(root: Path, lang: str = "en") -> list:
    """The pages of the book's ``_toc.yml`` in reading order, as site paths (``book/x.html``;
    for a translation ``ko/x.html``)."""
    toc, folder = _toc(root, lang)
    if "root" not in toc:
        raise ValueError(f"{Path(root) / '_toc.yml'} has no 'root:' entry")
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts") or [{"chapters": toc.get("chapters")}]:
        walk(part.get("chapters"))
    return [folder + re.sub(r"\.(md|ipynb)$", "", f) + ".html" for f in files]


def site_url(root: Path, override: str | None = None) -> str:
    """The online book's address, ending in ``/`` (see the module's docstring)."""
    if override:
        url = override
    else:
        config = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8")) or {}
        url = ((config.get("html") or {}).get("baseurl") or "").strip()
        if not url:
            repo = ((config.get("repository") or {}).get("url") or "").strip()
            match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?", repo)
            if not match:
                raise ValueError(
                    "cannot tell the online book's address: expected html.baseurl or a "
                    f"https://github.com/OWNER/REPO repository url in _config.yml, got {repo!r}; "
                    "pass --site-url")
            url = f"https://{match[1].lower()}.github.io/{match[2]}/"
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"the online book's address must be an http(s) URL, got {url!r}")
    return url.rstrip("/") + "/"


# ---- serving and printing ---------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a thread of this process); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def chromium():
    """Debian's Chromium through Playwright (never a downloaded browser); yields the browser."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise RuntimeError("printing needs the 'playwright' package: pip install -r "
                           "requirements-test.txt") from exc
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f"printing needs Chromium at {CHROMIUM}: apt-get install -y chromium "
                           "fonts-nanum (or set NNBOOK_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Runs in each page before it is printed; returns what the table of contents needs.
PREPARE_JS = r"""
({siteUrl, base, path, prefix, LINK, caption: captionText}) => {
  const article = document.querySelector("article.bd-article");
  if (!article) return {error: "no article.bd-article"};
  const problems = [];
  // Explorers: a caption naming the setting of the frame shown, and the online page.
  article.querySelectorAll(".nn-explorer[data-explorer]").forEach((root) => {
    const spec = JSON.parse(root.getAttribute("data-explorer"));
    const setting = spec.params.map((p) => {
      const control = root.querySelector('[data-param="' + CSS.escape(p.name) + '"]');
      if (!control) { problems.push("an explorer has no control for " + p.name); return p.name; }
      return p.name + " = " + p.labels[Number(control.value)];
    });
    const section = root.closest("section[id]");  // (before the ids move to the headings)
    const url = siteUrl + path + (section ? "#" + section.id : "");
    const caption = document.createElement("p");
    caption.className = "nn-print-caption";
    caption.append(captionText.replace("{setting}", setting.join(", ")));
    const link = document.createElement("a");
    link.href = url;
    link.textContent = url;
    caption.append(link);
    root.appendChild(caption);
  });
  // The chapter's list of sections under its heading (the theme prints it above).
  const h1 = article.querySelector("h1");
  const contents = document.querySelector("#jb-print-toc");
  if (h1 && contents && contents.querySelector("a")) {
    contents.classList.add("nn-print-contents");
    h1.after(contents);
  }
  // A section's id on its heading: a link (and the table of contents) then leads to the page
  // of the heading, not to the foot of the page before, where the section's margin begins.
  article.querySelectorAll("section[id]").forEach((section) => {
    const heading = section.querySelector(":scope > h1, :scope > h2, :scope > h3, :scope > h4");
    if (heading && !heading.id) { heading.id = section.id; section.removeAttribute("id"); }
  });
  // Ids unique in the whole book (every chapter has a "summary"), links to other pages online.
  article.querySelectorAll("[id]").forEach((el) => {
    if (!el.closest("#jb-print-toc")) el.id = prefix + el.id;
  });
  document.querySelectorAll("a[href]").forEach((a) => {
    const href = a.getAttribute("href");
    if (href.startsWith("#")) a.setAttribute("href", "#" + prefix + href.slice(1));
    else if (a.href.startsWith(base)) a.setAttribute("href", LINK + a.href.slice(base.length));
  });
  const text = (el) => {  // a heading's text; a formula gives the text of its MathML
    const copy = el.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach((x) => x.remove());
    copy.querySelectorAll("mjx-container").forEach((m) => {
      const mml = m.querySelector("mjx-assistive-mml");
      m.replaceWith(mml ? mml.textContent : "");
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  };
  const number = h1 && h1.querySelector(".section-number");
  return {
    problems,
    title: h1 ? text(h1).replace(/^[\d.]+\s*/, "") : document.title,
    number: number ? number.textContent.replace(/[.\s]+$/, "").trim() : "",
    sections: Array.from(article.querySelectorAll("section > h2")).map((h) => ({
      title: text(h), id: h.id,
    })),
  };
}
"""


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def running_css(book_title: str, chapter: str, first_page: int) -> str:
    """The page header of one chapter, and its first page number."""
    box = "font: 8.5pt sans-serif; color: #555;"
    return (
        f"@page {{ @top-left {{ content: {css_string(book_title)}; {box} }}"
        f" @top-right {{ content: {css_string(chapter)}; {box} }} }}\n"
        "@page :first { @top-left { content: none; } @top-right { content: none; } }\n"
        f"html {{ counter-reset: page {first_page - 1}; }}\n"
    )


@dataclass
class Chapter:
    """One printed page of the site: where it starts in the book and what it holds."""

    path: str
    title: str
    number: str  # "3" for chapter 3; "" for the introduction and the appendices
    pdf: bytes = b""
    pages: int = 0
    first_page: int = 0  # in the book's numbering (1 = the introduction's first page)
    sections: list = field(default_factory=list)  # (title, page in the book's numbering, id)
    anchors: dict = field(default_factory=dict)  # id -> (page within the chapter, y)
    label: str = WORDS["en"]["chapter"]

    @property
    def heading(self) -> str:
        return self.label.format(number=self.number, title=self.title) if self.number \
            else self.title


def wait_for_mathjax(page, timeout_ms: int = 10000) -> bool:
    """Wait until MathJax (if the page loads it) has typeset the page; True if it ran."""
    if not page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')"):
        return False
    page.wait_for_function(
        "() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise",
        timeout=timeout_ms)
    page.evaluate("() => window.MathJax.startup.promise.then(() => true)")
    return True


def wait_until_typeset(page, timeout_ms: int = 30000) -> None:
    """Wait for MathJax (when the page loads it), web fonts and images."""
    if wait_for_mathjax(page, timeout_ms):
        if page.evaluate("() => document.querySelectorAll('mjx-container').length") == 0 and \
                page.evaluate(r"() => /\\\(|\$\$|\\\[/.test(document.body.innerText)"):
            raise RuntimeError(f"{page.url}: MathJax left the formulas as TeX")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_function(
        "() => Array.from(document.images).every((img) => img.complete)", timeout=timeout_ms)


def print_page(browser_page, base: str, online: str, path: str, book_title: str,
               first_page: int, words: dict = WORDS["en"]) -> Chapter:
    """Print one page of the site, numbered from ``first_page``; return it as a Chapter."""
    from pypdf import PdfReader

    response = browser_page.goto(base + path, wait_until="load")
    if response is None or response.status != 200:
        raise RuntimeError(f"{base + path}: HTTP {response.status if response else 'no answer'}"
                           " (is the book built?)")
    if not browser_page.evaluate("() => !!document.querySelector('link[href*=\"print.css\"]')"):
        raise RuntimeError(f"{path} was built before the book had its print stylesheet "
                           "(_static/print.css): rebuild the book with `jupyter-book build . "
                           "--all` (the student edition: remove _build/student-book first)")
    wait_until_typeset(browser_page)
    info = browser_page.evaluate(PREPARE_JS, {"siteUrl": online, "base": base, "path": path,
                                              "prefix": anchor_prefix(path), "LINK": LINK,
                                              "caption": words["caption"]})
    if info.get("error") or info["problems"]:
        raise RuntimeError(f"{path}: {info.get('error') or '; '.join(info['problems'])}")
    chapter = Chapter(path, info["title"], info["number"], first_page=first_page,
                      label=words["chapter"])
    browser_page.add_style_tag(content=running_css(book_title, chapter.heading, first_page))
    chapter.pdf = browser_page.pdf(prefer_css_page_size=True, print_background=True,
                                   outline=False, tagged=True)
    reader = PdfReader(io.BytesIO(chapter.pdf))
    chapter.pages = len(reader.pages)
    # Chromium names the targets of the page's own links (its list of sections, above all).
    for name, dest in reader.named_destinations.items():
        chapter.anchors[name.lstrip("/")] = (reader.get_destination_page_number(dest),
                                             float(dest.get("/Top") or 0))
    for section in info["sections"]:  # the ids have the page's prefix already
        page = chapter.anchors.get(section["id"], (None,))[0]
        chapter.sections.append((section["title"], None if page is None else first_page + page,
                                 section["id"]))
    return chapter


LINK = "nnprint:"  # links to a page of the book, until resolve_links makes them internal


def anchor_prefix(path: str) -> str:
    """What the ids of page ``path`` are prefixed with in the PDF (every chapter has a
    "summary")."""
    return re.sub(r"\W", "-", path.removesuffix(".html")) + "--"


def resolve_links(writer, chapters: list, n_front: int, online: str) -> int:
    """Turn the ``nnprint:PAGE#ID`` links of the joined PDF into links to their place in it;
    a page that is not printed gets its online address. Returns the number of links made."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NullObject, TextStringObject

    first = {c.path: n_front + c.first_page - 1 for c in chapters}
    places = {name: (first[c.path] + page, top) for c in chapters
              for name, (page, top) in c.anchors.items()}
    made = 0
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            uri = str((link.get("/A") or {}).get("/URI", ""))
            if not uri.startswith(LINK):
                continue
            path, _, fragment = uri[len(LINK):].partition("#")
            index, top = places.get(anchor_prefix(path) + fragment, (first.get(path), None))
            if index is None:
                link["/A"][NameObject("/URI")] = TextStringObject(online + uri[len(LINK):])
                continue
            del link["/A"]
            link[NameObject("/Dest")] = ArrayObject([
                writer.pages[index].indirect_reference, NameObject("/XYZ"), NullObject(),
                NullObject() if top is None else FloatObject(top), NullObject()])
            made += 1
    return made


# ---- the front matter and the whole book --------------------------------------------------------

FRONT_CSS = """
@page { size: A4; margin: 22mm 20mm;
  @bottom-center { content: counter(page, lower-roman); font: 9pt sans-serif; color: #444; } }
@page :first { @bottom-center { content: none; } }
body { font-family: "DejaVu Sans", "NanumGothic", sans-serif; font-size: 10.5pt; color: #111; }
.title-page { height: 240mm; display: flex; flex-direction: column; justify-content: center;
  text-align: center; break-after: page; }
.title-page h1 { font-size: 30pt; margin: 0 0 6mm; }
.title-page .edition { font-size: 15pt; margin: 0 0 18mm; color: #333; }
.title-page p { margin: 2mm 0; }
.title-page .url { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5pt; }
h2 { font-size: 18pt; margin: 0 0 8mm; }
.part { font-weight: bold; margin: 6mm 0 2mm; font-size: 11pt; text-transform: uppercase;
  letter-spacing: 0.05em; color: #333; }
.entry { display: flex; align-items: baseline; margin: 0; color: inherit; text-decoration: none; }
.entry .name { flex: 0 1 auto; }
.entry .dots { flex: 1 1 auto; border-bottom: 1px dotted #888; margin: 0 2mm; }
.entry .page { flex: 0 0 auto; min-width: 8mm; text-align: right; }
.chapter { font-weight: bold; margin-top: 3mm; }
.section { padding-left: 9mm; font-size: 9.5pt; color: #222; margin-top: 0.6mm; }
"""


def front_matter_html(title: str, edition: str, author: str, online: str, chapters: list,
                      parts: dict, lang: str = "en") -> str:
    """The title page and the table of contents (with page numbers), as an HTML document."""
    e = html.escape
    words = WORDS[lang]

    def entry(kind, name, page, target):
        shown = "" if page is None else str(page)
        return (f'<a class="entry {kind}" href="{e(LINK + target)}"><span class="name">'
                f'{e(name)}</span><span class="dots"></span><span class="page">{shown}</span></a>')

    rows = []
    for chapter in chapters:
        if chapter.path in parts:
            rows.append(f'<div class="part">{e(parts[chapter.path])}</div>')
        name = f"{chapter.number}  {chapter.title}" if chapter.number else chapter.title
        rows.append(entry("chapter", name, chapter.first_page, chapter.path))
        prefix = anchor_prefix(chapter.path)
        rows += [entry("section", name, page, f"{chapter.path}#{anchor.removeprefix(prefix)}")
                 for name, page, anchor in chapter.sections]
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f'<style>{FRONT_CSS}</style></head><body>'
        f'<section class="title-page"><h1>{e(title)}</h1>'
        f'<p class="edition">{e(edition)}</p><p>{e(author)}</p>'
        f'<p>{e(words["online"])}</p>'
        f'<p class="url">{e(online)}</p></section>'
        f'<section class="contents"><h2>{e(words["contents"])}</h2>{"".join(rows)}</section>'
        '</body></html>'
    )


def part_captions(root: Path, lang: str = "en") -> dict:
    """``{first page of a part: its caption}`` from ``_toc.yml``."""
    toc, folder = _toc(root, lang)
    captions = {}
    for part in toc.get("parts") or []:
        chapters = part.get("chapters") or []
        if part.get("caption") and chapters and "file" in chapters[0]:
            captions[folder + re.sub(r"\.(md|ipynb)$", "", chapters[0]["file"]) + ".html"] = \
                part["caption"]
    return captions


def print_book(root: Path, site: Path, out: Path, student: bool = False,
               online: str | None = None, log=print, browser=None, lang: str = "en") -> dict:
    """Print the built ``site`` of the book in ``root`` into the PDF ``out`` (``lang``: the
    edition; a translation's pages are the site's ``<lang>/`` folder).

    ``browser``: a Playwright Chromium to use (default: start Debian's). Returns ``{"pages":
    N, "front_pages": F, "seconds": S, "chapters": [Chapter, ...]}``. Raises ``RuntimeError``
    when the site is missing or stale, a page does not load or typeset, or there is no browser.
    """
    from pypdf import PdfReader, PdfWriter

    root, site, out = Path(root).resolve(), Path(site).resolve(), Path(out).resolve()
    start = time.perf_counter()
    online = site_url(root, online)  # a wrong address fails before anything is printed
    paths = toc_pages(root, lang)
    words = WORDS[lang]
    missing = [p for p in paths if not (site / p).is_file()]
    if missing:
        raise RuntimeError(f"{site} lacks {', '.join(missing)}: build the book first")
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    if lang != "en":
        from .editions import edition_config

        config = edition_config(root, lang, english=config)
    title = str(config.get("title") or "Book")
    author = str(config.get("author") or "")
    edition = words["student"] if student else words["complete"]

    chapters, next_page = [], 1
    with serve(site) as base, (contextlib.nullcontext(browser) if browser else chromium()) \
            as browser:
        context = browser.new_context()
        # Nothing leaves the machine: every request outside the local server is refused.
        context.route(lambda url: not url.startswith((base, "data:", "about:", "blob:")),
                      lambda route: route.abort())
        page = context.new_page()
        for path in paths:
            chapter = print_page(page, base, online, path, title, next_page, words)
            log(f"  {chapter.heading}: pages {next_page}-{next_page + chapter.pages - 1}")
            for name, number, _ in chapter.sections:
                if number is None:
                    log(f"  warning: no page found for {name!r}; the contents leave it blank")
            chapters.append(chapter)
            next_page += chapter.pages
        # The title page gives the online edition in the same language.
        edition_url = online if lang == "en" else f"{online}{lang}/"
        page.set_content(front_matter_html(title, edition, author, edition_url, chapters,
                                           part_captions(root, lang), lang), wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        front = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True)
        context.close()

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)), import_outline=False)
    n_front = len(writer.pages)
    for chapter in chapters:
        writer.append(PdfReader(io.BytesIO(chapter.pdf)), import_outline=False)
    resolve_links(writer, chapters, n_front, online)
    # Page labels: i, ii, ... for the front matter, then 1, 2, ... as printed on the pages.
    writer.set_page_label(0, n_front - 1, style="/r")
    writer.set_page_label(n_front, len(writer.pages) - 1, style="/D", start=1)
    writer.add_outline_item(title=words["contents"], page_number=1 if n_front > 1 else 0)
    for chapter in chapters:
        item = writer.add_outline_item(title=chapter.heading,
                                       page_number=n_front + chapter.first_page - 1)
        for name, page_number, _ in chapter.sections:
            if page_number is not None:
                writer.add_outline_item(title=name, page_number=n_front + page_number - 1,
                                        parent=item)
    writer.add_metadata({"/Title": f"{title}{words['student_suffix'] if student else ''}",
                         "/Author": author, "/Subject": online, "/Creator": "nnlib.instructor pdf"})
    writer.page_mode = "/UseOutlines"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as handle:
        writer.write(handle)
    seconds = time.perf_counter() - start
    total = len(writer.pages)
    log(f"{out}: {total} pages ({n_front} of front matter) in {seconds:.0f} s")
    return {"pages": total, "front_pages": n_front, "seconds": seconds, "chapters": chapters}


def build_site(root: Path, student: bool, log=print) -> Path:
    """Build (incrementally) the book or its student edition; return its HTML folder."""
    from .editions import build
    from .studentbook import build_student_book

    root = Path(root).resolve()
    if student:
        return build_student_book(root, root / "_build" / "student-book", log=log)
    build(root, log=log)
    return root / "_build" / "html"

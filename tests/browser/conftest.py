"""Fixtures of the browser tests: build the book, serve it, drive headless Chromium.

The tests in this folder (marker ``browser``) open every page of the built site in Debian's
Chromium (``/usr/bin/chromium``) through Playwright's Python package. They never run
``playwright install``: Playwright only drives the system browser.

Environment variables
---------------------
``NNBOOK_SKIP_BUILD=1``
    Do not rebuild the book; test the existing ``_build/html`` as it is. By default the
    strict build of both editions (``python -m nnlib.instructor build``, the README's) runs first;
    it is incremental and notebook execution is cached, so it is quick when nothing changed.
``NNBOOK_SITE_DIR=/some/dir``
    Test that folder instead of ``_build/html`` (implies no build). Used to check that the
    tests catch a broken site: copy the site, break the copy, point the tests at it.
``NNBOOK_CHROMIUM=/path/to/chromium``
    Another Chromium binary (default ``/usr/bin/chromium``).
``CI``
    When set, a missing Chromium or Playwright fails the tests instead of skipping them.

Run: ``python -m pytest tests/browser -q`` (or ``-m browser``; ``-m "not browser"`` leaves
them out and then no build runs).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The browser (NNBOOK_CHROMIUM, its flags) and the local server are the printed edition's.
from nnlib.instructor.printed import CHROMIUM, CHROMIUM_ARGS, serve, wait_for_mathjax

REPO = Path(__file__).resolve().parents[2]
BUILD_DIR = REPO / "_build" / "html"
SCREENSHOT_DIR = REPO / "_build" / "browser-screenshots"
# Folders of the built site that hold no pages: _static/*.html are the themes' Jinja macro
# files ({% macro %} ... {{ pathto(...) }}), copied verbatim with the theme's assets, and
# _sources holds the page sources. Every other .html file is a page and is tested.
NOT_PAGES = ("_static", "_sources")
# The translated editions' folders in the site (ko/): their pages are tested like the English
# ones, except by the tests marked english_pages (screenshots, the dark theme).
TRANSLATIONS = ("ko",)
# Stands in for the page list when there is none (no build, build failed): the tests then
# fail (or skip) through their fixtures with the reason, instead of pytest silently
# skipping an empty parameter set.
NO_PAGES = "<no pages built>"

_site_key = pytest.StashKey["Site"]()


@dataclass
class Site:
    html_dir: Path
    build_requested: bool
    build_error: str | None = None  # the end of the build's output when it failed
    pages: list[str] = field(default_factory=list)  # paths relative to html_dir, "/"-separated

    def find_pages(self) -> None:
        if not self.html_dir.is_dir():
            self.pages = []
            return
        self.pages = sorted(
            p.relative_to(self.html_dir).as_posix()
            for p in self.html_dir.rglob("*.html")
            if not set(p.relative_to(self.html_dir).parts) & set(NOT_PAGES)
        )


def browser_problem() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "the browser tests need the 'playwright' Python package "
            "(pip install -r requirements-test.txt) and Chromium (apt-get install -y chromium)"
        )
    if not Path(CHROMIUM).is_file():
        return f"the browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium"
    return None


def skip_or_fail(reason: str):
    """Outside CI a missing browser skips the tests; in CI (CI=true) it fails them."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def build_book() -> str | None:
    """Run the strict build of every edition (the README's, ``python -m nnlib.instructor
    build``); return None, or the last 40 lines of its output if it failed."""
    result = subprocess.run(
        [sys.executable, "-m", "nnlib.instructor", "build"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if result.returncode == 0:
        return None
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # Sphinx's colours
    tail = "\n".join(output.splitlines()[-40:])
    return f"the strict book build exited with {result.returncode}; its last 40 lines:\n{tail}"


def browser_tests_deselected(config) -> bool:
    """True when ``-m`` surely leaves out every ``browser`` test (e.g. ``-m "not browser"``)."""
    markexpr = config.option.markexpr
    if not markexpr:
        return False
    try:
        from _pytest.mark.expression import Expression

        return not Expression.compile(markexpr).evaluate(lambda name, **kw: name == "browser")
    except Exception:  # a private pytest API: if it changes, build rather than guess
        return False


def say(config, line: str) -> None:
    """Print a line now, even while pytest captures output (it does during collection)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        return
    if capture is None:
        reporter.write_line(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)


def get_site(config) -> Site:
    """The site under test; builds it first (once per session) unless told not to.

    Why the build runs here, at collection time: the page tests are parametrized over every
    .html file of the site, and the list is only right after the build (a fresh clone has no
    _build/html; a new chapter has no page until it is built). So the first time a browser
    test is parametrized (pytest_generate_tests, below), the book is built and then listed.
    Only collecting this folder triggers it, and ``-m "not browser"`` skips it. The
    ``site`` fixture reports a failed build, so every browser test fails with its output.
    """
    site = config.stash.get(_site_key, None)
    if site is not None:
        return site
    custom = os.environ.get("NNBOOK_SITE_DIR")
    skip_build = bool(custom) or os.environ.get("NNBOOK_SKIP_BUILD") == "1"
    site = Site(Path(custom).resolve() if custom else BUILD_DIR, build_requested=not skip_build)
    # No build when the tests cannot run anyway (no browser here) or were deselected.
    if site.build_requested and browser_problem() is None and not browser_tests_deselected(config):
        say(config, "browser tests: building the book (NNBOOK_SKIP_BUILD=1 skips) ...")
        start = time.perf_counter()
        site.build_error = build_book()
        outcome = "FAILED" if site.build_error else "done"
        say(config, f"browser tests: book build {outcome} in {time.perf_counter() - start:.0f} s")
    site.find_pages()
    config.stash[_site_key] = site
    return site


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        site = get_site(metafunc.config)
        # After a failed build, one placeholder instead of every (stale) page: the tests
        # fail through the site fixture, with the build's output, a few times, not 5 x pages.
        pages = [NO_PAGES] if site.build_error or not site.pages else site.pages
        if metafunc.definition.get_closest_marker("english_pages") and pages != [NO_PAGES]:
            pages = [p for p in pages if p.split("/")[0] not in TRANSLATIONS]
        metafunc.parametrize(
            "page_path", pages, ids=[p.replace("/", "__") for p in pages], scope="module"
        )


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def site(request) -> Site:
    """The built site, current with the sources (see get_site); fails if the build failed."""
    site = get_site(request.config)
    if site.build_error:
        pytest.fail(site.build_error, pytrace=False)
    if not site.pages:
        if os.environ.get("NNBOOK_SITE_DIR"):
            hint = "check NNBOOK_SITE_DIR"
        elif not site.build_requested:
            hint = "build the book, or unset NNBOOK_SKIP_BUILD"
        else:
            hint = "the build made none: check _toc.yml"
        pytest.fail(f"no HTML pages in {site.html_dir}: {hint}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def base_url(site) -> str:
    """``http://127.0.0.1:PORT/`` serving the site (a thread in this process)."""
    with serve(site.html_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    problem = browser_problem()
    if problem:
        skip_or_fail(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:
            skip_or_fail(f"Chromium at {CHROMIUM} did not start ({exc}); apt-get install -y chromium")
        yield browser
        browser.close()


def is_local(url: str, base_url: str) -> bool:
    """Whether loading ``url`` stays on this machine: the test server or inline data."""
    return (
        url.startswith(base_url)
        or url.startswith(("data:", "about:"))
        or url.startswith("blob:" + base_url.rstrip("/"))
    )


@dataclass
class Visit:
    """One page opened in its own browser context, with what happened while it was open."""

    page: object
    base_url: str
    path: str = ""  # the page shown, relative to base_url (after a redirect: its target)
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)  # local responses with status >= 400
    failed: dict[str, str] = field(default_factory=dict)  # URL -> why it failed (aborted: ERR_FAILED)
    status: int | None = None
    math_problem: str | None = None  # set by settle() when MathJax did not finish

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not is_local(u, self.base_url)]

    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"]

    def wait_for_math(self, timeout_ms: int = 10000) -> bool:
        """Wait until MathJax (if the page loads it) has typeset the page; True if it ran."""
        return wait_for_mathjax(self.page, timeout_ms)

    def settle(self) -> None:
        """Wait for MathJax, web fonts and the network to be done. A MathJax that never
        starts is recorded in math_problem (test_math_is_typeset reports it), not raised,
        so that the other tests of the page still say what they see (e.g. a 404)."""
        try:
            self.wait_for_math()
        except Exception as exc:  # playwright's TimeoutError
            self.math_problem = f"MathJax did not finish typesetting: {exc}".splitlines()[0]
        self.page.evaluate("() => document.fonts.ready.then(() => true)")
        self.page.wait_for_load_state("networkidle")

    def close(self) -> None:
        self.page.close()


# Run before any script of every page of the dark context: the colour mode a reader chose
# earlier, as pydata-sphinx-theme stores it (its switch button writes these two keys and its
# head script reads them before the page is drawn).
DARK_MODE_JS = 'localStorage.setItem("mode", "dark"); localStorage.setItem("theme", "dark");'


def offline_context(browser, base_url, init_script: str | None = None):
    """A new context (a fresh profile) in which nothing leaves the machine: every request
    for a URL outside the test server is aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(lambda url: not is_local(url, base_url), lambda route: route.abort())
    if init_script:
        context.add_init_script(init_script)
    return context


@pytest.fixture(scope="session")
def browser_context(browser, base_url):
    """One context for the session (see offline_context). (A context per test costs
    about 0.4 s here; each test gets its own page instead.)"""
    context = offline_context(browser, base_url)
    yield context
    context.close()


@pytest.fixture(scope="session")
def dark_browser_context(browser, base_url):
    """Like browser_context, for a reader who switched the theme to dark: every page opens
    in dark mode. A context of its own, so that the other tests keep the light theme."""
    context = offline_context(browser, base_url, DARK_MODE_JS)
    yield context
    context.close()


def page_opener(context, site, base_url):
    """``open_("book/intro.html")`` opens the page in a new page of ``context``: a Visit.

    Every request the page makes is recorded; requests that would leave the machine are
    aborted (see offline_context) and reported by outside_requests(). A meta-refresh
    redirect (index.html) is followed. The caller closes the Visit.
    """

    def open_(path: str) -> Visit:
        page = context.new_page()
        record = Visit(page, base_url)
        page.on("request", lambda r: record.requests.append(r.url))
        page.on("console", lambda m: record.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: record.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: record.failed.__setitem__(r.url, r.failure or ""))
        page.on(
            "response",
            lambda r: record.bad_responses.append(f"{r.status} {r.url}")
            if r.status >= 400 and is_local(r.url, base_url) else None,
        )
        response = page.goto(base_url + path, wait_until="load")
        record.status = response.status if response else None
        source = (site.html_dir / path).read_text(encoding="utf-8", errors="replace")
        if re.search(r"<meta[^>]+http-equiv=.?refresh", source, re.IGNORECASE):
            page.wait_for_url(lambda url: url != base_url + path, timeout=10000)
            page.wait_for_load_state("load")
        record.path = page.url.removeprefix(base_url).split("#")[0].split("?")[0]
        return record

    return open_


@pytest.fixture(scope="session")
def open_page(browser_context, site, base_url):
    """``open_page("book/intro.html")`` opens the page (light theme): see page_opener."""
    return page_opener(browser_context, site, base_url)


@pytest.fixture(scope="session")
def open_dark_page(dark_browser_context, site, base_url):
    """``open_dark_page("book/intro.html")`` opens the page in dark mode: see page_opener."""
    return page_opener(dark_browser_context, site, base_url)


@pytest.fixture
def visit(open_page):
    """Like open_page, closed at the end of the test."""
    visits = []

    def open_(path: str) -> Visit:
        visits.append(open_page(path))
        return visits[-1]

    yield open_
    for v in visits:
        v.close()


@pytest.fixture(scope="module")
def loaded_page(open_page, page_path) -> Visit:
    """The page of ``page_path``, loaded once and settled, shared by the tests that only
    look at it (page_path is parametrized with module scope, so pytest runs all tests of one
    page together and this page is loaded once for them). Tests that click use ``visit``."""
    v = open_page(page_path)
    v.settle()
    yield v
    v.close()


@pytest.fixture(scope="module")
def dark_page(open_dark_page, page_path) -> Visit:
    """Like loaded_page, in dark mode (see dark_browser_context)."""
    v = open_dark_page(page_path)
    v.settle()
    yield v
    v.close()


@pytest.fixture(scope="session")
def screenshot_dir(site) -> Path:
    """``_build/browser-screenshots``, emptied at the start of the session."""
    if SCREENSHOT_DIR.exists():
        shutil.rmtree(SCREENSHOT_DIR)
    SCREENSHOT_DIR.mkdir(parents=True)
    return SCREENSHOT_DIR


def screenshot_name(page_path: str, prefix: str = "") -> str:
    """book/intro.html -> book__intro.html.png (with a prefix: dark__book__intro.html.png)."""
    return prefix + page_path.replace("/", "__") + ".png"


def save_full_page_screenshot(page, target: Path) -> None:
    """Save a screenshot of the whole page at ``target`` and fail if it is (nearly) blank."""
    page.screenshot(path=str(target), full_page=True)
    assert target.is_file(), f"no screenshot at {target}"
    size = target.stat().st_size
    assert size > 5000, f"{target} is only {size} bytes: a blank page?"
    # A blank 1280 x 900 page is about 5.3 kB of PNG, so look at the pixels too.
    from PIL import Image  # pillow comes with matplotlib

    with Image.open(target) as image:
        assert image.getcolors(maxcolors=16) is None, f"{target}: (nearly) blank page"

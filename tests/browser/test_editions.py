"""The Korean edition of the built site (``_build/html/ko/``): every page there, mostly in
Hangul, linked both ways to the same section of its English page, and searchable in Korean.

(The page tests of test_site.py and test_accessibility.py run on the Korean pages too: no
console error, no outside request, math typeset, explorers switch, axe in both themes.)
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from nnlib.instructor.translation import english_pages, hangul_share

from .conftest import REPO

pytestmark = pytest.mark.browser


def pages() -> list[tuple[str, str]]:
    """(English page, Korean page) of every page of the book, as site paths."""
    out = []
    for page in english_pages(REPO):
        name = page.relative_to(REPO / "book").with_suffix(".html").as_posix()
        out.append((f"book/{name}", f"ko/{name}"))
    return out


PAGES = pages()


def language_link(visit) -> dict:
    return visit.page.evaluate("""() => {
        const a = document.querySelector('nav.nb-language a.nb-language-link');
        return a && {href: a.href, hreflang: a.getAttribute('hreflang'),
                     sections: JSON.parse(a.dataset.sections)};
    }""")


def section_index(visit, anchor: str) -> int:
    """The position (among the article's sections) of the section that holds ``anchor``."""
    return visit.page.evaluate("""(anchor) => {
        const el = document.getElementById(anchor);
        if (!el) return -2;
        const sections = [...document.querySelector('article.bd-article').querySelectorAll('section')];
        const s = el.tagName === 'SECTION' ? el : el.closest('section');
        return sections.indexOf(s);
    }""", anchor)


@pytest.mark.parametrize("english,korean", PAGES, ids=[k for _, k in PAGES])
def test_language_links_lead_to_the_same_section_both_ways(site, visit, english, korean):
    en = visit(english)
    en.settle()
    link = language_link(en)
    assert link and link["hreflang"] == "ko", f"{english} has no link to the Korean edition"
    assert link["href"].split("#")[0].endswith(korean)
    sections = link["sections"]
    # Read a section in the middle of the page: the link follows to it.
    middle = len(sections) // 2
    anchor = sections[middle]
    en.page.evaluate("(a) => document.getElementById(a).scrollIntoView()", anchor)
    en.page.wait_for_timeout(100)
    href = language_link(en)["href"]
    if middle > 0:
        assert href.endswith(f"{korean}#{anchor}"), f"{english}: the link does not follow " \
            f"the section being read ({anchor}): {href}"
    ko = visit(korean)
    ko.page.goto(href)
    ko.settle()
    assert ko.page.evaluate("() => document.documentElement.lang") == "ko"
    assert section_index(ko, anchor) == middle, \
        f"{korean}#{anchor} is not the Korean page's section {middle} (the English one's)"
    back = language_link(ko)
    assert back and back["hreflang"] == "en", f"{korean} has no link to the English edition"
    assert back["href"].split("#")[0].endswith(english)
    assert len(back["sections"]) == len(sections)
    ko.page.evaluate("(a) => document.getElementById(a).scrollIntoView()", anchor)
    ko.page.wait_for_timeout(100)
    if middle > 0:
        assert language_link(ko)["href"].endswith(f"{english}#{back['sections'][middle]}")
        assert back["sections"][middle] == anchor
    assert not en.console_errors() and not ko.console_errors()
    assert not en.outside_requests() and not ko.outside_requests()


@pytest.mark.parametrize("korean", [k for _, k in PAGES])
def test_korean_pages_are_written_in_korean(site, visit, korean):
    """The main text (code, outputs, math and figures left out) is mostly Hangul."""
    v = visit(korean)
    text = v.page.evaluate("""() => {
        const article = document.querySelector('article.bd-article').cloneNode(true);
        article.querySelectorAll('pre, code, .cell_output, .output, mjx-container, .math, '
                                 + 'script, style, nav.nb-language, .citation, dt')
               .forEach(e => e.remove());
        return article.innerText;
    }""")
    share = hangul_share(text)
    assert share > 0.6, f"{korean}: only {share:.0%} of the letters of its text are Hangul"


SEARCHES = [("퍼셉트론", "01_perceptron"), ("역전파", "04_backprop"),
            ("경사하강법", "05_gradient_descent"),
            # These pages write the word only with a particle attached (편향을, 편향이;
            # 배치로, 배치를), and Sphinx's own fallback, matching index words that contain
            # the query, applies only to queries of three letters or more: without the
            # Korean stemmer these two searches miss them.
            ("편향", "03_activations"), ("배치", "06_optimizers")]


def search(visit, query: str) -> list[str]:
    v = visit("ko/search.html")
    v.page.goto(f"{v.base_url}ko/search.html?q={quote(query)}")
    v.page.wait_for_function(
        "() => { const s = document.querySelector('#search-results');"
        " return s && /검색|Search|찾/.test(s.innerText) && s.querySelector('p, li'); }",
        timeout=20000)
    v.page.wait_for_function(
        "() => !document.querySelector('#search-progress') ||"
        " document.querySelector('#search-progress').innerText === ''", timeout=20000)
    return v.page.evaluate(
        "() => [...document.querySelectorAll('#search-results ul.search li a')]"
        ".map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("query,chapter", SEARCHES, ids=[q for q, _ in SEARCHES])
def test_korean_search_finds_the_chapter(site, visit, query, chapter):
    found = search(visit, query)
    assert any(h.split("#")[0].split("?")[0].endswith(f"{chapter}.html") for h in found), \
        f"searching {query} on the Korean site found {found}, not {chapter}"


def test_korean_query_and_index_strip_particles_alike(site, visit):
    """The JavaScript stemmer of the search page strips the same particles as the Python
    one that built the index (nnbook_editions.strip_particle)."""
    import sys

    sys.path.insert(0, str(REPO / "book" / "_ext"))
    from nnbook_editions import strip_particle

    words = ["퍼셉트론은", "퍼셉트론의", "역전파를", "경사하강법으로", "가중치에서는", "층",
             "편향과", "손실", "gradients", "learning"]
    v = visit("ko/search.html")
    v.page.wait_for_function("() => typeof Stemmer !== 'undefined'")
    js = v.page.evaluate("(ws) => { const s = new Stemmer(); return ws.map(w => s.stemWord(w)); }",
                         words)
    from sphinx.search.en import SearchEnglish

    english = SearchEnglish({})
    expected = [strip_particle(w) if re.search("[가-힣]", w) else english.stem(w) for w in words]
    assert js == expected
    assert expected[:4] == ["퍼셉트론", "퍼셉트론", "역전파", "경사하강법"]
    # and the index holds the stripped word, not only its particle forms
    index = (site.html_dir / "ko" / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index[index.index("(") + 1: index.rindex(")")])["terms"]
    assert "퍼셉트론" in terms and "퍼셉트론은" not in terms

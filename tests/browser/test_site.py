"""Every page of the built book in headless Chromium: loads cleanly and offline, math is
typeset, a screenshot is saved, and every explorer switches to the right frame.

The book is built (strictly) before these tests unless ``NNBOOK_SKIP_BUILD=1``; see
conftest.py for that and the other environment variables (``NNBOOK_SITE_DIR``, ``CI``).
Screenshots land in ``_build/browser-screenshots/<page path, / as __>.png``
(``book__intro.html.png``).
"""

from __future__ import annotations

import html
import itertools
import json
import random
import re

import pytest

from .conftest import BUILD_DIR, NOT_PAGES, REPO, save_full_page_screenshot, screenshot_name

pytestmark = pytest.mark.browser

MATH_DELIMITERS = ("\\(", "\\[", "$$")
# Visible text of the page outside code, scripts and typeset math.
PAGE_TEXT_JS = """() => {
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "PRE", "CODE", "TEXTAREA",
                        "MJX-CONTAINER"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let e = node.parentElement; e; e = e.parentElement) {
        if (skip.has(e.tagName)) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
  return parts.join(" ");
}"""
# What an explorer shows: its key, the frames actually rendered, the controls and outputs.
EXPLORER_STATE_JS = """(root) => ({
  key: root.dataset.key,
  alts: [...root.querySelectorAll(".nn-explorer-frame")]
    .filter(f => getComputedStyle(f).display !== "none" && f.getClientRects().length > 0)
    .flatMap(f => [...f.querySelectorAll("img")].map(img => img.alt)),
  visible: [...root.querySelectorAll(".nn-explorer-frame")]
    .filter(f => getComputedStyle(f).display !== "none" && f.getClientRects().length > 0)
    .map(f => Number(f.dataset.frame)),
  notHidden: [...root.querySelectorAll(".nn-explorer-frame")]
    .filter(f => !f.hidden).map(f => Number(f.dataset.frame)),
  controls: [...root.querySelectorAll("[data-param]")].map(c => ({
    param: c.dataset.param,
    value: c.value,
    shown: c.tagName === "SELECT" ? c.selectedOptions[0].textContent
                                  : (c.parentNode.querySelector("output") || {}).textContent,
  })),
})"""


# Sets every combination of an explorer's controls (input + change events, as a user's
# moves fire) and lists those where the frame shown is not exactly the one the index names
# or whose image's alt text does not end with that setting, "(w = 1, b = 0)".
GRID_JS = """(root) => {
  const spec = JSON.parse(root.getAttribute("data-explorer"));
  const controls = spec.params.map(p => root.querySelector(`[data-param="${CSS.escape(p.name)}"]`));
  const frames = [...root.querySelectorAll(".nn-explorer-frame")];
  const wrong = [];
  let keys = [[]];
  for (const p of spec.params) {
    keys = keys.flatMap(k => p.labels.map((_, i) => [...k, i]));
  }
  for (const key of keys) {
    key.forEach((i, n) => {
      controls[n].value = String(i);
      controls[n].dispatchEvent(new Event("input", {bubbles: true}));
      controls[n].dispatchEvent(new Event("change", {bubbles: true}));
    });
    const shown = frames.filter(f => getComputedStyle(f).display !== "none"
                                     && f.getClientRects().length > 0);
    const expected = spec.index[key.join(",")];
    const setting = "(" + spec.params.map((p, n) => `${p.name} = ${p.labels[key[n]]}`)
                                    .join(", ") + ")";
    const alts = shown.flatMap(f => [...f.querySelectorAll("img")].map(img => img.alt));
    if (shown.length !== 1 || Number(shown[0].dataset.frame) !== expected
        || root.dataset.key !== key.join(",") || alts.some(a => !a.endsWith(setting))) {
      wrong.push({key: key.join(","), expected, shown: shown.map(f => f.dataset.frame), alts});
    }
  }
  return wrong;
}"""


def page_source(site, page_path: str) -> str:
    return (site.html_dir / page_path).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# a. loads, no errors, nothing fetched from outside


def test_page_loads_cleanly_and_offline(loaded_page, page_path):
    v = loaded_page
    problems = {
        "requests for URLs outside the site (the book must work offline)": v.outside_requests(),
        "HTTP status of the page": [] if v.status == 200 else [v.status],
        "broken local resources": v.bad_responses,
        "uncaught JavaScript errors": v.page_errors,
        "console errors": v.console_errors(),
    }
    problems = {what: found for what, found in problems.items() if found}
    assert not problems, f"{page_path}: " + "; ".join(
        f"{what}: {found}" for what, found in problems.items()
    )


def test_outside_request_checker_catches_outside_urls(site, visit):
    """The offline check is not vacuous: an image and a script from the internet on a
    served page are reported (and aborted: nothing leaves the machine)."""
    v = visit(site.pages[0])
    v.page.evaluate("""() => {
        const img = document.createElement("img");
        img.src = "https://example.com/x.png";
        document.body.appendChild(img);
        const script = document.createElement("script");
        script.src = "https://cdn.example.com/x.js";
        document.head.appendChild(script);
    }""")
    v.page.wait_for_load_state("networkidle")
    outside = v.outside_requests()
    for url in ("https://example.com/x.png", "https://cdn.example.com/x.js"):
        assert url in outside, f"the checker missed {url}: {v.requests}"
        assert url in v.failed, f"{url} was not blocked: {v.failed}"
    assert all(not u.startswith(("https://example", "https://cdn.example"))
               for u in v.requests if u not in outside)


def test_local_urls_are_local(base_url):
    from .conftest import is_local

    assert is_local(base_url + "_static/x.js", base_url)
    assert is_local("data:image/png;base64,AAAA", base_url)
    assert not is_local("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js", base_url)
    other_port = re.sub(r":(\d+)/$", lambda m: f":{int(m.group(1)) + 1}/", base_url)
    assert not is_local(other_port + "x.js", base_url)


# ---------------------------------------------------------------------------------------------
# b. math is typeset


def test_math_is_typeset(site, loaded_page, page_path):
    has_math = 'class="math' in page_source(site, loaded_page.path)
    v = loaded_page
    assert v.math_problem is None, f"{page_path}: {v.math_problem}"
    typeset = v.wait_for_math()
    containers = v.page.locator("mjx-container").count()
    if has_math:
        assert typeset, f"{page_path} has math but does not load MathJax"
        assert containers > 0, f"{page_path} has math but MathJax typeset none of it"
    text = v.page.evaluate(PAGE_TEXT_JS)
    raw = [d for d in MATH_DELIMITERS if d in text]
    assert not raw, f"{page_path}: untypeset math delimiters {raw} in the text: " + "; ".join(
        " ".join(text[max(0, i - 40): i + 40].split()) for d in raw for i in [text.index(d)]
    )


def test_the_site_has_math(site):
    """So that test_math_is_typeset cannot pass only vacuously: the introduction has math."""
    assert 'class="math' in page_source(site, "book/intro.html")


# ---------------------------------------------------------------------------------------------
# c. screenshots


@pytest.mark.english_pages
def test_full_page_screenshot(loaded_page, page_path, screenshot_dir):
    save_full_page_screenshot(loaded_page.page, screenshot_dir / screenshot_name(page_path))


# ---------------------------------------------------------------------------------------------
# d, e. explorers


def explorer_specs(source: str) -> list[dict]:
    """The data-explorer JSON of each explorer in a page's HTML source."""
    return [
        json.loads(html.unescape(m.group(1)))
        for m in re.finditer(r'class="nn-explorer"[^>]*?data-explorer="([^"]*)"', source)
    ]


def check_state(root, spec: dict, key: tuple[int, ...], where: str):
    state = root.evaluate(EXPLORER_STATE_JS)
    expected_key = ",".join(map(str, key))
    expected_frame = spec["index"][expected_key]
    setting = ", ".join(
        f"{p['name']} = {p['labels'][i]}" for p, i in zip(spec["params"], key)
    )
    where = f"{where} at {setting}"
    assert state["key"] == expected_key, f"{where}: data-key is {state['key']!r}"
    assert len(state["visible"]) == 1, f"{where}: visible frames {state['visible']}, not one"
    assert state["notHidden"] == state["visible"], f"{where}: hidden attribute vs display: {state}"
    assert state["visible"][0] == expected_frame, (
        f"{where}: shows frame {state['visible'][0]}, the index says {expected_frame}"
    )
    # Each frame's alt text names its setting ("... (w = 1, b = 0)"): the frame shown must
    # be the one drawn for the controls' values (this catches a wrong index in the JSON).
    for alt in state["alts"]:
        assert alt.endswith(f"({setting})"), (
            f"{where}: the frame shown is drawn for another setting: alt text {alt!r}"
        )
    for control, param, i in zip(state["controls"], spec["params"], key):
        assert control["param"] == param["name"], f"{where}: controls out of order: {state}"
        assert control["value"] == str(i), f"{where}: {param['name']} has value {control['value']}"
        assert control["shown"] == param["labels"][i], (
            f"{where}: {param['name']} shows {control['shown']!r}, not {param['labels'][i]!r}"
        )


def set_control(root, param: dict, i: int):
    control = root.locator(f'[data-param="{param["name"]}"]')
    if param["kind"] == "slider":
        assert control.evaluate("c => c.type") == "range"
        control.fill(str(i))
        control.dispatch_event("input")
    else:
        assert control.evaluate("c => c.tagName") == "SELECT"
        control.select_option(value=str(i))


def combinations(spec: dict, initial: tuple[int, ...], limit: int = 8) -> list[tuple[int, ...]]:
    """Settings that move two or more controls away from ``initial`` at once: all of them
    for small grids, else a fixed sample of ``limit``. (Each control alone is swept fully
    through Playwright, and every combination is checked by GRID_JS in one call.)"""
    grid = [
        key for key in itertools.product(*(range(len(p["labels"])) for p in spec["params"]))
        if sum(a != b for a, b in zip(key, initial)) >= 2
    ]
    return grid if len(grid) <= limit else random.Random(0).sample(grid, limit)


def test_explorers_switch_frames(site, loaded_page, visit, page_path):
    specs = explorer_specs(page_source(site, loaded_page.path))
    shown = loaded_page.page.locator(".nn-explorer[data-explorer]").count()
    assert shown == len(specs), (
        f"{loaded_page.path}: {shown} explorers in the page, {len(specs)} in its source"
    )
    if not specs or loaded_page.path != page_path:
        return  # nothing to move here; a redirect's target is tested under its own name
    v = visit(page_path)  # a page of its own: this test moves the controls
    roots = v.page.locator(".nn-explorer[data-explorer]")
    for n, spec in enumerate(specs):
        root = roots.nth(n)
        root.scroll_into_view_if_needed()
        where = f"{page_path} explorer {n + 1} ({', '.join(p['name'] for p in spec['params'])})"
        assert spec["params"] and spec["index"], f"{where}: empty spec"
        initial = tuple(int(x) for x in root.evaluate(
            "r => [...r.querySelectorAll('[data-param]')].map(c => c.value)"
        ))
        assert len(initial) == len(spec["params"]), f"{where}: controls vs params"
        check_state(root, spec, initial, f"{where}, initially")

        # Each control on its own, through every value, the others at their initial value.
        for k, param in enumerate(spec["params"]):
            n_values = len(param["labels"])
            for i in [*range(n_values), initial[k]]:
                set_control(root, param, i)
                key = initial[:k] + (i,) + initial[k + 1:]
                check_state(root, spec, key, f"{where}, moving {param['name']} alone")

        # Two or three controls: combinations (all of them for small grids).
        if len(spec["params"]) > 1:
            together = combinations(spec, initial)
            assert together or all(len(p["labels"]) == 1 for p in spec["params"]), where
            for key in together:
                for param, i in zip(spec["params"], key):
                    set_control(root, param, i)
                check_state(root, spec, key, f"{where}, moving several controls")

        # Every combination, driven from inside the page (one call instead of one per step).
        wrong = root.evaluate(GRID_JS)
        assert wrong == [], f"{where}: settings that show the wrong frame: {wrong[:10]}"
        for param, i in zip(spec["params"], initial):
            set_control(root, param, i)
        check_state(root, spec, initial, f"{where}, back to the start")

    assert v.page_errors == [] and v.console_errors() == [], (
        f"{page_path}: errors while using the explorers: {v.page_errors + v.console_errors()}"
    )
    assert v.outside_requests() == []


def test_explorer_frames_are_images_with_alt_text(loaded_page, page_path):
    v = loaded_page
    images = v.page.evaluate("""() => Promise.all(
        [...document.querySelectorAll(".nn-explorer-frame img")].map(img =>
            img.decode().then(() => true, () => false).then(decoded => ({
                frame: img.closest(".nn-explorer-frame").dataset.frame,
                alt: img.getAttribute("alt"),
                decoded: decoded && img.naturalWidth > 0,
            }))))""")
    frames = v.page.locator(".nn-explorer-frame").count()
    assert len(images) >= frames - v.page.locator(".nn-explorer-frame .nn-explorer-error").count(), (
        f"{page_path}: frames without an image: {frames} frames, {len(images)} images"
    )
    no_alt = [i["frame"] for i in images if not (i["alt"] or "").strip()]
    assert no_alt == [], f"{page_path}: explorer frames with images without alt text: {no_alt}"
    broken = [i["frame"] for i in images if not i["decoded"]]
    assert broken == [], f"{page_path}: explorer frames whose image does not decode: {broken}"


def test_the_site_has_explorers(site):
    """So that the explorer tests cannot pass only vacuously: the introduction's explorer
    of a neuron has sliders w and b, and every explorer's frames have a JSON index."""
    all_specs = {p: explorer_specs(page_source(site, p)) for p in site.pages}
    assert sum(map(len, all_specs.values())) >= 1, "no explorer anywhere in the site"
    intro = all_specs.get("book/intro.html", [])
    assert any(
        [(p["name"], p["kind"]) for p in spec["params"]] == [("w", "slider"), ("b", "slider")]
        for spec in intro
    ), f"book/intro.html has no explorer with sliders w and b: {[s['params'] for s in intro]}"


def test_every_page_is_tested(site):
    """The parametrized tests cover every .html file of the site except the themes'
    template fragments in _static/ (see conftest.NOT_PAGES)."""
    html_files = {
        p.relative_to(site.html_dir).as_posix() for p in site.html_dir.rglob("*.html")
    }
    pages = {p for p in html_files if not set(p.split("/")) & set(NOT_PAGES)}
    assert set(site.pages) == pages
    assert {"index.html", "book/intro.html", "ko/index.html", "ko/intro.html"} <= pages


def test_chapter_pages_have_binder_and_colab_buttons(site):
    """Every chapter built from a notebook links to Binder and Colab for that notebook, from
    the repository URL set once in _config.yml; pages that are not notebooks have none."""
    import yaml

    if site.html_dir != BUILD_DIR:
        pytest.skip("NNBOOK_SITE_DIR: the site under test was not built from this repository")
    root = REPO
    config = yaml.safe_load((root / "_config.yml").read_text())
    org_repo = config["repository"]["url"].removeprefix("https://github.com/")
    branch = config["repository"]["branch"]
    notebooks = sorted(p.stem for p in (root / "book").glob("*.ipynb"))
    assert notebooks, "no chapter notebooks in book/"
    # The Korean edition's pages (ko/, from book/ko/) open the Korean notebooks.
    for page_dir, notebook_dir in (("book/", "book/"), ("ko/", "book/ko/")):
        for stem in notebooks:
            source = page_source(site, f"{page_dir}{stem}.html")
            binder = (f'href="https://mybinder.org/v2/gh/{org_repo}/{branch}'
                      f'?urlpath=lab/tree/{notebook_dir}{stem}.ipynb"')
            colab = (f'href="https://colab.research.google.com/github/{org_repo}/blob/{branch}'
                     f'/{notebook_dir}{stem}.ipynb"')
            assert binder in source, f"{page_dir}{stem}.html has no Binder button for its notebook"
            assert colab in source, f"{page_dir}{stem}.html has no Colab button for its notebook"
    for page in ("book/intro.html", "book/glossary.html", "ko/intro.html", "ko/glossary.html"):
        assert "mybinder.org" not in page_source(site, page), f"{page} is not a notebook"


def test_every_image_has_alt_text(site, page_path):
    """Figures (and every other image) carry alt text for readers who cannot see them."""
    images = re.findall(r"<img\b[^>]*>", page_source(site, page_path))
    missing = [tag[:100] for tag in images if not re.search(r'\balt="[^"]*\S[^"]*"', tag)]
    assert missing == [], f"{page_path}: images without alt text: {missing[:3]}"

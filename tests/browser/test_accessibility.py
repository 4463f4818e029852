"""Accessibility of every page of the built book: axe-core's WCAG 2.1 A and AA rules, in the
light and the dark theme and with the explorers moved to other frames; explorer sliders from
the keyboard; figures readable in dark mode.

axe-core comes from the ``axe-playwright-python`` package (its bundled ``axe.min.js`` is
injected into the page: nothing is fetched). It runs every rule tagged wcag2a, wcag2aa,
wcag21a or wcag21aa, the experimental ones among them too (axe leaves those out unless asked;
label-content-name-mismatch, WCAG 2.5.3, is one). A violation fails the test with its rule,
impact, the elements (CSS selectors) and axe's help text.

Dark mode is what a reader gets after switching the theme to dark (conftest.DARK_MODE_JS).
A full-page screenshot of each page in dark mode lands in ``_build/browser-screenshots/``
as ``dark__<page>.png``, next to the light ones.
"""

from __future__ import annotations

import pytest

from .conftest import save_full_page_screenshot, screenshot_name
from .test_site import check_state, explorer_specs, page_source

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs axe on the page (or on the elements of ``context``, an axe context such as
# {include: [[".nn-explorer"]]}), every rule with one of ``tags``, experimental rules included.
#
# Code blocks hold thousands of highlighted tokens (about 5,400 in chapter 6) in a handful of
# colour pairs, and axe's contrast check of each one takes most of a page's run (3-4 times the
# rest). So during the run a rendered token whose colour, background (its own or the nearest
# behind it), font size, weight and opacity repeat an earlier token's is hidden (visibility:
# hidden keeps the layout; no other rule concerns a bare <span>), and every pair is checked
# once, on its first token. The tokens are shown again afterwards.
RUN_AXE_JS = """async ({context, tags}) => {
  const rules = {};
  for (const rule of axe.getRules(tags)) {
    if (rule.tags.includes("experimental")) rules[rule.ruleId] = {enabled: true};
  }
  const backgroundOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") return bg;
    }
    return "none";
  };
  const seen = new Set(), hidden = [];
  let tokens = 0;
  for (const span of document.querySelectorAll(".highlight pre span")) {
    if (!span.getClientRects().length) continue;
    tokens++;
    const s = getComputedStyle(span);
    const key = [s.color, backgroundOf(span), s.fontSize, s.fontWeight, s.opacity].join("|");
    if (!seen.has(key)) { seen.add(key); continue; }
    hidden.push([span, span.style.visibility]);
    span.style.visibility = "hidden";
  }
  let result;
  try {
    result = await axe.run(context || document, {
      runOnly: {type: "tag", values: tags}, rules, resultTypes: ["violations"],
    });
  } finally {
    for (const [span, visibility] of hidden) span.style.visibility = visibility;
  }
  return {
    experimental: Object.keys(rules),
    codeTokens: {rendered: tokens, checked: tokens - hidden.length},
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || ""})),
    })),
  };
}"""


def axe_script() -> str:
    try:
        from axe_playwright_python.base import AXE_SCRIPT
    except ImportError:
        pytest.fail(
            "the accessibility tests need axe-core from the 'axe-playwright-python' package: "
            "pip install -r requirements-test.txt", pytrace=False,
        )
    return AXE_SCRIPT


def run_axe(page, context: dict | None = None) -> dict:
    """axe's WCAG 2.1 A/AA violations on ``page``: {"violations": [...], "experimental": [rule
    ids], "codeTokens": {"rendered": n, "checked": k}}.

    axe-core 4.12 fetches a stylesheet's relative @import from the wrong URL (resolved against
    the page, dequelabs/axe-core#5268): theme.css's "../basic.css" gives a 404 and a console
    error in the page. Only css-orientation-lock reads those rules, and no stylesheet of the
    site has an orientation media query."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    return page.evaluate(RUN_AXE_JS, {"context": context, "tags": AXE_TAGS})


def describe(violations: list[dict], limit: int = 8) -> str:
    """One line per violation (rule, impact, help, count), then its elements and axe's reason."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} elements]")
        for node in v["nodes"][:limit]:
            target = " ".join(map(str, node["target"]))
            reason = " ".join(node["summary"].split())
            lines.append(f"    {target}: {reason[:300]}")
        if len(v["nodes"]) > limit:
            lines.append(f"    ... and {len(v['nodes']) - limit} more")
    return "\n".join(lines)


def assert_no_violations(page, where: str, context: dict | None = None) -> None:
    violations = run_axe(page, context)["violations"]
    assert violations == [], (
        f"{where}: axe-core reports {len(violations)} WCAG 2.1 A/AA rule(s) violated:\n"
        + describe(violations)
    )


def theme_of(page) -> tuple[str, str]:
    return tuple(page.evaluate(
        "() => [document.documentElement.dataset.theme, document.documentElement.dataset.mode]"
    ))


def skip_redirect(visit, page_path: str) -> None:
    """index.html only redirects (meta refresh) to the introduction, tested under its name."""
    if visit.path != page_path:
        pytest.skip(f"{page_path} redirects to {visit.path}, which is tested under its own name")


# ---------------------------------------------------------------------------------------------
# Every page as loaded, light and dark (the shared pages loaded_page and dark_page; pytest
# runs a module's tests in file order for each page, and the tests that move explorers come
# last)


def test_axe_light(loaded_page, page_path):
    skip_redirect(loaded_page, page_path)
    assert theme_of(loaded_page.page)[0] == "light", f"{page_path}: not in the light theme"
    assert_no_violations(loaded_page.page, f"{page_path} (light theme)")


@pytest.mark.english_pages
def test_axe_dark(dark_page, page_path):
    skip_redirect(dark_page, page_path)
    assert theme_of(dark_page.page) == ("dark", "dark"), f"{page_path}: not in dark mode"
    assert_no_violations(dark_page.page, f"{page_path} (dark theme)")


@pytest.mark.english_pages
def test_dark_screenshot(dark_page, page_path, screenshot_dir):
    skip_redirect(dark_page, page_path)
    save_full_page_screenshot(dark_page.page, screenshot_dir / screenshot_name(page_path, "dark__"))


# Every image shown in the article (or under ``root``) that would be hard to read on the
# dark page: one with transparent pixels that shows over a backdrop on which black has less
# than 4.5:1 contrast (figures are drawn in dark ink for a white page). The backdrop is the
# image's own background colour composited over its ancestors' down to the first opaque one,
# then put through the image's CSS filter (brightness, contrast, invert; the theme dims
# images in dark mode). An image whose every pixel is opaque brings its own background.
DARK_IMAGE_PROBLEMS_JS = """async (root) => {
  root = root || document.querySelector("article") || document.body;
  const rgba = (css) => {
    const m = css.match(/^rgba?\\(([^)]*)\\)$/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0] / 255, p[1] / 255, p[2] / 255, p.length > 3 ? p[3] : 1];
  };
  const backdrop = (img) => {
    const layers = [];
    for (let e = img; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (!c) return {error: "unreadable background " + getComputedStyle(e).backgroundColor};
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    if (!layers.length || layers[layers.length - 1][3] < 1) return {error: "no opaque backdrop"};
    let color = layers.pop().slice(0, 3);
    while (layers.length) {
      const c = layers.pop();
      color = color.map((x, i) => c[3] * c[i] + (1 - c[3]) * x);
    }
    const filter = getComputedStyle(img).filter;
    if (filter !== "none") {
      for (const [, name, arg] of filter.matchAll(/([a-z-]+)\\(([^)]*)\\)/g)) {
        const v = parseFloat(arg) * (arg.trim().endsWith("%") ? 0.01 : 1);
        if (name === "brightness") color = color.map(x => x * v);
        else if (name === "contrast") color = color.map(x => (x - 0.5) * v + 0.5);
        else if (name === "invert") color = color.map(x => x * (1 - v) + (1 - x) * v);
        else return {error: "filter " + name + " not understood"};
        color = color.map(x => Math.min(1, Math.max(0, x)));
      }
    }
    const lin = color.map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
    const luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    return {contrast: (luminance + 0.05) / 0.05, rgb: color.map(x => Math.round(255 * x))};
  };
  const opaque = async (img) => {
    await img.decode().catch(() => null);
    if (!img.naturalWidth) return false;
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] < 255) return false;
    return true;
  };
  const problems = [];
  let checked = 0;
  for (const img of root.querySelectorAll("img")) {
    if (!img.getClientRects().length || getComputedStyle(img).visibility === "hidden") continue;
    checked++;
    const b = backdrop(img);
    if (b.contrast >= 4.5) continue;
    if (await opaque(img)) continue;
    problems.push({
      img: (img.alt || img.src).slice(0, 80),
      backdrop: b.error || `rgb(${b.rgb}) (black on it: ${b.contrast.toFixed(2)}:1)`,
    });
  }
  return {checked, problems};
}"""


def dark_image_problems(page, root=None) -> dict:
    return page.evaluate(DARK_IMAGE_PROBLEMS_JS, root)


def test_dark_figures_have_a_light_backdrop(dark_page, page_path):
    skip_redirect(dark_page, page_path)
    result = dark_image_problems(dark_page.page)
    assert result["problems"] == [], (
        f"{page_path} (dark theme): {len(result['problems'])} of {result['checked']} images "
        f"have transparent pixels over a dark backdrop: {result['problems'][:5]}"
    )


# ---------------------------------------------------------------------------------------------
# Explorers: another frame shown, and the sliders from the keyboard

# Moves every explorer to the first setting whose frame is not the one shown (as a reader's
# move does: value, then input and change events); returns [[from key, to key] or null].
MOVE_EXPLORERS_JS = """() => [...document.querySelectorAll(".nn-explorer[data-explorer]")].map(root => {
  const spec = JSON.parse(root.getAttribute("data-explorer"));
  const controls = spec.params.map(p => root.querySelector(`[data-param="${CSS.escape(p.name)}"]`));
  const from = controls.map(c => c.value).join(",");
  const key = Object.keys(spec.index).find(k => spec.index[k] !== spec.index[from]);
  if (key === undefined) return null;
  key.split(",").forEach((i, n) => {
    controls[n].value = i;
    controls[n].dispatchEvent(new Event("input", {bubbles: true}));
    controls[n].dispatchEvent(new Event("change", {bubbles: true}));
  });
  return [from, key];
})"""


def key_of(text: str) -> tuple[int, ...]:
    return tuple(int(i) for i in text.split(","))


def test_explorer_sliders_work_from_the_keyboard(site, loaded_page, page_path):
    """Each slider takes the keyboard focus; Home then ArrowRight move it, and the frame shown,
    the value shown and aria-valuetext (what a screen reader announces) follow."""
    skip_redirect(loaded_page, page_path)
    specs = explorer_specs(page_source(site, page_path))
    if not any(p["kind"] == "slider" and len(p["labels"]) > 1 for s in specs for p in s["params"]):
        pytest.skip(f"{page_path} has no explorer slider")
    v = loaded_page
    roots = v.page.locator(".nn-explorer[data-explorer]")
    frame_changes = 0
    for n, spec in enumerate(specs):
        root = roots.nth(n)
        key = [int(x) for x in root.evaluate(
            "r => [...r.querySelectorAll('[data-param]')].map(c => c.value)")]
        for k, param in enumerate(spec["params"]):
            if param["kind"] != "slider" or len(param["labels"]) < 2:
                continue
            slider = root.locator(f'[data-param="{param["name"]}"]')
            where = f"{page_path} explorer {n + 1}, slider {param['name']}"
            assert slider.evaluate("s => s.tabIndex") >= 0, f"{where}: not in the tab order"
            slider.focus()
            assert slider.evaluate("s => s === document.activeElement"), f"{where}: no focus"
            for press, index in (("Home", 0), ("ArrowRight", 1)):
                before = spec["index"][",".join(map(str, key))]
                v.page.keyboard.press(press)
                key[k] = index
                # The frame shown, the controls and the alt text are those of the new key.
                check_state(root, spec, tuple(key), f"{where}, after {press}")
                text = slider.get_attribute("aria-valuetext")
                assert text == f"{param['name']} = {param['labels'][index]}", (
                    f"{where}, after {press}: aria-valuetext is {text!r}"
                )
                frame_changes += spec["index"][",".join(map(str, key))] != before
    assert frame_changes > 0, f"{page_path}: no key press on any slider changed a frame"
    # (Console errors are checked by test_site.py: axe's fetch of basic.css logs one here.)
    assert v.page_errors == [], f"{page_path}: {v.page_errors}"


@pytest.mark.english_pages
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_explorers_on_another_frame(request, site, page_path, theme, screenshot_dir):
    """Frames hidden at load (display: none) escape the page's axe run: show another frame
    of every explorer, then check the explorers again (and in dark mode, their images)."""
    specs = explorer_specs(page_source(site, page_path))
    if not specs:
        pytest.skip(f"{page_path} has no explorer")
    v = request.getfixturevalue("loaded_page" if theme == "light" else "dark_page")
    skip_redirect(v, page_path)
    assert theme_of(v.page)[0] == theme
    moves = v.page.evaluate(MOVE_EXPLORERS_JS)
    roots = v.page.locator(".nn-explorer[data-explorer]")
    for n, (spec, move) in enumerate(zip(specs, moves)):
        if move is not None:
            check_state(roots.nth(n), spec, key_of(move[1]), f"{page_path} explorer {n + 1} moved")
    assert any(m is not None for m in moves), f"{page_path}: no explorer has a second frame"
    where = f"{page_path} ({theme} theme), explorers moved (from, to setting): {moves}"
    assert_no_violations(v.page, where, {"include": [[".nn-explorer"]]})
    if theme == "dark":
        first = v.page.locator(".nn-explorer").first
        result = dark_image_problems(v.page, first.element_handle())
        assert result["checked"] > 0 and result["problems"] == [], f"{where}: {result}"
        first.screenshot(path=str(screenshot_dir / screenshot_name(page_path, "dark-explorer__")))


# ---------------------------------------------------------------------------------------------
# The checks themselves catch what they are for (on one small page, with injected faults)


def test_axe_check_reports_what_it_should(site, visit, open_dark_page):
    """Faults of each kind fixed in the book, put into a served page, are reported: a button
    whose name leaves out its visible text (an experimental rule, so those do run), a
    deprecated role in a list, a pale code token (checked once for its colours, while its
    twin is hidden for the run and shown again), and text whose contrast is fine in the light
    theme but not in the dark one."""
    page_path = "search.html"  # the smallest page
    assert page_path in site.pages
    faults = """() => {
      const box = document.createElement("div");
      box.innerHTML = `<button aria-label="Find">Search Ctrl+K</button>
        <div role="list"><div role="doc-biblioentry"><a href="#x">entry</a></div></div>
        <p id="nn-dim" style="color: #3a3a3a">dim in the dark</p>
        <div class="highlight"><pre><span>x</span> = <span id="nn-pale-1" style="color: #c8c8c8"
          >pale</span> + <span id="nn-pale-2" style="color: #c8c8c8">twin</span></pre></div>`;
      (document.querySelector("article") || document.querySelector("main")).prepend(box);
    }"""
    hidden_tokens = "() => [...document.querySelectorAll('.highlight span')].filter(s => s.style.visibility).length"

    def contrast_targets(violations):
        return " ".join(str(n["target"]) for v in violations if v["id"] == "color-contrast"
                        for n in v["nodes"])

    light = visit(page_path)
    light.settle()
    light.page.evaluate(faults)
    result = run_axe(light.page)
    found = {v["id"] for v in result["violations"]}
    assert {"label-content-name-mismatch", "aria-deprecated-role", "aria-required-children",
            "color-contrast"} <= found, describe(result["violations"])
    assert "label-content-name-mismatch" in result["experimental"]
    targets = contrast_targets(result["violations"])
    assert "#nn-pale-1" in targets and "#nn-dim" not in targets, targets
    assert result["codeTokens"]["checked"] < result["codeTokens"]["rendered"], result["codeTokens"]
    assert light.page.evaluate(hidden_tokens) == 0, "code tokens left hidden after the run"

    dark = open_dark_page(page_path)
    try:
        dark.settle()
        dark.page.evaluate(faults)
        violations = run_axe(dark.page)["violations"]
        assert "#nn-dim" in contrast_targets(violations), describe(violations)
        with pytest.raises(AssertionError, match=r"color-contrast \(serious\)"):
            assert_no_violations(dark.page, "injected faults")
    finally:
        dark.close()


def test_dark_image_check_reports_transparent_figures_on_dark(site, open_dark_page):
    """A figure with transparent pixels shows on the theme's light backdrop and passes; the
    same figure without it (the theme leaves out images with class dark-light) is reported,
    and an opaque figure there passes."""
    page = open_dark_page("book/glossary.html")
    try:
        page.settle()
        page.page.evaluate("""() => {
          const png = (alpha) => {
            const c = document.createElement("canvas");
            c.width = c.height = 20;
            const ctx = c.getContext("2d");
            ctx.fillStyle = `rgba(255, 255, 255, ${alpha})`;
            ctx.fillRect(0, 0, 20, 20);
            ctx.fillStyle = "black";
            ctx.fillRect(5, 5, 10, 10);
            return c.toDataURL("image/png");
          };
          const add = (alt, alpha, cls) => {
            const img = document.createElement("img");
            img.src = png(alpha); img.alt = alt; if (cls) img.className = cls;
            document.querySelector("article").prepend(img);
          };
          add("transparent, theme backdrop", 0, "");
          add("transparent, no backdrop", 0, "dark-light");
          add("opaque, no backdrop", 1, "dark-light");
        }""")
        result = dark_image_problems(page.page)
        assert [p["img"] for p in result["problems"]] == ["transparent, no backdrop"], result
    finally:
        page.close()

"""Sphinx extension of the Neural Network Basics book: a site that works offline.

* Explorers: sets ``NNLIB_EXPLORER_MODE=static`` before notebooks execute, so
  ``nnlib.widgets.explore`` precomputes its frames, and ships ``explorer.js``/``.css``
  (from ``book/_static``) that switch them.
* MathJax: served from the site itself, copied at build time from the MathJax 3 files of
  the ``django-static-mathjax`` package on PyPI (pinned in requirements.txt); nothing is
  fetched from a CDN at build or view time.
* No CDN scripts: myst-nb's ipywidgets loader (require.js and the html-manager from
  cdnjs/jsdelivr) is turned off, and sphinx-thebe's snippets, which declare ``THEBE_JS_URL``
  (twice when the environment is read more than once) and point at unpkg, are dropped from
  every page: the book's live-code buttons are Binder and Colab, shown on notebook pages.
* Collapsed cells: the ``# @title`` line that collapses a solution in Jupyter and Colab
  (``nnlib.instructor.collapse``) is not part of the code the book shows.
* Accessibility (WCAG 2.1 A and AA, checked by axe-core in tests/browser): the theme
  templates in ``book/_templates`` (search and colour-mode buttons) come first; markup of
  docutils and myst-nb that axe flags is replaced as each page is written
  (``ACCESSIBLE_MARKUP``); a table whose top-left header cell is empty gets its first column
  as row headers; ``book/_static/readable.css`` raises the contrast of links in tinted
  admonitions.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATIC = HERE.parent / "_static"
TEMPLATES = HERE.parent / "_templates"
MATHJAX_DIR = "mathjax"  # inside _static of the built site
# MathJax's bundles that the site does not use (SVG output, the full/speech variants).
MATHJAX_SKIP = ("*-svg*.js", "*-full*.js", "node-main.js", "mml-chtml.js")


def mathjax_source() -> Path:
    """The MathJax 3 ``es5`` folder of the installed ``django-static-mathjax`` package."""
    try:
        import mathjax  # provided by django-static-mathjax
    except ImportError as exc:
        raise RuntimeError(
            "The book serves MathJax itself: pip install -r requirements.txt "
            "(django-static-mathjax)"
        ) from exc
    source = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (source / "tex-mml-chtml.js").is_file():
        raise RuntimeError(f"MathJax's tex-mml-chtml.js is missing from {source}")
    return source


def on_config_inited(app, config):
    os.environ["NNLIB_EXPLORER_MODE"] = "static"
    mathjax_source()  # fail early with a clear message if the package is missing
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    # First, so that the book's copies of theme components replace the theme's.
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    config.mathjax_path = f"{MATHJAX_DIR}/tex-mml-chtml.js"
    config.nb_ipywidgets_js = {}
    # Without a default, pydata-sphinx-theme logs "Got invalid theme mode" on a first visit.
    config.html_context = {"default_mode": "light", **config.html_context}


def drop_cdn_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts is None:
        return
    kept = [
        s for s in scripts
        if "THEBE_JS_URL" not in (getattr(s, "attributes", {}) or {}).get("body", "")
        and "thebe" not in str(getattr(s, "filename", s) or "")
    ]
    scripts[:] = kept


def launch_buttons_only_on_notebooks(app, pagename, templatename, context, doctree):
    """Binder and Colab open ``.ipynb`` files; a MyST-markdown page (the introduction) gets
    no launch buttons rather than links that open it as plain text."""
    buttons = context.get("header_buttons")
    if buttons is None or str(app.env.doc2path(pagename)).endswith(".ipynb"):
        return
    buttons[:] = [b for b in buttons if b.get("label") != "launch-buttons"]


def drop_title_lines(app, doctree):
    """Code blocks of notebook cells lose their Colab ``# @title`` first line."""
    from docutils import nodes

    from nnlib.instructor.collapse import TITLE, strip_title

    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if text.startswith(TITLE):
            block.children = [nodes.Text(strip_title(text))]
            block.rawsource = strip_title(block.rawsource)


# Markup written by docutils and myst-nb that fails WCAG 2.1 A/AA (as axe-core reports it),
# and what replaces it in every page's body: (written, replacement).
ACCESSIBLE_MARKUP = (
    # docutils' citations (the references page): the ARIA role doc-biblioentry is deprecated,
    # and without a valid role the citation list's role="list" has no list items (axe:
    # aria-deprecated-role, aria-required-children).
    ('role="doc-biblioentry"', 'role="listitem"'),
    # myst-nb's hidden code cells: the summary's label "Toggle hidden content" leaves out its
    # visible text "Show code cell source" (axe: label-content-name-mismatch). Without the
    # label the visible text is the name.
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
)


def accessible_markup(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not body:
        return
    for written, replacement in ACCESSIBLE_MARKUP:
        body = body.replace(written, replacement)
    context["body"] = body


def row_headers_for_corner_tables(app, doctree, docname):
    """A table whose top-left header cell is empty is two-way (rows named by the first
    column, columns by the header): its first column becomes row headers (``<th>``), so
    that every data cell has a header for screen readers (axe: td-has-header)."""
    from docutils import nodes

    for tgroup in doctree.findall(nodes.tgroup):
        colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
        heads = [c for c in tgroup.children if isinstance(c, nodes.thead)]
        if len(colspecs) < 2 or not heads or not heads[0].children:
            continue
        first_row = heads[0].children[0]
        if first_row.children and not first_row.children[0].astext().strip():
            colspecs[0]["stub"] = 1


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / MATHJAX_DIR
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(mathjax_source(), target, ignore=shutil.ignore_patterns(*MATHJAX_SKIP))


def setup(app):
    app.setup_extension("nnbook_editions")  # language links, Korean search (see its docstring)
    app.connect("config-inited", on_config_inited)
    app.connect("html-page-context", drop_cdn_scripts)
    # After sphinx-book-theme's own handler (priority 500) has added the buttons.
    app.connect("html-page-context", launch_buttons_only_on_notebooks, priority=600)
    app.connect("doctree-read", drop_title_lines)
    app.connect("html-page-context", accessible_markup)
    app.connect("doctree-resolved", row_headers_for_corner_tables)
    app.connect("build-finished", copy_mathjax)
    app.add_js_file("explorer.js", defer="defer")
    app.add_css_file("explorer.css")
    app.add_css_file("readable.css")
    app.add_css_file("print.css")  # @media print: see book/_static/print.css
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

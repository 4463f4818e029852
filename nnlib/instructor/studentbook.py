"""The student edition of the book: the same sources, built without solutions.

sphinx-exercise's ``hide_solutions`` drops ``{solution}`` directives, but for a gated solution
(``solution-start`` ... ``solution-end``) it drops only the opening directive: the code cell and
any text in between would stay. This module is therefore also a small Sphinx extension, loaded
only by the student build, that removes everything from a hidden ``solution-start`` to its
``solution-end`` and every code cell tagged ``solution``.

The student build reads the book's own sources with a temporary configuration
(``_config.yml`` plus ``hide_solutions`` and this extension) and writes into its own output
folder. Its ``execute.cache`` points at the main build's jupyter-cache: notebooks are matched
by the hash of their code cells, which the student build does not change, so a book that was
built once is not executed again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import yaml

from .notebooks import master_paths, solution_lines


def student_overrides(config: dict, lang: str = "en") -> dict:
    """Turn a configuration of the book (any edition) into its student edition's."""
    from .printed import WORDS  # the editions' words for "student edition"

    config["title"] = config.get("title", "Book") + WORDS[lang]["student_suffix"]
    sphinx = config.setdefault("sphinx", {})
    sphinx["extra_extensions"] = list(sphinx.get("extra_extensions") or []) + [__name__]
    sphinx["config"] = dict(sphinx.get("config") or {}, hide_solutions=True)
    return config


def student_config(root: Path, out: Path, cache: Path) -> Path:
    """Write the student edition's configuration into ``out``; return its path."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    config.setdefault("execute", {})["cache"] = str(Path(cache).resolve())
    sphinx = student_overrides(config)["sphinx"]
    # Paths of local extensions are relative to the configuration file: make them absolute.
    sphinx["local_extensions"] = {name: str((root / path).resolve()) for name, path
                                  in (sphinx.get("local_extensions") or {}).items()}
    target = Path(out) / "_config.student.yml"
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                      encoding="utf-8")
    return target


def jupyter_book() -> str:
    """The ``jupyter-book`` next to this Python, else the one on PATH."""
    local = Path(sys.executable).with_name("jupyter-book")
    return str(local) if local.exists() else (shutil.which("jupyter-book") or "jupyter-book")


def build_student_book(root: Path, out: Path, cache: Path | None = None, strict: bool = True,
                       log=print) -> Path:
    """Build the student edition of the book in ``root`` into ``out``; return the HTML folder.

    Raises ``RuntimeError`` if the build fails or a solution is found in the built pages.
    """
    root, out = Path(root).resolve(), Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    config = student_config(root, out, cache or root / "_build" / ".jupyter_cache")
    command = [jupyter_book(), "build", str(root), "--path-output", str(out),
               "--config", str(config)] + (["-W", "-n", "--keep-going"] if strict else [])
    log("$ " + " ".join(command))
    if subprocess.run(command).returncode != 0:
        raise RuntimeError("the student edition did not build (see the messages above)")
    site = out / "_build" / "html"
    problems = find_solutions(site, root / "book")
    # The translations' student editions, inside it (ko/), as in the book itself.
    from .editions import build_edition, edition_config
    from .translation import LANGUAGES

    for lang in LANGUAGES:
        if not (root / "book" / lang).is_dir():
            continue
        log(f"== the student edition of book/{lang}/")
        config = student_overrides(
            edition_config(root, lang, cache or root / "_build" / ".jupyter_cache"), lang)
        # Its sections are matched with the English student edition's (no solutions).
        config["sphinx"]["config"]["nnbook_counterpart_sections"] = \
            str(out / "_build" / "sections-en.json")
        try:
            build_edition(root, lang, site / lang, strict=strict, config=config,
                          work=out / "_build" / lang)
        except RuntimeError as exc:
            raise RuntimeError(f"the student edition: {exc}") from exc
        problems += find_solutions(site / lang, root / "book" / lang, pages="")
    if problems:
        raise RuntimeError("solutions in the student edition:\n  " + "\n  ".join(problems))
    log(f"student edition: {site / 'index.html'} and {site / 'ko' / 'index.html'} "
        "(checked: no solution code or text)")
    return site


class _Text(HTMLParser):
    """Collects a page's text, and separately the text of its code cells' inputs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.inputs, self.divs = [], [], []  # divs: is each open div an input?

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            inside = bool(self.divs and self.divs[-1])
            self.divs.append(inside or "cell_input" in (dict(attrs).get("class") or ""))

    def handle_endtag(self, tag):
        if tag == "div" and self.divs:
            self.divs.pop()

    def handle_data(self, data):
        self.parts.append(data)
        if self.divs and self.divs[-1]:
            self.inputs.append(data)


def page_text(page: str) -> tuple:
    """``(text, code)``: a page's visible text and its code cells' input, whitespace-normalized.

    Outputs are left out of ``code``: a chapter may print nnlib's own source, which can
    match a line of a solution.
    """
    parser = _Text()
    parser.feed(page)
    return tuple(" ".join(" ".join(parts).split()) for parts in (parser.parts, parser.inputs))


def find_solutions(site: Path, book: Path, pages: str = "book/") -> list:
    """What of the masters' solutions the built pages in ``site`` still show (empty: none);
    ``pages``: the folder of the chapters' pages in the site."""
    problems, site = [], Path(site)
    for path in master_paths(book):
        page = site / f"{pages}{path.stem}.html"
        if not page.exists():
            problems.append(f"{page} is missing")
            continue
        source = page.read_text(encoding="utf-8")
        text, inputs = page_text(source)
        code, prose = solution_lines(nbformat.read(path, as_version=4))
        problems += [f"{page.name}: {line}" for line in sorted(code) if line in inputs]
        problems += [f"{page.name}: {line}" for line in sorted(prose) if line in text]
        if re.search(r'class="[^"]*\b(solution|tag_solution)\b', source):
            problems.append(f"{page.name}: a solution element")
    return problems


# ---- the Sphinx extension (loaded only by the student build) --------------------------------

def setup(app):
    from docutils import nodes
    from sphinx.transforms import SphinxTransform
    from sphinx.util import logging
    from sphinx_exercise.directive import SolutionStartDirective
    from sphinx_exercise.nodes import solution_end_node

    logger = logging.getLogger(__name__)

    class hidden_solution(nodes.Element):
        """Where a hidden gated solution starts; removed with the solution by the transform."""

    class HiddenSolutionStart(SolutionStartDirective):
        def run(self):
            produced = super().run()  # registers the gate; returns [] under hide_solutions
            return [hidden_solution()] if self.config.hide_solutions else produced

    class RemoveSolutions(SphinxTransform):
        """Drop gated solutions (start to end) and code cells tagged ``solution``."""

        default_priority = 5  # after sphinx-exercise checks the gates, before it merges them

        def apply(self):
            if not self.config.hide_solutions:
                return
            for start in list(self.document.findall(hidden_solution)):
                parent = start.parent
                first = parent.index(start)
                last = next((i for i in range(first, len(parent))
                             if isinstance(parent[i], solution_end_node)), None)
                if last is None:
                    logger.warning("solution-start without a solution-end in the same "
                                   "section", location=start)
                    last = first
                for child in parent.children[first:last + 1]:
                    parent.remove(child)
            for cell in list(self.document.findall(nodes.container)):
                if "tag_solution" in cell.get("classes", []):
                    cell.parent.remove(cell)

    app.add_node(hidden_solution)
    app.add_directive("solution-start", HiddenSolutionStart, override=True)
    app.add_transform(RemoveSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

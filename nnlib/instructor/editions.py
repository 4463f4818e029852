"""Build the book in every language: English into ``_build/html/``, each translation
(``book/<lang>/``, kept in step by :mod:`.translation`) into ``_build/html/<lang>/``.

    python -m nnlib.instructor build [--no-strict] [--only en|ko]

The English edition is ``jupyter-book build .`` as always. A translated edition is a
Jupyter Book of its own, ``book/<lang>/``, whose ``_config.yml`` and ``_toc.yml`` are
generated from the English ones (:func:`edition_config`, :func:`edition_toc`) and passed
to Jupyter Book's builder as its ``--config`` and ``--toc``. Its code cells are the English
ones, and its ``execute.cache`` is the English build's jupyter-cache, which matches
notebooks by their code: a translated page reuses the English execution instead of running
again. The English edition is built first: it records the section ids that the translated
pages link to (``book/_ext/nnbook_editions.py``).
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import time
from pathlib import Path

import yaml

from .studentbook import jupyter_book
from .translation import LANGUAGES

#: What each translation changes in the English configuration and table of contents.
EDITIONS = {
    "ko": {
        "title": "신경망 기초",
        "author": "신경망 기초 저자들",
        "captions": {"Foundations": "기초", "Appendices": "부록"},
    },
}


def edition_config(root: Path, lang: str, cache: Path | None = None,
                   english: dict | None = None) -> dict:
    """The configuration of the ``lang`` edition: the English ``_config.yml`` with its own
    title, language, source folder, and absolute paths to what it shares (extensions,
    bibliography, favicon, execution cache)."""
    root = Path(root).resolve()
    config = copy.deepcopy(english) if english is not None else \
        yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    edition = EDITIONS[lang]
    config["title"] = edition["title"]
    config["author"] = edition["author"]
    config["exclude_patterns"] = ["_build", "**/.ipynb_checkpoints"]
    config.setdefault("execute", {})["cache"] = str(
        Path(cache).resolve() if cache else root / "_build" / ".jupyter_cache")
    config["bibtex_bibfiles"] = [str(root / b) for b in config.get("bibtex_bibfiles", [])]
    html = config.setdefault("html", {})
    if html.get("favicon"):
        html["favicon"] = str(root / html["favicon"])
    config.setdefault("repository", {})["path_to_book"] = f"book/{lang}"
    sphinx = config.setdefault("sphinx", {})
    sphinx["local_extensions"] = {name: str((root / path).resolve()) for name, path
                                  in (sphinx.get("local_extensions") or {}).items()}
    conf = sphinx.setdefault("config", {})
    conf["language"] = lang
    conf["nnbook_language"] = lang
    editions = copy.deepcopy(conf.get("nnbook_editions", {}))
    # Roots were relative to the English edition's root; the translation's is <lang>/.
    own = editions[lang]["root"]
    for other, info in editions.items():
        info["root"] = "" if other == lang else "../" * own.count("/") + info["root"]
    conf["nnbook_editions"] = editions
    conf["nnbook_counterpart_sections"] = str(root / "_build" / "sections-en.json")
    return config


def edition_toc(root: Path, lang: str) -> dict:
    """The English ``_toc.yml`` with the translation's captions and ``book/`` dropped from
    every file (the edition's source folder is ``book/<lang>/``)."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    captions = EDITIONS[lang]["captions"]

    def local(f: str) -> str:
        if not f.startswith("book/"):
            raise ValueError(f"_toc.yml lists {f}, outside book/: a translation cannot follow it")
        return f[len("book/"):]

    toc["root"] = local(toc["root"])
    for part in toc.get("parts", []):
        part["caption"] = captions.get(part.get("caption"), part.get("caption"))
        for chapter in part.get("chapters", []):
            chapter["file"] = local(chapter["file"])
    return toc


def write_edition_files(root: Path, lang: str, out: Path, config: dict | None = None):
    """Write the edition's ``_config.yml`` and ``_toc.yml`` into ``out``; return both paths."""
    out.mkdir(parents=True, exist_ok=True)
    config_path, toc_path = out / "_config.yml", out / "_toc.yml"
    config_path.write_text(yaml.safe_dump(config or edition_config(root, lang),
                                          sort_keys=False, allow_unicode=True), encoding="utf-8")
    toc_path.write_text(yaml.safe_dump(edition_toc(root, lang), sort_keys=False,
                                       allow_unicode=True), encoding="utf-8")
    return config_path, toc_path


def build_edition(root: Path, lang: str, outdir: Path | None = None, strict: bool = True,
                  config: dict | None = None, work: Path | None = None) -> Path:
    """Build the ``lang`` edition into ``outdir`` (default ``_build/html/<lang>``), with
    Jupyter Book's Sphinx builder in a process of its own (as ``jupyter-book build`` runs)."""
    import sys

    root = Path(root).resolve()
    work = Path(work or root / "_build" / lang).resolve()
    outdir = Path(outdir or root / "_build" / "html" / lang).resolve()
    config_path, toc_path = write_edition_files(root, lang, work, config)
    command = [sys.executable, "-m", "nnlib.instructor.editions", str(root / "book" / lang),
               str(outdir), str(config_path), str(toc_path), str(work / ".doctrees")] + \
        (["--strict"] if strict else [])
    result = subprocess.run(command, cwd=root).returncode
    # myst-nb and the theme keep executed notebooks next to the output folder, which here
    # is inside the English site: they are build files, not pages.
    shutil.rmtree(outdir.parent / "jupyter_execute", ignore_errors=True)
    if result != 0:
        raise RuntimeError(f"the {LANGUAGES.get(lang, lang)} ({lang}) edition did not build "
                           f"(exit status {result}; see the messages above)")
    return outdir


def _sphinx(source: str, outdir: str, config: str, toc: str, doctrees: str,
            strict: bool) -> int:
    """What ``jupyter-book build SOURCE --config CONFIG --toc TOC -W -n --keep-going`` runs,
    with the output folder given (Jupyter Book's CLI puts it in SOURCE/_build/html)."""
    from jupyter_book.sphinx import build_sphinx

    result = build_sphinx(
        Path(source), Path(outdir), noconfig=True, path_config=config,
        confoverrides={"external_toc_path": toc, "nitpicky": strict,
                       "latex_individualpages": False},
        doctreedir=Path(doctrees), warningiserror=strict, keep_going=strict,
    )
    return result if isinstance(result, int) else 1


def build(root: Path, strict: bool = True, only: str | None = None, log=print) -> dict:
    """Build the English book, then every translation; return seconds per edition."""
    root = Path(root).resolve()
    seconds = {}
    if only in (None, "en"):
        start = time.monotonic()
        command = [jupyter_book(), "build", str(root)] + \
            (["-W", "-n", "--keep-going"] if strict else [])
        log("$ " + " ".join(command))
        if subprocess.run(command, cwd=root).returncode != 0:
            raise RuntimeError("the English edition did not build (see the messages above)")
        seconds["en"] = time.monotonic() - start
    for lang in LANGUAGES:
        if only not in (None, lang) or not (root / "book" / lang).is_dir():
            continue
        start = time.monotonic()
        log(f"== building the {LANGUAGES[lang]} ({lang}) edition from book/{lang}/")
        build_edition(root, lang, strict=strict)
        seconds[lang] = time.monotonic() - start
    log("built: " + ", ".join(f"{k} in {v:.0f} s" for k, v in seconds.items())
        + f"; open {root / '_build' / 'html' / 'index.html'}")
    return seconds


if __name__ == "__main__":  # the process build_edition starts
    import sys

    args = [a for a in sys.argv[1:] if a != "--strict"]
    sys.exit(_sphinx(*args, strict="--strict" in sys.argv[1:]))

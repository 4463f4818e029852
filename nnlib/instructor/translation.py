"""Translated editions that cannot drift from the English book.

The English book (``book/``, listed in ``_toc.yml``) is the source. A translated edition
lives in ``book/<lang>/`` (the Korean one in ``book/ko/``) with one page per English page,
of the same name, and is built from its own ``_config.yml`` and ``_toc.yml``.

Pages are made of *units*:

* **Code** (a notebook's code cells; a MyST page's ``{code-cell}`` blocks and front
  matter) is never translated: :func:`sync` copies it from the English page, so both
  editions run the same code (and the build executes it once: the execution cache is keyed
  by the code). A code unit that differs from the English one is *drift*.
* **Text** (markdown cells; the parts of a ``.md`` page between headings, code cells and
  glossary entries) is translated. Each translated unit records the English unit it
  translates (``source``: the cell id, or for ``.md`` pages an id made of the section's
  slug) and the version of the English text it was made from (``sha``: a hash of that
  text). In a notebook the record is the cell's ``metadata.translation``; in a ``.md``
  page it is a comment line ``% translation: SOURCE SHA`` (``.. translation: SOURCE SHA``
  inside a glossary, whose comments are reST's) at the start of the unit.

:func:`status` lists what is out of date, per page and unit:

* *missing*: an English text unit with no translation (or whose translation is still the
  English text :func:`sync` put there, marked ``untranslated``);
* *stale*: the English text changed after it was translated (the hashes differ);
* *orphan*: a translation of an English unit that no longer exists;
* *drift*: code that is not the English code, or units out of the English order.

``tests/test_translation.py`` fails on any of these, naming page and unit. The workflow
(README, "Translations"): change the English book; run ``sync`` (code follows, new text
arrives untranslated); ``status --diff`` shows each stale unit's English change since it was
translated (from git history); edit the translation, or ``export``/``import`` a page as
plain text; ``mark`` records that a unit is up to date.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = {"ko": "한국어"}
UNTRANSLATED = "untranslated"
MARKER = re.compile(r"^(?:%|\.\.) translation: (\S+) (\S+)\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LABEL = re.compile(r"^\([\w.:-]+\)=\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")


def sha(text: str) -> str:
    """The version of an English text unit: 12 hex digits of its SHA-256."""
    return hashlib.sha256(text.strip().encode()).hexdigest()[:12]


@dataclass
class Unit:
    """One cell of a notebook, or one block of a ``.md`` page."""
    id: str
    kind: str                 # "code" or "text"
    text: str
    source: str | None = None  # translations: the English unit's id
    version: str | None = None  # translations: the English text's sha (or UNTRANSLATED)
    cell: dict | None = field(default=None, repr=False)  # notebooks: the whole cell


# --- pages ----------------------------------------------------------------------------------


def english_pages(root: Path = ROOT) -> list[Path]:
    """The English book's pages, in the order of ``_toc.yml``."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    pages = []
    for f in files:
        for ext in (".ipynb", ".md"):
            if (root / (f + ext)).exists():
                pages.append(root / (f + ext))
                break
        else:
            raise FileNotFoundError(f"_toc.yml lists {f}, which has no .ipynb or .md file")
    return pages


def counterpart(page: Path, lang: str, root: Path = ROOT) -> Path:
    """The translation of the English ``page`` (``book/x`` -> ``book/<lang>/x``)."""
    return root / "book" / lang / Path(page).relative_to(root / "book")


def _slug(text: str) -> str:
    text = re.sub(r"[`*_{}\[\]()<>$\\]", "", text.lower())
    return re.sub(r"[^\w]+", "-", text).strip("-") or "section"


# --- reading units ---------------------------------------------------------------------------


def read_notebook_units(path: Path) -> list[Unit]:
    nb = nbformat.read(path, as_version=4)
    units = []
    for cell in nb.cells:
        kind = "code" if cell.cell_type == "code" else "text"
        record = cell.metadata.get("translation", {}) if kind == "text" else {}
        units.append(Unit(cell.get("id", ""), kind, cell.source,
                          record.get("source"), record.get("sha"), dict(cell)))
    return units


def split_markdown(text: str) -> list[Unit]:
    """The units of an English ``.md`` page: front matter and ``{code-cell}`` blocks (code);
    text split at headings (with the labels just above them), at code cells and at each
    entry of a glossary. Text ids are ``<slug of the last heading>`` (``top`` before the
    first), with ``-2``, ``-3`` ... for later blocks under the same heading, and
    ``term-<slug>`` for glossary entries."""
    lines = text.splitlines(keepends=True)
    blocks: list[tuple[str, list[str], str]] = []  # (kind, lines, hint)
    i = 0
    if lines and lines[0].strip() == "---":
        end = next(j for j in range(1, len(lines)) if lines[j].strip() == "---")
        blocks.append(("code", lines[:end + 1], "front-matter"))
        i = end + 1
    current: list[str] = []
    hint = "top"

    def flush(new_hint=None):
        nonlocal current, hint
        if "".join(current).strip():
            blocks.append(("text", current, hint))
        elif current and blocks:  # blank lines stay with the block above them
            blocks[-1][1].extend(current)
        elif current:
            return  # leading blank lines: kept for the next block
        current = []
        if new_hint is not None:
            hint = new_hint

    fence = None  # (marker, is_glossary)
    while i < len(lines):
        line = lines[i]
        stripped = line.rstrip("\n")
        if fence is None:
            m = FENCE.match(stripped)
            if m and m.group(2).strip().startswith("{code-cell}"):
                flush()
                j = i + 1
                while not lines[j].rstrip("\n").startswith(m.group(1)) or \
                        lines[j].strip() != m.group(1):
                    j += 1
                blocks.append(("code", lines[i:j + 1], "code"))
                i = j + 1
                continue
            if m and m.group(2).strip().startswith("{glossary}"):
                # The glossary's fences and options are structure (copied like code); its
                # entries are text units of their own.
                flush()
                j = i + 1
                while j < len(lines) and (lines[j].startswith(":") or not lines[j].strip()):
                    j += 1
                blocks.append(("code", lines[i:j], "glossary"))
                fence = (m.group(1), True)
                i = j
                continue
            if m:
                fence = (m.group(1), False)
                current.append(line)
                i += 1
                continue
            h = HEADING.match(stripped)
            after_label = current and all(LABEL.match(x.strip()) for x in current)
            if (h and not after_label) or (LABEL.match(stripped) and i + 1 < len(lines)
                                           and HEADING.match(lines[i + 1].rstrip("\n"))):
                heading = h or HEADING.match(lines[i + 1].rstrip("\n"))
                flush(_slug(heading.group(2)))
            current.append(line)
            i += 1
            continue
        # inside a fence
        if stripped.strip() == fence[0]:
            if fence[1]:
                flush()
                blocks.append(("code", [line], "glossary-end"))
                fence = None
                i += 1
                continue
            fence = None
        elif fence[1] and stripped and not stripped[0].isspace() and \
                not stripped.startswith(":") and (i == 0 or not lines[i - 1].strip() or
                                                  lines[i - 1].startswith(":")):
            flush("term-" + _slug(stripped))
        current.append(line)
        i += 1
    flush()
    units, seen = [], {}
    for kind, block, hint in blocks:
        seen[hint] = seen.get(hint, 0) + 1
        uid = hint if seen[hint] == 1 else f"{hint}-{seen[hint]}"
        units.append(Unit(uid, kind, "".join(block)))
    return units


def read_markdown_translation(text: str) -> list[Unit]:
    """The units of a translated ``.md`` page: code blocks as in :func:`split_markdown`,
    text units each opened by their ``translation:`` marker line."""
    units: list[Unit] = []
    current = None
    for unit in split_markdown(text):
        if unit.kind == "code":
            units.append(unit)
            current = None
            continue
        for line in unit.text.splitlines(keepends=True):
            m = MARKER.match(line.strip())
            if m:
                current = Unit(m.group(1), "text", "", m.group(1), m.group(2))
                units.append(current)
            elif current is None:
                if line.strip():
                    current = Unit("?", "text", line, None, None)
                    units.append(current)
            else:
                current.text += line
    return units


def read_units(path: Path, english: bool) -> list[Unit]:
    path = Path(path)
    if path.suffix == ".ipynb":
        return read_notebook_units(path)
    text = path.read_text()
    return split_markdown(text) if english else read_markdown_translation(text)


# --- status ----------------------------------------------------------------------------------


@dataclass
class Problem:
    page: str
    unit: str
    kind: str      # missing, stale, orphan, drift
    detail: str

    def __str__(self):
        return f"{self.page} unit {self.unit}: {self.kind}: {self.detail}"


def _preview(text: str, n: int = 60) -> str:
    first = " ".join(text.split())
    return repr(first[:n] + ("…" if len(first) > n else ""))


def page_status(english: Path, translated: Path, root: Path = ROOT) -> list[Problem]:
    name = str(Path(translated).relative_to(root)) if Path(translated).is_relative_to(root) \
        else str(translated)
    if not Path(translated).exists():
        return [Problem(name, "*", "missing", f"no translation of {english.name}")]
    en = read_units(english, english=True)
    tr = read_units(translated, english=False)
    problems = []
    en_code = [u for u in en if u.kind == "code"]
    tr_code = [u for u in tr if u.kind == "code"]
    for k, (a, b) in enumerate(zip(en_code, tr_code)):
        if _code_key(a) != _code_key(b):
            problems.append(Problem(name, a.id or f"code {k + 1}", "drift",
                                    f"code cell {k + 1} differs from the English one "
                                    f"({_preview(a.text)}); run sync"))
    if len(en_code) != len(tr_code):
        problems.append(Problem(name, "*", "drift", f"{len(tr_code)} code cells, the English "
                                f"page has {len(en_code)}; run sync"))
    en_text = {u.id: u for u in en if u.kind == "text"}
    done = {}
    for u in tr:
        if u.kind != "text":
            continue
        if u.source is None or u.source not in en_text:
            problems.append(Problem(name, u.source or "?", "orphan",
                                    f"translates no English unit ({_preview(u.text)})"))
            continue
        done[u.source] = u
    for uid, e in en_text.items():
        t = done.get(uid)
        if t is None or t.version in (None, UNTRANSLATED):
            problems.append(Problem(name, uid, "missing", f"not translated: {_preview(e.text)}"))
        elif t.version != sha(e.text):
            problems.append(Problem(name, uid, "stale", "the English text changed after it "
                                    f"was translated (now {_preview(e.text)})"))
    order = [u.source for u in tr if u.kind == "text" and u.source in en_text]
    if order != [uid for uid in en_text if uid in done]:
        problems.append(Problem(name, "*", "drift", "text units are not in the English order; "
                                "run sync"))
    return problems


def _code_key(unit: Unit):
    if unit.cell is None:
        return unit.text.strip()  # blank lines around a block are not code
    c = unit.cell
    return (c.get("source"), json.dumps(c.get("metadata", {}), sort_keys=True))


def status(lang: str = "ko", root: Path = ROOT) -> list[Problem]:
    problems = []
    for page in english_pages(root):
        problems += page_status(page, counterpart(page, lang, root), root)
    return problems


# --- sync ------------------------------------------------------------------------------------


def sync_page(english: Path, translated: Path) -> list[str]:
    """Rewrite ``translated`` to follow ``english``: its code is the English code, its text
    units come in the English order, each the existing translation of that English unit or,
    when there is none, the English text marked untranslated. Translations of English units
    that no longer exist are dropped (and reported)."""
    english, translated = Path(english), Path(translated)
    old = read_units(translated, english=False) if translated.exists() else []
    by_source = {u.source: u for u in old if u.kind == "text" and u.source}
    en = read_units(english, english=True)
    report = [f"dropped the translation of {u.source} (no such English unit)"
              for u in old if u.kind == "text" and u.source and
              u.source not in {e.id for e in en}]
    translated.parent.mkdir(parents=True, exist_ok=True)
    if english.suffix == ".ipynb":
        nb = nbformat.read(english, as_version=4)
        cells = []
        for cell, unit in zip(nb.cells, en):
            cell = copy.deepcopy(cell)
            if unit.kind == "text":
                t = by_source.get(unit.id)
                if t is not None and t.version in (None, UNTRANSLATED) and \
                        not has_words(unit.text):
                    t = None  # nothing to translate: recorded as up to date below
                if t is not None:
                    cell.source = t.text
                    cell.metadata["translation"] = {"source": unit.id, "sha": t.version}
                elif not has_words(unit.text):  # e.g. only a fence: nothing to translate
                    cell.metadata["translation"] = {"source": unit.id, "sha": sha(unit.text)}
                else:
                    cell.metadata["translation"] = {"source": unit.id, "sha": UNTRANSLATED}
                    report.append(f"new untranslated unit {unit.id}")
            cells.append(cell)
        nb.cells = cells
        nbformat.write(nb, translated)
    else:
        units = []
        for unit in en:
            if unit.kind == "code":
                units.append(unit)
                continue
            t = by_source.get(unit.id)
            if t is not None and t.version in (None, UNTRANSLATED) and not has_words(unit.text):
                t = None  # nothing to translate: recorded as up to date below
            text = t.text if t is not None else unit.text
            version = t.version if t is not None else \
                sha(unit.text) if not has_words(unit.text) else UNTRANSLATED
            if version == UNTRANSLATED:
                report.append(f"new untranslated unit {unit.id}")
            units.append(Unit(unit.id, "text", text, unit.id, version))
        _write_markdown_translation(translated, units)
    return report


def sync(lang: str = "ko", root: Path = ROOT, log=print) -> None:
    for page in english_pages(root):
        target = counterpart(page, lang, root)
        for line in sync_page(page, target):
            log(f"{target.relative_to(root)}: {line}")


# --- editing ---------------------------------------------------------------------------------


def set_translation(translated: Path, english: Path, texts: dict[str, str]) -> list[str]:
    """Put ``texts`` (English unit id -> translated text) into ``translated`` and record
    that each is a translation of the English text as it is now."""
    en = {u.id: u for u in read_units(english, english=True) if u.kind == "text"}
    unknown = sorted(set(texts) - set(en))
    if unknown:
        raise ValueError(f"{english.name} has no text unit {unknown}; its units are "
                         f"{sorted(en)}")
    translated = Path(translated)
    if translated.suffix == ".ipynb":
        nb = nbformat.read(translated, as_version=4)
        for cell in nb.cells:
            rec = cell.metadata.get("translation")
            if rec and rec.get("source") in texts:
                cell.source = texts[rec["source"]].strip("\n")
                rec["sha"] = sha(en[rec["source"]].text)
        nbformat.write(nb, translated)
    else:
        units = read_markdown_translation(translated.read_text())
        by_source = {u.source: u for u in units if u.kind == "text"}
        for uid, text in texts.items():
            if uid not in by_source:
                raise ValueError(f"{translated.name} has no unit {uid}: run sync first")
            by_source[uid].text = text.rstrip("\n") + "\n\n"
            by_source[uid].version = sha(en[uid].text)
        _write_markdown_translation(translated, units)
    return sorted(texts)


def _write_markdown_translation(translated: Path, units: list[Unit]) -> None:
    """Write a translated ``.md`` page: code units as they are, each text unit under its
    marker (inside a glossary directive a reST comment, elsewhere a MyST one)."""
    parts = []
    for u in units:
        if u.kind == "code":
            parts.append(u.text)
        else:
            comment = ".." if u.source and u.source.startswith("term-") else "%"
            parts.append(f"{comment} translation: {u.source} {u.version}\n" + u.text)
    translated.write_text("".join(parts))


def mark(translated: Path, english: Path, ids: list[str] | None = None) -> list[str]:
    """Record that the units ``ids`` (default: every stale one) are up to date with the
    English text, without changing their text. Returns the ids marked."""
    en = {u.id: u for u in read_units(english, english=True) if u.kind == "text"}
    tr = [u for u in read_units(translated, english=False) if u.kind == "text"]
    if ids is None:
        ids = [u.source for u in tr if u.source in en and u.version not in
               (UNTRANSLATED, None) and u.version != sha(en[u.source].text)]
    return set_translation(translated, english,
                           {u.source: u.text for u in tr if u.source in ids})


EXPORT_MARK = re.compile(r"^<!-- unit (\S+) (\S+) -->$")


def export(translated: Path, english: Path) -> str:
    """The text units of a page as plain text, each under a line ``<!-- unit ID STATE -->``
    (STATE: ok, stale or untranslated), the English text quoted above the translation."""
    en = {u.id: u for u in read_units(english, english=True) if u.kind == "text"}
    out = []
    for u in read_units(translated, english=False):
        if u.kind != "text" or u.source not in en:
            continue
        e = en[u.source]
        state = UNTRANSLATED if u.version in (None, UNTRANSLATED) else \
            "ok" if u.version == sha(e.text) else "stale"
        quoted = "".join(f"> {line}\n" if line.strip() else ">\n"
                         for line in e.text.strip("\n").split("\n"))
        out.append(f"<!-- unit {u.source} {state} -->\n<!-- english:\n{quoted}-->\n"
                   f"{u.text.strip(chr(10))}\n")
    return "\n".join(out)


def import_text(translated: Path, english: Path, text: str) -> list[str]:
    """Read back :func:`export`'s format into the translated page; returns the ids of the
    units recorded as translated from the current English text."""
    en = {u.id: u for u in read_units(english, english=True) if u.kind == "text"}
    texts, current, lines = {}, None, []
    skipping = False

    def flush():
        if current is not None:
            texts[current] = "".join(lines).strip("\n")

    for line in text.splitlines(keepends=True):
        m = EXPORT_MARK.match(line.strip())
        if m:
            flush()
            current, lines = m.group(1), []
            continue
        if line.startswith("<!-- english:"):
            skipping = True
            continue
        if skipping:
            skipping = line.strip() != "-->"
            continue
        lines.append(line)
    flush()
    # Recorded as translated from the current English: units whose text was edited, and
    # untranslated units that now hold a translation. (An unedited stale unit stays stale.)
    current = {u.source: u for u in read_units(translated, english=False) if u.kind == "text"}
    changed = {}
    for k, v in texts.items():
        if k not in en or k not in current:
            continue
        untranslated = current[k].version in (None, UNTRANSLATED)
        if v.strip() != current[k].text.strip() or \
                (untranslated and v.strip() != en[k].text.strip()):
            changed[k] = v
    return set_translation(translated, english, changed)


def english_history(english: Path, unit_id: str, version: str, root: Path = ROOT) -> str | None:
    """The English text of ``unit_id`` whose sha is ``version``, found in git history."""
    try:
        revs = subprocess.run(["git", "-C", str(root), "log", "--format=%H", "--",
                               str(Path(english).relative_to(root))],
                              capture_output=True, text=True, check=True).stdout.split()
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError):
        return None
    rel = str(Path(english).relative_to(root))
    for rev in revs:
        show = subprocess.run(["git", "-C", str(root), "show", f"{rev}:{rel}"],
                              capture_output=True, text=True)
        if show.returncode:
            continue
        tmp = Path(root) / "_build" / "translation-history" / Path(rel).name
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(show.stdout)
        for u in read_units(tmp, english=True):
            if u.id == unit_id and sha(u.text) == version:
                return u.text
    return None


def diff_stale(lang: str = "ko", root: Path = ROOT) -> str:
    """For each stale unit, the English change since it was translated (a unified diff)."""
    import difflib

    out = []
    for page in english_pages(root):
        target = counterpart(page, lang, root)
        if not target.exists():
            continue
        en = {u.id: u for u in read_units(page, english=True) if u.kind == "text"}
        for u in read_units(target, english=False):
            if u.kind != "text" or u.source not in en or u.version in (None, UNTRANSLATED):
                continue
            if u.version == sha(en[u.source].text):
                continue
            old = english_history(page, u.source, u.version, root)
            head = f"{target.relative_to(root)} unit {u.source}"
            if old is None:
                out.append(f"{head}: the translated English version is not in git history\n")
                continue
            out.append("".join(difflib.unified_diff(
                old.splitlines(keepends=True), en[u.source].text.splitlines(keepends=True),
                f"{head} (English, as translated)", f"{head} (English, now)")))
    return "\n".join(out)


# --- what a translation keeps --------------------------------------------------------------

#: What a translated text unit carries over from the English one unchanged (as sets): its
#: math, labels, directives, cross-references, citations, links and code (a glossary link may
#: move to a neighbouring sentence, so term roles are not compared).
KEPT = {
    "display math": re.compile(r"\$\$(.+?)\$\$", re.S),
    # (inline math and code may run over a line break, not over a blank line)
    "inline math": re.compile(r"(?<![\$\\])\$(?!\$)((?:[^$\n]|\n(?!\s*\n))+?)\$"),
    "label": re.compile(r"^\(([\w.:-]+)\)=", re.M),
    "directive": re.compile(r"^[`~:]{3,}\s*(\{[\w:-]+\})", re.M),
    "directive label": re.compile(r"^:label:\s*(\S+)", re.M),
    "citation": re.compile(r"\{cite(?::\w+)?\}`([^`]+)`"),
    "reference": re.compile(r"\{(?:ref|numref|doc|eq)\}`(?:[^`<]*<)?([^`>]+)>?`"),
    "link": re.compile(r"\]\(([^)\s]+)\)"),
    "code": re.compile(r"(?<!`)`((?:[^`\n]|\n(?!\s*\n))+)`(?!`)"),
}


def _kept(text: str, what: str) -> set[str]:
    found = KEPT[what].findall(text)
    if what == "code":  # role contents are not code; `x` after {role} is a role's text
        found = [m.group(1) for m in KEPT[what].finditer(text)
                 if not text[:m.start()].endswith("}")]
    return {" ".join(f.split()) for f in found}


def structure_problems(english: str, translated: str) -> list[str]:
    """How ``translated`` fails to keep what :data:`KEPT` lists from ``english``."""
    problems = []
    for what in KEPT:
        a, b = _kept(english, what), _kept(translated, what)
        if what == "code":
            # backticked code is kept, but a translation may name it less often
            if b - a:
                problems.append(f"{what} not in the English text: {sorted(b - a)[:5]}")
            continue
        if a != b:
            problems.append(f"{what}: missing {sorted(a - b)[:5]}, added {sorted(b - a)[:5]}")
    return problems


def check_page(english: Path, translated: Path) -> list[str]:
    """Structure problems of every translated text unit of a page."""
    en = {u.id: u for u in read_units(english, english=True) if u.kind == "text"}
    out = []
    for u in read_units(translated, english=False):
        if u.kind != "text" or u.source not in en or u.version in (None, UNTRANSLATED):
            continue
        for p in structure_problems(en[u.source].text, u.text):
            out.append(f"{translated.name} unit {u.source}: {p}")
    return out


#: What is not prose: math, code, roles and directives' names, labels, directive options.
MARKUP = (KEPT["display math"], KEPT["inline math"], re.compile(r"`[^`]*`"),
          re.compile(r"\{[\w:-]+\}"), re.compile(r"\([^)]*\)="),
          re.compile(r"^:[\w-]+:.*$", re.M))


def prose_letters(text: str) -> list[str]:
    """The letters of ``text`` outside math, code and markup."""
    for pattern in MARKUP:
        text = pattern.sub(" ", text)
    return [c for c in text if c.isalpha()]


def has_words(text: str) -> bool:
    """Whether a text unit has anything to translate (not only a fence or a label)."""
    return bool(prose_letters(text))


def hangul_share(text: str) -> float:
    """The share of Hangul among the letters of ``text`` (math, code and markup removed)."""
    letters = prose_letters(text)
    if not letters:
        return 1.0
    return sum("\uac00" <= c <= "\ud7a3" for c in letters) / len(letters)


# --- command line ----------------------------------------------------------------------------


def main(args, root: Path = ROOT) -> int:
    """``python -m nnlib.instructor translation ACTION``; see :mod:`the module <.>`."""
    lang = args.lang
    pages = english_pages(root)

    def english_of(page: Path) -> Path:
        page = Path(page).resolve()
        for e in pages:
            if counterpart(e, lang, root).resolve() == page or e.resolve() == page:
                return e
        raise SystemExit(f"{page} is not a page of the book or of its {lang} edition")

    if args.action == "sync":
        sync(lang, root)
        return 0
    if args.action == "status":
        problems = status(lang, root)
        for p in problems:
            print(p)
        if args.diff:
            print(diff_stale(lang, root))
        print(f"{len(problems)} problem(s)" if problems else "up to date")
        return 1 if problems else 0
    if args.action == "check":
        targets = [Path(p) for p in args.pages] or [counterpart(p, lang, root) for p in pages]
        out = []
        for t in targets:
            out += check_page(english_of(t), counterpart(english_of(t), lang, root))
        print("\n".join(out) or "structure kept")
        return 1 if out else 0
    page = Path(args.pages[0])
    english = english_of(page)
    translated = counterpart(english, lang, root)
    if args.action == "export":
        text = export(translated, english)
        if args.file:
            Path(args.file).write_text(text)
        else:
            print(text)
        return 0
    if args.action == "import":
        done = import_text(translated, english, Path(args.file).read_text())
        print(f"{translated.relative_to(root)}: {len(done)} unit(s) recorded as translated")
        return 0
    if args.action == "mark":
        done = mark(translated, english, args.pages[1:] or None)
        print(f"{translated.relative_to(root)}: marked {done}")
        return 0
    raise SystemExit(f"unknown action {args.action}")

"""Each chapter's key terms are glossary terms, with the glossary's Korean name."""

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))
ROLE = re.compile(r"\{term\}`([^`<]*?)(?:\s*<([^>]+)>)?`")


def glossary() -> dict:
    """term (lower case) -> its Korean line, for every term of book/glossary.md."""
    text = (BOOK / "glossary.md").read_text()
    entries = {}
    for match in re.finditer(r"\n((?:[^\s\n][^\n]*\n)+)  \*\*Korean:\*\* ([^\n]+)", text):
        for term in match.group(1).strip().splitlines():
            entries[term.strip().lower()] = match.group(2).strip()
    return entries


def key_terms(path: Path) -> list:
    """(term, Korean) pairs of a chapter's "Key terms" section (a table or a list)."""
    cells = json.loads(path.read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    section = text.split("## Key terms", 1)[1].split("\n## ", 1)[0]
    pairs = []
    for line in section.splitlines():
        match = re.match(r"\|\s*(.+?)\s*\|\s*(.+?)\s*\|", line) or re.match(r"- (.+?) — (.+)", line)
        if not match or set(match.group(1)) <= set("-: "):
            continue
        term = ROLE.sub(lambda m: m.group(2) or m.group(1), match.group(1)).strip().lower()
        if term not in ("term", "english", "english term"):
            pairs.append((term, match.group(2).strip()))
    return pairs


def hangul(text: str) -> set:
    """The Korean words of a name (the English ones and the punctuation aside)."""
    return set(re.findall(r"[\uac00-\ud7a3]+", text))


def entry(entries, term):
    """The glossary's Korean for ``term``, also when the chapter adds an expansion in
    parentheses ("ReLU (rectified linear unit)") or a second name after a comma."""
    if term in entries:
        return entries[term]
    for name in re.sub(r"\s*\([^)]*\)", "", term).split(","):
        if name.strip() in entries:
            return entries[name.strip()]
    return None


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_key_terms_match_the_glossary(path):
    entries = glossary()
    pairs = key_terms(path)
    assert len(pairs) >= 5, f"found only {pairs}"
    found = {term: entry(entries, term) for term, _ in pairs}
    missing = [term for term, korean in found.items() if korean is None]
    assert not missing, f"key terms not in the glossary: {missing}"
    differ = [(term, korean, found[term]) for term, korean in pairs
              if not (hangul(korean) <= hangul(found[term]) or hangul(found[term]) <= hangul(korean))]
    assert not differ, f"Korean names that differ from the glossary's: {differ}"

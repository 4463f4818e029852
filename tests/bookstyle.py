"""How long the book's prose is: words per chapter, per prose block and in the summary.

The course's rule for chapters (issues 13 and 14): each section opens with its point, no
block of prose runs longer than about 250 words without a formula, a figure or a code cell,
the summary has at most 200 words, and a chapter has at most about 3,500 words of prose.

Words are counted in markdown text only: display math (``$$ ... $$`` and ``\\begin`` blocks),
inline math, fenced code, directive and role names, labels and HTML comments do not count;
the words inside a role (``{term}`learning rate```) do. A prose block ends at a code cell, a
display formula, a fenced block (code, figure, directive), a table or a heading.

Run ``python tests/bookstyle.py [book/03_activations.ipynb ...]`` for a report (default:
both editions).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_CHAPTER_WORDS = 3500
MAX_BLOCK_WORDS = 250
MAX_SUMMARY_WORDS = 200
#: The summary section's heading in each edition (the Korean edition counts words, 어절, the
#: same way: a Korean text has fewer of them than its English original).
SUMMARY_HEADINGS = ("summary", "요약")

_WORD = re.compile(r"[A-Za-z0-9\uac00-\ud7a3]+(?:['’-][A-Za-z0-9\uac00-\ud7a3]+)*")
_INLINE_MATH = re.compile(r"(?<!\\)\$[^$\n]+?(?<!\\)\$")
_ROLE = re.compile(r"\{[\w:-]+\}`([^`]*)`")
_LABEL = re.compile(r"^\([\w-]+\)=\s*$")


@dataclass
class Block:
    section: str
    words: int
    start: str  # the block's first words, to find it


@dataclass
class Report:
    path: Path
    words: int = 0
    summary_words: int = 0
    blocks: list[Block] = field(default_factory=list)

    @property
    def longest(self) -> Block | None:
        return max(self.blocks, key=lambda b: b.words, default=None)


def count_words(text: str) -> int:
    """Words of one line of prose (math, role names and markup removed)."""
    text = _INLINE_MATH.sub(" ", text)
    text = _ROLE.sub(lambda m: " " + re.sub(r"<[^>]*>", " ", m.group(1)) + " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](link)
    text = re.sub(r"<!--.*?-->", " ", text)
    return len(_WORD.findall(text))


def _segments(path: Path):
    """Yield ("md", text) and ("code", "") pieces of a chapter, in order."""
    if path.suffix == ".ipynb":
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                yield "md", "".join(cell["source"])
            elif cell["cell_type"] == "code":
                yield "code", ""
        return
    text = path.read_text()
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # front matter
    for piece in re.split(r"(```\{code-cell\}.*?\n```)", text, flags=re.S):
        if piece.startswith("```{code-cell}"):
            yield "code", ""
        else:
            yield "md", piece


def measure(path: Path) -> Report:
    report = Report(path=Path(path))
    section, current, first, in_math, fence = "", 0, "", False, None
    in_summary = False

    def close():
        nonlocal current, first
        if current:
            report.blocks.append(Block(section, current, first))
        current, first = 0, ""

    for kind, text in _segments(Path(path)):
        if kind == "code":
            close()
            continue
        for line in text.splitlines():
            stripped = line.strip()
            # Fenced blocks (``` or ~~~ code and figures; :::{directive} and ```{directive}).
            if fence is not None:
                if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                    fence = None
                continue
            m = re.match(r"^(`{3,}|~{3,})(.*)$", stripped)
            if m:
                close()
                # MyST directives whose body is prose (exercise, solution, note, admonition,
                # glossary) count; code, math and figures do not.
                name = m.group(2).strip()
                if not re.match(r"\{(exercise|solution|note|tip|warning|important|admonition|"
                                r"glossary|dropdown|seealso|caution|attention)", name):
                    fence = m.group(1)
                continue
            if stripped.startswith(":::"):
                close()
                continue
            if in_math:
                if stripped.endswith("$$") or stripped.startswith("\\end"):
                    in_math = False
                continue
            if stripped.startswith("$$"):
                close()
                in_math = not (stripped.endswith("$$") and len(stripped) > 2)
                continue
            if stripped.startswith("\\begin"):
                close()
                in_math = True
                continue
            if stripped.startswith("#"):
                close()
                section = stripped.lstrip("#").strip()
                in_summary = section.lower() in SUMMARY_HEADINGS
                report.words += count_words(section)
                continue
            if stripped.startswith("|"):
                close()  # a table is a picture of its own; its words still count
                report.words += count_words(stripped)
                continue
            if _LABEL.match(stripped) or stripped.startswith(":label:") or stripped.startswith(":class:") \
                    or stripped.startswith(":tags:") or stripped.startswith(":sorted:"):
                continue
            n = count_words(stripped)
            if n and not first:
                first = " ".join(stripped.split()[:8])
            current += n
            report.words += n
            if in_summary:
                report.summary_words += n
        fence, in_math = None, False  # a cell's fences end with the cell; its prose block does not
    close()
    return report


def chapters() -> list[Path]:
    """The introduction and the chapters, of the English book and of the Korean edition."""
    return [book / "intro.md" for book in (ROOT / "book", ROOT / "book" / "ko")] + \
        sorted(p for book in (ROOT / "book", ROOT / "book" / "ko")
               for p in book.glob("[0-9][0-9]_*.ipynb"))


def main(argv):
    paths = [Path(p) for p in argv] or chapters()
    for path in paths:
        r = measure(path)
        longest = r.longest
        flag = lambda ok: "" if ok else "  <-- over"  # noqa: E731
        print(f"{path.name}: {r.words} words{flag(r.words <= MAX_CHAPTER_WORDS)}; "
              f"summary {r.summary_words}{flag(r.summary_words <= MAX_SUMMARY_WORDS)}; "
              f"longest block {longest.words if longest else 0}"
              f"{flag(not longest or longest.words <= MAX_BLOCK_WORDS)}")
        for b in sorted(r.blocks, key=lambda b: -b.words):
            if b.words > MAX_BLOCK_WORDS:
                print(f"    {b.words} words in '{b.section}': {b.start} ...")


if __name__ == "__main__":
    main(sys.argv[1:])

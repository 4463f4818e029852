"""Print the requirements of the lowest-versions test environment (CI's second run).

nnlib's dependencies in ``pyproject.toml`` (``name>=X``, the optional ones included) become
``name==X``: the oldest versions the package admits, so the ranges it declares are ranges
that are tested. Everything else (the test tools, Jupyter Book, the kernel) keeps the pins of
``requirements.txt`` and ``requirements-test.txt``. Usage, from the repository:

    python3 .ci/lowest_requirements.py > lowest.txt && pip install -r lowest.txt
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9][^,;\s]*)\s*$")


def name_of(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def floors(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """``{name: lowest version}`` of every dependency of nnlib, optional ones included."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    found = {}
    for requirement in requirements:
        match = FLOOR.match(requirement)
        if not match:
            raise ValueError(f"pyproject.toml: expected 'name>=version' for every dependency of "
                             f"nnlib (its floor is tested), got {requirement!r}")
        found[name_of(match[1])] = match[2]
    return found


def pinned(path: Path, seen: set | None = None) -> list[str]:
    """The requirement lines of ``path`` and of the files it includes with ``-r``."""
    seen = set() if seen is None else seen
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            included = (path.parent / line[3:].strip()).resolve()
            if included not in seen:
                seen.add(included)
                lines += pinned(included, seen)
        elif line and not line.startswith("-e"):
            lines.append(line)
    return lines


def lowest_requirements() -> list[str]:
    low = floors()
    rest = [line for line in pinned(ROOT / "requirements-test.txt") if name_of(line) not in low]
    return [f"{name}=={version}" for name, version in low.items()] + rest + ["-e ."]


if __name__ == "__main__":
    print("\n".join(lowest_requirements()))
    sys.exit(0)

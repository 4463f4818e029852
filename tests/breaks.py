"""Break nnlib on purpose and check that a chapter's claims notice.

A chapter's hidden ``assert`` cells check the conclusions its text draws. If ``nnlib``
computes something wrong, those conclusions stop holding, and executing the chapter must
fail in one of them. :func:`run_broken` copies ``nnlib`` into a scratch folder, replaces one
piece of its source (the *break*), executes the chapter against the copy in a fresh kernel
and reports the first cell that raised. Each chapter's ``tests/test_breaks_chNN.py`` lists
breaks that a careless edit of ``nnlib`` could make and the claim each must trip.

The explorers run in their live mode (no frames are precomputed), so a run takes about as
long as the chapter's cells up to the first failing claim.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"


@dataclass
class Failure:
    cell_index: int
    source: str
    tags: list
    ename: str
    evalue: str

    @property
    def hidden(self) -> bool:
        return "remove-cell" in self.tags


def run_broken(notebook: str, file: str, old: str, new: str, tmp_path: Path,
               timeout: int = 300) -> Failure | None:
    """Execute ``book/<notebook>`` with ``nnlib/<file>``'s ``old`` replaced by ``new``.

    Returns the first cell that raised, or None when the whole chapter ran. ``old`` must
    occur exactly once in the file, so a break cannot silently stop applying when nnlib
    changes.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    scratch = tmp_path / "lib"
    shutil.copytree(ROOT / "nnlib", scratch / "nnlib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = scratch / "nnlib" / file
    text = target.read_text()
    count = text.count(old)
    if count != 1:
        raise ValueError(f"the break's text occurs {count} times in nnlib/{file}, expected once: {old!r}")
    target.write_text(text.replace(old, new))

    nb = nbformat.read(BOOK / notebook, as_version=4)
    env = {**os.environ, "PYTHONPATH": str(scratch), "NNLIB_EXPLORER_MODE": "live",
           "MPLBACKEND": "Agg"}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(BOOK)}})
    client.km = client.create_kernel_manager()
    # The kernel must import the broken copy, not the installed nnlib.
    with _environment(env):
        try:
            client.execute()
        except CellExecutionError:
            pass
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                return Failure(i, cell.source, cell.metadata.get("tags", []),
                               out.get("ename", ""), out.get("evalue", ""))
    return None


class _environment:
    def __init__(self, env):
        self.env, self.saved = env, None

    def __enter__(self):
        self.saved = dict(os.environ)
        os.environ.update(self.env)

    def __exit__(self, *exc):
        os.environ.clear()
        os.environ.update(self.saved)


def assert_claim_fails(notebook: str, file: str, old: str, new: str, claim: str,
                       tmp_path: Path) -> Failure:
    """The break must stop the chapter in a hidden assert cell whose source contains ``claim``."""
    failure = run_broken(notebook, file, old, new, tmp_path)
    assert failure is not None, f"{notebook} ran to the end with nnlib/{file} broken ({new!r})"
    assert failure.hidden and failure.ename == "AssertionError", (
        f"{notebook} failed in cell {failure.cell_index} with {failure.ename}: {failure.evalue}"
        f" -- expected a hidden claim to fail first\n{failure.source}"
    )
    assert claim in failure.source, (
        f"{notebook}: the first failing claim (cell {failure.cell_index}) is not the expected "
        f"one ({claim!r}):\n{failure.source}"
    )
    return failure


def notebook_cells(notebook: str) -> list[dict]:
    return json.loads((BOOK / notebook).read_text())["cells"]

"""Precompute time and page payload of every explorer in the book, against the budget.

    .venv/bin/python benchmarks/explorers.py            # all pages
    .venv/bin/python benchmarks/explorers.py book/intro.md

Runs each page's code cells in order in one IPython shell with NNLIB_EXPLORER_MODE=static
(as the book build does), records every Explorer that ``nnlib.widgets.explore`` returns, and
prints its frames, precompute time and payload next to the budget (10 s, 3 MB).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS, BUDGET_BYTES = 10.0, 3_000_000
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def code_cells(path: Path) -> list[str]:
    """Source of each code cell of a notebook or a MyST-markdown notebook page."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    cells = CODE_CELL.findall(path.read_text())
    return [re.sub(r"\A(?::[^\n]*\n)+", "", c) for c in cells]  # drop :tags: lines


def record(found: list):
    """Make ``nnlib.widgets.explore`` append every Explorer it returns to ``found``, each with
    ``frame_seconds`` (the time of each frame: ``plot_fn``, then the PNG) and ``fits_per_frame``
    (calls of ``nnlib.training.fit``, i.e. networks trained, per frame). Returns a function that
    undoes it. Also used inside a kernel by ``benchmarks/performance.py``."""
    import time

    import nnlib.training as training
    import nnlib.widgets as widgets

    original_explore, original_fit = widgets.explore, training.fit
    fits = [0]

    def counting_fit(*args, **kwargs):
        fits[0] += 1
        return original_fit(*args, **kwargs)

    def recording(plot_fn, *args, **kwargs):
        starts, counts = [], []

        def timed(**values):
            starts.append(time.perf_counter())
            counts.append(fits[0])
            return plot_fn(**values)

        timed.__name__ = getattr(plot_fn, "__name__", "figure")
        explorer = original_explore(timed, *args, **kwargs)
        if hasattr(explorer, "precompute_seconds"):  # static mode: all frames were drawn
            ends = starts[1:] + [time.perf_counter()]  # a frame ends where the next starts
            explorer.frame_seconds = [b - a for a, b in zip(starts, ends)]
            explorer.fits_per_frame = [b - a for a, b in zip(counts, counts[1:] + [fits[0]])]
        found.append(explorer)
        return explorer

    widgets.explore, training.fit = recording, counting_fit

    def undo():
        widgets.explore, training.fit = original_explore, original_fit

    return undo


def report(found: list) -> None:
    """Print (for benchmarks/performance.py) one JSON line about the static explorers in
    ``found``. A live slider move runs exactly what one frame took (``nnlib.widgets._render``:
    ``plot_fn``, then its PNG), so ``frame_seconds`` are also the live callback times."""
    rows = [
        {"frames": len(e.index), "distinct": len(e.frames), "seconds": e.precompute_seconds,
         "bytes": e.payload_bytes, "frame_seconds": e.frame_seconds,
         "fits_per_frame": e.fits_per_frame}
        for e in found if hasattr(e, "precompute_seconds")
    ]
    print("NN-BENCHMARK " + json.dumps({"explorers": rows}))


def measure(path: Path) -> list:
    import matplotlib

    matplotlib.use("Agg")
    from IPython.core.interactiveshell import InteractiveShell

    found = []
    undo = record(found)
    shell = InteractiveShell.instance()
    cwd = os.getcwd()
    os.chdir(path.parent)  # the book executes notebooks in their folder
    try:
        for source in code_cells(path):
            with contextlib.redirect_stdout(io.StringIO()):  # the cells' own prints
                result = shell.run_cell(source, silent=True)
            if not result.success:
                raise RuntimeError(f"{path}: a cell failed: {result.error_in_exec!r}")
    finally:
        os.chdir(cwd)
        undo()
        InteractiveShell.clear_instance()
    return found


def main(paths: list[str]) -> int:
    os.environ["NNLIB_EXPLORER_MODE"] = "static"
    pages = [Path(p).resolve() for p in paths] or sorted(
        p for p in (ROOT / "book").glob("*") if p.suffix in (".ipynb", ".md")
    )
    print(f"{'page':<28}{'#':>3}{'frames':>8}{'distinct':>10}{'seconds':>9}{'budget':>8}"
          f"{'MB':>7}{'budget':>8}  within")
    over = 0
    for page in pages:
        start = time.perf_counter()
        explorers = measure(page)
        for i, e in enumerate(explorers, 1):
            ok = e.precompute_seconds <= BUDGET_SECONDS and e.payload_bytes <= BUDGET_BYTES
            over += not ok
            print(f"{page.name:<28}{i:>3}{len(e.index):>8}{len(e.frames):>10}"
                  f"{e.precompute_seconds:>9.2f}{BUDGET_SECONDS:>8.0f}"
                  f"{e.payload_bytes / 1e6:>7.2f}{BUDGET_BYTES / 1e6:>8.0f}  {'yes' if ok else 'NO'}")
        if explorers:
            print(f"{'':<28}page executed in {time.perf_counter() - start:.1f} s")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

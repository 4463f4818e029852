"""Live latency of every explorer in JupyterLab (key press -> new figure), next to Python's.

    .venv/bin/python benchmarks/live_explorers.py                        # every chapter
    .venv/bin/python benchmarks/live_explorers.py book/04_backprop.ipynb --moves 9
    .venv/bin/python benchmarks/live_explorers.py --json live.json

For each chapter, interleaved so that both see the same load:

1. **Python (the reference)**: ``benchmarks/performance.py --skip-training`` executes the
   chapter with nbclient as the book build does and times every frame of each explorer
   (``plot_fn`` and its PNG, what ``nnlib.widgets._live`` runs on a slider move); its
   median is the latency the kernel alone would give.
2. **The browser**: ``jupyter lab`` on a scratch copy of the chapter, in Debian's Chromium
   (the helpers of ``tests/browser/jupyterlab.py``, which the browser test uses too): Run
   All Cells, then for each explorer ``--moves`` keyboard moves (default 5), taking the
   controls in turn, each one step (ArrowRight on a slider, or ArrowLeft at its end; a
   dropdown is opened with Space, moved one option and closed with Enter). A move's latency
   runs from the key that sets the value going down to the new image decoded in the page:
   the comm message to the kernel, the drawing, the PNG's way back and its rendering.

Prints, per explorer, the live median and slowest move next to Python's median frame and
the difference (what the frontend and the messages add). The target for explorers that
train a network is a median of 250 ms (``TARGETS["callback_s"]`` in performance.py); this
script shows what a student sees on top of it. Moves revisit settings (one step forth and
back at a slider's end); plotting functions that cache their trained models answer a
revisit faster than a frame of the precomputation.

No ``--quick`` mode and no CI run: the browser test (``tests/browser/test_jupyterlab.py``)
already drives every explorer through the same code (``LiveExplorer.move``, which measures
the time it prints), so CI checks that this runs; the numbers themselves depend on the
machine and are recorded in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]
from browser import jupyterlab as jl  # noqa: E402
from performance import TARGETS  # noqa: E402


def python_reference(page: Path) -> list[dict]:
    """performance.py's figures of each explorer of ``page`` (a fresh process: nbclient
    and Playwright's synchronous API each want their own event loop)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reference.json"
        run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "performance.py"),
                              "--skip-training", "--json", str(out), str(page)],
                             capture_output=True, text=True, cwd=ROOT)
        if run.returncode != 0:
            raise RuntimeError(f"performance.py failed on {page.name}:\n{run.stderr[-3000:]}")
        (result,) = json.loads(out.read_text())["book"]["pages"]
    return result["explorers"]


def live(lab: "jl.LabPage", name: str, moves: int) -> list[dict]:
    """Run the chapter in JupyterLab and move each explorer's controls ``moves`` times."""
    notebook = lab.open(name)
    try:
        notebook.run_all()
        rows = []
        for spec in jl.explorer_cells(lab.server.root / name):
            explorer = notebook.explorer(spec)
            controls = list(explorer.controls())
            done = [explorer.move(controls[i % len(controls)]) for i in range(moves)]
            bad = [m for m in done if m.timeout or m.error]
            if bad:
                raise RuntimeError(f"{explorer.where()}: moves that failed: {bad}")
            rows.append({"controls": controls, "moves": [m.ms for m in done],
                         "keys": [f"{m.control}: {m.key}" for m in done],
                         "unchanged": sum(not m.changed for m in done)})
        problems = notebook.problems()
        if problems:
            raise RuntimeError(f"{name}: errors in the page: {problems}")
        return rows
    finally:
        notebook.close()


def print_table(results: list[dict]) -> None:
    print("\nLive explorers in JupyterLab (Chromium): key down -> new image decoded, next to "
          "the drawing alone in Python (performance.py: median frame, plot_fn + PNG)")
    print(f"{'page':<32}{'#':>2}  {'controls':<28}{'moves':>6}{'live ms':>8}{'max':>6}"
          f"{'python ms':>10}{'+ms':>6}{'trains':>7}")
    for r in results:
        for i, (e, ref) in enumerate(zip(r["live"], r["python"]), 1):
            median, python = statistics.median(e["moves"]), ref["callback_median"] * 1000
            print(f"{r['page']:<32}{i:>2}  {', '.join(e['controls'])[:27]:<28}"
                  f"{len(e['moves']):>6}{median:>8.0f}{max(e['moves']):>6.0f}{python:>10.0f}"
                  f"{median - python:>6.0f}{'yes' if ref['retrains'] else 'no':>7}")
    print(f"target for explorers that train a network: median <= "
          f"{TARGETS['callback_s'] * 1000:.0f} ms (performance.py measures it in Python)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="chapters (default: book/*.ipynb)")
    parser.add_argument("--moves", type=int, default=5, help="moves per explorer (default 5)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    problem = jl.browser_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    pages = [Path(p).resolve() for p in args.pages] or sorted((ROOT / "book").glob("*.ipynb"))
    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NNBOOK_NOTEBOOK_DIR"] = str(pages[0].parent)
        root = jl.scratch_book(Path(tmp) / "book")
        with jl.JupyterServer(root, Path(tmp) / "state", app="lab") as server, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=jl.CHROMIUM,
                                                 args=jl.CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route(lambda url: not jl.is_local(url, server.base_url),
                          lambda route: route.abort())
            lab = jl.LabPage.load(context, server)
            for page in pages:
                start = time.perf_counter()
                print(f"  {page.name}: Python reference ...", file=sys.stderr, flush=True)
                reference = python_reference(page)
                print(f"  {page.name}: in JupyterLab ...", file=sys.stderr, flush=True)
                rows = live(lab, page.name, args.moves)
                if len(rows) != len(reference):
                    raise RuntimeError(f"{page.name}: {len(rows)} explorers live, "
                                       f"{len(reference)} in performance.py")
                results.append({"page": page.name, "live": rows, "python": reference,
                                "seconds": time.perf_counter() - start})
            lab.close()
            browser.close()
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

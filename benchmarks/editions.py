"""Time to build the book from nothing: the English edition alone against both editions.

    .venv/bin/python benchmarks/editions.py        # two fresh builds, 10-15 minutes on 2 cores

The target (issue 17): building the Korean edition as well takes at most 1.3 times the
English build, because the Korean pages run no code of their own: their code cells are the
English ones, and the Korean build finds their outputs in the English build's execution cache.

Each build runs in a scratch copy of the repository's sources with an empty ``_build``
(nothing cached): first ``jupyter-book build . -W -n --keep-going`` (the English edition, as
the README's command was before the Korean edition), then, in a second scratch copy,
``python -m nnlib.instructor build`` (both editions). The script prints both times, their
ratio and the target, and how many notebooks each build executed (from the cache's
records: the Korean build must add none).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.3
SOURCES = ["_config.yml", "_toc.yml", "book", "nnlib", "pyproject.toml"]


def scratch(folder: Path) -> Path:
    """A copy of what the build reads, with no _build."""
    folder.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns(
                "_build", "__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy(source, folder / name)
    return folder


def timed(command: list, cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed in {cwd} (exit {result.returncode})")
    return time.perf_counter() - start


def executed(folder: Path) -> int:
    """How many notebooks the build's jupyter-cache holds (each executed once)."""
    from jupyter_cache import get_cache

    return len(get_cache(folder / "_build" / ".jupyter_cache").list_cache_records())


def main() -> int:
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        english_dir = scratch(Path(tmp) / "english")
        english = timed([str(bin_dir / "jupyter-book"), "build", ".", "-W", "-n",
                         "--keep-going"], english_dir)
        both_dir = scratch(Path(tmp) / "both")
        # The scratch copy's nnlib is the one the build imports (nnbook's extension and the
        # notebooks find it on the path, as in the repository).
        both = timed([sys.executable, "-m", "nnlib.instructor", "--root", str(both_dir),
                      "build"], both_dir)
        counts = executed(english_dir), executed(both_dir)
        pages = len(list((both_dir / "_build" / "html" / "ko").glob("*.html")))
    ratio = both / english
    print("two fresh builds of the book (nothing cached)")
    print(f"{'':44}{'seconds':>9}{'notebooks executed':>20}")
    print(f"{'English edition (jupyter-book build .)':44}{english:9.0f}{counts[0]:20d}")
    print(f"{'both editions (nnlib.instructor build)':44}{both:9.0f}{counts[1]:20d}")
    print(f"ratio {ratio:.2f} (target <= {TARGET}); Korean pages built: {pages}")
    return 0 if ratio <= TARGET and counts[0] == counts[1] else 1


if __name__ == "__main__":
    sys.exit(main())

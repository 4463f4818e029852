"""benchmarks/performance.py runs (quick mode) and reports what issue 9 asks for.

Checks the structure of its output, not the timings, which depend on the machine.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "performance.py"

pytest.importorskip("sklearn")
pytest.importorskip("nbclient")


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    run = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--json", str(out)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(out.read_text()), run.stdout


def test_quick_mode_compares_nnlib_floor_and_sklearn(quick):
    results, stdout = quick
    assert results["quick"] is True
    rows = results["training"]
    assert [r["hidden"] for r in rows] == [8, 16]
    for r in rows:
        assert set(r["seconds"]) == set(r["accuracy"]) == {"nnlib", "floor", "sklearn"}
        assert all(t > 0 for t in r["seconds"].values())
        assert all(0.0 <= a <= 1.0 for a in r["accuracy"].values())
        assert r["nnlib/sklearn"] == pytest.approx(r["seconds"]["nnlib"] / r["seconds"]["sklearn"])
        assert r["nnlib/floor"] == pytest.approx(r["seconds"]["nnlib"] / r["seconds"]["floor"])
        # the floor is the same arithmetic as nnlib, so it ends with the same weights
        assert r["max |W_nnlib - W_floor|"] < 1e-12
        assert r["accuracy"]["nnlib"] == r["accuracy"]["floor"]
    assert "nnlib/sk" in stdout and "nnlib/floor" in stdout


def test_quick_mode_executes_a_page_and_times_its_explorer(quick):
    results, stdout = quick
    book = results["book"]
    (page,) = book["pages"]
    assert page["page"].endswith(".ipynb") and page["seconds"] > 0
    assert book["seconds"] == pytest.approx(page["seconds"])
    (explorer,) = page["explorers"]
    assert explorer["frames"] == 2 and explorer["bytes"] > 0 and explorer["seconds"] > 0
    assert explorer["fits_per_frame"] == [1, 1] and explorer["retrains"] is True
    # a live slider move draws one frame: its latency is the frames' median (and slowest)
    assert 0 < explorer["callback_median"] <= explorer["callback_max"] <= explorer["seconds"]
    assert "whole book" in stdout and "frame ms" in stdout


def test_book_pages_follow_the_table_of_contents():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import performance
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    pages = performance.book_pages()
    assert pages and all(p.is_file() for p in pages)
    assert pages[0].name.startswith("intro")
    chapters = [p.name for p in pages if p.suffix == ".ipynb"]
    assert chapters == sorted(chapters)

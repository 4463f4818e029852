"""Installing nnlib where students run it: on top of Colab's packages, it changes none of them.

Colab ships its own versions of nnlib's dependencies (and its own ipywidgets 7 frontend); the
chapters' first cell runs ``pip install "nnlib @ git+<repository>"`` there. If nnlib's
declared ranges excluded one of those versions, pip would replace it under Colab's frontend
(an ipywidgets upgrade is what breaks widgets on Colab). This test builds a virtual
environment with Colab's versions, installs nnlib the way that cell does (from its source,
not editable), and asserts that ``pip freeze`` gained nnlib and changed nothing else; then it
moves a live explorer's slider with that ipywidgets.

It needs PyPI (a package index, as the README's commands do) and takes about a minute.
The lowest versions ``pyproject.toml`` admits are tested by CI's second run
(``.ci/lowest_requirements.py``); tests/test_repository.py checks that script.
"""

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Google Colab's versions (its runtime of 2025-2026) of nnlib's dependencies.
COLAB = {"numpy": "2.0.2", "matplotlib": "3.10.0", "ipywidgets": "7.7.1",
         "scikit-learn": "1.6.1"}

LIVE_EXPLORER = textwrap.dedent("""
    import ipywidgets, matplotlib.pyplot as plt
    import nnlib as nn
    calls = []
    def draw(lr):
        calls.append(lr)
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, lr])
        return fig
    box = nn.widgets.explore(draw, lr=[0.1, 1.0], mode="live")
    slider = box.children[0].children[0]
    slider.value = 1.0
    assert calls == [0.1, 1.0], calls
    print("ipywidgets", ipywidgets.__version__, type(slider).__name__, calls)
""")


def run(*args, **kwargs) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, **kwargs)
    if done.returncode:
        pytest.fail(f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def freeze(python: Path) -> dict:
    lines = run(python, "-m", "pip", "freeze", "--all").splitlines()
    return dict(re.split(r"==| @ ", line, maxsplit=1) for line in lines if line.strip())


def source_copy(target: Path) -> Path:
    """nnlib's source as ``pip install git+...`` sees it (no build leftovers in the repo)."""
    target.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, target / name)
    shutil.copytree(ROOT / "nnlib", target / "nnlib",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def test_installing_nnlib_over_colabs_versions_changes_none_of_them(tmp_path):
    venv = tmp_path / "colab"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", *(f"{k}=={v}" for k, v in COLAB.items()))
    before = freeze(python)
    assert {k: before.get(k) for k in COLAB} == COLAB

    source = source_copy(tmp_path / "src")
    run(python, "-m", "pip", "install", "-q", source)
    after = freeze(python)

    changed = {k: (before.get(k), after.get(k)) for k in before.keys() | after.keys()
               if before.get(k) != after.get(k)}
    assert set(changed) == {"nnlib"}, f"installing nnlib changed {changed}"
    out = run(python, "-c", LIVE_EXPLORER, cwd=tmp_path)
    assert "ipywidgets 7.7.1 SelectionSlider [0.1, 1.0]" in out, out

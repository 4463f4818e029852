"""Conventions of the repository itself: CI runs the README's commands, pins, clean notebooks."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def readme_commands():
    """The shell commands in the README's fenced ``bash`` blocks under "The two commands"."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, flags=re.S)


def test_readme_has_exactly_the_two_commands():
    commands = readme_commands()
    assert len(commands) == 2
    build, test = commands
    assert build.endswith("python -m nnlib.instructor build")  # strict: --no-strict not given
    assert "pytest" in test and "--cov-fail-under=90" in test


def test_ci_runs_the_readme_commands_verbatim():
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    for command in readme_commands():
        assert command in ci_lines, f".ci/run does not run the README command: {command}"


def test_requirements_are_pinned_and_end_with_the_library():
    lines = [
        line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[-1] == "-e ."
    for line in lines[:-1]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.]*", line), line
    assert any(line.startswith("jupyter-book==1.") for line in lines)


NOTEBOOKS = sorted(p for p in (ROOT / "book").rglob("*.ipynb") if "_build" not in p.parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_clean_and_checks_its_claims(path):
    cells = json.loads(path.read_text())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert not any(c.get("outputs") or c.get("execution_count") for c in code), "stored with outputs"
    hidden_asserts = [
        c for c in code
        if "remove-cell" in c.get("metadata", {}).get("tags", []) and "assert" in "".join(c["source"])
    ]
    assert hidden_asserts, "no hidden assert cell (tag remove-cell) checks this chapter's claims"


def repository_url():
    import yaml

    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def test_binder_gets_its_environment_from_the_repository_root():
    assert (ROOT / "requirements.txt").is_file()
    assert re.fullmatch(r"python-3\.1[12]\s*", (ROOT / "runtime.txt").read_text())
    url = repository_url()
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url), url
    assert url in (ROOT / "README.md").read_text(), "README must say where the URL is set"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_installs_nnlib_on_colab_from_the_configured_repository(path):
    cells = json.loads(path.read_text())["cells"]
    first = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    assert '"google.colab" in sys.modules' in first, "first code cell must be the Colab guard"
    assert f"git+{repository_url()}" in first, "Colab cell must install from _config.yml's URL"


def test_the_lowest_environment_pins_every_floor_of_pyproject():
    """CI's second run installs exactly the floors of nnlib's declared ranges."""
    import importlib.util
    import tomllib

    from packaging.requirements import Requirement

    spec = importlib.util.spec_from_file_location("lowest", ROOT / ".ci" / "lowest_requirements.py")
    lowest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lowest)
    lines = lowest.lowest_requirements()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [Requirement(r) for r in project["dependencies"]
                + [r for extra in project["optional-dependencies"].values() for r in extra]]
    pins = {Requirement(line).name.lower(): line for line in lines if "==" in line}
    for requirement in declared:
        floor = next(s.version for s in requirement.specifier if s.operator == ">=")
        assert pins[requirement.name.lower()] == f"{requirement.name}=={floor}"
    # The pinned reader stack lies inside the declared ranges (else CI tests two other things).
    reader = {Requirement(line).name.lower(): Requirement(line) for line in
              lowest.pinned(ROOT / "requirements.txt")}
    for requirement in declared:
        version = next(iter(reader[requirement.name.lower()].specifier)).version
        assert requirement.specifier.contains(version), (requirement, version)
    assert lines[-1] == "-e ." and len(pins) == len(set(map(str.lower, pins)))


def test_ci_runs_the_lowest_versions_environment():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    commands = [line for line in ci.splitlines() if "requirements-lowest.txt" in line]
    assert len(commands) == 2 and "pytest" in commands[1] and " book" in commands[1]
    for command in commands:
        assert command in readme, "the README's Contributing section shows the lowest-versions run"

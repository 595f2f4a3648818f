"""The two dependency lists (pip's pyproject.toml and conda's environment.yml) carry the same pins."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import yaml
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent


def pyproject_pins() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins = set(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        pins |= set(extra)
    return pins


def conda_pip_pins() -> set[str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml should have exactly one pip section"
    return set(pip_sections[0])


def test_every_dependency_is_pinned_exactly():
    """Is every dependency in pyproject.toml pinned with ==?"""
    loose = [p for p in pyproject_pins() if "==" not in p]
    assert not loose, f"unpinned dependencies: {loose}"


def test_environment_yml_matches_pyproject():
    """Does environment.yml pin exactly what pyproject.toml pins, no more and no less?"""
    ours, conda = pyproject_pins(), conda_pip_pins()
    assert conda == ours, (
        f"only in pyproject.toml: {sorted(ours - conda)}; only in environment.yml: {sorted(conda - ours)}"
    )


def test_environment_yml_is_a_valid_conda_environment():
    """Does environment.yml name an environment, conda-forge, pip and a Python no older than the floor?"""
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert env["name"]
    assert "conda-forge" in env["channels"]
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    python = [d for d in plain if d.startswith("python")]
    assert python, "environment.yml names no python"
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    floor = Version(project["requires-python"].lstrip(">="))
    assert Version(python[0].split("=")[-1]) >= floor, f"{python[0]} is older than the floor {floor}"
    assert "pip" in plain


def _top_level_imports(folder: Path) -> set[str]:
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
    return names


def _declared(pins: set[str]) -> set[str]:
    return {re.split(r"[\[=<>]", pin)[0].lower().replace("_", "-") for pin in pins}


def test_every_package_the_code_imports_is_declared():
    """Is every third-party package imported by coachkit/, tests/ or bench/ pinned in pyproject.toml?"""
    declared = _declared(pyproject_pins())
    owners = packages_distributions()
    ours = {"coachkit", "conftest", "tests", "bench"}
    missing = {}
    for folder in ("coachkit", "tests", "bench"):
        for name in _top_level_imports(REPO / folder) - set(sys.stdlib_module_names) - ours:
            distributions = {d.lower().replace("_", "-") for d in owners.get(name, [])}
            assert distributions, f"{folder}/ imports {name}, which no installed distribution provides"
            if not distributions & declared:
                missing[name] = sorted(distributions)
    assert not missing, f"imported but not pinned in pyproject.toml: {missing}"

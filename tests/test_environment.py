"""The two dependency lists (pip's pyproject.toml and conda's environment.yml) carry the same pins."""

from pathlib import Path

import tomllib
import yaml

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
    """Does environment.yml name an environment, conda-forge, a Python 3.10+ and pip?"""
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert env["name"]
    assert "conda-forge" in env["channels"]
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    python = [d for d in plain if d.startswith("python")]
    assert python and python[0].split("=")[-1] >= "3.10"
    assert "pip" in plain

"""Committed notebooks carry what a person wrote and nothing else: no outputs, no execution counts, and
the kernel metadata JupyterLab would write on open (so opening one does not mark it modified)."""

import json
import subprocess
import warnings
from pathlib import Path

import nbformat
import pytest

from coachkit.course.notebook_metadata import FOLDERS, kernel_metadata

REPO = Path(__file__).resolve().parent.parent


def tracked_notebooks() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True, text=True, check=True
    )
    return [line for line in listed.stdout.splitlines() if line]


def all_notebooks() -> list[str]:
    """Tracked notebooks plus any not yet committed under the content folders."""
    found = set(tracked_notebooks())
    for folder in FOLDERS:
        found |= {
            str(p.relative_to(REPO))
            for p in (REPO / folder).rglob("*.ipynb")
            if ".ipynb_checkpoints" not in str(p)
        }
    return sorted(found)


@pytest.mark.parametrize("path", all_notebooks())
def test_notebook_has_no_outputs(path):
    """Is every code cell of this notebook free of outputs and execution counts?"""
    nb = json.loads((REPO / path).read_text(encoding="utf-8"))
    dirty = [
        i
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, f"{path}: cells {dirty} carry outputs or execution counts"


@pytest.mark.parametrize("path", all_notebooks())
def test_notebook_is_valid(path):
    """Does this notebook validate against the notebook format schema?"""
    nbformat.validate(nbformat.read(REPO / path, as_version=4))


def course_notebooks() -> list[str]:
    return [path for path in all_notebooks() if path.split("/")[0] in FOLDERS]


@pytest.mark.parametrize("path", course_notebooks())
def test_notebook_opens_unchanged_in_jupyterlab(path):
    """Does this lesson or exercise carry the kernelspec and language_info this environment's kernel
    reports, which JupyterLab copies into a notebook on open (marking it modified when they differ)?"""
    metadata = json.loads((REPO / path).read_text(encoding="utf-8"))["metadata"]
    expected = kernel_metadata()
    recorded = metadata.get("language_info", {}).get("version")
    running = expected["language_info"]["version"]
    if recorded and recorded != running:
        # The notebooks record the Python the project's environment uses; on another Python only that
        # version differs (JupyterLab marks them modified on open there): check the rest, and say so.
        expected["language_info"] = {**expected["language_info"], "version": recorded}
        warnings.warn(
            f"{path} records Python {recorded}, this kernel is {running}: JupyterLab will mark it modified "
            "on open here; after upgrading the project's Python, run "
            "python -m coachkit.course.notebook_metadata",
            stacklevel=1,
        )
    differs = sorted(key for key, value in expected.items() if metadata.get(key) != value)
    assert not differs, (
        f"{path}: {differs} differ from what the kernel reports ({expected}), so JupyterLab would mark it "
        "modified on open: run .venv/bin/python -m coachkit.course.notebook_metadata "
        "(and commit the notebooks)"
    )

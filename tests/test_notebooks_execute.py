"""Every lesson and every solution notebook executes top to bottom in a real kernel."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from coachkit.paths import lessons_dir, solutions_dir

LESSONS = sorted(lessons_dir().glob("[0-9][0-9]-*.ipynb"))
SOLUTIONS = sorted(solutions_dir().glob("*/*.ipynb"))


def execute(path: Path, monkeypatch, tmp_path) -> nbformat.NotebookNode:
    # The journal and the group board of a test run go to a temporary folder, never to the home folder.
    monkeypatch.setenv("COACHKIT_JOURNAL_DIR", str(tmp_path / "journal"))
    monkeypatch.setenv("COACHKIT_BOARD_DIR", str(tmp_path / "board"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_executes(path, monkeypatch, tmp_path):
    """Does the lesson run top to bottom without an error output?"""
    nb = execute(path, monkeypatch, tmp_path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    streams = [
        o.text
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "stream" and o.name == "stderr"
    ]
    assert not streams, f"the lesson wrote to stderr: {streams}"


@pytest.mark.slow
@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_executes(path, monkeypatch, tmp_path):
    """Does the instructor version, with its solutions and hidden tests, run top to bottom?"""
    execute(path, monkeypatch, tmp_path)

"""Grading works the first time: in a fresh course folder (a new clone: no gradebook.db) `make grade` records
the assignments, names the learners, and autogrades a submitted exercise with no Generate step."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "a01-questions"


@pytest.fixture
def fresh_course(tmp_path):
    """What a clone holds for grading: solutions/, exercises/, nbgrader_config.py; nothing generated."""
    course = tmp_path / "course"
    course.mkdir()
    for folder in ("solutions", "exercises"):
        shutil.copytree(REPO / folder, course / folder)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    assert not (course / "gradebook.db").exists()
    return course


def _run(course: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "NBGRADER_EXCHANGE": str(course / "exchange"), **env}
    environ.pop("COACHKIT_COURSE_ROOT", None)
    environ["PATH"] = (
        "/usr/bin:/bin"  # as `make` may run it: not the environment's bin/ (alembic lives there)
    )
    return subprocess.run(
        [sys.executable, "-m", "coachkit.grading.gradebook", *args],
        cwd=course, env=environ, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _autograded_points(course: Path, student: str) -> tuple[float, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        grades = [g for nb in submission.notebooks for g in nb.grades if g.auto_score is not None]
        return sum(g.auto_score for g in grades), sum(g.max_score for g in grades)


def test_a_fresh_clone_autogrades_a_submission_without_generate(fresh_course):
    """With only a submission dropped in submitted/, does `python -m coachkit.grading.gradebook grade`
    (make grade) grade it, full automatic points for the model answers, and leave exercises/ as committed?"""
    folder = fresh_course / "submitted" / "maria" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", folder)
    done = _run(fresh_course, "grade", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{ASSIGNMENT}: 1 graded (maria)" in done.stdout
    assert (fresh_course / "autograded" / "maria" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
    score, top = _autograded_points(fresh_course, "maria")
    assert top > 0 and score == top
    compare = subprocess.run(["diff", "-r", str(REPO / "exercises"), str(fresh_course / "exercises")],
                             capture_output=True, text=True)  # fmt: skip
    assert compare.returncode == 0, compare.stdout[:2000]


def test_prepare_knows_every_assignment_and_names_the_learners(fresh_course):
    """Does `prepare` record all six assignments and give every hub learner a name (not 'None, None'),
    keep a name the facilitator typed, and find nothing to do the second time?"""
    from nbgrader.api import Gradebook

    from coachkit.grading.gradebook import assignment_names

    first = _run(fresh_course, "prepare", COACHKIT_LEARNERS="ann, bob")
    assert first.returncode == 0, first.stdout + first.stderr
    names = assignment_names(fresh_course)
    assert len(names) == 6
    with Gradebook(f"sqlite:///{fresh_course / 'gradebook.db'}") as gb:
        assert sorted(a.name for a in gb.assignments) == names
        for assignment in gb.assignments:
            assert assignment.notebooks, assignment.name
        ann = gb.find_student("ann")
        assert (ann.first_name, ann.last_name) == ("", "ann")
        gb.update_or_create_student("bob", first_name="Robert", last_name="Stone")
    again = _run(fresh_course, "prepare", COACHKIT_LEARNERS="ann,bob,carla")
    assert again.returncode == 0 and "now in the gradebook" not in again.stdout, again.stdout
    with Gradebook(f"sqlite:///{fresh_course / 'gradebook.db'}") as gb:
        bob = gb.find_student("bob")
        assert (bob.first_name, bob.last_name) == ("Robert", "Stone")
        assert gb.find_student("carla").last_name == "carla"


def test_a_gradebook_recorded_before_an_upgrade_grades_with_the_new_test_cells(fresh_course):
    """A gradebook recorded by an older coachkit holds test cells that import the answer key from where it was
    then (coachkit.answerkeys). Autograde runs the gradebook's copy of each test cell, so without a refresh a
    model answer would score 0. Does `make grade` notice, record the new cells, and grade the model answer
    in full; and does the next `prepare` find nothing changed?"""
    from nbgrader.api import Gradebook

    first = _run(fresh_course, "prepare")
    assert first.returncode == 0, first.stdout + first.stderr
    with Gradebook(f"sqlite:///{fresh_course / 'gradebook.db'}") as gb:
        cells = [c for c in gb.find_notebook(ASSIGNMENT, ASSIGNMENT).source_cells if "TaskCheck" in c.source]
        assert cells
        for cell in cells:
            cell.source = cell.source.replace("coachkit.grading.answer_keys", "coachkit.answerkeys")
        gb.db.commit()
    folder = fresh_course / "submitted" / "maria" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", folder)
    upgraded = _run(fresh_course, "prepare")
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert f"{ASSIGNMENT}: its test cells changed since it was recorded" in upgraded.stdout
    done = _run(fresh_course, "grade", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr
    score, top = _autograded_points(fresh_course, "maria")
    assert top > 0 and score == top
    again = _run(fresh_course, "prepare")
    assert "changed since it was recorded" not in again.stdout and "now in the gradebook" not in again.stdout


def test_student_ids_that_are_not_names_are_left_out(tmp_path):
    """Is a folder in submitted/ or an entry in COACHKIT_LEARNERS that could not be a hub name ignored?"""
    from coachkit.grading.gradebook import learner_ids

    (tmp_path / "submitted" / "maria").mkdir(parents=True)
    (tmp_path / "submitted" / ".hidden").mkdir()
    env = {"COACHKIT_LEARNERS": "ann,<b>x</b>, ,../etc"}
    assert learner_ids(tmp_path, env) == ["ann", "maria"]

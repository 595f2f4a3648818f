"""The exercises through the real nbgrader command line in a temporary course folder, as a facilitator would.

One module-wide course: generate every assignment, drop in submissions (the solution, the untouched student
version, a partly wrong one; and for a06 the awkward ones: an endless loop, a loop that swallows
KeyboardInterrupt, corrupt JSON, an edited and a deleted locked test cell, 50 MB of printing), autograde each
assignment once, then feedback and CSV export. The tests below ask questions of what that run left behind.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coachkit.course.exercises import assignments
from coachkit.grading.answer_keys import ASSIGNMENTS

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
NAMES = assignments(REPO / "solutions")
EDGE = "a06-coaching-plan"  # the awkward submissions go here: two code cells keep the timeouts short
WIRING = "\nfrom coachkit.grading.config import configure_grading\n\nconfigure_grading(c)\n"


def nbgrader(course: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    # nbgrader runs `alembic` from PATH when it creates a gradebook: the venv's bin must be on it.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["NBGRADER_EXCHANGE"] = str(course / "exchange")
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def cell_by_id(nb, grade_id: str):
    return next(c for c in nb.cells if meta(c).get("grade_id") == grade_id)


def solution_region(source: str) -> str:
    return source.split("### BEGIN SOLUTION\n", 1)[1].split("### END SOLUTION", 1)[0]


def partly_wrong(source_nb, release_nb):
    """The student version answered from the solution, but the first answer of each cell left as None and
    every stretch function left unwritten."""
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        if not meta(cell).get("solution") or cell.cell_type != "code" or "def " in cell.source:
            continue
        values = solution_region(cell_by_id(source_nb, meta(cell)["grade_id"]).source)
        values = "\n".join(line for line in values.splitlines() if not line.startswith("#"))
        cell.source = re.sub(r"^(\w+) = .*$", r"\1 = None", values, count=1, flags=re.M)
    return nb


def with_cell(nb, grade_id: str, source: str | None):
    """A copy of ``nb`` with one cell's source replaced, or the cell deleted (None)."""
    nb = copy.deepcopy(nb)
    if source is None:
        nb.cells = [c for c in nb.cells if meta(c).get("grade_id") != grade_id]
    else:
        cell_by_id(nb, grade_id).source = source
    return nb


def expected_partial_score(name: str) -> float:
    """What partly_wrong() earns: every value task loses one item's share; stretch functions earn nothing."""
    return sum(
        task.points * (len(task.items) - 1) / len(task.items)
        for task in ASSIGNMENTS[name].tasks
        if task.items[0].kind != "function"
    )


class Course:
    def __init__(self, root: Path):
        self.root = root
        self.logs: dict[str, str] = {}

    def submit(self, student: str, name: str, nb=None, raw: str | None = None) -> None:
        folder = self.root / "submitted" / student / name
        shutil.copytree(self.root / "exercises" / name, folder)  # data files come with the notebook
        path = folder / f"{name}.ipynb"
        if raw is not None:
            path.write_text(raw, encoding="utf-8")
        else:
            nbformat.write(nb, path)

    def notebook(self, folder: str, name: str):
        return nbformat.read(self.root / folder / name / f"{name}.ipynb", as_version=4)

    def grades(self, name: str) -> dict[str, dict[str, tuple[float | None, float]]]:
        """student -> grade cell -> (auto score, max score), read from the gradebook."""
        from nbgrader.api import Gradebook

        result = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            for submission in gb.assignment_submissions(name):
                cells = {}
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        cells[grade.name] = (grade.auto_score, grade.max_score)
                result[submission.student_id] = cells
        return result

    def auto_total(self, name: str, student: str) -> float:
        return sum(score or 0 for score, _ in self.grades(name)[student].values())


def autograded_test_cells(name: str) -> set[str]:
    nb = nbformat.read(REPO / "solutions" / name / f"{name}.ipynb", as_version=4)
    return {meta(c)["grade_id"] for c in nb.cells if meta(c).get("grade") and not meta(c).get("solution")}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "solutions", root / "solutions")
    config = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    if "configure_grading" not in config:  # until the lead wires it in; test_repo_config_... says so
        config += WIRING
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    run = Course(root)
    # One nbgrader process for every assignment (its source folders matched by the glob), not one each.
    result = nbgrader(root, "generate_assignment", "*", "--force")
    assert result.returncode == 0, result.stdout + result.stderr

    for name in NAMES:
        source = nbformat.read(root / "solutions" / name / f"{name}.ipynb", as_version=4)
        release = run.notebook("exercises", name)
        run.submit("solution", name, source)
        run.submit("untouched", name, release)
        run.submit("partial", name, partly_wrong(source, release))

    source = nbformat.read(root / "solutions" / EDGE / f"{EDGE}.ipynb", as_version=4)
    release = run.notebook("exercises", EDGE)
    answer = "answer-plan"
    # Sleeping inside the try: the interrupt lands there, is swallowed, and the loop goes on.
    stubborn = "\n".join(
        [
            "import time",
            "while True:",
            "    try:",
            "        time.sleep(0.5)",
            "    except KeyboardInterrupt:",
            "        pass",
        ]
    )
    run.submit("loop", EDGE, with_cell(release, answer, "while True:\n    pass"))
    run.submit("stubborn", EDGE, with_cell(release, answer, stubborn))
    run.submit("corrupt", EDGE, raw='{"cells": [ this is not JSON')
    run.submit("tampered", EDGE, with_cell(release, "check-plan", "print('all good')"))
    run.submit("deleted", EDGE, with_cell(source, "check-plan", None))
    flood_lines = "for _ in range(500_000):\n    print('x' * 99)\n"
    run.submit(
        "flood-lines", EDGE, with_cell(source, answer, flood_lines + cell_by_id(source, answer).source)
    )
    flood_line = "print('x' * 50_000_000)\n"
    run.submit("flood-line", EDGE, with_cell(source, answer, flood_line + cell_by_id(source, answer).source))

    for name in NAMES:
        result = nbgrader(root, "autograde", name)
        run.logs[name] = result.stdout + result.stderr
        (root / f"autograde-{name}.log").write_text(run.logs[name], encoding="utf-8")  # for a person to read
    result = nbgrader(root, "generate_feedback", "*")
    for name in NAMES:
        run.logs[f"feedback {name}"] = result.stdout + result.stderr
    result = nbgrader(root, "export")
    run.logs["export"] = result.stdout + result.stderr
    return run


@pytest.mark.parametrize("name", NAMES)
def test_solution_scores_full_marks(course, name):
    """Does the instructor's solution earn every automatic point, only the hand-graded cells left open?"""
    grades = course.grades(name)["solution"]
    tests = autograded_test_cells(name)
    assert {cell: grades[cell] for cell in tests} == {
        cell: (grades[cell][1], grades[cell][1]) for cell in tests
    }
    manual = set(grades) - tests
    assert all(grades[cell][0] is None for cell in manual), "hand-graded cells wait for the facilitator"


@pytest.mark.parametrize("name", NAMES)
def test_untouched_student_version_scores_zero(course, name):
    """Does the student version as released score zero on every cell, graded without a crash?"""
    assert (course.root / "autograded" / "untouched" / name / f"{name}.ipynb").exists()
    assert all(score == 0 for score, _ in course.grades(name)["untouched"].values())


@pytest.mark.parametrize("name", NAMES)
def test_partly_wrong_submission_scores_in_between(course, name):
    """Does a submission with some answers missing earn exactly the points of the answers it has?"""
    total = course.auto_total(name, "partial")
    maximum = sum(points for _, points in course.grades(name)["solution"].values())
    assert total == pytest.approx(expected_partial_score(name), abs=0.05)
    assert 0 < total < maximum


def test_endless_loop_is_stopped_by_the_timeout(course):
    """Is an endless loop interrupted after Execute.timeout and the notebook graded instead of hanging?"""
    nb = course.notebook("autograded/loop", EDGE)
    errors = [o.get("ename") for o in cell_by_id(nb, "answer-plan").outputs if o.output_type == "error"]
    assert "CellTimeoutError" in errors
    assert course.grades(EDGE)["loop"]["check-plan"] == (0, 4)
    assert "Timeout waiting for execute reply (30s)" in course.logs[EDGE]


def test_loop_swallowing_keyboard_interrupt_is_reported(course):
    """Is a loop that ignores the interrupt reported as an error for that student, with no grade recorded?"""
    assert "error processing assignment 'a06-coaching-plan' for student 'stubborn'" in course.logs[EDGE]
    assert not (course.root / "autograded" / "stubborn" / EDGE).exists()
    assert course.grades(EDGE)["stubborn"]["check-plan"][0] is None


def test_corrupt_notebook_is_reported(course):
    """Is a submission that is not valid JSON reported as an error for that student, without a grade?"""
    assert "error processing assignment 'a06-coaching-plan' for student 'corrupt'" in course.logs[EDGE]
    assert course.grades(EDGE)["corrupt"]["check-plan"][0] is None


def test_edited_test_cell_is_restored(course):
    """Is a locked test cell a learner rewrote put back before grading, so the edit earns nothing?"""
    nb = course.notebook("autograded/tampered", EDGE)
    assert "TaskCheck" in cell_by_id(nb, "check-plan").source
    assert course.grades(EDGE)["tampered"]["check-plan"] == (0, 4)
    assert "checksum' for cell check-plan has changed" in course.logs[EDGE]


def test_deleted_test_cell_is_added_back_and_graded(course):
    """Is a deleted locked test cell added back (with a note in the log) and graded like any other?"""
    assert "Missing grade cell check-plan" in course.logs[EDGE]
    assert course.grades(EDGE)["deleted"]["check-plan"] == (4, 4)


@pytest.mark.parametrize("student", ["flood-lines", "flood-line"])
def test_fifty_megabytes_of_printing_is_cut_and_graded(course, student):
    """Does a cell printing 50 MB (many lines, or one line) leave a small notebook and a correct grade?"""
    path = course.root / "autograded" / student / EDGE / f"{EDGE}.ipynb"
    assert path.stat().st_size < 1_000_000
    assert "output cut" in path.read_text() or "Output truncated" in path.read_text()
    assert course.grades(EDGE)[student]["check-plan"] == (4, 4)


def test_every_other_submission_in_the_awkward_run_is_graded(course):
    """Despite the broken submissions in the same run, are the solution, untouched and partial ones right?"""
    grades = course.grades(EDGE)
    assert grades["solution"]["check-plan"] == (4, 4)
    assert grades["untouched"]["check-plan"] == (0, 4)
    assert grades["partial"]["check-plan"][0] == pytest.approx(expected_partial_score(EDGE), abs=0.05)


def test_exercises_match_a_fresh_generate_assignment(course):
    """Is every file in exercises/ exactly what nbgrader generate_assignment writes from solutions/ now?"""
    fresh = course.root / "exercises"
    committed = REPO / "exercises"
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert fresh_files == committed_files, "run `make exercises` and commit exercises/"
    for relative in fresh_files:
        if relative.suffix == ".ipynb":
            assert json.loads((fresh / relative).read_text()) == json.loads(
                (committed / relative).read_text()
            ), f"exercises/{relative} is stale: run `make exercises`"
        else:
            assert (fresh / relative).read_bytes() == (committed / relative).read_bytes()


def test_nbgrader_validate_passes_on_every_solution(course):
    """Does `nbgrader validate` pass each instructor notebook (its own tests, hidden ones included)?"""
    paths = [f"solutions/{name}/{name}.ipynb" for name in NAMES]
    result = nbgrader(course.root, "validate", *paths)  # one process validates them in turn
    assert result.returncode == 0 and result.stdout.count("Success!") == len(NAMES), (
        result.stdout + result.stderr
    )


@pytest.mark.parametrize("name", NAMES)
def test_hidden_tests_are_not_in_the_student_version(course, name):
    """Are the hidden tests (and the solutions) stripped from what learners receive?"""
    source = (REPO / "solutions" / name / f"{name}.ipynb").read_text()
    student = (REPO / "exercises" / name / f"{name}.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" in source and "against_key" in source
    for secret in ("HIDDEN TESTS", "against_key", "BEGIN SOLUTION", "Rubric for the grader"):
        assert secret not in student


@pytest.mark.parametrize("name", NAMES)
def test_feedback_is_html_without_hidden_tests(course, name):
    """Does generate_feedback write an HTML page per learner that shows the score but not the hidden tests?

    nbgrader shows hidden tests in feedback by design (jupyter/nbgrader#917); coachkit.grading.config strips
    them.
    """
    for student in ("solution", "untouched", "partial"):
        assert (course.root / "feedback" / student / name / f"{name}.html").exists(), course.logs[
            f"feedback {name}"
        ]
    pages = list((course.root / "feedback").glob(f"*/{name}/{name}.html"))  # the awkward a06 ones too
    for page in pages:
        html = page.read_text()
        assert "<html" in html and "Score" in html
        assert "against_key" not in html and "HIDDEN TESTS" not in html, f"hidden tests shown in {page}"


def test_feedback_for_a_flooding_submission_stays_small(course):
    """Is the feedback page of a learner who printed 50 MB small enough to open?"""
    for student in ("flood-lines", "flood-line"):
        assert (course.root / "feedback" / student / EDGE / f"{EDGE}.html").stat().st_size < 2_000_000


def test_grades_export_as_csv(course):
    """Does `nbgrader export` write a CSV with one row per learner and assignment, scores included?"""
    path = course.root / "grades.csv"
    assert path.exists(), course.logs["export"]
    rows = list(csv.DictReader(path.open(newline="")))
    assert {(r["assignment"], r["student_id"]) for r in rows} >= {(n, "solution") for n in NAMES}
    untouched = [r for r in rows if r["student_id"] == "untouched"]
    assert len(untouched) == len(NAMES) and all(float(r["score"]) == 0 for r in untouched)
    a01 = next(r for r in rows if r["student_id"] == "solution" and r["assignment"] == "a01-questions")
    assert float(a01["score"]) == 11 and float(a01["max_score"]) == 14  # 3 points wait for hand grading


def test_repo_config_wires_the_grading_settings():
    """Does the repository's nbgrader_config.py apply coachkit.grading.config (restore cells, cut output)?"""
    config = (REPO / "nbgrader_config.py").read_text()
    if "configure_grading" not in config:
        pytest.xfail("nbgrader_config.py does not yet call coachkit.grading.config.configure_grading(c)")
    assert "from coachkit.grading.config import configure_grading" in config

"""The exercise notebooks and the answer key agree, and each notebook says what to type (no nbgrader run)."""

import re
from pathlib import Path

import nbformat
import pytest

from coachkit.course.exercises import assignments
from coachkit.grading.answer_keys import ASSIGNMENTS, check_item

REPO = Path(__file__).resolve().parent.parent
NAMES = assignments(REPO / "solutions")


def read(folder: str, name: str):
    return nbformat.read(REPO / folder / name / f"{name}.ipynb", as_version=4)


def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def test_every_assignment_has_a_key_and_a_notebook():
    """Is there exactly one key entry per solution notebook, and six of them?"""
    assert sorted(ASSIGNMENTS) == NAMES and len(NAMES) == 6


@pytest.mark.parametrize("name", NAMES)
def test_each_task_has_one_test_cell_worth_its_points(name):
    """Does each task of the key have a test cell that checks it, worth the key's points?"""
    cells = [c for c in read("solutions", name).cells if meta(c).get("grade") and not meta(c).get("solution")]
    checked = {}
    for cell in cells:
        match = re.search(rf'TaskCheck\("{name}", "([\w-]+)"\)', cell.source)
        assert match, f"test cell {meta(cell)['grade_id']} does not call the key"
        assert "### BEGIN HIDDEN TESTS\ncheck.against_key()\n### END HIDDEN TESTS" in cell.source
        checked[match.group(1)] = meta(cell)["points"]
    assert checked == {task.id: task.points for task in ASSIGNMENTS[name].tasks}


@pytest.mark.parametrize("name", NAMES)
def test_solution_values_are_right_by_the_key(name, monkeypatch):
    """Do the answers in the solution notebook (values and stretch functions) earn every point by the key?"""
    monkeypatch.chdir(REPO / "solutions" / name)  # the data files sit beside the notebook
    namespace: dict = {}
    for cell in read("solutions", name).cells:
        if cell.cell_type == "code" and not (meta(cell).get("grade") and not meta(cell).get("solution")):
            exec(cell.source, namespace)  # noqa: S102 - our own solution notebook, test cells left out
    for task in ASSIGNMENTS[name].tasks:
        for item in task.items:
            assert check_item(item, namespace.get(item.name), against_key=True).correct, item.name


@pytest.mark.parametrize("name", NAMES)
def test_student_version_shows_where_each_answer_goes(name):
    """Does the student version give each value answer its own line to fill in, and an example in the text?"""
    nb = read("exercises", name)
    code = "\n".join(c.source for c in nb.cells if meta(c).get("solution") and c.cell_type == "code")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for task in ASSIGNMENTS[name].tasks:
        for item in task.items:
            if item.kind == "function":
                assert f"def {item.name}(" in code
                continue
            assert re.search(rf"^{item.name} = (\"\"|None|\[\])$", code, flags=re.M), item.name
            assert "for example" in (text + code).lower()


@pytest.mark.parametrize("name", NAMES)
def test_notebook_opens_with_time_points_and_hand_graded_cells_carry_a_rubric(name):
    """Does each exercise state its time and points, and each hand-graded answer its rubric in the source?"""
    nb = read("solutions", name)
    assert "**Time:**" in nb.cells[0].source and "**Points:**" in nb.cells[0].source
    manual = [c for c in nb.cells if meta(c).get("grade") and meta(c).get("solution")]
    assert manual, "every exercise has something a person grades"
    assert all("Rubric for the grader" in c.source for c in manual)


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
@pytest.mark.parametrize("name", NAMES)
def test_notebook_metadata_is_clean(folder, name):
    """Does the notebook carry only the kernel and language, nothing from someone's machine?"""
    assert set(read(folder, name).metadata) == {"kernelspec", "language_info"}


@pytest.mark.slow
def test_answers_count_even_if_the_stub_lines_are_left_in(tmp_path):
    """If a learner types answers but leaves `raise NotImplementedError()`, does the check still see them?"""
    from nbclient import NotebookClient

    name = "a03-coach-or-tell"
    nb = read("exercises", name)
    answer = next(c for c in nb.cells if meta(c).get("grade_id") == "answer-approach")
    answer.source = answer.source.replace('situation_1 = ""', 'situation_1 = "A"')
    answer.source = re.sub(r'= ""', '= "B"', answer.source)  # every other situation answered B
    NotebookClient(
        nb, timeout=60, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [o.ename for o in answer.outputs if o.output_type == "error"]
    assert errors == ["NotImplementedError"]
    check = next(c for c in nb.cells if meta(c).get("grade_id") == "check-approach")
    assert not [o for o in check.outputs if o.output_type == "error"]
    assert "every answer is filled in" in "".join(o.get("text", "") for o in check.outputs)

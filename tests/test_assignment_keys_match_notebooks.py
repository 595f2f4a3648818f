"""The assignment files (coachkit/grading/assignment_keys/) and the notebooks ask the same questions, with
the same options, in both the solution and the student version: a question edited in one place fails here."""

import re
from pathlib import Path

import nbformat
import pytest

from coachkit.grading.answer_keys import ASSIGNMENTS

REPO = Path(__file__).resolve().parent.parent
FOLDERS = ("solutions", "exercises")
LISTED = re.compile(r"^\s*\d+\. `(\w+)`: (.*)$", flags=re.M)  # 1. `q1`: What would you like ...?
OPTION = re.compile(r"^- \*\*([A-Z])\*\* - (.*)$", flags=re.M)  # - **A** - Open


def markdown(folder: str, name: str) -> str:
    nb = nbformat.read(REPO / folder / name / f"{name}.ipynb", as_version=4)
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def listed(text: str) -> dict[str, str]:
    """variable -> the rest of its line, for every numbered question the notebook lists by variable."""
    found: dict[str, str] = {}
    for variable, rest in LISTED.findall(text):
        assert variable not in found, f"`{variable}` is listed twice"
        found[variable] = rest
    return found


CASES = [(folder, name) for name in ASSIGNMENTS for folder in FOLDERS]


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_every_listed_question_is_the_files_question(folder, name):
    """Does each question the notebook lists by its variable read as the file has it (the notebook's own
    words where the file gives them, else the self-check's prompt)?"""
    questions = listed(markdown(folder, name))
    items = {item.name: item for item in ASSIGNMENTS[name].items()}
    for variable, line in questions.items():
        assert variable in items, f"the notebook asks `{variable}`, which the file does not hold"
        expected = items[variable].notebook or items[variable].prompt
        assert line.startswith(expected), (variable, line, expected)


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_every_letter_or_number_question_of_the_file_is_in_the_notebook(folder, name):
    """Is each choice and number question of the file listed in the notebook, so a learner can answer it?"""
    questions = listed(markdown(folder, name))
    for item in ASSIGNMENTS[name].items():
        if item.kind in ("choice", "number", "numbers"):
            assert item.name in questions, f"the file asks {item.name}, the notebook does not list it"


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_options_agree_letter_for_letter(folder, name):
    """Does the notebook show every option of the file under its letter, and no option the file lacks?"""
    shown = set(OPTION.findall(markdown(folder, name)))
    in_file = {option for item in ASSIGNMENTS[name].items() for option in item.options}
    assert shown == in_file, {"only in the notebook": shown - in_file, "only in the file": in_file - shown}


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_stretch_functions_are_asked_with_the_files_signature(folder, name):
    """Does a stretch task's title in the file (e.g. word_shares(transcript)) appear in the notebook?"""
    text = markdown(folder, name)
    for task in ASSIGNMENTS[name].tasks:
        if any(item.kind == "function" for item in task.items):
            signature = task.title.split(": ", 1)[1]
            assert f"`{signature}`" in text, (task.id, signature)


def test_a_changed_question_is_caught():
    """Would the check above notice a question reworded in the notebook only? (It reads what is there.)"""
    text = markdown("solutions", "a01-questions")
    reworded = text.replace("`q2`: Did you finish the report?", "`q2`: Have you finished the report?")
    item = next(i for i in ASSIGNMENTS["a01-questions"].items() if i.name == "q2")
    assert listed(text)["q2"].startswith(item.prompt)
    assert not listed(reworded)["q2"].startswith(item.prompt)

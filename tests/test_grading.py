"""coachkit.grading.config: the exercises' nbgrader settings, tested without running nbgrader."""

import importlib
from pathlib import Path

import nbformat
from traitlets.config import Config

from coachkit.grading.config import LimitOutputSize, configure_grading


def code_cell_with(*outputs):
    cell = nbformat.v4.new_code_cell("print('x')")
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def test_long_outputs_are_cut_with_a_note():
    """Are a huge stream, a huge text result and a huge traceback line cut to the limit, saying so?"""
    cut = LimitOutputSize(max_chars=1000)
    cell = code_cell_with(
        {"output_type": "stream", "name": "stdout", "text": "x" * 50_000},
        {
            "output_type": "execute_result",
            "execution_count": 1,
            "metadata": {},
            "data": {"text/plain": "y" * 5000},
        },
        {"output_type": "error", "ename": "E", "evalue": "z" * 3000, "traceback": ["t" * 3000]},
    )
    cell, _ = cut.preprocess_cell(cell, {}, 0)
    stream, result, error = cell.outputs
    assert stream.text.startswith("x" * 1000) and "49,000 more characters" in stream.text
    assert len(result.data["text/plain"]) < 1200
    assert len(error.traceback[0]) < 1200 and len(error.evalue) < 1200


def test_small_outputs_and_partial_credit_are_untouched():
    """Is a short output, such as the points a test cell returns, left exactly as it was?"""
    cell = code_cell_with(
        {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "4.0"}}
    )
    cell, _ = LimitOutputSize().preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].data == {"text/plain": "4.0"}


def test_oversized_image_is_dropped_with_a_note():
    """Is a huge image replaced by a short note rather than kept in the notebook?"""
    cell = code_cell_with(
        {"output_type": "display_data", "metadata": {}, "data": {"image/png": "A" * 200_000}},
    )
    cell, _ = LimitOutputSize().preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].data == {"text/plain": "(an output too large to keep was removed)"}


def test_configure_grading_sets_the_three_settings():
    """Does configure_grading restore deleted cells, add the size limit and hide hidden tests in feedback?"""
    c = Config()
    configure_grading(c)
    assert c.OverwriteCells.add_missing_cells is True
    assert LimitOutputSize in c.Autograde.autograde_preprocessors
    assert "ClearHiddenTests" in [p.__name__ for p in c.GenerateFeedback.preprocessors]


# ----------------------------------------------------------------------------------------------------------
# Scoring outside the learner's kernel (coachkit.grading.graded_report, ScoreAnswers) and the sandbox's
# command.


def graded_cell(source_task: str, *outputs):
    cell = code_cell_with(*outputs)
    cell.source = (
        "from coachkit.grading.answer_keys import TaskCheck\n"
        f'check = TaskCheck("a01-questions", "{source_task}")\n'
    )
    cell.source += "check.against_key()\ncheck(globals())"
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "check-classify", "points": 8}
    return cell


def stdout(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def points_of(cell) -> float:
    return float(next(o for o in cell.outputs if o.output_type == "execute_result").data["text/plain"])


def test_score_comes_from_the_answers_not_from_what_the_kernel_claims():
    """Is a forged '8.0' result ignored, and the points decided from the answers handed over?"""
    from coachkit.grading.answer_keys import ASSIGNMENTS, grading_items
    from coachkit.grading.config import ScoreAnswers
    from coachkit.grading.graded_report import answer_report

    task = ASSIGNMENTS["a01-questions"].task("classify")
    report = answer_report(grading_items(task), {"q1": "A", "q2": "B", "q3": "A"})
    forged = {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {"text/plain": "8.0"},
    }
    cell, _ = ScoreAnswers().preprocess_cell(graded_cell("classify", stdout(report), forged), {}, 0)
    assert points_of(cell) == 2.0
    assert "q3: not the key's answer" in cell.outputs[0].text


def test_no_answers_earn_nothing_with_a_reason():
    """A test cell that printed no readable answers (an error, garbage, a fake block) scores 0, saying why."""
    from coachkit.grading.config import ScoreAnswers

    for outputs in (
        [],
        [stdout("<<<coachkit-answers>>>{not json<<<end-coachkit-answers>>>")],
        [{"output_type": "error", "ename": "CellTimeoutError", "evalue": "", "traceback": []}],
    ):
        cell, _ = ScoreAnswers().preprocess_cell(graded_cell("classify", *outputs), {}, 0)
        assert points_of(cell) == 0.0
        assert cell.outputs[0].text.startswith("Not checked")


def test_hostile_values_are_unreadable_not_right():
    """Do objects, tags and deep nesting in a report come back as 'not answered', never as a right answer?"""
    from coachkit.grading.answer_keys import score_answers
    from coachkit.grading.graded_report import BEGIN, END, read_report

    block = (
        BEGIN + '{"q1": {"$unreadable": "X"}, "q2": {"$set": [[1]]}, "q3": [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]'
    )
    block += ', "q4": {"$dict": [[[1], 2]]}, "q5": "C"}' + END
    points, results = score_answers("a01-questions", "classify", read_report(block))
    assert points == 1.0 and [r.correct for r in results][:5] == [None, None, None, None, True]


def test_stretch_functions_are_judged_on_what_they_returned():
    """Does a reference function's output earn the points, and a wrong or raising one not?"""
    from coachkit.grading.answer_keys import (
        ASSIGNMENTS,
        grading_items,
        reference_reached_after,
        score_answers,
    )
    from coachkit.grading.graded_report import answer_report, read_report

    task = ASSIGNMENTS["a05-culture-spread"].task("code_cascade")

    def score(function):
        return score_answers(
            "a05-culture-spread",
            "code_cascade",
            read_report(answer_report(grading_items(task), {"reached_after": function})),
        )[0]

    def broken(org, rounds, blocked=()):
        raise ValueError("no")

    def unwritten(org, rounds, blocked=()):
        raise NotImplementedError

    assert score(reference_reached_after) == task.points
    assert score(lambda org, rounds, blocked=(): set()) == 0
    assert score(broken) == 0 and score(unwritten) == 0 and score(None) == 0


def test_the_sandbox_answerkeys_has_no_key():
    """Does the sandbox's stand-in for coachkit.grading.answer_keys hold no answer and no explanation?"""
    from coachkit.grading.answer_keys import ASSIGNMENTS
    from coachkit.grading.sandbox import stand_in_source

    source = stand_in_source()
    compile(source, "answerkeys.py", "exec")
    for assignment in ASSIGNMENTS.values():
        for task in assignment.tasks:
            for item in task.items:
                if item.why:
                    assert item.why not in source, item.name
                for _, expected in item.cases:
                    if isinstance(expected, dict) and expected:
                        assert repr(expected) not in source


def test_the_sandbox_answerkeys_offers_what_the_exercises_import():
    """Is every name an exercise imports from coachkit.grading.answer_keys in the sandbox's stand-in?"""
    import re
    from pathlib import Path

    from coachkit.grading.sandbox import stand_in_source

    namespace: dict = {}
    exec(compile(stand_in_source(), "answerkeys.py", "exec"), namespace)  # noqa: S102 - our own generated code
    repo = Path(__file__).resolve().parent.parent
    for notebook in (repo / "exercises").glob("*/*.ipynb"):
        for names in re.findall(r"from coachkit\.answerkeys import ([\w, ]+)", notebook.read_text()):
            for name in names.split(","):
                assert name.strip() in namespace, f"{notebook.name} imports {name.strip()}"


def test_sandbox_command_shows_only_what_the_kernel_needs(tmp_path):
    """Is the sandbox's view free of solutions/, the gradebook, the home folder and the network?"""
    import shutil

    import pytest

    from coachkit.grading.sandbox import sandbox_command
    from coachkit.paths import repo_root

    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    stand_in = tmp_path / "answerkeys.py"
    stand_in.write_text("")
    command = sandbox_command(["python", "-m", "ipykernel"], str(tmp_path), tmp_path, stand_in)
    joined = " ".join(command)
    bound = [command[i + 1] for i, arg in enumerate(command) if arg in ("--bind", "--ro-bind")]
    root = repo_root()
    assert str(root / "solutions") not in joined and "gradebook" not in joined
    assert str(root) not in bound and "/" not in bound and str(Path.home()) not in bound
    assert "--unshare-net" in command or "--unshare-all" in command
    assert "--die-with-parent" in command and "--clearenv" in command
    assert any(arg.startswith("--nproc=") for arg in command)
    key = Path(importlib.import_module("coachkit.grading.answer_keys").__file__)
    assert command[command.index(str(key)) - 1] != str(key.parent) and str(key) in command
    for compiled in (key.parent / "__pycache__").glob("answer_keys.*.pyc"):
        assert command[command.index(str(compiled)) - 1] == "/dev/null"


def test_in_kernel_and_grader_scores_agree(capsys):
    """Does the grader's score from the handed-over answers equal what TaskCheck.against_key() returns in the
    kernel (what `nbgrader validate` sees), for right, wrong and function answers?"""
    from coachkit.grading.answer_keys import ASSIGNMENTS, TaskCheck, reference_reached_after, score_answers
    from coachkit.grading.graded_report import read_report

    key = {item.name: item.answer for item in ASSIGNMENTS["a01-questions"].task("classify").items}
    cases = [
        ("a01-questions", "classify", key),
        ("a01-questions", "classify", {**key, "q2": "A", "q5": None}),
        ("a05-culture-spread", "code_cascade", {"reached_after": reference_reached_after}),
        ("a05-culture-spread", "code_cascade", {"reached_after": lambda org, rounds, blocked=(): {"x"}}),
    ]
    for assignment, task, answers in cases:
        in_kernel = TaskCheck(assignment, task).against_key()(**answers)
        handed_over = read_report(capsys.readouterr().out)
        assert score_answers(assignment, task, handed_over)[0] == in_kernel, (assignment, task)


def test_autograde_refuses_without_bubblewrap(monkeypatch, capsys):
    """Do `nbgrader autograde` and `make grade` stop, naming bubblewrap and the flag, when bwrap is missing,
    while generate, validate and the hub's prepare step go on?"""
    import pytest

    from coachkit.grading import config

    monkeypatch.setattr(config, "bwrap_path", lambda: None)
    monkeypatch.delenv("COACHKIT_GRADE_UNSANDBOXED", raising=False)
    for argv in (["nbgrader", "autograde", "a01-questions"], ["/x/coachkit/grading/gradebook.py", "grade"]):
        with pytest.raises(SystemExit):
            config.refuse_autograde_without_sandbox(argv)
        assert "apt-get install bubblewrap" in capsys.readouterr().err
    for argv in (
        ["nbgrader", "generate_assignment", "a01"],
        ["nbgrader", "validate"],
        ["/x/gradebook.py", "prepare"],
    ):
        config.refuse_autograde_without_sandbox(argv)
    monkeypatch.setenv("COACHKIT_GRADE_UNSANDBOXED", "1")
    config.refuse_autograde_without_sandbox(["nbgrader", "autograde", "a01-questions"])

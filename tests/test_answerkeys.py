"""The exercises' answer key: its numbers agree with the data, and its checks say clearly what is wrong."""

from pathlib import Path

import pytest

from coachkit.grading import answer_keys as keys
from coachkit.grading.answer_keys import ASSIGNMENTS, TaskCheck


def test_a04_key_agrees_with_the_transcript_file():
    """Do the a04 key's numbers follow from transcript.csv by the stated counting rules?"""
    transcript = keys.example_transcript()
    items = {item.name: item for item in ASSIGNMENTS["a04-listening-numbers"].task("read").items}
    assert round(100 * keys.reference_word_shares(transcript)["Sam"]) == items["manager_share"].answer
    counts = keys.reference_count_questions(transcript, "Sam")
    assert counts["open"] == items["open_questions"].answer
    assert counts["leading"] == items["leading_questions"].answer
    assert keys.reference_advice_turns(transcript, "Sam") == items["advice_turns"].answer


def test_a05_key_agrees_with_the_org_chart_file():
    """Do the a05 key's numbers and letter follow from org_chart.csv by the cascade rules?"""
    org = keys.example_org_chart()
    items = {item.name: item for item in ASSIGNMENTS["a05-culture-spread"].task("read").items}
    assert len(keys.reference_reached_after(org, 1)) == items["reached_round_1"].answer
    assert len(keys.reference_reached_after(org, 2)) == items["reached_round_2"].answer
    assert len(keys.reference_reached_after(org, 3, ["Priya"])) == items["reached_priya_blocked"].answer
    options = dict(items["most_harmful_block"].options)
    missed = {
        letter: len(org) - len(keys.reference_reached_after(org, 10, [name]))
        for letter, name in options.items()
    }
    assert max(missed, key=missed.get) == items["most_harmful_block"].answer


def test_hidden_cases_differ_from_the_visible_data():
    """Are the grader's transcripts and org charts other than the ones the learner sees?"""
    transcript = keys.example_transcript()
    org = keys.example_org_chart()
    for task in ASSIGNMENTS["a04-listening-numbers"].tasks[1:]:
        assert all(args[0] != transcript for args, _ in task.items[0].cases)
    assert all(
        args[0] != org for args, _ in ASSIGNMENTS["a05-culture-spread"].task("code_cascade").items[0].cases
    )


def test_untouched_answers_fail_the_visible_check_with_a_message():
    """Does the learner's own check refuse empty answers and say what to type?"""
    with pytest.raises(AssertionError, match='For example: q1 = "A"'):
        TaskCheck("a01-questions", "classify")(**{f"q{i}": "" for i in range(1, 9)})


def test_malformed_answers_are_explained():
    """Is a number in quotes, a letter out of range or a list with a repeat explained, not crashed on?"""
    with pytest.raises(AssertionError, match="without quotes"):
        TaskCheck("a05-culture-spread", "read")(
            reached_round_1="4", reached_round_2=11, reached_priya_blocked=8, most_harmful_block="A"
        )
    with pytest.raises(AssertionError, match="one of the letters A, B, C, D, E"):
        TaskCheck("a03-coach-or-tell", "approach")(**{f"situation_{i}": "F" for i in range(1, 7)})
    with pytest.raises(AssertionError, match="exactly once"):
        TaskCheck("a02-grow", "order")(conversation_order=["A", "A", "B", "C", "D"])


def test_visible_check_passes_wrong_but_well_formed_answers():
    """Does the learner's own run accept well-formed answers without saying whether they are right?"""
    assert TaskCheck("a03-coach-or-tell", "approach")(**{f"situation_{i}": "D" for i in range(1, 7)}) is None


def test_key_check_gives_partial_points():
    """With the key, does each right answer earn its share of the task's points?"""
    answers = {f"situation_{i}": key for i, (_t, key, _w) in enumerate(keys.A03_SITUATIONS, start=1)}
    assert TaskCheck("a03-coach-or-tell", "approach").against_key()(**answers) == 6
    answers["situation_1"] = "D"
    assert TaskCheck("a03-coach-or-tell", "approach").against_key()(**answers) == 5


def test_key_check_never_raises_on_missing_answers(capsys):
    """In the graded run, does a missing answer score zero with a printed reason instead of a traceback?"""
    assert TaskCheck("a01-questions", "classify").against_key()(**{f"q{i}": "" for i in range(1, 9)}) == 0
    assert "not answered yet" in capsys.readouterr().out


def test_stretch_function_checks_report_wrong_and_crashing_code():
    """Is a function that is wrong, returns nothing, raises, or is not written reported in plain words?"""
    check = TaskCheck("a05-culture-spread", "code_cascade").against_key()
    assert check(reached_after=lambda org, rounds, blocked: set(org)) < 3
    assert check(reached_after=keys.reference_reached_after) == 3

    def unwritten(org, rounds, blocked):
        raise NotImplementedError()

    assert check(reached_after=unwritten) == 0
    with pytest.raises(AssertionError, match="optional stretch"):
        TaskCheck("a05-culture-spread", "code_cascade")(reached_after=unwritten)
    with pytest.raises(AssertionError, match="returned nothing"):
        TaskCheck("a04-listening-numbers", "code_shares")(word_shares=lambda transcript: None)
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        TaskCheck("a04-listening-numbers", "code_shares")(word_shares=lambda transcript: 1 / 0)


def test_text_rules_catch_closed_and_leading_rewrites():
    """Are yes/no and leading rewrites, and two questions in one, refused with a reason?"""
    item = ASSIGNMENTS["a01-questions"].task("rewrite").items[0]
    for text, reason in (
        ("Did you finish it?", "yes, no"),
        ("Have you thought about Priya?", "leading"),
        ("What is left? And when?", "one question at a time"),
        ("What is left", "question mark"),
    ):
        result = keys.check_item(item, text, against_key=True)
        assert result.correct is False and reason in result.message
    assert keys.check_item(item, "What is left to do?", against_key=True).correct


def test_unknown_answer_names_are_refused():
    """Does a test cell calling the check with a wrong variable name fail loudly (a bug in the notebook)?"""
    with pytest.raises(TypeError):
        TaskCheck("a02-grow", "order")(order=["A"])


def test_org_chart_text_indents_teams():
    """Does the printed org chart put each person under their manager?"""
    text = keys.org_chart_text({"A": ["B"], "B": ["C"], "C": []})
    assert text.splitlines() == ["A  (manages 1)", "    B  (manages 1)", "        C"]


def test_answers_are_looked_up_in_the_notebook_namespace(capsys):
    """Does a check given globals() find the answers by name, and treat a deleted line as unanswered?"""
    namespace = {f"situation_{i}": key for i, (_t, key, _w) in enumerate(keys.A03_SITUATIONS, start=1)}
    assert TaskCheck("a03-coach-or-tell", "approach").against_key()(namespace) == 6
    del namespace["situation_6"]
    assert TaskCheck("a03-coach-or-tell", "approach").against_key()(namespace) == 5
    assert "situation_6: not answered yet" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="situation_6: not answered yet"):
        TaskCheck("a03-coach-or-tell", "approach")(namespace)


def test_each_kind_of_answer_has_a_check_class_of_its_own():
    """Is every kind an assignment file uses checked by one small class, chosen by the item's kind?"""
    kinds = {item.kind for assignment in ASSIGNMENTS.values() for item in assignment.items()}
    assert kinds == set(keys.CHECKS)
    for kind, check in keys.CHECKS.items():
        assert isinstance(check, keys.Check) and check.kind == kind
    item = ASSIGNMENTS["a02-grow"].task("order").items[0]
    assert type(item.check) is keys.SequenceCheck


def test_a_file_with_an_unknown_kind_or_rule_is_refused_by_name():
    """Does a mistyped kind or text rule in an assignment file fail on loading, naming the item?"""
    data = {
        "name": "a99-example",
        "title": "An example",
        "tasks": [{"id": "one", "title": "Task 1", "points": 1, "items": [{"name": "x", "kind": "chioce"}]}],
    }
    with pytest.raises(ValueError, match="a99-example/x: unknown kind 'chioce'"):
        keys.load_assignment(data)
    data["tasks"][0]["items"] = [{"name": "x", "kind": "text", "text_rules": ["opne"]}]
    with pytest.raises(ValueError, match=r"a99-example/x: unknown text rules \['opne'\]"):
        keys.load_assignment(data)


def test_assignment_files_are_package_data():
    """Are the assignment files read from inside the package (so an installed wheel has them), one per
    assignment, named after it?"""
    folder = keys.key_folder()
    assert folder.parent == Path(keys.__file__).parent
    assert sorted(p.stem for p in folder.glob("*.json")) == sorted(ASSIGNMENTS)


def test_the_sandbox_sees_no_assignment_file(tmp_path):
    """Inside the grading sandbox, is coachkit/grading/assignment_keys/ empty and read-only, and
    coachkit.grading.answer_keys the key-free stand-in?"""
    import shutil
    import subprocess
    import sys

    from coachkit.grading.sandbox import sandbox_command, stand_in_source

    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    private = tmp_path / "private"
    private.mkdir()
    stand_in = private / "answerkeys.py"
    stand_in.write_text(stand_in_source())
    probe = (
        "import os, coachkit.grading.answer_keys as k\n"
        "from importlib import resources\n"
        "folder = resources.files('coachkit.grading') / 'assignment_keys'\n"
        "print('files', sorted(os.listdir(folder)))\n"
        "print('stand-in', 'no key here' in open(k.__file__).read(), hasattr(k, 'ASSIGNMENTS'))\n"
        "try:\n"
        "    open(os.path.join(str(folder), 'a01-questions.json'), 'w')\n"
        "except OSError as error:\n"
        "    print('refused', error.errno)\n"
        # the question checker a submission's functions may call finds its word lists in there
        "from coachkit.classifiers.question_kinds import classify_question\n"
        "print('checker', classify_question('What would you like to try first?').kind)\n"
    )
    command = sandbox_command([sys.executable, "-c", probe], str(tmp_path), private, stand_in)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "files []" in done.stdout and "stand-in True False" in done.stdout and "refused" in done.stdout
    assert "checker open" in done.stdout, done.stdout

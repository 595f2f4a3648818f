"""The self-check widget: the graders' key, friendly feedback per answer, nothing typed breaks it."""

import pytest

from coachkit.grading.answer_keys import A01_QUESTIONS, A02_STAGES, ASSIGNMENTS
from coachkit.interactives.self_check import SelfCheck, SelfCheckModel, parse_answer
from coachkit.journal import Journal, MemoryJournalStore


def test_every_assignment_has_a_self_check_with_items():
    """Can every assignment be opened as a self-check, each with something to answer?"""
    for name in ASSIGNMENTS:
        check = SelfCheck(name, opened=True)
        assert check.model.total == len(check.inputs) > 0


def test_right_answers_by_clicking_score_full_marks():
    """Does picking the key's letter in every dropdown give full marks and a tick per answer?"""
    check = SelfCheck("a01-questions", opened=True)
    for i, (_text, key, _why) in enumerate(A01_QUESTIONS, start=1):
        check.inputs[f"q{i}"].value = key
    for i in (1, 2, 3):
        check.inputs[f"rewrite_{i}"].value = "What would help you most right now?"
    check.check_button.click()
    assert check.model.right == check.model.total == 11
    assert "11 of 11" in check.summary.value
    assert all("✓" in html.value for html in check.feedback.values())


def test_wrong_and_missing_answers_get_explanations():
    """Does a wrong letter show the key's answer with a reason, and an empty one say it is not answered?"""
    check = SelfCheck("a01-questions", opened=True)
    check.inputs["q1"].value = "B"  # the key says A
    check.check_button.click()
    assert "answer (A)" in check.feedback["q1"].value
    assert "not answered yet" in check.feedback["q2"].value
    assert check.model.right == 0


def test_leading_rewrite_is_explained():
    """Is a rewrite that is still leading flagged with a hint rather than accepted?"""
    check = SelfCheck("a01-questions", opened=True)
    check.inputs["rewrite_2"].value = "Have you thought about Priya?"
    check.check()
    assert "leading" in check.feedback["rewrite_2"].value


def test_learner_text_is_escaped_in_feedback():
    """Is HTML typed by a learner shown as text, never as markup?"""
    check = SelfCheck("a06-coaching-plan", opened=True)
    check.inputs["goal_question"].value = "<img src=x onerror=alert(1)>?"
    check.check()
    assert "<img" not in check.feedback["goal_question"].value
    assert "<img" not in check.summary.value


def test_numbers_and_order_are_read_from_typing():
    """Are '76%', '5, 7' and 'b d c a e' read as the number, the list and the order the key expects?"""
    model = SelfCheckModel("a04-listening-numbers")
    model.answer("manager_share", "76%")
    model.answer("open_questions", "2")
    model.answer("leading_questions", "2")
    model.answer("advice_turns", "5, 7")
    model.check()
    assert model.right == model.total == 4
    grow = SelfCheckModel("a02-grow")
    grow.answer("conversation_order", "b d c a e")
    for i, (_text, key, _why) in enumerate(A02_STAGES, start=1):
        grow.answer(f"stage_{i}", key)
    grow.check()
    assert grow.right == grow.total == 9


def test_unreadable_number_gets_a_message_not_an_exception():
    """Does typing words where a number belongs give a friendly message?"""
    model = SelfCheckModel("a05-culture-spread")
    model.answer("reached_round_1", "four")
    results = {r.name: r for r in model.check()}
    assert "Please type a number" in results["reached_round_1"].message
    assert parse_answer(model.items[0], "") is None


def test_code_tasks_are_left_to_jupyterlab():
    """Are the stretch code tasks absent from the self-check, with a note saying where they are checked?"""
    check = SelfCheck("a04-listening-numbers", opened=True)
    assert "word_shares" not in check.inputs
    assert "JupyterLab" in check.note.value


def test_clear_empties_answers_and_feedback():
    """Does 'Start again' empty every input, every message and the model?"""
    check = SelfCheck("a03-coach-or-tell", opened=True)
    check.inputs["situation_1"].value = "A"
    check.check()
    check.clear_button.click()
    assert check.model.answers == {} and check.model.results == []
    assert all(field.value == "" for field in check.inputs.values())
    assert all(html.value == "" for html in check.feedback.values()) and check.summary.value == ""


def test_on_check_rejects_non_callables_and_calls_back():
    """Does on_check refuse a non-function and call a function with the results?"""
    check = SelfCheck("a03-coach-or-tell", opened=True)
    with pytest.raises(TypeError):
        check.on_check("not a function")
    seen = []
    check.on_check(seen.append)
    check.check()
    assert len(seen) == 1 and len(seen[0]) == check.model.total


def test_a_failing_callback_shows_a_friendly_message():
    """Does an exception inside a callback become a message in the widget (Voila shows no tracebacks)?"""
    check = SelfCheck("a03-coach-or-tell", opened=True)
    check.on_check(lambda results: 1 / 0)
    check.check()
    assert "Sorry" in check.summary.value


def test_a_check_is_saved_to_the_journal():
    """Does each check add a 'selfcheck' journal entry with the score?"""
    journal = Journal(store=MemoryJournalStore())
    check = SelfCheck("a03-coach-or-tell", journal=journal, opened=True)
    check.inputs["situation_1"].value = "E"  # the payment outage: tell now, coach later
    check.check()
    (entry,) = journal.entries(kind="selfcheck")
    assert entry["lesson"] == "a03-coach-or-tell"
    assert entry["data"] == {"right": 1, "total": 16}  # 6 approaches to choose, 10 situations to sort


def test_inputs_are_labelled_for_screen_readers():
    """Does every input carry a description and every button text?"""
    check = SelfCheck("a06-coaching-plan", opened=True)
    assert all(field.description for field in check.inputs.values())
    assert check.check_button.description and check.clear_button.description


def test_unknown_assignment_is_refused():
    """Is a typo in the assignment name a clear error?"""
    with pytest.raises(ValueError, match="unknown assignment"):
        SelfCheck("a99-nothing")


def test_the_questions_appear_only_when_the_learner_starts():
    """Does a self-check open with its title and a start button only, and build its questions on a click?"""
    check = SelfCheck("a02-grow")
    assert not check.opened and check.inputs == {}
    assert check.start_button in check.children
    assert check.start_button.description == f"Start the self-check ({check.model.total} questions)"
    check.start_button.click()
    assert check.opened and len(check.inputs) == check.model.total
    assert check.start_button not in check.children and check.check_button.description == "Check my answers"
    check.start()  # a second start changes nothing
    assert len(check.inputs) == check.model.total


def test_checking_before_starting_gives_feedback_not_an_error():
    """Does "check" on an unopened self-check open it and mark every question unanswered?"""
    check = SelfCheck("a03-coach-or-tell")
    results = check.check()
    assert len(results) == check.model.total and check.model.right == 0
    assert "You got 0 of" in check.summary.value


def test_an_unanswered_question_gets_a_hint_without_notebook_syntax():
    """Does the page tell a visitor to use the box, not to type `situation_2 = "B"` as in the notebook?"""
    check = SelfCheck("a03-coach-or-tell", opened=True)
    check.check()
    first = next(iter(check.feedback.values())).value
    assert "not answered yet" in first and "=" not in first.split("not answered yet", 1)[1]

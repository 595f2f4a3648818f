"""The question checker: real questions managers ask, classified by assets/question-patterns.json."""

import json

import pytest

from coachkit.paths import assets_dir
from coachkit.questions import KINDS, QuestionChecker, QuestionVerdict, classify_question

OPEN = [
    "What's on your mind?",
    "And what else?",
    "What's the real challenge here for you?",
    "What do you want?",
    "How can I help?",
    "If you're saying yes to this, what are you saying no to?",
    "What was most useful for you?",
    "What would success look like for you?",
    "How did the customer react?",
    "What options do you see?",
    "So what happened next?",
    "OK, what would you like to talk about?",
    "What if you did nothing?",
    "If resources were no object, what would you do?",
    "How committed are you from 1 to 10, and what would make it a 10?",
    "what would you advise a friend",  # no capital, no question mark: still an open question
    "Tell me more about what's going on.",
    "Walk me through what happened on Friday.",
    "Can you tell me more about the customer?",
    "Could you say more about that?",
    "Which option will you choose?",
    "When exactly will you take the first step?",
    "Who else is affected?",
    "How much of this is within your control?",
    "What\u2019s really stopping you?",  # a typographic apostrophe, as phones and Word type it
    "What do you think you should do?",
    "What would happen if you did nothing?",
    "Could you walk me through your thinking?",
]
CLOSED = [
    "Did you call the customer?",
    "Is the project on track?",
    "Are you happy with the plan?",
    "Do you need help?",
    "Can you finish it by Friday?",
    "Have you finished the report?",
    "So you'll send it by Friday?",
    "Is there anything else?",
    "Do you think the plan will work?",
    "Is it the budget or the timeline?",
    "Which is better, the rota or the overtime?",
    "Any questions?",
    "You're sure?",
    "Would that work for you?",
    "Was the client upset?",
]
LEADING = [
    "Have you thought about asking Maria?",
    "Have you tried restarting it?",
    "Have you considered a rota?",
    "Wouldn't it be better to escalate?",
    "Don't you think we should wait?",
    "Shouldn't you check with legal first?",
    "Why don't you ask Sam?",
    "Why not ask Sam?",
    "How about a rota?",
    "What about asking the supplier?",
    "What do you think about asking Maria?",
    "What if you tried calling them first?",
    "It's too risky, isn't it?",
    "You'd agree that was a mistake, right?",
    "Could you just send it?",
    "Did you try turning it off and on again?",
    "Isn't the real problem the deadline?",
    "So have you thought about talking to HR?",
    "Don't you agree?",
    "Would you agree that the plan was too ambitious?",
    "Is it fair to say you left it too late?",
    "What would happen if you asked Sam?",
]
WHY = [
    "Why is this late?",
    "Why did you send it before the review?",
    "Why didn't you call the client?",
    "Why do you want to move teams?",
    "How come you missed the meeting?",
    "But why?",
]
NOT_A_QUESTION = [
    "You should call Maria.",
    "Just send it to the customer.",
    "I'd escalate it if I were you.",
    "The report is late.",
    "Let's move the deadline.",
]


@pytest.mark.parametrize(
    "text, kind",
    [(t, "open") for t in OPEN]
    + [(t, "closed") for t in CLOSED]
    + [(t, "leading") for t in LEADING]
    + [(t, "why") for t in WHY]
    + [(t, "not-a-question") for t in NOT_A_QUESTION],
)
def test_real_questions_are_classified(text, kind):
    """Does each real question get the kind a coach would give it, with an explanation in plain words?"""
    verdict = classify_question(text)
    assert isinstance(verdict, QuestionVerdict)
    assert verdict.kind == kind, (text, verdict)
    assert verdict.kind in KINDS
    assert len(verdict.explanation) > 40


@pytest.mark.parametrize("text", CLOSED + LEADING + WHY + NOT_A_QUESTION)
def test_every_question_that_is_not_open_gets_an_open_rewrite(text):
    """Does every closed, leading, why or non-question get a suggested rewrite that is itself open?"""
    better = classify_question(text).better
    assert better, text
    assert classify_question(better).kind == "open", (text, better)


def test_why_rewrites_keep_the_learners_words():
    """Does 'Why did you ...?' become 'What led you to ...?' with the learner's own words and capitals?"""
    assert classify_question("Why did you send it before the Review?").better == (
        "What led you to send it before the Review?"
    )
    assert (
        classify_question("Why didn't you call the client?").better == "What made it hard to call the client?"
    )
    assert classify_question("Can you tell me more about the Berlin customer?").better == (
        "Tell me more about the Berlin customer."
    )


def test_leading_explanation_names_the_words_that_lead():
    """Does the explanation quote the opening that makes a question leading?"""
    verdict = classify_question("Have you thought about asking Maria?")
    assert "Have you thought about" in verdict.explanation
    assert verdict.better == "Who could help you with this?"


def test_stacked_questions_are_pointed_out():
    """Are two questions in one go classified by the first, with advice to ask one at a time?"""
    verdict = classify_question("What happened? And why did you do that?")
    assert verdict.kind == "open"
    assert "2 questions" in verdict.explanation and "one at a time" in verdict.explanation


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_not_a_question(text):
    """Is empty text reported as nothing to check, not an error?"""
    verdict = classify_question(text)
    assert verdict.kind == "not-a-question" and "nothing to check" in verdict.explanation


def test_non_text_is_refused():
    """Is a number refused with a clear message?"""
    with pytest.raises(TypeError, match="as text"):
        classify_question(42)


def test_bank_questions_are_all_open():
    """Is every suggested question in the GROW question bank classified as open?"""
    bank = json.loads((assets_dir() / "question-bank.json").read_text(encoding="utf-8"))
    for stage in bank["stages"]:
        for question in stage["questions"]:
            assert classify_question(question["text"]).kind == "open", question["text"]


def test_pattern_file_lists_are_lower_case():
    """Are the word lists lower case (the checker compares lower-cased text)?"""
    patterns = json.loads((assets_dir() / "question-patterns.json").read_text(encoding="utf-8"))
    for name, values in patterns.items():
        if isinstance(values, list):
            assert all(v == v.lower() for v in values), name


def test_checker_widget_shows_the_verdict_escaped():
    """Does the checker show the kind and the rewrite, with typed HTML escaped, and call on_submit?"""
    seen = []
    checker = QuestionChecker()
    checker.on_submit(seen.append)
    checker.text.value = "Why did you add <script>alert(1)</script>?"
    checker.check_button.click()
    assert checker.verdict.kind == "why"
    assert "<script>" not in checker.result.value and "&lt;script&gt;" in checker.result.value
    assert "Try instead" in checker.result.value
    assert seen == [checker.verdict]


def test_checker_widget_explains_empty_and_huge_input():
    """Does an empty or huge question get a friendly message, with the text left in the box?"""
    checker = QuestionChecker()
    checker.check_button.click()
    assert "empty" in checker.result.value and checker.verdict is None
    checker.text.value = "What " * 200
    checker.check_button.click()
    assert "too long" in checker.result.value
    assert checker.text.value.startswith("What ")
    checker.clear()
    assert checker.text.value == "" and checker.result.value == ""


def test_checker_widget_has_labels():
    """Do the text box and the button carry words a screen reader can announce?"""
    checker = QuestionChecker()
    assert checker.text.description and checker.check_button.description
    with pytest.raises(TypeError):
        checker.on_submit("not a function")


def test_checker_agrees_with_the_questions_exercise_key():
    """Does the checker classify each question of the exercise on open, closed and leading as its key does?"""
    answerkeys = pytest.importorskip("coachkit.answerkeys")
    kind_for = {"A": "open", "B": "closed", "C": "leading"}
    for question, key, _why in answerkeys.A01_QUESTIONS:
        assert classify_question(question).kind == kind_for[key], question


def test_any_text_gets_a_verdict_and_any_rewrite_is_open():
    """For a thousand random texts (words, punctuation, emoji, control characters), is there always a valid
    verdict, and is every suggested rewrite itself an open question?"""
    import random

    pieces = (
        "why what how did you have thought about isn't it or and so ok, ? ? . ! , 😀 <b> \x00 \t ß Ünïcode "
        "tell me could just"
    ).split(" ") + [""]
    chance = random.Random(42)
    for _ in range(1000):
        text = " ".join(chance.choice(pieces) for _ in range(chance.randint(0, 12)))
        verdict = classify_question(text)
        assert verdict.kind in KINDS and verdict.explanation
        if verdict.better:
            assert classify_question(verdict.better).kind == "open", (text, verdict.better)

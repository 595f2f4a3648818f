"""The question checker: real questions managers ask, the verdict's parts, and the checker widget."""

import json

import pytest

from coachkit.classifiers.question_kinds import KINDS, QuestionVerdict, classify_question
from coachkit.interactives.question_checker import QuestionChecker
from coachkit.paths import assets_dir

# One or two of each kind, to pin what the verdict says; the labelled corpus (tests/test_question_corpus.py)
# measures the checker on the whole range.
EXAMPLES = {
    "open": [
        "What's on your mind?",
        "Could you tell me more about the report?",
        "Talk me through what happened.",
    ],
    "closed": ["Did you call the customer?", "Have you tried anything yet?", "So you'll send it by Friday?"],
    "leading": [
        "What do you think about a rota?",
        "How would you feel about Ben taking the lead?",
        "Ben could do it, couldn't he?",
        "Have you tried restarting it?",
    ],
    "loaded": [
        "How did you manage to mess that up?",
        "What were you thinking?",
        "What's your plan for fixing this mess you created?",
        "Is that the best you can do?",
    ],
    "why": ["Why is this late?", "How come you missed the meeting?"],
    "playback": [
        "So what you're saying is the deadline is the real worry?",
        "It sounds like you feel stuck?",
    ],
    "contracting": [
        "Do you want my view, or would it help to think it through together?",
        "Can I offer an idea?",
        "Is now a good time to talk about the rota?",
    ],
    "stacked": ["What happened? And why did you do that?", "What do you want, and what's stopping you?"],
    "not-a-question": ["You should call Maria.", "The report is late."],
    "other-language": ["Was möchtest du erreichen?", "¿Qué quieres conseguir?"],
}


@pytest.mark.parametrize("text, kind", [(t, k) for k, texts in EXAMPLES.items() for t in texts])
def test_each_kind_is_recognised_with_an_explanation_in_plain_words(text, kind):
    """Does each example get its kind, a rule name and an explanation a manager can read?"""
    verdict = classify_question(text)
    assert isinstance(verdict, QuestionVerdict)
    assert verdict.kind == kind, (text, verdict)
    assert verdict.kind in KINDS and verdict.rule
    assert len(verdict.explanation) > 40
    assert verdict.title


def test_good_practice_is_not_told_to_change():
    """Are contracting and playing back recognised as good practice, with no 'try instead'?"""
    for text in EXAMPLES["contracting"] + EXAMPLES["playback"]:
        verdict = classify_question(text)
        assert verdict.better is None, text
        assert "good practice" in verdict.explanation or "shows you listened" in verdict.explanation


def test_a_language_it_cannot_read_is_said_not_judged():
    """Does a question in German get 'not in English' instead of an English verdict and a rewrite?"""
    verdict = classify_question("Was möchtest du erreichen?")
    assert verdict.kind == "other-language" and verdict.better is None
    assert "English only" in verdict.explanation


def test_why_rewrites_keep_the_learners_words():
    """Does 'Why did you ...?' become 'What led you to ...?' with the learner's own words and capitals?"""
    assert classify_question("Why did you send it before the Review?").better == (
        "What led you to send it before the Review?"
    )
    assert (
        classify_question("Why didn't you call the client?").better == "What made it hard to call the client?"
    )


def test_no_broken_rewrite_for_a_question_no_template_fits():
    """Is a rewrite left out, rather than made ungrammatical, when no template fits?"""
    for text in (
        "Do you think that's wise?",
        "Why do you think the numbers dropped in October?",
        "Did Priya like it?",
    ):
        better = classify_question(text).better
        assert better is None or "that's wise" not in better, (text, better)


def test_stacked_questions_are_pointed_out():
    """Are two questions in one go called stacked, with advice to ask one at a time?"""
    verdict = classify_question("What happened? And why did you do that?")
    assert verdict.kind == "stacked"
    assert "2 questions" in verdict.explanation and "one question at a time" in verdict.explanation


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


def test_lexicon_lists_are_lower_case():
    """Are the word lists lower case (the checker compares lower-cased text)?"""
    lexicon = json.loads((assets_dir() / "questions" / "lexicon.json").read_text(encoding="utf-8"))
    for name, values in lexicon.items():
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
    """Does the checker classify each question of exercise a01 as its key does (one rule set)?"""
    answerkeys = pytest.importorskip("coachkit.grading.answer_keys")
    kind_for = {letter: kind for kind, letter in answerkeys.QUESTION_KIND_LETTERS.items()}
    for question, key, _why in answerkeys.A01_QUESTIONS:
        assert classify_question(question).kind == kind_for[key], question


def test_the_disagree_button_saves_the_question_and_both_verdicts():
    """Does 'I disagree' save the question, the checker's kind and the learner's kind to the journal?"""
    from coachkit.journal import Journal, MemoryJournalStore

    journal = Journal(store=MemoryJournalStore())
    checker = QuestionChecker(journal=journal)
    checker.disagree_button.click()
    assert "Check a question first" in checker.disagree_status.value
    checker.text.value = "Have you tried anything yet?"
    checker.check_button.click()
    checker.disagree_kind.value = "leading"
    checker.disagree_button.click()
    assert "Saved to your journal" in checker.disagree_status.value
    entry = journal.entries(kind="question-disagreement")[-1]
    assert entry["data"]["question"] == "Have you tried anything yet?"
    assert entry["data"]["checker_said"] == "closed" and entry["data"]["learner_says"] == "leading"


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


def test_hostile_input_gets_a_verdict_and_nothing_breaks():
    """Do HTML, 10,000 characters, control characters and emoji get a verdict, never an exception?"""
    for text in (
        "<b>What</b> happened?",
        "What " * 2000 + "?",
        "\x00\x07What?\x1b",
        "🙂🙂🙂",
        "?" * 300,
        "../../x?",
    ):
        verdict = classify_question(text)
        assert verdict.kind in KINDS

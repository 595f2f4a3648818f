"""The feedback practice: judgement words as data, the closing question judged by the shared classifier,
the worked examples pass their own check, the widget headless (check, example, save, restore, bad input)."""

import json

import pytest

from coachkit.interactives import feedback_practice
from coachkit.interactives.feedback_practice import (
    PARTS,
    FeedbackDataError,
    FeedbackPractice,
    feedback_data,
    find_words,
    parse_data,
    review_feedback,
)
from coachkit.journal import Journal, MemoryJournalStore
from coachkit.paths import assets_dir

GOOD = {
    "situation": "In Tuesday's planning meeting,",
    "behaviour": "you spoke over Ana twice while she was giving her estimate.",
    "impact": "We left without her estimate.",
    "question": "What do you make of that?",
}


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def fill(practice: FeedbackPractice, parts: dict) -> None:
    for key, text in parts.items():
        practice.boxes[key].value = text


def test_the_word_lists_are_data_with_the_words_the_lesson_names():
    """Are the judgement and generalisation words in assets/, lower case, including the lesson's examples?"""
    raw = json.loads((assets_dir() / "feedback-practice.json").read_text(encoding="utf-8"))
    data = parse_data(raw)
    assert {"lazy", "unprofessional", "attitude"} <= set(data.judgement_words)
    assert {"always", "never"} <= set(data.generalisation_words)
    assert len(data.criticisms) >= 3


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("You were lazy about it", ["lazy"]),
        ("LAZY", ["lazy"]),
        ("Blaze is not lazy-ish", ["lazy"]),  # a hyphen still ends a word
        ("Blazing ahead", []),  # no match inside a word
        ("She said he doesn\u2019t care", ["doesn't care"]),  # curly apostrophe
        ("not   a\nteam player", ["not a team player"]),
        ("You always, never", []),  # generalisations are a separate list
    ],
)
def test_judgement_words_match_whole_words(text, found):
    """Are judgement words found as whole words, in any case, across spaces and curly apostrophes?"""
    assert find_words(text, feedback_data().judgement_words) == found


def test_the_check_gets_every_labelled_example_right():
    """Measured against the labelled observations and judgements in assets/, is every one judged right?"""
    raw = json.loads((assets_dir() / "feedback-practice.json").read_text(encoding="utf-8"))
    labelled = raw["labelled"]
    assert len(labelled) >= 16
    assert {item["specific"] for item in labelled} == {True, False}
    wrong = [
        item["text"]
        for item in labelled
        if review_feedback({"behaviour": item["text"]}).specific != item["specific"]
    ]
    assert wrong == []


def test_every_worked_example_passes_its_own_check():
    """Is each example rewrite free of judgement words and does it end with an open question?"""
    for criticism in feedback_data().criticisms:
        review = review_feedback(criticism.example)
        assert review.ready, (criticism.key, review.notes())
        vague = review_feedback({"behaviour": criticism.vague, "question": "What do you make of that?"})
        assert not vague.specific, f"the vague criticism {criticism.vague!r} should fail the check"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What do you make of that?", "open"),
        ("Can you fix it by Friday?", "closed"),
        ("Why did you do that?", "why"),
    ],
)
def test_the_closing_question_is_judged_by_the_shared_classifier(question, kind):
    """Does the check take the question's kind from coachkit.classifiers.question_kinds.classify_question?"""
    review = review_feedback(GOOD | {"question": question})
    assert review.question_kind == kind
    assert review.open_question == (kind == "open")
    if kind != "open":
        assert any(note.startswith("Your question") for note in review.notes())


def test_an_unknown_question_kind_still_gets_a_note(monkeypatch):
    """When the classifier answers with a kind this module does not know, is there still a sentence?"""
    verdict = type("Verdict", (), {"kind": "something-new"})()
    monkeypatch.setattr(feedback_practice, "classify_question", lambda _text: verdict)
    review = review_feedback(GOOD)
    assert not review.ready
    assert review.notes()[-1] == f"Your question: {feedback_practice.OTHER_QUESTION}"


def test_judgements_and_generalisations_are_named_per_part():
    """Does the review say which part holds which judgement or generalisation?"""
    review = review_feedback(
        GOOD | {"behaviour": "You're always unprofessional", "impact": "It looked sloppy"}
    )
    assert review.judgements["behaviour"] == ["unprofessional"]
    assert review.judgements["impact"] == ["sloppy"]
    assert review.generalisations["behaviour"] == ["always"]
    notes = " ".join(review.notes())
    assert "Behaviour: 'unprofessional' is a judgement" in notes and "Impact: 'sloppy'" in notes
    assert "'always' turns one occasion into a rule" in notes


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "must hold a JSON object"),
        ({"judgement_words": [], "generalisation_words": ["always"]}, "'judgement_words' must be a list"),
        ({"judgement_words": ["Lazy"], "generalisation_words": ["always"]}, "must be lower case"),
        ({"judgement_words": ["lazy"], "generalisation_words": ["always"]}, "at least one vague criticism"),
        (
            {"judgement_words": ["lazy"], "generalisation_words": ["always"], "criticisms": [{"key": "x"}]},
            "criticism 1 needs a key",
        ),
    ],
)
def test_broken_data_is_refused_clearly(raw, message):
    """Is a broken data file refused with a message naming what is wrong?"""
    with pytest.raises(FeedbackDataError, match=message):
        parse_data(raw)


def test_widget_checks_and_saves_to_the_journal(journal):
    """Does the widget check the draft, save it as a 'feedback-practice' entry and call on_submit?"""
    practice = FeedbackPractice(journal=journal)
    saved = []
    practice.on_submit(saved.append)
    assert practice.selected.key == "month-end"
    fill(practice, GOOD)
    practice.check_button.click()
    assert "This is an observation, not a judgement" in practice.review.value
    practice.save_button.click()
    [entry] = journal.entries(kind="feedback-practice")
    assert entry["lesson"] == "03-role-play"
    assert entry["data"] == {
        "vague_criticism": "Your month-end work has got sloppy.",
        **GOOD,
        "question_kind": "open",
        "specific": True,
    }
    assert saved == [entry]
    assert "saved in your journal" in practice.status.value


def test_widget_saves_a_draft_with_judgements_and_says_what_to_change(journal):
    """Is a draft with a judgement saved (nothing lost) with a note on what to change?"""
    practice = FeedbackPractice(journal=journal, criticism="meetings")
    fill(practice, GOOD | {"behaviour": "you had a bad attitude", "question": "Will you stop?"})
    practice.save_button.click()
    [entry] = journal.entries(kind="feedback-practice")
    assert entry["data"]["specific"] is False and entry["data"]["question_kind"] == "closed"
    assert entry["data"]["vague_criticism"] == "You've got a bad attitude in team meetings."
    assert "&#x27;attitude&#x27; is a judgement" in practice.status.value
    assert "Change it and save again" in practice.status.value


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.key)
def test_widget_requires_every_part(journal, part):
    """Is an empty part refused with its name, and nothing saved?"""
    practice = FeedbackPractice(journal=journal)
    fill(practice, GOOD | {part.key: "  "})
    practice.save_button.click()
    assert journal.entries() == []
    assert part.label in practice.status.value and "empty" in practice.status.value
    practice.check_button.click()
    assert "empty" in practice.review.value


def test_widget_escapes_html_and_refuses_huge_text(journal):
    """Is typed HTML shown as text, and a pasted page refused without losing the box's text?"""
    practice = FeedbackPractice(journal=journal)
    fill(practice, GOOD | {"behaviour": "<script>alert(1)</script> lazy"})
    practice.check_button.click()
    assert "<script>" not in practice.review.value
    practice.boxes["impact"].value = "x" * 5000
    practice.save_button.click()
    assert journal.entries() == [] and "too long" in practice.status.value
    assert practice.boxes["impact"].value == "x" * 5000


def test_example_shows_and_hides_and_follows_the_chosen_criticism(journal):
    """Does the example button show the chosen criticism's rewrite, hide it again, and hide it on a change?"""
    practice = FeedbackPractice(journal=journal)
    practice.example_button.click()
    month_end = feedback_data().criticisms[0]
    assert "over the last three month-ends" in practice.example.value.lower()
    assert practice.example_button.description == "Hide the example"
    practice.example_button.click()
    assert practice.example.value == ""
    practice.example_button.click()
    practice.chooser.value = "customers"
    assert practice.example.value == "" and practice.example_button.description == "Show an example"
    assert month_end.key == "month-end"


def test_saved_feedback_comes_back_and_clear_empties_the_form(journal):
    """Does a new form show the last saved feedback, and does clear() empty it for good?"""
    first = FeedbackPractice(journal=journal, criticism="customers")
    fill(first, GOOD)
    first.save_button.click()
    again = FeedbackPractice(journal=journal)
    assert again.chooser.value == "customers"
    assert again.boxes["behaviour"].value == GOOD["behaviour"]
    assert "last saved feedback" in again.status.value
    again.clear()
    assert all(box.value == "" for box in again.boxes.values())
    with pytest.raises(TypeError):
        again.on_submit("not callable")


def test_broken_data_file_shows_a_message(monkeypatch, tmp_path):
    """When the data file is broken, does the widget show why and disable its buttons instead of raising?"""
    (tmp_path / "feedback-practice.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(feedback_practice, "assets_dir", lambda: tmp_path)
    feedback_practice.feedback_data.cache_clear()
    try:
        practice = FeedbackPractice()
        assert "could not load" in practice.message.value
        assert practice.save_button.disabled and practice.check_button.disabled
    finally:
        feedback_practice.feedback_data.cache_clear()

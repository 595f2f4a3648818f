"""The reflection form: its model and its widget, headless."""

import pytest

from coachkit.journal import Journal, MemoryJournalStore
from coachkit.roleplay.reflection import FRAMEWORKS, Reflection, ReflectionForm

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def test_frameworks_have_the_documented_stages():
    """Are the two frameworks the three questions and Gibbs' six stages, in order?"""
    assert [s.title for s in FRAMEWORKS["what-so-what-now-what"].stages] == ["What?", "So what?", "Now what?"]
    assert [s.title for s in FRAMEWORKS["gibbs"].stages] == [
        "Description",
        "Feelings",
        "Evaluation",
        "Analysis",
        "Conclusion",
        "Action plan",
    ]


def test_model_saves_a_reflection_entry(journal):
    """Does the model save kind 'reflection' for the lesson with the role and every stage?"""
    model = Reflection(journal, lesson="03-role-play")
    model.role = "observer"
    model.set_answer("what", "The coach asked five open questions.")
    model.set_answer("now_what", "Let silence run longer.")
    entry = model.save()
    assert entry["kind"] == "reflection" and entry["lesson"] == "03-role-play"
    assert entry["data"] == {
        "framework": "What? So what? Now what?",
        "role": "observer",
        "what": "The coach asked five open questions.",
        "so_what": "",
        "now_what": "Let silence run longer.",
    }
    assert model.ok and "saved" in model.message


def test_model_needs_a_role_and_some_text(journal):
    """Are a missing role and an empty reflection refused with a message, saving nothing?"""
    model = Reflection(journal)
    model.set_answer("what", "Something happened.")
    assert model.save() is None and "role" in model.message
    model.role = "coach"
    model.answers = {}
    assert model.save() is None and "empty" in model.message
    assert journal.entries() == []


def test_model_refuses_huge_text(journal):
    """Is a 1 MB stage refused with a limit message?"""
    model = Reflection(journal)
    model.role = "coach"
    model.set_answer("what", "x" * 1_000_000)
    assert model.save() is None and "too long" in model.message
    assert journal.entries() == []


def test_model_refuses_an_unsafe_lesson(journal):
    """Is a lesson name like '../../x' refused?"""
    from coachkit.journal import JournalError

    with pytest.raises(JournalError):
        Reflection(journal, lesson="../../x")


def test_answers_are_kept_when_switching_framework(journal):
    """Does text typed under one framework survive switching to the other and back?"""
    form = ReflectionForm(journal)
    form.stage_boxes["what"].value = "first draft"
    form.framework_choice.value = "gibbs"
    assert list(form.stage_boxes) == [s.key for s in FRAMEWORKS["gibbs"].stages]
    form.framework_choice.value = "what-so-what-now-what"
    assert form.stage_boxes["what"].value == "first draft"


def test_form_saves_gibbs_with_role(journal):
    """Does the widget save a Gibbs reflection with the chosen role, and keep the text visible?"""
    form = ReflectionForm(journal, lesson="03-role-play")
    form.framework_choice.value = "gibbs"
    form.role_choice.value = "coachee"
    for number, box in enumerate(form.stage_boxes.values()):
        box.value = f"stage {number} 😀\tok"
    form.save_button.click()
    [entry] = journal.entries(kind="reflection")
    assert entry["data"]["role"] == "coachee"
    assert entry["data"]["framework"].startswith("Gibbs")
    assert entry["data"]["action_plan"] == "stage 5 😀\tok"
    assert form.stage_boxes["description"].value == "stage 0 😀\tok"
    assert "saved" in form.status.value


def test_form_shows_errors_escaped_and_saves_nothing(journal):
    """Without a role, does the form say so and save nothing; is XSS text stored as plain text?"""
    form = ReflectionForm(journal)
    form.stage_boxes["what"].value = XSS
    form.save_button.click()
    assert "ck-status--error" in form.status.value and journal.entries() == []
    form.role_choice.value = "coach"
    form.save_button.click()
    assert journal.entries()[0]["data"]["what"] == XSS
    assert "<img" not in journal.export_html()


def test_every_input_is_labelled(journal):
    """Does every choice and text box have a description a screen reader announces?"""
    form = ReflectionForm(journal)
    assert form.framework_choice.description and form.role_choice.description
    assert all(box.description for box in form.stage_boxes.values())
    assert form.save_button.description


def test_on_submit_and_clear(journal):
    """Is on_submit called after a save, a non-callable refused, and clear() emptying the form?"""
    form = ReflectionForm(journal)
    spy = []
    form.on_submit(spy.append)
    with pytest.raises(TypeError):
        form.on_submit(42)
    form.role_choice.value = "coach"
    form.stage_boxes["now_what"].value = "Ask, then wait."
    form.save_button.click()
    assert len(spy) == 1 and spy[0]["data"]["now_what"] == "Ask, then wait."
    form.clear()
    assert form.role_choice.value is None
    assert all(box.value == "" for box in form.stage_boxes.values())
    assert not any(form.model.answers.values())


def test_form_without_a_journal_still_saves():
    """Does a form made without a journal save to a session journal instead of failing?"""
    form = ReflectionForm()
    form.role_choice.value = "coach"
    form.stage_boxes["what"].value = "x"
    form.save_button.click()
    assert len(form.journal.entries()) == 1


def test_saved_reflections_are_listed_escaped(journal):
    """Are this lesson's saved reflections listed under the form, escaped, and one-box prompts left out?"""
    journal.add("reflection", "03-role-play", {"prompt": "One box?", "answer": "not listed here"})
    form = ReflectionForm(journal)
    assert form.saved_list.value == ""
    form.role_choice.value = "observer"
    form.stage_boxes["so_what"].value = XSS
    form.save_button.click()
    assert "1 reflection for this lesson" in form.saved_list.value
    assert "as observer" in form.saved_list.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in form.saved_list.value
    assert "<img" not in form.saved_list.value and "not listed here" not in form.saved_list.value

"""The conversation a learner describes in lesson 00 carries into the GROW planner and the action plan:
pre-filled from the newest entry, editable, never over what the learner typed, empty for an empty journal;
and the action plan's first question is checked by the shared classifier, refusing a stacked one."""

from datetime import date, timedelta

import nbformat
import pytest

from coachkit.classifiers.question_kinds import classify_question
from coachkit.interactives import barrier_check
from coachkit.interactives.barrier_check import ActionPlan
from coachkit.interactives.grow_planner import OWN_SITUATION, PLAN_STAGES, GrowPlanner
from coachkit.interactives.own_conversation import LESSON, PROMPT, latest_situation, shortened
from coachkit.journal import Journal, MemoryJournalStore
from coachkit.paths import lessons_dir

SITUATION = "Tom asks me to check every spreadsheet before it goes out, and I always say yes."


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def describe(journal, answer=SITUATION, prompt=PROMPT):
    return journal.add("reflection", LESSON, {"prompt": prompt, "answer": answer})


def test_lesson_00_asks_the_prompt_the_planners_look_for():
    """Does lesson 00's journal prompt use exactly the prompt the planners read back?"""
    nb = nbformat.read(lessons_dir() / "00-start-here.ipynb", as_version=4)
    prompts = [c.source for c in nb.cells if c.cell_type == "code" and "JournalPrompt(" in c.source]
    assert len(prompts) == 1
    assert f'lesson="{LESSON}"' in prompts[0] and f'prompt="{PROMPT}"' in prompts[0]


def test_latest_situation_is_the_newest_answer_to_that_prompt(journal):
    """Is the newest answer to lesson 00's prompt found, other reflections ignored, "" when there is none?"""
    assert latest_situation(journal) == ""
    describe(journal, "An older situation")
    describe(journal, SITUATION)
    describe(journal, "Not about a conversation", prompt="Another prompt")
    journal.add("reflection", "03-role-play", {"prompt": PROMPT, "answer": "Another lesson"})
    assert latest_situation(journal) == SITUATION


def test_shortened_cuts_at_a_word():
    """Is a long text cut at a word, within the limit, and a short one left alone?"""
    assert shortened("short", 10) == "short"
    cut = shortened("one two three four five six", 14)
    assert len(cut) <= 14 and cut.endswith("...") and cut.startswith("one two")


def test_grow_planner_starts_from_the_lesson_00_situation(journal):
    """Is the planner set to 'my own situation' with the newest lesson-00 text, editable, saved as typed?"""
    describe(journal, "An older situation")
    describe(journal)
    planner = GrowPlanner(journal=journal)
    assert planner.situation.value == OWN_SITUATION
    assert planner.own_situation.value == SITUATION
    assert planner.own_situation.layout.display == "flex"
    assert "lesson 00" in planner.carried_note.value
    planner.own_situation.value = "Tom, and the forecast he wants me to check"
    for key in PLAN_STAGES:
        planner.add_buttons[key].click()
    planner.save_button.click()
    [plan] = journal.entries(kind="grow-plan")
    assert plan["data"]["description"] == "Tom, and the forecast he wants me to check"


def test_grow_planner_with_an_empty_journal_leaves_the_field_empty(journal):
    """With nothing from lesson 00, does the planner show its first situation and an empty own box?"""
    planner = GrowPlanner(journal=journal)
    assert planner.situation.value != OWN_SITUATION
    assert planner.own_situation.value == "" and planner.carried_note.value == ""


def test_grow_planner_fills_when_the_journal_arrives_later_but_never_over_typing(journal):
    """A browser-kept journal arrives after the page: does it fill an untouched planner, and leave alone a
    planner where the learner already typed?"""
    untouched = GrowPlanner(journal=journal)
    typed = GrowPlanner(journal=journal)
    typed.situation.value = OWN_SITUATION
    typed.own_situation.value = "My own words"
    describe(journal)
    assert untouched.own_situation.value == SITUATION
    assert typed.own_situation.value == "My own words"
    untouched.own_situation.value = "Changed"
    describe(journal, "A newer situation")
    assert untouched.own_situation.value == "Changed"  # filled once, then it is the learner's


def test_a_saved_grow_plan_wins_over_the_lesson_00_situation(journal):
    """Does a plan saved earlier come back as it was, rather than the lesson-00 text?"""
    first = GrowPlanner(journal=journal)
    first.situation.value = first.situation.options[0][1]
    for key in PLAN_STAGES:
        first.add_buttons[key].click()
    first.save_button.click()
    describe(journal)
    again = GrowPlanner(journal=journal)
    assert again.situation.value == first.situation.value and again.own_situation.value == ""


def test_a_long_situation_is_shortened_to_what_the_planner_accepts(journal):
    """Is a lesson-00 answer longer than the planner's box allows carried in shortened, and saveable?"""
    describe(journal, "word " * 2000)
    planner = GrowPlanner(journal=journal)
    assert planner.model.situation_text()[1].endswith("...")


def test_action_plan_starts_which_conversation_from_lesson_00(journal):
    """Is 'Which conversation' pre-filled from the newest lesson-00 entry, the other fields empty?"""
    describe(journal)
    plan = ActionPlan(journal=journal)
    assert plan.fields["conversation"].value == SITUATION
    assert all(box.value == "" for key, box in plan.fields.items() if key != "conversation")
    assert "lesson 00" in plan.carried_note.value
    plan.fields["conversation"].value = "Our Thursday one-to-one"
    describe(journal, "A newer situation")
    assert plan.fields["conversation"].value == "Our Thursday one-to-one"


def test_action_plan_with_an_empty_journal_or_typing_is_left_alone(journal):
    """Is the action plan empty for an empty journal, and what the learner typed kept when it arrives?"""
    plan = ActionPlan(journal=journal)
    assert plan.fields["conversation"].value == "" and plan.carried_note.value == ""
    plan.fields["who"].value = "Tom"
    describe(journal)
    assert plan.fields["conversation"].value == ""


def test_a_saved_action_plan_wins_over_the_lesson_00_situation(journal):
    """Does a plan saved earlier come back as it was, rather than the lesson-00 text?"""
    describe(journal)
    journal.add("action-plan", "07-whats-keeping-you", {"who": "Ana", "conversation": "Her promotion"})
    plan = ActionPlan(journal=journal)
    assert plan.fields["conversation"].value == "Her promotion"


def complete(plan, first_question):
    values = {
        "who": "Tom",
        "conversation": "Our one-to-one",
        "when": "Thursday at 10",
        "first_question": first_question,
        "stop_doing": "Giving my answer first",
        "barrier": "Time: I'll keep it to ten minutes",
        "follow_up_date": (date.today() + timedelta(days=14)).isoformat(),
        "follow_up_question": "What's better since we talked?",
    }
    for key, value in values.items():
        plan.fields[key].value = value


@pytest.mark.parametrize(
    "stacked", ["What happened? What will you try next?", "What happened, and what will you do about it?"]
)
def test_action_plan_refuses_a_stacked_first_question_with_its_explanation(journal, stacked):
    """Is a stacked first question refused, with the shared classifier's explanation, nothing saved and
    the text kept; and does one open question then save?"""
    plan = ActionPlan(journal=journal)
    complete(plan, stacked)
    plan.check_button.click()
    assert "Stacked questions" in plan.verdict.value
    plan.save_button.click()
    assert journal.entries(kind="action-plan") == []
    explanation = classify_question(stacked).explanation
    assert "Not saved yet" in plan.status.value
    assert explanation.split(".")[0] in plan.status.value and "Keep one question" in plan.status.value
    assert plan.fields["first_question"].value == stacked
    plan.fields["first_question"].value = "What will you try next?"
    plan.save_button.click()
    [entry] = journal.entries(kind="action-plan")
    assert entry["data"]["first_question_kind"] == "open"


def test_action_plan_checks_with_the_shared_classifier(journal, monkeypatch):
    """Do the check button and the save both ask coachkit.classifiers.question_kinds.classify_question?"""
    asked = []

    def spy(text):
        asked.append(text)
        return classify_question(text)

    assert barrier_check.classify_question is classify_question  # the one shared classifier, not a copy
    monkeypatch.setattr(barrier_check, "classify_question", spy)
    plan = ActionPlan(journal=journal)
    complete(plan, "What have you checked so far?")
    plan.check_button.click()
    plan.save_button.click()
    assert asked.count("What have you checked so far?") == 2

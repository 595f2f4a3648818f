"""The GROW planner: situations, the question bank with sources, checking each question, saving the plan."""

import pytest

from coachkit.interactives import grow_planner
from coachkit.interactives.grow_planner import (
    FALLBACK_SITUATIONS,
    OWN_SITUATION,
    PLAN_STAGES,
    GrowPlanner,
    bank_stages,
    question_bank,
    situations,
    split_questions,
)
from coachkit.journal import Journal, MemoryJournalStore


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def fill_every_stage(planner):
    for key in PLAN_STAGES:
        planner.add_buttons[key].click()


def test_bank_covers_every_stage_with_sourced_questions():
    """Does every planner stage have a purpose and suggested questions, each with a known source?"""
    bank = question_bank()
    stages = bank_stages()
    assert [s["key"] for s in stages] == list(PLAN_STAGES)
    for stage in stages:
        assert stage["purpose"] and len(stage["questions"]) >= (2 if stage["key"] == "review" else 4)
        for question in stage["questions"]:
            assert question["source"] in bank["sources"], question
    assert "Bungay Stanier" in bank["sources"]["16"]["title"]


def test_situations_fall_back_to_three_built_in_ones(monkeypatch):
    """Without the role-play scenario cards, are there exactly the three built-in situations?"""
    import sys

    monkeypatch.setitem(sys.modules, "coachkit.roleplay.scenarios", None)  # makes the import fail
    assert situations() == list(FALLBACK_SITUATIONS)
    assert len(FALLBACK_SITUATIONS) == 3


def test_situations_come_from_the_scenario_cards():
    """With the role-play cards installed, is each card offered from the coach's side, by its id?"""
    from coachkit.roleplay.scenarios import load_scenarios

    cards = load_scenarios()
    found = situations()
    assert [s.key for s in found] == [c.id for c in cards]
    first, card = found[0], cards[0]
    assert first.title == card.title
    assert card.coachee_name in first.description and card.coach_situation in first.description


def test_broken_scenario_cards_fall_back(monkeypatch):
    """If reading the cards fails, does the planner still offer the built-in situations?"""
    import coachkit.roleplay.scenarios as cards

    def broken(*_args):
        raise OSError("card file unreadable")

    monkeypatch.setattr(cards, "load_scenarios", broken)
    assert situations() == list(FALLBACK_SITUATIONS)


def test_split_questions_drops_markers_and_blanks():
    """Are list markers and blank lines dropped, one question a line?"""
    assert split_questions("1. What?\n- How?\n\n  * Who?\n2) Where?") == ["What?", "How?", "Who?", "Where?"]


def test_planner_needs_a_question_for_every_stage(journal):
    """Does saving with empty stages name them and save nothing?"""
    planner = GrowPlanner(journal=journal)
    planner.boxes["goal"].value = "What do you want?"
    planner.save_button.click()
    assert journal.entries() == []
    assert "Topic" in planner.status.value and "Goal" not in planner.status.value.split("Still empty")[1]


def test_planner_adds_suggestions_without_duplicates(journal):
    """Does 'Add' put the chosen suggestion in the stage's box once?"""
    planner = GrowPlanner(journal=journal)
    planner.suggestions["options"].value = "And what else?"
    planner.add_buttons["options"].click()
    planner.add_buttons["options"].click()
    assert planner.boxes["options"].value == "And what else?"


def test_planner_checks_each_question_and_saves_a_grow_plan(journal):
    """Does the plan save as 'grow-plan' with every question and its kind, noting the leading one, escaped?"""
    planner = GrowPlanner(journal=journal)
    saved = []
    planner.on_submit(saved.append)
    fill_every_stage(planner)
    planner.boxes["options"].value += "\nHave you thought about <b>asking</b> Maria?"
    planner.check_button.click()
    assert "Leading question" in planner.checked.value
    assert "<b>asking</b>" not in planner.checked.value and "&lt;b&gt;asking" in planner.checked.value
    planner.save_button.click()
    [entry] = journal.entries(kind="grow-plan")
    assert entry["lesson"] == "02-coaching-conversation"
    assert entry["data"]["situation"] == planner.model.choices[planner.situation.value].title
    assert entry["data"]["stages"]["options"][-1] == "Have you thought about <b>asking</b> Maria?"
    assert entry["data"]["kinds"]["options"][-1] == "leading"
    assert "1 of your 7 questions is not open" in planner.status.value
    assert saved == [entry]


def test_planner_own_situation_is_required_and_saved(journal):
    """With 'my own situation', is the description required, then saved as text?"""
    planner = GrowPlanner(journal=journal)
    fill_every_stage(planner)
    planner.situation.value = OWN_SITUATION
    assert planner.own_situation.layout.display == "flex"
    planner.save_button.click()
    assert "empty" in planner.status.value and journal.entries() == []
    planner.own_situation.value = "Tom and the forecast"
    planner.save_button.click()
    assert journal.entries()[0]["data"]["description"] == "Tom and the forecast"


def test_planner_refuses_a_huge_stage_and_keeps_it(journal):
    """Is a stage with far too much text refused with a message, nothing saved, the text kept?"""
    planner = GrowPlanner(journal=journal)
    fill_every_stage(planner)
    planner.boxes["reality"].value = "What? " * 400
    planner.save_button.click()
    assert "too long" in planner.status.value and journal.entries() == []
    assert planner.boxes["reality"].value.startswith("What? ")


def test_planner_without_journal_and_clear():
    """Does a planner made without a journal still save (for this session), and clear() empty the boxes?"""
    planner = GrowPlanner()
    fill_every_stage(planner)
    planner.save_button.click()
    assert len(planner.journal.entries(kind="grow-plan")) == 1
    planner.clear()
    assert all(box.value == "" for box in planner.boxes.values())
    with pytest.raises(TypeError):
        planner.on_submit(None)


def test_planner_inputs_have_labels():
    """Does every input carry a description a screen reader can announce?"""
    planner = GrowPlanner()
    inputs = [
        planner.situation,
        planner.own_situation,
        *planner.suggestions.values(),
        *planner.boxes.values(),
    ]
    assert all(w.description for w in inputs)
    assert all(b.description for b in planner.add_buttons.values())
    assert grow_planner.LESSON == "02-coaching-conversation"


def test_planner_names_the_source_of_the_chosen_suggestion():
    """Does the line under a suggestion name where the chosen question comes from?"""
    planner = GrowPlanner()
    planner.suggestions["options"].value = "And what else?"
    assert "Bungay Stanier" in planner.sources["options"].value
    planner.suggestions["options"].value = "What could you do?"
    assert "Imperial College" in planner.sources["options"].value


def test_a_saved_plan_comes_back_in_a_new_planner(journal):
    """Does a new planner on the same journal show the last saved plan, its situation and its questions?"""
    planner = GrowPlanner(journal=journal)
    keys = list(planner.model.choices)
    planner.situation.value = keys[-1]
    fill_every_stage(planner)
    planner.boxes["will"].value += "\nWhat will you do <first>?"
    planner.save_button.click()
    again = GrowPlanner(journal=journal)
    assert again.situation.value == keys[-1]
    assert again.boxes["will"].value.endswith("What will you do <first>?")
    assert "last saved plan" in again.status.value


def test_an_own_situation_plan_comes_back_and_clear_stays_empty(journal):
    """Does a plan for the learner's own situation come back with its description, and clear() stay clear?"""
    planner = GrowPlanner(journal=journal)
    fill_every_stage(planner)
    planner.situation.value = OWN_SITUATION
    planner.own_situation.value = "Tom and the forecast"
    planner.save_button.click()
    again = GrowPlanner(journal=journal)
    assert again.situation.value == OWN_SITUATION and again.own_situation.value == "Tom and the forecast"
    again.clear()
    journal.add("reflection", "02-coaching-conversation", {"answer": "x"})
    assert all(box.value == "" for box in again.boxes.values())


def test_planner_ends_with_the_review_you_will_hold_when_you_follow_up(journal):
    """After Will, does the planner ask what you will ask at the follow-up, offer the bank's Review questions,
    and refuse a plan without them?"""
    assert PLAN_STAGES[-2:] == ("will", "review")
    planner = GrowPlanner(journal=journal)
    review = next(stage for stage in question_bank()["stages"] if stage["key"] == "review")
    assert [text for text, _ in planner.suggestions["review"].options] == [
        q["text"] for q in review["questions"]
    ]
    headings = [child.value for child in planner.children if "ck-grow-stage" in getattr(child, "value", "")]
    assert "What will you ask when you follow up?" in headings[-1] and "Review" in headings[-1]
    for key in PLAN_STAGES[:-1]:
        planner.add_buttons[key].click()
    planner.save_button.click()
    assert journal.entries() == [] and "Still empty: Review" in planner.status.value
    planner.add_buttons["review"].click()
    planner.save_button.click()
    [entry] = journal.entries(kind="grow-plan")
    assert entry["data"]["stages"]["review"] == [review["questions"][0]["text"]]
    assert entry["data"]["kinds"]["review"] == ["open"]

"""The barrier check and the action plan: ratings to the top barriers, validation of every field, saving."""

import html
from datetime import date, timedelta

import pytest

from coachkit.classifiers.question_kinds import classify_question
from coachkit.interactives.barrier_check import (
    BARRIERS,
    NOT_RATED,
    PLAN_FIELDS,
    ActionPlan,
    BarrierCheck,
    top_barriers,
)
from coachkit.journal import Journal, MemoryJournalStore


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def test_the_six_barriers_each_have_help_and_evidence():
    """Are the six barriers from the brief there, each with what helps and an evidence label?"""
    assert [b.key for b in BARRIERS] == ["time", "skill", "fixing", "control", "pressure", "fixed-view"]
    for barrier in BARRIERS:
        assert barrier.what_helps and barrier.statement
        assert barrier.evidence.startswith("Evidence:")


def test_top_barriers_are_the_highest_rated_at_least_somewhat():
    """Are the top barriers those rated 2 or more, highest first, ties in list order, at most three?"""
    ratings = {"time": 4, "skill": 1, "fixing": 3, "control": 3, "pressure": 2, "fixed-view": 0}
    assert [b.key for b in top_barriers(ratings)] == ["time", "fixing", "control"]
    assert top_barriers({"time": 1, "skill": 0}) == []


@pytest.mark.parametrize("ratings, message", [({"money": 3}, "Unknown barrier"), ({"time": 9}, "0 to 4")])
def test_bad_ratings_raise_clear_errors(ratings, message):
    """Is an unknown barrier or a rating out of range refused with a clear message?"""
    with pytest.raises(ValueError, match=message):
        top_barriers(ratings)


def test_barrier_check_shows_what_helps_and_saves(journal):
    """Does rating every barrier show what helps with the top ones and save a 'barrier-check' entry?"""
    check = BarrierCheck(journal=journal)
    saved = []
    check.on_submit(saved.append)
    check.save_button.click()
    assert "Please rate every barrier" in check.status.value and journal.entries() == []
    for key, dropdown in check.dropdowns.items():
        dropdown.value = 4 if key == "fixing" else 1
    assert "The fixing habit" in check.top.value and "Advice Monster" in check.top.value
    check.save_button.click()
    [entry] = journal.entries(kind="barrier-check")
    assert entry["lesson"] == "07-whats-keeping-you"
    assert entry["data"]["top"] == ["fixing"] and entry["data"]["ratings"]["time"] == 1
    assert saved == [entry]


def test_barrier_check_with_nothing_holding_back(journal):
    """When nothing is rated 2 or more, does the check say so instead of listing barriers?"""
    check = BarrierCheck(journal=journal)
    for dropdown in check.dropdowns.values():
        dropdown.value = 0
    assert "None of the barriers" in check.top.value
    check.clear()
    assert all(d.value == NOT_RATED for d in check.dropdowns.values())
    assert check.model.ratings == {}


def fill_plan(plan, **overrides):
    values = {
        "who": "Tom",
        "conversation": "Our one-to-one, when he asks me to check the forecast",
        "when": "Thursday at 10",
        "first_question": "What have you checked so far?",
        "stop_doing": "Giving my answer first",
        "barrier": "Time: I'll keep it to ten minutes",
        "follow_up_date": (date.today() + timedelta(days=14)).isoformat(),
        "follow_up_question": "What's better since we talked?",
    }
    values.update(overrides)
    for key, value in values.items():
        plan.fields[key].value = value


def test_action_plan_saves_every_field(journal):
    """Does a complete plan save as 'action-plan' with every field and the first question's kind?"""
    plan = ActionPlan(journal=journal)
    fill_plan(plan)
    plan.save_button.click()
    [entry] = journal.entries(kind="action-plan")
    assert entry["data"]["who"] == "Tom" and entry["data"]["first_question_kind"] == "open"
    assert set(entry["data"]) == {f.key for f in PLAN_FIELDS} | {
        "first_question_kind",
        "follow_up_question_kind",
    }
    assert "saved" in plan.status.value and "A note" not in plan.status.value


@pytest.mark.parametrize("field", [f.key for f in PLAN_FIELDS])
def test_action_plan_requires_every_field(journal, field):
    """Is each empty field named in the message, with nothing saved and the other fields kept?"""
    plan = ActionPlan(journal=journal)
    fill_plan(plan, **{field: "   "})
    plan.save_button.click()
    assert journal.entries() == []
    label = next(f.label for f in PLAN_FIELDS if f.key == field)
    assert "empty" in plan.status.value and label.split(",")[0] in plan.status.value.replace("&#x27;", "'")
    assert plan.fields["who"].value in ("Tom", "   ")


def test_action_plan_refuses_huge_text_and_keeps_html_as_text(journal):
    """Is a too-long field refused, and HTML in a field saved as text and shown escaped?"""
    plan = ActionPlan(journal=journal)
    fill_plan(plan, who="x" * 200)
    plan.save_button.click()
    assert "too long" in plan.status.value and journal.entries() == []
    fill_plan(plan, who="<img src=x onerror=alert(1)>")
    plan.save_button.click()
    assert journal.entries()[0]["data"]["who"] == "<img src=x onerror=alert(1)>"


def test_action_plan_notes_a_leading_first_question(journal):
    """Is a leading first question still saved, with a note and an open rewrite?"""
    plan = ActionPlan(journal=journal)
    fill_plan(plan, first_question="Have you thought about asking Maria?")
    plan.check_button.click()
    assert "Leading question" in plan.verdict.value
    plan.save_button.click()
    assert journal.entries()[0]["data"]["first_question_kind"] == "leading"
    rewrite = classify_question("Have you thought about asking Maria?").better
    assert rewrite and "A note on your first question" in plan.status.value
    assert html.escape(rewrite) in plan.status.value


def test_action_plan_check_of_an_empty_question_and_clear():
    """Does checking an empty first question give a message, and clear() empty the form?"""
    plan = ActionPlan()
    plan.check_button.click()
    assert "empty" in plan.verdict.value
    fill_plan(plan)
    plan.clear()
    assert all(box.value == "" for box in plan.fields.values())
    assert all(box.description for box in plan.fields.values())
    with pytest.raises(TypeError):
        plan.on_submit(3)


def test_saved_ratings_and_plan_come_back_in_a_new_form(journal):
    """Does a new barrier check or action plan on the same journal show what was saved last time?"""
    check = BarrierCheck(journal=journal)
    for key, dropdown in check.dropdowns.items():
        dropdown.value = 3 if key == "time" else 0
    check.save_button.click()
    plan = ActionPlan(journal=journal)
    fill_plan(plan)
    plan.save_button.click()

    again = BarrierCheck(journal=journal)
    assert again.dropdowns["time"].value == 3 and "Time" in again.top.value
    assert "last saved" in again.status.value
    plan_again = ActionPlan(journal=journal)
    assert plan_again.fields["who"].value == "Tom"
    assert "last saved plan" in plan_again.status.value


def test_a_journal_that_arrives_later_fills_an_empty_form():
    """When entries reach the journal after the form was built (browser store), does the form fill in once?"""
    journal = Journal(store=MemoryJournalStore())
    plan = ActionPlan(journal=journal)
    journal.add("action-plan", "07-whats-keeping-you", {"who": "Ana", "when": "Monday"})
    assert plan.fields["who"].value == "Ana" and plan.fields["when"].value == "Monday"
    plan.fields["who"].value = "Ben"
    journal.add("action-plan", "07-whats-keeping-you", {"who": "Cem"})
    assert plan.fields["who"].value == "Ben"  # what the learner typed is never overwritten


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("next week", "not a date this form can read"),
        ("2026-02-30", "not a day in the calendar"),
        ("2026-11-30", "has already passed"),
        ("2028-01-05", "more than a year away"),
    ],
)
def test_action_plan_refuses_a_bad_follow_up_date_with_a_clear_message(journal, typed, message):
    """Is a follow-up date that is not a date, not a real day, past or far away refused, nothing saved?"""
    plan = ActionPlan(journal=journal, today=lambda: date(2026, 12, 1))
    fill_plan(plan, follow_up_date=typed)
    plan.save_button.click()
    assert journal.entries() == [] and message in plan.status.value
    assert plan.fields["follow_up_date"].value == typed


def test_action_plan_saves_the_follow_up_day_and_question(journal):
    """Is a follow-up date written '15 December 2026' saved as 2026-12-15, with what to ask then?"""
    plan = ActionPlan(journal=journal, today=lambda: date(2026, 12, 1))
    fill_plan(plan, follow_up_date="15 December 2026", follow_up_question="Did it work?")
    plan.save_button.click()
    [entry] = journal.entries(kind="action-plan")
    assert entry["data"]["follow_up_date"] == "2026-12-15"
    assert entry["data"]["follow_up_question"] == "Did it work?"
    assert entry["data"]["follow_up_question_kind"] == "closed"
    assert "15 December 2026" in plan.status.value and "follow-up question" in plan.status.value

"""The absence-readiness plan: which decisions others take while you are away, checked and saved."""

import pytest

from coachkit.interactives.absence_plan import DECISION_FIELDS, KIND, AbsencePlan
from coachkit.journal import Journal, MemoryJournalStore


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def fill_first_row(plan, **overrides):
    values = {
        "decision": "Approving refunds up to 200 euros",
        "who": "Kofi",
        "needs_to_know": "The refund policy and the customers to call back first",
        "coach_first": "How to judge a refund past the 30-day limit: What would you weigh up?",
    }
    values.update(overrides)
    plan.away.value = "Two weeks in August"
    for key, value in values.items():
        plan.rows[0][key].value = value


def test_a_complete_plan_is_saved_as_an_absence_plan(journal):
    """Does a plan with one decision save as 'absence-plan' from lesson 05, naming who takes it?"""
    plan = AbsencePlan(journal=journal)
    saved = []
    plan.on_submit(saved.append)
    fill_first_row(plan)
    plan.save_button.click()
    [entry] = journal.entries(kind=KIND)
    assert entry["lesson"] == "05-sigh-of-relief" and saved == [entry]
    assert entry["data"]["away"] == "Two weeks in August"
    assert entry["data"]["decisions"] == [{f.key: plan.rows[0][f.key].value for f in DECISION_FIELDS}]
    assert entry["data"]["still_reach_me"] == ""
    assert "1 decision that can be taken without you, by Kofi" in plan.status.value


@pytest.mark.parametrize("field", [f.key for f in DECISION_FIELDS])
def test_the_first_decision_needs_every_part(journal, field):
    """Is each empty part of the first decision named, with nothing saved and the rest kept?"""
    plan = AbsencePlan(journal=journal)
    fill_first_row(plan, **{field: "  "})
    plan.save_button.click()
    assert journal.entries() == [] and "empty" in plan.status.value and "Decision 1" in plan.status.value
    assert plan.away.value == "Two weeks in August"


def test_a_started_second_decision_must_be_finished_and_an_empty_one_is_skipped(journal):
    """Is a half-written second decision refused by name, and an untouched one left out?"""
    plan = AbsencePlan(journal=journal)
    fill_first_row(plan)
    plan.rows[1]["decision"].value = "Choosing the weekend rota"
    plan.save_button.click()
    assert journal.entries() == [] and "Decision 2: who takes it" in plan.status.value
    plan.rows[1]["who"].value = "Ana"
    plan.rows[1]["needs_to_know"].value = "Who has asked for which weekends"
    plan.rows[1]["coach_first"].value = "What makes a rota fair?"
    plan.still_reach_me.value = "A safety incident: call me"
    plan.save_button.click()
    [entry] = journal.entries(kind=KIND)
    assert [d["who"] for d in entry["data"]["decisions"]] == ["Kofi", "Ana"]
    assert "2 decisions" in plan.status.value and "Ana, Kofi" in plan.status.value


def test_the_absence_is_required_and_huge_or_html_text_is_handled(journal):
    """Is the absence required, a too-long field refused, and HTML kept as text and shown escaped?"""
    plan = AbsencePlan(journal=journal)
    fill_first_row(plan)
    plan.away.value = ""
    plan.save_button.click()
    assert "When you will be away is empty" in plan.status.value
    fill_first_row(plan, who="x" * 200)
    plan.save_button.click()
    assert "too long" in plan.status.value and journal.entries() == []
    fill_first_row(plan, who="<script>alert(1)</script>")
    plan.save_button.click()
    assert journal.entries()[0]["data"]["decisions"][0]["who"] == "<script>alert(1)</script>"
    assert "<script>" not in plan.status.value and "&lt;script&gt;" in plan.status.value


def test_a_saved_plan_comes_back_and_clear_empties(journal):
    """Does a new form show the last saved plan, every box labelled, and clear() empty it for good?"""
    plan = AbsencePlan(journal=journal)
    fill_first_row(plan)
    plan.save_button.click()
    again = AbsencePlan(journal=journal)
    assert again.rows[0]["who"].value == "Kofi" and "last saved" in again.status.value
    assert all(box.description for row in again.rows for box in row.values())
    again.clear()
    journal.add("absence-plan", "05-sigh-of-relief", {"away": "later"})
    assert again.away.value == ""
    with pytest.raises(TypeError):
        again.on_submit(None)


def test_a_plan_made_without_a_journal_still_saves_for_the_session():
    """Does an AbsencePlan() built with no journal keep its plan for this session?"""
    plan = AbsencePlan()
    fill_first_row(plan)
    plan.save_button.click()
    assert len(plan.journal.entries(kind=KIND)) == 1

"""The follow-up: reading the date, finding the plan that is due, the reminder, and the review form."""

from datetime import date

import pytest

from coachkit.forms.textinput import TextInputError
from coachkit.interactives.follow_up import NOTE_FIELDS, QUESTION_FIELDS, FollowUpReview, parse_follow_up_date
from coachkit.journal import Journal, MemoryJournalStore
from coachkit.journal.reminders import KIND, latest_follow_up, long_date, reminder_text

TODAY = date(2026, 12, 1)


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def add_plan(journal, who="Tom", day="2026-12-15", **extra):
    data = {
        "who": who,
        "follow_up_date": day,
        "follow_up_question": "What's better since we talked?",
        **extra,
    }
    return journal.add("action-plan", "07-whats-keeping-you", data)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-15", date(2026, 12, 15)),
        (" 15  December 2026 ", date(2026, 12, 15)),
        ("15 Dec 2026", date(2026, 12, 15)),
        ("December 15, 2026", date(2026, 12, 15)),
        ("2026-12-1", date(2026, 12, 1)),
    ],
)
def test_follow_up_dates_people_write_are_read(typed, expected):
    """Are year-month-day and written-out dates read, today included?"""
    assert parse_follow_up_date(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "is empty"),
        ("in two weeks", "not a date this form can read"),
        ("<b>soon</b>", "not a date this form can read"),
        ("2026-13-01", "not a day in the calendar"),
        ("2026-11-30", "already passed"),
        ("2030-01-01", "more than a year away"),
        ("9" * 100, "too long"),
    ],
)
def test_bad_follow_up_dates_get_a_clear_message(typed, message):
    """Is each kind of bad date refused with a message that says what to write instead?"""
    with pytest.raises(TextInputError, match=message):
        parse_follow_up_date(typed, TODAY)


def test_the_latest_plan_decides_and_a_review_closes_it(journal):
    """Is the follow-up the latest plan's, and does a completed review of that plan mark it reviewed?"""
    assert latest_follow_up(journal.entries()) is None
    add_plan(journal, who="Ana", day="2026-11-20")
    plan = add_plan(journal, who="Tom", day="2026-11-25")
    follow_up = latest_follow_up(journal.entries())
    assert (follow_up.who, follow_up.day, follow_up.reviewed) == ("Tom", date(2026, 11, 25), False)
    assert follow_up.passed(TODAY)
    journal.add(KIND, "07-whats-keeping-you", {"plan": plan["id"], "reviewed": False})
    assert not latest_follow_up(journal.entries()).reviewed
    journal.add(KIND, "07-whats-keeping-you", {"plan": plan["id"], "reviewed": True})
    assert latest_follow_up(journal.entries()).reviewed


def test_a_plan_from_before_follow_up_dates_has_no_follow_up(journal):
    """Does an older action plan without a follow-up date give no reminder rather than an error?"""
    journal.add("action-plan", "07-whats-keeping-you", {"who": "Tom", "when": "Thursday"})
    assert latest_follow_up(journal.entries()) is None
    assert reminder_text(None, TODAY) == ""


def test_reminder_says_due_passed_or_coming(journal):
    """Does the reminder ask how it went once the day has passed, and say nothing once reviewed?"""
    add_plan(journal, day="2026-11-25")
    passed = reminder_text(latest_follow_up(journal.entries()), TODAY)
    assert passed.startswith("Your follow-up with Tom was due on 25 November 2026: how did it go?")
    add_plan(journal, day="2026-12-01")
    assert "is today" in reminder_text(latest_follow_up(journal.entries()), TODAY)
    add_plan(journal, day="2026-12-15")
    assert "is on 15 December 2026" in reminder_text(latest_follow_up(journal.entries()), TODAY)
    assert long_date(date(2027, 1, 5)) == "5 January 2027"


def fill_questions(review):
    review.fields["happened_question"].value = "What happened when you tried it?"
    review.fields["learnt_question"].value = "What did you learn from it?"
    review.fields["next_question"].value = "What's better since we talked?"


def test_review_shows_the_plan_escaped_and_saves_questions_first(journal):
    """Does the review show the plan's person escaped, save the questions alone, and ask to come back?"""
    add_plan(journal, who="<b>Tom</b>", day="2026-11-25")
    review = FollowUpReview(journal=journal, today=lambda: TODAY)
    assert "&lt;b&gt;Tom&lt;/b&gt;" in review.plan.value and "<b>Tom</b>" not in review.plan.value
    assert "was due on 25 November 2026" in review.plan.value
    fill_questions(review)
    review.save_button.click()
    [entry] = journal.entries(kind=KIND)
    assert entry["data"]["reviewed"] is False and entry["data"]["kinds"]["next_question"] == "open"
    assert "come back" in review.status.value


def test_a_complete_review_is_tied_to_the_plan(journal):
    """With all three notes written, is the review saved as reviewed, for the latest plan?"""
    plan = add_plan(journal)
    review = FollowUpReview(journal=journal, today=lambda: TODAY)
    saved = []
    review.on_submit(saved.append)
    fill_questions(review)
    for field in NOTE_FIELDS:
        review.fields[field.key].value = f"{field.label}: notes"
    review.save_button.click()
    [entry] = journal.entries(kind=KIND)
    assert entry["data"]["plan"] == plan["id"] and entry["data"]["reviewed"] is True
    assert saved == [entry] and "review is saved" in review.status.value
    assert "You have reviewed it" in review.plan.value


def test_review_needs_its_three_questions_and_checks_them(journal):
    """Is a missing question named with nothing saved, and a closed one flagged by the check?"""
    review = FollowUpReview(journal=journal, today=lambda: TODAY)
    assert "No action plan" in review.plan.value
    review.fields["happened_question"].value = "Did it go well?"
    review.save_button.click()
    assert journal.entries() == [] and "empty" in review.status.value
    review.check_button.click()
    assert "Closed question" in review.checked.value or "closed" in review.checked.value.lower()
    assert all(review.fields[f.key].description for f in QUESTION_FIELDS + NOTE_FIELDS)


def test_saved_review_comes_back_and_clear_empties(journal):
    """Does a new form show the last saved review, and clear() empty it and keep it empty?"""
    review = FollowUpReview(journal=journal, today=lambda: TODAY)
    fill_questions(review)
    review.fields["happened"].value = "He checked the totals himself."
    review.save_button.click()
    again = FollowUpReview(journal=journal, today=lambda: TODAY)
    assert again.fields["happened"].value == "He checked the totals himself."
    again.clear()
    assert all(box.value == "" for box in again.fields.values())
    with pytest.raises(TypeError):
        again.on_submit("not a function")

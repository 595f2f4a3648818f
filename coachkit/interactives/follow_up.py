"""The conversation after the conversation: an action plan's follow-up date, what is due, and the review."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta

import ipywidgets as widgets
import traitlets

from coachkit.classifiers.question_kinds import classify_question, verdict_item_html
from coachkit.forms import ui
from coachkit.forms.textinput import TextField, TextInputError, as_html_text, clean_text
from coachkit.journal.model import Journal, JournalError
from coachkit.journal.reminders import KIND, FollowUp, latest_follow_up, long_date
from coachkit.journal.widgets import JournalDraft, JournalForm, journal_bridge, session_journal, status_html

log = logging.getLogger(__name__)

LESSON = "07-whats-keeping-you"
HORIZON_DAYS = 366  # a follow-up further away than a year is not a follow-up
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%B %d, %Y", "%b %d, %Y")
UNEXPECTED = (
    "Something went wrong and nothing was saved. What you wrote is still in the form; please try again."
)


def parse_follow_up_date(text: object, today: date | None = None) -> date:
    """The follow-up day from what the learner typed ('2026-12-15' or '15 December 2026'), checked that it
    is a real day, not already past and within a year; raises TextInputError with a message for the learner.
    """
    today = today or date.today()
    typed = clean_text(text, limit=40, label="The follow-up date")
    squeezed = " ".join(typed.split())
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(squeezed, pattern).date()
            break
        except ValueError:
            continue
    else:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", squeezed):
            raise TextInputError(
                f"The follow-up date {squeezed} is not a day in the calendar: check the month (1 to 12) and "
                "the day of the month."
            )
        raise TextInputError(
            f"The follow-up date '{squeezed[:40]}' is not a date this form can read. Please write it as "
            f"year-month-day, for example {today + timedelta(days=14):%Y-%m-%d}, or as "
            f"{long_date(today + timedelta(days=14))}."
        )
    if day < today:
        raise TextInputError(
            f"The follow-up date {long_date(day)} has already passed. Choose the day, from today on, when "
            "you will ask how it went."
        )
    if day > today + timedelta(days=HORIZON_DAYS):
        raise TextInputError(
            f"The follow-up date {long_date(day)} is more than a year away. A follow-up works while the "
            "conversation is fresh: choose a day within the next few weeks."
        )
    return day


QUESTION_LIMIT = 300
NOTE_LIMIT = 2000
# The three parts of the conversation after the conversation
QUESTION_FIELDS = (
    TextField(
        "happened_question",
        "Your question on what happened",
        "e.g. What happened when you tried it?",
        QUESTION_LIMIT,
    ),
    TextField(
        "learnt_question",
        "Your question on what was learnt",
        "e.g. What did you learn from it?",
        QUESTION_LIMIT,
    ),
    TextField(
        "next_question", "Your question on what next", "e.g. What's better since we talked?", QUESTION_LIMIT
    ),
)
NOTE_FIELDS = (
    TextField(
        "happened", "What happened", "After the follow-up: what they tried, and how it went", NOTE_LIMIT
    ),
    TextField(
        "learnt", "What was learnt", "What they learnt, and what you learnt about your coaching", NOTE_LIMIT
    ),
    TextField(
        "next", "What next", "The next step they chose, and when you will next ask about it", NOTE_LIMIT
    ),
)


class FollowUpDraft(JournalDraft):
    """A follow-up in progress: three questions to ask and, after the conversation, three notes; saved as
    'follow-up-review', tied to the latest action plan when there is one."""

    happened_question = traitlets.Unicode("")
    learnt_question = traitlets.Unicode("")
    next_question = traitlets.Unicode("")
    happened = traitlets.Unicode("")
    learnt = traitlets.Unicode("")
    next = traitlets.Unicode("")

    def __init__(self, journal: Journal, **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal

    def questions(self) -> dict[str, str]:
        return {
            f.key: clean_text(getattr(self, f.key), limit=f.limit, label=f.label) for f in QUESTION_FIELDS
        }

    def notes(self) -> dict[str, str]:
        return {
            f.key: clean_text(getattr(self, f.key), limit=f.limit, required=False, label=f.label)
            for f in NOTE_FIELDS
        }

    def save(self) -> dict | None:
        try:
            questions = self.questions()
            notes = self.notes()
            follow_up = latest_follow_up(self.journal.entries())
        except (TextInputError, JournalError) as exc:
            return self.refuse(exc)
        kinds = {key: classify_question(text).kind for key, text in questions.items()}
        reviewed = all(notes.values())
        data = {
            "plan": follow_up.plan_id if follow_up else "",
            "who": follow_up.who if follow_up else "",
            "questions": questions,
            "kinds": kinds,
            "notes": notes,
            "reviewed": reviewed,
        }
        try:
            entry = self.journal.add(KIND, LESSON, data)
        except JournalError as exc:
            return self.refuse(exc)
        self.ok = True
        if reviewed:
            self.message = (
                "Your review is saved in your journal. Your 'what next' is the start of the next plan: when "
                "will you ask about it?"
            )
        elif any(notes.values()):
            self.message = (
                "Saved. Some notes are still empty: the review counts as done once what happened, what was "
                "learnt and what next are all written down."
            )
        else:
            self.message = (
                "Your follow-up questions are saved in your journal. After the conversation, come back here "
                "and write down what happened, what was learnt and what next."
            )
        not_open = [
            f.label.removeprefix("Your question on ") for f in QUESTION_FIELDS if kinds[f.key] != "open"
        ]
        if not_open:
            self.message += f" Not open yet: your question on {', '.join(not_open)}; the check says why."
        return entry


def plan_html(follow_up: FollowUp | None, today: date) -> str:
    """The follow-up the latest action plan names, escaped; or how to get one."""
    if follow_up is None:
        return (
            '<p style="line-height:1.5" class="ck-followup-plan">No action plan with a follow-up date is '
            "saved yet. Save yours above, or practise with Tom's: you asked him on Thursday what he had "
            "checked in the forecast, and you follow up in two weeks.</p>"
        )
    when = (
        f"was due on {long_date(follow_up.day)}"
        if follow_up.passed(today)
        else f"is on {long_date(follow_up.day)}"
    )
    asked = f" You planned to ask: <em>{as_html_text(follow_up.question)}</em>" if follow_up.question else ""
    done = " You have reviewed it." if follow_up.reviewed else ""
    return (
        '<p style="line-height:1.5" class="ck-followup-plan">Your follow-up with '
        f"<strong>{as_html_text(follow_up.who)}</strong> {as_html_text(when)}.{asked}{done}</p>"
    )


def check_html(questions: dict[str, str]) -> str:
    items = []
    for field in QUESTION_FIELDS:
        text = questions.get(field.key, "")
        if not text:
            continue
        items.append(verdict_item_html(text, classify_question(text)))
    if not items:
        return '<p style="line-height:1.5">There are no questions to check yet.</p>'
    items_html = "".join(items)
    return f'<div style="line-height:1.5" class="ck-followup-check" role="status"><ul>{items_html}</ul></div>'


class FollowUpReview(JournalForm, ui.VBox):
    """Your follow-up: the three questions you will ask (checked), and after the conversation what happened,
    what was learnt and what next; saved to the journal."""

    def __init__(self, journal: Journal | None = None, today=None) -> None:
        self.journal = journal if journal is not None else session_journal()
        self.today = today or date.today  # a function, so a page left open overnight knows the new day
        self.model = FollowUpDraft(self.journal)
        self.plan = ui.HTML("")
        self.fields: dict[str, widgets.Widget] = {}
        for field in QUESTION_FIELDS:
            self.fields[field.key] = ui.field_box(field, "18em", multiline=False)
        for field in NOTE_FIELDS:
            self.fields[field.key] = ui.field_box(field, "18em", multiline=True, rows=2)
        for key, box in self.fields.items():
            widgets.link((box, "value"), (self.model, key))
        self.check_button = ui.Button(description="Check my follow-up questions")
        self.check_button.on_click(self._on_check)
        self.checked = ui.HTML("")
        self.add_saving("Save my follow-up", "saving the follow-up review", UNEXPECTED)
        after = ui.HTML(
            '<p style="line-height:1.5" class="ck-followup-after"><strong>After the conversation:</strong> '
            "come back and write down what happened, what was learnt and what next.</p>"
        )
        boxes = list(self.fields.values())
        super().__init__(
            [
                self.plan,
                *boxes[: len(QUESTION_FIELDS)],
                self.check_button,
                self.checked,
                after,
                *boxes[len(QUESTION_FIELDS) :],
                self.save_button,
                self.status,
                *journal_bridge(self.journal),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-followup-review")
        self.journal.observe(self._show_plan, names="revision")
        self._show_plan()
        self.saver.restore_last_saved(
            KIND,
            None,
            is_empty=lambda: not any(box.value for box in self.fields.values()),
            fill=self._fill,
            message="Your last saved follow-up is shown; add to it and save again.",
        )

    def _show_plan(self, _change=None) -> None:
        try:
            follow_up = latest_follow_up(self.journal.entries())
        except JournalError:
            follow_up = None  # the journal bar reports a damaged journal
        self.plan.value = plan_html(follow_up, self.today())

    def _fill(self, data: dict) -> bool:
        for group in ("questions", "notes"):
            values = data.get(group) if isinstance(data.get(group), dict) else {}
            for key, value in values.items():
                if key in self.fields and isinstance(value, str):
                    self.fields[key].value = value
        return True

    def _empty(self) -> None:
        for box in self.fields.values():
            box.value = ""
        self.checked.value = ""

    def _on_check(self, _button=None) -> None:
        try:
            questions = {
                f.key: clean_text(
                    getattr(self.model, f.key), limit=QUESTION_LIMIT, required=False, label=f.label
                )
                for f in QUESTION_FIELDS
            }
            self.checked.value = check_html(questions)
        except TextInputError as exc:
            self.checked.value = status_html(str(exc), "error")
        except Exception:
            log.exception("checking the follow-up questions failed")
            self.checked.value = status_html(
                "Something went wrong while checking; please try again.", "error"
            )

    def _on_save(self, _button=None) -> None:
        super()._on_save()
        self._show_plan()

"""What keeps a manager from coaching: a barrier self-check with what helps, and a concrete action plan."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import ipywidgets as widgets
import traitlets

from coachkit.classifiers.question_kinds import classify_question, verdict_html
from coachkit.forms import ui
from coachkit.forms.ratings import NOT_RATED, rating_dropdown, rating_value
from coachkit.forms.textinput import TextField, TextInputError, as_html_text, clean_text
from coachkit.interactives.own_conversation import carry_situation, shortened
from coachkit.journal.model import Journal, JournalError
from coachkit.journal.widgets import JournalDraft, JournalForm, journal_bridge, session_journal, status_html

log = logging.getLogger(__name__)

LESSON = "07-whats-keeping-you"
UNEXPECTED = (
    "Something went wrong and nothing was saved. What you wrote is still in the form; please try again."
)


@dataclass(frozen=True)
class Barrier:
    key: str
    title: str
    statement: str  # what the learner rates: how true it is for them
    what_helps: str
    evidence: str


# From coaching-facts.md section 7 (barriers and programme responses), in our own words
BARRIERS = (
    Barrier(
        "time",
        "Time",
        "I don't have time to coach.",
        "Coaching does not need an hour. Aim for ten minutes or less (Bungay Stanier, The Coaching Habit) "
        "and "
        "ask two questions in the corridor: 'What's the real challenge here for you?' and 'What do you "
        "want?'. "
        "Landsberg's book has a whole chapter on coaching in a hurry.",
        "Evidence: survey correlation for the barrier (time came first in the 2014 HCI/ICF survey); the "
        "response is a practitioner's rule of thumb.",
    ),
    Barrier(
        "skill",
        "Skill",
        "I don't feel I know how to coach well.",
        "Practise in a safe place: a role-play triad with two colleagues over lunch, then one real "
        "conversation a week. Training works best when it is fitted to your real situation.",
        "Evidence: study. In one study of 580 managers only 30-40% had had any coaching training "
        "(Milner, McCarthy and Milner, 2018).",
    ),
    Barrier(
        "fixing",
        "The fixing habit",
        "When someone brings me a problem, I jump in with the answer.",
        "Treat coaching as a habit to build: name the trigger ('When Tom asks me to check his spreadsheet'), "
        "the new behaviour ('I'll ask what he has checked already') and notice the reward ('he finds the "
        "error himself'). Bungay Stanier calls the urge to fix the 'Advice Monster'.",
        "Evidence: practitioner's rule of thumb (Bungay Stanier, 2016).",
    ),
    Barrier(
        "control",
        "Control",
        "Letting people choose their own way feels risky to me.",
        "Contract first: agree at the start what the conversation is for, and say which decisions stay with "
        "you. Then the rest really is theirs to choose.",
        "Evidence: study. McCarthy and Milner (2013) note that moving from managing to coaching 'can create "
        "tensions'; contracting first is a practitioner's rule of thumb.",
    ),
    Barrier(
        "pressure",
        "Performance pressure",
        "With the numbers on me, telling feels safer than coaching.",
        "Choose the approach task by task with skill and will, urgency and stakes: tell where a crisis "
        "demands it, and coach where there is room to learn, so that fewer tasks become crises.",
        "Evidence: practitioner's rule of thumb (Landsberg's skill/will matrix).",
    ),
    Barrier(
        "fixed-view",
        "A fixed view of ability",
        "Deep down, I think people's abilities don't change much.",
        "Collect evidence that people change: write down someone who got much better at something, and what "
        "helped them. In a study, a short exercise like this made managers more willing to coach.",
        "Evidence: study. Heslin, VandeWalle and Latham (2006) found that managers who believe ability is "
        "fixed coach less, and that a self-persuasion exercise raised their willingness to coach.",
    ),
)
SCALE = {0: "0 - not at all", 1: "1 - a little", 2: "2 - somewhat", 3: "3 - a lot", 4: "4 - very much"}
HOLDS_BACK = 2  # a rating from here up counts as holding the learner back


def top_barriers(ratings: dict[str, int], limit: int = 3) -> list[Barrier]:
    """The barriers rated highest (at least 'somewhat'), highest first; ties keep the list's order."""
    known = {barrier.key for barrier in BARRIERS}
    for key, value in ratings.items():
        if key not in known:
            raise ValueError(f"Unknown barrier {key!r}; the barriers are {sorted(known)}.")
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise ValueError(f"The rating for {key!r} must be a whole number from 0 to 4, not {value!r}.")
    rated = [b for b in BARRIERS if ratings.get(b.key, 0) >= HOLDS_BACK]
    rated.sort(key=lambda b: -ratings[b.key])  # sort is stable, so ties keep the order of BARRIERS
    return rated[:limit]


class BarrierRatings(JournalDraft):
    """The learner's rating of each barrier, the top ones, and saving them as a 'barrier-check' entry."""

    ratings = traitlets.Dict(help="Barrier key to a rating from 0 (not at all) to 4 (very much).")

    def __init__(self, journal: Journal, **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal

    def rate(self, key: str, value: int | None) -> None:
        ratings = dict(self.ratings)
        if value is None:
            ratings.pop(key, None)
        else:
            top_barriers({key: value})  # validates the key and the value
            ratings[key] = value
        self.ratings = ratings

    def top(self) -> list[Barrier]:
        return top_barriers(self.ratings)

    def save(self) -> dict | None:
        missing = [b.title for b in BARRIERS if b.key not in self.ratings]
        if missing:
            self.ok, self.message = (
                False,
                f"Please rate every barrier first. Not rated yet: {', '.join(missing)}.",
            )
            return None
        data = {"ratings": {b.key: self.ratings[b.key] for b in BARRIERS}, "top": [b.key for b in self.top()]}
        try:
            entry = self.journal.add("barrier-check", LESSON, data)
        except JournalError as exc:
            return self.refuse(exc)
        self.ok, self.message = True, "Your barrier check is saved in your journal."
        return entry


def top_html(top: list[Barrier], complete: bool) -> str:
    if not top:
        if complete:
            return (
                '<p style="line-height:1.5">None of the barriers holds you back much, by your own rating. '
                "Which one would your team say holds you back?</p>"
            )
        return ""
    items = "".join(
        f"<li><strong>{as_html_text(b.title)}.</strong> What helps: {as_html_text(b.what_helps)} "
        f'<span class="ck-evidence">{as_html_text(b.evidence)}</span></li>'
        for b in top
    )
    return (
        '<div style="line-height:1.5" '
        f'class="ck-barrier-top" role="status"><p>What holds you back most:</p><ol>{items}</ol></div>'
    )


class BarrierCheck(JournalForm, ui.VBox):
    """Rate how much each barrier holds you back; see what helps with the top ones; save it to the journal."""

    def __init__(self, journal: Journal | None = None) -> None:
        self.journal = journal if journal is not None else session_journal()
        self.model = BarrierRatings(self.journal)
        self.dropdowns: dict[str, ui.Dropdown] = {}
        rows = []
        for barrier in BARRIERS:
            dropdown = rating_dropdown(barrier.title, barrier.statement, SCALE, "14em", "34em")
            dropdown.observe(lambda change, key=barrier.key: self._on_rate(key, change["new"]), names="value")
            self.dropdowns[barrier.key] = dropdown
            statement = ui.HTML(
                '<p style="line-height:1.5" '
                f'class="ck-barrier-statement"><strong>{as_html_text(barrier.title)}.</strong> '
                f"How true is this of you: {as_html_text(barrier.statement)}</p>"
            )
            rows += [statement, dropdown]
        self.top = ui.HTML("")
        self.add_saving("Save my barrier check", "saving the barrier check", UNEXPECTED)
        super().__init__(
            [*rows, self.top, self.save_button, self.status, *journal_bridge(self.journal)],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-barrier-check")
        self.saver.restore_last_saved(
            "barrier-check",
            None,
            is_empty=lambda: not self.model.ratings,
            fill=self._show_ratings,
            message="Your last saved ratings are shown; change them and save again.",
        )

    def _show_ratings(self, data: dict) -> bool:
        ratings = data.get("ratings")
        if not isinstance(ratings, dict):
            return False
        for key, dropdown in self.dropdowns.items():
            value = ratings.get(key)
            if isinstance(value, int) and value in SCALE:
                dropdown.value = value
        return True

    def _empty(self) -> None:
        for dropdown in self.dropdowns.values():
            dropdown.value = NOT_RATED

    def _on_rate(self, key: str, value) -> None:
        try:
            self.model.rate(key, rating_value(value))
            complete = len(self.model.ratings) == len(BARRIERS)
            self.top.value = top_html(self.model.top(), complete)
        except Exception:  # Voila shows no tracebacks
            log.exception("rating a barrier failed")
            self.status.value = status_html("Something went wrong; please choose the rating again.", "error")


PLAN_FIELDS = (
    TextField("who", "Who", "One person, by first name or initials, e.g. Tom", 80),
    TextField(
        "conversation",
        "Which conversation",
        "e.g. our one-to-one, when he asks me to check the forecast",
        500,
    ),
    TextField("when", "When", "A date, or the trigger that starts it, e.g. Thursday at 10", 200),
    TextField(
        "first_question",
        "Your first question",
        "The exact words, e.g. What have you checked so far?",
        300,
    ),
    TextField(
        "stop_doing",
        "What you will stop doing",
        "e.g. giving my answer before I have asked for his",
        500,
    ),
    TextField(
        "barrier",
        "What might stop you",
        "And what you will do about it, e.g. time: I'll keep it to ten minutes",
        500,
    ),
    TextField(
        "follow_up_date",
        "Follow-up date",
        "The day you will ask how it went, e.g. 2026-12-15 or 15 December 2026",
        40,
    ),
    TextField("follow_up_question", "What you will ask then", "e.g. What's better since we talked?", 300),
)


class PlanDraft(JournalDraft):
    """An action plan in progress; ``save`` checks every field and the first question, then saves it."""

    who = traitlets.Unicode("")
    conversation = traitlets.Unicode("")
    when = traitlets.Unicode("")
    first_question = traitlets.Unicode("")
    stop_doing = traitlets.Unicode("")
    barrier = traitlets.Unicode("")
    follow_up_date = traitlets.Unicode("", help="The day of the follow-up, as typed; saved as YYYY-MM-DD.")
    follow_up_question = traitlets.Unicode("", help="What you will ask at the follow-up.")

    def __init__(self, journal: Journal, today=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal
        self.today = today or date.today  # a function, so a page left open overnight knows the new day

    def cleaned(self) -> dict[str, str]:
        """Every field tidied by clean_text, the follow-up date checked and written YYYY-MM-DD; raises
        TextInputError naming the first field that is wrong."""
        from coachkit.interactives.follow_up import parse_follow_up_date

        plan = {f.key: clean_text(getattr(self, f.key), limit=f.limit, label=f.label) for f in PLAN_FIELDS}
        plan["follow_up_date"] = parse_follow_up_date(plan["follow_up_date"], self.today()).isoformat()
        return plan

    def keep(self, plan: dict) -> dict | None:
        verdict = classify_question(plan["first_question"])
        if verdict.kind == "stacked":
            # Several questions at once: the plan is for the one question you will really ask first.
            self.ok = False
            self.message = f"Not saved yet. Your first question: {verdict.explanation}"
            if verdict.better:
                self.message += f" You could try: {verdict.better}"
            self.message += " Keep one question and save again."
            return None
        plan["first_question_kind"] = verdict.kind
        follow_up = classify_question(plan["follow_up_question"])
        plan["follow_up_question_kind"] = follow_up.kind
        try:
            entry = self.journal.add("action-plan", LESSON, plan)
        except JournalError as exc:
            return self.refuse(exc)
        self.ok = True
        self.message = "Your action plan is saved in your journal."
        if verdict.kind != "open":
            self.message += f" A note on your first question: {verdict.explanation}"
            if verdict.better:
                self.message += f" You could try: {verdict.better} Change it and save again if you like."
        if follow_up.kind != "open":
            self.message += f" A note on your follow-up question: {follow_up.explanation}"
        from coachkit.journal.reminders import long_date

        self.message += (
            f" Your follow-up is on {long_date(date.fromisoformat(plan['follow_up_date']))}: afterwards, "
            "come back to this lesson's follow-up section and review how it went."
        )
        return entry


class ActionPlan(JournalForm, ui.VBox):
    """Who, which conversation, when, your first question, what you will stop doing, when you will follow up
    and what you will ask then; saved to the journal."""

    def __init__(self, journal: Journal | None = None, today=None) -> None:
        self.journal = journal if journal is not None else session_journal()
        self.model = PlanDraft(self.journal, today=today)
        self.fields: dict[str, widgets.Widget] = {}
        for field in PLAN_FIELDS:
            box = ui.field_box(field, "18em", multiline=field.limit > 300)
            widgets.link((box, "value"), (self.model, field.key))
            self.fields[field.key] = box
        self.check_button = ui.Button(description="Check my first question")
        self.check_button.on_click(self._on_check)
        self.verdict = ui.HTML("")
        self.add_saving("Save my action plan", "saving the action plan", UNEXPECTED)
        boxes = list(self.fields.values())
        super().__init__(
            [
                *boxes[:4],
                self.check_button,
                self.verdict,
                *boxes[4:],
                self.save_button,
                self.status,
                *journal_bridge(self.journal),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-action-plan")
        self.saver.restore_last_saved(
            "action-plan",
            None,
            is_empty=lambda: not any(box.value for box in self.fields.values()),
            fill=self._show_plan,
            message="Your last saved plan is shown; change it and save again.",
        )
        self.carried_note = ui.HTML("")
        self.children = (*self.children[:2], self.carried_note, *self.children[2:])
        carry_situation(
            self.journal,
            can_fill=lambda: not self.saver.restored and not any(box.value for box in self.fields.values()),
            fill=self._carry_situation,
        )

    def _carry_situation(self, text: str) -> None:
        """Start 'Which conversation' from the one the learner described in lesson 00 (editable)."""
        limit = next(field.limit for field in PLAN_FIELDS if field.key == "conversation")
        self.fields["conversation"].value = shortened(text, limit)
        self.carried_note.value = (
            '<p style="line-height:1.5" class="ck-plan-carried">"Which conversation" starts from the one you '
            "described in lesson 00, from your journal. Change it as you like.</p>"
        )

    def _show_plan(self, data: dict) -> bool:
        for key, box in self.fields.items():
            if isinstance(data.get(key), str):
                box.value = data[key]
        return True

    def _empty(self) -> None:
        for box in self.fields.values():
            box.value = ""
        self.verdict.value = ""
        self.carried_note.value = ""

    def _on_check(self, _button=None) -> None:
        try:
            question = clean_text(self.model.first_question, limit=300, label="Your first question")
            self.verdict.value = verdict_html(classify_question(question))
        except TextInputError as exc:
            self.verdict.value = status_html(str(exc), "error")
        except Exception:
            log.exception("checking the first question failed")
            self.verdict.value = status_html(
                "Something went wrong while checking; please try again.", "error"
            )

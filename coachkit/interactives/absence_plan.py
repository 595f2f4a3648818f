"""Work that runs while you are away: which decisions others take in your absence, saved to the journal."""

from __future__ import annotations

import logging

import ipywidgets as widgets
import traitlets

from coachkit.forms import ui
from coachkit.forms.textinput import TextField, clean_text
from coachkit.journal.model import Journal, JournalError
from coachkit.journal.widgets import JournalDraft, JournalForm, journal_bridge, session_journal

log = logging.getLogger(__name__)

LESSON = "05-sigh-of-relief"
KIND = "absence-plan"
ROWS = 3  # decisions in a plan: the first is required, the others optional
UNEXPECTED = (
    "Something went wrong and nothing was saved. What you wrote is still in the form; please try again."
)


ABSENCE_FIELD = TextField(
    "away", "When you will be away", "e.g. two weeks in August, or every Friday afternoon", 200
)
DECISION_FIELDS = (
    TextField("decision", "A decision they can take", "e.g. approving refunds up to 200 euros", 300),
    TextField("who", "Who takes it", "A first name or initials, e.g. Kofi", 80),
    TextField(
        "needs_to_know",
        "What they need to know",
        "e.g. the refund policy, and which customers to call back first",
        500,
    ),
    TextField(
        "coach_first",
        "What you will coach them on first",
        "e.g. how to judge a refund past the 30-day limit: What would you weigh up?",
        500,
    ),
)
STILL_REACH_FIELD = TextField(
    "still_reach_me",
    "What must still reach you, and how",
    "Optional, e.g. a safety incident: call me; everything else waits for Monday",
    300,
)


def row_label(index: int, field: TextField) -> str:
    return (
        f"Decision {index + 1}: {field.label.lower()}" if field.key != "decision" else f"Decision {index + 1}"
    )


class AbsenceDraft(JournalDraft):
    """An absence-readiness plan in progress: when you are away, up to three decisions with who takes each,
    what they need to know and what you will coach them on first; saved as 'absence-plan'."""

    away = traitlets.Unicode("")
    still_reach_me = traitlets.Unicode("")
    rows = traitlets.List(help="One dict per decision: decision, who, needs_to_know, coach_first (text).")

    def __init__(self, journal: Journal, **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal
        self.rows = [{field.key: "" for field in DECISION_FIELDS} for _ in range(ROWS)]

    def set(self, index: int, key: str, value: str) -> None:
        rows = [dict(row) for row in self.rows]
        rows[index][key] = value
        self.rows = rows

    def cleaned(self) -> dict:
        """The plan tidied and checked; raises TextInputError naming the first field that is wrong.

        A decision row counts once anything in it is written, and then needs all four parts; the first row
        is always needed, because a plan with no decision in it is no plan."""
        plan = {
            ABSENCE_FIELD.key: clean_text(self.away, limit=ABSENCE_FIELD.limit, label=ABSENCE_FIELD.label),
            STILL_REACH_FIELD.key: clean_text(
                self.still_reach_me,
                limit=STILL_REACH_FIELD.limit,
                required=False,
                label=STILL_REACH_FIELD.label,
            ),
        }
        decisions = []
        for index, row in enumerate(self.rows):
            started = any(str(row.get(field.key, "")).strip() for field in DECISION_FIELDS)
            if index > 0 and not started:
                continue
            decisions.append(
                {
                    field.key: clean_text(
                        row.get(field.key, ""), limit=field.limit, label=row_label(index, field)
                    )
                    for field in DECISION_FIELDS
                }
            )
        plan["decisions"] = decisions
        return plan

    def keep(self, plan: dict) -> dict | None:
        try:
            entry = self.journal.add(KIND, LESSON, plan)
        except JournalError as exc:
            return self.refuse(exc)
        people = sorted({decision["who"] for decision in plan["decisions"]})
        count = len(plan["decisions"])
        self.ok = True
        self.message = (
            f"Your absence plan is saved in your journal: {count} decision{'s' if count != 1 else ''} that "
            f"can be taken without you, by {', '.join(people)}. Hold the coaching conversations before you "
            "go, and ask when you are back what came up and what they decided."
        )
        return entry


class AbsencePlan(JournalForm, ui.VBox):
    """Plan for your next absence: which decisions others take without you, who, what they need to know and
    what you will coach them on first; saved to the journal."""

    def __init__(self, journal: Journal | None = None) -> None:
        self.journal = journal if journal is not None else session_journal()
        self.model = AbsenceDraft(self.journal)
        self.away = ui.field_box(ABSENCE_FIELD, "18em", multiline=False)
        widgets.link((self.away, "value"), (self.model, "away"))
        self.rows: list[dict[str, widgets.Widget]] = []
        row_widgets = []
        for index in range(ROWS):
            boxes = {}
            heading = "Decision 1" if index == 0 else f"Decision {index + 1} (optional)"
            row_widgets.append(ui.HTML(f'<p class="ck-absence-row"><strong>{heading}</strong></p>'))
            for field in DECISION_FIELDS:
                placeholder = field.placeholder if index == 0 else ""
                box = ui.field_box(field, "18em", multiline=field.limit > 300, placeholder=placeholder)
                box.observe(
                    lambda change, index=index, key=field.key: self.model.set(index, key, change["new"]),
                    names="value",
                )
                boxes[field.key] = box
                row_widgets.append(box)
            self.rows.append(boxes)
        self.still_reach_me = ui.field_box(STILL_REACH_FIELD, "18em", multiline=False)
        widgets.link((self.still_reach_me, "value"), (self.model, "still_reach_me"))
        self.add_saving("Save my absence plan", "saving the absence plan", UNEXPECTED)
        super().__init__(
            [
                self.away,
                *row_widgets,
                self.still_reach_me,
                self.save_button,
                self.status,
                *journal_bridge(self.journal),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-absence-plan")
        self.saver.restore_last_saved(
            KIND,
            None,
            is_empty=lambda: (
                not self.away.value and not any(b.value for row in self.rows for b in row.values())
            ),
            fill=self._fill,
            message="Your last saved absence plan is shown; change it and save again.",
        )

    def _fill(self, data: dict) -> bool:
        if isinstance(data.get(ABSENCE_FIELD.key), str):
            self.away.value = data[ABSENCE_FIELD.key]
        if isinstance(data.get(STILL_REACH_FIELD.key), str):
            self.still_reach_me.value = data[STILL_REACH_FIELD.key]
        decisions = data.get("decisions") if isinstance(data.get("decisions"), list) else []
        for boxes, decision in zip(self.rows, decisions, strict=False):
            if isinstance(decision, dict):
                for key, box in boxes.items():
                    if isinstance(decision.get(key), str):
                        box.value = decision[key]
        return True

    def _empty(self) -> None:
        self.away.value = ""
        self.still_reach_me.value = ""
        for boxes in self.rows:
            for box in boxes.values():
                box.value = ""

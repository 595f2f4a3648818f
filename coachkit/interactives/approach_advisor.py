"""The approach advisor: is this a coaching moment at all, and if it is, tell, guide, coach or delegate?"""

from __future__ import annotations

import logging

import ipywidgets as widgets
import traitlets

from coachkit.classifiers.approach_rules import (
    APPROACHES,
    LEVELS,
    Suggestion,
    case_ids,
    mention_sentence,
    not_coaching_case,
    not_coaching_cases,
    suggest_approach,
    suggest_for,
)
from coachkit.forms import ui
from coachkit.forms.rangeinput import LabelledSlider
from coachkit.forms.textinput import TextInputError, as_html_text, clean_text

__all__ = [
    "APPROACHES",
    "ApproachAdvisor",
    "ApproachChoice",
    "Suggestion",
    "suggest_approach",
    "suggestion_html",
]

log = logging.getLogger(__name__)

LESSON = "01-coaching-or-telling"
SITUATION_LIMIT = 500
WANTS_TO_THINK = "They brought this to you and want to think it through"
VALUE_WORDS = {
    "skill": {1: "very low (never done it)", 5: "very high (does it better than you)"},
    "will": {1: "very low (does not want to)", 5: "very high (keen)"},
    "urgency": {
        3: "middling (this week)",
        4: "high (in the next few days)",
        5: "very high (now, within hours)",
    },
    "stakes": {1: "very low (a typo)", 5: "very high (a key customer, a lot of money)"},
}


class ApproachChoice(traitlets.HasTraits):
    """One situation: the not-coaching cases ticked, the four judgements, the description, and saving."""

    flags = traitlets.Set(traitlets.Unicode(), help="The 'not a coaching moment' cases ticked, by id.")
    wants_to_think = traitlets.Bool(False, help="They brought it to you and want to think it through.")
    skill = traitlets.Int(2, help="Skill at this task, 1 (very low) to 5 (very high).")
    will = traitlets.Int(4, help="Will (motivation, confidence) for this task, 1 to 5.")
    urgency = traitlets.Int(2, help="How urgent it is, 1 to 5 (5: now, within hours).")
    stakes = traitlets.Int(3, help="What is at stake if it goes wrong, 1 to 5.")
    situation = traitlets.Unicode("", help="The learner's description, scanned for red-flag words.")
    message = traitlets.Unicode("", help="What happened on the last save.")
    ok = traitlets.Bool(True, help="False when the last save failed.")

    def __init__(self, journal=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal

    @traitlets.validate("flags")
    def _known_flags(self, proposal):
        unknown = set(proposal["value"]) - set(case_ids())
        if unknown:
            raise traitlets.TraitError(f"unknown flags {sorted(unknown)}; known: {', '.join(case_ids())}")
        return proposal["value"]

    def suggestion(self) -> Suggestion:
        return suggest_for(self, self.situation)

    def save(self, situation: str | None = None) -> dict | None:
        """Save the situation, what was ticked and found, and the outcome as an 'approach' entry.

        Returns the entry, or None with ``message`` saying why nothing was saved.
        """
        if situation is not None:
            self.situation = situation
        if self.journal is None:
            self.ok, self.message = False, "There is no journal here, so nothing can be saved."
            return None
        try:
            text = clean_text(self.situation, limit=SITUATION_LIMIT, required=False, label="The situation")
            suggestion = self.suggestion()
            ordered_flags = [case_id for case_id in case_ids() if case_id in self.flags]
            entry = self.journal.add(
                "approach",
                LESSON,
                {
                    "situation": text,
                    "not_a_coaching_moment": [not_coaching_case(f).checkbox for f in ordered_flags],
                    "found_in_description": [
                        f"{words} ({case_id})" for case_id, words in suggestion.mentions
                    ],
                    "brought_to_think_it_through": self.wants_to_think,
                    "skill": self.skill,
                    "will": self.will,
                    "urgency": self.urgency,
                    "stakes": self.stakes,
                    "outcome": suggestion.approach,
                    "what_to_do": suggestion.do,
                    "who_to_involve": suggestion.involve,
                    "watch_out": suggestion.watch_out,
                },
            )
        except (TextInputError, ValueError) as exc:  # JournalError is a ValueError too
            self.ok, self.message = False, str(exc)
            return None
        if entry is None:
            self.ok, self.message = False, "The journal did not accept this entry; nothing was saved."
            return None
        self.ok, self.message = True, f"Saved to your journal: {suggestion.approach}."
        return entry


def _level_slider(name: str, description: str, value: int) -> LabelledSlider:
    words = {number: VALUE_WORDS[name].get(number, word) for number, word in LEVELS.items()}
    return LabelledSlider(
        description, value, 1, 5, value_labels=[f"{number} - {word}" for number, word in words.items()]
    )


def suggestion_html(suggestion: Suggestion) -> str:
    """The suggestion as the learner reads it; every text is escaped."""

    def para(label: str, text: str) -> str:
        return f"<p><strong>{label}</strong> {as_html_text(text)}</p>" if text else ""

    mentions = [mention_sentence(words) for _case, words in suggestion.mentions]
    why = suggestion.why
    for sentence in mentions:  # shown first, under the heading, not again in "Why"
        why = why.replace(sentence + " ", "")
    noticed = "".join(f"<p><strong>{as_html_text(sentence)}</strong></p>" for sentence in mentions)
    said = "".join(f"<li>\u201c{as_html_text(sentence)}\u201d</li>" for sentence in suggestion.say)
    if suggestion.coaching_moment:
        heading = f"Suggested approach: {as_html_text(suggestion.approach)}"
        tone = "ck-suggestion--approach"
    else:
        heading = as_html_text(suggestion.approach)
        tone = "ck-suggestion--not-coaching"
    return (
        f'<div style="line-height:1.5" class="ck-suggestion {tone}" role="status" aria-live="polite">'
        f"<p><strong>{heading}</strong></p>"
        + noticed
        + para("What to do:", suggestion.do)
        + para("Who to involve:", suggestion.involve)
        + (f"<p><strong>What you could say:</strong></p><ul>{said}</ul>" if said else "")
        + para("Why:", why)
        + para("Watch out:", suggestion.watch_out)
        + "</div>"
    )


class ApproachAdvisor(ui.VBox):
    """First: is this a coaching moment at all? Then skill, will, urgency and stakes suggest an approach."""

    def __init__(self, journal=None) -> None:
        self.model = ApproachChoice(journal=journal)
        self.journal = journal
        self._callbacks: list = []
        self.situation = ui.Textarea(
            description="The situation",
            placeholder="Optional: a sentence or two, e.g. Sven, first expense claim, due today",
            rows=4,
            continuous_update=False,
            style={"description_width": "initial"},
            # as wide as the advice under it, so a few sentences fit without scrolling in the box
            layout=ui.layout(width="100%", max_width="48em"),
        )
        self.checkboxes = {
            case.id: ui.Checkbox(
                value=False, description=case.checkbox, indent=False, layout=ui.layout(width="100%")
            )
            for case in not_coaching_cases()
        }
        self.wants_to_think = ui.Checkbox(
            value=False, description=WANTS_TO_THINK, indent=False, layout=ui.layout(width="100%")
        )
        self.sliders = {
            "skill": _level_slider("skill", "Their skill at this task", self.model.skill),
            "will": _level_slider("will", "Their will (motivation)", self.model.will),
            "urgency": _level_slider("urgency", "How urgent it is", self.model.urgency),
            "stakes": _level_slider("stakes", "What is at stake", self.model.stakes),
        }
        for name, slider in self.sliders.items():
            widgets.dlink((slider, "value"), (self.model, name), transform=lambda value: int(round(value)))
        for checkbox in self.checkboxes.values():
            checkbox.observe(self._on_flag, names="value")
        widgets.dlink((self.wants_to_think, "value"), (self.model, "wants_to_think"))
        widgets.dlink((self.situation, "value"), (self.model, "situation"))
        self.result = ui.HTML("")
        self.model.observe(
            self._show, names=["flags", "wants_to_think", "skill", "will", "urgency", "stakes", "situation"]
        )
        children = [
            self.situation,
            ui.HTML(
                "<p><strong>1. Is this a coaching moment at all?</strong> Tick any that fit. If one does, "
                "the sliders below do not decide what you do.</p>"
            ),
            *self.checkboxes.values(),
            ui.HTML("<p><strong>2. If it is: the person and the task</strong></p>"),
            self.wants_to_think,
            *self.sliders.values(),
            self.result,
        ]
        self.save_button = ui.Button(description="Save to my journal", button_style="primary")
        self.save_button.on_click(self._on_save)
        self.status = ui.HTML("")
        if journal is not None:
            from coachkit.journal.widgets import journal_bridge

            children += [self.save_button, self.status, *journal_bridge(journal)]
        super().__init__(children, layout=ui.layout(width="100%"))
        self.add_class("ck-approach-advisor")
        self._show()

    @property
    def suggestion(self) -> Suggestion:
        return self.model.suggestion()

    def on_submit(self, callback) -> None:
        """Call ``callback(entry)`` after each save to the journal."""
        if not callable(callback):
            raise TypeError("on_submit needs a function, for example on_submit(lambda entry: ...)")
        self._callbacks.append(callback)

    def clear(self) -> None:
        """Empty the description, untick every box and clear the status line (the sliders stay)."""
        self.situation.value = ""
        for checkbox in (*self.checkboxes.values(), self.wants_to_think):
            checkbox.value = False
        self.status.value = ""

    def _on_flag(self, _change=None) -> None:
        self.model.flags = {case_id for case_id, box in self.checkboxes.items() if box.value}

    def _show(self, _change=None) -> None:
        try:
            self.result.value = suggestion_html(self.model.suggestion())
        except Exception:  # Voila shows no tracebacks
            log.exception("the approach advisor failed")
            self.result.value = (
                "<p style='line-height:1.5' class='ck-status ck-status--error'>Something went wrong; please "
                "move a slider.</p>"
            )

    def _on_save(self, _button=None) -> None:
        try:
            entry = self.model.save(self.situation.value)
            tone = "ok" if self.model.ok else "error"
            if entry is not None and hasattr(self.model.journal, "when_stored"):
                from coachkit.journal.widgets import report_save

                report_save(self.model.journal, self.status, entry, self.model.message)
            else:
                message = as_html_text(self.model.message)
                attributes = f'style="line-height:1.5" class="ck-status ck-status--{tone}" role="status"'
                self.status.value = f"<p {attributes}>{message}</p>"
            if entry is not None:
                for callback in self._callbacks:
                    callback(entry)
        except Exception:
            log.exception("saving the approach failed")
            self.status.value = (
                "<p style='line-height:1.5' class='ck-status ck-status--error' role='status'>"
                "Something went wrong; nothing was saved.</p>"
            )

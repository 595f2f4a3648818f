"""Suggests whether to direct, guide, excite, delegate or tell, from skill, will, urgency and stakes."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import ipywidgets as widgets
import traitlets

from coachkit import ui
from coachkit.rangeinput import LabelledSlider
from coachkit.textinput import TextInputError, as_html_text, clean_text

log = logging.getLogger(__name__)

LESSON = "01-coaching-or-telling"
LEVELS = {1: "very low", 2: "low", 3: "middling", 4: "high", 5: "very high"}
SITUATION_LIMIT = 500

EVIDENCE_MATRIX = (
    "Evidence: practitioner's rule of thumb. The skill/will matrix comes from Max Landsberg's book The Tao "
    "of "
    "Coaching (1996) and the push-pull spectrum from Myles Downey's Effective Coaching (1999); both are "
    "drawn "
    "from coaching experience, not tested in studies."
)
EVIDENCE_CRISIS = (
    "Evidence: study, reported second-hand. Goleman (2000, Harvard Business Review) reported from survey "
    "data on leaders that a commanding, directive style works best in a crisis and harms the climate when "
    "used otherwise; Whitmore's point that someone who is 'asleep' needs a wake-up call before questions is "
    "a practitioner's view."
)

# Landsberg's four quadrants, with where each sits on Downey's spectrum from push (telling) to pull (asking)
QUADRANTS = {
    ("low", "low"): (
        "Direct",
        "give clear instructions, explain why the task matters, and check often",
        "mostly push: instructing and advising",
    ),
    ("low", "high"): (
        "Guide",
        "explain and show how, then let them try, and coach as they go by asking what they would try first",
        "push and pull mixed: suggesting and guiding, then asking",
    ),
    ("high", "low"): (
        "Excite",
        "find out what is sapping their motivation, and coach towards what would make the task worth doing "
        "for them",
        "mostly pull: listening and open questions about what matters to them",
    ),
    ("high", "high"): (
        "Delegate",
        "hand it over, agree the outcome and when you will hear how it went, and coach only when they ask or "
        "want to stretch",
        "pull: listening, open questions, then stepping back",
    ),
}
WATCH_OUT = {
    "Direct": "Telling is quick, but the person learns little from it. Ask them to play back what they will "
    "do, and move towards Guide as their skill grows, or they will keep coming back to you.",
    "Guide": "Guiding slides easily into doing it for them. Ask what they would try before you show, and let "
    "them make small mistakes on a safe task.",
    "Excite": "Low will usually has a reason (workload, boredom, something at home, a clash with you). "
    "Listen before you push; a pep talk without listening rarely works.",
    "Delegate": "Delegating is not disappearing: agree when you will hear how it went. And resist coaching "
    "for its own sake: in a Gartner survey (2019), 'always-on' managers, who coach and give feedback "
    "constantly, lowered their teams' performance.",
    "Tell now, coach later": "Say why you are taking over, and once the fire is out hold a short coaching "
    "debrief ('What did we learn? What would you do next time?'), or people learn to wait for you in the "
    "next "
    "crisis too.",
}


@dataclass(frozen=True)
class Suggestion:
    """An approach, the reasoning behind it with its sources and their strength, and what to watch out for."""

    approach: str
    why: str
    watch_out: str
    spectrum: str = ""  # where the approach sits on Downey's push-pull spectrum


def _check_level(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError(f"{name} must be a whole number from 1 (very low) to 5 (very high), not {value!r}.")
    return value


def _band(value: int) -> str:
    return "low" if value <= 2 else "high" if value >= 4 else "middling"


def suggest_approach(skill: int, will: int, urgency: int, stakes: int) -> Suggestion:
    """Suggest an approach for one person on one task; each judgement is 1 (very low) to 5 (very high).

    Skill and will pick Landsberg's quadrant (a middling value counts as low, the side that gives more
    support, and is said to be in between). An emergency (urgency 5), or high urgency with high stakes,
    means telling now and coaching afterwards, even for an expert; high stakes on a task the person is still
    learning add checkpoints.
    """
    skill = _check_level("skill", skill)
    will = _check_level("will", will)
    urgency = _check_level("urgency", urgency)
    stakes = _check_level("stakes", stakes)

    if urgency == 5 or (urgency >= 4 and stakes >= 4):
        why = (
            f"Urgency is {LEVELS[urgency]} and the stakes are {LEVELS[stakes]}: this is a crisis, not a "
            "coaching moment. Decide, tell people clearly what to do, and coach afterwards, when there is "
            "time "
            "to learn from it."
        )
        if skill >= 4 and will >= 4:
            why += " This person is skilled and willing, so say what must happen and let them choose how."
        return Suggestion(
            "Tell now, coach later",
            f"{why} {EVIDENCE_CRISIS}",
            WATCH_OUT["Tell now, coach later"],
            "push: telling",
        )

    skill_band, will_band = _band(skill), _band(will)
    key = ("high" if skill_band == "high" else "low", "high" if will_band == "high" else "low")
    approach, advice, spectrum = QUADRANTS[key]
    notes = [
        f"Skill at this task is {LEVELS[skill]} and will is {LEVELS[will]}; Landsberg's skill/will matrix "
        f"calls this {approach}: {advice}."
    ]
    if skill_band == "middling" or will_band == "middling":
        notes.append(
            "One of your judgements is in the middle, so this sits between two quadrants; the suggestion "
            "leans "
            "to the side that gives the person more support. Remember Landsberg judges skill and will task "
            "by task, not once "
            "for the whole person."
        )
    if will == 1:
        notes.append(
            "Will is very low: John Whitmore argued that someone who is 'asleep' to a problem needs a "
            "wake-up "
            "call, an honest statement of what you see, before questions will help."
        )
    if stakes >= 4 and skill <= 3:
        notes.append(
            f"The stakes are {LEVELS[stakes]} on a task they are still learning: add checkpoints, or keep "
            "the "
            "final decision yourself for now."
        )
    elif stakes <= 2 and urgency <= 2 and approach in ("Direct", "Guide"):
        notes.append(
            "Little is at stake and there is no rush, which makes this a good task to learn on: lean towards "
            "asking rather than telling, and let them work it out."
        )
    elif urgency >= 4:
        notes.append(
            f"Urgency is {LEVELS[urgency]}: keep any coaching short (two or three questions), and agree when "
            "you will come back to it."
        )
    notes.append(f"On Downey's push-pull spectrum this is {spectrum}.")
    notes.append(EVIDENCE_MATRIX)
    return Suggestion(approach, " ".join(notes), WATCH_OUT[approach], spectrum)


class ApproachChoice(traitlets.HasTraits):
    """The four judgements about one situation, the suggestion they lead to, and saving it to a journal."""

    skill = traitlets.Int(2, help="Skill at this task, 1 (very low) to 5 (very high).")
    will = traitlets.Int(4, help="Will (motivation, confidence) for this task, 1 to 5.")
    urgency = traitlets.Int(2, help="How urgent it is, 1 to 5.")
    stakes = traitlets.Int(2, help="What is at stake if it goes wrong, 1 to 5.")
    message = traitlets.Unicode("", help="What happened on the last save.")
    ok = traitlets.Bool(True, help="False when the last save failed.")

    def __init__(self, journal=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal

    def suggestion(self) -> Suggestion:
        return suggest_approach(self.skill, self.will, self.urgency, self.stakes)

    def save(self, situation: str = "") -> dict | None:
        """Save the judgements and the suggestion as an 'approach' entry; None with a message if not saved."""
        if self.journal is None:
            self.ok, self.message = False, "There is no journal here, so nothing can be saved."
            return None
        try:
            text = clean_text(situation, limit=SITUATION_LIMIT, required=False, label="The situation")
            suggestion = self.suggestion()
            entry = self.journal.add(
                "approach",
                LESSON,
                {
                    "situation": text,
                    "skill": self.skill,
                    "will": self.will,
                    "urgency": self.urgency,
                    "stakes": self.stakes,
                    "approach": suggestion.approach,
                    "watch_out": suggestion.watch_out,
                },
            )
        except (TextInputError, ValueError) as exc:  # JournalError is a ValueError too
            self.ok, self.message = False, str(exc)
            return None
        self.ok, self.message = True, f"Saved to your journal: {suggestion.approach}."
        return entry


def _level_slider(description: str, value: int) -> LabelledSlider:
    return LabelledSlider(
        description, value, 1, 5, value_labels=[f"{number} - {word}" for number, word in LEVELS.items()]
    )


def suggestion_html(suggestion: Suggestion) -> str:
    return (
        '<div style="line-height:1.5" class="ck-suggestion" role="status" aria-live="polite">'
        f"<p><strong>Suggested approach: {as_html_text(suggestion.approach)}</strong></p>"
        f"<p><strong>Why:</strong> {as_html_text(suggestion.why)}</p>"
        f"<p><strong>Watch out:</strong> {as_html_text(suggestion.watch_out)}</p></div>"
    )


class ApproachAdvisor(ui.VBox):
    """Describe a situation by skill, will, urgency and stakes; get a suggested approach and the reasoning."""

    def __init__(self, journal=None) -> None:
        self.model = ApproachChoice(journal=journal)
        self.journal = journal
        self._callbacks: list = []
        self.sliders = {
            "skill": _level_slider("Their skill at this task", self.model.skill),
            "will": _level_slider("Their will (motivation)", self.model.will),
            "urgency": _level_slider("How urgent it is", self.model.urgency),
            "stakes": _level_slider("What is at stake", self.model.stakes),
        }
        for name, slider in self.sliders.items():
            widgets.dlink((slider, "value"), (self.model, name), transform=lambda value: int(round(value)))
        self.result = ui.HTML("")
        self.model.observe(self._show, names=["skill", "will", "urgency", "stakes"])
        children = [*self.sliders.values(), self.result]
        self.situation = ui.Textarea(
            description="The situation (optional)",
            placeholder="e.g. Sven, first expense claim, due today",
            rows=2,
            style={"description_width": "14em"},
            layout=ui.layout(width="100%", max_width="40em"),
        )
        self.save_button = ui.Button(description="Save to my journal")
        self.save_button.on_click(self._on_save)
        self.status = ui.HTML("")
        if journal is not None:
            from coachkit.journal.widgets import journal_bridge

            children += [self.situation, self.save_button, self.status, *journal_bridge(journal)]
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
        self.situation.value = ""
        self.status.value = ""

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
            self.status.value = (
                '<p style="line-height:1.5" '
                f'class="ck-status ck-status--{tone}" role="status">{as_html_text(self.model.message)}</p>'
            )
            if entry is not None:
                for callback in self._callbacks:
                    callback(entry)
        except Exception:
            log.exception("saving the approach failed")
            self.status.value = (
                "<p style='line-height:1.5' class='ck-status ck-status--error' role='status'>"
                "Something went wrong; nothing was saved.</p>"
            )

"""A self-check: match each claim about coaching to the strength of its evidence, with feedback on each."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import traitlets

from coachkit.forms import ui
from coachkit.forms.textinput import as_html_text
from coachkit.journal.model import Journal, JournalError
from coachkit.journal.widgets import journal_bridge, session_journal, status_html

log = logging.getLogger(__name__)

# The labels every lesson uses (lesson 00, "How sure is what you read here?")
LABELS = {
    "study": "Study",
    "survey": "Survey correlation",
    "rule": "Practitioner's rule of thumb or observation",
    "model": "Model, not data",
}
CHOOSE = ""


@dataclass(frozen=True)
class Claim:
    key: str
    text: str
    label: str  # a key of LABELS
    why: str  # the feedback, whichever answer was given


@dataclass(frozen=True)
class ClaimSet:
    key: str
    lesson: str
    claims: tuple[Claim, ...]


# Lesson 06: change 3 and the evidence behind it (coaching-facts.md sections 5 and 9)
CHANGE_3 = ClaimSet(
    "change-3",
    "06-staff-coach-others",
    (
        Claim(
            "relationships",
            "Managers who coach find that working relationships in and around their team improve.",
            "rule",
            "This is what managers told Mary Jo Asmus they observed: a practitioner's report, not a "
            "measurement.",
        ),
        Claim(
            "dominoes",
            "A leader's style tends to reappear one level down the reporting line (Bass and colleagues, "
            "1987).",
            "study",
            "A published study, of transformational leadership rather than coaching, measured at one point "
            "in time.",
        ),
        Claim(
            "surveys",
            "Organisations with a strong coaching culture report more highly engaged employees.",
            "survey",
            "HR professionals answered the HCI/ICF surveys; the two answers go together, which does not show "
            "that one causes the other.",
        ),
        Claim(
            "block",
            "In the cascade tool, one blocked manager near the top stops the spread for most of the "
            "organisation.",
            "model",
            "That follows from the assumptions the simulation uses, not from data about real organisations.",
        ),
        Claim(
            "faster",
            "Once coaching has spread, change happens faster and with less effort.",
            "rule",
            "Managers reported it to Asmus, and the cascade studies make it plausible, but no study has "
            "followed coaching spreading: plausible, not proven.",
        ),
    ),
)
CLAIM_SETS = {CHANGE_3.key: CHANGE_3}


def score(claims: tuple[Claim, ...], answers: dict[str, str]) -> tuple[int, list[str]]:
    """How many answers match the key, and the claims still unanswered (by key)."""
    for key, value in answers.items():
        if value not in LABELS and value != CHOOSE:
            raise ValueError(f"{value!r} is not an evidence label; the labels are {sorted(LABELS)}.")
        if key not in {claim.key for claim in claims}:
            raise ValueError(f"There is no claim {key!r} in this check.")
    right = sum(answers.get(claim.key) == claim.label for claim in claims)
    missing = [claim.key for claim in claims if answers.get(claim.key, CHOOSE) == CHOOSE]
    return right, missing


class EvidenceAnswers(traitlets.HasTraits):
    """The learner's label for each claim, and the result of the last check (saved as 'evidence-check')."""

    answers = traitlets.Dict(help="Claim key to a LABELS key.")
    message = traitlets.Unicode("")

    def __init__(self, claim_set: ClaimSet, journal: Journal, **kwargs) -> None:
        super().__init__(**kwargs)
        self.claim_set = claim_set
        self.journal = journal

    def check(self) -> tuple[int, list[str]]:
        right, missing = score(self.claim_set.claims, self.answers)
        if not missing:
            try:
                self.journal.add(
                    "evidence-check",
                    self.claim_set.lesson,
                    {"check": self.claim_set.key, "right": right, "of": len(self.claim_set.claims)},
                )
            except JournalError as exc:  # the feedback still shows; the bar reports the journal
                log.warning("the evidence check was not saved: %s", exc)
        return right, missing


def feedback_html(claim_set: ClaimSet, answers: dict[str, str]) -> str:
    """One line per claim: right or not, the label that fits, and why; escaped."""
    right, missing = score(claim_set.claims, answers)
    if missing:
        return status_html(
            f"Please choose a label for every claim first ({len(missing)} still to choose).", "warning"
        )
    items = []
    for claim in claim_set.claims:
        ok = answers.get(claim.key) == claim.label
        verdict = "Right" if ok else f"Not quite: {LABELS[claim.label].lower()}"
        items.append(
            f'<li class="ck-evidence-{"right" if ok else "wrong"}"><strong>{as_html_text(verdict)}.</strong> '
            f"<em>{as_html_text(claim.text)}</em> {as_html_text(claim.why)}</li>"
        )
    return (
        '<div style="line-height:1.5" class="ck-evidence-feedback" role="status" aria-live="polite">'
        f"<p>{right} of {len(claim_set.claims)} right.</p><ol>{''.join(items)}</ol></div>"
    )


class EvidenceLabelCheck(ui.VBox):
    """Choose the evidence label for each claim, then check: feedback on every answer."""

    def __init__(self, key: str = CHANGE_3.key, journal: Journal | None = None) -> None:
        if key not in CLAIM_SETS:
            raise ValueError(f"There is no evidence check {key!r}; there are {sorted(CLAIM_SETS)}.")
        self.journal = journal if journal is not None else session_journal()
        self.claim_set = CLAIM_SETS[key]
        self.model = EvidenceAnswers(self.claim_set, self.journal)
        self.dropdowns: dict[str, ui.Dropdown] = {}
        rows = []
        for number, claim in enumerate(self.claim_set.claims, start=1):
            rows.append(
                ui.HTML(
                    '<p style="line-height:1.5" class="ck-evidence-claim">'
                    f"{number}. {as_html_text(claim.text)}</p>"
                )
            )
            dropdown = ui.Dropdown(
                options=[("Choose a label", CHOOSE)] + [(title, value) for value, title in LABELS.items()],
                value=CHOOSE,
                description=f"Evidence for claim {number}",
                style={"description_width": "12em"},
                layout=ui.layout(width="100%", max_width="46em"),
            )
            dropdown.observe(lambda change, key=claim.key: self._on_choose(key, change["new"]), names="value")
            self.dropdowns[claim.key] = dropdown
            rows.append(dropdown)
        self.check_button = ui.Button(description="Check my labels", button_style="primary")
        self.check_button.on_click(self._on_check)
        self.feedback = ui.HTML("")
        super().__init__(
            [*rows, self.check_button, self.feedback, *journal_bridge(self.journal)],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-evidence-check")

    def _on_choose(self, key: str, value: str) -> None:
        self.model.answers = {**self.model.answers, key: value}

    def clear(self) -> None:
        for dropdown in self.dropdowns.values():
            dropdown.value = CHOOSE
        self.feedback.value = ""

    def _on_check(self, _button=None) -> None:
        try:
            self.model.check()
            self.feedback.value = feedback_html(self.claim_set, self.model.answers)
        except Exception:  # Voila shows no tracebacks
            log.exception("the evidence check failed")
            self.feedback.value = status_html("Something went wrong; please check again.", "error")

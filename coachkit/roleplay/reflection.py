"""A structured reflection after a role-play round, saved to the learner's journal."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import traitlets

from coachkit.forms import ui
from coachkit.forms.textinput import TextInputError, as_html_text, clean_text
from coachkit.journal.export import when
from coachkit.journal.model import Journal, JournalError, check_name
from coachkit.journal.widgets import (
    JournalDraft,
    SubmitCallbacks,
    journal_bridge,
    report_save,
    session_journal,
    status_html,
)

log = logging.getLogger(__name__)

STAGE_LIMIT = 20_000


@dataclass(frozen=True)
class Stage:
    key: str  # the field name in the journal entry
    title: str
    question: str


@dataclass(frozen=True)
class Framework:
    key: str
    title: str
    source: str
    stages: tuple[Stage, ...]


FRAMEWORKS = {
    "what-so-what-now-what": Framework(
        "what-so-what-now-what",
        "What? So what? Now what?",
        "Borton (1970), developed by Rolfe, Freshwater and Jasper (2001) and Driscoll (2007).",
        (
            Stage(
                "what",
                "What?",
                "What happened in the round? What did you say and do, and what did the others?",
            ),
            Stage(
                "so_what",
                "So what?",
                "What does it tell you about your coaching, or about being coached? What mattered most?",
            ),
            Stage(
                "now_what", "Now what?", "What will you do differently in your next coaching conversation?"
            ),
        ),
    ),
    "gibbs": Framework(
        "gibbs",
        "Gibbs' reflective cycle (six stages)",
        "Gibbs (1988).",
        (
            Stage("description", "Description", "What happened?"),
            Stage("feelings", "Feelings", "What were you thinking and feeling at the time?"),
            Stage("evaluation", "Evaluation", "What went well, and what did not?"),
            Stage(
                "analysis", "Analysis", "What sense can you make of it? What helped and what got in the way?"
            ),
            Stage("conclusion", "Conclusion", "What else could you have done?"),
            Stage("action_plan", "Action plan", "If it came up again, what would you do?"),
        ),
    ),
}
ROLES = ("coach", "coachee", "observer")


class Reflection(JournalDraft):
    """One reflection: the framework, the role played and the answers, saved as a 'reflection' entry."""

    framework = traitlets.Enum(
        tuple(FRAMEWORKS), default_value="what-so-what-now-what", help="Which framework."
    )
    role = traitlets.Unicode("", help="The role played in the round: coach, coachee or observer.")
    answers = traitlets.Dict(help="Stage key to the learner's text; kept when the framework changes.")

    def __init__(self, journal: Journal, lesson: str = "03-role-play", **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal
        self.lesson = check_name(lesson, "lesson")

    @property
    def stages(self) -> tuple[Stage, ...]:
        return FRAMEWORKS[self.framework].stages

    def set_answer(self, key: str, text: str) -> None:
        self.answers = {**self.answers, key: text}

    def entry_data(self) -> dict:
        """The entry to save, or raises TextInputError with a message for the learner."""
        if self.role not in ROLES:
            raise TextInputError("Please choose the role you played: coach, coachee or observer.")
        data = {"framework": FRAMEWORKS[self.framework].title, "role": self.role}
        for stage in self.stages:
            data[stage.key] = clean_text(
                self.answers.get(stage.key, ""), limit=STAGE_LIMIT, required=False, label=f"'{stage.title}'"
            )
        if not any(data[stage.key] for stage in self.stages):
            raise TextInputError("Your reflection is empty. Please write something in at least one box.")
        return data

    def save(self) -> dict | None:
        """Save to the journal; returns the entry, or None with ``message`` saying why (nothing is lost)."""
        try:
            entry = self.journal.add("reflection", self.lesson, self.entry_data())
        except (TextInputError, JournalError) as exc:
            return self.refuse(exc)
        self.ok, self.message = True, "Your reflection is saved in your journal."
        return entry

    def clear(self) -> None:
        self.role, self.answers, self.message, self.ok = "", {}, "", True

    def saved(self) -> list[dict]:
        """This lesson's saved reflections made with this form (not one-box prompts), oldest first."""
        return [
            entry
            for entry in self.journal.entries(kind="reflection", lesson=self.lesson)
            if "framework" in entry["data"] and "role" in entry["data"]
        ]


def _message(text: str, ok: bool) -> str:
    return status_html(text, "ok" if ok else "error")


class ReflectionForm(ui.VBox):
    """Choose a framework and your role, answer one box per stage, and save it to your journal."""

    def __init__(self, journal: Journal | None = None, lesson: str = "03-role-play") -> None:
        if journal is None:
            journal = session_journal()
        self.journal = journal
        self.model = Reflection(journal, lesson)
        self.submitted = SubmitCallbacks()
        self.framework_choice = ui.RadioButtons(
            options=[(framework.title, key) for key, framework in FRAMEWORKS.items()],
            value=self.model.framework,
            description="Framework",
            style={"description_width": "initial"},
        )
        self.role_choice = ui.RadioButtons(
            options=[(role.capitalize(), role) for role in ROLES],
            value=None,
            description="Role you played",
            style={"description_width": "initial"},
        )
        self.source = ui.HTML("")
        self.stage_boxes: dict[str, ui.Textarea] = {}
        self.stage_area = ui.VBox([])
        self.save_button = ui.Button(description="Save my reflection", button_style="primary")
        self.status = ui.HTML("")
        self.saved_list = ui.HTML("")
        self.framework_choice.observe(self._on_framework, names="value")
        self.role_choice.observe(self._on_role, names="value")
        self.save_button.on_click(self._on_save)
        super().__init__(
            [
                ui.HBox([self.framework_choice, self.role_choice], layout=ui.layout(flex_flow="row wrap")),
                self.source,
                self.stage_area,
                self.save_button,
                self.status,
                self.saved_list,
                *journal_bridge(journal),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-reflection-form")
        self._build_stages()
        journal.observe(self._refresh_saved, names="revision")
        self._refresh_saved()

    def on_submit(self, callback) -> None:
        """Call ``callback(entry)`` after each successful save."""
        self.submitted.add(callback)

    def clear(self) -> None:
        """Empty every box and the role (saved reflections stay in the journal)."""
        self.model.clear()
        self.role_choice.value = None
        for box in self.stage_boxes.values():
            box.value = ""
        self.status.value = ""

    def _build_stages(self) -> None:
        framework = FRAMEWORKS[self.model.framework]
        self.source.value = f'<p class="ck-source">Source: {as_html_text(framework.source)}</p>'
        children = []
        self.stage_boxes = {}
        for stage in framework.stages:
            box = ui.Textarea(
                value=self.model.answers.get(stage.key, ""),
                description=stage.title,
                tooltip=stage.question,
                placeholder=stage.question,
                rows=3,
                layout=ui.layout(width="auto"),
                style={"description_width": "8em"},
            )
            box.observe(
                lambda change, key=stage.key: self.model.set_answer(key, change["new"]), names="value"
            )
            self.stage_boxes[stage.key] = box
            question = ui.HTML(
                f'<p class="ck-stage-question"><strong>{as_html_text(stage.title)}</strong> '
                f"{as_html_text(stage.question)}</p>"
            )
            children += [question, box]
        self.stage_area.children = children

    def _refresh_saved(self, _change=None) -> None:
        try:
            saved = self.model.saved()
        except JournalError as exc:
            self.saved_list.value = _message(str(exc), False)
            return
        if not saved:
            self.saved_list.value = ""
            return
        items = []
        for entry in saved:
            data = entry["data"]
            first = next((str(v) for k, v in data.items() if k not in ("framework", "role") and v), "")
            if len(first) > 200:
                first = first[:200] + "..."
            items.append(
                f"<li>{as_html_text(when(entry['created']))}, as {as_html_text(str(data['role']))} "
                f"({as_html_text(str(data['framework']))}): {as_html_text(first)}</li>"
            )
        noun = "reflection" if len(saved) == 1 else "reflections"
        self.saved_list.value = (
            f'<div class="ck-journal-saved"><p>Saved in your journal: {len(saved)} {noun} for this '
            f"lesson.</p><ul>{''.join(items)}</ul></div>"
        )

    def _on_framework(self, change) -> None:
        self.model.framework = change["new"]
        self._build_stages()

    def _on_role(self, change) -> None:
        self.model.role = change["new"] or ""

    def _on_save(self, _button=None) -> None:
        try:
            entry = self.model.save()
            if entry is not None:
                report_save(
                    self.model.journal, self.status, entry, self.model.message, "Your text is still here."
                )
            else:
                self.status.value = _message(self.model.message, self.model.ok)
            self._refresh_saved()
            if entry is not None:
                self.submitted.tell(entry)
        except Exception:  # Voila shows no tracebacks: a sentence for the learner, details in the log
            log.exception("saving a reflection failed")
            self.status.value = _message(
                "Something went wrong and nothing was saved; your text is still here.", False
            )

"""Plans a GROW conversation for a chosen situation: the questions for each stage, checked and saved."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as widgets
import traitlets

from coachkit.classifiers.question_kinds import (
    QuestionVerdict,
    classify_question,
    verdict_item_html,
)
from coachkit.forms import ui
from coachkit.forms.textinput import TextInputError, as_html_text, clean_text
from coachkit.interactives.own_conversation import carry_situation, shortened
from coachkit.journal.model import Journal, JournalError
from coachkit.journal.widgets import JournalDraft, JournalForm, journal_bridge, session_journal, status_html
from coachkit.paths import assets_dir

log = logging.getLogger(__name__)

LESSON = "02-coaching-conversation"
BANK_FILE = "question-bank.json"
PLAN_STAGES = ("topic", "goal", "reality", "options", "will", "review")
# What the planner asks at a stage, where the bank's purpose alone does not say it to the planner's user
STAGE_PROMPTS = {
    "review": "What will you ask when you follow up? Plan the conversation after the conversation now: "
    "what happened, what the person learnt, and what comes next.",
}
STAGE_LIMIT = 1500  # characters of questions per stage
QUESTION_LIMIT = 300
OWN_SITUATION = "own"
OWN_LIMIT = 1000  # characters of the learner's own situation (lesson 00 carries it over)
UNEXPECTED = (
    "Something went wrong and nothing was saved. Your questions are still in the boxes; please try again."
)


@dataclass(frozen=True)
class Situation:
    """A situation to plan a conversation for: a short title and a few sentences about it."""

    key: str
    title: str
    description: str


# Used only when the role-play scenario cards (coachkit.roleplay.scenarios) are not installed
FALLBACK_SITUATIONS = (
    Situation(
        "missed-deadlines",
        "Missed deadlines",
        "Marta, your best analyst, has started missing deadlines on work she used to enjoy. Nobody has "
        "complained yet, but you have noticed.",
    ),
    Situation(
        "queue-at-your-desk",
        "The queue at your desk",
        "Kofi, in customer support, brings you every refund question, including ones he could answer "
        "himself. Today he asks about a customer who wants a refund after the 30-day limit.",
    ),
    Situation(
        "first-presentation",
        "A first big presentation",
        "Sam presents the team's plan to the leadership team next month, for the first time, and tells you "
        "they are nervous about it.",
    ),
)


def _situation_from_card(card) -> Situation:
    """A role-play card seen from the coach's side: who the person is and what the conversation is about."""
    role = card.coachee_role
    if role[:2].istitle():  # "Project architect" reads as "project architect" mid-sentence; "HR lead" stays
        role = role[0].lower() + role[1:]
    who = ", ".join(part for part in (card.coachee_name, role) if part)
    return Situation(card.id, card.title, f"{who}. {card.coach_situation}" if who else card.coach_situation)


def situations() -> list[Situation]:
    """The role-play scenario cards (assets/scenarios/) when that module is installed, otherwise three
    built-in situations."""
    try:
        from coachkit.roleplay.scenarios import load_scenarios
    except ImportError:
        return list(FALLBACK_SITUATIONS)
    try:
        return [_situation_from_card(card) for card in load_scenarios()] or list(FALLBACK_SITUATIONS)
    except Exception:  # a broken card file must not break the planner
        log.exception("the role-play scenario cards could not be read; using the built-in situations")
        return list(FALLBACK_SITUATIONS)


@lru_cache(maxsize=1)
def question_bank() -> dict:
    """assets/question-bank.json: the stages with their purpose and suggested questions, and the sources."""
    return json.loads((assets_dir() / BANK_FILE).read_text(encoding="utf-8"))


def bank_stages() -> list[dict]:
    """The stages the planner uses (Topic to Will, then Review for the follow-up), in order."""
    by_key = {stage["key"]: stage for stage in question_bank()["stages"]}
    return [by_key[key] for key in PLAN_STAGES]


def source_title(key: str) -> str:
    return question_bank()["sources"][key]["title"]


def split_questions(text: str) -> list[str]:
    """One question per line; blank lines and list markers ('-', '*', '1.') dropped."""
    questions = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-*\u2022]|\d+[.)])\s*", "", line).strip()
        if line:
            questions.append(line)
    return questions


class GrowPlan(JournalDraft):
    """A plan in progress: the situation, the questions per stage, checking and saving them as 'grow-plan'."""

    situation = traitlets.Unicode("", help="The key of the chosen situation, or 'own'.")
    own_situation = traitlets.Unicode("", help="The learner's own situation, in a few words.")
    topic = traitlets.Unicode("")
    goal = traitlets.Unicode("")
    reality = traitlets.Unicode("")
    options = traitlets.Unicode("")
    will = traitlets.Unicode("")
    review = traitlets.Unicode("", help="What you will ask when you follow up.")

    def __init__(self, journal: Journal, choices: list[Situation], **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal
        self.choices = {choice.key: choice for choice in choices}

    def questions(self) -> dict[str, list[str]]:
        """The questions per stage, each checked by clean_text; raises TextInputError naming the stage."""
        titles = {stage["key"]: stage["title"] for stage in bank_stages()}
        found = {}
        for key in PLAN_STAGES:
            text = clean_text(getattr(self, key), limit=STAGE_LIMIT, required=False, label=titles[key])
            found[key] = [
                clean_text(q, limit=QUESTION_LIMIT, label=f"A question for {titles[key]}")
                for q in split_questions(text)
            ]
        return found

    def check(self) -> dict[str, list[tuple[str, QuestionVerdict]]]:
        return {key: [(q, classify_question(q)) for q in qs] for key, qs in self.questions().items()}

    def situation_text(self) -> tuple[str, str]:
        if self.situation == OWN_SITUATION:
            return "My own situation", clean_text(self.own_situation, limit=OWN_LIMIT, label="Your situation")
        if self.situation not in self.choices:
            raise TextInputError("Please choose a situation first.")
        choice = self.choices[self.situation]
        return choice.title, choice.description

    def save(self) -> dict | None:
        try:
            title, description = self.situation_text()
            checked = self.check()
        except TextInputError as exc:
            return self.refuse(exc)
        empty = [stage["title"] for stage in bank_stages() if not checked[stage["key"]]]
        if empty:
            self.ok = False
            self.message = (
                f"Please add at least one question for every stage. Still empty: {', '.join(empty)}."
            )
            return None
        data = {
            "situation": title,
            "description": description,
            "stages": {key: [q for q, _ in pairs] for key, pairs in checked.items()},
            "kinds": {key: [v.kind for _, v in pairs] for key, pairs in checked.items()},
        }
        try:
            entry = self.journal.add("grow-plan", LESSON, data)
        except JournalError as exc:
            return self.refuse(exc)
        not_open = sum(v.kind != "open" for pairs in checked.values() for _, v in pairs)
        total = sum(len(pairs) for pairs in checked.values())
        self.ok = True
        self.message = "Your GROW plan is saved in your journal."
        if not_open:
            verb = "is" if not_open == 1 else "are"
            self.message += (
                f" {not_open} of your {total} questions {verb} not open; the notes below say why. Closed "
                "questions are fine in Will, to confirm a commitment."
            )
        return entry


def check_html(checked: dict[str, list[tuple[str, QuestionVerdict]]]) -> str:
    """Each question with its kind, and the suggested rewrite for those that are not open; escaped."""
    parts = []
    for stage in bank_stages():
        pairs = checked.get(stage["key"], [])
        if not pairs:
            continue
        items = [verdict_item_html(question, verdict) for question, verdict in pairs]
        parts.append(f"<p><strong>{as_html_text(stage['title'])}</strong></p><ul>{''.join(items)}</ul>")
    if not parts:
        return '<p style="line-height:1.5">There are no questions to check yet.</p>'
    return '<div style="line-height:1.5" class="ck-grow-check" role="status">' + "".join(parts) + "</div>"


class GrowPlanner(JournalForm, ui.VBox):
    """Choose a situation; pick or write your questions for Topic, Goal, Reality, Options, Will and the
    Review you will hold when you follow up; save."""

    def __init__(self, journal: Journal | None = None) -> None:
        self.journal = journal if journal is not None else session_journal()
        choices = situations()
        self.model = GrowPlan(self.journal, choices, situation=choices[0].key)
        self.situation = ui.Dropdown(
            options=[(c.title, c.key) for c in choices]
            + [("My own situation (describe it below)", OWN_SITUATION)],
            value=choices[0].key,
            description="Situation",
            style={"description_width": "10em"},
            layout=ui.layout(width="100%", max_width="44em"),
        )
        widgets.link((self.situation, "value"), (self.model, "situation"))
        self.situation_text = ui.HTML("")
        self.own_situation = ui.Textarea(
            description="Your situation",
            placeholder="Who, and what the conversation is about, in a few words",
            rows=4,  # room for the few sentences lesson 00 carries over, on a phone too
            style={"description_width": "10em"},
            layout=widgets.Layout(width="100%", max_width="44em", display="none"),
        )
        widgets.link((self.own_situation, "value"), (self.model, "own_situation"))
        self.carried_note = ui.HTML("")  # says where a situation carried over from lesson 00 came from
        self.situation.observe(lambda _change: self._show_situation(), names="value")

        self.suggestions: dict[str, ui.Dropdown] = {}
        self.add_buttons: dict[str, ui.Button] = {}
        self.boxes: dict[str, ui.Textarea] = {}
        self.sources: dict[str, ui.HTML] = {}
        stage_widgets = []
        for stage in bank_stages():
            key = stage["key"]
            prompt = STAGE_PROMPTS.get(key)
            asks = f'<p class="ck-grow-prompt"><strong>{as_html_text(prompt)}</strong></p>' if prompt else ""
            heading = ui.HTML(
                f'<div style="line-height:1.5"><h3 class="ck-grow-stage">{as_html_text(stage["title"])}</h3>'
                f"{asks}<p>{as_html_text(stage['purpose'])}</p></div>"
            )
            self.suggestions[key] = ui.Dropdown(
                options=[(q["text"], q["text"]) for q in stage["questions"]],
                description=f"Suggested for {stage['title']}",
                style={"description_width": "12em"},
                layout=ui.layout(width="100%", max_width="44em"),
            )
            self.sources[key] = ui.HTML("")
            self.suggestions[key].observe(lambda _change, key=key: self._show_source(key), names="value")
            self._show_source(key)
            self.add_buttons[key] = ui.Button(description=f"Add to my {stage['title']} questions")
            self.add_buttons[key].on_click(lambda _button, key=key: self._add_suggestion(key))
            self.boxes[key] = ui.Textarea(
                description=f"My {stage['title']} questions",
                placeholder="One question a line: pick one above or write your own",
                rows=3,
                style={"description_width": "12em"},
                layout=ui.layout(width="100%", max_width="44em"),
            )
            widgets.link((self.boxes[key], "value"), (self.model, key))
            stage_widgets += [
                heading,
                self.suggestions[key],
                self.sources[key],
                self.add_buttons[key],
                self.boxes[key],
            ]

        self.check_button = ui.Button(description="Check my questions")
        self.check_button.on_click(self._on_check)
        self.add_saving("Save my plan to my journal", "saving the GROW plan", UNEXPECTED)
        self.checked = ui.HTML("")
        # a saved plan shows its checked questions before anyone else hears of it
        self.saver.on_submit(lambda _entry: self._show_checked())
        sources = ui.HTML(
            '<p style="line-height:1.5" '
            'class="ck-evidence">The suggested questions come from practitioners\' books and guides on '
            "coaching (named under each suggestion). Evidence: practitioner's rule of thumb.</p>"
        )
        super().__init__(
            [
                self.situation,
                self.situation_text,
                self.own_situation,
                self.carried_note,
                *stage_widgets,
                ui.HBox([self.check_button, self.save_button], layout={"flex_flow": "row wrap"}),
                self.status,
                self.checked,
                sources,
                *journal_bridge(self.journal),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-grow-planner")
        self._show_situation()
        self.saver.restore_last_saved(
            "grow-plan",
            LESSON,
            is_empty=lambda: not any(box.value for box in self.boxes.values()),
            fill=self._show_plan,
            message="Your last saved plan is shown; change it and save again.",
        )
        first_choice = choices[0].key
        carry_situation(
            self.journal,
            can_fill=lambda: (
                not self.saver.restored
                and self.situation.value == first_choice
                and not self.own_situation.value
                and not any(box.value for box in self.boxes.values())
            ),
            fill=self._carry_situation,
        )

    def _carry_situation(self, text: str) -> None:
        """Start from the conversation the learner described in lesson 00 (editable like any other)."""
        self.own_situation.value = shortened(text, OWN_LIMIT)
        self.situation.value = OWN_SITUATION
        self.carried_note.value = (
            '<p style="line-height:1.5" class="ck-grow-carried">This is the conversation you described in '
            "lesson 00, from your journal. Change it as you like, or choose another situation above.</p>"
        )

    def _show_plan(self, data: dict) -> bool:
        by_title = {choice.title: key for key, choice in self.model.choices.items()}
        title = data.get("situation")
        if title in by_title:
            self.situation.value = by_title[title]
        elif isinstance(data.get("description"), str):
            self.situation.value = OWN_SITUATION
            self.own_situation.value = data["description"]
        stages = data.get("stages") if isinstance(data.get("stages"), dict) else {}
        for key, box in self.boxes.items():
            questions = stages.get(key)
            if isinstance(questions, list):
                box.value = "\n".join(q for q in questions if isinstance(q, str))
        return True

    def _empty(self) -> None:
        for box in self.boxes.values():
            box.value = ""
        self.own_situation.value = ""
        self.carried_note.value = ""
        self.checked.value = ""

    def _show_situation(self) -> None:
        own = self.situation.value == OWN_SITUATION
        self.own_situation.layout.display = "flex" if own else "none"
        if not own:
            self.carried_note.value = ""
        if own:
            self.situation_text.value = ""
            return
        choice = self.model.choices[self.situation.value]
        self.situation_text.value = (
            f'<p style="line-height:1.5" class="ck-grow-situation">{as_html_text(choice.description)}</p>'
        )

    def _show_source(self, key: str) -> None:
        stage = next(s for s in bank_stages() if s["key"] == key)
        chosen = next(q for q in stage["questions"] if q["text"] == self.suggestions[key].value)
        source = source_title(chosen["source"])
        self.sources[
            key
        ].value = f'<p style="line-height:1.5" class="ck-grow-source">Source: {as_html_text(source)}</p>'

    def _add_suggestion(self, key: str) -> None:
        question = self.suggestions[key].value
        box = self.boxes[key]
        if question in split_questions(box.value):
            return
        box.value = (box.value.rstrip("\n") + "\n" + question).lstrip("\n")

    def _on_check(self, _button=None) -> None:
        try:
            self.checked.value = check_html(self.model.check())
            self.status.value = ""
        except TextInputError as exc:
            self.status.value = status_html(str(exc), "error")
        except Exception:
            log.exception("checking the GROW plan failed")
            self.status.value = status_html("Something went wrong while checking; please try again.", "error")

    def _show_checked(self) -> None:
        self.checked.value = check_html(self.model.check())

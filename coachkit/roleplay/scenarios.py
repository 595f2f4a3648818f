"""Role-play scenario cards: kept as data in assets/scenarios/, checked on load, and shown to learners."""

from __future__ import annotations

import base64
import json
import logging
import random
import re
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets

from coachkit.forms import ui
from coachkit.forms.textinput import as_html_text
from coachkit.paths import assets_dir

log = logging.getLogger(__name__)

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FIELD_LIMIT = 2000  # characters; a card is read aloud in a minute, not a page
# (dotted path in the card, what it is for the author's error message)
REQUIRED_TEXT = (
    ("id", "the card's id"),
    ("title", "the title"),
    ("theme", "the theme (e.g. 'A performance slip')"),
    ("setting", "the setting (organisation and team)"),
    ("coachee.name", "the coachee's name"),
    ("coachee.role", "the coachee's job"),
    ("coachee.brief", "what the coachee knows and feels"),
    ("coachee.holds_back", "what the coachee holds back"),
    ("coach.role", "the coach's job"),
    ("coach.situation", "the coach's situation"),
    ("coach.practise", "what the coach practises"),
    # a manager who coaches keeps line responsibility: every card says what to do if its private detail
    # comes out (step out of coaching, say what you would do as their manager, who you would involve)
    ("coach.if_sensitive", "what the coach does if something sensitive comes out"),
    ("observer_focus", "the observer's focus"),
)


class ScenarioError(ValueError):
    """A scenario card is missing or broken; the message names the file and the field."""


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    theme: str
    setting: str
    coachee_name: str
    coachee_role: str
    coachee_brief: str
    coachee_holds_back: str
    coach_role: str
    coach_situation: str
    coach_practise: str
    coach_if_sensitive: str
    observer_focus: str


def scenarios_dir() -> Path:
    return assets_dir() / "scenarios"


def parse_scenario(raw: object, source: str = "card") -> Scenario:
    """One card from its JSON data, or ScenarioError saying which field of ``source`` is wrong."""
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: a scenario card must be a JSON object, not {type(raw).__name__}.")
    values: dict[str, str] = {}
    for path, meaning in REQUIRED_TEXT:
        value: object = raw
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                raise ScenarioError(f"{source}: '{path}' ({meaning}) is missing.")
            value = value[part]
        if not isinstance(value, str) or not value.strip():
            raise ScenarioError(f"{source}: '{path}' ({meaning}) must be non-empty text.")
        if len(value) > FIELD_LIMIT:
            raise ScenarioError(f"{source}: '{path}' is {len(value)} characters; the limit is {FIELD_LIMIT}.")
        values[path.replace(".", "_")] = value.strip()
    if not ID_PATTERN.match(values["id"]):
        raise ScenarioError(
            f"{source}: id {values['id']!r} must be lower-case letters, digits and single hyphens."
        )
    return Scenario(**values)


def read_json_file(file: Path, error: type[ValueError] = ScenarioError) -> object:
    """One JSON data file (a scenario card, a practice script), or ``error`` naming the file and the fault."""
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{file.name}: cannot be read ({exc}).") from exc
    except json.JSONDecodeError as exc:
        raise error(f"{file.name}: not valid JSON (line {exc.lineno}: {exc.msg}).") from exc


def load_scenarios(folder: Path | None = None) -> list[Scenario]:
    """Every card in ``folder`` (default assets/scenarios/), sorted by title; ScenarioError if any is broken.

    One card per ``<id>.json`` file, so a card is easy to add, review and translate on its own.
    """
    folder = scenarios_dir() if folder is None else Path(folder)
    files = sorted(folder.glob("*.json"))
    if not files:
        raise ScenarioError(f"No scenario cards (*.json) found in {folder}.")
    cards: list[Scenario] = []
    seen: dict[str, str] = {}
    for file in files:
        card = parse_scenario(read_json_file(file), file.name)
        if card.id != file.stem:
            raise ScenarioError(f"{file.name}: id {card.id!r} must match the file name ({file.stem!r}).")
        if card.id in seen:
            raise ScenarioError(f"{file.name}: id {card.id!r} is already used by {seen[card.id]}.")
        seen[card.id] = file.name
        cards.append(card)
    return sorted(cards, key=lambda card: card.title.lower())


def _section(heading: str, rows: list[tuple[str, str]], level: int) -> str:
    body = "".join(
        f"<p><strong>{as_html_text(label)}</strong> {as_html_text(text)}</p>" for label, text in rows
    )
    return f"<section><h{level}>{as_html_text(heading)}</h{level}>{body}</section>"


def card_html(card: Scenario, level: int = 4) -> str:
    """What everyone may see: setting, coach's brief, observer's focus; ``level`` is the title's heading."""
    return (
        f'<div class="ck-scenario-card"><h{level}>{as_html_text(card.title)}</h{level}>'
        f'<p class="ck-scenario-theme">{as_html_text(card.theme)} &middot; {as_html_text(card.setting)}</p>'
        + _section(
            "For the coach",
            [
                ("You are:", card.coach_role),
                ("The situation:", card.coach_situation),
                ("Practise:", card.coach_practise),
                ("If something sensitive comes out:", card.coach_if_sensitive),
            ],
            level + 1,
        )
        + _section("For the observer", [("Watch for:", card.observer_focus)], level + 1)
        + "</div>"
    )


def coachee_html(card: Scenario, level: int = 5) -> str:
    """The coachee's private brief, only for the person playing the coachee; ``level``: its heading."""
    return (
        '<div class="ck-scenario-coachee">'
        + _section(
            f"For the coachee: you are {card.coachee_name}",
            [
                ("Your job:", card.coachee_role),
                ("What you know and feel:", card.coachee_brief),
                ("What you hold back (share it only if the coach earns it):", card.coachee_holds_back),
            ],
            level,
        )
        + "</div>"
    )


# small headings inside a lesson stay as large as the text around them
CARD_STYLE = (
    "<style>.ck-scenario-card h5,.ck-scenario-coachee h5{font-size:1.05em;margin:.8em 0 .2em}"
    ".ck-scenario-card p,.ck-scenario-coachee p{line-height:1.5;margin:.3em 0}"
    ".ck-scenario-theme{font-style:italic}</style>"
)

PRINT_CSS = """
body { font-family: system-ui, sans-serif; color: #111; max-width: 48em; margin: 1em auto; line-height: 1.4; }
.ck-print-card { break-after: page; page-break-after: always; }
.ck-print-card:last-child { break-after: auto; page-break-after: auto; }
.ck-cut { border: none; border-top: 2px dashed #555; margin: 1.5em 0; }
.ck-cut-note { font-size: 0.85em; color: #444; text-align: center; }
h3 { margin-bottom: 0.2em; } h4 { margin: 0.8em 0 0.2em; }
"""


def printable_cards_html(cards: list[Scenario] | None = None) -> str:
    """A page to print, one card per sheet: the coach's and observer's part above a cut line, the coachee's
    private brief below it, so the facilitator can hand each part to the right person."""
    cards = load_scenarios() if cards is None else cards
    sheets = "".join(
        f'<article class="ck-print-card">{card_html(card, 2)}'
        '<hr class="ck-cut"><p class="ck-cut-note">Cut here: the part below is for the coachee only.</p>'
        f"{coachee_html(card, 3)}</article>"
        for card in cards
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Role-play scenario cards</title>'
        f"<style>{PRINT_CSS}</style></head><body><h1>Role-play scenario cards</h1>{sheets}</body></html>"
    )


class ScenarioPicker(ui.VBox):
    """Choose a scenario card or draw one at random; the coachee's brief stays hidden until asked for."""

    def __init__(self, scenarios: list[Scenario] | None = None, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self.message = ui.HTML("")
        self.chooser = ui.Dropdown(
            options=[],
            value=None,
            description="Scenario",
            style={"description_width": "initial"},
            layout=ui.layout(width="40em", max_width="100%"),
        )
        self.draw_button = ui.Button(
            description="Draw one at random", tooltip="Pick a scenario card at random"
        )
        self.card = ui.HTML("")
        self.coachee_toggle = widgets.ToggleButton(
            value=False,
            description="Show the coachee's brief",
            tooltip="Only the person playing the coachee should read this",
            layout=ui.layout(width="auto"),  # as wide as its label (ipywidgets' 148 px cut it)
        )
        self.coachee_brief = ui.HTML("")
        self.print_button = ui.Button(
            description="Printable cards", tooltip="Make a page with every card to print, one per sheet"
        )
        self.print_link = ui.HTML("")
        self.scenarios: list[Scenario] = []
        try:
            self.scenarios = load_scenarios() if scenarios is None else list(scenarios)
        except ScenarioError as exc:
            log.exception("scenario cards could not be loaded")
            self.message.value = (
                '<p class="ck-status ck-status--error" role="status">The scenario cards could not be '
                f"loaded: {as_html_text(str(exc))}</p>"
            )
        self.chooser.options = [(f"{card.theme}: {card.title}", card.id) for card in self.scenarios]
        self.chooser.value = None
        self.chooser.observe(self._on_choose, names="value")
        self.draw_button.on_click(self._on_draw)
        self.coachee_toggle.observe(self._on_toggle, names="value")
        self.print_button.on_click(self._on_print)
        self.draw_button.disabled = self.print_button.disabled = not self.scenarios
        super().__init__(
            [
                self.message,
                ui.HBox([self.chooser, self.draw_button], layout=ui.layout(flex_flow="row wrap")),
                self.card,
                ui.HBox([self.coachee_toggle]),
                self.coachee_brief,
                ui.HBox([self.print_button, self.print_link], layout=ui.layout(flex_flow="row wrap")),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-scenario-picker")
        self._show()

    @property
    def selected(self) -> Scenario | None:
        return next((card for card in self.scenarios if card.id == self.chooser.value), None)

    def draw(self) -> Scenario | None:
        """Pick a card at random (a different one from the current card when there is a choice)."""
        if not self.scenarios:
            return None
        others = [card for card in self.scenarios if card.id != self.chooser.value] or self.scenarios
        card = self._random.choice(others)
        self.chooser.value = card.id
        return card

    def clear(self) -> None:
        """No card chosen, coachee brief hidden."""
        self.chooser.value = None
        self.coachee_toggle.value = False

    def _on_choose(self, _change=None) -> None:
        # a new card starts with its private brief hidden, so the coach does not see it by accident
        self.coachee_toggle.value = False
        self._show()

    def _on_draw(self, _button=None) -> None:
        try:
            self.draw()
        except Exception:  # Voila shows no tracebacks
            log.exception("drawing a scenario failed")
            self.message.value = '<p class="ck-status ck-status--error">Something went wrong; try again.</p>'

    def _on_print(self, _button=None) -> None:
        try:
            payload = base64.b64encode(printable_cards_html(self.scenarios).encode("utf-8")).decode("ascii")
        except Exception:  # Voila shows no tracebacks
            log.exception("making printable cards failed")
            self.print_link.value = (
                '<p class="ck-status ck-status--error">Something went wrong; try again.</p>'
            )
            return
        # a link that carries the page in itself works in JupyterLab and Voila without a server route
        self.print_link.value = (
            '<a class="ck-download" download="scenario-cards.html" '
            f'href="data:text/html;charset=utf-8;base64,{payload}">Download the cards to print '
            f"({len(self.scenarios)} cards, one per sheet)</a>"
        )

    def _on_toggle(self, change) -> None:
        self.coachee_toggle.description = (
            "Hide the coachee's brief" if change["new"] else "Show the coachee's brief"
        )
        self._show()

    def _show(self) -> None:
        card = self.selected
        self.coachee_toggle.disabled = card is None
        if card is None:
            self.card.value = (
                "<p>Choose a scenario from the list, or draw one at random.</p>" if self.scenarios else ""
            )
            self.coachee_brief.value = ""
            return
        self.card.value = CARD_STYLE + card_html(card)
        self.coachee_brief.value = CARD_STYLE + coachee_html(card) if self.coachee_toggle.value else ""

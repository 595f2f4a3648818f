"""The self-check 'Choose the best opening contract': situations, openings and feedback kept as data."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import traitlets

from coachkit.forms import ui
from coachkit.forms.textinput import as_html_text
from coachkit.journal.model import Journal, JournalError, check_name
from coachkit.journal.widgets import journal_bridge, status_html
from coachkit.paths import assets_dir

log = logging.getLogger(__name__)

DATA_FILE = "opening-contracts.json"
LESSON = "02-coaching-conversation"
CHECK_NAME = "opening-contract"  # saved in the journal entry, so it is told apart from other self-checks
NOT_CHOSEN = ""


class ContractingDataError(ValueError):
    """assets/opening-contracts.json is missing or broken; the message says what is wrong."""


@dataclass(frozen=True)
class Opening:
    letter: str
    text: str
    feedback: str


@dataclass(frozen=True)
class Situation:
    key: str
    situation: str
    openings: tuple[Opening, ...]
    best: str


@dataclass(frozen=True)
class Result:
    key: str
    chosen: str  # NOT_CHOSEN when nothing was picked
    correct: bool
    message: str


def parse_situations(raw: object) -> tuple[Situation, ...]:
    """The situations from their JSON, or ContractingDataError naming the situation that is broken."""
    items = raw.get("situations") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise ContractingDataError(f"{DATA_FILE} must hold a list of 'situations'.")
    situations = []
    for number, item in enumerate(items, start=1):
        where = f"{DATA_FILE}: situation {number}"
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item[k].strip() for k in ("key", "situation", "best")
        ):
            raise ContractingDataError(f"{where} needs a key, the situation and the best letter.")
        openings = []
        for opening in item.get("options") or []:
            if not isinstance(opening, dict) or not all(
                isinstance(opening.get(k), str) and opening[k].strip() for k in ("letter", "text", "feedback")
            ):
                raise ContractingDataError(f"{where}: every option needs a letter, its text and feedback.")
            openings.append(Opening(opening["letter"], opening["text"], opening["feedback"]))
        letters = [opening.letter for opening in openings]
        if len(openings) < 2 or len(set(letters)) != len(letters):
            raise ContractingDataError(f"{where}: needs at least two options with different letters.")
        if item["best"] not in letters:
            raise ContractingDataError(f"{where}: the best letter {item['best']!r} is not one of {letters}.")
        situations.append(Situation(item["key"], item["situation"], tuple(openings), item["best"]))
    if len({s.key for s in situations}) != len(situations):
        raise ContractingDataError(f"{DATA_FILE}: two situations share a key.")
    return tuple(situations)


@lru_cache(maxsize=1)
def opening_situations() -> tuple[Situation, ...]:
    """assets/opening-contracts.json, read once."""
    try:
        raw = json.loads((assets_dir() / DATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContractingDataError(f"{DATA_FILE} cannot be read ({exc}).") from exc
    return parse_situations(raw)


def check_choice(situation: Situation, chosen: str) -> Result:
    """Whether ``chosen`` is the best opening, with the feedback for the opening chosen."""
    by_letter = {opening.letter: opening for opening in situation.openings}
    if chosen not in by_letter:
        return Result(situation.key, NOT_CHOSEN, False, "Not answered yet: choose an opening above.")
    correct = chosen == situation.best
    return Result(situation.key, chosen, correct, f"{chosen}: {by_letter[chosen].feedback}")


class OpeningContractModel(traitlets.HasTraits):
    """The learner's choice per situation and the results of the last check; knows nothing of widgets."""

    choices = traitlets.Dict(help="Situation key to the letter chosen.")
    results = traitlets.List(help="A Result per situation, after check().")
    right = traitlets.Int(0)

    def __init__(self, situations: tuple[Situation, ...], journal: Journal | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.situations = situations
        self.journal = journal
        self.lesson = check_name(LESSON, "lesson")

    @property
    def total(self) -> int:
        return len(self.situations)

    def choose(self, key: str, letter: str) -> None:
        if key not in {s.key for s in self.situations}:
            raise KeyError(f"no situation {key!r}")
        self.choices = {**self.choices, key: letter}

    def check(self) -> list[Result]:
        """Compare every choice with the best opening; saves the score when the journal is given."""
        results = [check_choice(s, self.choices.get(s.key, NOT_CHOSEN)) for s in self.situations]
        self.results = results
        self.right = sum(1 for r in results if r.correct)
        if self.journal is not None and any(r.chosen for r in results):
            try:
                self.journal.add(
                    "selfcheck", self.lesson, {"check": CHECK_NAME, "right": self.right, "total": self.total}
                )
            except JournalError:
                log.warning("the opening-contract score could not be saved", exc_info=True)
        return results

    def clear(self) -> None:
        self.choices, self.results, self.right = {}, [], 0


class OpeningContractCheck(ui.VBox):
    """Three situations, three openings each: choose the best opening contract and see why."""

    def __init__(self, journal: Journal | None = None) -> None:
        super().__init__(layout=ui.layout(width="100%"))
        self.message = ui.HTML("")
        try:
            situations = opening_situations()
        except ContractingDataError as exc:
            log.exception("the opening-contract situations could not be loaded")
            situations = ()
            self.message.value = status_html(f"The self-check could not load its situations: {exc}", "error")
        self.model = OpeningContractModel(situations, journal=journal)
        self._callbacks: list[Callable] = []
        self.title = ui.HTML("<h3>Check yourself: choose the best opening contract</h3>")
        self.choosers: dict[str, ui.Dropdown] = {}
        self.feedback: dict[str, ui.HTML] = {}
        rows = []
        for number, situation in enumerate(situations, start=1):
            openings = "".join(
                f"<li><strong>{as_html_text(o.letter)}.</strong> {as_html_text(o.text)}</li>"
                for o in situation.openings
            )
            text = ui.HTML(
                '<div class="ck-contract-situation" style="line-height:1.5">'
                f"<p><strong>Situation {number}.</strong> {as_html_text(situation.situation)}</p>"
                f'<ul style="list-style:none;padding-left:0">{openings}</ul></div>'
            )
            chooser = ui.Dropdown(
                options=[("Choose...", NOT_CHOSEN)]
                + [(f"Opening {o.letter}", o.letter) for o in situation.openings],
                value=NOT_CHOSEN,
                description=f"Best opening for situation {number}",
                style={"description_width": "initial"},
                layout=ui.layout(width="100%", max_width="30em"),
            )
            chooser.observe(
                lambda change, key=situation.key: self.model.choose(key, change["new"]), names="value"
            )
            self.choosers[situation.key] = chooser
            self.feedback[situation.key] = ui.HTML("")
            rows.append(ui.VBox([text, chooser, self.feedback[situation.key]]))
        self.check_button = ui.Button(description="Check my answers", button_style="primary")
        self.clear_button = ui.Button(description="Start again")
        self.check_button.on_click(lambda _button: self._guarded(self.check))
        self.clear_button.on_click(lambda _button: self.clear())
        self.check_button.disabled = not situations
        self.summary = ui.HTML("")
        buttons = ui.HBox([self.check_button, self.clear_button], layout=ui.layout(flex_flow="row wrap"))
        self.children = [
            self.message,
            self.title,
            *rows,
            buttons,
            self.summary,
            *(journal_bridge(journal) if journal is not None else []),
        ]
        self.add_class("ck-opening-contracts")

    def on_check(self, callback: Callable) -> None:
        """Call ``callback(results)`` after every check."""
        if not callable(callback):
            raise TypeError("on_check needs a function, for example on_check(lambda results: ...)")
        self._callbacks.append(callback)

    def check(self) -> list[Result]:
        results = self.model.check()
        for result in results:
            self.feedback[
                result.key
            ].value = (
                f'<p style="line-height:1.5">{ui.mark_html(result.correct)}{as_html_text(result.message)}</p>'
            )
        self.summary.value = (
            f"<p><b>You chose the best opening in {self.model.right} of {self.model.total} situations.</b> "
            "Read why each opening helps or not, change any choice and check again as often as you like.</p>"
        )
        for callback in self._callbacks:
            callback(results)
        return results

    def clear(self) -> None:
        """Every choice back to 'Choose...', the feedback gone (saved scores stay in the journal)."""
        for chooser in self.choosers.values():
            chooser.value = NOT_CHOSEN
        for html in self.feedback.values():
            html.value = ""
        self.summary.value = ""
        self.model.clear()

    def _guarded(self, action) -> None:
        try:
            action()
        except Exception:  # Voila shows no tracebacks
            log.exception("the opening-contract check failed")
            self.summary.value = status_html("Something went wrong; your choices are still there.", "error")

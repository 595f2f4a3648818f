"""The exercises as a click-and-check page for self-paced learners, checked with the graders' answer key."""

from __future__ import annotations

import re
from collections.abc import Callable

import ipywidgets as widgets
import traitlets

from coachkit.forms import ui
from coachkit.forms.textinput import TextInputError, as_html_text, clean_text
from coachkit.grading.answer_keys import ASSIGNMENTS, TEXT_LIMIT, Item, ItemResult, check_item

SELF_CHECK_KINDS = ("choice", "sequence", "number", "numbers", "text")  # code tasks need JupyterLab


class AnswerFormatError(ValueError):
    """A typed answer that cannot be read (letters where a number belongs); the message is for the learner."""


def parse_answer(item: Item, typed: object) -> object:
    """Turn what a learner typed or picked into the value the key checks: '62' -> 62, '2, 4' -> [2, 4]."""
    if item.kind == "choice":
        return typed or ""
    text = clean_text(typed, limit=TEXT_LIMIT, required=False, label="This answer")
    if item.kind in ("sequence", "text") or not text:
        return text if text else None
    if item.kind == "number":
        try:
            number = float(text.replace(",", ".").rstrip("%").strip())
        except ValueError as error:
            raise AnswerFormatError("Please type a number, for example 45.") from error
        return int(number) if number.is_integer() else number
    if item.kind == "numbers":
        if not re.fullmatch(r"[\d\s,;\[\]]*", text):
            raise AnswerFormatError("Please type whole numbers separated by commas, for example 2, 4.")
        return [int(n) for n in re.findall(r"\d+", text)]
    raise ValueError(f"a self-check cannot show {item.kind!r} items")


class SelfCheckModel(traitlets.HasTraits):
    """The learner's answers to one assignment and the key's verdicts; knows nothing of widgets."""

    answers = traitlets.Dict()  # item name -> what the learner typed or picked
    results = traitlets.List()  # ItemResult per item, after check()
    right = traitlets.Int(0)
    total = traitlets.Int(0)

    def __init__(self, assignment: str, **kwargs):
        super().__init__(**kwargs)
        if assignment not in ASSIGNMENTS:
            raise ValueError(f"unknown assignment {assignment!r}; known: {', '.join(ASSIGNMENTS)}")
        self.assignment = ASSIGNMENTS[assignment]
        self.items = [
            item for task in self.assignment.tasks for item in task.items if item.kind in SELF_CHECK_KINDS
        ]
        self.total = len(self.items)

    def answer(self, name: str, typed: object) -> None:
        if name not in {item.name for item in self.items}:
            raise KeyError(f"{self.assignment.name} has no self-check item {name!r}")
        self.answers = {**self.answers, name: typed}

    def check(self) -> list[ItemResult]:
        """Compare every answer with the key; an unreadable answer gets a message, never an exception."""
        results = []
        for item in self.items:
            try:
                value = parse_answer(item, self.answers.get(item.name))
            except (AnswerFormatError, TextInputError) as error:
                results.append(ItemResult(item.name, False, None, f"{item.name}: {error}"))
                continue
            results.append(check_item(item, value, against_key=True))
        self.results = results
        self.right = sum(1 for r in results if r.correct)
        return results

    def clear(self) -> None:
        self.answers = {}
        self.results = []
        self.right = 0


def _input_for(item: Item, number: int) -> widgets.Widget:
    """One input per item; a screen reader announces its description, the tooltip repeats the question."""
    label = f"Answer {number}"
    style = {"description_width": "initial"}
    layout = ui.layout(width="100%", max_width="40em")
    if item.kind == "choice":
        options = [("Choose...", "")] + [(f"{letter} - {text}", letter) for letter, text in item.options]
        return ui.Dropdown(
            options=options, value="", description=label, tooltip=item.prompt, style=style, layout=layout
        )
    placeholder = {
        "sequence": "letters in order, e.g. " + ", ".join(letter for letter, _ in item.options),
        "number": "a number, e.g. 45",
        "numbers": "numbers separated by commas, e.g. 2, 4",
        "text": "type your answer",
    }[item.kind]
    return ui.Text(
        value="", placeholder=placeholder, description=label, tooltip=item.prompt, style=style, layout=layout
    )


class SelfCheck(ui.VBox):
    """The questions of one exercise answered by clicking and typing, then "Check my answers" -> feedback.

    The questions are built when the learner presses "Start the self-check" (or at once with
    ``opened=True``): a lesson page then opens without the dozens of widgets every question needs.
    """

    def __init__(self, assignment: str, journal=None, opened: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.model = SelfCheckModel(assignment)
        self.journal = journal
        self._callbacks: list[Callable] = []
        # the landing page links straight here: lessons/NN-....ipynb#ck-selfcheck-a01-questions
        anchor = f"ck-selfcheck-{self.model.assignment.name}"
        title = as_html_text(self.model.assignment.title)
        self.title = ui.HTML(f'<h3 id="{as_html_text(anchor)}">Check yourself: {title}</h3>')
        self.inputs: dict[str, widgets.Widget] = {}
        self.feedback: dict[str, ui.HTML] = {}
        note = self.model.assignment.self_check_note
        self.note = ui.HTML(f"<p><i>{as_html_text(note)}</i></p>" if note else "")
        data = self.model.assignment.self_check_data
        self.data = ui.HTML(f'<pre class="ck-selfcheck-data">{as_html_text(data())}</pre>' if data else "")
        count = self.model.total
        self.start_button = ui.Button(
            description=f"Start the self-check ({count} question{'' if count == 1 else 's'})",
            button_style="primary",
        )
        self.start_button.on_click(lambda _button: self.start())
        self.check_button = ui.Button(description="Check my answers", button_style="primary")
        self.clear_button = ui.Button(description="Start again")
        self.summary = ui.HTML("")
        self.check_button.on_click(lambda _button: self.check())
        self.clear_button.on_click(lambda _button: self.clear())
        self.children = [self.title, self.note, self.data, self.start_button]
        if opened:
            self.start()

    @property
    def opened(self) -> bool:
        return bool(self.inputs)

    def start(self) -> None:
        """Show the questions (once)."""
        if self.opened:
            return
        rows: list[widgets.Widget] = []
        for number, item in enumerate(self.model.items, start=1):
            prompt = ui.HTML(f"<p><b>{number}.</b> {as_html_text(item.prompt)}</p>")
            if item.options and item.kind == "sequence":
                listed = "".join(f"<li>{letter} - {as_html_text(text)}</li>" for letter, text in item.options)
                prompt.value += f"<ul>{listed}</ul>"
            field = _input_for(item, number)
            field.observe(self._on_change(item.name), names="value")
            self.inputs[item.name] = field
            self.feedback[item.name] = ui.HTML("")
            rows.append(ui.VBox([prompt, field, self.feedback[item.name]]))
        buttons = ui.HBox([self.check_button, self.clear_button], layout=ui.layout(flex_flow="row wrap"))
        self.children = [self.title, self.note, self.data, *rows, buttons, self.summary]
        if rows:
            next(iter(self.inputs.values())).focus()  # keyboard users carry on at the first question

    def _on_change(self, name: str) -> Callable:
        def record(change) -> None:
            self.model.answer(name, change["new"])

        return record

    def on_check(self, callback: Callable) -> None:
        """Call ``callback(results)`` after every check (e.g. to move on to the next lesson)."""
        if not callable(callback):
            raise TypeError("on_check needs a function to call")
        self._callbacks.append(callback)

    def check(self) -> list[ItemResult]:
        self.start()
        try:
            results = self.model.check()
            for result in results:
                message = result.message.removeprefix(f"{result.name}: ")  # the message sits under its input
                if not result.filled:  # the key's hint shows notebook syntax (q2 = "B"); here there is a box
                    message = "not answered yet: pick or type your answer in the box above."
                self.feedback[
                    result.name
                ].value = f"<p>{ui.mark_html(result.correct)}{as_html_text(message)}</p>"

            self.summary.value = (
                f"<p><b>You got {self.model.right} of {self.model.total} right.</b> "
                "The feedback under each answer says why; change any answer and check again as often as "
                "you like.</p>"
            )
            if self.journal is not None:
                self.journal.add(
                    kind="selfcheck",
                    lesson=self.model.assignment.name,
                    data={"right": self.model.right, "total": self.model.total},
                )
            for callback in self._callbacks:
                callback(results)
            return results
        except Exception:  # Voila shows no traceback: say something useful instead
            self.summary.value = (
                "<p>Sorry, the check did not work. Please try again or tell your facilitator.</p>"
            )
            return []

    def clear(self) -> None:
        for field in self.inputs.values():
            field.value = ""
        for html in self.feedback.values():
            html.value = ""
        self.summary.value = ""
        self.model.clear()

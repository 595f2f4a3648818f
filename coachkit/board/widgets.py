"""The board's two screens: BoardAnswer for a learner, BoardFacilitator for the person at the projector.

Answers are learner text: the facilitator's view escapes every one (as_html_text) and never renders HTML.
The facilitator's view refreshes through a tiny browser-side timer that asks the kernel to ask the board
again, so nothing blocks the kernel and no thread touches the widgets. Both talk to the board's HTTP API
(coachkit.board.client) by default; a kernel never opens the board's database.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import anywidget
import ipywidgets as widgets
import traitlets

from coachkit.forms import ui
from coachkit.forms.textinput import as_html_text

if TYPE_CHECKING:
    from coachkit.board.store import BoardPrompt, BoardResults, BoardStore, FacilitatorSession

# The client loads when the board is first used, not when a lesson shows the answer box: a self-paced
# visitor who never joins a session pays nothing for it.
MAX_OPTIONS = 8

# Why a timer in the browser: the kernel stays free between ticks, the timer stops when the view is closed,
# and a Voila page without a kernel-side loop cannot leak one.
TICKER_ESM = r"""
export default {
  render({ model, el }) {
    el.style.display = "none";
    let timer = null;
    const restart = () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
      if (model.get("live")) {
        const tick = () => {
          try {
            model.send({ op: "tick" });
          } catch (e) {
            // the kernel connection is closed (the page is going away) or not open yet: skip this tick
          }
        };
        timer = setInterval(tick, Math.max(1000, model.get("interval_ms")));
      }
    };
    model.on("change:live", restart);
    model.on("change:interval_ms", restart);
    restart();
    return () => {
      if (timer !== null) clearInterval(timer);
      model.off("change:live", restart);
      model.off("change:interval_ms", restart);
    };
  },
};
"""


class RefreshTicker(anywidget.AnyWidget):
    """Sends the kernel a 'tick' every ``interval_ms`` while ``live`` is on; shows nothing."""

    _esm = traitlets.Unicode(TICKER_ESM).tag(sync=True)
    live = traitlets.Bool(True).tag(sync=True)
    interval_ms = traitlets.Int(3000).tag(sync=True)


def _wrapping_row() -> widgets.Layout:
    # A row of controls that wraps on a phone instead of making the page scroll sideways.
    return ui.layout(flex_flow="row wrap")


UNREACHABLE_JOIN = (
    "The group board cannot be reached right now. Please try again in a moment, or tell your facilitator."
)
UNREACHABLE_SEND = "The group board cannot be reached right now; your answer was not sent."


def _friendly(exc: Exception, sending: bool = False) -> str:
    """The message for the person: the board's own words, else 'cannot be reached' (never 'sent')."""
    from coachkit.board.model import BoardError, BoardUnreachable

    if isinstance(exc, BoardError) and not isinstance(exc, BoardUnreachable):
        return str(exc)
    return UNREACHABLE_SEND if sending else UNREACHABLE_JOIN


def _learner_side(store: BoardStore | None, board):
    """What BoardAnswer talks to: a given board, a store in this process (tests), else the board's API."""
    if board is not None:
        return board
    if store is not None:
        from coachkit.board.store import LocalBoard

        return LocalBoard(store)
    from coachkit.board.client import BoardClient

    return BoardClient()


def _facilitator_side(store: BoardStore | None, board):
    """What BoardFacilitator talks to: the same choice; a client for the board's API by default."""
    if board is not None:
        return board
    if store is not None:
        return store
    from coachkit.board.client import BoardClient

    return BoardClient()


def _check_callable(callback) -> None:
    if not callable(callback):
        raise TypeError(f"on_submit needs a function, not {type(callback).__name__}")


class BoardAnswer(ui.VBox):
    """A learner types the session code, sees the question and sends an answer; nothing about them is kept."""

    def __init__(
        self, code: str | None = None, store: BoardStore | None = None, board=None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("ck-board-answer")
        self._given = (store, board)
        self._board = None  # the board's API (or a store's learner side), made on first use
        self._callbacks: list = []
        self.session: BoardPrompt | None = None
        self.sent = 0

        self.code_input = ui.Text(
            value=code or "",
            description="Session code",
            placeholder="e.g. KQZRT",
            continuous_update=False,
            style={"description_width": "initial"},  # JupyterLab's 80 px cut it to "Session co..."
        )
        self.join_button = ui.Button(description="Join", button_style="primary", tooltip="Join the session")
        self.prompt_html = ui.HTML()
        self.answer_input = ui.Textarea(
            description="Your answer", placeholder="Type your answer", layout=ui.layout(width="100%")
        )
        self.choice_input = ui.RadioButtons(options=[], value=None, description="Your choice")
        self.send_button = ui.Button(description="Send answer", button_style="success")
        self.status = ui.Label()
        self.answer_box = ui.VBox([])
        self.privacy = ui.HTML(
            "<small>Answers are anonymous: the board keeps your words, never who wrote them.</small>"
        )

        self.join_button.on_click(lambda _b: self.join())
        self.send_button.on_click(lambda _b: self.send())
        self.children = [
            ui.HBox([self.code_input, self.join_button], layout=_wrapping_row()),
            self.prompt_html,
            self.answer_box,
            self.status,
            self.privacy,
        ]
        if code:
            self.join()

    def on_submit(self, callback) -> None:
        """Call ``callback(answer_text)`` after each answer has been stored."""
        _check_callable(callback)
        self._callbacks.append(callback)

    def _learner_board(self):
        """The learner's side of the board, made on first use."""
        if self._board is None:
            self._board = _learner_side(*self._given)
        return self._board

    def join(self) -> None:
        """Look the code up and show its question (or a friendly message)."""
        if self._learner_board() is None:
            return
        try:
            self.session = self._board.prompt(self.code_input.value)
        except Exception as exc:  # noqa: BLE001
            self.session = None
            self.prompt_html.value = ""
            self.answer_box.children = []
            self.status.value = _friendly(exc)
            return
        self.code_input.value = self.session.code
        self.prompt_html.value = f"<p><strong>{as_html_text(self.session.prompt)}</strong></p>"
        if self.session.is_poll:
            self.choice_input.options = list(self.session.options)
            self.choice_input.value = None
            self.choice_input.disabled = False
            self.answer_box.children = [self.choice_input, self.send_button]
        else:
            self.answer_box.children = [self.answer_input, self.send_button]
        self.send_button.disabled = not self.session.is_open
        self.status.value = "" if self.session.is_open else "This session is closed."

    def send(self) -> None:
        """Store the answer; on any problem keep the learner's text in the box and say what to do."""
        if self.session is None or self._board is None:
            self.status.value = "Please type the session code and press Join first."
            return
        if self.session.is_poll:
            answer = self.choice_input.value
            if answer is None:
                self.status.value = "Please choose one of the options."
                return
        else:
            answer = self.answer_input.value
        try:
            self._board.submit(self.session.code, answer)
        except Exception as exc:  # noqa: BLE001
            self.status.value = _friendly(exc, sending=True)
            return
        self.sent += 1
        if self.session.is_poll:
            # One vote per person: the board refuses a second one; the page says so before it is tried.
            self.choice_input.disabled = True
            self.send_button.disabled = True
            self.status.value = "Thank you: your vote is on the board."
        else:
            self.answer_input.value = ""
            self.status.value = "Thank you: your answer is on the board. You can send another."
        for callback in list(self._callbacks):
            try:
                callback(answer)
            except Exception:  # noqa: BLE001, S112 - a listener's bug must not lose the learner's answer
                continue

    def clear(self) -> None:
        """Empty the boxes (the board itself is the facilitator's to clear)."""
        self.answer_input.value = ""
        self.choice_input.value = None
        self.status.value = ""


def results_html(results: BoardResults) -> str:
    """The answers as escaped text; for a poll, a bar per option with its count. Never raw learner HTML."""
    parts = [f"<p><strong>{as_html_text(results.prompt)}</strong></p>"]
    total = len(results.answers)
    noun = "answer" if total == 1 else "answers"
    parts.append(f"<p class='ck-board-total'>{total} {noun}{'' if results.is_open else ' (closed)'}</p>")
    if results.is_poll:
        top = max(results.counts.values(), default=0) or 1
        rows = []
        for option, count in results.counts.items():
            width = round(100 * count / top)
            rows.append(
                "<tr>"
                f"<th scope='row' style='text-align:left;padding-right:1em'>{as_html_text(option)}</th>"
                "<td style='width:60%'><div aria-hidden='true' style='background:#1f6feb;height:1.2em;"
                f"width:{width}%;min-width:2px'></div></td>"
                f"<td style='padding-left:.5em'>{count}</td></tr>"
            )
        parts.append(
            "<table class='ck-board-chart' style='width:100%'><caption style='text-align:left'>"
            "Votes per option</caption>" + "".join(rows) + "</table>"
        )
    else:
        items = "".join(
            f"<li class='ck-board-item'>{as_html_text(answer)}</li>" for answer in results.answers
        )
        parts.append(f"<ul class='ck-board-answers'>{items}</ul>" if items else "<p>No answers yet.</p>")
    return "".join(parts)


class BoardFacilitator(ui.VBox):
    """Open a session, show its code large, watch the answers arrive, close or clear it."""

    def __init__(
        self, store: BoardStore | None = None, interval_seconds: float = 3, board=None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.add_class("ck-board-facilitator")
        self.store = _facilitator_side(store, board)
        problem = ""
        self.session: FacilitatorSession | None = None
        self.results: BoardResults | None = None

        self.kind_input = widgets.ToggleButtons(options=["Free text", "Poll"], description="Answer type")
        self.prompt_input = ui.Textarea(
            value="What's keeping you from coaching others?",
            description="Question",
            layout=ui.layout(width="100%"),
        )
        self.options_input = ui.Textarea(
            description="Poll options",
            placeholder=f"One option a line, 2 to {MAX_OPTIONS}",
            layout=widgets.Layout(width="100%", display="none"),
        )
        self.open_button = ui.Button(description="Open session", button_style="primary")
        self.setup_box = ui.VBox(
            [self.kind_input, self.prompt_input, self.options_input, self.open_button],
            layout=widgets.Layout(),  # its own: hidden while a session runs
        )

        self.code_html = ui.HTML()
        self.results_html = ui.HTML()
        self.refresh_button = ui.Button(description="Refresh now")
        self.close_button = ui.Button(description="Close session")
        self.clear_button = ui.Button(description="Clear answers", button_style="danger")
        self.confirm_clear_button = ui.Button(
            description="Yes, delete every answer",
            button_style="danger",
            layout=widgets.Layout(display="none"),
        )
        self.new_button = ui.Button(description="New session")
        self.live_input = ui.Checkbox(
            value=True, description="Update live", indent=False, layout=ui.layout(width="auto")
        )
        self.ticker = RefreshTicker(interval_ms=int(interval_seconds * 1000))
        widgets.link((self.live_input, "value"), (self.ticker, "live"))
        self.session_box = ui.VBox(
            [
                self.code_html,
                ui.HBox(
                    [
                        self.refresh_button,
                        self.live_input,
                        self.close_button,
                        self.clear_button,
                        self.confirm_clear_button,
                        self.new_button,
                    ],
                    layout=_wrapping_row(),
                ),
                self.results_html,
                self.ticker,
            ],
            layout=widgets.Layout(display="none"),
        )
        self.status = ui.Label(value=problem)

        self.kind_input.observe(self._on_kind, names="value")
        self.open_button.on_click(lambda _b: self.open_session())
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.close_button.on_click(lambda _b: self.toggle_open())
        self.clear_button.on_click(lambda _b: self._ask_clear())
        self.confirm_clear_button.on_click(lambda _b: self.clear_answers())
        self.new_button.on_click(lambda _b: self.clear())
        self.ticker.on_msg(self._on_tick)
        self.children = [self.setup_box, self.session_box, self.status]

    def _on_kind(self, change) -> None:
        self.options_input.layout.display = None if change["new"] == "Poll" else "none"

    def _on_tick(self, _widget, content, _buffers=None) -> None:
        if isinstance(content, dict) and content.get("op") == "tick":
            self.refresh(quiet=True)

    def open_session(self) -> None:
        if self.store is None:
            return
        options = self.options_input.value.splitlines() if self.kind_input.value == "Poll" else []
        if self.kind_input.value == "Poll" and len([o for o in options if o.strip()]) < 2:
            self.status.value = "A poll needs at least two options, one a line."
            return
        try:
            from coachkit.board.store import FacilitatorSession

            self.session = FacilitatorSession.open(self.store, self.prompt_input.value, options)
        except Exception as exc:  # noqa: BLE001
            self.status.value = _friendly(exc)
            return
        code = html.escape(self.session.code)
        self.code_html.value = (
            "<div class='ck-board-code-label'>Session code: open the board in your lesson and type</div>"
            "<div class='ck-board-code' "
            "style='font-size:4em;line-height:1.3;font-weight:bold;letter-spacing:.25em'>"
            f"{code}</div>"
        )
        self.setup_box.layout.display = "none"
        self.session_box.layout.display = None
        self.close_button.description = "Close session"
        self.status.value = ""
        self.refresh()

    def refresh(self, quiet: bool = False) -> None:
        """Re-read the answers; a failed tick says so once but keeps the last answers on screen."""
        if self.session is None:
            return
        try:
            self.results = self.session.results()
        except Exception as exc:  # noqa: BLE001
            self.status.value = _friendly(exc)
            return
        self.results_html.value = results_html(self.results)
        if not quiet:
            self.status.value = ""

    def toggle_open(self) -> None:
        if self.session is None:
            return
        try:
            if self.results is not None and not self.results.is_open:
                self.session.reopen()
                self.close_button.description = "Close session"
            else:
                self.session.close()
                self.close_button.description = "Open again"
        except Exception as exc:  # noqa: BLE001
            self.status.value = _friendly(exc)
            return
        self.refresh()

    def _ask_clear(self) -> None:
        self.confirm_clear_button.layout.display = None

    def clear_answers(self) -> None:
        self.confirm_clear_button.layout.display = "none"
        if self.session is None:
            return
        try:
            removed = self.session.clear()
        except Exception as exc:  # noqa: BLE001
            self.status.value = _friendly(exc)
            return
        self.refresh()
        self.status.value = f"{removed} answers deleted."

    def clear(self) -> None:
        """Leave the current session (it stays on the board) and show the form for a new one."""
        self.session = None
        self.results = None
        self.results_html.value = ""
        self.code_html.value = ""
        self.session_box.layout.display = "none"
        self.setup_box.layout.display = None
        self.status.value = ""

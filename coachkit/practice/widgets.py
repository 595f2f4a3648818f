"""The practice conversation on the page: choose a scenario, talk to a scripted coachee, get feedback.

The conversation itself is a small anywidget (ConversationPanel): a log region a screen reader announces, a
labelled text box that sends a turn on Enter, and a Pause button for a silence. Everything it shows is set
as text (``textContent``), never as HTML, so a learner's HTML, emoji or 10,000 characters stay text.
"""

from __future__ import annotations

import logging

import anywidget
import traitlets

from coachkit.forms import ui
from coachkit.forms.textinput import TextInputError, as_html_text
from coachkit.journal.model import Journal, JournalError
from coachkit.journal.widgets import JournalFormSaver, journal_bridge, session_journal, status_html
from coachkit.practice.conversation import (
    JOURNAL_KIND,
    LESSON,
    Conversation,
    ConversationError,
    ConversationFeedback,
)
from coachkit.practice.scripts import CoacheeScript, ScriptError, load_scripts

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong; your text is still in the box. Please try again."
SILENCE_SHOWN = "(a silence)"

CHAT_ESM = """
function render({ model, el }) {
  const uid = "ck-chat-" + Math.random().toString(36).slice(2);
  const root = document.createElement("div");
  root.className = "ck-chat";
  const log = document.createElement("div");
  log.className = "ck-chat-log";
  log.id = uid + "-log";
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", "The conversation");
  log.tabIndex = 0;  // a region that scrolls must be reachable by keyboard
  const lines = document.createElement("div");
  lines.className = "ck-chat-lines";
  log.append(lines);
  // keep the newest turn in view, also when the text reflows (a phone turned, a window resized), unless
  // the learner has scrolled up to reread
  let pinned = true;
  log.addEventListener("scroll", () => {
    pinned = log.scrollHeight - log.scrollTop - log.clientHeight < 8;
  });
  const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => {
    if (pinned) log.scrollTop = log.scrollHeight;
  });
  if (observer) observer.observe(lines);
  const form = document.createElement("form");
  form.className = "ck-chat-form";
  // JupyterLab would take Enter in the box as "edit this cell": keep its shortcuts out of the form
  form.setAttribute("data-lm-suppress-shortcuts", "true");
  const label = document.createElement("label");
  label.htmlFor = uid + "-input";
  label.className = "ck-chat-label";
  const input = document.createElement("input");
  input.type = "text";
  input.id = uid + "-input";
  input.className = "ck-chat-input";
  input.autocomplete = "off";
  input.setAttribute("aria-describedby", uid + "-hint");
  const send = document.createElement("button");
  send.type = "submit";
  send.className = "ck-chat-button ck-chat-send";
  send.textContent = "Send";
  const pause = document.createElement("button");
  pause.type = "button";
  pause.className = "ck-chat-button ck-chat-pause";
  pause.textContent = "Pause (stay silent)";
  const hint = document.createElement("p");
  hint.id = uid + "-hint";
  hint.className = "ck-chat-hint";
  hint.textContent = "Press Enter to send. An empty turn, '...' or Pause is a silence.";
  const notice = document.createElement("div");
  notice.className = "ck-chat-notice";
  notice.setAttribute("role", "status");
  notice.setAttribute("aria-live", "polite");
  form.append(label, input, send, pause, hint);
  root.append(log, form, notice);
  el.append(root);

  let shown = 0;
  const drawLog = () => {
    const entries = model.get("entries");
    if (entries.length < shown) {  // a new conversation: start the log again
      lines.replaceChildren();
      shown = 0;
    }
    for (let i = shown; i < entries.length; i++) {
      const entry = entries[i];
      const line = document.createElement("p");
      line.className = "ck-chat-turn ck-chat-turn--" + (entry.speaker === "coach" ? "coach" : "coachee");
      const who = document.createElement("strong");
      who.textContent = entry.who + ": ";
      const said = document.createElement("span");
      said.textContent = entry.text;
      line.append(who, said);
      lines.append(line);
    }
    shown = entries.length;
    pinned = true;
    log.scrollTop = log.scrollHeight;
  };
  const sync = () => {
    label.textContent = model.get("label");
    input.placeholder = model.get("placeholder");
    const off = model.get("disabled");
    input.disabled = off;
    send.disabled = off;
    pause.disabled = off;
    notice.textContent = model.get("notice");
    notice.className = "ck-chat-notice ck-chat-notice--" + model.get("notice_tone");
  };
  const clearBox = () => { input.value = ""; };
  const sendTurn = () => model.send({ event: "turn", text: input.value });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendTurn();
  });
  // Enter is handled here, not left to the form: JupyterLab's notebook would take it as "edit this cell"
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    event.preventDefault();
    event.stopPropagation();
    sendTurn();
  });
  pause.addEventListener("click", () => model.send({ event: "pause" }));
  model.on("change:entries", drawLog);
  model.on("change:accepted", clearBox);
  model.on("change", sync);
  drawLog();
  sync();
  return () => {
    if (observer) observer.disconnect();
    model.off("change:entries", drawLog);
    model.off("change:accepted", clearBox);
    model.off("change", sync);
  };
}
export default { render };
"""

CHAT_CSS = """
.ck-chat { max-width: 46em; font-size: var(--jp-widgets-font-size, 15px); color: #111; }
.ck-chat-log { max-height: 26em; overflow-y: auto; border: 1px solid #8a8a8a; border-radius: 4px;
  padding: 0.4em 0.8em; background: #fbfbfb; }
.ck-chat-log:focus-visible, .ck-chat-input:focus-visible, .ck-chat-button:focus-visible {
  outline: 3px solid #1f5fa8; outline-offset: 2px; }
.ck-chat-turn { margin: 0.45em 0; line-height: 1.5; overflow-wrap: anywhere; white-space: pre-wrap; }
.ck-chat-turn--coach { padding-left: 0.7em; border-left: 3px solid #1f5fa8; }
.ck-chat-turn--coachee { padding-left: 0.7em; border-left: 3px solid #b0b0b0; }
.ck-chat-form { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4em 0.5em; margin-top: 0.6em; }
.ck-chat-label { flex: 0 0 100%; font-weight: 600; }
.ck-chat-input { flex: 1 1 16em; min-width: 0; font: inherit; padding: 0.35em 0.5em;
  border: 1px solid #6b6b6b; border-radius: 3px; }
.ck-chat-button { font: inherit; padding: 0.45em 1em; border: 1px solid #6b6b6b; border-radius: 3px;
  background: #f0f0f0; color: #111; cursor: pointer; }
.ck-chat-send { background: #1f5fa8; border-color: #1f5fa8; color: #fff; }
.ck-chat-button:disabled, .ck-chat-input:disabled { opacity: 0.6; cursor: default; }
.ck-chat-hint { flex: 0 0 100%; margin: 0; font-size: 0.9em; color: #444; }
.ck-chat-notice { margin: 0.4em 0; line-height: 1.5; overflow-wrap: anywhere; }
.ck-chat-notice--error { color: #a4000f; }
"""

STYLE = (
    "<style>.ck-practice-brief p,.ck-practice-feedback p,.ck-practice-feedback li{line-height:1.5;"
    "margin:.3em 0;overflow-wrap:anywhere}.ck-practice-feedback h4,.ck-practice-feedback h5{font-size:1.05em;"
    "margin:.8em 0 .2em}.ck-practice-feedback q{font-style:italic}"
    ".ck-practice-feedback a{color:#0b5c8a;text-decoration:underline}</style>"
)


class ConversationPanel(anywidget.AnyWidget):
    """The conversation's log, the box a turn is typed in (Enter sends it) and a Pause button.

    ``on_turn(callback)`` registers ``callback(text, paused) -> bool``; True means the turn was taken, and
    the box is emptied. On False the text stays in the box, so a turn that was too long is not lost.
    """

    _esm = traitlets.Unicode(CHAT_ESM).tag(sync=True)
    _css = traitlets.Unicode(CHAT_CSS).tag(sync=True)
    entries = traitlets.List(traitlets.Dict(), help="The turns so far: speaker, who and text.").tag(sync=True)
    label = traitlets.Unicode("What you say", help="The text box's visible label.").tag(sync=True)
    placeholder = traitlets.Unicode("e.g. What's on your mind?", help="A hint inside the empty box.").tag(
        sync=True
    )
    notice = traitlets.Unicode("", help="A message under the box, e.g. why a turn was not taken.").tag(
        sync=True
    )
    notice_tone = traitlets.Unicode("info", help="'info' or 'error'.").tag(sync=True)
    disabled = traitlets.Bool(False, help="True when no conversation is running.").tag(sync=True)
    accepted = traitlets.Int(0, help="Counts the turns taken; the browser empties the box on each.").tag(
        sync=True
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._callbacks: list = []
        self.on_msg(self._on_browser_message)

    def on_turn(self, callback) -> None:
        if not callable(callback):
            raise TypeError("on_turn needs a function, for example on_turn(lambda text, paused: True)")
        self._callbacks.append(callback)

    def submit(self, text: object = "", paused: bool = False) -> bool:
        """What the browser does on Enter (or Pause, with ``paused``): returns whether the turn was taken."""
        if self.disabled:
            return False
        taken = all(callback("" if paused else text, paused) for callback in self._callbacks)
        if taken and not paused:
            self.accepted += 1
        return taken

    def _on_browser_message(self, _widget, content, _buffers=None) -> None:
        if not isinstance(content, dict):
            return
        if content.get("event") == "turn":
            text = content.get("text", "")
            self.submit(text if isinstance(text, str) else "")
        elif content.get("event") == "pause":
            self.submit("", paused=True)


class PracticeRecord:
    """The journal entry of one finished conversation, saved through JournalFormSaver."""

    def __init__(self, journal: Journal, feedback: ConversationFeedback) -> None:
        self.journal = journal
        self.feedback = feedback
        self.ok = True
        self.message = ""

    def save(self) -> dict | None:
        try:
            entry = self.journal.add(JOURNAL_KIND, LESSON, self.feedback.journal_data())
        except JournalError as exc:
            self.ok, self.message = False, f"The feedback is below, but it was not saved: {exc}"
            return None
        waiting = "" if self.journal.ready else " (it will be stored as soon as your browser answers)"
        self.ok = True
        self.message = f"Saved to your journal{waiting}: this feedback and the whole conversation."
        return entry


def brief_html(script: CoacheeScript) -> str:
    card = script.scenario
    return (
        STYLE + '<div class="ck-practice-brief">'
        f"<p><strong>You are:</strong> {as_html_text(card.coach_role)}.</p>"
        f"<p><strong>The situation:</strong> {as_html_text(card.coach_situation)}</p>"
        f"<p><strong>Practise:</strong> {as_html_text(card.coach_practise)}</p>"
        f"<p><strong>{as_html_text(script.name)}:</strong> {as_html_text(script.manner)}</p>"
        f"<p>{as_html_text(script.name)} is a script, not a person. The replies depend on the kind of each "
        "turn you take (an open question, a closed one, advice, a silence), not on what it is about.</p>"
        "</div>"
    )


class PracticeConversation(ui.VBox):
    """Practise a coaching conversation alone with a scripted coachee; the feedback goes to the journal."""

    def __init__(self, journal: Journal | None = None, scripts: list[CoacheeScript] | None = None) -> None:
        self.journal = journal if journal is not None else session_journal()
        self.message = ui.HTML("")
        self.scripts: list[CoacheeScript] = []
        try:
            self.scripts = load_scripts() if scripts is None else list(scripts)
        except ScriptError as exc:
            log.exception("practice scripts could not be loaded")
            self.message.value = status_html(f"The practice scripts could not be loaded: {exc}", "error")
        self.chooser = ui.Dropdown(
            options=[(f"{s.title} ({s.name})", s.id) for s in self.scripts],
            value=self.scripts[0].id if self.scripts else None,
            description="Scenario",
            style={"description_width": "initial"},
            layout=ui.layout(width="40em", max_width="100%"),
        )
        self.brief = ui.HTML("")
        self.panel = ConversationPanel()
        # the buttons as wide as their words: JupyterLab's default width cuts "Finish and see feedback" short
        self.finish_button = ui.Button(
            description="Finish and see feedback", button_style="primary", layout={"width": "auto"}
        )
        self.restart_button = ui.Button(description="Start again", layout={"width": "auto"})
        self.status = ui.HTML("")
        self.feedback_box = ui.HTML("")
        self.saver = JournalFormSaver(
            self.journal,
            self.status,
            "saving a practice conversation",
            "Something went wrong and the feedback was not saved; it is still shown below.",
        )
        self.conversation: Conversation | None = None
        self.feedback: ConversationFeedback | None = None
        self.panel.on_turn(self._on_turn)
        self.chooser.observe(self._on_choose, names="value")
        self.finish_button.on_click(self._on_finish)
        self.restart_button.on_click(self._on_restart)
        super().__init__(
            [
                self.message,
                self.chooser,
                self.brief,
                self.panel,
                ui.HBox([self.finish_button, self.restart_button], layout=ui.layout(flex_flow="row wrap")),
                self.status,
                self.feedback_box,
                *journal_bridge(self.journal),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-practice-conversation")
        self.start()

    @property
    def script(self) -> CoacheeScript | None:
        return next((s for s in self.scripts if s.id == self.chooser.value), None)

    def on_submit(self, callback) -> None:
        """Call ``callback(entry)`` after each finished conversation is saved to the journal."""
        self.saver.on_submit(callback)

    def clear(self) -> None:
        """Start the chosen scenario again from its opening line (saved feedback stays in the journal)."""
        self.start()

    def start(self) -> None:
        """A new conversation with the chosen scenario's coachee."""
        script = self.script
        self.feedback = None
        self.feedback_box.value = ""
        self.status.value = ""
        self.panel.notice = ""
        if script is None:
            self.conversation = None
            self.brief.value = "<p>Choose a scenario to start.</p>" if self.scripts else ""
            self.panel.entries = []
            self.panel.disabled = True
            self.finish_button.disabled = True
            return
        self.conversation = Conversation(script)
        self.brief.value = brief_html(script)
        self.panel.entries = [self._entry(turn) for turn in self.conversation.turns]
        self.panel.disabled = False
        self.finish_button.disabled = False

    def say(self, text: str) -> bool:
        """Take a turn as if typed in the box and sent; returns whether it was taken."""
        return self.panel.submit(text)

    def pause(self) -> bool:
        return self.panel.submit("", paused=True)

    def finish(self) -> ConversationFeedback | None:
        """End the conversation, show the feedback and save it to the journal."""
        if self.conversation is None:
            return None
        try:
            self.feedback = self.conversation.finish()
        except ConversationError as exc:
            self._notice(str(exc), "error")
            return None
        self.panel.disabled = True
        self.finish_button.disabled = True
        self._notice("The conversation has ended. The feedback is below.", "info")
        self.feedback_box.value = STYLE + self.feedback.html()
        self.saver.save(PracticeRecord(self.journal, self.feedback))
        return self.feedback

    def _entry(self, turn) -> dict:
        if turn.speaker == "coach":
            return {"speaker": "coach", "who": "You", "text": turn.text or SILENCE_SHOWN}
        return {"speaker": "coachee", "who": self.conversation.script.name, "text": turn.text}

    def _notice(self, text: str, tone: str) -> None:
        self.panel.notice_tone = tone
        self.panel.notice = text

    def _on_turn(self, text: object, _paused: bool) -> bool:
        if self.conversation is None:
            return False
        try:
            self.conversation.say(text)
        except (TextInputError, ConversationError) as exc:
            self._notice(str(exc), "error")
            return False
        except Exception:  # Voila shows no tracebacks: a sentence for the learner, details in the log
            log.exception("the practice conversation failed on a turn")
            self._notice(UNEXPECTED, "error")
            return False
        self.panel.entries = [self._entry(turn) for turn in self.conversation.turns]
        reply = self.conversation.turns[-1]
        if reply.revealed and reply.revealed == self.conversation.script.layers[-1].id:
            self._notice(
                f"{self.conversation.script.name} has named a first step. Finish when you are ready, "
                "or go on.",
                "info",
            )
        else:
            self._notice("", "info")
        if self.conversation.finished:
            self.finish()
        return True

    def _on_choose(self, _change=None) -> None:
        self.start()

    def _on_restart(self, _button=None) -> None:
        self.start()

    def _on_finish(self, _button=None) -> None:
        try:
            self.finish()
        except Exception:
            log.exception("finishing the practice conversation failed")
            self._notice("Something went wrong while making the feedback; please try again.", "error")

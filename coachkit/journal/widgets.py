"""The journal's widgets: the bar a lesson shows once, and a one-box reflection prompt."""

from __future__ import annotations

import base64
import logging

import ipywidgets as widgets
import traitlets

from coachkit.forms import ui
from coachkit.forms.textinput import TextInputError, as_html_text, clean_text
from coachkit.journal.model import IMPORT_LIMIT, Journal, JournalError, check_name
from coachkit.journal.reminders import latest_follow_up, reminder_text
from coachkit.journal.stores import MemoryJournalStore

log = logging.getLogger(__name__)

PROMPT_LIMIT = 20_000
UNEXPECTED = "Something went wrong and nothing was saved. Your text is still in the box; please try again."


def status_html(text: str, tone: str = "info", saved: bool = False) -> str:
    """A status line as HTML: the text escaped, announced politely to screen readers.

    ``saved=True`` marks a save the journal store has confirmed: the web app's page script then drops the
    drafts it kept of that form (coachkit/webapp/static/lesson-guard.js)."""
    attributes = f'class="ck-status ck-status--{tone}" role="status" aria-live="polite"'
    if saved:
        attributes += ' data-ck-saved="1"'
    return f"<div {attributes}>{as_html_text(text)}</div>"


SAVING = "Saving to your journal..."
# A paragraph in an HTML widget takes the widget's one-row line height (34px) unless it says otherwise.
SPACED = 'style="line-height:1.5"'


def report_save(journal: Journal, status, entry: dict, message: str, keep: str = "") -> None:
    """Show ``message`` in ``status`` only once the journal's store confirms it kept ``entry``.

    Until then the status line says "Saving to your journal..."; when the store refuses (a browser whose
    storage is full), it says so and that nothing was saved there. ``keep`` is added to the refusal, for
    example "Your text is still in the box."
    """
    status.value = status_html(SAVING, "info")

    def stored() -> None:
        status.value = status_html(message, "ok", saved=True)

    def failed(reason: str) -> None:
        status.value = status_html(
            f"Not saved in this browser: {reason}. {keep} Download your journal to keep this entry.".replace(
                "  ", " "
            ),
            "error",
        )

    journal.when_stored(entry, stored, failed)


def _count(number: int) -> str:
    return f"{number} entr{'y' if number == 1 else 'ies'}"


def journal_bridge(journal: Journal) -> list:
    """The hidden browser-side part of the journal's store, as a list to add to a widget's children.

    A browser-kept journal only works once its bridge is on the page. JournalBar carries it; the journal's
    other widgets carry it too, so a lesson that forgets the bar still keeps what the visitor saves.
    """
    bridge = getattr(journal.store, "bridge", None)
    return [bridge] if bridge is not None else []


def session_journal() -> Journal:
    """A journal for a widget made without one: it lives only as long as this session."""
    return Journal(store=MemoryJournalStore())


class JournalDraft(traitlets.HasTraits):
    """A form's model that saves to the journal, with what its last save did: ``message`` for the learner and
    ``ok`` (False when nothing was saved), as JournalFormSaver shows them."""

    message = traitlets.Unicode("", help="What happened on the last save, for the learner.")
    ok = traitlets.Bool(True, help="False when the last save failed.")

    def refuse(self, reason) -> None:
        """Nothing was saved: ``message`` says why (a sentence, or the error carrying one); returns None."""
        self.ok, self.message = False, str(reason)

    def save(self) -> dict | None:
        """Check the draft with ``cleaned()`` (a TextInputError refuses it, naming the wrong field) and save
        what it returns with ``keep``; returns the entry, or None with ``message`` saying why."""
        try:
            data = self.cleaned()
        except TextInputError as exc:
            return self.refuse(exc)
        return self.keep(data)

    def cleaned(self) -> dict:
        raise NotImplementedError

    def keep(self, data: dict) -> dict | None:
        raise NotImplementedError


class SubmitCallbacks:
    """The functions a form's ``on_submit`` collected, called with each entry the form saves."""

    def __init__(self) -> None:
        self._callbacks: list = []

    def add(self, callback) -> None:
        if not callable(callback):
            raise TypeError("on_submit needs a function, for example on_submit(lambda entry: ...)")
        self._callbacks.append(callback)

    def tell(self, entry: dict) -> None:
        for callback in self._callbacks:
            callback(entry)


class JournalFormSaver:
    """What a form that saves to the journal shares: saving its model from a button, saying what happened
    in its status line, telling the ``on_submit`` callbacks, and showing the last saved entry again once.

    The model is any object with ``save() -> entry | None`` and the ``ok`` and ``message`` it leaves.
    """

    def __init__(self, journal: Journal, status: ui.HTML, failure: str, unexpected: str) -> None:
        self.journal = journal
        self.status = status
        self.failure = failure  # for the log, e.g. "saving the action plan"
        self.unexpected = unexpected  # for the learner, when the save fails in a way the model did not expect
        self.restored = False  # set once the last saved entry is shown, or the learner has emptied the form
        self.submitted = SubmitCallbacks()

    def on_submit(self, callback) -> None:
        """Call ``callback(entry)`` after each successful save."""
        self.submitted.add(callback)

    def save(self, model) -> dict | None:
        """Save the model, show its message and tell the callbacks; returns the entry, or None."""
        try:
            entry = model.save()
            if entry is not None and model.ok:
                report_save(
                    self.journal, self.status, entry, model.message, "Your text is still in the form."
                )
            else:
                self.status.value = status_html(model.message, "ok" if model.ok else "error")
            if entry is not None:
                self.submitted.tell(entry)
            return entry
        except Exception:  # Voila shows no tracebacks: the learner gets a sentence, the log the details
            log.exception("%s failed", self.failure)
            self.status.value = status_html(self.unexpected, "error")
            return None

    def restore_last_saved(self, kind: str, lesson: str | None, is_empty, fill, message: str) -> None:
        """Show the last saved entry of ``kind`` once, while the form is empty, so a learner who comes back
        finds their work (a browser-kept journal arrives a moment after the page, hence the observer).

        ``fill(data)`` puts the entry's data into the form and returns False when it cannot use it;
        ``message`` then goes to the status line.
        """

        def restore(_change=None) -> None:
            if self.restored or not is_empty():
                return
            try:
                saved = self.journal.entries(kind=kind, lesson=lesson)
            except JournalError:
                return  # the journal bar reports a damaged journal; the form still works
            if not saved or not fill(saved[-1]["data"]):
                return
            self.restored = True
            self.status.value = status_html(message, "info")

        self.journal.observe(restore, names="revision")
        restore()


class JournalForm:
    """Mixed into a form's widget that saves its ``model`` to ``journal``: the Save button, the status line
    and the saver (``add_saving``), ``on_submit``, and ``clear``, which empties what ``_empty`` names."""

    def add_saving(self, description: str, failure: str, unexpected: str) -> None:
        """``save_button``, ``status`` and ``saver``: the button saves the model, the status line says how it
        went (``failure`` names the action in the log, ``unexpected`` is the learner's sentence)."""
        self.save_button = ui.Button(description=description, button_style="primary")
        self.save_button.on_click(self._on_save)
        self.status = ui.HTML("")
        self.saver = JournalFormSaver(self.journal, self.status, failure, unexpected)

    def on_submit(self, callback) -> None:
        """Call ``callback(entry)`` after each successful save."""
        self.saver.on_submit(callback)

    def clear(self) -> None:
        """Empty the form and its status line (saved entries stay in the journal)."""
        self.saver.restored = True  # an emptied form stays empty
        self._empty()
        self.status.value = ""

    def _empty(self) -> None:
        raise NotImplementedError

    def _on_save(self, _button=None) -> None:
        self.saver.save(self.model)


class JournalPromptModel(JournalDraft):
    """One reflection prompt: the draft text, saving it as a 'reflection' entry, and what was saved."""

    text = traitlets.Unicode("", help="The learner's draft answer.")

    def __init__(self, journal: Journal, lesson: str, prompt: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal
        self.lesson = check_name(lesson, "lesson")
        self.prompt = clean_text(prompt, limit=2000, label="The prompt")
        self._last_saved: str | None = None

    def saved(self) -> list[dict]:
        """Entries saved for this lesson and prompt, oldest first."""
        return [
            entry
            for entry in self.journal.entries(kind="reflection", lesson=self.lesson)
            if entry["data"].get("prompt") == self.prompt
        ]

    def save(self) -> dict | None:
        """Save the draft; returns the entry, or None with ``message`` saying why not (nothing lost)."""
        try:
            answer = clean_text(self.text, limit=PROMPT_LIMIT, label="Your answer")
        except TextInputError as exc:
            return self.refuse(exc)
        if answer == self._last_saved:
            self.ok, self.message = True, "This answer is already saved in your journal."
            return None
        try:
            entry = self.journal.add("reflection", self.lesson, {"prompt": self.prompt, "answer": answer})
        except JournalError as exc:
            return self.refuse(exc)
        self._last_saved = answer
        self.ok, self.message = True, "Saved to your journal."
        return entry


class JournalPrompt(JournalForm, ui.VBox):
    """A prompt, a text box and a Save button; the saved answers for this prompt are listed below."""

    def __init__(self, journal: Journal | None, lesson: str, prompt: str, rows: int = 5) -> None:
        self.journal = journal if journal is not None else session_journal()
        self.model = JournalPromptModel(self.journal, lesson, prompt)
        prompt_html = as_html_text(self.model.prompt)
        self.prompt_text = ui.HTML(f'<p {SPACED} class="ck-journal-prompt">{prompt_html}</p>')
        self.answer = ui.Textarea(
            description="Your answer",
            tooltip=self.model.prompt,
            placeholder="Write your answer here.",
            rows=rows,
            layout=ui.layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.add_saving("Save to my journal", "saving a journal prompt", UNEXPECTED)
        self.saved_list = ui.HTML("")
        widgets.link((self.answer, "value"), (self.model, "text"))
        self.journal.observe(self._refresh, names="revision")
        super().__init__(
            [self.prompt_text, self.answer, self.save_button, self.status, self.saved_list]
            + journal_bridge(self.journal),
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-journal-prompt-box")
        self._refresh()

    def _empty(self) -> None:
        self.answer.value = ""

    def _on_save(self, _button=None) -> None:
        super()._on_save()
        self._refresh()

    def _refresh(self, _change=None) -> None:
        try:
            saved = self.model.saved()
        except JournalError as exc:
            self.saved_list.value = status_html(str(exc), "error")
            return
        if not saved:
            self.saved_list.value = ""
            return
        from coachkit.journal.export import when

        items = "".join(
            f'<li><span class="ck-when">{as_html_text(when(entry["created"]))}</span>: '
            f"{as_html_text(str(entry['data'].get('answer', '')))}</li>"
            for entry in saved
        )
        heading = f"<p>Saved in your journal ({_count(len(saved))}):</p>"
        self.saved_list.value = f'<div class="ck-journal-saved">{heading}<ul>{items}</ul></div>'


LINK_STYLE = (
    "display:inline-block;margin:0 0.4rem 0.4rem 0;padding:0.45rem 0.9rem;border-radius:4px;"
    "background:#0b5c8a;color:#fff;text-decoration:none;font-weight:600;line-height:1.4"
)


def _data_link(text: str, filename: str, mime: str, label: str) -> str:
    """A download link that carries the file in itself (works in JupyterLab and Voila, no server route):
    one click saves the file. It looks like the page's buttons."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a class="ck-download" style="{LINK_STYLE}" download="{filename}" '
        f'href="data:{mime};charset=utf-8;base64,{payload}">{label}</a>'
    )


class JournalBar(ui.VBox):
    """Where the journal is kept, how many entries, download, print, import and delete (with a confirm)."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.summary = ui.HTML("")
        self.reminder = ui.HTML("")  # the action plan's follow-up, when one is due or coming
        # one click: the links carry the whole journal, remade whenever it changes
        self.download = ui.HTML("")
        # No icon: its glyph was the only Font Awesome one on a lesson page, and every lesson fetched the
        # 0.16 MB solid icon font for it (docs/performance.md).
        self.upload = widgets.FileUpload(
            description="Import a journal file",
            accept=".md,.html,.htm,.json,.txt",
            multiple=False,
            icon="",
        )
        self.delete_button = ui.Button(description="Delete my data", button_style="danger")
        self.delete_button.layout = ui.layout(width="auto")
        self.upload.layout = ui.layout(width="auto")
        self.confirm_text = ui.HTML("")
        self.confirm_button = ui.Button(description="Yes, delete everything", button_style="danger")
        self.cancel_button = ui.Button(description="Cancel")
        self.confirm_box = ui.HBox(
            [self.confirm_text, self.confirm_button, self.cancel_button],
            layout=widgets.Layout(display="none", flex_flow="row wrap", align_items="center"),
        )
        self.status = ui.HTML("")
        self.delete_button.on_click(self._on_delete)
        self.confirm_button.on_click(self._on_confirm)
        self.cancel_button.on_click(self._on_cancel)
        self.upload.observe(self._on_upload, names="value")
        journal.observe(self._refresh, names=["revision", "ready"])
        journal.observe(self._on_status, names="status")
        buttons = ui.HBox(
            [self.upload, self.delete_button], layout=ui.layout(flex_flow="row wrap", align_items="center")
        )
        children = [self.summary, self.reminder, self.download, buttons, self.confirm_box, self.status]
        super().__init__(children + journal_bridge(journal), layout=ui.layout(width="100%"))
        self.add_class("ck-journal-bar")
        self._refresh()
        if journal.status:
            self._on_status()

    def _refresh(self, change=None) -> None:
        self._guard(self._prepare_downloads)
        if not self.journal.ready:
            count = "Connecting to your browser's storage..."
        else:
            try:
                count = f"It has {_count(len(self.journal.entries()))}."
            except JournalError as exc:
                count = str(exc)
        text = f"Your journal is kept {self.journal.where}. {self.journal.store.privacy} {count}"
        self.summary.value = f'<p {SPACED} class="ck-journal-summary">{as_html_text(text)}</p>'
        self._remind()

    def _remind(self) -> None:
        """Prompt the learner to come back and review their action plan's follow-up."""
        reminder = ""
        if self.journal.ready:
            try:
                reminder = reminder_text(latest_follow_up(self.journal.entries()))
            except Exception:  # the reminder is a courtesy; the bar must work without it
                log.debug("no follow-up reminder", exc_info=True)
        self.reminder.value = (
            f'<p {SPACED} class="ck-journal-reminder">{as_html_text(reminder)}</p>' if reminder else ""
        )

    def _on_status(self, _change=None) -> None:
        if self.journal.status:
            self.status.value = status_html(self.journal.status)

    def _guard(self, action) -> None:
        try:
            action()
        except JournalError as exc:
            self.status.value = status_html(str(exc), "error")
        except Exception:
            log.exception("a journal bar action failed")
            self.status.value = status_html("Something went wrong; your journal was not changed.", "error")

    def _prepare_downloads(self) -> None:
        """The two download links, made from the journal as it is now (and remade at every change)."""
        if not self.journal.ready:
            self.download.value = ""
            return
        entries = self.journal.entries()
        if not entries:
            self.download.value = (
                f'<p {SPACED} class="ck-journal-downloads">Your journal is empty so far: what you save in '
                "the lessons appears here, ready to download.</p>"
            )
            return
        from coachkit.journal.export import journal_html, journal_markdown

        markdown = _data_link(
            journal_markdown(entries),
            "coachkit-journal.md",
            "text/markdown",
            "Download my journal (Markdown)",
        )
        page = _data_link(
            journal_html(entries), "coachkit-journal.html", "text/html", "Printable page (HTML)"
        )
        self.download.value = (
            f'<p {SPACED} class="ck-journal-downloads">{markdown}{page}<br><span>One click saves the file. '
            "Open the HTML page in your browser to print it; import either file on another computer."
            "</span></p>"
        )

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]

        def read():
            try:
                if upload.get("size", 0) > IMPORT_LIMIT * 4 or len(upload["content"]) > IMPORT_LIMIT * 4:
                    raise JournalError("The file is too large to be a journal; nothing was imported.")
                try:
                    text = bytes(upload["content"]).decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise JournalError("The file is not a text file; nothing was imported.") from exc
                added = self.journal.import_text(text)
                self.status.value = status_html(
                    f"Imported {_count(added)} into your journal."
                    if added
                    else "Nothing new: every entry in the file is already in your journal.",
                    "ok",
                )
            finally:
                self.upload.value = ()

        self._guard(read)

    def _on_delete(self, _button=None) -> None:
        def ask():
            count = len(self.journal.entries())
            kept = self.journal.store.kept_aside()
            copies = (
                f" The {len(kept)} unreadable cop{'y' if len(kept) == 1 else 'ies'} of your journal file "
                f"kept beside it ({', '.join(kept[:3])}{', ...' if len(kept) > 3 else ''}) will be deleted "
                "too."
                if kept
                else ""
            )
            self.confirm_text.value = status_html(
                f"Delete all {_count(count)} in your journal? This cannot be undone. Download a copy first "
                f"if you want to keep it.{copies}",
                "warning",
            )
            self.confirm_box.layout.display = "flex"

        self._guard(ask)

    def _on_confirm(self, _button=None) -> None:
        def delete():
            self.confirm_box.layout.display = "none"
            self.journal.delete_all()
            self.status.value = status_html("Your journal has been deleted.", "ok")

        self._guard(delete)

    def _on_cancel(self, _button=None) -> None:
        self.confirm_box.layout.display = "none"
        self.status.value = status_html("Nothing was deleted.")

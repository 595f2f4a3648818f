"""The observer's tally: a click per thing the coach does, notes with exact phrases, a summary at the end."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import ipywidgets as widgets
import traitlets

from coachkit.forms import ui
from coachkit.forms.charts import chart_html, figure_png
from coachkit.forms.textinput import TextInputError, as_html_text, clean_text
from coachkit.journal.model import Journal, JournalError, check_name
from coachkit.journal.widgets import SubmitCallbacks, journal_bridge, report_save, status_html

log = logging.getLogger(__name__)

# (key, button text, plural for sentences); the order is the order of the buttons and the chart
BEHAVIOURS = (
    ("open", "Open question", "open questions"),
    ("closed", "Closed question", "closed questions"),
    ("leading", "Leading question or advice", "leading questions or pieces of advice"),
    ("why", '"Why" question', '"why" questions'),
    ("playback", "Paraphrase or summary", "paraphrases or summaries"),
    ("silence", "Silence given", "silences given"),
)
LABELS = {key: label for key, label, _plural in BEHAVIOURS}
ASKING = ("open", "closed", "leading", "why")  # what the share of open questions is a share of
NOTE_LIMIT = 1000
MAX_NOTES = 100  # the journal allows 200 fields in an entry; each note is one

CAVEAT = (
    "How these were chosen: by fixed rules from the counts alone. The rules follow common coaching "
    "practice (ask open questions, hold back advice, leave silence, play back what you hear); they are rules "
    "of thumb, not research findings, and counts cannot tell whether the conversation helped the coachee, so "
    "ask the coachee. The tally does not measure talk time: the popular 80/20 rule for how much the coachee "
    "should talk is a practitioner's rule of thumb with no research behind it."
)


def journal_key(plural: str) -> str:
    """'"why" questions' -> 'why_questions': a field name the journal accepts."""
    return "_".join(plural.replace('"', "").split())


def empty_counts() -> dict[str, int]:
    return {key: 0 for key, _label, _plural in BEHAVIOURS}


@dataclass(frozen=True)
class TallySummary:
    counts: dict[str, int]
    asked: int  # open + closed + leading/advice + why
    open_share: float | None  # open / asked; None when nothing was asked
    strengths: tuple[str, ...]  # two, unless nothing was counted
    to_try: str  # one, unless nothing was counted
    caveat: str = CAVEAT

    def text(self) -> str:
        """The summary as plain text, the same content as the chart and the lists."""
        lines = [f"{LABELS[key]}: {self.counts[key]}" for key, _label, _plural in BEHAVIOURS]
        if self.open_share is None:
            lines.append("Share of open questions: no questions counted.")
        else:
            lines.append(
                f"Share of open questions: {self.counts['open']} of {self.asked} questions and pieces of "
                f"advice ({self.open_share:.0%})."
            )
        if not self.strengths:
            lines.append(
                "Nothing has been counted yet: click a button each time the coach does one of these."
            )
            return "\n".join(lines)
        lines += (
            ["Strengths:"] + [f"- {s}" for s in self.strengths] + ["One thing to try:", f"- {self.to_try}"]
        )
        return "\n".join(lines)


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def summarise_tally(counts: dict[str, int]) -> TallySummary:
    """Two strengths and one thing to try, picked from the counts by the first rules that apply.

    Strengths, in this order: open questions (at least 2, and at least half of what was asked);
    silence given at least twice; playback at least twice; no advice or leading questions (with at least 3
    asked); no "why" questions (at least 3 asked); at least one open question; one silence; one playback.
    If fewer than two apply, honest fillers say so and point to the notes and the coachee.

    Thing to try, the first that applies: advice or leading at least twice and at least as often as open
    questions; "why" at least twice; no open question at all; more closed than open (at least 3 asked);
    no silence (at least 3 asked); no playback (at least 3 asked); otherwise "And what else?".
    """
    counts = {key: int(counts.get(key, 0)) for key, _label, _plural in BEHAVIOURS}
    if any(value < 0 for value in counts.values()):
        raise ValueError("Counts cannot be negative.")
    c = counts
    asked = sum(c[key] for key in ASKING)
    share = c["open"] / asked if asked else None
    if sum(counts.values()) == 0:
        return TallySummary(counts, 0, None, (), "")

    strengths: list[str] = []
    if share is not None and c["open"] >= 2 and share >= 0.5:
        strengths.append(
            f"Half or more of your questions were open: {c['open']} of {asked} ({share:.0%}). Open questions "
            "leave the thinking to the coachee."
        )
    if c["silence"] >= 2:
        strengths.append(f"You gave silence {_times(c['silence'])}: room for the coachee to think.")
    if c["playback"] >= 2:
        strengths.append(
            f"You played back what you heard {_times(c['playback'])}: the coachee hears their own words and "
            "knows you listened."
        )
    if asked >= 3 and c["leading"] == 0:
        strengths.append("No advice or leading questions were counted: you left the answers to the coachee.")
    if asked >= 3 and c["why"] == 0:
        strengths.append('No "why" questions were counted, so nothing that could sound like blame.')
    if c["open"] >= 1:
        strengths.append(f"You asked {c['open']} open question{'s' if c['open'] > 1 else ''}.")
    if c["silence"] == 1:
        strengths.append("You gave silence once: a start, and worth doing more.")
    if c["playback"] == 1:
        strengths.append("You played back what you heard once.")
    if not strengths:
        strengths.append(
            "No strength stands out in the counts yet; look in the notes for an exact phrase that worked."
        )
    if len(strengths) < 2:
        strengths.append("The counts show no second strength; ask the coachee what helped them think.")

    if c["leading"] >= 2 and c["leading"] >= c["open"]:
        to_try = (
            f"Turn advice into a question: advice or a leading question came {_times(c['leading'])}. "
            'When an idea comes to you, ask "What options do you see?" first and keep yours for later.'
        )
    elif c["why"] >= 2:
        to_try = (
            f'Reword "why" as "what": you asked "why" {_times(c["why"])}. It can sound like blame; '
            'try "What led you to...?" (a practice habit, not a research finding).'
        )
    elif asked and c["open"] == 0:
        to_try = (
            'Ask an open question: none was counted. Start with "what" or "how", then wait for the answer.'
        )
    elif asked >= 3 and c["closed"] > c["open"]:
        to_try = (
            f'Open your questions: {c["closed"]} closed against {c["open"]} open. Start with "what" or '
            '"how", and keep closed questions for checking commitment at the end.'
        )
    elif asked >= 3 and c["silence"] == 0:
        to_try = (
            "Give silence: none was counted. After a question, wait (count to five) before you speak again."
        )
    elif asked >= 3 and c["playback"] == 0:
        to_try = "Play back what you hear: once or twice, sum up in the coachee's own words before asking on."
    else:
        to_try = (
            'Ask "And what else?" once more before moving to options: the first answer is rarely '
            "the only one."
        )
    return TallySummary(counts, asked, share, tuple(strengths[:2]), to_try)


def draw_tally_chart(counts: dict[str, int]) -> bytes:
    """A small horizontal bar chart of the counts, as PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 2.9), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [label for _key, label, _plural in BEHAVIOURS][::-1]
    values = [counts.get(key, 0) for key, _label, _plural in BEHAVIOURS][::-1]
    colours = ["#1d3557" if label != LABELS["leading"] else "#a4001d" for label in labels]
    bars = axes.barh(labels, values, color=colours)
    axes.bar_label(bars, padding=3)
    axes.set_xlabel("Times counted")
    axes.set_xlim(0, max([*values, 1]) * 1.15 + 0.5)
    axes.xaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return figure_png(figure)


class TallyModel(traitlets.HasTraits):
    """The counts, the notes and an undo history; knows nothing of widgets or storage."""

    counts = traitlets.Dict(help="Behaviour key to the number of clicks.")
    notes = traitlets.List(traitlets.Unicode(), help="Exact phrases and observations, in order.")
    history = traitlets.List(help="What each click did, newest last, for Undo: ('count', key) or ('note',).")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if not self.counts:
            self.counts = empty_counts()

    def count(self, key: str) -> int:
        if key not in LABELS:
            raise KeyError(f"Unknown behaviour {key!r}; expected one of {', '.join(LABELS)}.")
        self.counts = {**self.counts, key: self.counts[key] + 1}
        self.history = [*self.history, ("count", key)]
        return self.counts[key]

    def add_note(self, text: str) -> str:
        """Add a cleaned note; TextInputError with a message for the observer when it is empty or too long."""
        note = clean_text(text, limit=NOTE_LIMIT, label="The note")
        if len(self.notes) >= MAX_NOTES:
            raise TextInputError(f"That is {MAX_NOTES} notes already; save this tally and start a new one.")
        self.notes = [*self.notes, note]
        self.history = [*self.history, ("note",)]
        return note

    def undo(self) -> str | None:
        """Take back the last click (a count or a note); returns what was undone in words, or None."""
        if not self.history:
            return None
        last = self.history[-1]
        self.history = self.history[:-1]
        if last[0] == "count":
            key = last[1]
            self.counts = {**self.counts, key: max(0, self.counts[key] - 1)}
            return LABELS[key]
        self.notes = self.notes[:-1]
        return "the last note"

    def summary(self) -> TallySummary:
        return summarise_tally(self.counts)

    def entry_data(self) -> dict:
        """The journal entry's fields, named so that an exported journal reads well ('Open questions: 3')."""
        summary = self.summary()
        data: dict = {journal_key(plural): summary.counts[key] for key, _label, plural in BEHAVIOURS}
        data["share_of_open_questions"] = (
            "no questions counted"
            if summary.open_share is None
            else f"{summary.open_share:.0%} ({summary.counts['open']} of {summary.asked})"
        )
        for number, strength in enumerate(summary.strengths, start=1):
            data[f"strength_{number}"] = strength
        if summary.to_try:
            data["one_thing_to_try"] = summary.to_try
        for number, note in enumerate(self.notes, start=1):
            data[f"note_{number}"] = note
        return data

    def clear(self) -> None:
        self.counts, self.notes, self.history = empty_counts(), [], []


class ObserverTally(ui.VBox):
    """Buttons to count what the coach does, notes with exact phrases, a summary, and saving to a journal."""

    def __init__(self, journal: Journal | None = None, lesson: str = "03-role-play") -> None:
        self.journal = journal
        self.lesson = check_name(lesson, "lesson")
        self.model = TallyModel()
        self.submitted = SubmitCallbacks()
        self.buttons: dict[str, ui.Button] = {}
        for key, label, _plural in BEHAVIOURS:
            button = ui.Button(
                description=f"{label}: 0",
                tooltip=f"Count one {label.lower()}",
                layout=ui.layout(width="auto", min_width="14em", height="3em"),
            )
            button.on_click(lambda _b, key=key: self._guard(lambda: self._on_count(key)))
            self.buttons[key] = button
        self.undo_button = ui.Button(description="Undo last click", tooltip="Take back the last click")
        self.note_box = ui.Textarea(
            description="Note",
            placeholder='Exact words, e.g. the coach said: "Couldn\'t you just ask finance?"',
            rows=2,
            layout=ui.layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.add_note_button = ui.Button(description="Add note")
        self.notes_view = ui.HTML("")
        self.summary_button = ui.Button(description="Show summary", button_style="info")
        self.save_button = ui.Button(
            description="Save to journal",
            button_style="primary",
            layout=widgets.Layout(),  # its own: hidden
        )
        self.save_button.layout.display = None if journal is not None else "none"
        self.clear_button = ui.Button(description="Start a new tally", tooltip="Clear counts and notes")
        self.status = ui.HTML("")
        self.chart = ui.HTML("")
        self.summary_view = ui.HTML("")
        # The counts and notes as a hidden text the web app's page keeps as a draft in the visitor's
        # browser (lesson-guard.js): a reload mid-round gives them back instead of starting at zero.
        self.draft = widgets.Text(
            value="", description="Observer tally draft", layout=widgets.Layout(display="none")
        )
        self.draft.add_class("ck-draft-carrier")
        self._writing_draft = False
        self.draft.observe(self._on_draft, names="value")
        self.undo_button.on_click(lambda _b: self._guard(self._on_undo))
        self.add_note_button.on_click(lambda _b: self._guard(self._on_add_note))
        self.summary_button.on_click(lambda _b: self._guard(self.show_summary))
        self.save_button.on_click(lambda _b: self._guard(self.save))
        self.clear_button.on_click(lambda _b: self._guard(self.clear))
        row = ui.layout(flex_flow="row wrap")
        super().__init__(
            [
                ui.HBox(list(self.buttons.values()), layout=row),
                ui.HBox([self.undo_button], layout=row),
                self.note_box,
                ui.HBox([self.add_note_button], layout=row),
                self.notes_view,
                ui.HBox([self.summary_button, self.save_button, self.clear_button], layout=row),
                self.status,
                self.chart,
                self.summary_view,
                self.draft,
                *(journal_bridge(journal) if journal is not None else []),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-observer-tally")
        self._refresh()

    def on_submit(self, callback) -> None:
        """Call ``callback(entry)`` after each save to the journal."""
        self.submitted.add(callback)

    def clear(self) -> None:
        """Counts to zero, notes gone (anything saved stays in the journal)."""
        self.model.clear()
        self.note_box.value = ""
        self.status.value = self.chart.value = self.summary_view.value = ""
        self._refresh()

    def show_summary(self) -> TallySummary:
        summary = self.model.summary()
        self.summary_view.value = self._summary_html(summary)
        if summary.strengths:
            alt = "Bar chart of the counts. " + "; ".join(
                f"{LABELS[key]}: {summary.counts[key]}" for key, _label, _plural in BEHAVIOURS
            )
            self.chart.value = chart_html(draw_tally_chart(summary.counts), alt)
        else:
            self.chart.value = ""
        return summary

    def save(self) -> dict | None:
        """Save the tally (counts, share, notes, strengths, thing to try) as a 'tally' entry."""
        if self.journal is None:
            return None
        if not any(self.model.counts.values()) and not self.model.notes:
            self.status.value = status_html(
                "Nothing to save yet: count something or add a note first.", "error"
            )
            return None
        try:
            entry = self.journal.add("tally", self.lesson, self.model.entry_data())
        except JournalError as exc:
            self.status.value = status_html(str(exc), "error")
            return None
        report_save(
            self.journal,
            self.status,
            entry,
            "The tally is saved in your journal.",
            "The counts are still here.",
        )
        self.submitted.tell(entry)
        return entry

    def _summary_html(self, summary: TallySummary) -> str:
        rows = "".join(
            f'<tr><th scope="row">{as_html_text(label)}</th><td>{summary.counts[key]}</td></tr>'
            for key, label, _plural in BEHAVIOURS
        )
        if summary.open_share is None:
            share = "No questions were counted, so there is no share of open questions."
        else:
            share = (
                f"Share of open questions: {summary.counts['open']} of {summary.asked} questions and "
                f"pieces of advice ({summary.open_share:.0%})."
            )
        html = (
            f'<div class="ck-tally-summary"><table><caption>What the observer counted</caption>'
            f"<tbody>{rows}</tbody></table><p>{as_html_text(share)}</p>"
        )
        if not summary.strengths:
            return (
                html
                + "<p>Nothing has been counted yet: click a button each time the coach does one of these.</p>"
                + "</div>"
            )
        strengths = "".join(f"<li>{as_html_text(s)}</li>" for s in summary.strengths)
        return (
            html
            + f"<h3>Two strengths</h3><ul>{strengths}</ul><h3>One thing to try</h3>"
            + f"<p>{as_html_text(summary.to_try)}</p>"
            + f'<p class="ck-caveat"><small>{as_html_text(summary.caveat)}</small></p></div>'
        )

    def _write_draft(self) -> None:
        empty = not any(self.model.counts.values()) and not self.model.notes
        value = "" if empty else json.dumps({"counts": self.model.counts, "notes": self.model.notes})
        self._writing_draft = True
        try:
            self.draft.value = value
        finally:
            self._writing_draft = False

    def _on_draft(self, change) -> None:
        """A draft the page restored after a reload: taken only into an empty tally, each field checked."""
        if self._writing_draft or any(self.model.counts.values()) or self.model.notes:
            return
        try:
            document = json.loads(change["new"] or "null")
            counts = document["counts"]
            restored = {
                key: int(counts.get(key, 0)) if 0 <= int(counts.get(key, 0)) <= 10_000 else 0
                for key in LABELS
            }
            notes = [clean_text(str(note), limit=NOTE_LIMIT, label="A note") for note in document["notes"]]
        except (ValueError, TypeError, KeyError, AttributeError, TextInputError):
            return  # not a draft this tally wrote: ignored
        if not any(restored.values()) and not notes:
            return
        self.model.counts, self.model.notes, self.model.history = restored, notes[:MAX_NOTES], []
        self._refresh()
        self.status.value = status_html(
            "Your counts and notes from before the page was reloaded are back (kept in this browser only).",
            "info",
        )

    def _refresh(self) -> None:
        self._write_draft()
        for key, button in self.buttons.items():
            button.description = f"{LABELS[key]}: {self.model.counts[key]}"
        self.undo_button.disabled = not self.model.history
        if self.model.notes:
            items = "".join(f"<li>{as_html_text(note)}</li>" for note in self.model.notes)
            self.notes_view.value = f'<div class="ck-tally-notes"><p>Notes:</p><ol>{items}</ol></div>'
        else:
            self.notes_view.value = ""

    def _guard(self, action) -> None:
        try:
            action()
        except Exception:  # Voila shows no tracebacks: a sentence for the observer, details in the log
            log.exception("observer tally action failed")
            self.status.value = status_html(
                "Something went wrong; your counts and notes are still here.", "error"
            )

    def _on_count(self, key: str) -> None:
        self.model.count(key)
        self.status.value = ""
        self._refresh()

    def _on_undo(self) -> None:
        undone = self.model.undo()
        self.status.value = status_html(f"Undone: {undone}." if undone else "Nothing to undo.", "info")
        self._refresh()

    def _on_add_note(self) -> None:
        try:
            self.model.add_note(self.note_box.value)
        except TextInputError as exc:
            self.status.value = status_html(str(exc), "error")
            return
        self.note_box.value = ""
        self.status.value = ""
        self._refresh()

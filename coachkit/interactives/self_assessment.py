"""The learner's self-rating on eight coaching skills before and after the workshop, with a chart of both."""

from __future__ import annotations

import base64
import io
import logging

import ipywidgets as widgets
import traitlets

from coachkit.course.skills import SKILLS
from coachkit.forms import ui
from coachkit.forms.ratings import NOT_RATED, rating_dropdown, rating_value
from coachkit.forms.textinput import as_html_text
from coachkit.journal.model import Journal, JournalError, check_name
from coachkit.journal.widgets import JournalDraft, journal_bridge, report_save, session_journal, status_html

log = logging.getLogger(__name__)

MOMENTS = ("before", "after")
DEFAULT_LESSONS = {"before": "00-start-here", "after": "07-whats-keeping-you"}


SCALE = {
    1: "1 - rarely true of me",
    2: "2 - sometimes true",
    3: "3 - true about half the time",
    4: "4 - usually true",
    5: "5 - almost always true",
}


def latest_ratings(journal: Journal) -> dict[str, dict[str, int]]:
    """The most recent complete ratings per moment: ``{"before": {...}, "after": {...}}``."""
    found: dict[str, dict[str, int]] = {}
    for entry in journal.entries(kind="self-assessment"):
        data = entry["data"]
        ratings = data.get("ratings")
        if data.get("moment") in MOMENTS and isinstance(ratings, dict):
            clean = {
                skill.key: ratings[skill.key]
                for skill in SKILLS
                if isinstance(ratings.get(skill.key), int) and 1 <= ratings[skill.key] <= 5
            }
            if len(clean) == len(SKILLS):
                found[data["moment"]] = clean  # entries come oldest first, so the last one wins
    return found


def summary_text(before: dict[str, int] | None, after: dict[str, int] | None) -> str:
    """The chart in words, for screen readers and for print."""
    if not before and not after:
        return "You have not rated yourself yet."
    parts = []
    for skill in SKILLS:
        values = []
        if before:
            values.append(f"before {before[skill.key]}")
        if after:
            values.append(f"after {after[skill.key]}")
        parts.append(f"{skill.title}: {', '.join(values)}.")
    text = "Your ratings from 1 to 5. " + " ".join(parts)
    if before and after:
        changes = {skill.title: after[skill.key] - before[skill.key] for skill in SKILLS}
        grew = [title for title, change in changes.items() if change > 0]
        mean_before, mean_after = sum(before.values()) / len(SKILLS), sum(after.values()) / len(SKILLS)
        text += f" Average before {mean_before:.1f}, after {mean_after:.1f}."
        if grew:
            best = max(changes, key=changes.get)
            text += f" Higher after the workshop in {len(grew)} of {len(SKILLS)} skills; most in {best}."
        else:
            text += " No skill is rated higher after the workshop."
    return text


def draw_chart(before: dict[str, int] | None, after: dict[str, int] | None) -> bytes:
    """A horizontal bar chart of the ratings, before and after side by side, as PNG bytes."""
    # matplotlib is imported here, not at the top: a lesson must not pay for it until a chart is drawn
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = list(range(len(SKILLS)))[::-1]
    series = [(label, values) for label, values in (("Before", before), ("After", after)) if values]
    height = 0.8 / max(len(series), 1)
    colours = {"Before": "#9aa5b1", "After": "#1f5fa8"}
    hatches = {"Before": "//", "After": ""}
    for number, (label, values) in enumerate(series):
        offset = (number - (len(series) - 1) / 2) * height
        axes.barh(
            [row - offset for row in rows],
            [values[skill.key] for skill in SKILLS],
            height=height,
            label=label,
            color=colours[label],
            hatch=hatches[label],
            edgecolor="#333333",
        )
    axes.set_yticks(rows, [skill.title for skill in SKILLS])
    axes.set_xlim(0, 5)
    axes.set_xticks([1, 2, 3, 4, 5])
    axes.set_xlabel("Your rating (1 = rarely true of me, 5 = almost always true)")
    axes.set_title("Your coaching skills, as you rate them")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class SelfRating(JournalDraft):
    """One self-assessment in progress: a rating from 1 to 5 per skill, saved as 'self-assessment'."""

    moment = traitlets.Enum(MOMENTS, default_value="before", help="Before or after the workshop.")
    ratings = traitlets.Dict(help="Skill key to a rating from 1 to 5.")

    def __init__(self, journal: Journal, moment: str = "before", lesson: str | None = None, **kwargs) -> None:
        super().__init__(moment=moment, **kwargs)
        self.journal = journal
        self.lesson = check_name(lesson or DEFAULT_LESSONS[self.moment], "lesson")

    def rate(self, key: str, value: int | None) -> None:
        if key not in {skill.key for skill in SKILLS}:
            raise KeyError(key)
        if value is not None and (type(value) is not int or not 1 <= value <= 5):
            raise ValueError("A rating is a whole number from 1 to 5.")
        ratings = dict(self.ratings)
        if value is None:
            ratings.pop(key, None)
        else:
            ratings[key] = value
        self.ratings = ratings

    def save(self) -> dict | None:
        """Save when every skill is rated; otherwise None and a message naming what is missing."""
        missing = [skill.title for skill in SKILLS if skill.key not in self.ratings]
        if missing:
            self.ok = False
            self.message = f"Please rate every skill first. Not rated yet: {', '.join(missing)}."
            return None
        data = {"moment": self.moment, "ratings": {skill.key: self.ratings[skill.key] for skill in SKILLS}}
        try:
            entry = self.journal.add("self-assessment", self.lesson, data)
        except JournalError as exc:
            return self.refuse(exc)
        self.ok, self.message = True, f"Your ratings ({self.moment} the workshop) are saved in your journal."
        return entry


class SelfAssessment(ui.VBox):
    """Rate yourself on eight coaching skills; a chart compares before and after once both exist."""

    def __init__(
        self, journal: Journal | None = None, moment: str = "before", lesson: str | None = None
    ) -> None:
        self.journal = journal if journal is not None else session_journal()
        self.model = SelfRating(self.journal, moment=moment, lesson=lesson)
        self._callbacks: list = []
        self._drawn: tuple | None = None
        self.intro = ui.HTML(
            '<p class="ck-selfassessment-intro">'
            + as_html_text(
                f"Rate yourself {self.model.moment} the workshop: how true is each sentence of you today? "
                "There are no right answers; only you see this. The eight skills follow the International "
                "Coaching Federation's core competencies (2019), put in a manager's words."
            )
            + "</p>"
        )
        self.dropdowns: dict[str, ui.Dropdown] = {}
        rows = []
        for skill in SKILLS:
            # 18em: "Questions that make people think" on one line in JupyterLab, which cuts a label
            dropdown = rating_dropdown(skill.title, skill.statement, SCALE, "18em", "36em")
            dropdown.observe(lambda change, key=skill.key: self._on_rate(key, change["new"]), names="value")
            self.dropdowns[skill.key] = dropdown
            statement = ui.HTML(
                f'<p class="ck-skill-statement"><strong>{as_html_text(skill.title)}.</strong> '
                f"{as_html_text(skill.statement)}</p>"
            )
            rows += [statement, dropdown]
        self.save_button = ui.Button(description="Save my ratings", button_style="primary")
        self.save_button.on_click(self._on_save)
        self.status = ui.HTML("")
        self.summary = ui.HTML("")
        self.chart = ui.HTML("")
        self.show_chart_button = ui.Button(
            description="Show my chart", layout=widgets.Layout()
        )  # its own: hidden
        self.show_chart_button.layout.display = "none"
        self.show_chart_button.on_click(lambda _button: self._guarded(self._draw))
        super().__init__(
            [
                self.intro,
                *rows,
                self.save_button,
                self.status,
                self.summary,
                self.show_chart_button,
                self.chart,
                *journal_bridge(self.journal),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-selfassessment")
        self.journal.observe(self._on_journal, names="revision")
        self._prefilled = False
        self._refresh(draw=None)

    def on_submit(self, callback) -> None:
        """Call ``callback(entry)`` after each successful save."""
        if not callable(callback):
            raise TypeError("on_submit needs a function, for example on_submit(lambda entry: ...)")
        self._callbacks.append(callback)

    def clear(self) -> None:
        """Reset every rating in the form (saved ratings stay in the journal)."""
        for dropdown in self.dropdowns.values():
            dropdown.value = NOT_RATED
        self.status.value = ""

    def _on_rate(self, key: str, value) -> None:
        self.model.rate(key, rating_value(value))

    def _guarded(self, action) -> None:
        try:
            action()
        except Exception:  # Voila shows no tracebacks: a sentence for the learner, details in the log
            log.exception("the self-assessment failed")
            self.status.value = status_html(
                "Something went wrong; your ratings are still in the form.", "error"
            )

    def _on_save(self, _button=None) -> None:
        def save():
            entry = self.model.save()
            if entry is not None:
                report_save(
                    self.journal, self.status, entry, self.model.message, "Your ratings are still here."
                )
            else:
                self.status.value = status_html(self.model.message, "ok" if self.model.ok else "error")
            if entry is not None:
                for callback in self._callbacks:
                    callback(entry)
                self._refresh(draw=True)

        self._guarded(save)

    def _on_journal(self, _change=None) -> None:
        self._guarded(lambda: self._refresh(draw=None))

    def _refresh(self, draw: bool | None) -> None:
        """Update the summary; draw the chart when asked, or (draw=None) when both moments exist."""
        try:
            found = latest_ratings(self.journal)
        except JournalError as exc:
            self.summary.value = status_html(str(exc), "error")
            return
        mine = found.get(self.model.moment)
        if mine and not self._prefilled and not self.model.ratings:
            self._prefilled = True
            for key, value in mine.items():
                self.dropdowns[key].value = value
        before, after = found.get("before"), found.get("after")
        if not found:
            self.summary.value = ""
            self.chart.value = ""
            self.show_chart_button.layout.display = "none"
            return
        self.summary.value = f'<p class="ck-chart-summary">{as_html_text(summary_text(before, after))}</p>'
        if draw or (draw is None and before and after) or (self._drawn and self._drawn != (before, after)):
            self._draw()
        elif not self._drawn:
            self.show_chart_button.layout.display = "flex"

    def _draw(self) -> None:
        found = latest_ratings(self.journal)
        before, after = found.get("before"), found.get("after")
        if not before and not after:
            return
        png = base64.b64encode(draw_chart(before, after)).decode("ascii")
        alt = "Bar chart of your self-ratings" + (
            " before and after the workshop" if before and after else ""
        )
        self.chart.value = (
            f'<figure class="ck-chart"><img src="data:image/png;base64,{png}" alt="{alt}. '
            f'The same numbers are written out above." style="max-width:100%;height:auto"></figure>'
        )
        self._drawn = (before, after)
        self.show_chart_button.layout.display = "none"

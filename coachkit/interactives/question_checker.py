"""Lesson 02's question checker: type a question, see its kind, why and a rewrite; disagree to the journal."""

from __future__ import annotations

import logging

from coachkit.classifiers.question_kinds import (
    KIND_TITLES,
    KINDS,
    QUESTION_LIMIT,
    QuestionVerdict,
    classify_question,
    verdict_html,
)
from coachkit.forms import ui
from coachkit.forms.textinput import TextInputError, as_html_text, clean_text

log = logging.getLogger(__name__)


DISAGREE_CHOICES = (("I don't know", ""),) + tuple((KIND_TITLES[kind], kind) for kind in KINDS)
LESSON = "02-coaching-conversation"


class QuestionChecker(ui.VBox):
    """Type a question you might ask; the checker says what kind it is, why, and how to open it up.

    When the learner thinks the verdict is wrong, "I disagree" saves the question, the verdict and the kind
    the learner would give it to the journal (when there is one), so the disagreement is kept, not lost.
    """

    def __init__(self, value: str = "", journal=None) -> None:
        self.journal = journal
        self.text = ui.Text(
            value=value,
            description="Your question",
            placeholder="e.g. Why is this late?",
            style={"description_width": "8em"},
            layout=ui.layout(width="100%", max_width="46em"),
        )
        self.check_button = ui.Button(description="Check my question", button_style="primary")
        self.result = ui.HTML("")
        self.verdict: QuestionVerdict | None = None
        self._checked_text = ""
        self._callbacks: list = []
        self.check_button.on_click(self._on_check)
        children = [self.text, self.check_button, self.result]
        if journal is not None:
            from coachkit.journal.widgets import journal_bridge

            self.disagree_kind = ui.Dropdown(
                options=DISAGREE_CHOICES,
                value="",
                description="I'd call it",
                style={"description_width": "8em"},
                layout=ui.layout(width="auto", max_width="30em"),
            )
            self.disagree_button = ui.Button(description="I disagree: save it to my journal")
            self.disagree_button.on_click(self._on_disagree)
            self.disagree_status = ui.HTML("")
            children += [
                self.disagree_kind,
                self.disagree_button,
                self.disagree_status,
                *journal_bridge(journal),
            ]
        super().__init__(children, layout=ui.layout(width="100%"))
        self.add_class("ck-question-checker")

    def on_submit(self, callback) -> None:
        """Call ``callback(verdict)`` after each check."""
        if not callable(callback):
            raise TypeError("on_submit needs a function, for example on_submit(lambda verdict: ...)")
        self._callbacks.append(callback)

    def clear(self) -> None:
        self.text.value = ""
        self.result.value = ""
        self.verdict = None
        if self.journal is not None:
            self.disagree_status.value = ""

    def _status(self, widget, tone: str, message: str) -> None:
        widget.value = (
            f'<p style="line-height:1.5" class="ck-status ck-status--{tone}" role="status">'
            f"{as_html_text(message)}</p>"
        )

    def _on_check(self, _source=None) -> None:
        try:
            question = clean_text(self.text.value, limit=QUESTION_LIMIT, label="Your question")
            self.verdict = classify_question(question)
            self._checked_text = question
            self.result.value = verdict_html(self.verdict)
            if self.journal is not None:
                self.disagree_status.value = ""
            for callback in self._callbacks:
                callback(self.verdict)
        except TextInputError as exc:
            self.verdict = None
            self._status(self.result, "error", str(exc))
        except Exception:  # Voila shows no tracebacks: a sentence for the learner, details in the log
            log.exception("the question checker failed")
            self.verdict = None
            self._status(
                self.result,
                "error",
                "Something went wrong while checking. Your question is still in the box; please try again.",
            )

    def _on_disagree(self, _button=None) -> None:
        if self.verdict is None or not self._checked_text:
            self._status(
                self.disagree_status, "error", "Check a question first; then you can say you disagree."
            )
            return
        try:
            entry = self.journal.add(
                "question-disagreement",
                LESSON,
                {
                    "question": self._checked_text,
                    "checker_said": self.verdict.kind,
                    "rule": self.verdict.rule,
                    "learner_says": self.disagree_kind.value,
                },
            )
        except ValueError as exc:  # JournalError is a ValueError
            self._status(self.disagree_status, "error", f"Not saved: {exc}")
            return
        except Exception:
            log.exception("saving a disagreement failed")
            self._status(
                self.disagree_status, "error", "Something went wrong; your disagreement was not saved."
            )
            return
        if entry is None:
            self._status(self.disagree_status, "error", "Not saved: the journal did not accept it.")
            return
        from coachkit.journal.widgets import report_save

        report_save(
            self.journal,
            self.disagree_status,
            entry,
            "Saved to your journal: your question and why you disagree. The checker reads wording only, so "
            "you may well be right.",
        )

"""Feedback before coaching: turn a vague criticism into Situation-Behaviour-Impact and an open question."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

import ipywidgets as widgets
import traitlets

from coachkit.classifiers.question_kinds import classify_question
from coachkit.forms import ui
from coachkit.forms.textinput import TextField, TextInputError, as_html_text, clean_text
from coachkit.journal.model import Journal, JournalError, check_name
from coachkit.journal.widgets import JournalDraft, JournalForm, journal_bridge, session_journal, status_html
from coachkit.paths import assets_dir

log = logging.getLogger(__name__)

DATA_FILE = "feedback-practice.json"
LESSON = "03-role-play"
KIND = "feedback-practice"
UNEXPECTED = (
    "Something went wrong and nothing was saved. What you wrote is still in the boxes; please try again."
)


PARTS = (
    TextField("situation", "Situation", "When and where, e.g. In Tuesday's planning meeting,", 300),
    TextField(
        "behaviour",
        "Behaviour",
        "What they did or said, as a camera would record it, e.g. you spoke over Ana twice",
        500,
    ),
    TextField("impact", "Impact", "What it led to, e.g. we left without Ana's estimate", 500),
    TextField("question", "Open question", "e.g. What do you make of that?", 300),
)
OBSERVATION = ("situation", "behaviour", "impact")

# What the closing question's kind (from the shared classifier) means after a piece of feedback.
# Only ``.kind`` is used, so the classifier may reword its own explanations freely.
QUESTION_NOTES = {
    "open": "Your question is open: it hands the thinking to them. Now listen to the answer.",
    "closed": "Your question can be answered with yes or no. After feedback, hand the thinking over with "
    "'what' or 'how', for example 'What do you make of that?'",
    "leading": "Your question carries your own answer. Ask what they make of it before you offer a fix.",
    "loaded": "Your question has a judgement built in, which undoes the careful observation. Ask it plainly, "
    "for example 'What was going on for you?'",
    "why": "A 'why' question tends to sound like an accusation, more so straight after feedback. Try 'What "
    "led to...?' or 'What was going on for you?'",
    "stacked": "That is more than one question. Ask one, and wait for the answer.",
    "playback": "That plays back what you said. After feedback, ask for their view: 'What do you make "
    "of that?'",
    "contracting": "That agrees how to talk, which belongs at the start. After the feedback, ask what they "
    "make of it.",
    "not-a-question": "That is not a question yet. End with one open question, for example 'What do you make "
    "of that?'",
    "other-language": "The checker reads English only, so it could not check your question. Ask yourself "
    "whether it can be answered with yes or no.",
}
OTHER_QUESTION = (
    "The checker could not tell what kind of question this is. Make sure it is one open question."
)


class FeedbackDataError(ValueError):
    """assets/feedback-practice.json is missing or broken; the message says what is wrong."""


@dataclass(frozen=True)
class Criticism:
    key: str
    vague: str
    example: dict[str, str]


@dataclass(frozen=True)
class FeedbackData:
    judgement_words: tuple[str, ...]
    generalisation_words: tuple[str, ...]
    criticisms: tuple[Criticism, ...]


def parse_data(raw: object) -> FeedbackData:
    """The word lists and criticisms from their JSON, or FeedbackDataError naming the broken part."""
    if not isinstance(raw, dict):
        raise FeedbackDataError(f"{DATA_FILE} must hold a JSON object.")
    lists = {}
    for name in ("judgement_words", "generalisation_words"):
        words = raw.get(name)
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise FeedbackDataError(f"{DATA_FILE}: '{name}' must be a list of words.")
        if any(word != word.lower().strip() for word in words):
            raise FeedbackDataError(f"{DATA_FILE}: '{name}' must be lower case (the check ignores case).")
        lists[name] = tuple(words)
    criticisms = []
    for number, item in enumerate(raw.get("criticisms") or [], start=1):
        example = item.get("example") if isinstance(item, dict) else None
        if (
            not isinstance(item, dict)
            or not all(isinstance(item.get(k), str) and item[k].strip() for k in ("key", "vague"))
            or not isinstance(example, dict)
            or not all(isinstance(example.get(p.key), str) and example[p.key].strip() for p in PARTS)
        ):
            raise FeedbackDataError(
                f"{DATA_FILE}: criticism {number} needs a key, the vague text and an example with "
                + ", ".join(p.key for p in PARTS)
                + "."
            )
        criticisms.append(Criticism(item["key"], item["vague"], {p.key: example[p.key] for p in PARTS}))
    if not criticisms:
        raise FeedbackDataError(f"{DATA_FILE}: 'criticisms' must list at least one vague criticism.")
    if len({c.key for c in criticisms}) != len(criticisms):
        raise FeedbackDataError(f"{DATA_FILE}: two criticisms share a key.")
    return FeedbackData(lists["judgement_words"], lists["generalisation_words"], tuple(criticisms))


@lru_cache(maxsize=1)
def feedback_data() -> FeedbackData:
    """assets/feedback-practice.json, read once."""
    try:
        raw = json.loads((assets_dir() / DATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FeedbackDataError(f"{DATA_FILE} cannot be read ({exc}).") from exc
    return parse_data(raw)


def _pattern(phrase: str) -> re.Pattern:
    # whole words, any run of spaces between them, straight or curly apostrophes
    words = [re.escape(word).replace("'", "['\u2019]") for word in phrase.split()]
    return re.compile(r"(?<![\w'])" + r"\s+".join(words) + r"(?![\w'])", re.IGNORECASE)


def find_words(text: str, phrases: tuple[str, ...]) -> list[str]:
    """The phrases of ``phrases`` that occur in ``text`` as whole words, in the order of the list."""
    return [phrase for phrase in phrases if _pattern(phrase).search(text)]


@dataclass(frozen=True)
class FeedbackReview:
    """What the check found: judgement and generalisation words per part, and the question's kind."""

    judgements: dict[str, list[str]] = field(default_factory=dict)
    generalisations: dict[str, list[str]] = field(default_factory=dict)
    question_kind: str = ""

    @property
    def specific(self) -> bool:
        return not any(self.judgements.values()) and not any(self.generalisations.values())

    @property
    def open_question(self) -> bool:
        return self.question_kind == "open"

    @property
    def ready(self) -> bool:
        return self.specific and self.open_question

    def notes(self) -> list[str]:
        """One sentence per thing to improve, or one saying it is ready; for the learner."""
        titles = {part.key: part.label for part in PARTS}
        notes = []
        for key, words in self.judgements.items():
            if words:
                verb = "is a judgement" if len(words) == 1 else "are judgements"
                notes.append(
                    f"{titles[key]}: {_quoted(words)} {verb} about the person. Say what you saw or heard "
                    "instead, as a camera would record it."
                )
        for key, words in self.generalisations.items():
            if words:
                verb = "turns" if len(words) == 1 else "turn"
                notes.append(
                    f"{titles[key]}: {_quoted(words)} {verb} one occasion into a rule, and invites an "
                    "argument about the exceptions. Name the occasions you saw."
                )
        if self.question_kind:
            note = QUESTION_NOTES.get(self.question_kind, OTHER_QUESTION)
            notes.append(note if note.startswith("Your question") else f"Your question: {note}")
        if self.ready:
            notes.insert(0, "This is an observation, not a judgement, and it ends with an open question.")
        return notes


def _quoted(words: list[str]) -> str:
    return ", ".join(f"'{word}'" for word in words)


def review_feedback(parts: dict[str, str], data: FeedbackData | None = None) -> FeedbackReview:
    """Check the situation, behaviour and impact for judgement words and the question with the shared
    classifier. Empty parts are skipped; ``parts`` maps the keys of PARTS to the learner's text."""
    data = data or feedback_data()
    judgements, generalisations = {}, {}
    for key in OBSERVATION:
        text = parts.get(key) or ""
        judgements[key] = find_words(text, data.judgement_words)
        generalisations[key] = find_words(text, data.generalisation_words)
    question = (parts.get("question") or "").strip()
    kind = classify_question(question).kind if question else ""
    return FeedbackReview(judgements, generalisations, kind)


class FeedbackDraft(JournalDraft):
    """One practice piece of feedback: the vague criticism it rewrites, the three parts and the question."""

    criticism = traitlets.Unicode(
        "", allow_none=True, help="The key of the vague criticism being rewritten (None: none to choose)."
    )
    situation = traitlets.Unicode("")
    behaviour = traitlets.Unicode("")
    impact = traitlets.Unicode("")
    question = traitlets.Unicode("")

    def __init__(self, journal: Journal, lesson: str = LESSON, **kwargs) -> None:
        super().__init__(**kwargs)
        self.journal = journal
        self.lesson = check_name(lesson, "lesson")

    def cleaned(self) -> dict[str, str]:
        """Every part tidied by clean_text; raises TextInputError naming the first part that is wrong."""
        return {
            part.key: clean_text(getattr(self, part.key), limit=part.limit, label=part.label)
            for part in PARTS
        }

    def review(self) -> FeedbackReview:
        return review_feedback({part.key: getattr(self, part.key) for part in PARTS})

    def keep(self, parts: dict) -> dict | None:
        """Save the feedback with what the check found; the notes go into ``message``."""
        review = review_feedback(parts)
        vague = {c.key: c.vague for c in feedback_data().criticisms}.get(self.criticism, "")
        data = {
            "vague_criticism": vague,
            **parts,
            "question_kind": review.question_kind,
            "specific": review.specific,
        }
        try:
            entry = self.journal.add(KIND, self.lesson, data)
        except JournalError as exc:
            return self.refuse(exc)
        self.ok = True
        self.message = "Your feedback is saved in your journal."
        if not review.ready:
            self.message += " " + " ".join(review.notes()) + " Change it and save again if you like."
        return entry


def review_html(review: FeedbackReview) -> str:
    tone = "ok" if review.ready else "info"
    items = "".join(f"<li>{as_html_text(note)}</li>" for note in review.notes())
    return (
        f'<div class="ck-status ck-status--{tone} ck-feedback-review" role="status" style="line-height:1.5">'
        f"<p>What the check found:</p><ul>{items}</ul></div>"
    )


class FeedbackPractice(JournalForm, ui.VBox):
    """Pick a vague criticism, rewrite it as Situation, Behaviour, Impact and an open question, check it
    for judgement words and a closed question, and save it to the journal."""

    def __init__(
        self, journal: Journal | None = None, lesson: str = LESSON, criticism: str | None = None
    ) -> None:
        self.journal = journal if journal is not None else session_journal()
        self.model = FeedbackDraft(self.journal, lesson=lesson)
        self.message = ui.HTML("")
        try:
            self.criticisms = feedback_data().criticisms
        except FeedbackDataError as exc:
            log.exception("the feedback practice data could not be loaded")
            self.criticisms = ()
            self.message.value = status_html(f"The practice could not load its examples: {exc}", "error")
        self.chooser = ui.Dropdown(
            options=[(c.vague, c.key) for c in self.criticisms],
            description="Criticism",
            style={"description_width": "9em"},
            layout=ui.layout(width="100%", max_width="48em"),
        )
        keys = [c.key for c in self.criticisms]
        if keys:
            self.chooser.value = criticism if criticism in keys else keys[0]
        widgets.link((self.chooser, "value"), (self.model, "criticism"))
        self.boxes: dict[str, widgets.Widget] = {}
        for part in PARTS:
            box = ui.field_box(part, "9em", multiline=part.key not in ("situation", "question"))
            widgets.link((box, "value"), (self.model, part.key))
            self.boxes[part.key] = box
        self.check_button = ui.Button(description="Check my feedback")
        self.check_button.on_click(self._on_check)
        self.example_button = ui.Button(
            description="Show an example", tooltip="One way to rewrite this criticism"
        )
        self.example_button.on_click(self._on_example)
        self.example = ui.HTML("")
        self.review = ui.HTML("")
        self.add_saving("Save to my journal", "saving the feedback practice", UNEXPECTED)
        self.chooser.observe(lambda _change: self._hide_example(), names="value")
        super().__init__(
            [
                self.message,
                self.chooser,
                *self.boxes.values(),
                ui.HBox(
                    [self.check_button, self.example_button, self.save_button],
                    layout=ui.layout(flex_flow="row wrap"),
                ),
                self.review,
                self.example,
                self.status,
                *journal_bridge(self.journal),
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-feedback-practice")
        self.check_button.disabled = self.save_button.disabled = (
            self.example_button.disabled
        ) = not self.criticisms
        self.saver.restore_last_saved(
            KIND,
            self.model.lesson,
            is_empty=lambda: not any(box.value for box in self.boxes.values()),
            fill=self._show_saved,
            message="Your last saved feedback is shown; change it and save again.",
        )

    @property
    def selected(self) -> Criticism | None:
        return next((c for c in self.criticisms if c.key == self.chooser.value), None)

    def _empty(self) -> None:
        for box in self.boxes.values():
            box.value = ""
        self.review.value = ""
        self._hide_example()

    def _show_saved(self, data: dict) -> bool:
        if not all(isinstance(data.get(part.key), str) for part in PARTS):
            return False
        match = next((c.key for c in self.criticisms if c.vague == data.get("vague_criticism")), None)
        if match:
            self.chooser.value = match
        for part in PARTS:
            self.boxes[part.key].value = data[part.key]
        return True

    def _hide_example(self) -> None:
        self.example.value = ""
        self.example_button.description = "Show an example"

    def _on_example(self, _button=None) -> None:
        card = self.selected
        if self.example.value or card is None:
            self._hide_example()
            return
        rows = "".join(
            f"<li><strong>{as_html_text(part.label)}:</strong> {as_html_text(card.example[part.key])}</li>"
            for part in PARTS
        )
        self.example.value = (
            '<div class="ck-feedback-example" style="line-height:1.5">'
            f'<p>One way to say "{as_html_text(card.vague)}" as an observation and a question:</p>'
            f"<ul>{rows}</ul></div>"
        )
        self.example_button.description = "Hide the example"

    def _on_check(self, _button=None) -> None:
        try:
            for part in PARTS:
                clean_text(getattr(self.model, part.key), limit=part.limit, label=part.label)
            self.review.value = review_html(self.model.review())
        except TextInputError as exc:
            self.review.value = status_html(str(exc), "error")
        except Exception:  # Voila shows no tracebacks
            log.exception("checking the feedback failed")
            self.review.value = status_html("Something went wrong while checking; please try again.", "error")

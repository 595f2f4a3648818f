"""Tells open, closed, leading and 'why' questions apart by visible wording rules, and suggests a rewrite."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from coachkit import ui
from coachkit.paths import assets_dir
from coachkit.textinput import TextInputError, as_html_text, clean_text

log = logging.getLogger(__name__)

KINDS = ("open", "closed", "leading", "why", "not-a-question")
KIND_TITLES = {
    "open": "Open question",
    "closed": "Closed question",
    "leading": "Leading question (advice in disguise)",
    "why": "A 'why' question",
    "not-a-question": "Not a question",
}
QUESTION_LIMIT = 500  # characters: one question, not a paragraph
PATTERNS_FILE = "question-patterns.json"
WHY_NOTE = "Evidence: practitioner's rule of thumb (Whitmore; Bungay Stanier), not a research finding."


@dataclass(frozen=True)
class QuestionVerdict:
    """What kind of question this is, why the checker thinks so, and an open rewrite when one helps."""

    kind: str
    explanation: str
    better: str | None = None
    rule: str = ""  # which rule decided, so the learner (and a test) can see the reasoning


@lru_cache(maxsize=1)
def question_patterns() -> dict:
    """The word lists from assets/question-patterns.json, read once."""
    path = assets_dir() / PATTERNS_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["leading_suggestion_patterns"] = [re.compile(p) for p in data["leading_suggestion_patterns"]]
    return data


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def _starts_with(text: str, phrases) -> str | None:
    """The longest phrase in ``phrases`` that ``text`` starts with as whole words, or None."""
    best = None
    for phrase in phrases:
        if text == phrase or (
            text.startswith(phrase) and (not phrase[-1].isalnum() or not text[len(phrase)].isalnum())
        ):
            if best is None or len(phrase) > len(best):
                best = phrase
    return best


def _strip_fillers(text: str, patterns: dict) -> int:
    """How many leading characters are openers such as 'And', 'So' or 'OK,' that do not change the kind."""
    start, changed = 0, True
    while changed:
        changed = False
        rest = text[start:]
        for word in patterns["filler_starts_before_comma"]:
            if rest.startswith(word + ","):
                start, changed = start + len(word) + 1, True
                break
        else:
            found = _starts_with(rest, patterns["filler_starts"])
            if found and rest[len(found) :].strip(" ,"):
                start, changed = start + len(found), True
        while start < len(text) and text[start] in " ,":
            start += 1
    return start


def _first_question(text: str) -> tuple[str, int]:
    """The first sentence that ends in '?' (or the whole text), and how many questions the text holds."""
    count = text.count("?")
    if count == 0:
        return text, 0
    sentences = re.findall(r"[^?.!]*\?", text)
    first = sentences[0].strip() if sentences else text
    return first, count


def _quoted(phrase: str) -> str:
    return f'"{phrase[:1].upper()}{phrase[1:]} ..."'


def _tidy(question: str) -> str:
    question = question.strip().rstrip("?.! ").strip()
    return question[:1].upper() + question[1:] + "?"


def _leading_rewrite(core: str) -> str:
    if re.search(r"\b(ask|asking|talk|talking|speak|speaking|involve|involving|check with)\b", core):
        return "Who could help you with this?"
    if re.search(r"^(have you tried|did you try)\b", core):
        return "What have you tried so far?"
    if re.search(r"\b(thought|considered|consider)\b", core):
        return "What options have you considered so far?"
    return "What options do you see?"


def _why_rewrite(core: str) -> str:
    flags = re.IGNORECASE
    match = re.match(r"^(?:why|how come) did(n't| not)? you (.+)", core, flags)
    if match:
        action = match.group(2).rstrip("?")
        if match.group(1):
            return _tidy(f"what made it hard to {action}")
        return _tidy(f"what led you to {action}")
    match = re.match(r"^why do you (.+)", core, flags)
    if match:
        return _tidy(f"what leads you to {match.group(1)}")
    match = re.match(r"^why would you (.+)", core, flags)
    if match:
        return _tidy(f"what would lead you to {match.group(1)}")
    return "What led to that?"


def _closed_rewrite(core: str) -> str:
    flags = re.IGNORECASE
    if re.search(
        r"\b(anything|something) (i|we) can do\b|\bcan i help\b|\bneed (any |some )?help\b", core, flags
    ):
        return "How can I help?"
    if re.search(r"\b(anything|something) else\b", core, flags):
        return "And what else?"
    if re.search(r" or [^,]+$", core.rstrip("?"), flags):
        return "What options do you see?"
    if re.match(r"^(you'll|you will|you're going to|you are going to) ", core, flags):
        return "What will you do next, and by when?"
    match = re.match(r"^do you think (?:that )?(.+)", core, flags)
    if match:
        return _tidy(f"how likely do you think it is that {match.group(1)}")
    match = re.match(r"^(?:do|did|does) you (need|want)\b", core, flags)
    if match:
        return f"What do you {match.group(1)}?"
    match = re.match(
        r"^(?:are|were) you (?:happy|ok|okay|comfortable|satisfied|sure|confident|worried|clear)\b(.*)",
        core,
        flags,
    )
    if match:
        rest = re.sub(r"^\s*(with|about|on)\s+", "", match.group(1).strip(" ?"))
        return _tidy(f"how do you feel about {rest or 'it'}")
    match = re.match(r"^(?:can|could|will|would) you (.+)", core, flags)
    if match:
        return _tidy(f"what would it take to {match.group(1)}")
    if re.match(r"^(?:did|have|has|had) ", core, flags):
        return "What have you done so far?"
    if re.match(r"^(?:is|are) (?:it|this|that|things|everything) ", core, flags):
        return "How is it going?"
    return "What's your view on this?"


def _stacked_note(count: int) -> str:
    if count < 2:
        return ""
    return (
        f" You asked {count} questions in one go; the checker looked at the first. Ask one at a time: "
        "with several, people answer the easiest one."
    )


def classify_question(text: str) -> QuestionVerdict:
    """Classify ``text`` as open, closed, leading, why or not-a-question, by the rules in the patterns file.

    The rules look at the first words (after fillers such as 'And' or 'So'), a few phrases that smuggle in
    advice, a question tag at the end ('..., isn't it?'), and the question mark.
    """
    if not isinstance(text, str):
        raise TypeError("classify_question needs the question as text.")
    patterns = question_patterns()
    shown = _normalise(text)
    if not shown:
        return QuestionVerdict(
            "not-a-question", "There is nothing to check yet. Type a question first.", None, "empty"
        )
    first, count = _first_question(shown)
    lowered = first.lower()
    skip = _strip_fillers(lowered, patterns)
    core = lowered[skip:]
    # the rewrites reuse the learner's words, so they work on the text with its own capitals
    cased = first[skip:] if len(lowered) == len(first) else core
    core_bare = core.rstrip("?!. ")
    has_mark = count > 0
    stacked = _stacked_note(count)

    advice = _starts_with(core, patterns["advice_markers"]) or _starts_with(core, ("just", "try"))
    if not has_mark and advice:
        return QuestionVerdict(
            "not-a-question",
            f"This is advice or an instruction ({_quoted(advice)}), not a question. It gives the person your "
            "answer, so they have nothing to think through. Coaching asks them for their answer first.",
            "What options do you see?",
            "advice-statement",
        )

    leading = _starts_with(core, patterns["leading_starts"])
    suggestion = next((p for p in patterns["leading_suggestion_patterns"] if p.search(core)), None)
    tag = next((t for t in patterns["leading_tags"] if core_bare.endswith(t)), None)
    if leading or suggestion or (has_mark and tag):
        if leading:
            how = f"It starts with {_quoted(leading)}, which carries your own answer inside the question."
        elif suggestion:
            how = "It puts your own idea on the table and asks the person to react to it."
        else:
            how = f"It ends with a tag ({tag.strip(', ')}?) that asks the person to agree with you."
        return QuestionVerdict(
            "leading",
            f"This is a leading question: advice dressed up as a question. {how} People usually hear it as "
            "advice, so they agree or defend themselves instead of thinking. If you do want to offer an "
            "idea, "
            "say openly that it is your idea, then ask what they make of it." + stacked,
            _leading_rewrite(core),
            "leading-tag" if not (leading or suggestion) else "leading-start",
        )

    why = _starts_with(core, patterns["why_starts"])
    if why:
        return QuestionVerdict(
            "why",
            f"This is a 'why' question (it starts with {_quoted(why)}). 'Why' often sounds like an "
            "accusation, "
            "so people explain and defend themselves instead of exploring. Asking about the same thing with "
            f"'what' keeps the focus on the situation. {WHY_NOTE}" + stacked,
            _why_rewrite(cased),
            "why-start",
        )

    request = _starts_with(core, patterns["request_starts"])
    if request:
        rest = core[len(request) :].strip(" ?")
        verb = request.split(" ", 2)[-1] if request.count(" ") >= 2 else "tell me"
        return QuestionVerdict(
            "open",
            f"This is open in practice. {_quoted(request)} could be answered with yes or no, but everyone "
            "hears it as an invitation to talk, so it works as an open question." + stacked,
            _tidy(f"{verb} {cased[len(request) :].strip(' ?')}").rstrip("?") + "." if rest else None,
            "polite-request",
        )

    invitation = _starts_with(core, patterns["invitation_starts"])
    if invitation:
        return QuestionVerdict(
            "open",
            f"This is an open invitation ({_quoted(invitation)}). It is not grammatically a question, but it "
            "asks the person to describe things in their own words, which is what an open question does."
            + stacked,
            None,
            "invitation",
        )

    choice = re.search(r",\s*[^,]+ or [^,]+\?$", core) or re.search(r"^(which|what)\b.* or [^?]+\?$", core)
    opener = _starts_with(core, patterns["open_starts"])
    if opener and not choice:
        narrow = _starts_with(core, patterns["narrow_open_starts"])
        if narrow:
            explanation = (
                f"This is an open question, but a narrow one: {_quoted(narrow)} asks for a fact (a time, a "
                "place, a person, a number or a choice). That is useful to pin down the next step; to open "
                "up "
                "thinking, start with 'what' or 'how'."
            )
        else:
            explanation = (
                f"This is an open question: it starts with {_quoted(opener)}, so it cannot be answered with "
                "yes "
                "or no. It asks the person to think and answer in their own words."
            )
        return QuestionVerdict("open", explanation + stacked, None, "open-start")

    closed = _starts_with(core, patterns["closed_starts"])
    if closed or choice or has_mark:
        if choice:
            how = "It offers a choice between options you name, so the answer is one of them."
        elif closed:
            how = f"It starts with {_quoted(closed)}, so it can be answered with yes, no or a single word."
        else:
            how = "It is a statement with a question mark, so the natural answer is yes or no."
        return QuestionVerdict(
            "closed",
            f"This is a closed question. {how} Closed questions have their place: to confirm a commitment "
            "('So you'll send it by Friday?') or to cut a long story short. They don't open up thinking."
            + stacked,
            _closed_rewrite(cased),
            "closed-choice" if choice else ("closed-start" if closed else "question-mark"),
        )

    return QuestionVerdict(
        "not-a-question",
        "This reads as a statement, not a question: there is no question mark and it does not start with a "
        "question word. If you meant it as a question, add the question mark, or start it with 'what' or "
        "'how'.",
        "What's the real challenge here for you?",
        "statement",
    )


def verdict_html(verdict: QuestionVerdict) -> str:
    """The verdict as escaped HTML for the widget."""
    parts = [
        '<div style="line-height:1.5" '
        f'class="ck-verdict ck-verdict--{verdict.kind}" role="status" aria-live="polite">',
        f"<p><strong>{as_html_text(KIND_TITLES[verdict.kind])}.</strong> "
        f"{as_html_text(verdict.explanation)}</p>",
    ]
    if verdict.better:
        parts.append(f"<p>Try instead: <em>{as_html_text(verdict.better)}</em></p>")
    parts.append("</div>")
    return "".join(parts)


class QuestionChecker(ui.VBox):
    """Type a question you might ask; the checker says what kind it is, why, and how to open it up."""

    def __init__(self, value: str = "") -> None:
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
        self._callbacks: list = []
        self.check_button.on_click(self._on_check)
        super().__init__([self.text, self.check_button, self.result], layout=ui.layout(width="100%"))
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

    def _on_check(self, _source=None) -> None:
        try:
            question = clean_text(self.text.value, limit=QUESTION_LIMIT, label="Your question")
            self.verdict = classify_question(question)
            self.result.value = verdict_html(self.verdict)
            for callback in self._callbacks:
                callback(self.verdict)
        except TextInputError as exc:
            self.verdict = None
            self.result.value = (
                '<p style="line-height:1.5" '
                f'class="ck-status ck-status--error" role="status">{as_html_text(str(exc))}</p>'
            )
        except Exception:  # Voila shows no tracebacks: a sentence for the learner, details in the log
            log.exception("the question checker failed")
            self.verdict = None
            self.result.value = (
                '<p style="line-height:1.5" '
                'class="ck-status ck-status--error" role="status">Something went wrong while checking. '
                "Your question is still in the box; please try again.</p>"
            )

"""The practice conversation as a model with no widgets: a scripted coachee answers each turn by its kind.

Every turn the learner types is judged by the shared classifier
(``coachkit.classifiers.question_kinds.classify_question``): an open question draws out the next layer of the
coachee's situation; every other kind of turn gets the script's reply for that kind and reveals nothing. So
the coachee names a goal, options and a first step of their own only if the learner's questions got them
there. Replies rotate in a fixed order, so the same kind of turn twice does not get the same sentence, and a
test can replay a conversation exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from coachkit.classifiers.question_kinds import KINDS, QUESTION_LIMIT, classify_question
from coachkit.forms.textinput import TextInputError, as_html_text, clean_text
from coachkit.practice.scripts import STAGES, CoacheeScript, Layer

LESSON = "03-role-play"
JOURNAL_KIND = "practice-conversation"
MAX_TURNS = 40  # the learner's turns; a ten-minute conversation is about twenty
SILENCE_MARKS = re.compile(r"^[\s.\u2026]*$")  # an empty turn, "..." or "…" is a silence
WORD = re.compile(r"\w+(?:['\u2019]\w+)?")

# What the learner did in a turn: the classifier's kinds, with "not a question" split into the three things a
# coach hears differently (staying silent, giving advice, saying something else).
NOT_A_QUESTION = ("silence", "advice", "statement")
MOVES = tuple(move for kind in KINDS for move in (NOT_A_QUESTION if kind == "not-a-question" else (kind,)))
MOVE_NAMES = {  # (one, many), as a coach would say them
    "open": ("open question", "open questions"),
    "closed": ("closed question", "closed questions"),
    "leading": ("leading question (advice in disguise)", "leading questions (advice in disguise)"),
    "loaded": ("loaded question (blame inside)", "loaded questions (blame inside)"),
    "why": ("'why' question", "'why' questions"),
    "playback": ("playing back", "times playing back"),
    "contracting": ("contracting or asking permission", "times contracting or asking permission"),
    "stacked": ("stacked question", "stacked questions"),
    "silence": ("silence", "silences"),
    "advice": ("piece of advice or instruction", "pieces of advice or instructions"),
    "statement": ("other statement", "other statements"),
    "other-language": ("turn not in English", "turns not in English"),
}


def counted(move: str, count: int) -> str:
    """'1 open question', '3 silences'."""
    one, many = MOVE_NAMES[move]
    return f"{count} {one if count == 1 else many}"


GOOD_MOVES = ("open", "playback", "contracting", "silence")
# the moments most worth another try come first: blame costs most, then telling, then the rest
RETRY_ORDER = ("loaded", "advice", "leading", "why", "stacked", "closed", "statement", "other-language")
RETRY_REASON = {
    "loaded": "There was blame inside the question, and {name} defended {obj} instead of thinking.",
    "advice": "You gave your answer, and {name} said {quote} without taking it on as {poss} own.",
    "leading": "Your idea was inside the question, so {name} could only agree or push back.",
    "why": "'Why' asked {name} to justify, and {name} explained instead of exploring.",
    "stacked": "Two questions at once: {name} answered only one of them.",
    "closed": "A closed question got a short answer and no new thinking.",
    "statement": "This was neither a question nor a silence, so {name} had nothing new to answer.",
    "other-language": "{name} reads English only in this script, and asked you to switch.",
}
# when two moments would get the same better option, the second gets one of these
SECOND_BETTER = {
    "advice": "Can I offer an idea?",
    "leading": "What ideas do you have yourself?",
    "closed": "What else?",
    "why": "What led to that?",
    "loaded": "What happened?",
    "stacked": "What ideas do you have yourself?",
}
OBJECTS = {"his": "himself", "her": "herself", "their": "themselves"}
STANDALONE = {"his": "his", "her": "hers", "their": "theirs"}
LESSON_02 = "02-coaching-conversation.ipynb"
SECTIONS = {  # a heading of lesson 02 and its anchor (Jupyter makes the id from the heading's words)
    "questions": ("Questions that make people think", "Questions-that-make-people-think"),
    "silence": ("Silence", "Silence"),
    "playback": ("Playing back what you heard", "Playing-back-what-you-heard"),
    "grow": ("The shape of the conversation: GROW", "The-shape-of-the-conversation:-GROW"),
}
TALK_NOTE = (
    "Evidence: practitioner's rule of thumb. Coaches often say the other person should do most of the "
    "talking, with the coach at perhaps a fifth; no study sets a number. The coachee's replies here are "
    "scripted, so read your share as rough."
)


class ConversationError(ValueError):
    """A turn the conversation cannot take (it is over, or nothing was said yet); meant for the learner."""


@dataclass(frozen=True)
class Turn:
    """One turn: the learner's (``speaker == "coach"``, with the move the classifier saw) or the coachee's."""

    speaker: str
    text: str
    move: str = ""  # coach turns: one of MOVES
    rule: str = ""  # coach turns: the classifier's rule, so a test (and a curious learner) can see why
    better: str = ""  # coach turns that are worth another try: what to say instead
    revealed: str = ""  # coachee turns: the layer this reply revealed, if any


def move_of(text: str) -> tuple[str, str, str | None]:
    """What the learner did with ``text``: (move, the classifier's rule, its rewrite if any)."""
    if SILENCE_MARKS.match(text):
        return "silence", "silence", None
    verdict = classify_question(text)
    if verdict.kind == "not-a-question":
        if verdict.rule in ("empty", "no-words"):
            return "silence", verdict.rule, None
        if verdict.rule == "advice-statement":
            return "advice", verdict.rule, None
        return "statement", verdict.rule, None
    return verdict.kind, verdict.rule, verdict.better


def word_count(text: str) -> int:
    return len(WORD.findall(text))


@dataclass
class Conversation:
    """One conversation with one scripted coachee; ``say`` takes a turn and returns the coachee's reply."""

    script: CoacheeScript
    max_turns: int = MAX_TURNS
    turns: list[Turn] = field(default_factory=list)
    revealed: list[str] = field(default_factory=list)  # layer ids, in the order the questions drew them out
    deepened: list[str] = field(default_factory=list)  # layers (or "opening") a silence drew more out of
    finished: bool = False
    _used: Counter = field(default_factory=Counter)
    _guarded: bool = False

    def __post_init__(self) -> None:
        if not self.turns:
            self.turns.append(Turn("coachee", self.script.opening))

    @property
    def coach_turns(self) -> list[Turn]:
        return [turn for turn in self.turns if turn.speaker == "coach"]

    @property
    def next_layer(self) -> Layer | None:
        return next((layer for layer in self.script.layers if layer.id not in self.revealed), None)

    def reached(self, stage: str) -> bool:
        """Did the coachee reach ``stage`` (goal, reality, options, will) in their own words?"""
        return all(layer_id in self.revealed for layer_id in self.script.stages[stage].reached_when)

    def pause(self) -> Turn:
        """The learner stays silent."""
        return self.say("")

    def say(self, text: object) -> Turn:
        """Take the learner's turn and return the coachee's reply.

        Raises TextInputError (too long, not text) or ConversationError (over) with a message for the learner;
        the conversation is unchanged then, so nothing is lost.
        """
        if self.finished:
            raise ConversationError("This conversation has ended. Start again to have another go.")
        said = clean_text(text, limit=QUESTION_LIMIT, required=False, label="What you say")
        move, rule, rewrite = move_of(said)
        upcoming = self.next_layer
        better = ""
        if move not in GOOD_MOVES:
            better = rewrite or (upcoming.ask if upcoming else self.script.layers[-1].ask)
        self.turns.append(Turn("coach", said, move, rule, better))
        reply = self._reply(move)
        self.turns.append(reply)
        if len(self.coach_turns) >= self.max_turns:
            self.finished = True
        return reply

    def _line(self, group: str) -> str:
        variants = self.script.replies[group]
        line = variants[self._used[group] % len(variants)]
        self._used[group] += 1
        return line

    def _reply(self, move: str) -> Turn:
        if move == "open":
            if self._guarded:
                self._guarded = False
                return Turn("coachee", self._line("guarded"))
            layer = self.next_layer
            if layer is None:
                return Turn("coachee", self._line("done"))
            self.revealed.append(layer.id)
            return Turn("coachee", layer.reply, revealed=layer.id)
        if move == "silence":
            # a silence after an answer lets the coachee say a little more about it, once
            latest = self.revealed[-1] if self.revealed else "opening"
            if latest not in self.deepened:
                self.deepened.append(latest)
                layer = next((item for item in self.script.layers if item.id == latest), None)
                return Turn("coachee", layer.aloud if layer else self.script.opening_aloud)
            return Turn("coachee", self._line("silence"))
        if move == "loaded":
            self._guarded = True
        elif move in ("playback", "contracting"):
            self._guarded = False  # showing you listened, or asking how to go on, repairs the damage
        return Turn("coachee", self._line(move))

    def finish(self) -> ConversationFeedback:
        """End the conversation and return the feedback; ConversationError before the learner's first turn."""
        if not self.coach_turns:
            raise ConversationError(
                f"Say something to {self.script.name} first (or press Pause to stay silent); then finish."
            )
        self.finished = True
        return feedback_for(self)


@dataclass(frozen=True)
class Moment:
    """A turn worth another try: the learner's words, what happened, and a better option."""

    said: str
    move: str
    reply: str
    reason: str
    better: str


@dataclass(frozen=True)
class ConversationFeedback:
    script_id: str
    title: str
    name: str
    possessive: str
    counts: dict[str, int]
    word_share: float
    longest_closed_run: int
    stages: dict[str, bool]
    partly: dict[str, bool]  # some but not all of a stage's layers came out
    stage_summaries: dict[str, str]
    ideas_supplied: int
    silences_that_drew_more: int
    moments: tuple[Moment, ...]
    headline: str
    section: tuple[str, str]
    transcript: str

    @property
    def own_goal(self) -> bool:
        return self.stages["goal"]

    @property
    def own_first_step(self) -> bool:
        return self.stages["will"]

    @property
    def link(self) -> str:
        return f"{LESSON_02}#{self.section[1]}"

    def lines(self) -> list[str]:
        """The feedback as plain sentences, in the order a coach would give it."""
        turns = sum(self.counts.values())
        kinds = ", ".join(counted(move, count) for move, count in self.counts.items())
        lines = [self.headline, f"Your {turns} turn{'s' if turns != 1 else ''}: {kinds}."]
        share = round(self.word_share * 100)
        lines.append(f"You used {share}% of the words; {self.name} used {100 - share}%. {TALK_NOTE}")
        if self.longest_closed_run >= 2:
            lines.append(
                f"Your longest run of closed questions was {self.longest_closed_run} in a row: each got a "
                "short answer. One open question would have broken the run."
            )
        elif self.longest_closed_run == 1:
            lines.append("You asked one closed question and never two in a row.")
        else:
            lines.append("You asked no closed questions.")
        if self.silences_that_drew_more:
            count = self.silences_that_drew_more
            lines.append(
                f"{count} of your silences drew out something {self.name} had not said yet."
                if count > 1
                else f"One of your silences drew out something {self.name} had not said yet."
            )
        if self.ideas_supplied:
            lines.append(
                f"You offered {self.ideas_supplied} idea{'s' if self.ideas_supplied != 1 else ''} of yours "
                f"(as advice or inside a question); none of them became {self.name}'s plan."
            )
        return lines

    def moment_lines(self) -> list[str]:
        return [
            f"You said: \u2018{m.said}\u2019 {m.reason} Try instead: \u2018{m.better}\u2019"
            for m in self.moments
        ]

    def html(self) -> str:
        """The feedback for the page: every learner word escaped, a link to the part of lesson 02 to read."""
        sentences = self.lines()
        parts = [
            '<div class="ck-practice-feedback">',
            "<h4>How the conversation went</h4>",
            f'<p class="ck-practice-headline"><strong>{as_html_text(sentences[0])}</strong></p>',
            "<ul>",
            *(f"<li>{as_html_text(line)}</li>" for line in sentences[1:]),
            "</ul>",
            f"<h5>Stages of GROW reached in {as_html_text(self.name)}'s own words</h5>",
            "<ul>",
        ]
        for stage in STAGES:
            if self.stages[stage]:
                parts.append(
                    f"<li>{stage.capitalize()}: yes. {as_html_text(self.stage_summaries[stage])}</li>"
                )
            elif self.partly[stage]:
                parts.append(f"<li>{stage.capitalize()}: partly; there was more to draw out.</li>")
            else:
                parts.append(f"<li>{stage.capitalize()}: not yet.</li>")
        parts.append("</ul>")
        parts.append("<h5>Moments worth another try</h5>")
        if self.moments:
            parts.append("<ol>")
            for moment in self.moments:
                parts.append(
                    f'<li><p>You said: <q class="ck-practice-said">{as_html_text(moment.said)}</q></p>'
                    f"<p>{as_html_text(moment.reason)}</p>"
                    f'<p>Try instead: <q class="ck-practice-better">{as_html_text(moment.better)}</q></p>'
                    "</li>"
                )
            parts.append("</ol>")
        else:
            parts.append(
                "<p>No turn stands out as worth another try. Next time, try a different scenario, or hold a "
                "silence a little longer than feels comfortable.</p>"
            )
        title, anchor = self.section
        parts.append(
            f'<p>Read more: <a href="{LESSON_02}#{anchor}" target="_self">lesson 02, '
            f"\u2018{as_html_text(title)}\u2019</a>.</p></div>"
        )
        return "".join(parts)

    def journal_data(self) -> dict:
        """One journal entry: the feedback as sentences and the whole conversation, all plain text."""
        data = {
            "scenario": self.title,
            "coachee": self.name,
            "how_it_went": "\n".join(self.lines()),
            "goal_of_their_own": self.own_goal,
            "first_step_of_their_own": self.own_first_step,
            "stages_reached": [stage.capitalize() for stage in STAGES if self.stages[stage]] or ["none"],
            "turns_by_kind": {move.replace("-", "_"): count for move, count in self.counts.items()},
            "your_share_of_words": f"{round(self.word_share * 100)}%",
            "longest_run_of_closed_questions": self.longest_closed_run,
        }
        for number, line in enumerate(self.moment_lines(), start=1):
            data[f"worth_another_try_{number}"] = line
        data["read_more"] = f"Lesson 02: {self.section[0]}"
        data["transcript"] = self.transcript
        return data


def _longest_run(moves: list[str], move: str) -> int:
    longest = current = 0
    for item in moves:
        current = current + 1 if item == move else 0
        longest = max(longest, current)
    return longest


def _moments(conversation: Conversation, limit: int = 2) -> tuple[Moment, ...]:
    script = conversation.script
    pairs = [
        (conversation.turns[i], conversation.turns[i + 1] if i + 1 < len(conversation.turns) else None)
        for i in range(len(conversation.turns))
        if conversation.turns[i].speaker == "coach"
    ]
    candidates = [
        (RETRY_ORDER.index(turn.move), position, turn, reply)
        for position, (turn, reply) in enumerate(pairs)
        if turn.move in RETRY_ORDER
    ]
    chosen = sorted(candidates)[:limit]
    moments: list[Moment] = []
    for _rank, _position, turn, reply in sorted(chosen, key=lambda item: item[1]):
        answer = reply.text if reply else ""
        reason = RETRY_REASON[turn.move].format(
            name=script.name,
            poss=script.possessive,
            obj=OBJECTS[script.possessive],
            quote=f"\u2018{answer}\u2019" if answer else "nothing",
        )
        better = turn.better
        if any(moment.better == better for moment in moments):  # a second, different way to do better
            better = SECOND_BETTER.get(turn.move, better)
        moments.append(Moment(turn.text, turn.move, answer, reason, better))
    return tuple(moments)


def _headline(conversation: Conversation, counts: Counter) -> str:
    script = conversation.script
    name, poss = script.name, script.possessive
    goal, step = conversation.reached("goal"), conversation.reached("will")
    telling = counts["advice"] + counts["leading"]
    turns = sum(counts.values())
    if goal and step:
        return (
            f"{name} reached a goal and a first step of {poss} own: your questions got {name} there, and the "
            f"plan is {STANDALONE[poss]}, not yours."
        )
    if goal:
        return (
            f"{name} named a goal of {poss} own but no first step yet: the options and the step were still "
            "to come."
        )
    headline = f"{name} did not reach a goal or a first step of {poss} own."
    if telling and telling * 2 >= turns:
        headline += (
            f" Most of your turns told {name} what to do, as advice or inside a question, and {name} agreed "
            "politely without taking any of it on: telling gets compliance, not ownership."
        )
    elif counts["open"] == 0:
        headline += f" None of your turns was an open question, so {name} had no way to say more."
    else:
        headline += " More open questions, one at a time, would have drawn out the rest."
    return headline


def _section(counts: Counter) -> tuple[str, str]:
    if any(counts[move] for move in RETRY_ORDER):
        return SECTIONS["questions"]
    if not counts["silence"]:
        return SECTIONS["silence"]
    if not counts["playback"]:
        return SECTIONS["playback"]
    return SECTIONS["grow"]


def transcript(conversation: Conversation) -> str:
    lines = []
    for turn in conversation.turns:
        if turn.speaker == "coach":
            said = turn.text or "(silence)"
            lines.append(f"You ({MOVE_NAMES[turn.move][0].split(' (')[0]}): {said}")
        else:
            lines.append(f"{conversation.script.name}: {turn.text}")
    return "\n".join(lines)


def feedback_for(conversation: Conversation) -> ConversationFeedback:
    """What a coach watching would say about ``conversation``, as data, sentences and HTML."""
    moves = [turn.move for turn in conversation.coach_turns]
    counts = Counter(moves)
    coach_words = sum(word_count(turn.text) for turn in conversation.coach_turns)
    all_words = sum(word_count(turn.text) for turn in conversation.turns)
    script = conversation.script
    return ConversationFeedback(
        script_id=script.id,
        title=script.title,
        name=script.name,
        possessive=script.possessive,
        counts={move: counts[move] for move in MOVES if counts[move]},
        word_share=coach_words / all_words if all_words else 0.0,
        longest_closed_run=_longest_run(moves, "closed"),
        stages={stage: conversation.reached(stage) for stage in STAGES},
        partly={
            stage: any(layer in conversation.revealed for layer in script.stages[stage].reached_when)
            for stage in STAGES
        },
        stage_summaries={stage: goal.summary for stage, goal in script.stages.items()},
        ideas_supplied=counts["advice"] + counts["leading"],
        silences_that_drew_more=len(conversation.deepened),
        moments=_moments(conversation),
        headline=_headline(conversation, counts),
        section=_section(counts),
        transcript=transcript(conversation),
    )


__all__ = [
    "JOURNAL_KIND",
    "LESSON",
    "MOVES",
    "Conversation",
    "ConversationError",
    "ConversationFeedback",
    "Moment",
    "TextInputError",
    "Turn",
    "feedback_for",
    "move_of",
]

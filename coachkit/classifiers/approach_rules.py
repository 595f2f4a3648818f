"""How to help someone: first whether it is a coaching moment at all, then one approach from skill, will,
urgency and stakes. Pure rules and data, no widgets, so the answer key and the tests can use them cheaply."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from coachkit.paths import assets_dir

LEVELS = {1: "very low", 2: "low", 3: "middling", 4: "high", 5: "very high"}

# The one set of approaches used alike by lesson 01, the advisor, a03's key and the journal prompt.
TELL, GUIDE, COACH, DELEGATE, CRISIS = "Tell", "Guide", "Coach", "Delegate", "Tell now, coach later"
APPROACHES = (TELL, GUIDE, COACH, DELEGATE, CRISIS)

# Landsberg's quadrant for (skill is high, will is high), and the approach it maps onto.
LANDSBERG = {
    (False, False): ("Direct", TELL),
    (False, True): ("Guide", GUIDE),
    (True, False): ("Excite", COACH),
    (True, True): ("Delegate", DELEGATE),
}

NOT_COACHING_FILE = "approach/not-coaching.json"
SITUATIONS_FILE = "approach/situations.json"

EVIDENCE_MATRIX = (
    "Evidence: practitioner's rule of thumb. The skill/will matrix is from Max Landsberg's "
    "The Tao of Coaching (1996) and the push-pull spectrum from Myles Downey's Effective Coaching (1999); "
    "both come from coaching practice, not from tested studies."
)
EVIDENCE_CRISIS = (
    "Evidence: survey correlation, and the author's advice. Goleman (2000, Harvard Business Review) linked "
    "leaders' styles to how their teams rated the working climate, from survey data; using a commanding "
    "style in a real crisis, and sparingly otherwise, is his advice drawn from that work, not a finding."
)
EVIDENCE_HURRY = (
    "Evidence: practitioner's rule of thumb. Not every task is worth a conversation; Landsberg's book has a "
    "chapter on coaching in a hurry."
)
EVIDENCE_NOT_COACHING = (
    "Evidence: practitioner's rule of thumb. This is practitioner guidance and common employer policy, not a "
    "study; your own organisation's policy comes first."
)
WHITMORE = (
    "Will is very low: John Whitmore argued that someone who is 'asleep' to a problem needs a wake-up call, "
    "an honest statement of what you see, before questions help."
)

DO = {
    TELL: "Give one clear instruction, say why it matters, and ask them to say back what they will do.",
    GUIDE: "Show how (or do the first one together), then let them try and ask what they would do next time.",
    COACH: "Ask open questions, listen, and let them choose the next step.",
    DELEGATE: "Hand it over: agree the outcome, the limits and when you will hear how it went, then let them "
    "decide how.",
    CRISIS: "Decide and give clear instructions now; once it is over, hold a short debrief with questions.",
}
DO_IN_A_HURRY = "Say what needs doing in one sentence, or do it yourself, and move on."
SAY = {
    TELL: ("Here is what I need, and why: ... Can you tell me back how you'll do it?",),
    GUIDE: ("Let me show you the first one; then you do the next and tell me what you'd change.",),
    COACH: ("What do you want to get out of the next ten minutes?", "What options do you see?"),
    DELEGATE: (
        "This one is yours. The budget and the date are fixed; the rest is up to you. When shall we talk?",
    ),
    CRISIS: (
        "I'm making the call on this one because we have minutes: please do this now. Once it's fixed, "
        "let's talk about what we learned.",
    ),
}
SAY_IN_A_HURRY = ("Quick one: could you change that before the meeting starts?",)
SPECTRUM = {
    TELL: "push: instructing and advising",
    GUIDE: "push, then pull: showing and suggesting, then asking",
    COACH: "pull: listening and open questions",
    DELEGATE: "pull, then stepping back",
    CRISIS: "push now (telling), pull afterwards (a debrief with questions)",
}
WATCH_OUT = {
    TELL: "Telling is quick, but the person learns little from it. Ask them to say back what they will do; "
    "as their skill grows, show them and ask what they would do, or they will keep coming back to you.",
    GUIDE: "Guiding slides easily into doing it for them. Ask what they would try before you show, and let "
    "them make small mistakes on a safe task.",
    COACH: "Keep your own answer out of the questions, and listen before you suggest anything. If what you "
    "hear is distress, a complaint about someone's conduct or a safety problem, stop: it is no longer a "
    "coaching moment.",
    DELEGATE: "Delegating is not disappearing: agree when you will hear how it went. And resist coaching for "
    "its own sake: in a Gartner survey (2019), 'always-on' managers, who coached and gave feedback "
    "constantly, went with lower employee performance (a correlation, not proof of cause).",
    CRISIS: "Say why you are taking over, and once the fire is out hold a short debrief with questions "
    "('What did we learn? What would you do next time?'), or people learn to wait for you in the next "
    "crisis too.",
}
WATCH_OUT_IN_A_HURRY = (
    "Keep this for small, urgent things. If the same slip keeps happening, find a quiet moment to talk "
    "about it."
)


@dataclass(frozen=True)
class NotCoachingCase:
    """One case where coaching is the wrong tool: how to spot it, what to do instead, who to involve."""

    id: str
    checkbox: str  # the plain question the advisor asks
    outcome: str
    recognise: str
    instead: str
    involve: str
    say: tuple[str, ...]
    watch_out: str
    red_flags: tuple[str, ...]

    @property
    def patterns(self) -> tuple[re.Pattern, ...]:
        return _patterns(self.red_flags)


@lru_cache(maxsize=64)
def _patterns(words: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    # a trailing * allows any ending ("inject*" finds injected and injection); other words match whole
    return tuple(
        re.compile(r"\b" + re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else r"\b"))
        for word in words
    )


@lru_cache(maxsize=1)
def not_coaching_cases() -> tuple[NotCoachingCase, ...]:
    """The cases, in the order the advisor weighs them (the first that applies leads)."""
    document = json.loads((assets_dir() / NOT_COACHING_FILE).read_text(encoding="utf-8"))
    return tuple(
        NotCoachingCase(
            id=case["id"],
            checkbox=case["checkbox"],
            outcome=case["outcome"],
            recognise=case["recognise"],
            instead=case["instead"],
            involve=case["involve"],
            say=tuple(case["say"]),
            watch_out=case["watch_out"],
            red_flags=tuple(word.lower() for word in case["red_flags"]),
        )
        for case in document["categories"]
    )


def case_ids() -> tuple[str, ...]:
    return tuple(case.id for case in not_coaching_cases())


def not_coaching_case(case_id: str) -> NotCoachingCase:
    for case in not_coaching_cases():
        if case.id == case_id:
            return case
    raise ValueError(f"unknown case {case_id!r}; known: {', '.join(case_ids())}")


def _normalise(text: str) -> str:
    text = text[:5000].lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.replace("\u2010", "-").replace("\u2011", "-").split())


def red_flags_in(text: str) -> list[tuple[str, str]]:
    """(case id, the words as written) for each case whose red-flag words the text contains, in case order."""
    if not text:
        return []
    lowered = _normalise(text)
    found = []
    for case in not_coaching_cases():
        for pattern in case.patterns:
            match = pattern.search(lowered)
            if match:
                found.append((case.id, match.group(0)))
                break
    return found


@dataclass(frozen=True)
class Suggestion:
    """What to do: an approach (or, when it is not a coaching moment, what to do instead) and why."""

    approach: str  # one of APPROACHES, or the not-coaching case's outcome
    why: str  # the reasoning, with its sources and how strong the evidence is
    watch_out: str
    spectrum: str = ""  # where it sits on Downey's push-pull spectrum; empty when it is not coaching
    category: str = ""  # empty for a coaching moment, else the NotCoachingCase id
    do: str = ""  # the one thing to do now
    involve: str = ""  # who to bring in (not-coaching cases)
    say: tuple[str, ...] = ()  # one or two sentences a manager could say
    mentions: tuple[tuple[str, str], ...] = ()  # red flags found in the description for cases not ticked
    also: tuple[str, ...] = ()  # further not-coaching cases that apply
    landsberg: str = ""  # the skill/will quadrant's own name, when the matrix decided

    @property
    def outcome(self) -> str:
        """What the labelled situations record: the approach, or the not-coaching case's id."""
        return self.category or self.approach

    @property
    def coaching_moment(self) -> bool:
        return not self.category

    def texts(self) -> list[str]:
        """Every sentence the learner reads, for tests that check what it says."""
        return [self.approach, self.why, self.watch_out, self.spectrum, self.do, self.involve, *self.say]


def _check_level(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError(f"{name} must be a whole number from 1 (very low) to 5 (very high), not {value!r}.")
    return value


def _check_flags(flags: Iterable[str]) -> set[str]:
    if isinstance(flags, str):
        flags = [flags]
    flags = set(flags)
    unknown = flags - set(case_ids())
    if unknown:
        raise ValueError(f"unknown flags {sorted(unknown)}; known: {', '.join(case_ids())}")
    return flags


def suggest_approach(
    skill: int,
    will: int,
    urgency: int,
    stakes: int,
    *,
    flags: Iterable[str] = (),
    situation: str = "",
    wants_to_think: bool = False,
) -> Suggestion:
    """Suggest what to do for one person on one task; each judgement is 1 (very low) to 5 (very high).

    ``flags`` are the not-coaching cases the manager ticked; ``situation`` is scanned for red-flag words of
    the others. Any case that applies decides, whatever the sliders say. Otherwise skill and will pick
    Landsberg's quadrant, mapped onto the workshop's approaches (a middling judgement counts as the lower
    band); ``wants_to_think`` (they brought it to you to think it through) turns Delegate into Coach; a real
    crisis (urgency 5 with stakes 4 or 5) means Tell now, coach later; a very urgent, small matter means Tell.
    """
    skill = _check_level("skill", skill)
    will = _check_level("will", will)
    urgency = _check_level("urgency", urgency)
    stakes = _check_level("stakes", stakes)
    ticked = _check_flags(flags)
    found = [(case_id, words) for case_id, words in red_flags_in(situation or "") if case_id not in ticked]
    applying = [case_id for case_id in case_ids() if case_id in ticked or case_id in dict(found)]
    if applying:
        return _not_coaching(applying, ticked, found)
    return _approach(skill, will, urgency, stakes, bool(wants_to_think))


def mention_sentence(words: str) -> str:
    return f"Your description mentions '{words}': if so, this is not a coaching moment."


def _not_coaching(applying: list[str], ticked: set[str], found: list[tuple[str, str]]) -> Suggestion:
    case = not_coaching_case(applying[0])
    also = tuple(case_id for case_id in applying[1:] if case_id != "fact")  # a fact is beside the point then
    notes = [mention_sentence(words) for case_id, words in found if case_id == case.id or case_id in also]
    if case.id in ticked:
        notes.append("You said this is not a coaching moment.")
    notes.append(case.recognise)
    if also:
        others = "; ".join(not_coaching_case(case_id).outcome.split(": ", 1)[-1] for case_id in also)
        notes.append(f"This also applies here: {others}.")
    notes.append("Skill, will, urgency and stakes do not decide what you do here.")
    notes.append(EVIDENCE_NOT_COACHING)
    return Suggestion(
        approach=case.outcome,
        why=" ".join(notes),
        watch_out=case.watch_out,
        category=case.id,
        do=case.instead,
        involve=case.involve,
        say=case.say,
        mentions=tuple(found),
        also=also,
    )


def _approach(skill: int, will: int, urgency: int, stakes: int, wants_to_think: bool) -> Suggestion:
    levels = f"Skill at this task is {LEVELS[skill]} and will is {LEVELS[will]}"
    if urgency == 5 and stakes >= 4:
        why = (
            f"Urgency is at the top and the stakes are {LEVELS[stakes]}: a real crisis, where minutes count "
            "and mistake is costly. Decide, and tell people clearly what to do; coach afterwards, when there "
            "is time to learn from it."
        )
        if skill >= 4 and will >= 4:
            why += " This person is skilled and willing: say what must happen and trust them with the how."
        return _made(CRISIS, f"{why} {EVIDENCE_CRISIS}")
    if urgency == 5 and stakes <= 2:
        why = (
            f"It has to happen now and little is at stake (stakes {LEVELS[stakes]}): say what needs doing. "
            "This is not a crisis, and not worth a coaching conversation right now."
        )
        return _made(TELL, f"{why} {EVIDENCE_HURRY}", DO_IN_A_HURRY, SAY_IN_A_HURRY, WATCH_OUT_IN_A_HURRY)
    skilled, willing = skill >= 4, will >= 4
    quadrant, approach = LANDSBERG[(skilled, willing)]
    if urgency == 5 and not (skilled and willing):
        why = (
            f"{levels}, it has to happen now and the stakes are {LEVELS[stakes]}: there is no time for them "
            "to learn it on this one. Say what to do, and show them properly when things are calm."
        )
        return _made(TELL, f"{why} {EVIDENCE_HURRY}")
    notes = [f"{levels}: Landsberg's skill/will matrix calls this {quadrant}"]
    if approach == DELEGATE and wants_to_think:
        approach = COACH
        notes[0] = (
            f"{levels}: Landsberg's skill/will matrix would hand this over, but they have brought it to you "
            "to think it through, so coach: with this much skill, their own thinking is worth drawing out."
        )
    elif quadrant == approach:
        notes[0] += "."
    else:
        notes[0] += f", which in this workshop's set is {approach}."
    if quadrant == "Excite":
        notes.append(
            "Low will usually has a reason (workload, boredom, something outside work, a clash with you): "
            "find out what drained it before you push."
        )
    if 3 in (skill, will):
        notes.append(
            "A middling judgement counts as the lower band, the side that gives the person more help."
        )
    if wants_to_think and approach in (GUIDE, TELL):
        notes.append(
            f"They want to think it through, but their skill at this is still {LEVELS[skill]}: show first, "
            "then ask."
        )
    if will == 1 and approach in (TELL, COACH):
        notes.append(WHITMORE)
    if stakes >= 4:
        notes.append(
            {
                TELL: "The stakes are high: check the result with them before it goes out.",
                GUIDE: "The stakes are high: agree a checkpoint before anything goes out.",
                COACH: "The stakes are high: agree at the start what is fixed and what is theirs to think "
                "about.",
                DELEGATE: "The stakes are high: agree at the start what is fixed and when you will hear how "
                "it went.",
            }[approach]
        )
    if urgency >= 4 and approach in (COACH, GUIDE):
        size = "one or two questions" if urgency == 5 else "two or three questions"
        notes.append(
            f"Urgency is {LEVELS[urgency]}, not a crisis: keep it brief ({size}) and agree when you will "
            "come back to it."
        )
    notes.append(f"On Downey's push-pull spectrum this is {SPECTRUM[approach]}.")
    notes.append(EVIDENCE_MATRIX)
    return _made(approach, " ".join(notes), landsberg=quadrant)


def _made(
    approach: str,
    why: str,
    do: str | None = None,
    say: tuple[str, ...] | None = None,
    watch_out: str | None = None,
    landsberg: str = "",
) -> Suggestion:
    return Suggestion(
        approach=approach,
        why=why,
        watch_out=watch_out or WATCH_OUT[approach],
        spectrum=SPECTRUM[approach],
        do=do or DO[approach],
        say=say or SAY[approach],
        landsberg=landsberg,
    )


def suggest_for(case, situation: str) -> Suggestion:
    """``suggest_approach`` for anything that carries the four judgements (skill, will, urgency, stakes), the
    ticked ``flags`` and ``wants_to_think``: a labelled situation, or the learner's choice in the advisor."""
    return suggest_approach(
        case.skill,
        case.will,
        case.urgency,
        case.stakes,
        flags=case.flags,
        situation=situation,
        wants_to_think=case.wants_to_think,
    )


# ----------------------------------------------------------------------------------------------------------
# The labelled situations the advisor is measured against, and a03 draws from.


@dataclass(frozen=True)
class LabelledSituation:
    id: str
    description: str
    flags: tuple[str, ...]
    wants_to_think: bool
    skill: int
    will: int
    urgency: int
    stakes: int
    expected: str  # an approach, or a not-coaching case id
    reason: str
    also: tuple[str, ...] = ()

    def suggestion(self) -> Suggestion:
        return suggest_for(self, self.description)

    @property
    def coaching_moment(self) -> bool:
        return self.expected in APPROACHES

    def judgements(self) -> str:
        """The inputs in words, as a03 shows them: 'skill: low, will: high, urgency: low, stakes: high'."""
        return ", ".join(
            f"{name}: {LEVELS[getattr(self, name)]}" for name in ("skill", "will", "urgency", "stakes")
        )


@lru_cache(maxsize=1)
def labelled_situations() -> tuple[LabelledSituation, ...]:
    document = json.loads((assets_dir() / SITUATIONS_FILE).read_text(encoding="utf-8"))
    return tuple(
        LabelledSituation(
            id=row["id"],
            description=row["description"],
            flags=tuple(row["flags"]),
            wants_to_think=row["wants_to_think"],
            skill=row["skill"],
            will=row["will"],
            urgency=row["urgency"],
            stakes=row["stakes"],
            expected=row["expected"],
            reason=row["reason"],
            also=tuple(row.get("also", ())),
        )
        for row in document["situations"]
    )


def labelled_situation(situation_id: str) -> LabelledSituation:
    for situation in labelled_situations():
        if situation.id == situation_id:
            return situation
    raise KeyError(f"no labelled situation {situation_id!r} in {SITUATIONS_FILE}")


def agreement() -> tuple[int, int, list[tuple[LabelledSituation, Suggestion]]]:
    """(matches, total, the situations where the advisor disagrees with its label, with what it said)."""
    situations = labelled_situations()
    wrong = [(s, s.suggestion()) for s in situations]
    wrong = [(s, got) for s, got in wrong if got.outcome != s.expected or (s.also and got.also != s.also)]
    return len(situations) - len(wrong), len(situations), wrong


def agreement_report() -> str:
    """The advisor's agreement with its labelled situations, per expected outcome, as plain text."""
    situations = labelled_situations()
    matches, total, wrong = agreement()
    missed = Counter(s.expected for s, _ in wrong)
    lines = [
        f"approach advisor: {matches} of {total} labelled situations agree ({100 * matches / total:.0f}%)"
    ]
    for outcome, count in sorted(Counter(s.expected for s in situations).items(), key=lambda kv: -kv[1]):
        found = sum(1 for s in situations if s.expected == outcome and not s.flags and outcome in case_ids())
        note = f" ({found} only described in the text)" if found else ""
        lines.append(f"  {outcome:<24} {count - missed[outcome]:>3} of {count}{note}")
    lines += [f"  wrong: {s.id}: expected {s.expected}, got {got.outcome}" for s, got in wrong]
    return "\n".join(lines)


if __name__ == "__main__":
    print(agreement_report())

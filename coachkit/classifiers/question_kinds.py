"""The one question classifier: what kind of question a manager asked, by its wording, with a fitting rewrite.

Every tool that judges a question uses ``classify_question``: lesson 02's checker, the exercises a01 and a04
(their nbgrader tests and self-checks), the GROW planner, the action plan and the practice conversation. The
kinds and the order they are checked in are defined in assets/questions/README.md, which is also the guide for
the labelled questions (assets/questions/labelled.tsv) the classifier is measured against
(tests/test_question_corpus.py, ``make eval``). The vocabulary is in assets/questions/lexicon.json; the
grammar is below, one named rule per decision, so a learner (and a test) can see which rule decided.

It reads wording only: not tone, not intent, not what was said before.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from coachkit.forms.textinput import as_html_text
from coachkit.paths import assets_dir

log = logging.getLogger(__name__)

KINDS = (
    "open",
    "closed",
    "leading",
    "loaded",
    "why",
    "playback",
    "contracting",
    "stacked",
    "not-a-question",
    "other-language",
)
KIND_TITLES = {
    "open": "Open question",
    "closed": "Closed question",
    "leading": "Leading question (advice in disguise)",
    "loaded": "Loaded question (blame inside)",
    "why": "A 'why' question",
    "playback": "Playing back",
    "contracting": "Contracting or asking permission",
    "stacked": "Stacked questions",
    "not-a-question": "Not a question",
    "other-language": "Not in English",
}
# The kinds a coach would be glad to hear; the others get advice and, where one fits, a rewrite.
GOOD_KINDS = ("open", "playback", "contracting")
QUESTION_LIMIT = 500  # characters: one question, not a paragraph
LEXICON_FILE = "questions/lexicon.json"
WHY_NOTE = "Evidence: practitioner's rule of thumb (Whitmore; Bungay Stanier), not a research finding."


@dataclass(frozen=True)
class QuestionVerdict:
    """What kind of question this is, why the checker thinks so, and an open rewrite where one fits."""

    kind: str
    explanation: str
    better: str | None = None
    rule: str = ""  # which rule decided, so the learner (and a test) can see the reasoning

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The word lists from assets/questions/lexicon.json, read once, as sets and compiled patterns."""
    data = json.loads((assets_dir() / LEXICON_FILE).read_text(encoding="utf-8"))
    english = set(data["english_words"])
    return {
        "typos": data["typos"],
        "blame": _phrase_pattern(data["blame_words"]),
        "loaded": _phrase_pattern(data["loaded_phrases"]),
        "english": english,
        "foreign": set(data["foreign_words"]) - english,
    }


def _phrase_pattern(phrases) -> re.Pattern:
    """One pattern that finds any of ``phrases`` as whole words (longest first)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(re.escape(p) for p in ordered)
    return re.compile(rf"(?<![\w'])(?:{body})(?![\w'])")


# ---------------------------------------------------------------------------------------------------------
# Reading the text


_FILLER = re.compile(
    r"^(?:(?:and|but|so|well|then|now|ok|okay|alright|all right|right|hmm+|um+|uh+|erm+|er|ah|oh|look|listen|"
    r"hey|hi|hello|sorry|honestly|anyway|anyways|also|actually|just|quick question|one question|"
    r"a quick one|question|good morning|morning|thanks|thank you|cheers|great|cool|sure|yes|yeah|no|"
    r"right then|ok then|okay then|so then|just curious|out of interest|quick check|one thing|two things|"
    r"a couple of things|i'm curious|can i (?:just )?check(?=,)|just checking(?=,)|i guess my question is|"
    r"i suppose my question is|my question is|"
    r"the question "
    r"is|what i'm asking is)\b[\s,:;.!\-–—]*)+"
)
_SENTENCE_END = re.compile(r"(?<=[?!.])\s+|(?<=[?!])(?=[^\s?!])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:mr|mrs|ms|dr|st|e\.g|i\.e|etc|vs|no)\.$")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_WH = r"(?:what|what's|whats|how|how's|which|who|who's|whom|whose|where|where's|when|when's)"
_AUX = (
    r"(?:do|does|did|is|are|was|were|am|can|could|will|would|should|shall|have|has|had|may|might|must|"
    r"don't|doesn't|didn't|isn't|aren't|wasn't|weren't|can't|couldn't|won't|wouldn't|shouldn't|haven't|"
    r"hasn't|hadn't|mustn't|shan't)"
)
_PRONOUN = r"(?:you|we|i|they|he|she|it|this|that|there|things|everything|everyone|anyone|someone)"


def _strip_symbols(text: str) -> str:
    """Emoji and other symbols become a break between sentences; letters, digits and punctuation stay.

    "Congrats on the promotion 🎉 what are you looking forward to?" reads as two sentences, as it is meant.
    """
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("So", "Sk", "Cs", "Co", "Cn", "Cc") or ch in "\u200d\ufe0f\u20e3":
            out.append("\x00")
        else:
            out.append(ch)
    joined = "".join(out)
    # a run of symbols between words ends a sentence (unless one ends there already); elsewhere it goes
    joined = re.sub(r"(?<=[\w,])\s*\x00[\x00\s]*(?=\s*\w)", ". ", joined)
    return joined.replace("\x00", " ")


def _normalise(text: str) -> str:
    """Straight quotes, no emoji, single spaces: the text as the learner would read it aloud."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u00bf", " ").replace("\u00a1", " ").replace("\uff1f", "?")
    return re.sub(r"\s+", " ", _strip_symbols(text)).strip()


def _fix_typos(lowered: str) -> str:
    typos = lexicon()["typos"]
    return re.sub(r"[a-z']+", lambda m: typos.get(m.group(0), m.group(0)), lowered)


def _sentences(text: str) -> list[str]:
    """The sentences of ``text``, each with its own end mark; a dot after 'Mr' or 'e.g' does not end one."""
    parts: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if parts and _ABBREVIATION.search(parts[-1]):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return parts


def _strip_filler(sentence: str) -> str:
    """The sentence without openers such as 'So,', 'OK,' or 'Quick question:' that do not change the kind."""
    rest = _FILLER.sub("", sentence.lstrip(" ,:;-–—….'\"*")).strip(" ,:;-–—")
    # "Sam, what ...": a name in front of the question
    match = re.match(r"^([a-z][a-z'-]*)\s*,\s*(.+)$", rest)
    if (
        match
        and match.group(1) not in lexicon()["english"]
        and not match.group(1).endswith("ly")  # "Seriously, is this ...?" is not a name
        and re.match(rf"{_WH}|{_AUX}\b", match.group(2))
    ):
        rest = match.group(2)
    return rest or sentence


@dataclass
class _Reading:
    shown: str  # the text as typed, tidied (for rewrites that reuse the learner's words)
    lowered: str  # lower case, typos fixed, no emoji
    sentences: list[str]
    questions: list[str]  # the sentences that end in '?', fillers stripped
    core: str  # the question being judged, fillers stripped
    has_mark: bool
    lead_in: list[str]  # sentences before the judged question
    opened_with_so: bool = False  # "So the deadline is the worry?" plays back; the 'so' is stripped from core
    spanish_marks: bool = False  # the text had ¿ or ¡
    main: str = ""  # the question after an opening clause ("If you were me, what would you do?")


def _read(text: str) -> _Reading:
    shown = _normalise(text)
    lowered = _fix_typos(shown.lower())
    sentences = _sentences(lowered)
    questions = [_strip_filler(s) for s in sentences if s.endswith("?") and _WORD.search(s)]
    if questions:
        first_index = next(i for i, s in enumerate(sentences) if s.endswith("?") and _WORD.search(s))
        core = questions[0]
        raw = sentences[first_index]
        lead_in = sentences[:first_index]
    else:
        # no question mark: judge the sentence that reads like a question, else the first one
        candidates = [s for s in sentences if re.match(rf"{_WH}\b|{_AUX}\b", _strip_filler(s))]
        raw = candidates[0] if candidates else (sentences[0] if sentences else "")
        core = _strip_filler(raw)
        lead_in = []
    corrected = re.search(
        r"[-–—]+\s*(?:sorry|i mean|or rather|rather|let me rephrase that|"
        r"let me put it another way)\b[,:]?\s*",
        core,
    )
    if corrected and core[corrected.end() :].strip():
        core = _strip_filler(core[corrected.end() :])  # "What did the - sorry, how did the client take it?"
    opened_with_so = bool(re.match(r"^(?:(?:ok|okay|right|and|well),? )?so\b", raw))
    spanish = "\u00bf" in text or "\u00a1" in text
    main = _main_clause(core)
    return _Reading(
        shown, lowered, sentences, questions, core, bool(questions), lead_in, opened_with_so, spanish, main
    )


def _main_clause(core: str) -> str:
    """The question itself when an opening clause comes first: "Looking back, what would you change?".

    A core that already starts like a question is its own main clause; otherwise the first part after a
    comma (or a dash) that starts like one is.
    """
    if _QUESTION_START.match(core):
        return core
    for match in re.finditer(r"(?:,|;|:|\s[-–—]|\bso\b|\bbut\b|\band\b)\s*(?:and |so |but )?", core):
        rest = core[match.end() :]
        if _QUESTION_START.match(rest):
            return rest
    return core


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


# ---------------------------------------------------------------------------------------------------------
# The rules, in the order of assets/questions/README.md


def _is_other_language(reading: _Reading) -> bool:
    """Is the text in another language than English? Word lists first; a language identifier when unsure."""
    letters = [ch for ch in reading.lowered if ch.isalpha()]
    if not letters:
        return False
    non_latin = sum(1 for ch in letters if ord(ch) > 0x24F)
    if non_latin / len(letters) >= 0.4:
        return True
    words = _words(reading.lowered)
    vocabulary = lexicon()
    english = sum(1 for w in words if w in vocabulary["english"])
    foreign = sum(1 for w in words if w in vocabulary["foreign"])
    accented = sum(1 for w in words if any(ord(ch) > 127 for ch in w))
    if reading.spanish_marks:
        foreign += 2
    evidence = foreign + min(accented, 2)
    if english == 0 and foreign >= 1:
        return True
    if evidence >= 2 and evidence >= 2 * english:
        return True
    if english >= 2 and english * 2 >= len(words) and foreign <= 1:
        return False
    if foreign == 0 and accented == 0 and len(words) <= 3:
        return False  # "ok noted": too short for a language identifier, and nothing foreign in it
    if len(words) < 2 or english * 3 >= len(words) * 2:
        return False
    return _identified_language(reading.lowered) != "en"


@lru_cache(maxsize=256)
def _identified_language(text: str) -> str:
    """The language py3langid identifies, among those a workshop is likely to meet; loaded on first use."""
    try:
        from py3langid import langid
    except ImportError:  # the word lists alone then decide: English unless they say otherwise
        return "en"
    _restrict_languages(langid)
    return langid.classify(text)[0]


@lru_cache(maxsize=1)
def _restrict_languages(langid) -> None:
    langid.set_languages(LANGUAGES_TO_TELL_APART)


# English and the languages a manager's team most often writes in besides it
LANGUAGES_TO_TELL_APART = [
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "pl",
    "sv",
    "da",
    "no",
    "fi",
    "cs",
    "sk",
    "hu",
    "ro",
    "tr",
    "el",
    "ru",
    "uk",
    "ca",
    "hr",
    "sl",
    "et",
    "lv",
    "lt",
    "id",
    "ms",
    "tl",
    "sw",
]


_TAG_ONLY = re.compile(r"^(?:right|yes|no|ok|okay|eh|yeah|correct|agreed|true|isn't it|don't you think)\?$")
# after a separator, a second question: a question word that is not inside a phrase ("about what"), or a
# yes/no question, or a second request to talk
_SECOND_WH = re.compile(
    rf"(?P<sep>,|;|\band\b|\bor\b|\bbut\b|\bthen\b|\s[-–—])\s*(?:and\s+|or\s+|then\s+|also\s+|so\s+)?"
    rf"(?P<wh>{_WH}|why)\b(?P<after>.*)$"
)
_SECOND_YES_NO = re.compile(
    r"(?P<sep>,|;|\band\b|\bor\b|\s[-–—])\s*(?:and\s+|or\s+)?(?:(?:do|does|did)\s+(?:you|they|we|he|she|it|"
    r"that|there|anyone|anybody|everyone|everybody|someone|somebody|people|i|the)|(?:is|are|was|were|have|"
    r"has|will|would|can|could|should|shall)\s+(?:you|they|we|he|she|it|that|there|anyone|anybody|everyone|"
    r"everybody|someone|somebody|something|anything|nothing|people|i|the|your|our|their|his|her|this|these|"
    r"those))\b"
)
_SECOND_REQUEST = re.compile(
    r"(?:,|\band\b)\s*(?:and\s+)?(?:then\s+)?(?:tell me|talk me through|walk me through|take me through|"
    r"explain|describe|say|whether|if)\b"
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:about|of|on|from|into|between|than|over|to|for|with|at|in|like|see|know|decide|sure|ask|"
    r"wonder|wondering|remember|understand|tell me|explain|describe)\s*$"
)


_SUBORDINATE = re.compile(
    r"^(?:when|whenever|where|if|once|as|while|after|before|since) (?:you|we|i|they|he|she|it|the|your|this|"
    r"that|our|people|things)\b(?![^,]*\?)"
)


def _stacked(reading: _Reading) -> str | None:
    """'two-marks' or 'joined' when the turn holds more than one question; else None."""
    questions = reading.questions
    if len(questions) >= 2 and not all(_TAG_ONLY.match(q) for q in questions[1:]):
        return "two-marks"
    if len(questions) > 1:
        return None
    core = reading.core
    if questions and any(
        _REQUEST.match(_strip_filler(s)) or _INVITATION.match(_strip_filler(s)) for s in reading.lead_in[-1:]
    ):
        return "prompt-then-question"  # "Talk me through the incident. What did you do first?"
    if _contracting(core) or _contracting(reading.main):
        return None  # "Is here OK, or would you rather go somewhere quieter?" is one contract
    if _PLAYBACK_START.match(core):
        return None  # "What I'm hearing is ... - is that right?" plays back, then checks it
    body = core.rstrip("?!. ")
    if not _QUESTION_START.match(body) and not _QUESTION_START.match(reading.main):
        return None
    if re.search(
        r"(?:,|\band)\s*(?:and\s+)?(?:why(?:\s+not)?|by when|until when|when|how|where|"
        r"(?:with|from|for|by|to) whom|how (?:often|much|long|soon))$",
        body,
    ):
        return "and-why"  # "Which do you prefer, and why?", "What do you need from me, and by when?"
    if _SECOND_REQUEST.search(body) and (_REQUEST.match(body) or _INVITATION.match(body)):
        return "joined"
    for match in _SECOND_WH.finditer(body):
        before = body[: match.start()].strip()
        after = match.group("after")
        if not before or not re.search(r"\w", after):
            continue
        if match.group("wh") == "what" and re.match(r"\s*else\b", after):
            continue  # "and what else?" asks for more of the same, not a new question
        if not _QUESTION_START.match(before) and not _QUESTION_START.match(_main_clause(before)):
            continue  # "If you were in my shoes, what would you do?": an opening clause, then one question
        if _SUBORDINATE.match(before):
            continue  # "When you say it feels out of control, what does that look like?": one question
        if re.match(
            r"^(?:so |and |ok )?(?:tell me|be honest|honestly|be straight with me|be frank|go on|go on then|"
            r"come on|ok then|right then)\W*$",
            before,
        ):
            continue  # "So tell me, how's the first month been?": one question
        if match.group("sep") == "and" and _PREPOSITION_BEFORE.search(before):
            continue
        return "joined"
    for match in _SECOND_YES_NO.finditer(body):
        before = body[: match.start()].strip()
        if not before:
            continue
        if match.group("sep") == "or" and not re.match(rf"(?:{_WH}|why)\b", before):
            second = body[match.end("sep") :].split()[:2]
            if (
                before.split()[:2] == second
                or len(second) < 2
                or re.match(r"^(?:was|is|were|are) (?:it|that|this|they)$", " ".join(second))
            ):
                continue  # "Is it the budget, or is it the timeline?": one choice between two answers
        if _QUESTION_START.match(before) or _QUESTION_START.match(_main_clause(before)):
            return "joined"
    return None


_SHARE_VERB = (
    r"(?:offer|share|suggest|give|make|add|tell you|throw|challenge|be (?:completely |totally |really |"
    r"very )?"
    r"(?:honest|direct|blunt|frank|straight)|play|push back|point out|interrupt|check|take (?:a few |some )?"
    r"notes?|come back|come in|jump in|pause|stop|ask (?:you )?(?:a|some|something|an|one|for|about|if|"
    r"whether|a question)|mention|raise|reflect|play back|summari[sz]e|put|bring|give you|offer you|"
    r"share with|tell|suggest something|say something|have (?:a|ten|five|a few|some) (?:minutes?|moment|word|"
    r"chat)|borrow|grab|steal|interrupt|be a sounding board|just listen|listen|leave|stay|record|write|"
    r"push you|"
    r"press you|probe|dig|ask you to|pick up on|come at this|offer a|be straight|jot|scribble|"
    r"make (?:a few |some )?"
    r"notes)"
)
_CONTRACTING = [
    re.compile(p)
    for p in (
        rf"^(?:can|could|may|might|shall) i (?:just )?{_SHARE_VERB}",
        r"^(?:would|will|could|might) it (?:help|be (?:useful|helpful|ok|okay|all right|alright|fine|worth))"
        r" (?:if i (?:just )?(?:shared|told|gave|offered|said|suggested|went through|listened|played back|"
        r"summari[sz]ed|asked|reflected|threw|added|described|explained|pointed out|mentioned|played|"
        r"challenged|pushed back|pushed you)|for me to "
        r"(?:share|tell|give|offer|say|suggest|listen|play back|summari[sz]e)|to hear (?:my|what i)|if we "
        r"(?:talk|think|took|spent|looked|went|stopped|paused|talked|thought))",
        r"^(?:would|will|could|might) it (?:help|be (?:useful|helpful))"
        r" (?:to|if we) (?:talk|think) (?:it|this|things|that)? ?(?:through|over)",
        r"^(?:do|would) you (?:want|like|prefer) (?:my (?:view|opinion|take|thoughts|ideas?|input|"
        r"advice|help|perspective|suggestions?|feedback)|to hear|some (?:ideas|suggestions|advice|feedback|"
        r"help|input)|a (?:suggestion|sounding board|hand)|an (?:idea|opinion|observation)|advice|feedback|"
        r"help from me|to (?:talk|think) (?:it|this|things)? ?(?:through|over|about it|about this)|"
        r"to (?:talk|"
        r"chat)(?: about (?:it|this|that))?(?: now| later| today| here)?\?|to use (?:this|our|the) time|"
        r"me to (?:just )?(?:listen|share|give (?:you )?(?:my|some|feedback)|offer|tell you|say|play|"
        r"summari[sz]e|"
        r"ask|challenge|push|stop|leave|come back|go on|carry on|be (?:a sounding board|honest|direct))|"
        r"to (?:start|begin|stop|pause|carry on|continue|come back|pick this up|keep going|move on|switch|"
        r"vent|offload|think aloud|take a (?:break|minute|moment))|to (?:do|have|talk about|discuss|go "
        r"through|continue) (?:this|it|that)(?: conversation)? (?:now|later|today|tomorrow|here|another|"
        r"after|before|somewhere|in|over|or|on|by|via|face))",
        r"^(?:are|would) you (?:be )?(?:ok|okay|happy|comfortable|all right|alright|fine|open) "
        r"(?:with me|for me|if i|to (?:hear|talk|have|take|share|go|look|spend|discuss|explore)|"
        r"(?:to carry on|"
        r"to continue|to keep going|carrying on|continuing|going on|keeping going)(?: (?:talking|for now|"
        r"with "
        r"this|with (?:the|our) conversation))?\W*$|with (?:that|this) (?:approach|plan for (?:today|our)))",
        r"^(?:is it|would it be|will it be) (?:ok|okay|all right|alright|fine|cool|acceptable)(?: with you)? "
        rf"(?:if i (?:just )?{_SHARE_VERB}|if i'm (?:\w+ )?(?:direct|honest|blunt|frank|straight|open)|"
        rf"for me to|to (?:talk|ask|share|interrupt|take notes|record|"
        r"write|pause|stop|come back|carry on))",
        r"^(?:do|would) you mind (?:if i|me)",
        r"^(?:are you |would you be )?(?:happy|ok|okay|comfortable|all right|alright) (?:for me|"
        r"if i) (?:to )?"
        rf"(?:{_SHARE_VERB}|take|record|note|share|write)",
        r"^mind if i\b",
        r"^(?:is|would) (?:now|today|this|it|tomorrow|this afternoon|this morning|here) (?:still )?(?:a|an|"
        r"the)"
        r" (?:good|bad|ok|okay|convenient|right|better) (?:time|moment|place)",
        r"^(?:is|would) (?:now|today|this|here) (?:ok|okay|convenient|a good time|all right|alright|fine)",
        r"^(?:is this|is now) (?:still )?(?:ok|okay|convenient)\b",
        r"^(?:have you got|do you have|you got|got|have you) (?:a|five|ten|fifteen|twenty|thirty|a few|some|"
        r"half an hour|an hour|a couple of|\d+) ?(?:minutes?|mins?|moment|sec|second|seconds|time|hour|"
        r"spare minutes)\b",
        r"^how (?:much time|long) (?:have you got|do you have|have we got|do we have|can you spare)",
        r"^(?:have you got|do you have|you got|got|are you free|would you have|could you spare|can you spare)"
        r" (?:[\w-]+ ){0,4}(?:minutes?|mins?|moment|sec|seconds?|hour|half hour|quarter of an hour|time)\b"
        r"(?! to (?!talk|chat|meet|catch|go over|go through|discuss|have a word|sit down))",
        r"^are you free (?:now|until|for|at|later|today|this|to talk|for a)",
        r"^(?:is it|would it be) (?:ok|okay|all right|alright|fine)(?: with you)? if we (?:use|spend|take|"
        r"talk|"
        r"start|focus|look at|go through|begin|stop|pause|come back|park|leave|sit|move (?:somewhere|to a))",
        r"^would you (?:rather|prefer to) (?:have|do|talk|meet|chat|sit|walk|go)",
        r"^would you be (?:open|up for|happy|ok|okay) (?:to|for) (?:hearing |a |an |some |my )(?:different |"
        r"other |outside |fresh )?(?:perspective|view|idea|suggestion|thought|feedback|observation|challenge|"
        r"input|opinion)",
        r"^(?:is|was) (?:this|that) (?:where|what|how) you (?:want|wanted|would like|'d like) to (?:spend|"
        r"use|"
        r"focus|go)",
        r"^(?:can|could|shall|should) we (?:agree|start|begin|stop|pause|take a|carry on|continue|come back|"
        r"pick (?:this|it|that) up|talk (?:later|tomorrow|about this later|another time|now|today|"
        r"in private|privately|somewhere)|move (?:this|somewhere)|find (?:a|some) time|make (?:some )?time|"
        r"spend|use (?:the|this|our)|focus|book|set (?:up )?(?:a|some)|schedule|keep (?:this|it) between|"
        r"leave "
        r"it|park|check in|step|go somewhere|grab a room|find a room|wrap (?:up|this up|it up)|"
        r"finish (?:here|"
        r"there|for today)|call it a day|stop there|stop here|leave it there|meet (?:weekly|fortnightly|"
        r"monthly|"
        r"every|more|less|once|twice|again)|catch up (?:weekly|fortnightly|monthly|every|more|less|again))",
        r"^(?:is|would|are) (?:this|that|the conversation|this conversation|our conversation|what we're "
        r"doing|these (?:chats|conversations|one-to-ones|check-ins)) (?:still )?(?:useful|helpful|helping|"
        r"working for you|what you need|the right (?:focus|thing))",
        r"^(?:is|are) (?:this|this conversation|our conversation|these (?:chats|conversations|one-to-ones|"
        r"check-ins)) (?:still )?working\b",
        r"^are we (?:still )?(?:talking about|focusing on|on) the right",
        r"^before we (?:start|begin|go on|carry on)\b",
        r"^do you want (?:this|it|that|what we (?:discuss|say|talk about)) to stay between us",
        r"^(?:can|shall) (?:i|we) (?:keep|treat) (?:this|it|that) (?:confidential|between us|private)",
        r"^(?:would|do) you (?:like|want) (?:to )?(?:me|us) to (?:just )?(?:listen|help|step in|give)",
        r"^(?:do|would) you want (?:me )?(?:just )?to (?:listen|vent)",
        r"^shall i (?:just )?(?:be|listen|leave|stay|come back|stop|carry on|keep|hold|play|give|share|"
        r"offer)",
        r"^how often (?:should we|shall we|would you like (?:us )?to|do you want (?:us )?to|could we|do we|"
        r"would you like these|do you want these) (?:meet|check in|catch up|talk|have (?:these|this|our)|"
        r"do (?:these|this)|to happen|one-to-ones|1:1s)",
        r"^would you (?:rather|prefer) (?:i|me to|that i) (?:just )?(?:listen|listened|said|gave|shared|kept|"
        r"stayed|offered|asked|held back|stepped back)",
        r"^(?:is there|would you like|do you want) [^?]*(?:between (?:the two of )?us|stays? private|"
        r"confidential)",
        r"\b(?:check-ins?|catch-ups?|one-to-ones?|1:1s?|1-2-1s?|meetings?) (?:suit|work for) you",
        r"^(?:what|how) would you like (?:me to do|to use (?:this|our|the) time|these (?:sessions|"
        r"conversations) to)",
    )
]
_CONTRACTING_ANYWHERE = re.compile(
    r"\b(?:or would (?:it|you) (?:help|rather|prefer|like) (?:to|if)|or (?:do|would) you (?:rather|prefer|"
    r"want to) (?:think|work|talk|figure|sort|go|meet|do this)|or would you prefer (?:a|an|another|"
    r"somewhere|to|"
    r"we|some)|or shall we|or should we|or (?:is|would) "
    r"(?:another|a later|later|tomorrow)|or (?:do|would) you (?:just )?want (?:me )?to listen|or (?:do|"
    r"would) "
    r"you (?:like|want) (?:my|some|a)|or (?:shall|should) i (?:just )?(?:listen|leave)|or do you need a "
    r"(?:break|minute|moment)|or is (?:the|it) (?:too )?(?:busy|bad|late|hectic)|or would you rather|"
    r"or do you need to (?:be|go|get))\b"
)


_CONFIDENTIALITY = re.compile(
    r"\b(?:stays? between us|between the two of us|between you and me|stays? in (?:this|the) room|"
    r"confidential|(?:would|"
    r"'d) have to "
    r"act on|have to pass (?:it )?on|keep (?:this|it) private|off the record|who else (?:will|would) know)\b"
)


def _contracting(core: str, lead_in: str = "") -> bool:
    if any(p.search(core) for p in _CONTRACTING):
        return True
    if (
        lead_in
        and _CONFIDENTIALITY.search(lead_in)
        and re.match(
            r"^(?:is that (?:all right|alright|ok|okay|fair)|does that (?:work|sound)|are you (?:ok|okay|"
            r"happy) with that|can we agree)",
            core,
        )
    ):
        return True  # "Before we start, I'd like us to agree what stays between us. Is that all right?"
    if _CONFIDENTIALITY.search(core) and re.search(
        r"(?:does that work for you|is that ok|is that okay|are you ok with that|are you okay with that|"
        r"is that all right|is that alright|does that sound (?:ok|okay|fair|all right)|is that fair|"
        r"can we agree|shall we agree|agreed)(?: with you| for you| by you)?\W*$",
        core,
    ):
        return True
    return bool(_CONTRACTING_ANYWHERE.search(core)) and re.match(rf"{_AUX}\b", core) is not None


_LOADED_START = re.compile(
    r"^(?:how could you (?:not|do|let|think|be so|possibly|forget|miss|have)|how (?:can|could) you (?:not|"
    r"possibly)|why would you (?:ever|even)|what possessed you|who in their right mind|what do you call this|"
    r"how do you (?:expect|justify)|why should i|are you (?:seriously|really) (?:telling|saying|going)|"
    r"have you lost your mind|do you think i'm|do you think we're|what part of .* (?:don't|didn't) you "
    r"(?:understand|get)|what is it (?:with you|about .* that you (?:can't|don't))|can't you (?:ever|even|"
    r"do anything|get anything)|don't you ever|(?:seriously|really|again|unbelievable|honestly)\W*$|"
    r"do you think (?:this|that|it) (?:is|was|looks) (?:acceptable|ok|okay|fine|good enough|professional|"
    r"appropriate|funny)|how many more (?:chances|times|warnings|reminders|complaints|mistakes|excuses|"
    r"emails)|when (?:exactly )?(?:were|was) "
    r"you (?:planning|going|intending) to tell|another (?:sick day|day off|late|excuse|mistake|complaint)|"
    r"are you trying to (?:get (?:us|me|yourself)|ruin|sabotage|annoy|wind me up|make me look)|"
    r"did (?:nobody|no one|no-one) (?:teach|tell|show)|did you (?:honestly|really|seriously) (?:think|"
    r"believe|expect)|(?:have|did) you actually (?:done|do|finished|finish|started|start|read|tried|try|"
    r"looked|look|checked|check|bothered|listened|thought)\b|"
    r"(?:was|is) it (?:really )?(?:too|that|so) (?:difficult|hard) to|you do reali[sz]e|"
    r"how (?:difficult|hard|tricky) (?:is|was|can|could) it (?:really )?(?:be )?to|is it beyond you|"
    r"did it (?:not|never) occur to you|didn't it occur to you|nice of you to|(?:is|was) (?:this|"
    r"that) really "
    r"(?:the|how|what|your|our|all)\b|(?:wasn't|isn't) it obvious|are you (?:actually|even|really) capable|"
    r"how (?:did|could|have) you (?:let|allow)\b|what (?:were|are) you playing at|(?:is|was) (?:that|"
    r"this) the "
    r"best [\w ]{0,25}you can (?:do|manage|come up with|offer)|(?:shouldn't|should) (?:you|he|she|they|we)"
    r"(?: not)? have (?:caught|known|seen|noticed|checked|told|asked|spotted|done|thought|realised|realized)|"
    r"do i (?:have|need) to (?:spell|explain|tell|remind|do|draw)|do you (?:honestly|really|"
    r"seriously) "
    r"think (?:that|this|it|you|we|i)|do you think (?:that's|that is|this is|it's|it is) (?:acceptable|ok|"
    r"okay|"
    r"fine|good enough)|is this your idea of|whose (?:brilliant|bright|great|genius|clever|wonderful) idea|"
    r"am i supposed to (?:do|fix|clean|sort)|you(?:'re| are) telling me (?:that )?(?:nobody|no one|no-one|"
    r"you "
    r"(?:didn't|haven't|never|forgot)))"
)
_LOADED_ANYWHERE = re.compile(
    r"\b(?:(?<!do )(?<!did )(?<!would )(?<!will )(?<!can )(?<!could )(?:you|you've|you're|you'll) (?:always|"
    r"never|constantly|keep (?:making|forgetting|missing|getting|"
    r"doing|leaving|losing|breaking|coming))|can never|always you|the only one who|same mistakes?|"
    r"keep making|manage(?:d)? to (?:lose|miss|break|forget|mess|crash|delete|upset|damage|ruin|offend|"
    r"annoy|wreck|fail|lose)|made you think (?:it was|that was|this was) (?:fine|ok|okay|acceptable|"
    r"alright|all right)|think it was (?:fine|ok|okay|acceptable) to|nobody would notice|no one would "
    r"notice|(?:my|your|his|her|their) fault|so now it's|on purpose|deliberately|kind of joke|"
    r"literally your job|happy now|spell (?:it|everything|this) out for you|how did you (?:manage|"
    r"contrive) to "
    r"[^?]*\b(?:wrong|lose|lost|miss|missed|break|broke|forget|forgot|crash|delete|mess|spill|drop|upset|"
    r"offend|fail|damage|overbook|double-book)|do your job for you|your idea of a|(?:is this|"
    r"is that) what you call|"
    r"who thought (?:it|this|that) was a good idea|you (?:were|are|'re) the one who|(?:rules|deadlines|"
    r"policies) (?:just )?(?:don't|do not) apply to you|wing (?:it|the)|you'd just|gets? (?:this|it|that|"
    r"everything) wrong|"
    r"do i (?:always )?have to (?:chase|remind|tell|ask)|i always have to|have to chase you|"
    r"(?:forgot|forgotten|lost|missed|late|broke|wrong|failed|messed|slipped) again|(?<!how )seriously\b|"
    r"just didn't (?:want|bother|care|try|think)|didn't want to do it|finally (?:show|turn|bother|decide)|"
    r"beyond you|never occurred to you|(?:a|the) (?:weekly|daily|regular|monthly) thing now|"
    r"is that (?:really )?(?:your|the best) (?:answer|excuse)|didn't (?:even )?"
    r"(?:prepare|bother|try|check|think|read|listen)(?: at all)?\?$|\b(?:didn't|did not|don't|haven't|"
    r"wasn't|weren't|not)\b[^?]*\bat all\?$|(?:lose|lost|losing|miss|"
    r"missed|missing|forget|forgot|forgotten|late|break|broke|broken|wrong|fail|failed|mess|messed) "
    r"[^?]*\bagain\W*$)"
)
_VERDICT_PLAYBACK = re.compile(
    r"^(?:so,? )?you (?:just|simply|basically) (?:let|left|walked|ignored|gave|forgot|decided|went|sat|did|"
    r"didn't|sent|said yes|agreed|dropped|abandoned|skipped|assumed|winged|hoped|waited)\b|"
    r"^(?:so )?(?:you|you've|you're|you just|you basically|you simply) (?:just )?(?:gave up|give up|"
    r"didn't bother|couldn't be bothered|forgot|ignored|blame|blamed|let it slide|left it|expected someone"
    r"|decided not to bother|did nothing|sat on it|panicked|are saying it's not your fault|think it's fine"
    r"|think that's (?:ok|okay|fine|acceptable))"
)


def _loaded(core: str, reading: _Reading) -> str | None:
    vocabulary = lexicon()
    core = " ".join([*reading.lead_in[-1:], core]) if reading.lead_in else core
    if vocabulary["loaded"].search(core) or _LOADED_START.search(core) or _LOADED_START.search(reading.main):
        return "loaded-phrase"
    if _LOADED_ANYWHERE.search(core):
        return "loaded-phrase"
    if vocabulary["blame"].search(core):
        return "blame-word"
    if _VERDICT_PLAYBACK.search(core):
        return "verdict-playback"
    if _why(reading.main) and re.search(r"(?:\?\?|\?!|!\?)\s*$", core):
        return "exasperated-why"  # "Why would you do that??": disbelief, not a request for the reason
    return None


_SPECIFIC_OBJECT = (
    r"(?!(?:anything|anyone|anybody|something|someone|somebody|any|all|it|that|this|what|how|who|"
    r"where|when|which|why|your options|the options|options|other options|alternatives|"
    r"possibilities|other ways|other approaches|another way|any other|yourself|everything|things|"
    r"it through|about it|other people|others|people|a way|ways|what|one)\b)"
)
_LEADING_START = re.compile(
    r"^(?:have you (?:thought about|thought of|considered|tried|asked|talked to|spoken to|spoken with|"
    r"talked with|looked at|looked into|reached out to|run it past|run this past|got in touch with|"
    r"escalated|raised it with|involved|thought to|explored)|did you (?:think about|think of|consider|try)|"
    r"(?:have|did) you (?:not )?(?:think|thought) (?:of|about) (?:asking|talking|using|trying|getting|"
    r"calling|moving|going))\s+" + _SPECIFIC_OBJECT
)
_LEADING_PHRASE = re.compile(
    r"^(?:wouldn't|would it not|would you not|couldn't|could you not|shouldn't|should you not|should we not|"
    r"don't you (?:think|agree|feel|want|reckon|see|need)|do you not (?:think|agree|feel|see)|"
    r"doesn't (?:it|that|this) (?:make sense|seem|sound)|isn't (?:it|that|this|the|there|your|our|he|she)|"
    r"aren't (?:you|we|they)|can't (?:you|we)|won't (?:you|it)|why not\s+\w|why don't (?:you|we|i)|"
    r"why wouldn't (?:you|we)|why shouldn't (?:you|we)|how about|what about (?!you\b|it\b|that\b|this\b)|"
    r"surely|you could|you should|you might want to|maybe you could|perhaps you could|maybe you should|"
    r"perhaps you should|what you need to do is|is it not|would it be (?:better|easier|wiser|smarter|good|"
    r"worth|a good idea|best)|wouldn't it make sense|does it make sense to|would it make sense to|"
    r"would you (?:agree|consider|be willing to (?:try|ask|use|call|talk to|speak to))|do you agree (?:that|"
    r"we|it)|"
    r"don't you agree|is it fair to say|would it be fair to say|isn't it true|wouldn't you say|"
    r"would you say (?:that )?(?:it's|it was|this is|the problem)|could (?:it|the problem|the issue|that) "
    r"(?:be|have been) (?:that|because|the)|might (?:it|the problem|the issue) be|is it possible (?:that|"
    r"the)|is it because|was it because|do you think (?:it's|it is|it was|that's|that is|the problem|the "
    r"issue|the reason) (?:because|the|a|an|down to|due to)|(?:do|did) you (?:think|reckon|feel|believe|"
    r"suppose) (?:you|we) (?:should|"
    r"could|ought|might|need to|must|would be better)|do you think it (?:would|might|could) (?:be|help|"
    r"make)|do you think (?:a|an) [a-z]+ (?:would|might|could) help|would it help (?:to|if)|could it help "
    r"(?:to|if)|might it help (?:to|if)|would it be (?:helpful|useful|easier|better) (?:if (?:i|we)|"
    r"for me to)|"
    r"would (?:a|an|some) [a-z ]{2,30} (?:help|work|be better|make sense|"
    r"sort|fix|solve|settle|clear|speed|do the trick)|"
    r"could you just|can you just|would you just|can't you just|could we just|can we just|shall we just|"
    r"should (?:you|we) (?:just |maybe |perhaps |not )?(?!have\b)[a-z]+|ought (?:you|we)|"
    r"have you thought (?!about (?:what|how|why|where|when|who|which|whether|if))|"
    r"do you want to (?:try|use|ask|call|give|just|consider|look at|talk to|speak to|get|move|switch|"
    r"swap|put|send|escalate|delegate|hand)|would you like to (?:try|use|ask|call|give|consider|"
    r"swap|switch|hand|delegate)|what if (?:you|we|i|they|he|she)\b(?! (?:did nothing|didn't|had no|had "
    r"unlimited|had all|had more|had nothing|had the|could|knew|weren't|were not|were|was|wasn't|"
    r"couldn't|did nothing at all|stopped worrying|had to start|had a magic))|"
    r"(?:could|can|would|will) you (?:maybe|perhaps) [a-z]+|(?:i (?:was|am|'m) )?(?:just )?wondering (?:if|"
    r"whether) "
    r"(?:maybe |perhaps )?(?:you|we) (?:could|might|should|would|can)|do you (?:think|reckon|feel|suppose) "
    r"(?:a|an|some|more|less|another|fewer|having|adding|using|moving|getting) [\w' -]{2,40} (?:would|might|"
    r"could|will) (?:stop|help|fix|solve|sort|work|make|speed|improve|cut|reduce|prevent|change|ease)|"
    r"(?:do you |would you )?(?:want|like) me to (?:have a "
    r"word|talk to|speak to|call|ring|email|sort|fix|handle|deal|take|do|write|send|step in|chase|escalate|"
    r"raise)|is it worth (?:\w+ing|a|an|trying)|"
    r"shall we (?:just |maybe |perhaps )?(?:try|go with|use|do|ask|move|switch|put|give|get|make|swap|"
    r"split|bring|hand|send|call|cancel|drop|skip|push|change|add|hire|set up|run|book)|"
    r"what(?:'s| is| would be) (?:wrong with|the harm in|the problem with|"
    r"stopping you from) (?:just )?\w+ing|"
    r"what harm would it do to|is there (?:any|a) reason (?:not to|(?:you|we) (?:can't|couldn't|shouldn't|"
    r"wouldn't))|any reason not to|(?:is|was|would) (?:the best|the right|the easiest|the quickest|one) "
    r"(?:option|answer|way|thing|fix|move)|would it be (?:an? )?(?:idea|option|plan|thought) to|"
    r"doesn't it make (?:more )?sense|does it not make sense|would you be (?:up for|willing to|open to|"
    r"interested in|happy to) (?!talk (?:me|us)|tell (?:me|us)|walk (?:me|us)|take (?:me|us)|run (?:me|us)|"
    r"explain|"
    r"describe|share (?:your|what|how)|say more)\w+|(?:perhaps|maybe|possibly) (?!i\b)\w+|"
    r"(?:could|might|couldn't|can|can't) (?!i\b|we\b|you\b|it be\b)(?:the |a |an |your |our |\w+ )?[\w-]+ "
    r"(?:[\w-]+ )?(?:take|do|help|cover|handle|pick up|run|lead|own|share|be asked|step in|swap)\b|"
    r"do you think (?:the |a |an |your |our )?[\w -]{2,40} (?:would|might|could) (?:[\w ]{0,30})\b(?:better|"
    r"easier|faster|quicker|help|work better|respond better)\b)"
)
_WHAT_DO_YOU_THINK_ABOUT = re.compile(
    r"^(?:what|how) (?:do|would|did) you (?:think|feel|say|reckon) (?:about|of|to) (?P<object>.+)$"
)
_IF_YOU_ACTION = re.compile(
    r"\bif (?!it\b|things\b|nothing\b|that\b|this\b|no one\b|nobody\b|there\b|money\b|time\b)"
    r"(?:you|we|i|they|he|she|[a-z]+(?: [a-z]+)?) (?:just |simply |maybe |perhaps )?(?!did nothing|didn't|"
    r"had\b|"
    r"could|were|was|knew|weren't|wasn't|couldn't|said no|do nothing|don't|did not)[a-z]+\b"
)
_CONSEQUENCE_OF_IDEA = re.compile(
    r"^(?:how would (?:it|that) (?:be|work|feel|look)|what (?:would|will|might|could) (?:happen|change|"
    r"it (?:look|be) like|that (?:look|be) like)|how (?:would|might|will|could) (?:it|that|they|he|she|"
    r"the \w+|things|"
    r"people|the team) (?:go|feel|react|work|look|respond|land|change)|what's the worst that could happen|"
    r"what (?:would|might) be the (?:risk|downside|upside|effect|impact))"
)
_OPEN_EXCEPTIONS = re.compile(
    r"^what if (?:you|we) (?:did nothing|didn't|had|could|knew|weren't|were)\b|^what if (?:money|resources|"
    r"time|budget|nothing|it|things|the|this|"
    r"that|there)\b"
)
_TAG = re.compile(
    r",\s*(?:(?:couldn't|wouldn't|shouldn't|isn't|aren't|don't|doesn't|didn't|won't|can't|haven't|hasn't|"
    r"wasn't|weren't|is|are|do|does|did|will|can|could|would|should|has|have|was|were|mightn't|"
    r"oughtn't) (?:he|she|it|they|you|we|i|there|that|this)|right|yeah|yes|no|eh|ok|okay|correct|agreed|"
    r"true|surely|innit|don't you think|wouldn't you say|wouldn't you agree|don't you agree|"
    r"do you agree|agree|yeah\?|you know|am i right|huh)\s*[?!.]*$"
)
_ADVICE_STATEMENT = re.compile(
    r"^(?:you (?:should|could|need to|must|might want to|ought to|have to|may want to|'d better|had better)|"
    r"you'd better|i'd|i would|if i were you|my advice|i suggest|i'd suggest|i would suggest|i recommend|"
    r"i'd recommend|i think you should|i think you need|i think we should|i think you could|maybe you|"
    r"perhaps you|maybe we|perhaps we|try|just|let's|let us|go and|go ahead|make sure|remember to|"
    r"don't forget|why not|how about|the answer is|what you need|what you should|the best thing|"
    r"one option is|one idea is|an idea:|idea:|suggestion:|option:|send|call|ask|email|ring|tell|talk to|"
    r"speak to|use|escalate|delegate|book|put|move|cancel|stop|start|give|get|fix|check|have a word|hand|"
    r"pass|"
    r"have a chat|loop in|copy|cc|block|push|focus on|prioriti[sz]e)\b"
)
_INVITE_REACTION = re.compile(
    r"^(?:what do you think|what do you reckon|how does that sound|how would that be|thoughts|"
    r"any thoughts|does that (?:sound|make sense|work)|would that (?:work|help)|could that work|"
    r"what do you make of (?:that|it)|how do you feel about that|yes|ok|okay|agreed|right|fair|make sense|"
    r"is that (?:ok|okay|fair|all right|alright)|sound good|sounds good|deal|how about it|"
    r"what would you say to that|can you do that|will you|could you)\b"
)


_TAG_WITHOUT_MARK = re.compile(
    r"^(?:you|he|she|they|we|it|that|this|there)\b[^?]*\b(?:can't|won't|couldn't|wouldn't|shouldn't|don't|"
    r"doesn't|didn't|isn't|aren't|haven't|hasn't|can|will|would|could|should|do|did|is|are|have|has) "
    r"(?:you|he|she|they|we|it|i|there)\W*$"
)


def _leading(core: str, reading: _Reading) -> str | None:
    if _OPEN_EXCEPTIONS.search(core):
        return None
    if not reading.has_mark and _TAG_WITHOUT_MARK.search(core):
        return "tag"  # "You can do a double on Saturday, can't you"
    if re.match(
        r"^have you (?:spoken|talked|asked|told|contacted|emailed|called|raised it)\b.*\byet\W*$", core
    ):
        return None  # "Have you spoken to HR about your hours yet?": a check of what happened, not an idea
    if not reading.has_mark and not re.match(rf"(?:{_WH}|why|{_AUX}|how about|what about|what if)\b", core):
        return None  # "You should call Maria." is advice given straight, not a question
    if _LEADING_START.search(core):
        return "suggestion-start"
    if _LEADING_PHRASE.search(core):
        return "leading-start"
    match = _WHAT_DO_YOU_THINK_ABOUT.match(core.rstrip("?!. "))
    if match and _names_an_idea(match.group("object")):
        return "idea-to-react-to"
    if _CONSEQUENCE_OF_IDEA.match(reading.main) and _IF_YOU_ACTION.search(core):
        return "idea-in-if"  # "What would happen if you asked Sam?"
    if (
        re.match(rf"^{_AUX}\b", reading.main)
        and not re.match(r"^(?:can|could|may|might) i\b", reading.main)
        and re.search(r"\b(?:perhaps|maybe)\b", core)
    ):
        return "leading-start"  # "Is the best option perhaps to wait?"
    if reading.has_mark and _TAG.search(core) and not re.match(rf"^{_WH}\b", core):
        return "tag"
    advice_before = [s for s in reading.lead_in if _ADVICE_STATEMENT.match(_strip_filler(s))]
    if advice_before and (_INVITE_REACTION.match(core) or re.match(rf"{_AUX}\b", core)):
        return "advice-then-question"
    return None


def _names_an_idea(obj: str) -> bool:
    """Does 'what do you think about ...' go on to name an idea of the asker's (a rota, asking Maria)?"""
    obj = obj.strip()
    if re.match(
        r"^(?:the|your|this|that|these|those|it|how|what|why|where|when|who|which|whether|our|their|his|her|"
        r"my|all (?:this|that|of)|everything|things|you|yourself|today|last|next|so far|doing|working)\b",
        obj,
    ):
        return False
    if re.match(
        r"^(?:a|an|some|just|maybe|perhaps|instead|trying|using|asking|moving|having|getting|giving|"
        r"putting|splitting|sharing|bringing|letting|making|calling|sending|taking|pairing|adding)\b",
        obj,
    ):
        return True
    if re.match(r"^[a-z]+ing\b", obj):
        return True
    # a name or a person followed by a verb in -ing: "Ben taking the lead", "the team taking over"
    return bool(re.match(r"^[a-z]+(?: [a-z]+)? [a-z]+ing\b", obj))


_WHY_START = re.compile(
    r"^(?:why|how come|what for|for what reason|whyyy*|wherefore|(?:can|may|could|might) i (?:just |perhaps |"
    r"possibly )?ask (?:you )?why|"
    r"(?:i'm|i am) (?:just )?(?:curious|wondering) why|i wonder why)\b"
)


def _why(core: str) -> bool:
    return bool(_WHY_START.match(core)) or bool(re.match(r"^(?:and|but|so) why\b", core))


_PLAYBACK_START = re.compile(
    r"^(?:so,? )?(?:(?:so )?basically|what (?:i'm|i am) hearing|what i hear|i'm hearing|i am hearing|"
    r"i hear (?:that|you)(?!\W*$)|it sounds (?:like|as if|as though)|sounds (?:like|as if)|you sound|"
    r"it seems (?:like|as if|as though|that)|seems (?:like|as if)|you seem|it feels like you|i sense|"
    r"i'm sensing|i get the sense|i get the feeling|correct me if i'm wrong|tell me if i've got this wrong|"
    r"if i(?:'ve| have)? (?:understood|understand|heard|got (?:this|that|it|you))|if i'm (?:hearing|"
    r"understanding|following|reading)\b|let me (?:check|see if|make sure) i(?:'ve| have)?"
    r" (?:got|understood|understand|heard)|let me play (?:that|this|it) back|let me (?:summari[sz]e|recap)|"
    r"(?:just )?to (?:check|recap|summari[sz]e|sum up|be sure|make sure)(?: i)?|in other words|in short|"
    r"in a nutshell|to sum up|so to sum up|am i right (?:in thinking|to think|that|in saying)|am i getting "
    r"(?:this|that|it|you) right|have i (?:got|understood) (?:that|this|it|you) right|did i (?:hear|"
    r"understand|get) (?:you|that|it) (?:right|correctly)|do i understand (?:you )?(?:correctly|right)|"
    r"is that what you(?:'re| are) saying|so (?:what )?you(?:'re| are) saying|you(?:'re| are) saying|"
    r"so what you(?:'re| are) (?:saying|telling me)|you(?:'re| are) telling me|what you(?:'re| are) "
    r"(?:saying|telling me) is|what you(?:'re| are) describing|so you feel|you feel|you felt|so you felt|"
    r"so for you|for you,? (?:the|it's|it is|what)|what (?:i'm|i am) (?:picking up|noticing|sensing)|"
    r"i'm picking up|i notice (?:that )?you|i'm noticing|(?:just )?to play (?:that|this|it) back|"
    r"what i'm getting is|the way you describe it|let me (?:just )?"
    r"(?:check|make sure)\b)"
)
_CHECK_BACK = re.compile(
    r"^(?:is that (?:fair|right|it|correct|true|accurate|about right)|have i got that right|did i get that "
    r"right|does that sound right|am i close|is that a fair summary|have i missed anything|right)\b"
)
_FEELING_WORDS = re.compile(
    r"\b(?:feel|feels|felt|feeling|want|wants|wanted|wish|think|thought|believe|mean|meant|saying|said|"
    r"worried|worry|frustrated|stuck|sound|seem|prefer|need|needs|hope|hoping|see|view|sense|find|found|"
    r"enjoy|hate|love|upset|angry|annoyed|concerned|unhappy|happy|excited|nervous|anxious|overwhelmed|"
    r"torn|unsure|confident|tired|exhausted|disappointed|proud|relieved|bored|scared|afraid|keen|"
    r"reluctant|uncomfortable|comfortable|ready|like|liked|care|matters?|important|real (?:worry|issue|"
    r"problem|challenge)|biggest|main)\b"
)
_FUTURE_COMMITMENT = re.compile(
    r"^(?:so,? )?(?:you'll|you will|you're going to|you are going to|we'll|we will|we're agreed|we agree|"
    r"that's agreed|it's agreed|agreed|the plan is|your first step is|you'll have|by (?:friday|monday|"
    r"tuesday|wednesday|thursday|tomorrow|next))"
)
_DECLARATIVE_START = re.compile(
    r"^(?:so,? )?(?:the|your|you|you're|you've|you'd|it|it's|they|they're|he|she|he's|she's|we|we're|"
    r"this|that|that's|there's|there|what|a|an|[a-z]+'s)\b"
)


def _playback(core: str, reading: _Reading) -> str | None:
    if _PLAYBACK_START.match(core):
        return "playback-phrase"
    if (
        reading.lead_in
        and _PLAYBACK_START.match(_strip_filler(reading.lead_in[-1]))
        and _CHECK_BACK.match(core)
    ):
        return "summary-checked"  # "I'm hearing two things: ... Is that fair?"
    if reading.opened_with_so and re.match(
        r"^what (?!is\b|are\b|was\b|were\b|do\b|does\b|did\b|would\b|will\b|can\b|could\b|should\b|has\b|"
        r"have\b|'s\b|else\b|next\b)[a-z' ]+ (?:is|are|was|were)\b",
        core,
    ):
        return "statement-checked-back"  # "So what matters most is being home for the school run?"
    if not reading.has_mark:
        return None
    if _FUTURE_COMMITMENT.match(core):
        return None
    starts_with_so = reading.opened_with_so or core.startswith(("so ", "so,"))
    body = re.sub(r"^so,? ", "", core)
    if re.match(rf"(?:{_WH}|why|{_AUX}|any|anything|anyone|or)\b", body):
        return None
    if not _DECLARATIVE_START.match(body):
        return None
    if starts_with_so or re.search(r"\byou\b|\byour\b|\byou're\b", body) and _FEELING_WORDS.search(body):
        return "statement-checked-back"
    return None


_REQUEST = re.compile(
    r"^(?:(?:please )?(?:can|could|would|will) you (?:please |possibly |kindly )?(?:just )?|please |"
    r"i'd like you to |would you mind |would you be willing to |would you be happy to |"
    r"i wondered (?:whether|if) "
    r"you (?:might|would|could) (?:like to |be willing to |mind )?|i was wondering (?:whether|"
    r"if) you (?:might|"
    r"would|could) (?:like to |be willing to |mind )?)"
    r"(?:tell (?:me|us)|say (?:a bit )?more|talk (?:me|us) through|walk (?:me|us) through|take (?:me|us) "
    r"through|run (?:me|us) through|describe|explain|share|help me (?:understand|see|get)|give me (?:a|an|"
    r"some) (?:sense|picture|idea|example|flavour|flavor|overview)|paint (?:me )?a picture|fill me in|"
    r"expand|elaborate|go over|unpack|say (?:that|it) again|repeat (?:that|it)|go back over|tell me a bit|"
    r"talk a bit|say what|put into words|think of|think "
    r"about what|think about how|sum up what|summari[sz]e what|show me what|spell out)"
)
_INVITATION = re.compile(
    r"^(?:tell (?:me|us)|say (?:a bit |a little )?more|talk (?:me|us) through|walk (?:me|us) through|"
    r"take (?:me|us) through|run (?:me|us) through|describe|explain|share|help me (?:understand|see)|"
    r"give me (?:a|an|some) (?:sense|picture|idea|example|flavour|flavor|overview)|paint (?:me )?a picture|"
    r"fill me in|let's hear|i'd (?:really |genuinely )?(?:love|like) to (?:hear|know|understand)|"
    r"i (?:was|am|'m) (?:just |really )?(?:wondering|curious) (?:how|what|which|who|where|when)|"
    r"i (?:wanted|want|'d like|would like|meant) to ask (?:you )?(?:how|what|which|who|where|when|about)|"
    r"i (?:just )?(?:want|wanted|'d like|would like) to (?:understand|hear|know|learn) (?:from you|from your "
    r"side|more|how|what|which|who|where|when|about|your)|i'd (?:really )?value (?:hearing|your|knowing)|"
    r"what i'd like to know is|i'd be (?:really |very |genuinely )?(?:interested|keen|glad|happy|"
    r"curious) to (?:hear|know|understand|learn)|i'm keen to (?:hear|know|understand)|i'm (?:curious|"
    r"interested) "
    r"(?:about|in|to hear|what|how|why)|i wonder (?:what|how|which|who|where|when)|i'm wondering (?:what|"
    r"how|which|who|where|when)|talk about|keep going|go on|carry on|more on|say more|"
    r"think (?:about|back to) (?:what|how|a time|the last)|imagine|picture|suppose|what else)\b"
)
_OPEN_START = re.compile(
    rf"^(?:{_WH}|in what|to what|in which|with whom|from whom|for whom|at what|by when|by what|on what)\b"
)
_CHOICE = re.compile(r"(?:^|,\s*|\s)[a-z' -]+ or (?:[a-z' -]+)\?$")
_NARROW = re.compile(
    r"^(?:when|where|who|whom|whose|which|how many|how much|how long|how often|how soon|how far|what time|"
    r"what day|what date|by when)\b"
)
_INTRO_CLAUSE = re.compile(
    r"^(?:if|when|once|looking|thinking|given|with|in|apart from|besides|now that|before|after|since|"
    r"on a scale|out of|between|as|from|for|imagine|suppose|say|let's say|assuming|leaving|taking|"
    r"putting|setting|knowing|compared|of all|ideally|realistically|honestly|overall|today|this week|"
    r"next time|right now|at this point|at the moment|at the end|by the end|in the end|at its best|"
    r"at best|at worst|in your view|in your opinion|from your side|for you|for the team)\b[^,?]*,\s*"
)


_TASK_INSTRUCTION = re.compile(
    r"\b(?:in (?:the|a|your) (?:[\w-]+ )?(?:ticket|email|report|document|doc|log|form|notes|handover|system|"
    r"spreadsheet|"
    r"file|tracker|minutes)|so (?:that )?(?:second line|they|he|she|the team|it|others|the client|the "
    r"customer|everyone) can|to (?:the|your) (?:client|customer|team|board|supplier)|on the (?:board|wiki)|"
    r"in writing|by (?:email|the end of))\b"
)


_INSTRUCTION_TO_OTHERS = re.compile(
    r"^(?:explain|describe|present|share|outline|summari[sz]e) (?!to me|to us|me\b|us\b|what|how|why|where|"
    r"when|who|which)[^?]*\bto (?:the|your|our|all|everyone|everybody|each)\b"
)


def _is_open(core: str, reading: _Reading) -> str | None:
    if _INSTRUCTION_TO_OTHERS.match(core):
        return None  # "Explain the new policy to the volunteers.": a task for someone else, not a talk
    if (_REQUEST.match(core) or _INVITATION.match(core)) and _TASK_INSTRUCTION.search(core):
        return None  # "Describe the fault in the ticket so second line can pick it up.": a task, not a talk
    if _REQUEST.match(core):
        return "polite-request"
    if _INVITATION.match(core):
        return "invitation"
    if _OPEN_START.match(core):
        choice = _CHOICE.search(core) and re.search(r"\bor\b", core)
        if (
            choice
            and re.match(r"^(?:which|what|who)\b", core)
            and re.search(r"[,:]\s*[^,]+ or [^,]+\?$", core)
        ):
            return None  # "Which is better, the rota or the overtime?": a choice between named options
        return "open-start"
    match = _INTRO_CLAUSE.match(core)
    if match:
        rest = core[match.end() :]
        if _OPEN_START.match(rest) or _REQUEST.match(rest) or _INVITATION.match(rest):
            return "open-after-clause"
    return None


_CLOSED_START = re.compile(rf"^(?:{_AUX}|any|anything|anyone|anybody|or|am i)\b")
_QUESTION_START = re.compile(
    "|".join(p.pattern for p in (_OPEN_START, _REQUEST, _INVITATION, _WHY_START, _CLOSED_START))
)


def _is_closed(core: str, reading: _Reading) -> str | None:
    if not reading.has_mark and not re.match(
        rf"^(?:{_AUX} (?:you|we|i|they|he|she|it|this|that|there|the|your|our|anyone|anybody|everyone|"
        rf"things)|"
        r"you (?:ok|okay|alright|all right|good|sure|free|around)|any [a-z]+ (?:with|on|about|for|from)|"
        r"any (?:questions|problems|probs|issues|worries|concerns|thoughts|news|luck|update|updates))\b",
        core,
    ):
        return None  # "don't forget the fire drill": an instruction, not a question without its mark
    if _CLOSED_START.match(core) or re.match(r"^you (?:ok|okay|alright|all right|good|sure)\b", core):
        return "closed-start"
    match = _INTRO_CLAUSE.match(core)
    if match and _CLOSED_START.match(core[match.end() :]):
        return "closed-start"
    if reading.has_mark:
        return "question-mark"
    return None


# ---------------------------------------------------------------------------------------------------------
# Rewrites: offered only where a template fits the question's grammar


def _tidy(question: str) -> str:
    question = question.strip().rstrip("?.! ").strip()
    return question[:1].upper() + question[1:] + "?"


def _cased_core(reading: _Reading) -> str:
    """The judged question with the learner's own capitals (for rewrites that reuse their words)."""
    core = reading.core.rstrip("?!. ")
    position = reading.lowered.find(core)
    shown = reading.shown
    letters = [ch for ch in shown if ch.isalpha()]
    shouting = letters and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
    if position >= 0 and len(shown) == len(reading.lowered) and not shouting:
        return shown[position : position + len(core)]
    return core


_NOUN_PHRASE = r"(?:the|your|this|that|our|my|their|his|her|a|an)(?: [\w'-]+){1,4}"


_BASE_FORM = {
    "late": "late",
    "delayed": "late",
    "behind": "fall behind",
    "stuck": "stuck",
    "slipping": "slip",
    "failing": "fail",
    "struggling": "struggle",
    "taking so long": "take so long",
    "so slow": "so slow",
    "over budget": "go over budget",
    "not working": "stop working",
}


def _why_rewrite(cased: str) -> str | None:
    """'What led you to ...?' for the why questions whose grammar a template fits; None for the others."""
    flags = re.IGNORECASE
    match = re.match(r"^(?:why|how come) did(?:n't| not) you (.+)$", cased, flags)
    if match:
        return _tidy(f"what made it hard to {match.group(1)}")
    match = re.match(r"^why did you (.+)$", cased, flags)
    if match:
        return _tidy(f"what led you to {match.group(1)}")
    match = re.match(
        r"^why do you think (?:that is|that happened|so|that|this is|this happened)$", cased, flags
    )
    if match:
        return "What do you think is behind that?"
    if re.match(r"^why (?:do|would) you think\b", cased, flags):
        return (
            None  # "Why do you think the numbers dropped?" asks for their explanation: no template keeps it
        )
    match = re.match(r"^why (?:do|would) you want (?:to )?(.+)$", cased, flags)
    if match:
        return _tidy(f"what makes you want to {match.group(1)}")
    match = re.match(r"^why do you (?!not\b)(.+)$", cased, flags)
    if match:
        return _tidy(f"what leads you to {match.group(1)}")
    match = re.match(r"^why would you (?!not\b)(.+)$", cased, flags)
    if match:
        return _tidy(f"what would lead you to {match.group(1)}")
    match = re.match(
        r"^why (?:are|were) you (?:so )?(worried|concerned|upset|unhappy|nervous|anxious|keen|reluctant|"
        r"frustrated|annoyed|angry|excited|hesitant|unsure)(?: (?:about|with|by) (.+))?$",
        cased,
        flags,
    )
    if match:
        about = f" about {match.group(2)}" if match.group(2) else ""
        return _tidy(f"what is making you {match.group(1).lower()}{about}")
    states = "|".join(sorted(_BASE_FORM, key=len, reverse=True))
    match = re.match(rf"^why (?:is|are) ({_NOUN_PHRASE}|this|that|it) ({states})$", cased, flags)
    if match:
        state = _BASE_FORM[match.group(2).lower()]
        verb = "keeping" if state == "stuck" else "making"
        return _tidy(f"what is {verb} {match.group(1)} {state}")
    match = re.match(
        rf"^why (?:was|were) ({_NOUN_PHRASE}|this|that|it) (late|delayed|cancelled|rejected|missed)$",
        cased,
        flags,
    )
    if match:
        return _tidy(f"what led to {match.group(1)} being {match.group(2).lower()}")
    if re.match(r"^why (?:does|do) (?:it|this|that) matter(?: to you)?$", cased, flags):
        return "What makes it matter to you?"
    return None


def _closed_rewrite(cased: str) -> str | None:
    flags = re.IGNORECASE
    rules = (
        (
            r"^is there (?:anything|something)(?: else)? (?:i|we) (?:can|could) do(?: to help)?$",
            "How can I help?",
        ),
        (r"^(?:can|could|shall) i help(?: you)?(?: with (.+))?$", "How can I help{0}?"),
        (r"^(?:do|did) you need (?:any |some )?help(?: with (.+))?$", "What help do you need{0}?"),
        (r"^(?:do|did) you need anything(?: (?:from me|else))?$", "What do you need?"),
        (
            r"^is there anything else(?: (?:on your mind|you want to (?:say|add|talk about)))?$",
            "And what else?",
        ),
        (r"^(?:anything|something) else$", "And what else?"),
        (
            r"^any (questions|thoughts|ideas|concerns|worries)(?: (?:about|on) (.+))?$",
            "What {0} do you have{1}?",
        ),
        (
            r"^(?:are|were) you (happy|comfortable|satisfied|ok|okay|all right|alright) (?:with|about) (.+)$",
            "How do you feel about {1}?",
        ),
        (r"^(?:are|were) you (?:ok|okay|all right|alright)(?: today)?$", "How are you doing?"),
        (r"^(?:are|were) you (?:happy|comfortable|satisfied)$", "How are you feeling about it?"),
        (
            r"^(?:are|were) you (sure|confident|certain|clear|ready|worried|nervous|excited) "
            r"(?:about|of|with|on|for) (.+)$",
            "How {0} are you about {1}?",
        ),
        (r"^(?:are you|you're|you are) (sure|confident|certain|clear|ready)$", "How {0} are you?"),
        (
            r"^(?:do|did) you think (?:that )?(" + _NOUN_PHRASE + r"|it|this|that|you|we|they) "
            r"(will|would|can|could|is going to|might) (.+)$",
            "How likely is it that {0} {1} {2}?",
        ),
        (
            r"^(?:can|could|will|would) you (?:be able to )?((?:finish|get|send|deliver|complete|do|hit|"
            r"have|fix|sort|handle|manage|cover|take|run|lead|write|prepare|present)\b.+)$",
            "What would it take to {0}?",
        ),
        (
            r"^(?:have|did) you (?:finish|finished|complete|completed|start|started|do|done) (.+)$",
            "Where are you with {0}?",
        ),
        (
            r"^(?:is|are) ("
            + _NOUN_PHRASE
            + r"|it|this|that|things|everything) (?:still )?(?:on track|going "
            r"(?:well|ok|okay|alright|all right|to plan)|ok|okay|fine|working|alright|all right)$",
            "How is {0} going?",
        ),
        (
            r"^(?:is|are) ("
            + _NOUN_PHRASE
            + r") (?:still )?(realistic|achievable|doable|feasible|manageable|"
            r"clear|fair)$",
            "How {1} does {0} look to you?",
        ),
        (
            r"^(?:was|were) (" + _NOUN_PHRASE + r"|he|she|they) (?:very |really )?(upset|happy|angry|pleased|"
            r"annoyed|satisfied|unhappy|disappointed|surprised)$",
            "How did {0} react?",
        ),
        (
            r"^(?:did|does|do) (" + _NOUN_PHRASE + r"|he|she|they) (?:like|accept|agree with|approve) (.+)$",
            "How did {0} react to {1}?",
        ),
        (
            r"^(?:did|was) (?:it|the meeting|the call|the talk|the presentation|the launch|the review|the "
            r"interview|the demo|the session|the workshop) go (?:well|ok|okay|badly|all right|alright)$",
            "How did it go?",
        ),
        (
            r"^(?:was|were|is) (?:it|that|this) (?:hard|difficult|tough|easy|stressful|useful|helpful)$",
            "What was that like for you?",
        ),
    )
    for pattern, template in rules:
        match = re.match(pattern, cased, flags)
        if match:
            groups = [g or "" for g in match.groups()]
            groups = [_own_words(g) for g in groups]
            if "{0}?" in template or "{1}?" in template:
                if template.startswith(("How can I help", "What help")) and groups[0]:
                    groups[0] = f" with {groups[0]}"
                if template.startswith("What {0} do you have") and len(groups) > 1 and groups[1]:
                    groups[1] = f" about {groups[1]}"
            return _tidy(template.format(*groups))
    return None


def _own_words(fragment: str) -> str:
    """A fragment of the learner's question as it reads inside another sentence (no trailing marks)."""
    return fragment.strip().rstrip("?!.,; ")


def _leading_rewrite(core: str) -> str | None:
    """An open question about the same decision, without the asker's idea, where a template fits."""
    if re.match(r"^(?:have you|did you) (?:tried|try)\b", core):
        return "What have you tried so far?"
    if re.match(
        r"^(?:have you|did you) (?:thought about|thought of|considered|consider|think about|think of|"
        r"explored)\b",
        core,
    ):
        return "What options have you considered so far?"
    if re.search(
        r"\b(?:ask|asked|asking|get|getting) (?:[\w'-]+ ){1,3}(?:for (?:help|support|a hand)|to help)\b|"
        r"\b(?:involve|involving|pair|pairing)\b.*\bwith\b|\bhelp from\b",
        core,
    ):
        return "Who could help you with this?"
    return None


# ---------------------------------------------------------------------------------------------------------
# The verdicts


def _quote(text: str, limit: int = 60) -> str:
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text[:1].upper()}{text[1:]}”"


def _first_words(core: str, count: int = 4) -> str:
    return " ".join(core.split()[:count])


def classify_question(text: str) -> QuestionVerdict:
    """Classify ``text`` into one of KINDS, by the rules of assets/questions/README.md, in their order."""
    if not isinstance(text, str):
        raise TypeError("classify_question needs the question as text.")
    reading = _read(text)
    if not reading.shown:
        return QuestionVerdict(
            "not-a-question", "There is nothing to check yet. Type a question first.", None, "empty"
        )
    if not _WORD.search(reading.lowered):
        return QuestionVerdict(
            "not-a-question",
            "There are no words here to check, only symbols or emoji. Type the question as you would say it.",
            None,
            "no-words",
        )
    if _is_other_language(reading):
        return QuestionVerdict(
            "other-language",
            "This does not look like English, and the checker reads English only, so it will not guess. "
            "The same ideas hold in any language: ask one open question at a time, keep your own answer "
            "out of it, and leave the person room to think.",
            None,
            "other-language",
        )
    core = reading.core

    stacked = _stacked(reading)
    if stacked:
        how = (
            f"You asked {len(reading.questions)} questions in one go"
            if stacked == "two-marks"
            else "This one sentence holds two questions joined together"
        )
        return QuestionVerdict(
            "stacked",
            f"These are stacked questions. {how}. People answer the easiest or the last one and the rest "
            "is lost. Ask one, wait for the answer, then ask the next; Bungay Stanier's advice is one "
            "question at a time. " + WHY_NOTE.replace("Evidence: ", "Evidence for this advice: "),
            None,
            stacked,
        )

    if _contracting(core, " ".join(reading.lead_in)) or _contracting(reading.main):
        return QuestionVerdict(
            "contracting",
            "This is contracting: you are asking permission, or agreeing how to talk, before you go on. "
            "That is good practice, especially with someone who reports to you: it tells them what kind of "
            "conversation this is and leaves them the choice. Keep it; then wait for their answer.",
            None,
            "contracting",
        )

    loaded = _loaded(core, reading)
    if loaded and (reading.has_mark or re.match(rf"(?:{_WH}|why|{_AUX})\b", core)):
        return QuestionVerdict(
            "loaded",
            "This is a loaded question: there is blame or a verdict inside it, whatever its grammar. The "
            "person hears an accusation, so they defend themselves or go quiet instead of thinking. Say "
            "what you saw as a plain observation first (\u2018The report reached the client with last "
            "month's "
            "figures\u2019), then ask an open question about it, such as \u2018What happened?\u2019.",
            "What happened?"
            if re.search(
                r"\b(?:mess(?:ed)? (?:\w+ )?up|messed|screwed|blew|botched|lost|lose|forgot|missed|broke|got "
                r"(?:it|this|that) wrong|gets (?:it|this) wrong|again)\b",
                core,
            )
            else None,
            loaded,
        )

    leading = _leading(core, reading) or (reading.main != core and _leading(reading.main, reading))
    if leading:
        how = {
            "suggestion-start": f"It starts with {_quote(_first_words(core, 3))} and then names your idea.",
            "leading-start": f"It starts with {_quote(_first_words(core, 3))}: it carries your answer.",
            "idea-to-react-to": "It puts your own idea on the table and asks the person to react to it.",
            "idea-in-if": "It slips your own idea into the question ('if you ...').",
            "tag": "It ends with a tag that asks the person to agree with you.",
            "advice-then-question": "It gives your advice first, then asks the person to agree with it.",
        }[leading]
        return QuestionVerdict(
            "leading",
            f"This is a leading question: advice dressed up as a question. {how} People usually hear it as "
            "advice, so they agree politely or defend themselves instead of thinking. If you do want to "
            "offer an idea, ask first (\u2018Can I offer an idea?\u2019), say it as yours, then ask what "
            "they "
            "make of it.",
            _leading_rewrite(core),
            leading,
        )

    if _why(core) or _why(reading.main):
        return QuestionVerdict(
            "why",
            "This is a \u2018why\u2019 question. \u2018Why\u2019 often sounds like an accusation, so people "
            "explain "
            "and defend themselves instead of exploring. Asking about the same thing with \u2018what\u2019 "
            "keeps "
            f"the focus on the situation (\u2018What led to ...?\u2019). {WHY_NOTE}",
            _why_rewrite(_cased_core(reading)),
            "why-start",
        )

    playback = _playback(core, reading)
    if playback:
        return QuestionVerdict(
            "playback",
            "This is playing back: you say what you heard, or what the person seems to feel, and check it. "
            "It shows you listened and lets them hear their own thinking. It works only if it is neutral, "
            "in their words rather than your verdict, and if you then let them correct you.",
            None,
            playback,
        )

    opened = _is_open(reading.main, reading)
    if opened:
        if opened in ("polite-request", "invitation"):
            explanation = "This is open in practice: it invites the person to talk in their own words. " + (
                "Strictly it could be answered with yes or no, but everyone hears it as an invitation."
                if opened == "polite-request"
                else "It is not grammatically a question, but it asks for a description, as an open "
                "question does."
            )
        elif _NARROW.match(core) or (
            opened == "open-after-clause" and _NARROW.match(_INTRO_CLAUSE.sub("", core))
        ):
            explanation = (
                "This is an open question, but a narrow one: it asks for a fact (a time, a place, a person, "
                "a "
                "number or a choice). That is useful to pin down the next step; to open up thinking, start "
                "with \u2018what\u2019 or \u2018how\u2019."
            )
        else:
            explanation = (
                "This is an open question: it cannot be answered with yes or no, so it asks the person to "
                "think and answer in their own words."
            )
        return QuestionVerdict("open", explanation, None, opened)

    closed = _is_closed(reading.main, reading)
    if closed:
        return QuestionVerdict(
            "closed",
            "This is a closed question: it can be answered with yes, no or a single word. Closed questions "
            "have their place, to confirm a commitment (\u2018So you'll send it by Friday?\u2019) or to cut "
            "a "
            "long story short, but they don't open up thinking.",
            _closed_rewrite(_cased_core(reading)),
            closed,
        )

    if _ADVICE_STATEMENT.match(core) or any(
        _ADVICE_STATEMENT.match(_strip_filler(s)) or _ADVICE_STATEMENT.match(s) for s in reading.sentences
    ):
        return QuestionVerdict(
            "not-a-question",
            "This is advice or an instruction, not a question. It gives the person your answer, so they have "
            "nothing to think through. Coaching asks for their answer first; if you want to offer yours, ask "
            "permission (\u2018Can I offer an idea?\u2019).",
            None,
            "advice-statement",
        )
    return QuestionVerdict(
        "not-a-question",
        "This reads as a statement, not a question: there is no question mark and it does not start like a "
        "question. If you meant it as a question, add the question mark, or start it with \u2018what\u2019 "
        "or "
        "\u2018how\u2019.",
        None,
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


def verdict_item_html(question: str, verdict: QuestionVerdict) -> str:
    """One checked question in a list, as escaped HTML: the question, its kind and, unless it is open, why
    and a rewrite to try."""
    line = f"<li><em>{as_html_text(question)}</em>: {as_html_text(KIND_TITLES[verdict.kind])}"
    if verdict.kind != "open":
        line += f". {as_html_text(verdict.explanation)}"
        if verdict.better:
            line += f" Try: <em>{as_html_text(verdict.better)}</em>"
    return line + "</li>"

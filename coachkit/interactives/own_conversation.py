"""The conversation a learner keeps in mind from lesson 00, carried into the planners that build on it."""

from __future__ import annotations

import logging

from coachkit.journal.model import Journal, JournalError

log = logging.getLogger(__name__)

LESSON = "00-start-here"
# Lesson 00's journal prompt (its cell passes this constant); the planners look for answers to it.
PROMPT = (
    "Think of one person who reports to you. Which conversation with them would you like to handle better "
    "by the end of this workshop, and what usually happens in it today?"
)


def latest_situation(journal: Journal) -> str:
    """The newest answer to lesson 00's prompt in ``journal``, or "" when there is none (or it is damaged)."""
    try:
        entries = journal.entries(kind="reflection", lesson=LESSON)
    except JournalError:
        return ""  # the journal bar says what is wrong; a planner just starts empty
    for entry in reversed(entries):
        data = entry.get("data") or {}
        answer = data.get("answer")
        if data.get("prompt") == PROMPT and isinstance(answer, str) and answer.strip():
            return answer.strip()
    return ""


def shortened(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters (with "..."), so a form accepts it as it is."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 3].rsplit(None, 1)[0] if " " in text[: limit - 3] else text[: limit - 3]
    return cut.rstrip(" ,;:") + "..."


def carry_situation(journal: Journal, can_fill, fill) -> None:
    """Call ``fill(text)`` once with the newest lesson-00 situation, as soon as the journal holds one and
    while ``can_fill()`` says the form is as the page made it (nothing typed, nothing restored).

    A browser-kept journal reaches the kernel a moment after the page, hence the observer. Once the
    learner has typed, or the form was filled, it never fills again: what the learner wrote is theirs.
    """
    done = False

    def attempt(_change=None) -> None:
        nonlocal done
        if done:
            return
        try:
            if not can_fill():
                done = True  # the learner (or a restored plan) was first
                return
            text = latest_situation(journal)
            if text:
                fill(text)
                done = True
        except Exception:  # a courtesy: the form must work without it
            log.exception("carrying the lesson 00 situation into a planner failed")
            done = True

    journal.observe(attempt, names="revision")
    attempt()

"""The follow-up an action plan in the journal names, and what the journal bar says when it is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KIND = "follow-up-review"  # the entry a review of the follow-up is saved as
PLAN_KIND = "action-plan"  # the entry that names the follow-up


def long_date(day: date) -> str:
    """'15 December 2026': the same in every browser and locale."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class FollowUp:
    """The follow-up of the learner's latest action plan, as the journal holds it."""

    plan_id: str
    who: str
    day: date
    question: str
    reviewed: bool

    def passed(self, today: date) -> bool:
        return self.day < today


def latest_follow_up(entries: list[dict]) -> FollowUp | None:
    """The follow-up the learner's latest action plan names, or None when it names none (older plans)."""
    plans = [entry for entry in entries if entry.get("kind") == PLAN_KIND]
    if not plans:
        return None
    plan = plans[-1]
    data = plan.get("data") if isinstance(plan.get("data"), dict) else {}
    try:
        day = date.fromisoformat(str(data.get("follow_up_date", "")))
    except ValueError:
        return None
    reviewed = any(
        entry.get("kind") == KIND
        and isinstance(entry.get("data"), dict)
        and entry["data"].get("plan") == plan.get("id")
        and entry["data"].get("reviewed") is True
        for entry in entries
    )
    who = data.get("who") if isinstance(data.get("who"), str) else ""
    question = data.get("follow_up_question") if isinstance(data.get("follow_up_question"), str) else ""
    return FollowUp(str(plan.get("id", "")), who or "the person in your plan", day, question, reviewed)


def reminder_text(follow_up: FollowUp | None, today: date | None = None) -> str:
    """What the journal says about the follow-up: due, passed or coming; empty once it is reviewed."""
    if follow_up is None or follow_up.reviewed:
        return ""
    today = today or date.today()
    if follow_up.passed(today):
        return (
            f"Your follow-up with {follow_up.who} was due on {long_date(follow_up.day)}: how did it go? "
            "Lesson 07's section on follow-up has a review to write it down."
        )
    if follow_up.day == today:
        return (
            f"Your follow-up with {follow_up.who} is today. Afterwards, come back to lesson 07 and review "
            "how it went."
        )
    return (
        f"Your follow-up with {follow_up.who} is on {long_date(follow_up.day)}. Afterwards, come back to "
        "lesson 07 and review how it went."
    )

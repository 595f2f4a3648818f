"""The facilitator's agendas as data (docs/agendas.json), with clock times and Markdown tables made from it.

Lesson blocks name the lesson and the parts they cover ("teach", "practice"); their minutes must equal the
minutes the lesson itself states, so an agenda cannot drift from the lessons. ``python -m coachkit.agendas``
prints the tables that docs/facilitator-guide.md carries; a test checks that the two agree.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from coachkit.catalog import Lesson, lessons
from coachkit.paths import repo_root

PARTS = ("teach", "practice")


@dataclass(frozen=True)
class AgendaBlock:
    start: int  # minutes after the agenda's start
    minutes: int
    activity: str
    lesson: str | None = None  # the lesson file stem, e.g. "03-role-play"
    parts: tuple[str, ...] = ()
    online: str = ""  # what changes when the session runs online

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Agenda:
    key: str
    title: str
    start: str  # the clock time of the first block, "HH:MM"
    total_minutes: int
    blocks: tuple[AgendaBlock, ...]

    def clock(self, offset: int) -> str:
        hours, minutes = (int(x) for x in self.start.split(":"))
        total = hours * 60 + minutes + offset
        return f"{total // 60:02d}:{total % 60:02d}"


def agendas_path() -> Path:
    return repo_root() / "docs" / "agendas.json"


def load_agendas(path: Path | None = None) -> list[Agenda]:
    """Every agenda in the file, blocks timed one after another."""
    document = json.loads((path or agendas_path()).read_text(encoding="utf-8"))
    result = []
    for raw in document["agendas"]:
        start = 0
        blocks = []
        for block in raw["blocks"]:
            blocks.append(
                AgendaBlock(
                    start=start,
                    minutes=int(block["minutes"]),
                    activity=block["activity"],
                    lesson=block.get("lesson"),
                    parts=tuple(block.get("parts", ())),
                    online=block.get("online", ""),
                )
            )
            start += int(block["minutes"])
        result.append(
            Agenda(raw["key"], raw["title"], raw["start"], int(raw["total_minutes"]), tuple(blocks))
        )
    return result


def stated_minutes(lesson: Lesson, parts: tuple[str, ...]) -> int:
    """What the lesson itself says these parts take."""
    return sum(lesson.teach_minutes if part == "teach" else lesson.practice_minutes for part in parts)


def agenda_problems(agenda: Agenda, catalog: list[Lesson] | None = None) -> list[str]:
    """Everything that does not add up, one line each; empty when the agenda is sound."""
    by_stem = {lesson.filename.removesuffix(".ipynb"): lesson for lesson in (catalog or lessons())}
    problems = []
    total = sum(block.minutes for block in agenda.blocks)
    if total != agenda.total_minutes:
        problems.append(f"{agenda.key}: blocks add up to {total} minutes, not {agenda.total_minutes}")
    seen: set[tuple[str, str]] = set()
    order = []
    for block in agenda.blocks:
        if block.minutes <= 0:
            problems.append(f"{agenda.key}: '{block.activity}' has no time")
        if block.lesson is None:
            if block.parts:
                problems.append(f"{agenda.key}: '{block.activity}' has parts but no lesson")
            continue
        lesson = by_stem.get(block.lesson)
        if lesson is None:
            problems.append(f"{agenda.key}: no lesson {block.lesson}")
            continue
        if not block.parts or any(part not in PARTS for part in block.parts):
            problems.append(f"{agenda.key}: {block.lesson} needs parts from {PARTS}, has {block.parts}")
            continue
        expected = stated_minutes(lesson, block.parts)
        if block.minutes != expected:
            problems.append(
                f"{agenda.key}: {block.lesson} {'+'.join(block.parts)} is given {block.minutes} minutes; "
                f"the lesson states {expected}"
            )
        for part in block.parts:
            if (block.lesson, part) in seen:
                problems.append(f"{agenda.key}: {block.lesson} {part} appears twice")
            seen.add((block.lesson, part))
        order.append(lesson.number)
    if order != sorted(order):
        problems.append(f"{agenda.key}: lessons are out of order: {order}")
    return problems


def markdown_table(agenda: Agenda, catalog: list[Lesson] | None = None) -> str:
    """The agenda as the guide shows it: clock time, minutes, what happens, what changes online."""
    by_stem = {lesson.filename.removesuffix(".ipynb"): lesson for lesson in (catalog or lessons())}
    rows = ["| Time | Min | What happens | Online |", "|---|---:|---|---|"]
    for block in agenda.blocks:
        what = block.activity
        if block.lesson and block.lesson in by_stem:
            lesson = by_stem[block.lesson]
            parts = " and ".join(block.parts)
            what = f"**Lesson {lesson.number}, {lesson.title}** ({parts}): {block.activity}"
        rows.append(f"| {agenda.clock(block.start)} | {block.minutes} | {what} | {block.online or '-'} |")
    rows.append(f"| {agenda.clock(agenda.total_minutes)} | | End ({agenda.total_minutes} minutes) | |")
    return "\n".join(rows)


def main() -> int:
    for agenda in load_agendas():
        print(f"### {agenda.title}\n")
        print(markdown_table(agenda))
        print()
        for problem in agenda_problems(agenda):
            print(f"PROBLEM: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

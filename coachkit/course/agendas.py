"""The facilitator's agendas as data (docs/agendas.json), with clock times and Markdown tables made from it.

Lesson blocks name the lesson and the parts they cover ("teach", "practice"); their minutes must equal the
minutes the lesson itself states (its ``metadata.coachkit`` ``teaching`` and ``exercises``, read through the
catalog; tests/test_lessons_structure.py checks the lesson's prose says the same), so an agenda cannot drift
from the lessons. An excerpt block names lessons,
and optionally one section of each by its heading, that a shorter format covers in brief: each section must
exist in its lesson, and the block must take less time than the lessons would in full.
``python -m coachkit.course.agendas`` prints the tables that docs/facilitator-guide.md carries; a test checks
that the two agree.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from coachkit.course.catalog import Lesson, lessons
from coachkit.paths import lessons_dir, repo_root

PARTS = ("teach", "practice")


@dataclass(frozen=True)
class AgendaBlock:
    start: int  # minutes after the agenda's start
    minutes: int
    activity: str
    lesson: str | None = None  # the lesson file stem, e.g. "03-role-play"
    parts: tuple[str, ...] = ()
    online: str = ""  # what changes when the session runs online
    excerpt: tuple[
        tuple[str, str | None], ...
    ] = ()  # (lesson stem, section heading or None) covered in brief

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
                    excerpt=tuple((part["lesson"], part.get("section")) for part in block.get("excerpt", ())),
                )
            )
            start += int(block["minutes"])
        result.append(
            Agenda(raw["key"], raw["title"], raw["start"], int(raw["total_minutes"]), tuple(blocks))
        )
    return result


def stated_minutes(lesson: Lesson, parts: tuple[str, ...]) -> int:
    """What the lesson says these parts take: "teach" is its teaching minutes, "practice" its exercises."""
    return sum(lesson.teach_minutes if part == "teach" else lesson.practice_minutes for part in parts)


def lesson_headings(lesson: Lesson, folder: Path | None = None) -> list[str]:
    """The text of every Markdown heading in the lesson, without the #s, in order."""
    document = json.loads(((folder or lessons_dir()) / lesson.filename).read_text(encoding="utf-8"))
    headings = []
    for cell in document["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            headings += [
                m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.+)$", source, flags=re.MULTILINE)
            ]
    return headings


def excerpt_problems(agenda: Agenda, block: AgendaBlock, by_stem: dict[str, Lesson]) -> list[str]:
    """What is wrong with an excerpt block: unknown lessons or sections, or no time saved."""
    problems = []
    full = 0
    for stem, heading in block.excerpt:
        lesson = by_stem.get(stem)
        if lesson is None:
            problems.append(f"{agenda.key}: the excerpt names no lesson {stem}")
            continue
        full += lesson.minutes
        if heading is not None and heading not in lesson_headings(lesson):
            problems.append(f"{agenda.key}: lesson {stem} has no section '{heading}'")
    if block.lesson or block.parts:
        problems.append(f"{agenda.key}: '{block.activity}' is an excerpt and a whole-lesson block at once")
    if full and block.minutes >= full:
        problems.append(
            f"{agenda.key}: the excerpt '{block.activity}' takes {block.minutes} minutes, as long as the "
            f"lessons in full ({full}); give the lessons whole instead"
        )
    return problems


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
        if block.excerpt:
            problems += excerpt_problems(agenda, block, by_stem)
            order += [by_stem[stem].number for stem, _ in block.excerpt if stem in by_stem]
            continue
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


def excerpt_title(block: AgendaBlock, by_stem: dict[str, Lesson]) -> str:
    """'**Lesson 07, What's keeping you?** (in brief: 'The barriers' and 'Follow-up')', or for whole lessons
    '**Lesson 04, ...**, **Lesson 05, ...** and **Lesson 06, ...** (in brief)'."""
    sections: dict[str, list[str]] = {}
    for stem, heading in block.excerpt:
        sections.setdefault(stem, [])
        if heading:
            sections[stem].append(f"'{heading}'")

    def joined(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    names = []
    for stem in sections:
        lesson = by_stem.get(stem)
        names.append(f"**Lesson {lesson.number}, {lesson.title}**" if lesson else f"**{stem}**")
    headings = [heading for stem in sections for heading in sections[stem]]
    return f"{joined(names)} (in brief{': ' + joined(headings) if headings else ''})"


def markdown_table(agenda: Agenda, catalog: list[Lesson] | None = None) -> str:
    """The agenda as the guide shows it: clock time, minutes, what happens, what changes online."""
    by_stem = {lesson.filename.removesuffix(".ipynb"): lesson for lesson in (catalog or lessons())}
    rows = ["| Time | Min | What happens | Online |", "|---|---:|---|---|"]
    for block in agenda.blocks:
        what = block.activity
        if block.excerpt:
            what = f"{excerpt_title(block, by_stem)}: {block.activity}"
        elif block.lesson and block.lesson in by_stem:
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

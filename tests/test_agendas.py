"""The facilitator's agendas add up, match the lessons' own minutes, and the guide shows them as they are."""

from __future__ import annotations

import dataclasses
import json

import pytest

from coachkit.course.agendas import agenda_problems, agendas_path, load_agendas, markdown_table
from coachkit.course.catalog import lessons
from coachkit.paths import repo_root

GUIDE = repo_root() / "docs" / "facilitator-guide.md"


def test_the_three_formats_exist_with_their_lengths():
    """Are there a 90-minute taster, a 3-hour session, a 4-hour half day and an 8-hour full day?"""
    totals = {agenda.key: agenda.total_minutes for agenda in load_agendas()}
    assert totals == {"taster-90": 90, "three-hour": 180, "half-day": 240, "full-day": 480}


@pytest.mark.parametrize("agenda", load_agendas(), ids=lambda a: a.key)
def test_agenda_adds_up_and_matches_the_lessons(agenda):
    """Do the blocks add up to the stated length, and does each lesson block take the lesson's own minutes?"""
    assert agenda_problems(agenda) == []
    assert any(block.lesson for block in agenda.blocks)


def test_the_full_day_covers_every_lesson_whole():
    """Does the full day teach and practise every lesson in the catalog, once each?"""
    [full] = [a for a in load_agendas() if a.key == "full-day"]
    covered = {(b.lesson, part) for b in full.blocks if b.lesson for part in b.parts}
    expected = {
        (lesson.filename.removesuffix(".ipynb"), part)
        for lesson in lessons()
        for part in ("teach", "practice")
    }
    assert covered == expected


def test_a_wrong_agenda_is_reported(tmp_path):
    """Are a lesson block with the wrong minutes and a total that does not add up both reported?"""
    document = json.loads(agendas_path().read_text(encoding="utf-8"))
    taster = document["agendas"][0]
    lesson_block = next(block for block in taster["blocks"] if "lesson" in block)
    lesson_block["minutes"] += 5
    broken = tmp_path / "agendas.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    problems = agenda_problems(load_agendas(broken)[0])
    assert any("the lesson states" in p for p in problems)
    assert any("add up to" in p for p in problems)


@pytest.mark.parametrize("part", ["teach_minutes", "practice_minutes"])
def test_a_lesson_whose_metadata_minutes_change_breaks_the_agendas(part):
    """Change one lesson's teaching or exercises minutes (metadata.coachkit, as the catalog reads it): does
    every agenda that gives that part of the lesson whole report it?"""
    catalog = lessons()
    [lesson_01] = [lesson for lesson in catalog if lesson.filename.startswith("01-")]
    changed = [dataclasses.replace(lesson_01, **{part: getattr(lesson_01, part) + 5})] + [
        lesson for lesson in catalog if lesson is not lesson_01
    ]
    name = "teach" if part == "teach_minutes" else "practice"
    using = [
        agenda
        for agenda in load_agendas()
        if any(block.lesson == "01-coaching-or-telling" and name in block.parts for block in agenda.blocks)
    ]
    assert using, "no agenda gives lesson 01 whole"
    for agenda in using:
        assert any(
            "01-coaching-or-telling" in p and "the lesson states" in p
            for p in agenda_problems(agenda, changed)
        )


WRONG_TOOL = "When coaching is the wrong tool"
CHANGES = ("04-creative-dialog", "05-sigh-of-relief", "06-staff-coach-others")


def agenda_named(key):
    [found] = [a for a in load_agendas() if a.key == key]
    return found


def test_the_half_day_keeps_the_three_changes_in_the_room():
    """Does the half day give lessons 04 to 06 together at least 20 minutes in the room?"""
    minutes = 0
    for block in agenda_named("half-day").blocks:
        covered = {stem for stem, _ in block.excerpt} | ({block.lesson} if block.lesson else set())
        if covered & set(CHANGES):
            minutes += block.minutes
        if set(CHANGES) <= covered:
            assert block.minutes >= 20
            break
    else:
        pytest.fail("no block of the half day covers lessons 04, 05 and 06 together")
    assert minutes >= 20


def test_the_taster_covers_when_not_to_coach():
    """Does the 90-minute taster cover lesson 01's 'When coaching is the wrong tool', as an excerpt or with
    the whole lesson's teaching?"""
    from coachkit.course.agendas import lesson_headings

    [lesson_01] = [lesson for lesson in lessons() if lesson.filename.startswith("01-")]
    assert WRONG_TOOL in lesson_headings(lesson_01), "lesson 01 has no section on when not to coach"
    blocks = agenda_named("taster-90").blocks
    assert any(("01-coaching-or-telling", WRONG_TOOL) in b.excerpt for b in blocks) or any(
        b.lesson == "01-coaching-or-telling" and "teach" in b.parts for b in blocks
    )


def test_a_wrong_excerpt_is_reported(tmp_path):
    """Are an excerpt of a section that does not exist, and one as long as the lessons in full, reported?"""
    document = json.loads(agendas_path().read_text(encoding="utf-8"))
    taster = document["agendas"][0]
    taster["blocks"].append(
        {
            "minutes": 5,
            "activity": "x",
            "excerpt": [{"lesson": "04-creative-dialog", "section": "No such part"}],
        }
    )
    taster["blocks"].append({"minutes": 500, "activity": "y", "excerpt": [{"lesson": "05-sigh-of-relief"}]})
    broken = tmp_path / "agendas.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    problems = agenda_problems(load_agendas(broken)[0])
    assert any("has no section 'No such part'" in p for p in problems)
    assert any("as long as the lessons in full" in p for p in problems)


@pytest.mark.parametrize("agenda", load_agendas(), ids=lambda a: a.key)
def test_guide_shows_each_agenda_as_the_data_says(agenda):
    """Does the guide carry each agenda's table exactly as `python -m coachkit.course.agendas` prints it?"""
    guide = GUIDE.read_text(encoding="utf-8")
    assert markdown_table(agenda) in guide, (
        f"regenerate the {agenda.title} table with python -m coachkit.course.agendas"
    )


def test_guide_has_the_sections_a_facilitator_needs():
    """Does the guide cover formats, online, triads, debriefs, push-back, grading, hosting, the day before?"""
    guide = GUIDE.read_text(encoding="utf-8").lower()
    for needle in [
        "## agendas",
        "online",
        "triads",
        "debrief",
        "i don't have time to coach",
        "grading.md",
        "make start",
        "deploy/",
        "the day before",
        "boardfacilitator",
    ]:
        assert needle in guide, needle

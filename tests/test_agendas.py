"""The facilitator's agendas add up, match the lessons' own minutes, and the guide shows them as they are."""

from __future__ import annotations

import json

import pytest

from coachkit.agendas import agenda_problems, agendas_path, load_agendas, markdown_table
from coachkit.catalog import lessons
from coachkit.paths import repo_root

GUIDE = repo_root() / "docs" / "facilitator-guide.md"


def test_the_three_formats_exist_with_their_lengths():
    """Are there a 90-minute taster, a 4-hour half day and an 8-hour full day?"""
    totals = {agenda.key: agenda.total_minutes for agenda in load_agendas()}
    assert totals == {"taster-90": 90, "half-day": 240, "full-day": 480}


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


@pytest.mark.parametrize("agenda", load_agendas(), ids=lambda a: a.key)
def test_guide_shows_each_agenda_as_the_data_says(agenda):
    """Does the guide carry each agenda's table exactly as `python -m coachkit.agendas` prints it?"""
    guide = GUIDE.read_text(encoding="utf-8")
    assert markdown_table(agenda) in guide, (
        f"regenerate the {agenda.title} table with python -m coachkit.agendas"
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

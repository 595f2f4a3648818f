"""Every lesson has the shape the workshop promises: objectives and minutes, evidence marked the same way,
facilitator notes a self-paced learner can skip, a widget, a journal prompt, key points, thin code cells."""

import json
import re

import pytest

from coachkit.course import catalog
from coachkit.paths import lessons_dir

LESSONS = sorted(lessons_dir().glob("[0-9][0-9]-*.ipynb"))
EVIDENCE_LABELS = ("study", "survey correlation", "practitioner's rule of thumb", "model, not data")
MAX_CODE_LINES = 4


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def markdown(path):
    return ["".join(c["source"]) for c in cells(path) if c["cell_type"] == "markdown"]


def code(path):
    return ["".join(c["source"]) for c in cells(path) if c["cell_type"] == "code"]


def test_there_are_lessons_00_to_07():
    """Are lessons 00 to 07 all present?"""
    numbers = [p.name[:2] for p in LESSONS]
    assert numbers == [f"{i:02d}" for i in range(8)], numbers


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_catalog_entry_and_tab_title(path):
    """Does the lesson have minutes and a summary, and does the browser tab title match its heading?"""
    lesson = catalog.read_lesson(path)
    assert lesson.teach_minutes > 0 and lesson.summary
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"].get("title") == lesson.title


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_opens_with_objectives_and_time(path):
    """Does the first cell give the objectives and the minutes, matching the catalog?"""
    first = markdown(path)[0]
    assert "## What you will be able to do" in first
    lesson = catalog.read_lesson(path)
    time_line = re.search(r"\*\*Time:\*\*\s*(\d+) minutes", first)
    assert time_line, "the first cell should say **Time:** N minutes"
    assert int(time_line.group(1)) == lesson.minutes


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_ends_with_key_points(path):
    """Is the last markdown cell the key points?"""
    assert "## Key points" in markdown(path)[-1]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_has_facilitator_notes(path):
    """Are there facilitator notes, tagged and folded so a self-paced learner can skip them?"""
    notes = [
        "".join(c["source"])
        for c in cells(path)
        if c["cell_type"] == "markdown" and "facilitator-notes" in c.get("metadata", {}).get("tags", [])
    ]
    assert notes, "no cell tagged facilitator-notes"
    for note in notes:
        assert note.lstrip().startswith("<details><summary>Facilitator notes</summary>")
        assert note.rstrip().endswith("</details>")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_has_a_widget_and_a_journal_prompt(path):
    """Does the lesson show at least one coachkit interactive and a prompt saved to the journal?"""
    sources = "\n".join(code(path))
    assert "from coachkit" in sources
    assert "JournalPrompt(" in sources or "ReflectionForm(" in sources


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_code_cells_are_thin(path):
    """Is every code cell a few lines, with no display() calls (the widget is the last expression)?"""
    for source in code(path):
        lines = [line for line in source.splitlines() if line.strip()]
        assert len(lines) <= MAX_CODE_LINES, f"code cell too long:\n{source}"
        assert "display(" not in source


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_headings_go_in_order(path):
    """Does no heading skip a level (an h2 before any h3, and so on)?"""
    level = 0
    for text in markdown(path):
        text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
        for match in re.finditer(r"^(#{1,6})\s", text, flags=re.MULTILINE):
            new = len(match.group(1))
            assert new <= level + 1, f"heading level jumps from {level} to {new}: {match.group(0)!r}"
            level = new


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_images_have_alt_text_and_prose_does_not_assume_code(path):
    """Does every image carry alt text, and does no sentence ask the reader to run code?"""
    for text in markdown(path):
        assert "![](" not in text
        for tag in re.findall(r"<img\b[^>]*>", text):
            assert re.search(r'alt="[^"]+"', tag), tag
        assert not re.search(r"\brun (the|this) cell\b", text, flags=re.IGNORECASE)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_evidence_notes_use_the_agreed_labels(path):
    """Is every evidence note labelled with one of the agreed strengths?"""
    for text in markdown(path):
        for label in re.findall(r"\*\*Evidence:\s*([^*]+?)\.?\*\*", text):
            assert label.strip().rstrip(".") in EVIDENCE_LABELS, label

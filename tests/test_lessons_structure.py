"""Every lesson has the shape the workshop promises: objectives and minutes, evidence marked the same way,
facilitator notes a self-paced learner can skip, a widget, a journal prompt, key points, thin code cells;
and what the learner reads (the H1, the objectives, the key points, the minutes the prose states) agrees with
the lesson's metadata.coachkit, which the catalog, the landing page and the agendas read."""

import json
import re
import unicodedata
from itertools import zip_longest

import nbformat
import pytest

from coachkit.course import catalog
from coachkit.paths import lessons_dir

LESSONS = sorted(lessons_dir().glob("[0-9][0-9]-*.ipynb"))
EVIDENCE_LABELS = ("study", "survey correlation", "practitioner's rule of thumb", "model, not data")
MAX_CODE_LINES = 4
OBJECTIVES = "## What you will be able to do"
KEY_POINTS = "## Key points"
# "**Time:** 80 minutes: 15 teaching, 65 practice" in the first cell.
TIME_LINE = re.compile(
    r"\*\*Time:\*\*\s*(?P<total>\d+) minutes"
    r"(?::\s*(?P<teaching>\d+) teaching,\s*(?P<exercises>\d+) practice)?"
)
# "**Timing (80 minutes).** Teaching 15 minutes: ... (5), ... (10). Practice 65 minutes: ..." in the
# facilitator notes; "25 minutes of teaching: ..." says the same.
TIMING = re.compile(r"\*\*Timing \((?P<total>\d+) minutes\)\.\*\*(?P<rest>.*?)(?:\n\s*\n|$)", re.DOTALL)
TIMING_PART = re.compile(
    r"(?:\b(?P<name>Teaching|Practice) (?P<minutes>\d+) minutes"
    r"|\b(?P<minutes2>\d+) minutes of (?P<name2>teaching|practice)):"
)
TIMING_ITEM = re.compile(r"\((?:about )?(\d+)\)")


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


def normalised(text: str) -> str:
    """The text as a reader sees it: line breaks and runs of spaces are one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def bullets(text: str, heading: str) -> list[str] | None:
    """The items of the bulleted list under ``heading`` (continuation lines joined), None without it."""
    if heading not in text:
        return None
    items: list[str] = []
    for line in text.split(heading, 1)[1].splitlines():
        if line.startswith(("- ", "* ")):
            items.append(line[2:])
        elif items and line.startswith((" ", "\t")) and line.strip():
            items[-1] += " " + line.strip()
        elif items or line.strip():
            break
    return [normalised(item) for item in items]


def compare(kind: str, shown: list[str] | None, stored: tuple[str, ...]) -> list[str]:
    """Item by item, where the list the learner reads and the metadata's list differ."""
    if shown is None:
        return [f"the lesson shows no {kind} list to compare with metadata.coachkit"]
    problems = []
    for i, (seen, kept) in enumerate(zip_longest(shown, stored), 1):
        if seen is None:
            problems.append(f"{kind} {i} is only in the metadata: {kept!r}")
        elif kept is None:
            problems.append(f"{kind} {i} is only in the lesson: {seen!r}")
        elif seen != normalised(kept):
            problems.append(f"{kind} {i} differs: the lesson says {seen!r}, the metadata {kept!r}")
    return problems


def title_drift(path) -> list[str]:
    """Where the H1, the browser tab's title and metadata.coachkit.title (the catalog's) disagree."""
    lesson = catalog.read_lesson(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    h1 = [
        m.group(1).strip()
        for text in markdown(path)
        for m in re.finditer(r"^#\s+(.+)$", re.sub(r"```.*?```", "", text, flags=re.DOTALL), re.MULTILINE)
    ]
    if h1 != [lesson.title]:
        problems.append(f"the lesson's level-1 headings {h1} are not just its title {lesson.title!r}")
    if catalog.first_heading(nb) != lesson.title:
        problems.append(f"the H1 {catalog.first_heading(nb)!r} is not the catalog's title {lesson.title!r}")
    if nb["metadata"].get("title") != lesson.title:
        problems.append(f"metadata.title {nb['metadata'].get('title')!r} (the tab) is not {lesson.title!r}")
    return problems


def list_drift(path) -> list[str]:
    """Where the objectives and key points the learner reads differ from metadata.coachkit's."""
    lesson = catalog.read_lesson(path)
    texts = markdown(path)
    return compare("objective", bullets(texts[0], OBJECTIVES), lesson.objectives) + compare(
        "key point", bullets(texts[-1], KEY_POINTS), lesson.keypoints
    )


def minutes_drift(path) -> list[str]:
    """Where the minutes the prose states (the **Time:** line, the facilitator notes' **Timing**) differ from
    metadata.coachkit's teaching and exercises."""
    lesson = catalog.read_lesson(path)
    expected = {
        "total": lesson.minutes,
        "teaching": lesson.teach_minutes,
        "exercises": lesson.practice_minutes,
    }
    problems = []
    time_line = TIME_LINE.search(markdown(path)[0])
    if not time_line:
        problems.append("the first cell should say **Time:** N minutes")
    else:
        for key, value in expected.items():
            if time_line.group(key) is not None and int(time_line.group(key)) != value:
                problems.append(f"**Time:** gives {key} {time_line.group(key)}, the metadata {value}")
    for text in markdown(path):
        for timing in TIMING.finditer(text):
            if int(timing.group("total")) != lesson.minutes:
                problems.append(
                    f"**Timing** gives {timing.group('total')} minutes, the metadata {lesson.minutes}"
                )
            rest = normalised(timing.group("rest"))
            parts = list(TIMING_PART.finditer(rest))
            for part, following in zip_longest(parts, parts[1:]):
                name = (part.group("name") or part.group("name2")).lower()
                key = "teaching" if name == "teaching" else "exercises"
                stated = int(part.group("minutes") or part.group("minutes2"))
                if stated != expected[key]:
                    problems.append(
                        f"**Timing** gives {name} {stated} minutes, the metadata {key} {expected[key]}"
                    )
                items = TIMING_ITEM.findall(rest[part.end() : following.start() if following else None])
                if items and sum(map(int, items)) != stated:
                    problems.append(
                        f"**Timing**'s {name} items add up to {sum(map(int, items))}, not {stated}"
                    )
    return problems


def drift(path) -> list[str]:
    return title_drift(path) + list_drift(path) + minutes_drift(path)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_catalog_entry_is_complete(path):
    """Does the catalog find the lesson's title, minutes, summary, objectives and key points in metadata?"""
    lesson = catalog.read_lesson(path)
    assert lesson.title and lesson.summary
    assert lesson.teach_minutes > 0 and lesson.practice_minutes > 0
    assert lesson.objectives and lesson.keypoints


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_opens_with_objectives_and_time(path):
    """Does the first cell give the objectives and the minutes?"""
    first = markdown(path)[0]
    assert OBJECTIVES in first
    assert TIME_LINE.search(first), "the first cell should say **Time:** N minutes"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_ends_with_key_points(path):
    """Is the last markdown cell the key points?"""
    assert KEY_POINTS in markdown(path)[-1]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_title_is_the_heading_the_tab_and_the_catalog(path):
    """Are the lesson's only H1, its browser tab's title and metadata.coachkit.title the same words?"""
    problems = title_drift(path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_objectives_and_key_points_are_what_the_learner_reads(path):
    """Are metadata.coachkit's objectives and keypoints, item by item, the bullets the lesson shows?"""
    problems = list_drift(path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_minutes_are_what_the_prose_states(path):
    """Do teaching and exercises match the **Time:** line and the facilitator notes' **Timing**, down to
    the sum of its items?"""
    problems = minutes_drift(path)
    assert not problems, "\n".join(problems)


def in_lesson_03(cell_text: str, old: str, new: str):
    def change(nb):
        [cell] = [c for c in nb.cells if c.cell_type == "markdown" and cell_text in c.source]
        assert old in cell.source
        cell.source = cell.source.replace(old, new)

    return change


def in_metadata(key: str, value):
    """A change to metadata.coachkit[key] (a value, or a function of the old one); "tab" is metadata.title."""

    def change(nb):
        if key == "tab":
            nb.metadata.title = value
        else:
            nb.metadata.coachkit[key] = value(nb.metadata.coachkit[key]) if callable(value) else value

    return change


BREAKAGES = {
    "h1": (in_lesson_03("# Role-play", "# Role-play practice", "# Role play practice"), "the H1"),
    "second-h1": (in_lesson_03(KEY_POINTS, KEY_POINTS, "# Practice\n\n" + KEY_POINTS), "level-1 headings"),
    "tab-title": (in_metadata("tab", "Role play"), "metadata.title"),
    "catalog-title": (in_metadata("title", "Role play"), "is not the catalog's title"),
    "objective-text": (
        in_lesson_03(OBJECTIVES, "coach, coachee and observer.", "coach and coachee."),
        "objective 2 differs",
    ),
    "objective-added": (
        in_metadata("objectives", lambda v: [*v, "Run a round."]),
        "objective 7 is only in the meta",
    ),
    "keypoint-dropped": (
        in_lesson_03(
            KEY_POINTS, "- Debrief in order: coachee, then observer; the coach only says thank you.\n", ""
        ),
        "key point 6 differs",
    ),
    "no-keypoints": (in_metadata("keypoints", []), "keypoints must be a list of non-empty strings"),
    "time-total": (
        in_lesson_03(OBJECTIVES, "**Time:** 80 minutes", "**Time:** 85 minutes"),
        "**Time:** gives total",
    ),
    "teaching": (in_metadata("teaching", 20), "**Time:** gives teaching 15"),
    "exercises": (
        in_metadata("exercises", 60),
        "**Timing** gives practice 65 minutes, the metadata exercises 60",
    ),
    "timing-item": (
        in_lesson_03("**Timing", "(about 50)", "(about 55)"),
        "practice items add up to 70, not 65",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=str)
def test_each_kind_of_drift_is_caught(tmp_path, breakage):
    """Break lesson 03 one way at a time (its H1, its tab, the catalog's title, an objective, a key point, its
    minutes in the metadata, the **Time:** line or the facilitator's timing): is each one reported?"""
    change, message = BREAKAGES[breakage]
    [source] = [path for path in LESSONS if path.name.startswith("03-")]
    nb = nbformat.read(source, as_version=4)
    change(nb)
    broken = tmp_path / source.name
    nbformat.write(nb, broken)
    try:
        problems = drift(broken)
    except ValueError as exc:
        problems = [str(exc)]
    assert any(message in problem for problem in problems), problems


def test_rewrapping_a_bullet_is_not_drift(tmp_path):
    """Does a key point broken over other lines (as an editor rewraps it) still match its metadata?"""
    [source] = [path for path in LESSONS if path.name.startswith("03-")]
    nb = nbformat.read(source, as_version=4)
    in_lesson_03(KEY_POINTS, "coachee, then observer; the coach", "coachee,\n  then   observer; the coach")(
        nb
    )
    nbformat.write(nb, tmp_path / source.name)
    assert drift(tmp_path / source.name) == []


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

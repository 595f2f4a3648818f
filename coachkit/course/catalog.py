"""The ordered list of lessons, read from the lesson notebooks' metadata (one source of truth).

Each lesson notebook carries ``metadata.coachkit`` in the Carpentries' episode vocabulary::

    {"title": "Role-play practice", "teaching": 15, "exercises": 65,
     "objectives": ["Take each of the three roles in a practice triad: ...", ...],
     "keypoints": ["Practise in triads: ...", ...],
     "summary": "one line for the landing page"}

``teaching`` and ``exercises`` are minutes (the lesson's "teaching" and "practice" parts, as the agendas
name them); ``objectives`` and ``keypoints`` are the bullets of the lesson's "What you will be able to do"
and "Key points", one Markdown string each. The catalog reads these keys and no prose;
tests/test_lessons_structure.py proves that the H1, the objectives and key points the learner reads and the
minutes the prose states agree with them. The landing page, the lesson navigation, the facilitator agendas
and the structure tests all read this catalog. docs/writing-lessons.md explains the keys to lesson authors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from coachkit.paths import exercises_dir, lessons_dir

LESSON_NAME = re.compile(r"^(?P<number>\d\d)-[a-z0-9-]+\.ipynb$")
HEADING = re.compile(r"^#\s+(?P<title>.+?)\s*$", re.MULTILINE)
SELF_CHECK = re.compile(r"""SelfCheck\(\s*["'](?P<name>a\d\d-[a-z0-9-]+)["']""")


@dataclass(frozen=True)
class Lesson:
    number: str
    filename: str
    title: str
    summary: str
    teach_minutes: int  # metadata.coachkit.teaching
    practice_minutes: int  # metadata.coachkit.exercises
    selfchecks: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    keypoints: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        return self.teach_minutes + self.practice_minutes

    @property
    def path(self) -> str:
        """The path relative to the repository root, as the web app serves it."""
        return f"lessons/{self.filename}"


def read_lesson(path: Path) -> Lesson:
    """Read one lesson's catalog entry; raises ValueError naming the file when it is incomplete."""
    match = LESSON_NAME.match(path.name)
    if not match:
        raise ValueError(f"{path.name}: lesson files are named NN-topic.ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    meta = nb.get("metadata", {}).get("coachkit")
    if not isinstance(meta, dict):
        raise ValueError(f"{path.name}: metadata.coachkit is missing")
    if "minutes" in meta:
        raise ValueError(
            f"{path.name}: metadata.coachkit.minutes is the old form; give the minutes as "
            "teaching and exercises (docs/writing-lessons.md)"
        )
    return Lesson(
        number=match.group("number"),
        filename=path.name,
        title=_text(meta, "title", path),
        summary=str(meta.get("summary", "")),
        teach_minutes=_minutes(meta, "teaching", path),
        practice_minutes=_minutes(meta, "exercises", path),
        selfchecks=tuple(
            match.group("name")
            for cell in nb.get("cells", [])
            if cell.get("cell_type") == "code"
            for match in SELF_CHECK.finditer("".join(cell.get("source", [])))
        ),
        objectives=_texts(meta, "objectives", path),
        keypoints=_texts(meta, "keypoints", path),
    )


def _text(meta: dict, key: str, path: Path) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{path.name}: metadata.coachkit.{key} must be a non-empty string")
    return value


def _minutes(meta: dict, key: str, path: Path) -> int:
    value = meta.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(
            f"{path.name}: metadata.coachkit.{key} must be a whole number of minutes, not {value!r}"
        )
    return value


def _texts(meta: dict, key: str, path: Path) -> tuple[str, ...]:
    value = meta.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{path.name}: metadata.coachkit.{key} must be a list of non-empty strings")
    return tuple(value)


def first_heading(nb: dict) -> str | None:
    """The text of the notebook's first level-1 heading."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            heading = HEADING.search("".join(cell.get("source", [])))
            if heading:
                return heading.group("title")
    return None


def exercise_title(name: str, exercises: Path | None = None) -> str:
    """The title of exercises/<name>/<name>.ipynb, or the name itself when there is none."""
    path = (exercises or exercises_dir()) / name / f"{name}.ipynb"
    try:
        return first_heading(json.loads(path.read_text(encoding="utf-8"))) or name
    except (OSError, ValueError):
        return name


_cache: dict[Path, tuple[tuple, list[Lesson]]] = {}


def lessons(folder: Path | None = None) -> list[Lesson]:
    """All lessons in order. Cached until a lesson file changes, so the landing page stays cheap."""
    folder = folder or lessons_dir()
    files = sorted(p for p in folder.glob("*.ipynb") if LESSON_NAME.match(p.name))
    key = tuple((p.name, p.stat().st_mtime_ns) for p in files)
    cached = _cache.get(folder)
    if cached and cached[0] == key:
        return cached[1]
    result = [read_lesson(p) for p in files]
    _cache[folder] = (key, result)
    return result


def neighbours(filename: str, folder: Path | None = None) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after ``filename`` (None at either end)."""
    ordered = lessons(folder)
    names = [lesson.filename for lesson in ordered]
    if filename not in names:
        return None, None
    i = names.index(filename)
    return (ordered[i - 1] if i > 0 else None, ordered[i + 1] if i + 1 < len(ordered) else None)

"""The lesson catalog: read from the notebooks' metadata, in order; an incomplete lesson is named."""

import nbformat
import pytest

from coachkit.course import catalog


def lesson_metadata(title="A title", teaching=5, exercises=10, summary="One line"):
    return {
        "title": title,
        "summary": summary,
        "teaching": teaching,
        "exercises": exercises,
        "objectives": ["Do one thing.", "Do another."],
        "keypoints": ["One thing matters."],
    }


def write_lesson(folder, name, title="A title", heading=None, **metadata):
    nb = nbformat.v4.new_notebook()
    nb.metadata["coachkit"] = lesson_metadata(title, **metadata)
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {heading or title}\n\nText.")]
    nbformat.write(nb, folder / name)


def test_lessons_are_listed_in_number_order(tmp_path):
    """Does the catalog list NN-topic notebooks by number, ignoring other files?"""
    write_lesson(tmp_path, "02-b.ipynb", "Second")
    write_lesson(tmp_path, "00-a.ipynb", "First")
    (tmp_path / "notes.ipynb").write_text("{}")
    found = catalog.lessons(tmp_path)
    assert [lesson.title for lesson in found] == ["First", "Second"]
    assert found[0].minutes == 15
    assert found[0].path == "lessons/00-a.ipynb"


def test_a_lesson_without_metadata_is_named_in_the_error(tmp_path):
    """Is a lesson that lacks metadata.coachkit reported with its file name?"""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title")]
    nbformat.write(nb, tmp_path / "00-x.ipynb")
    with pytest.raises(ValueError, match="00-x.ipynb"):
        catalog.lessons(tmp_path)


def test_neighbours(tmp_path):
    """Does each lesson know the one before and after it?"""
    for i in range(3):
        write_lesson(tmp_path, f"0{i}-l.ipynb", f"L{i}")
    before, after = catalog.neighbours("01-l.ipynb", tmp_path)
    assert (before.title, after.title) == ("L0", "L2")
    assert catalog.neighbours("00-l.ipynb", tmp_path)[0] is None
    assert catalog.neighbours("02-l.ipynb", tmp_path)[1] is None


def test_the_catalog_reads_the_carpentries_keys_not_the_prose(tmp_path):
    """Do title, teaching, exercises, objectives and keypoints come from metadata.coachkit, whatever the
    cells say (the structure test keeps the two in step)?"""
    write_lesson(
        tmp_path, "00-a.ipynb", "From the metadata", heading="From the heading", teaching=7, exercises=3
    )
    [lesson] = catalog.lessons(tmp_path)
    assert lesson.title == "From the metadata"
    assert (lesson.teach_minutes, lesson.practice_minutes, lesson.minutes) == (7, 3, 10)
    assert lesson.objectives == ("Do one thing.", "Do another.")
    assert lesson.keypoints == ("One thing matters.",)
    assert lesson.summary == "One line"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("title", "", "metadata.coachkit.title must be a non-empty string"),
        ("teaching", None, "metadata.coachkit.teaching must be a whole number of minutes"),
        ("exercises", "15", "metadata.coachkit.exercises must be a whole number of minutes"),
        ("teaching", -5, "metadata.coachkit.teaching must be a whole number"),
        ("objectives", [], "metadata.coachkit.objectives must be a list of non-empty strings"),
        ("keypoints", "One thing.", "metadata.coachkit.keypoints must be a list"),
        ("minutes", {"teach": 5, "practice": 10}, "metadata.coachkit.minutes is the old form"),
    ],
)
def test_an_incomplete_lesson_is_named_with_the_key(tmp_path, key, value, message):
    """Is a missing or malformed key reported with the file and the key, and the old minutes form refused?"""
    nb = nbformat.v4.new_notebook()
    nb.metadata["coachkit"] = lesson_metadata() | {key: value}
    nb.cells = [nbformat.v4.new_markdown_cell("# A title")]
    nbformat.write(nb, tmp_path / "03-x.ipynb")
    with pytest.raises(ValueError, match="03-x.ipynb") as raised:
        catalog.read_lesson(tmp_path / "03-x.ipynb")
    assert message in str(raised.value)

"""The lesson catalog: read from the notebooks, in order, with clear errors for incomplete lessons."""

import nbformat
import pytest

from coachkit.course import catalog


def write_lesson(folder, name, title="A title", minutes=None, summary="One line"):
    nb = nbformat.v4.new_notebook()
    nb.metadata["coachkit"] = {"minutes": minutes or {"teach": 5, "practice": 10}, "summary": summary}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nText.")]
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

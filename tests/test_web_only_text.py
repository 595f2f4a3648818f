"""Text about JupyterLab, Python and cells is shown only where it applies: cells tagged ``jupyterlab-only``
are removed by the web app's template (coachkit/webapp/share/.../coachkit/conf.json, nbconvert's
TagRemovePreprocessor) and stay in the notebook; ``web-only`` cells are folded in JupyterLab. The rule is in
docs/writing-lessons.md. Exercises are nbgrader notebooks opened only in JupyterLab (the web app never serves
them), so their instructions may speak of cells and Shift+Enter."""

from __future__ import annotations

import html
import json
import re
import urllib.request

import nbformat
import pytest

from coachkit.paths import lessons_dir
from tests.conftest import lesson_url

LESSONS = sorted(lessons_dir().glob("[0-9][0-9]-*.ipynb"))
NOTEBOOK_WORDS = re.compile(r"\bJupyter\s*Lab\b|\bcells?\b|\bkernels?\b|Shift\s*\+\s*Enter|\bPython\b", re.I)
# (lesson, cell id): why a mention there is right for both a web visitor and a JupyterLab reader. Empty now;
# add an entry only with its reason.
ALLOWED: dict[tuple[str, str], str] = {}
TEMPLATE_CONF = (
    lessons_dir().parent / "coachkit" / "webapp" / "share" / "jupyter" / "voila" / "templates" / "coachkit"
)


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def lesson_cells(path):
    return nbformat.read(path, as_version=4).cells


def plain(markdown: str) -> str:
    """The words of a markdown cell as a reader sees them (emphasis, list marks and breaks gone)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`#>]", "", text)
    text = re.sub(r"^\s*- ", "", text, flags=re.M)
    return " ".join(text.split())


def page_text(page_html: str) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page_html, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_untagged_markdown_speaks_of_the_notebook(path):
    """Does every markdown cell that the web app shows avoid 'JupyterLab', 'cell', 'kernel', 'Shift+Enter'
    and 'Python' (facilitator notes included: the web app shows them folded)?"""
    found = []
    for cell in lesson_cells(path):
        if cell.cell_type != "markdown" or "jupyterlab-only" in tags(cell):
            continue
        if (path.stem, cell.get("id")) in ALLOWED:
            continue
        found += [f"{cell.get('id')}: {m.group(0)!r}" for m in NOTEBOOK_WORDS.finditer(cell.source)]
    assert not found, found


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_web_only_cells_are_markdown_folded_in_jupyterlab(path):
    """Is each web-only cell markdown, folded (source_hidden) so a JupyterLab reader skips it, and never
    tagged jupyterlab-only too?"""
    for cell in lesson_cells(path):
        if "web-only" in tags(cell):
            assert cell.cell_type == "markdown", cell.get("id")
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.get("id")
            assert "jupyterlab-only" not in tags(cell), cell.get("id")
        if "jupyterlab-only" in tags(cell):
            # a tagged code cell would not run on the web
            assert cell.cell_type == "markdown", cell.get("id")


def test_the_template_config_removes_the_tag():
    """Is the removal configuration (not a template patch): nbconvert's TagRemovePreprocessor in the
    coachkit template's conf.json, for the jupyterlab-only tag?"""
    conf = json.loads((TEMPLATE_CONF / "conf.json").read_text(encoding="utf-8"))
    [remover] = conf["preprocessors"].values()
    assert remover["type"] == "nbconvert.preprocessors.TagRemovePreprocessor"
    assert remover["enabled"] is True and remover["remove_cell_tags"] == ["jupyterlab-only"]


def tagged(tag: str) -> list[tuple[str, str]]:
    return [
        (path.stem, plain(cell.source)[:70])
        for path in LESSONS
        for cell in lesson_cells(path)
        if tag in tags(cell)
    ]


def test_lessons_have_tagged_cells_to_check():
    """Are there cells of both kinds, so the web app test below checks something?"""
    assert tagged("jupyterlab-only") and tagged("web-only")


@pytest.mark.slow
def test_web_app_hides_jupyterlab_only_cells_and_shows_web_only_ones(voila_url):
    """In the real web app (an HTTP fetch of each rendered lesson), is no jupyterlab-only cell's text in the
    page, every web-only cell's text there, and neither word 'JupyterLab' nor 'Shift+Enter' in what a
    visitor reads?"""
    hidden, shown = tagged("jupyterlab-only"), tagged("web-only")
    for path in LESSONS:
        lab = [text for stem, text in hidden if stem == path.stem]
        web = [text for stem, text in shown if stem == path.stem]
        if not lab and not web:
            continue
        with urllib.request.urlopen(lesson_url(voila_url, path.stem), timeout=180) as response:  # noqa: S310
            text = page_text(response.read().decode("utf-8"))
        assert "Role" in text or "Start here" in text or len(text) > 500, path.stem  # a rendered lesson
        for snippet in lab:
            assert snippet not in text, (path.stem, snippet)
        for snippet in web:
            assert snippet in text, (path.stem, snippet)
        # the page's own words, not the theme's name in an attribute
        assert not re.search(r"JupyterLab(?! Light| Dark)|Shift\+Enter", text), path.stem

"""The lesson interactives in a real Voila page: named for screen readers, usable by keyboard, responsive."""

import shutil
from pathlib import Path

import pytest
from conftest import (
    NARROW,
    REPO,
    WIDE,
    open_lesson,
    screenshot,
    scrolls_sideways,
    serious_accessibility_problems,
    web_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE = Path(__file__).parent / "notebooks" / "93-interactives-fixture.ipynb"


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory):
    """A web app whose lessons/ folder holds only the interactives fixture; its page address."""
    root = tmp_path_factory.mktemp("interactives-site")
    (root / "lessons").mkdir()
    shutil.copytree(REPO / "assets", root / "assets")
    shutil.copy(FIXTURE, root / "lessons" / FIXTURE.name)
    shutil.copy(REPO / "voila.json", root / "voila.json")
    with web_app(
        root=root, env={"COACHKIT_JOURNAL_STORE": "browser"}, log_name="interactives-voila"
    ) as server:
        yield f"{server.url}voila/render/lessons/{FIXTURE.name}"


def test_interactives_render_accessibly_at_both_widths(new_page, fixture_url):
    """Do all the interactives render with charts, no error, no serious axe-core problem, and fit a phone?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, fixture_url)
    body = page.inner_text("body")
    assert "Traceback" not in body and "went wrong" not in body
    assert page.locator("img[alt^='Line chart']").count() == 2
    assert page.locator("img[alt^='Bar chart']").count() == 1
    assert serious_accessibility_problems(page) == []
    screenshot(page, "interactives-wide")
    page.set_viewport_size(NARROW)
    assert not scrolls_sideways(page), "the page scrolls sideways at 390 px"
    screenshot(page, "interactives-narrow")


def test_question_checker_answers_in_the_browser(new_page, fixture_url):
    """Does typing a question and clicking Check show its kind and an open rewrite?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, fixture_url)
    page.get_by_label("Your question", exact=True).fill("Why is this late?")
    page.get_by_role("button", name="Check my question", exact=True).click()
    page.get_by_text("Try instead").wait_for(timeout=30_000)
    assert page.get_by_text("What led to that?").count() == 1
    assert "A 'why' question" in page.inner_text(".ck-verdict")


def test_sliders_work_from_the_keyboard(new_page, fixture_url):
    """Does a labelled slider moved with the keyboard update the model: urgency to the top means tell now?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, fixture_url)
    urgency = page.get_by_label("How urgent it is", exact=True)
    urgency.focus()
    urgency.press("End")
    page.get_by_text("Suggested approach: Tell now, coach later").wait_for(timeout=30_000)
    weeks = page.get_by_label("Weeks", exact=True)
    weeks.focus()
    weeks.press("Home")
    page.get_by_text("Over 4 weeks", exact=False).wait_for(timeout=30_000)


def test_action_plan_saves_in_the_browser(new_page, fixture_url):
    """Does a filled-in action plan save, with a note on a leading first question?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, fixture_url)
    values = {
        "Who": "Tom",
        "Which conversation": "Our one-to-one",
        "When": "Thursday at 10",
        "Your first question": "Have you thought about asking Maria?",
        "What you will stop doing": "Answering first",
        "What might stop you": "Time: ten minutes only",
    }
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save my action plan").click()
    page.get_by_text("Your action plan is saved in your journal").wait_for(timeout=30_000)
    assert page.get_by_text("A note on your first question", exact=False).count() == 1

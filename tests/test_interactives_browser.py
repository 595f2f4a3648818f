"""The lesson interactives in a real Voila page: named for screen readers, usable by keyboard, responsive."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import (
    NARROW,
    notebook_site_fixture,
    screenshot,
    scrolls_sideways,
    serious_accessibility_problems,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE = Path(__file__).parent / "notebooks" / "93-interactives-fixture.ipynb"

fixture_url = notebook_site_fixture(
    FIXTURE, log_name="interactives-voila", env={"COACHKIT_JOURNAL_STORE": "browser"}
)


def test_interactives_render_accessibly_at_both_widths(fixture_page):
    """Do all the interactives render with charts, no error, no serious axe-core problem, and fit a phone?"""
    page = fixture_page
    body = page.inner_text("body")
    assert "Traceback" not in body and "went wrong" not in body
    assert page.locator("img[alt^='Line chart']").count() == 2
    assert page.locator("img[alt^='Bar chart']").count() == 1
    assert serious_accessibility_problems(page) == []
    screenshot(page, "interactives-wide")
    page.set_viewport_size(NARROW)
    assert not scrolls_sideways(page), "the page scrolls sideways at 390 px"
    screenshot(page, "interactives-narrow")


def test_question_checker_answers_in_the_browser(fixture_page):
    """Does typing a question and clicking Check show its kind and an open rewrite?"""
    page = fixture_page
    page.get_by_label("Your question", exact=True).fill("Why is this late?")
    page.get_by_role("button", name="Check my question", exact=True).click()
    page.get_by_text("Try instead").wait_for(timeout=30_000)
    assert page.get_by_text("What is making this late?").count() == 1
    assert "A 'why' question" in page.inner_text(".ck-verdict")
    contract = "Do you want my view, or would it help to think it through?"
    page.get_by_label("Your question", exact=True).fill(contract)
    page.get_by_role("button", name="Check my question", exact=True).click()
    page.get_by_text("Contracting or asking permission").wait_for(timeout=30_000)
    assert "Try instead" not in page.inner_text(".ck-verdict")


def test_sliders_work_from_the_keyboard(fixture_page):
    """Does a slider moved with the keyboard update the model: top urgency and stakes mean tell now?"""
    page = fixture_page
    for label in ("How urgent it is", "What is at stake"):  # a real crisis: both at the top
        slider = page.get_by_label(label, exact=True)
        slider.focus()
        slider.press("End")
    page.get_by_text("Suggested approach: Tell now, coach later").wait_for(timeout=30_000)
    weeks = page.get_by_label("Weeks", exact=True)
    weeks.focus()
    weeks.press("Home")
    page.get_by_text("Over 4 weeks", exact=False).wait_for(timeout=30_000)


def test_action_plan_saves_in_the_browser(fixture_page):
    """Does a filled-in action plan save, with a note on a leading first question?"""
    page = fixture_page
    values = {
        "Who": "Tom",
        "Which conversation": "Our one-to-one",
        "When": "Thursday at 10",
        "Your first question": "Have you thought about asking Maria?",
        "What you will stop doing": "Answering first",
        "What might stop you": "Time: ten minutes only",
        "Follow-up date": (date.today() + timedelta(days=14)).isoformat(),
        "What you will ask then": "What's better since we talked?",
    }
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save my action plan").click()
    page.get_by_text("Your action plan is saved in your journal").wait_for(timeout=30_000)
    assert page.get_by_text("A note on your first question", exact=False).count() == 1
    assert page.get_by_text("Your follow-up is on", exact=False).count() == 1

"""The board in real Voila pages: a learner's HTML answer reaches the facilitator's live view as text."""

import shutil
from pathlib import Path

import pytest
from conftest import REPO, WIDE, open_lesson, screenshot, web_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURES = Path(__file__).parent / "notebooks"
FACILITATOR = "91-board-facilitator.ipynb"
LEARNER = "92-board-answer.ipynb"
XSS = "<img src=x onerror=alert(1)><b>bold</b> & more"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """A web app whose lessons/ holds the two board fixtures, with a board database of its own."""
    root = tmp_path_factory.mktemp("board-site")
    (root / "lessons").mkdir()
    (root / "assets").mkdir()
    for name in (FACILITATOR, LEARNER):
        shutil.copy(FIXTURES / name, root / "lessons" / name)
    shutil.copy(REPO / "voila.json", root / "voila.json")
    env = {"COACHKIT_BOARD_DIR": str(root / "board"), "COACHKIT_BOARD_URL": ""}
    with web_app(root=root, env=env, log_name="board-voila") as server:
        yield f"{server.url}voila/render/lessons/"


def test_html_answer_shows_as_text_in_the_live_facilitator_view(new_page, site_url):
    """Does an HTML answer appear live in the facilitator's page as literal text, making no element?"""
    facilitator = new_page(viewport=WIDE)
    open_lesson(facilitator, site_url + FACILITATOR)
    facilitator.get_by_label("Question", exact=True).fill("What's keeping you from coaching others?")
    facilitator.get_by_role("button", name="Open session").click()
    code_box = facilitator.locator(".ck-board-code")
    code_box.wait_for(timeout=30_000)
    code = code_box.inner_text().strip()
    assert len(code) == 5

    learner = new_page(viewport=WIDE)
    open_lesson(learner, site_url + LEARNER)
    learner.get_by_label("Session code", exact=True).fill(code.lower())
    learner.get_by_role("button", name="Join").click()
    learner.get_by_text("What's keeping you from coaching others?").wait_for(timeout=30_000)
    learner.get_by_label("Your answer", exact=True).fill(XSS)
    learner.get_by_role("button", name="Send answer").click()
    learner.get_by_text("your answer is on the board").wait_for(timeout=30_000)

    # No click on Refresh: the live ticker must bring the answer in.
    item = facilitator.locator(".ck-board-answers li")
    item.first.wait_for(timeout=30_000)
    assert item.first.inner_text() == XSS
    assert facilitator.locator(".ck-board-answers img").count() == 0
    assert facilitator.locator(".ck-board-answers b").count() == 0
    assert facilitator.get_by_text("1 answer").count() >= 1
    screenshot(facilitator, "board-facilitator-html-answer")
    screenshot(learner, "board-learner-sent")


def test_poll_on_a_phone_is_accessible_and_counts_the_vote(new_page, site_url):
    """On a 390 px phone, can a learner vote in a poll, with no serious axe problem and no sideways scroll?"""
    from conftest import NARROW, scrolls_sideways, serious_accessibility_problems

    facilitator = new_page(viewport=WIDE)
    open_lesson(facilitator, site_url + FACILITATOR)
    facilitator.get_by_role("button", name="Poll").click()
    facilitator.get_by_label("Question", exact=True).fill("Coach or tell?")
    facilitator.get_by_label("Poll options", exact=True).fill("Coach\nTell")
    facilitator.get_by_role("button", name="Open session").click()
    code = facilitator.locator(".ck-board-code").inner_text().strip()
    assert serious_accessibility_problems(facilitator) == []

    learner = new_page(viewport=NARROW)
    open_lesson(learner, site_url + LEARNER)
    learner.get_by_label("Session code", exact=True).fill(code)
    learner.get_by_role("button", name="Join").click()
    learner.get_by_label("Coach", exact=True).check()
    learner.get_by_role("button", name="Send answer").click()
    learner.get_by_text("your vote is on the board").wait_for(timeout=30_000)
    assert not scrolls_sideways(learner)
    assert serious_accessibility_problems(learner) == []

    facilitator.locator(".ck-board-total", has_text="1 answer").wait_for(timeout=30_000)
    chart = facilitator.locator(".ck-board-chart")
    assert "Coach" in chart.inner_text() and "1" in chart.inner_text()
    screenshot(facilitator, "board-facilitator-poll")
    screenshot(learner, "board-learner-poll-phone")

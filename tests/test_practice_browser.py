"""The practice conversation in a real Voila page: a whole conversation by keyboard alone, a telling one, and
hostile input, with the feedback read back from the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import (
    NARROW,
    lesson_url,
    notebook_site_fixture,
    open_lesson,
    run_all_cells,
    screenshot,
    scrolls_sideways,
    serious_accessibility_problems,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE = Path(__file__).parent / "notebooks" / "94-practice-fixture.ipynb"
NOTES_SCREENS = Path("/work/notes/screens")  # where the issue asks for the screenshots, when it exists

fixture_url = notebook_site_fixture(
    FIXTURE, log_name="practice-voila", env={"COACHKIT_JOURNAL_STORE": "browser"}
)

IDEAL = [
    "Is now a good time to talk?",
    "What's been happening for you these last few weeks?",
    "",
    "What have you tried so far?",
    "So the list keeps growing and nothing comes off it?",
    "What would you like to be different a month from now?",
    "What could you do?",
    "And what else could you do?",
    "What will you do first?",
]
TELLING = [
    "You should drop one of the working groups.",
    "Have you thought about saying no more often?",
    "Maybe you could give the move to Priya.",
    "Wouldn't it be better to stop answering email at night?",
]


def keep(page, name: str) -> None:
    """A screenshot in test-artifacts/, copied to the notes folder for the person reviewing the issue."""
    path = screenshot(page, name)
    if NOTES_SCREENS.parent.is_dir():
        NOTES_SCREENS.mkdir(exist_ok=True)
        shutil.copy(path, NOTES_SCREENS / path.name)


def turns(page) -> int:
    return page.locator(".ck-chat-turn").count()


def send_by_keyboard(page, text: str) -> None:
    """Type ``text`` in the focused box and press Enter; wait for the coachee's reply in the log."""
    before = turns(page)
    box = page.get_by_label("What you say", exact=True)
    assert page.evaluate("() => document.activeElement.classList.contains('ck-chat-input')")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('.ck-chat-turn').length >= {before + 2}", timeout=60_000
    )
    page.wait_for_function("() => document.querySelector('.ck-chat-input').value === ''", timeout=60_000)
    assert box.input_value() == ""


def test_a_whole_conversation_by_keyboard_and_its_feedback(fixture_page):
    """Can a learner hold the conversation by keyboard alone (Enter sends, Tab reaches Pause and Finish) and
    read feedback that says the coachee reached a goal and a first step of their own?"""
    page = fixture_page
    log = page.locator(".ck-chat-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert "You wanted a word?" in log.inner_text()  # Daniel's opening line (the first scenario)
    page.get_by_label("What you say", exact=True).focus()
    for text in IDEAL[:3]:
        send_by_keyboard(page, text)
    # a Pause by keyboard: Tab past Send to Pause, press Enter, and Shift+Tab back to the box
    before = turns(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Pause (stay silent)"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('.ck-chat-turn').length >= {before + 2}")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    for text in IDEAL[3:]:
        send_by_keyboard(page, text)
    assert "Tomorrow morning I'll tell the digital group" in log.inner_text()
    keep(page, "practice-progress-wide")
    page.set_viewport_size(NARROW)
    assert not scrolls_sideways(page), "the conversation scrolls sideways at 390 px"
    keep(page, "practice-progress-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    # from the box: Tab to Send, Pause, then the Finish button; Enter finishes
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Finish and see feedback"
    page.keyboard.press("Enter")
    feedback = page.locator(".ck-practice-feedback")
    feedback.wait_for(timeout=30_000)
    text = feedback.inner_text()
    assert "Daniel reached a goal and a first step of his own" in text
    assert "Will: yes." in text and "Goal: yes." in text
    assert "No turn stands out" in text
    page.get_by_text("Saved to your journal", exact=False).wait_for(timeout=30_000)
    link = feedback.get_by_role("link", name="lesson 02", exact=False)
    assert link.get_attribute("href").startswith("02-coaching-conversation.ipynb#")
    assert page.get_by_label("What you say", exact=True).is_disabled()
    assert serious_accessibility_problems(page) == []
    keep(page, "practice-feedback-wide")
    page.set_viewport_size(NARROW)
    assert not scrolls_sideways(page), "the feedback scrolls sideways at 390 px"
    keep(page, "practice-feedback-narrow")


def test_a_telling_conversation_gets_feedback_that_says_so(fixture_page):
    """Does a conversation of advice and leading questions end with feedback that the coachee reached no
    goal and no first step of their own, with the learner's words and a better option, still in the journal
    after a reload (a new kernel)?"""
    page = fixture_page
    page.get_by_label("What you say", exact=True).focus()
    for text in TELLING:
        send_by_keyboard(page, text)
    assert "I suppose I could" in page.locator(".ck-chat-log").inner_text()
    page.get_by_role("button", name="Finish and see feedback").press("Enter")
    feedback = page.locator(".ck-practice-feedback")
    feedback.wait_for(timeout=30_000)
    text = feedback.inner_text()
    assert "Daniel did not reach a goal or a first step of his own" in text
    assert "telling gets compliance, not ownership" in text
    said = feedback.locator(".ck-practice-said").first.inner_text()
    assert said == "You should drop one of the working groups."
    assert feedback.locator(".ck-practice-better").count() == 2
    page.get_by_text("Saved to your journal", exact=False).wait_for(timeout=30_000)
    keep(page, "practice-telling-wide")
    page.get_by_text("It has 1 entry", exact=False).wait_for(timeout=30_000)  # the browser has stored it
    page.wait_for_timeout(500)  # and nothing is left in flight when the page goes
    # a reload is a new kernel: the conversation starts again, and the saved feedback is still in the journal
    open_lesson(page, page.url)
    page.get_by_text("It has 1 entry", exact=False).wait_for(timeout=30_000)
    assert page.locator(".ck-chat-turn").count() == 1


def test_hostile_input_stays_text_and_a_long_turn_stays_in_the_box(fixture_page):
    """Are HTML and emoji shown as text in the log, and is a 10,000-character turn refused with a message and
    left in the box?"""
    page = fixture_page
    box = page.get_by_label("What you say", exact=True)
    box.focus()
    send_by_keyboard(page, '<img src=x onerror="window.hacked=1"> What is going on? \U0001f600')
    log = page.locator(".ck-chat-log")
    assert log.locator("img").count() == 0
    assert '<img src=x onerror="window.hacked=1"> What is going on? \U0001f600' in log.inner_text()
    assert page.evaluate("() => window.hacked === undefined")
    before = turns(page)
    box.fill("x" * 10_000)
    box.press("Enter")
    page.get_by_text("too long", exact=False).wait_for(timeout=30_000)
    assert len(box.input_value()) == 10_000
    assert turns(page) == before
    page.get_by_role("button", name="Start again").press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.ck-chat-turn').length === 1")


def test_lessons_link_to_each_other_and_the_feedback_anchors_exist(new_page, voila_url):
    """In the real lessons: does lesson 03 show the practice first among the practice options, and do the
    links between lessons 02 and 03 (and every anchor the feedback may link to) land on a heading?"""
    from coachkit.practice.conversation import SECTIONS

    page = new_page()
    open_lesson(page, lesson_url(voila_url, "03-role-play"))
    heading = page.locator("#Practise-alone-with-a-scripted-coachee")
    assert heading.count() == 1
    assert page.locator(".ck-practice-conversation .ck-chat-log").count() == 1
    order = page.evaluate(
        "() => [...document.querySelectorAll('h2')].map(h => h.id)"
        ".filter(id => ['Practise-alone-with-a-scripted-coachee', 'Practise-in-groups-of-three']"
        ".includes(id))"
    )
    assert order == ["Practise-alone-with-a-scripted-coachee", "Practise-in-groups-of-three"]

    open_lesson(page, lesson_url(voila_url, "02-coaching-conversation"))
    link = page.get_by_role("link", name="scripted coachee to practise with alone")
    assert link.get_attribute("href") == "03-role-play.ipynb#Practise-alone-with-a-scripted-coachee"
    for _title, anchor in SECTIONS.values():
        assert page.locator(f"[id='{anchor}']").count() == 1, anchor


LAB_TOKEN = "practice-lab-test"


@pytest.fixture(scope="module")
def lab_notebook_url(tmp_path_factory):
    """JupyterLab on a free port, serving a folder with a copy of the practice fixture (so nothing in the
    repository is saved over), its journal in that folder too."""
    from conftest import jupyterlab

    root = tmp_path_factory.mktemp("practice-lab")
    shutil.copy(FIXTURE, root / "practice.ipynb")
    with jupyterlab(root, LAB_TOKEN, "practice-lab") as base:
        yield f"{base}lab/tree/practice.ipynb?token={LAB_TOKEN}", root


def test_the_conversation_works_in_jupyterlab_by_keyboard(browser, lab_notebook_url):
    """In JupyterLab (where Enter in a notebook means 'edit this cell'), does Enter in the box still send a
    turn, and does the finished conversation land in the learner's journal file?"""
    url, root = lab_notebook_url
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.goto(url, timeout=180_000)
        page.wait_for_selector(".jp-Notebook", timeout=180_000)
        page.get_by_text("| Idle", exact=False).first.wait_for(timeout=180_000)  # the kernel is ready
        run_all_cells(page)
        page.wait_for_selector(".ck-chat-input", timeout=120_000)
        page.locator(".ck-chat-input").focus()
        for text in IDEAL:
            send_by_keyboard(page, text)
        assert page.locator(".jp-Notebook.jp-mod-editMode").count() == 0  # Enter never left the box
        finish = page.get_by_role("button", name="Finish and see feedback")
        assert finish.bounding_box()["width"] > 150  # the whole label shows
        finish.press("Enter")
        page.locator(".ck-practice-feedback").wait_for(timeout=30_000)
        assert "Daniel reached a goal and a first step of his own" in page.inner_text(".ck-practice-feedback")
        page.get_by_text("Saved to your journal", exact=False).wait_for(timeout=30_000)
        journal = (root / "journal" / "journal.json").read_text(encoding="utf-8")
        assert '"practice-conversation"' in journal
        keep(page, "practice-jupyterlab")
    finally:
        context.close()

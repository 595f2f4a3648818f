"""The web app in headless Chromium, the way a self-paced visitor meets it."""

import re

import pytest
from conftest import (
    NARROW,
    WIDE,
    lesson_url,
    open_lesson,
    screenshot,
    scrolls_sideways,
    serious_accessibility_problems,
)

from coachkit.course import catalog

LESSONS = catalog.lessons()
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["wide", "narrow"])
def test_landing_page(new_page, voila_url, viewport):
    """Does the landing page list every lesson, read well at this width, and pass axe-core?"""
    page = new_page(viewport=viewport)
    page.goto(voila_url)
    page.wait_for_selector(".ck-lesson-item")
    titles = page.locator(".ck-lesson-title").all_inner_texts()
    assert titles == [lesson.title for lesson in LESSONS]
    assert page.locator("#ck-progress-summary").inner_text().strip()
    assert not scrolls_sideways(page)
    assert serious_accessibility_problems(page) == []
    screenshot(page, f"landing-{'narrow' if viewport is NARROW else 'wide'}")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_lesson_renders_cleanly(new_page, voila_url, lesson):
    """Does the lesson render with no error output, the right tab title, and no serious axe-core problem?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, lesson_url(voila_url, lesson.filename.removesuffix(".ipynb")))
    assert page.title() == lesson.title
    body = page.inner_text("body")
    assert "There was an error when executing cell" not in body
    assert "Traceback" not in body
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert serious_accessibility_problems(page) == []
    screenshot(page, f"lesson-{lesson.number}-wide")
    page.set_viewport_size(NARROW)
    assert not scrolls_sideways(page), "the page scrolls sideways at 390 px"
    screenshot(page, f"lesson-{lesson.number}-narrow")


def test_next_links_lead_through_every_lesson_in_order(new_page, voila_url):
    """From the first lesson, do the next links visit every lesson in order, and previous come back?"""
    page = new_page(viewport=WIDE)
    visited = []
    open_lesson(page, voila_url + "voila/render/" + LESSONS[0].path)
    while True:
        visited.append(re.search(r"lessons/([^/?#]+)\.ipynb", page.url).group(1))
        nxt = page.locator("nav.ck-lesson-nav--top a.ck-nav-next")
        if nxt.count() == 0:
            break
        nxt.click()
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    assert visited == [lesson.filename.removesuffix(".ipynb") for lesson in LESSONS]
    page.locator("nav.ck-lesson-nav--top a.ck-nav-prev").click()
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    assert LESSONS[-2].filename in page.url
    page.locator("nav.ck-lesson-nav--top a.ck-nav-home").click()
    page.wait_for_selector(".ck-lesson-item")


def test_progress_shows_on_the_landing_page(new_page, voila_url):
    """After a visitor opens a lesson, does the landing page show it as opened and offer to continue there?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, voila_url + "voila/render/" + LESSONS[1].path)
    page.goto(voila_url)
    item = page.locator(f".ck-lesson-item[data-lesson='{LESSONS[1].filename.removesuffix('.ipynb')}']")
    assert item.locator(".ck-lesson-status").inner_text() in ("Opened", "Saved in journal")
    assert page.locator("#ck-continue").is_visible()
    assert LESSONS[1].title in page.locator("#ck-continue-link").inner_text()


def test_landing_page_asks_how_an_overdue_follow_up_went(new_page, voila_url):
    """With an action plan whose follow-up day has passed, does the landing page ask how it went, with the
    person's name as text (never HTML), link to lesson 07, and stop asking once the review is written?"""
    page = new_page(viewport=WIDE)
    page.goto(voila_url)
    plan = {
        "id": "a" * 32,
        "created": "2026-01-02T10:00:00+00:00",
        "kind": "action-plan",
        "lesson": "07-whats-keeping-you",
        "data": {"who": "<img src=x onerror=window.hacked=1>Tom", "follow_up_date": "2026-01-16"},
    }
    review = {
        "id": "b" * 32,
        "created": "2026-01-17T10:00:00+00:00",
        "kind": "follow-up-review",
        "lesson": "07-whats-keeping-you",
        "data": {"plan": "a" * 32, "reviewed": True},
    }
    store = "entries => localStorage.setItem('coachkit.journal.v1', JSON.stringify({entries}))"
    page.evaluate(store, [plan])
    page.reload()
    notice = page.locator("#ck-followup")
    notice.wait_for(state="visible")
    text = notice.inner_text()
    assert "Your follow-up with <img src=x onerror=window.hacked=1>Tom was due on 16 January 2026" in text
    assert "how did it go?" in text
    assert page.locator("#ck-followup img").count() == 0 and page.evaluate("window.hacked") is None
    assert "07-whats-keeping-you" in page.locator("#ck-followup-link").get_attribute("href")
    assert serious_accessibility_problems(page) == []
    screenshot(page, "landing-overdue-follow-up")
    page.evaluate(store, [plan, review])
    page.reload()
    page.wait_for_selector(".ck-lesson-item")
    assert not notice.is_visible()


def test_private_pages_are_refused_in_the_browser(new_page, voila_url):
    """Does a visitor who types a solutions address get the friendly not-found page?"""
    page = new_page(viewport=WIDE)
    page.watch.console_errors.clear()
    response = page.goto(voila_url + "voila/render/solutions/a01-questions/a01-questions.ipynb")
    assert response.status == 404
    assert "Page not found" in page.inner_text("body")
    # the browser logs every 404 it receives as a console error; that one is expected here
    page.watch.console_errors[:] = [m for m in page.watch.console_errors if "404" not in m]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_journal_prompt_answers_a_click(new_page, voila_url, lesson):
    """Does the journal prompt save what the visitor typed when they click Save (a kernel round trip)?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, lesson_url(voila_url, lesson.filename.removesuffix(".ipynb")))
    box = page.get_by_placeholder("Write your answer here.").last
    box.fill(f"My reflection on lesson {lesson.number}")
    page.get_by_role("button", name="Save to my journal").last.click()
    page.get_by_text("Saved to your journal").last.wait_for(timeout=30_000)


PROMPT_BOX = "el => el.tagName === 'TEXTAREA' && el.placeholder === 'Write your answer here.'"
SAVE_BUTTON = "el => el.tagName === 'BUTTON' && el.textContent.includes('Save to my journal')"


def tab_until(page, predicate_js: str, limit: int = 200) -> bool:
    """Press Tab until the focused element satisfies ``predicate_js`` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate_js})(document.activeElement)"):
            return True
    return False


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_keyboard_only_reflection(new_page, voila_url, lesson):
    """With the keyboard alone (Tab, typing, Enter), can a visitor write and save the lesson's reflection?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, lesson_url(voila_url, lesson.filename.removesuffix(".ipynb")))
    page.locator("body").click(position={"x": 2, "y": 2})
    count = page.get_by_placeholder("Write your answer here.").count()
    assert count >= 1
    for _ in range(count):  # reach the last prompt on the page
        assert tab_until(page, PROMPT_BOX)
    page.keyboard.type("Written with the keyboard only")
    assert tab_until(page, SAVE_BUTTON, limit=5)
    page.keyboard.press("Enter")
    page.get_by_text("Saved to your journal").last.wait_for(timeout=30_000)


def test_a_self_check_works_from_the_keyboard(new_page, voila_url):
    """Can a visitor start lesson 01's self-check, answer by keyboard and get feedback on each answer?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, lesson_url(voila_url, LESSONS[1].filename.removesuffix(".ipynb")))
    page.locator("body").click(position={"x": 2, "y": 2})
    assert tab_until(page, "el => el.textContent.startsWith('Start the self-check')")
    page.keyboard.press("Enter")
    first = page.get_by_role("combobox", name="Answer 1", exact=True)
    first.wait_for(timeout=30_000)
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'SELECT'")
    page.keyboard.press("ArrowDown")  # the first approach, whatever the key says
    assert tab_until(page, "el => el.textContent === 'Check my answers'")
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"You got \d+ of \d+ right")).wait_for(timeout=30_000)
    assert page.locator("text=✓").count() + page.locator("text=✗").count() >= 1
    screenshot(page, "selfcheck-lesson-01-checked")


def pdf_pages(pdf: bytes) -> int:
    """The number of pages in a PDF that Chromium wrote (each page object is /Type /Page)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_lesson_prints_whole_without_navigation_or_buttons(new_page, voila_url):
    """In a PDF, does a long lesson run over several pages (not cut at one screen), without nav or buttons?"""
    page = new_page(viewport=WIDE)
    lesson = LESSONS[5]  # a sigh of relief: long text, sliders and a chart
    open_lesson(page, lesson_url(voila_url, lesson.filename.removesuffix(".ipynb")))
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, as the browser lays out a print
    assert not page.locator("nav.ck-lesson-nav--top").is_visible()
    assert not page.get_by_role("button", name="Delete my data").is_visible()
    assert page.locator(".ck-chart img").first.is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    (screenshot(page, "lesson-05-print").parent / "lesson-05-print.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) >= 4, "the printed lesson is cut short (Voila's scrolling box?)"


def test_the_journal_export_prints_cleanly(new_page):
    """Does the journal's printable page print the learner's entries, escaped, on A4 without cutting them?"""
    from coachkit.journal import Journal, MemoryJournalStore

    journal = Journal(store=MemoryJournalStore())
    long_answer = "I will ask before I tell. " * 200
    journal.add(
        kind="reflection", lesson="03-role-play", data={"what": long_answer, "so_what": "<b>bold?</b>"}
    )
    page = new_page(viewport=WIDE)
    page.set_content(journal.export_html())
    page.emulate_media(media="print")
    text = page.inner_text("body")
    assert "<b>bold?</b>" in text and "I will ask before I tell." in text
    assert not scrolls_sideways(page)
    pdf = page.pdf(format="A4")
    assert pdf_pages(pdf) >= 2, "a long entry should flow onto a second page"
    screenshot(page, "journal-export-print")

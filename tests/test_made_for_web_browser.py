"""The web app reads as made for the web (issue 18), in a real browser: lesson 03 starts with practising
alone and a facilitator's link to the group part; the situation written in lesson 00 reaches the GROW planner
and the action plan through the browser-kept journal; at 390 px answer dropdowns keep to the text's column.
Screenshots go to test-artifacts/screenshots/ (web-*.png) for a person to look at."""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS, NARROW, WIDE, lesson_url, open_lesson, screenshot, scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SITUATION = "Tom asks me to check every spreadsheet before it goes out, and I always say yes."
GROUP_TOOLS = (".ck-scenario-picker", ".ck-triad-builder", ".ck-round-timer", ".ck-observer-tally")


def element_screenshot(page, locator, name: str) -> None:
    """One widget, whole: Voila scrolls inside #rendered_cells, so the window grows to the content first."""
    viewport = page.viewport_size
    height = page.evaluate("() => (document.querySelector('#rendered_cells') || document.body).scrollHeight")
    tall = min(max(height, viewport["height"]), 16000)
    page.set_viewport_size({"width": viewport["width"], "height": tall})
    try:
        locator.screenshot(path=str(ARTIFACTS / "screenshots" / f"{name}.png"))
    finally:
        page.set_viewport_size(viewport)


def test_lesson_03_starts_with_practice_alone_and_links_the_group_part(new_page, voila_url):
    """Does lesson 03 show the scripted coachee before every group tool, and does the facilitator's link
    scroll to the group part's heading?"""
    for viewport, name in ((WIDE, "web-l03-top-wide"), (NARROW, "web-l03-top-390")):
        page = new_page(viewport=viewport)
        open_lesson(page, lesson_url(voila_url, "03-role-play"))
        headings = page.evaluate("() => [...document.querySelectorAll('h2')].map(h => h.id)")
        alone = headings.index("Practise-alone-with-a-scripted-coachee")
        assert alone == headings.index("What-you-will-be-able-to-do") + 1, headings
        assert alone < headings.index("Feedback-and-coaching") < headings.index("Practise-in-groups-of-three")
        after = page.evaluate(
            """(tools) => {
              const practice = document.querySelector('.ck-practice-conversation');
              return tools.map(tool => !!(practice.compareDocumentPosition(document.querySelector(tool))
                & Node.DOCUMENT_POSITION_FOLLOWING));
            }""",
            list(GROUP_TOOLS),
        )
        assert all(after), dict(zip(GROUP_TOOLS, after, strict=True))
        assert not scrolls_sideways(page)
        page.screenshot(path=str(screenshot(page, name).with_name(f"{name}-viewport.png")))
        link = page.get_by_role("link", name="Practise in groups of three")
        assert link.get_attribute("href") == "#Practise-in-groups-of-three"
        link.click()
        page.wait_for_function(
            """() => { const top = document.getElementById('Practise-in-groups-of-three')
                         .getBoundingClientRect().top;
                       return top >= 0 && top < window.innerHeight; }""",
            timeout=10_000,
        )


def test_the_lesson_00_situation_prefills_the_planners_in_the_web_app(new_page, voila_url):
    """Written and saved in lesson 00 (the journal in this browser), is the situation in the GROW planner's
    own-situation box and the action plan's 'Which conversation' box, editable?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, lesson_url(voila_url, "00-start-here"))
    prompt = page.locator(".ck-journal-prompt-box").first
    prompt.locator("textarea").fill(SITUATION)
    prompt.get_by_role("button", name="Save to my journal").click()
    prompt.get_by_text("Saved to your journal", exact=False).wait_for(timeout=30_000)

    for viewport, name in ((WIDE, "web-grow-prefilled-wide"), (NARROW, "web-grow-prefilled-390")):
        page.set_viewport_size(viewport)
        open_lesson(page, lesson_url(voila_url, "02-coaching-conversation"))
        planner = page.locator(".ck-grow-planner")
        page.wait_for_function(
            "(text) => document.querySelector('.ck-grow-planner textarea').value === text",
            arg=SITUATION,
            timeout=30_000,
        )
        planner.get_by_text("you described in lesson 00", exact=False).wait_for(timeout=10_000)
        assert not scrolls_sideways(page)
        screenshot(page, name)
        element_screenshot(page, planner, f"{name}-planner")

    page.set_viewport_size(WIDE)
    open_lesson(page, lesson_url(voila_url, "07-whats-keeping-you"))
    page.wait_for_function(
        "(text) => document.querySelector('.ck-action-plan textarea').value === text",
        arg=SITUATION,
        timeout=30_000,
    )
    conversation = page.locator(".ck-action-plan textarea").first
    conversation.fill("Our Thursday one-to-one")  # editable like any box (last: leaving would ask first)
    assert conversation.input_value() == "Our Thursday one-to-one"


def test_at_390px_answer_dropdowns_keep_to_the_text(new_page, voila_url):
    """On a phone-sized window, do the self-check's answer dropdowns end where the lesson's text ends (not
    nearer the screen's edge), with nothing to scroll sideways?"""
    page = new_page(viewport=NARROW)
    open_lesson(page, lesson_url(voila_url, "01-coaching-or-telling"))
    for button in page.get_by_role("button", name="Start the self-check").all():
        button.click()
    page.wait_for_selector("select", timeout=30_000)
    edges = page.evaluate(
        """() => ({
          selects: [...document.querySelectorAll('.ck-lesson select')].filter(e => e.offsetParent)
                     .map(e => e.getBoundingClientRect().right),
          prose: Math.max(...[...document.querySelectorAll('.jp-RenderedMarkdown p')]
                     .map(e => e.getBoundingClientRect().right)),
        })"""
    )
    assert edges["selects"], "no answer dropdowns on the page"
    assert max(edges["selects"]) <= edges["prose"] + 4, edges
    assert not scrolls_sideways(page)
    page.locator("select").first.scroll_into_view_if_needed()
    shot = screenshot(page, "web-selfcheck-390")
    page.screenshot(path=str(shot.with_name("web-selfcheck-390-viewport.png")))


LAB_TOKEN = "made-for-web-test"


@pytest.fixture(scope="module")
def lab_lesson_00(tmp_path_factory):
    """JupyterLab on a free port over a copy of lesson 00 (nothing in the repository is saved over)."""
    import shutil

    from conftest import REPO, jupyterlab

    root = tmp_path_factory.mktemp("made-for-web-lab")
    shutil.copy(REPO / "lessons" / "00-start-here.ipynb", root / "00-start-here.ipynb")
    with jupyterlab(root, LAB_TOKEN, "made-for-web-lab") as base:
        yield f"{base}lab/tree/00-start-here.ipynb?token={LAB_TOKEN}"


def test_jupyterlab_shows_the_notebook_text_and_folds_the_web_text(browser, lab_lesson_00):
    """In JupyterLab, is a jupyterlab-only paragraph shown and each web-only paragraph folded away?"""
    context = browser.new_context(viewport={"width": 1280, "height": 3000})
    try:
        page = context.new_page()
        page.goto(lab_lesson_00, timeout=180_000)
        page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput", timeout=180_000)
        rendered = page.locator(".jp-Notebook .jp-MarkdownOutput")
        rendered.filter(has_text="If you open the lessons in JupyterLab").wait_for(timeout=60_000)
        # JupyterLab renders the cells further down a moment later
        rendered.filter(has_text="On your own computer or your own JupyterLab").wait_for(timeout=60_000)
        for web_text in ("The same lessons also open as notebooks", "On this web page,"):
            shown = rendered.filter(has_text=web_text)
            assert shown.count() == 0 or not shown.first.is_visible(), web_text
        page.wait_for_function(  # the folded web-only cells
            "() => document.querySelectorAll('.jp-Notebook .jp-InputPlaceholder').length >= 2", timeout=30_000
        )
        page.screenshot(path=str(ARTIFACTS / "screenshots" / "web-only-folded-in-jupyterlab.png"))
    finally:
        context.close()

"""The role-play tools in a real Voila page: the timer ticks to time-up in the browser; text stays text."""

import re
from pathlib import Path

import pytest
from conftest import (
    NARROW,
    notebook_site_fixture,
    open_lesson,
    screenshot,
    scrolls_sideways,
    serious_accessibility_problems,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE = Path(__file__).parent / "notebooks" / "93-roleplay-fixture.ipynb"
XSS = "<img src=x onerror=alert(1)>"

fixture_url = notebook_site_fixture(FIXTURE, log_name="roleplay-voila")


def test_timer_ticks_to_zero_and_shows_time_up(fixture_page):
    """Does Start make the digits count down in the browser to 0:00, with 'Time is up' in text, colour and
    an aria-live announcement; and does the tally still answer while the clock runs (kernel not blocked)?"""
    page = fixture_page
    timer = page.locator(".ck-timer")
    digits = timer.locator(".ck-timer-digits")
    assert digits.inner_text() == "0:03"
    background_before = timer.evaluate("el => getComputedStyle(el).backgroundColor")
    page.get_by_role("button", name="Start the timer").click()
    page.wait_for_function(
        "() => ['0:02', '0:01'].includes(document.querySelector('.ck-timer-digits').textContent)",
        timeout=5_000,
    )
    page.get_by_role("button", name=re.compile("^Open question")).click()
    page.get_by_role("button", name="Open question: 1").wait_for(timeout=10_000)
    page.wait_for_selector(".ck-timer.ck-timer--up", timeout=10_000)
    assert digits.inner_text() == "0:00"
    assert "Time is up" in timer.locator(".ck-timer-phase").inner_text()
    assert "Time is up" in timer.locator("[aria-live]").inner_text()
    assert timer.evaluate("el => getComputedStyle(el).backgroundColor") != background_before
    assert page.get_by_role("button", name="Pause the timer").is_disabled()
    screenshot(page, "roleplay-timer-time-up")
    page.get_by_role("button", name="Start debrief timer").click()
    assert timer.locator(".ck-timer-phase").inner_text() == "Debrief"
    page.wait_for_selector(".ck-timer.ck-timer--up", timeout=10_000)
    assert "rotate roles" in timer.locator(".ck-timer-status").inner_text()
    page.get_by_role("button", name="Reset the timer to the start of a round").click()
    assert digits.inner_text() == "0:03" and timer.locator(".ck-timer-phase").inner_text() == "Round"


def test_tally_triads_and_scenarios_in_the_page(fixture_page):
    """Do a hostile note, a hostile name and a card show as text, the chart and table render, the coachee's
    brief stay hidden until asked, and axe-core find no serious accessibility problem?"""
    page = fixture_page
    page.get_by_role("button", name=re.compile("^Leading question")).click()
    page.get_by_label("Note").fill(XSS)
    page.get_by_role("button", name="Add note").click()
    page.locator(".ck-tally-notes", has_text=XSS).wait_for(timeout=10_000)
    page.get_by_role("button", name="Show summary").click()
    page.locator(".ck-tally-summary img, .ck-chart img").first.wait_for(timeout=20_000)
    assert "One thing to try" in page.locator(".ck-tally-summary").inner_text()

    page.get_by_label("Names").fill("\n".join(["Ana", "Ben", XSS, "Dee", "Eli", "Fay", "Gus"]))
    page.get_by_role("button", name="Make groups").click()
    table = page.locator("table.ck-triads").first
    table.wait_for(timeout=10_000)
    assert "group of four" in page.locator(".ck-triad-note").inner_text()
    assert page.locator("table.ck-triads").count() == 4
    assert page.locator("table.ck-triads", has_text=XSS).count() == 4

    page.get_by_role("button", name="Draw one at random").click()
    page.locator(".ck-scenario-card").wait_for(timeout=10_000)
    assert page.locator(".ck-scenario-coachee").count() == 0
    page.get_by_role("button", name="Show the coachee's brief").click()
    page.locator(".ck-scenario-coachee").wait_for(timeout=10_000)
    assert "What you hold back" in page.locator(".ck-scenario-coachee").inner_text()
    screenshot(page, "roleplay-tools")
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    problems = serious_accessibility_problems(page)
    assert not problems, "\n".join(problems)


def test_tools_fit_a_phone(new_page, fixture_url):
    """On a phone-sized screen, with groups built from long names, does the page avoid scrolling sideways?"""
    page = new_page(NARROW)
    open_lesson(page, fixture_url)
    long_names = [f"Maximiliana Oyelaran-Featherstonehaugh {n}" for n in range(8)]
    page.get_by_label("Names").fill("\n".join(long_names))
    page.get_by_role("button", name="Make groups").click()
    page.locator("table.ck-triads").first.wait_for(timeout=10_000)
    screenshot(page, "roleplay-tools-phone")
    assert not scrolls_sideways(page)

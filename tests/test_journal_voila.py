"""The journal in a real Voila page: saved reflections survive a reload, stay text, stay in one browser."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import NARROW, REPO, WIDE, open_lesson, screenshot, scrolls_sideways, web_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE = Path(__file__).parent / "notebooks" / "90-journal-fixture.ipynb"
XSS = "<img src=x onerror=alert(1)>"
STORAGE_KEY = "coachkit.journal.v1"


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory):
    """A web app whose lessons/ folder holds only the journal fixture notebook; its page address."""
    root = tmp_path_factory.mktemp("journal-site")
    (root / "lessons").mkdir()
    (root / "assets").mkdir()
    shutil.copy(FIXTURE, root / "lessons" / FIXTURE.name)
    shutil.copy(REPO / "voila.json", root / "voila.json")
    with web_app(root=root, env={"COACHKIT_JOURNAL_STORE": "browser"}, log_name="journal-voila") as server:
        yield f"{server.url}voila/render/lessons/{FIXTURE.name}"


def reload_lesson(page, timeout: float = 120_000) -> None:
    """Reload the page the way a visitor does, and wait as open_lesson does (without navigating twice)."""
    page.reload(wait_until="domcontentloaded", timeout=timeout)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout)
    page.wait_for_function("() => !document.querySelector('#loading')", timeout=timeout)
    page.wait_for_selector(".jupyter-widgets", timeout=timeout)


def stored_journal(page) -> dict:
    raw = page.evaluate(f"() => window.localStorage.getItem('{STORAGE_KEY}')")
    return json.loads(raw) if raw else {}


def wait_for_count(page, count: int) -> None:
    """Wait until the journal bar has heard from the browser and shows ``count`` entries."""
    noun = "entry" if count == 1 else "entries"
    try:
        page.locator(".ck-journal-summary", has_text=f"It has {count} {noun}.").wait_for(timeout=60_000)
    except Exception:
        summaries = page.locator(".ck-journal-summary").all_inner_texts()
        screenshot(page, "journal-count-timeout")
        raise AssertionError(f"expected {count} {noun}; the bar says {summaries}") from None


def save_reflection(page, text: str) -> None:
    page.get_by_label("Coach", exact=True).check()
    page.get_by_label("What?", exact=True).fill(text)
    page.get_by_label("So what?", exact=True).fill(text)
    page.get_by_label("Now what?", exact=True).fill("Ask, then wait 😀")
    page.get_by_role("button", name="Save my reflection").click()
    page.get_by_text("Your reflection is saved in your journal").wait_for(timeout=30_000)


def test_reflection_survives_a_reload(new_page, fixture_url):
    """Is a reflection typed and saved in the page still in the journal after the page is reloaded?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, fixture_url)
    wait_for_count(page, 0)
    save_reflection(page, "I interrupted twice.\nNext time I wait.")
    wait_for_count(page, 1)
    [entry] = stored_journal(page)["entries"]
    assert entry["kind"] == "reflection" and entry["lesson"] == "03-role-play"
    assert entry["data"]["what"] == "I interrupted twice.\nNext time I wait."
    reload_lesson(page)
    wait_for_count(page, 1)
    assert stored_journal(page)["entries"] == [entry]
    listed = page.locator(".ck-reflection-form .ck-journal-saved")
    listed.wait_for(timeout=30_000)
    assert "as coach" in listed.inner_text() and "I interrupted twice." in listed.inner_text()
    screenshot(page, "journal-after-reload")
    page.set_viewport_size(NARROW)
    assert not scrolls_sideways(page), "the journal widgets make the page scroll sideways at 390 px"
    screenshot(page, "journal-after-reload-narrow")


def test_xss_payload_shows_as_text_and_no_dialog_fires(new_page, fixture_url):
    """Typed into every text field, does the payload show as text, make no element, and open no dialog?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, fixture_url)
    wait_for_count(page, 0)
    save_reflection(page, XSS)
    page.get_by_placeholder("Write your answer here.").fill(XSS)
    page.get_by_role("button", name="Save to my journal").click()
    page.get_by_text("Saved to your journal").wait_for(timeout=30_000)
    saved = page.locator(".ck-journal-prompt-box .ck-journal-saved")
    saved.wait_for(timeout=30_000)
    assert XSS in saved.inner_text()
    reload_lesson(page)
    wait_for_count(page, 2)
    assert XSS in page.locator(".ck-journal-prompt-box .ck-journal-saved").inner_text()
    page.get_by_role("link", name="Printable page (HTML)").wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # give a dialog, if any, the chance to fire
    assert page.locator("img[src='x']").count() == 0
    assert page.watch.dialogs == []
    screenshot(page, "journal-xss-as-text")


def test_two_browser_contexts_do_not_share_a_journal(new_page, fixture_url):
    """Do two visitors (separate browser contexts) on the same server each see only their own journal?"""
    first, second = new_page(viewport=WIDE), new_page(viewport=WIDE)
    open_lesson(first, fixture_url)
    wait_for_count(first, 0)
    save_reflection(first, "Only the first visitor wrote this.")
    wait_for_count(first, 1)
    open_lesson(second, fixture_url)
    wait_for_count(second, 0)
    assert "Only the first visitor" not in second.inner_text("body")
    assert stored_journal(second) in ({}, {"schema": 1, "entries": []})
    second.get_by_placeholder("Write your answer here.").fill("Second visitor's note.")
    second.get_by_role("button", name="Save to my journal").click()
    wait_for_count(second, 1)
    reload_lesson(first)
    wait_for_count(first, 1)
    assert [e["data"].get("what") for e in stored_journal(first)["entries"]] == [
        "Only the first visitor wrote this."
    ]


def test_two_tabs_of_one_visitor_lose_nothing(new_page, fixture_url):
    """Do two tabs of the same browser saving one after the other keep both entries?"""
    first = new_page(viewport=WIDE)
    second = first.context.new_page()
    open_lesson(first, fixture_url)
    open_lesson(second, fixture_url)
    wait_for_count(first, 0)
    wait_for_count(second, 0)
    save_reflection(first, "From the first tab.")
    second.get_by_placeholder("Write your answer here.").fill("From the second tab.")
    second.get_by_role("button", name="Save to my journal").click()
    wait_for_count(second, 2)
    wait_for_count(first, 2)  # the storage event told the first tab
    assert len(stored_journal(first)["entries"]) == 2
    second.close()


def test_export_download_import_elsewhere_and_delete(new_page, fixture_url, tmp_path):
    """Can a visitor download the journal, import the file in another browser, and delete their data?"""
    from conftest import serious_accessibility_problems

    first = new_page(viewport=WIDE)
    open_lesson(first, fixture_url)
    wait_for_count(first, 0)
    save_reflection(first, "Carried to another computer.")
    wait_for_count(first, 1)
    assert serious_accessibility_problems(first) == []
    with first.expect_download() as download_info:
        first.get_by_role("link", name="Download my journal (Markdown)").click()  # one click
    download = download_info.value
    assert download.suggested_filename == "coachkit-journal.md"
    saved = tmp_path / "coachkit-journal.md"
    download.save_as(saved)
    assert "Carried to another computer." in saved.read_text(encoding="utf-8")

    second = new_page(viewport=WIDE)
    open_lesson(second, fixture_url)
    wait_for_count(second, 0)
    with second.expect_file_chooser() as chooser_info:
        second.get_by_role("button", name="Import a journal file").click()
    chooser_info.value.set_files(str(saved))
    second.get_by_text("Imported 1 entry").wait_for(timeout=30_000)
    wait_for_count(second, 1)
    assert stored_journal(second)["entries"] == stored_journal(first)["entries"]

    second.get_by_role("button", name="Delete my data").click()
    second.get_by_role("button", name="Yes, delete everything").click()
    wait_for_count(second, 0)
    assert stored_journal(second) == {"schema": 1, "entries": []}
    wait_for_count(first, 1)  # the other visitor's journal is untouched


def test_damaged_browser_journal_is_kept_aside_and_saving_works(new_page, fixture_url):
    """Is garbage under the journal's key kept aside with a message, do saves work, does delete clear it?"""
    page = new_page(viewport=WIDE)
    open_lesson(page, fixture_url)
    wait_for_count(page, 0)
    page.evaluate(f"() => window.localStorage.setItem('{STORAGE_KEY}', '{{ not json')")
    reload_lesson(page)
    page.get_by_text("has been kept aside in this browser's storage").wait_for(timeout=60_000)
    kept = page.evaluate(
        "() => Object.keys(window.localStorage).filter(k => k.startsWith('coachkit.journal.corrupt-'))"
    )
    assert len(kept) == 1
    assert page.evaluate(f"() => window.localStorage.getItem('{kept[0]}')") == "{ not json"
    page.get_by_placeholder("Write your answer here.").fill("Saved after the damage.")
    page.get_by_role("button", name="Save to my journal").click()
    wait_for_count(page, 1)
    page.get_by_role("button", name="Delete my data").click()
    page.get_by_role("button", name="Yes, delete everything").click()
    wait_for_count(page, 0)
    keys = page.evaluate(
        "() => Object.keys(window.localStorage).filter(k => k.startsWith('coachkit.journal'))"
    )
    # the journal, and the export the landing page downloads (made from the now empty journal)
    assert sorted(keys) == ["coachkit.journal.export.v1", STORAGE_KEY]

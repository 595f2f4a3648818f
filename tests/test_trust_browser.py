"""A page you can trust (issue 18), in headless Chromium against the real web app:

the connection watch (the server stopped and restarted on the same port under an open page), drafts kept
in the visitor's browser and restored on reload, and the warning before leaving unsaved text.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import ARTIFACTS, REPO, WIDE, kill_leftovers, open_lesson, screenshot

from tests.webapp_harness import free_port, kernel_processes, start_web_app, stop_process, wait_for_http

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE = Path(__file__).parent / "notebooks" / "94-trust-fixture.ipynb"
SCREENS = Path("/work/notes/screens")
DRAFTS_KEY = "coachkit.drafts.v1"
LESSON = FIXTURE.stem
# What Chromium logs while the server is away: the kernel socket's reconnects and the page's probes.
OFFLINE_NOISE = ("ERR_CONNECTION_REFUSED", "WebSocket", "Failed to load resource", "Failed to fetch")


class Server:
    """A coachkit-web on a fixed port that a test can stop and start again on that same port."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.url = f"http://127.0.0.1:{port}/"
        self.process = None
        self.kernels: list = []
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        ARTIFACTS.mkdir(exist_ok=True)
        log = ARTIFACTS / f"trust-{self.port}-{self.starts}.log"
        app = str(Path(sys.executable).parent / "coachkit-web")
        env = {"COACHKIT_ROOT": str(self.root), "COACHKIT_JOURNAL_STORE": "browser"}
        self.process = start_web_app([app], self.port, log, cwd=REPO, env=env)
        wait_for_http(self.url, process=self.process)

    def stop(self) -> None:
        if self.process is None:
            return
        kernels = [kernel.pid for kernel in kernel_processes(self.process.pid)]
        stop_process(self.process)
        kill_leftovers(kernels)
        self.process = None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("trust-site")
    (root / "lessons").mkdir()
    (root / "assets").mkdir()
    shutil.copy(FIXTURE, root / "lessons" / FIXTURE.name)
    shutil.copy(REPO / "voila.json", root / "voila.json")
    running = Server(root, free_port())
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def visitor(browser):
    """A page in a fresh browser context that records console errors and accepts the leave warning."""
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.errors, page.dialogs = [], []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))

    def on_dialog(dialog):
        page.dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", on_dialog)
    yield page
    context.close()


def lesson_address(server: Server) -> str:
    return f"{server.url}voila/render/lessons/{FIXTURE.name}"


def wait_until_alive(page) -> None:
    """The journal bar has heard from the browser's storage: the kernel and the page are talking."""
    page.locator(".ck-journal-summary", has_text="It has").wait_for(timeout=60_000)


def drafts(page) -> dict:
    raw = page.evaluate(f"() => window.localStorage.getItem('{DRAFTS_KEY}')")
    return json.loads(raw).get(LESSON, {}) if raw else {}


def shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = screenshot(page, name)
    shutil.copy(path, SCREENS / f"{name}.png")


def test_connection_lost_banner_stale_marks_and_recovery(visitor, server):
    """With the server stopped under an open page: a banner within seconds, stale marks, disabled buttons;
    typing still goes into a draft; once the server is back on the same port, a reload revives the page."""
    page = visitor
    open_lesson(page, lesson_address(server))
    wait_until_alive(page)
    box = page.get_by_placeholder("Write your answer here.")
    box.fill("Saved before the outage.")
    page.get_by_role("button", name="Save to my journal").click()
    page.locator(".ck-status[data-ck-saved]", has_text="Saved to your journal.").wait_for(timeout=30_000)

    server.stop()
    stopped = time.monotonic()
    banner = page.locator("#ck-connection")
    banner.wait_for(state="visible", timeout=15_000)
    waited = time.monotonic() - stopped
    assert waited < 10, f"the banner took {waited:.1f} s"
    assert "Connection lost: reload the page; your journal is safe in this browser" in banner.inner_text()
    assert page.get_by_role("button", name="Save to my journal").is_disabled()
    assert page.get_by_role("button", name="Save my reflection").is_disabled()
    stale = page.locator(".ck-stale", has_text="Saved to your journal.")
    assert stale.count() == 1 and "May be out of date" in stale.inner_text()
    # text boxes stay usable, and what is typed now is kept in this browser
    box.click()
    box.fill("Typed while the server was away.")
    assert drafts(page)["Your answer #1"]["value"] == "Typed while the server was away."
    shot(page, "trust-connection-lost")

    server.start()
    page.locator("#ck-connection[data-state='back']").wait_for(timeout=30_000)
    assert "server is back" in banner.inner_text()
    page.get_by_role("button", name="Reload the page").click()
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    page.wait_for_function("() => !document.querySelector('#loading')", timeout=120_000)
    wait_until_alive(page)
    assert page.locator("#ck-connection").count() == 0
    page.get_by_placeholder("Write your answer here.").wait_for()
    page.wait_for_function(
        "() => document.querySelector('textarea[placeholder=\"Write your answer here.\"]').value"
        " === 'Typed while the server was away.'",
        timeout=15_000,
    )
    assert page.dialogs == []  # the banner's reload keeps the draft, so it does not ask
    page.get_by_role("button", name="Save to my journal").click()
    page.locator(".ck-status[data-ck-saved]", has_text="Saved to your journal.").wait_for(timeout=30_000)
    assert "It has 2 entries." in page.locator(".ck-journal-summary").inner_text()
    real = [e for e in page.errors if not any(noise in e for noise in OFFLINE_NOISE)]
    assert real == []


def test_a_draft_comes_back_after_a_reload_and_goes_once_saved(visitor, server):
    """Is unsaved text restored after a reload (with a note saying so), and its draft dropped once saved?"""
    page = visitor
    open_lesson(page, lesson_address(server))
    wait_until_alive(page)
    page.get_by_label("What?", exact=True).click()
    page.get_by_label("What?", exact=True).fill("She solved it herself.\nI kept quiet.")
    page.get_by_placeholder("Write your answer here.").fill("Half a thought")
    assert set(drafts(page)) == {"What? #1", "Your answer #1"}
    page.reload(wait_until="domcontentloaded")
    assert page.dialogs == ["beforeunload"]
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    page.wait_for_function("() => !document.querySelector('#loading')", timeout=120_000)
    wait_until_alive(page)
    what = page.get_by_label("What?", exact=True)
    page.wait_for_function(
        "() => [...document.querySelectorAll('textarea')]"
        ".some(t => t.value === 'She solved it herself.\\nI kept quiet.')",
        timeout=15_000,
    )
    assert what.input_value() == "She solved it herself.\nI kept quiet."
    assert page.get_by_placeholder("Write your answer here.").input_value() == "Half a thought"
    assert page.locator(".ck-draft-note").count() == 2
    shot(page, "trust-restored-draft")
    # the restored text reached the lesson: saving it saves what is in the box
    page.get_by_role("button", name="Save to my journal").click()
    page.locator(".ck-status[data-ck-saved]", has_text="Saved to your journal.").wait_for(timeout=30_000)
    assert "Half a thought" in page.locator(".ck-journal-prompt-box .ck-journal-saved").inner_text()
    assert set(drafts(page)) == {"What? #1"}
    assert [e for e in page.errors] == []


def test_leaving_with_unsaved_text_asks_and_saved_text_does_not(visitor, server):
    """Does leaving a page with typed, unsaved text ask first, and leaving after the save not ask?"""
    page = visitor
    open_lesson(page, lesson_address(server))
    wait_until_alive(page)
    leave = server.url
    page.get_by_placeholder("Write your answer here.").click()
    page.get_by_placeholder("Write your answer here.").fill("Not saved yet")
    page.get_by_role("button", name="Save to my journal").click()
    page.locator(".ck-status[data-ck-saved]").wait_for(timeout=30_000)
    page.goto(leave)
    assert page.dialogs == [], "a saved form asked before leaving"
    open_lesson(page, lesson_address(server))
    wait_until_alive(page)
    page.get_by_label("Now what?", exact=True).click()
    page.get_by_label("Now what?", exact=True).fill("Ask, then wait")
    page.goto(leave)
    assert page.dialogs == ["beforeunload"]
    assert page.errors == []


def test_the_observer_tally_comes_back_after_a_reload(visitor, server):
    """Are the tally's counts and notes restored after a reload mid-round, and saved from there?"""
    page = visitor
    open_lesson(page, lesson_address(server))
    wait_until_alive(page)
    for _ in range(3):
        page.get_by_role("button", name="Open question: ", exact=False).click()
    page.get_by_role("button", name="Silence given: 0").click()
    page.get_by_role("button", name="Silence given: 1").wait_for()
    page.get_by_label("Note", exact=True).fill("What would help?")
    page.get_by_role("button", name="Add note").click()
    page.locator(".ck-tally-notes").wait_for()
    page.wait_for_function(
        f"() => (JSON.parse(localStorage.getItem('{DRAFTS_KEY}') || '{{}}')['{LESSON}'] || {{}})"
        "['Observer tally draft #1']",
        timeout=30_000,
    )
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    page.wait_for_function("() => !document.querySelector('#loading')", timeout=120_000)
    wait_until_alive(page)
    page.get_by_role("button", name="Open question: 3").wait_for(timeout=15_000)
    assert page.get_by_role("button", name="Silence given: 1").count() == 1
    assert "What would help?" in page.locator(".ck-tally-notes").inner_text()
    assert "from before the page was reloaded are back" in page.locator(".ck-observer-tally").inner_text()
    page.get_by_role("button", name="Save to journal", exact=True).click()
    page.locator(".ck-observer-tally .ck-status[data-ck-saved]").wait_for(timeout=30_000)
    [entry] = json.loads(page.evaluate("() => localStorage.getItem('coachkit.journal.v1')"))["entries"]
    assert entry["data"]["open_questions"] == 3 and entry["data"]["note_1"] == "What would help?"
    page.wait_for_timeout(1500)  # a saved tally is no draft, and nothing writes it back
    assert "Observer tally draft #1" not in drafts(page)
    assert page.errors == []


def test_a_huge_import_is_refused_in_the_browser_and_the_page_lives_on(visitor, server, tmp_path):
    """Is a 100 MB file chosen for import refused before it is sent, with its size, the page alive?"""
    page = visitor
    open_lesson(page, lesson_address(server))
    wait_until_alive(page)
    huge = tmp_path / "coachkit-journal.md"
    with open(huge, "wb") as handle:
        handle.truncate(100 * 1000 * 1000)  # a sparse 100 MB file
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import a journal file").click()
    chooser.value.set_files(str(huge))
    refusal = page.locator(".ck-upload-refused")
    refusal.wait_for(timeout=10_000)
    assert "100 MB" in refusal.inner_text() and "Nothing was imported" in refusal.inner_text()
    page.wait_for_timeout(3000)
    assert page.locator("#ck-connection").count() == 0  # the websocket was never asked to carry it
    page.get_by_placeholder("Write your answer here.").fill("Still alive.")
    page.get_by_role("button", name="Save to my journal").click()
    page.locator(".ck-status[data-ck-saved]", has_text="Saved to your journal.").wait_for(timeout=30_000)
    assert page.errors == []


def _without_export_time(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith("Exported on "))


def test_both_download_buttons_give_one_file_that_imports_back(browser, visitor, server, tmp_path):
    """Do the lesson bar's download (one click) and the landing page's download give the same file, made
    by the one exporter, and does each import back into another browser with every entry?"""
    page = visitor
    open_lesson(page, lesson_address(server))
    wait_until_alive(page)
    page.get_by_placeholder("Write your answer here.").fill("Taken away.")
    page.get_by_role("button", name="Save to my journal").click()
    page.locator(".ck-status[data-ck-saved]").wait_for(timeout=30_000)
    page.get_by_role("button", name="Open question: 0").click()
    page.get_by_role("button", name="Save to journal", exact=True).click()
    page.locator(".ck-observer-tally .ck-status[data-ck-saved]").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => (JSON.parse(localStorage.getItem('coachkit.journal.export.v1') || '{}').ids || [])"
        ".length === 2",
        timeout=30_000,
    )
    link = page.get_by_role("link", name="Download my journal (Markdown)")
    with page.expect_download() as bar_download:
        link.click()  # one click
    from_bar = tmp_path / "from-bar.md"
    bar_download.value.save_as(from_bar)
    assert bar_download.value.suggested_filename == "coachkit-journal.md"
    shot(page, "trust-one-click-export")

    page.goto(server.url)
    button = page.get_by_role("button", name="Download my journal (Markdown)")
    assert button.is_enabled()
    assert "One click saves coachkit-journal.md" in page.locator("#ck-journal-count").inner_text()
    with page.expect_download() as landing_download:
        button.click()
    from_landing = tmp_path / "from-landing.md"
    landing_download.value.save_as(from_landing)
    assert landing_download.value.suggested_filename == "coachkit-journal.md"
    bar_text, landing_text = from_bar.read_text("utf-8"), from_landing.read_text("utf-8")
    assert _without_export_time(bar_text) == _without_export_time(landing_text)
    assert "## Observer tally" in bar_text and "Taken away." in bar_text
    original = json.loads(page.evaluate("() => localStorage.getItem('coachkit.journal.v1')"))["entries"]

    for name, path in (("bar", from_bar), ("landing", from_landing)):
        context = browser.new_context(viewport=WIDE)
        other = context.new_page()
        try:
            open_lesson(other, lesson_address(server))
            wait_until_alive(other)
            with other.expect_file_chooser() as chooser:
                other.get_by_role("button", name="Import a journal file").click()
            chooser.value.set_files(str(path))
            other.get_by_text("Imported 2 entries").wait_for(timeout=30_000)
            imported = json.loads(other.evaluate("() => localStorage.getItem('coachkit.journal.v1')"))
            assert sorted(e["id"] for e in imported["entries"]) == sorted(e["id"] for e in original), name
        finally:
            context.close()
    assert page.errors == []


def test_an_empty_journal_shows_words_not_a_grey_button(visitor, server):
    """Does the landing page say the journal is empty instead of showing a download that looks broken?"""
    page = visitor
    page.goto(server.url)
    assert page.get_by_role("button", name="Download my journal (Markdown)").is_hidden()
    assert "empty so far" in page.locator("#ck-journal-count").inner_text()


def test_the_landing_page_shows_a_finished_course_and_links_each_exercise_to_its_self_check(
    new_page, voila_url
):
    """With every lesson opened and one self-check done twice, does the landing page say the course is
    finished, list the exercises in order with their latest result, and does an exercise link land on its
    self-check inside the lesson?"""
    from coachkit.course import catalog

    lessons = catalog.lessons()
    page = new_page(viewport=WIDE)
    page.goto(voila_url)
    visited = {lesson.filename.removesuffix(".ipynb"): "2026-11-30T10:00:00Z" for lesson in lessons}
    checks = [
        {
            "id": f"{n:032x}",
            "created": f"2026-11-30T10:0{n}:00+00:00",
            "kind": "selfcheck",
            "lesson": "a01-questions",
            "data": {"right": right, "total": 6},
        }
        for n, right in ((1, 3), (2, 5))
    ]
    page.evaluate(
        "([progress, journal]) => { localStorage.setItem('coachkit.progress.v1', JSON.stringify(progress));"
        " localStorage.setItem('coachkit.journal.v1', JSON.stringify(journal)); }",
        [{"visited": visited, "last": lessons[-1].filename[:-6]}, {"schema": 1, "entries": checks}],
    )
    page.reload()
    summary = page.locator("#ck-progress-summary")
    assert "You have finished the course" in summary.inner_text()
    assert page.locator("#ck-continue").is_hidden()
    items = page.locator(".ck-selfcheck-item")
    names = [items.nth(i).get_attribute("data-exercise") for i in range(items.count())]
    assert names == [name for lesson in lessons for name in lesson.selfchecks]
    first = page.locator(".ck-selfcheck-item[data-exercise='a01-questions']").first
    assert "Done: 5 of 6 right (checked 2 times)" in first.inner_text()
    other = next(i for i, name in enumerate(names) if name != "a01-questions")
    assert "Not done yet" in items.nth(other).inner_text()
    href = first.locator("a").get_attribute("href")
    assert href.endswith(".ipynb#ck-selfcheck-a01-questions")
    shot(page, "trust-landing-finished")
    first.locator("a").click()
    page.wait_for_selector("#ck-selfcheck-a01-questions", state="visible", timeout=120_000)
    page.wait_for_function(
        "() => { const r = document.getElementById('ck-selfcheck-a01-questions').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight / 2; }",
        timeout=30_000,
    )

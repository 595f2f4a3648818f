"""The facilitator page of the web app in a real browser: behind its key, a board round from two learners,
the full-screen timer through its phases, the triads and the scenario cards. Screenshots at 1920 x 1080."""

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, open_lesson, screenshot, serious_accessibility_problems, web_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURES = Path(__file__).parent / "notebooks"
LEARNER = "92-board-answer.ipynb"
KEY = "test-key-k7mq-2vxa"
PROJECTOR = {"width": 1920, "height": 1080}
SCREENS = Path("/work/notes/screens")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A web app whose lessons/ holds the learner's board fixture, with a board and a facilitator key."""
    root = tmp_path_factory.mktemp("facilitator-site")
    (root / "lessons").mkdir()
    shutil.copytree(REPO / "assets", root / "assets")
    shutil.copy(FIXTURES / LEARNER, root / "lessons" / LEARNER)
    shutil.copy(REPO / "voila.json", root / "voila.json")
    env = {
        "COACHKIT_BOARD_DIR": str(root / "board"),
        "COACHKIT_BOARD_URL": "",
        "COACHKIT_FACILITATOR_KEY": KEY,
    }
    with web_app(root=root, env=env, log_name="facilitator-voila") as server:
        yield server


def status_of(url: str, data: bytes | None = None, method: str = "GET") -> int:
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - 127.0.0.1
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def save(page, name: str) -> None:
    """A 1920 x 1080 screenshot in test-artifacts and, for people to look at, in /work/notes/screens/."""
    path = screenshot(page, name)
    if SCREENS.parent.is_dir():
        SCREENS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{name}.png"))
    assert path.exists()


def facilitator_page(new_page, site, panel: str = ""):
    page = new_page(viewport=PROJECTOR)
    page.goto(f"{site.url}coachkit/facilitator/?key={KEY}")
    page.wait_for_selector(".ck-room-bar")
    assert "key=" not in page.url  # the key leaves the address bar before anything is projected
    if panel:
        page.get_by_role("button", name=panel, exact=True).click()
    return page


def test_everything_but_the_key_page_is_refused_without_the_key(site, new_page):
    """Without the key: 403 for the page, the board's sessions, triads and cards; typing it lets you in."""
    base = f"{site.url}coachkit/facilitator/"
    assert status_of(base) == 403
    assert status_of(base + "?key=not-the-key") == 403
    assert status_of(base + "api/sessions") == 403
    assert status_of(base + "api/sessions", b'{"prompt": "x"}', "POST") == 403
    assert status_of(base + "scenarios") == 403
    assert status_of(base + "triads", b'{"names": "A\\nB"}', "POST") == 403
    # the kernels' own board API does not take the facilitator's cookie either
    assert status_of(f"{site.url}coachkit/board/api/sessions") == 401

    page = new_page(viewport=PROJECTOR)
    response = page.goto(base)
    assert response.status == 403
    assert page.locator(".ck-room-bar").count() == 0
    save(page, "room-key-page")
    page.get_by_label("Facilitator key").fill("wrong")
    page.get_by_role("button", name="Open the facilitator page").click()
    page.get_by_text("That key is not the one").wait_for()
    page.get_by_label("Facilitator key").fill(KEY.upper().replace("-", " "))
    page.get_by_role("button", name="Open the facilitator page").click()
    page.wait_for_selector(".ck-room-bar")
    assert page.get_by_text("Type this address in your browser").is_visible()
    assert page.locator(".ck-room-qr svg").count() == 1
    save(page, "room-join")
    assert serious_accessibility_problems(page) == []
    assert KEY not in page.content()  # the page never shows the key (it may be on a projector)
    # the two refusals above were meant: the browser logs each 403 document as a console error
    errors = page.watch.console_errors
    assert sum("status of 403" in m for m in errors) == 2
    errors[:] = [m for m in errors if "status of 403" not in m]


def test_a_board_round_from_two_learners_on_the_facilitator_page(site, new_page):
    """Two learners answer in their lessons; the answers appear live, large; a reload keeps the session;
    closing refuses answers; clearing empties the board; a poll shows as a chart."""
    facilitator = facilitator_page(new_page, site, "Group board")
    facilitator.get_by_label("Question").fill("What gets in the way of coaching in your week?")
    facilitator.get_by_role("button", name="Open session").click()
    code = facilitator.locator("#code")
    code.wait_for()
    session = code.inner_text().strip()
    assert len(session) == 5

    answers = ["Back-to-back meetings", "<b>Fixing it myself</b> is quicker"]
    for answer in answers:
        learner = new_page()
        open_lesson(learner, f"{site.url}voila/render/lessons/{LEARNER}")
        learner.get_by_label("Session code", exact=True).fill(session)
        learner.get_by_role("button", name="Join").click()
        learner.get_by_label("Your answer", exact=True).fill(answer)
        learner.get_by_role("button", name="Send answer").click()
        learner.get_by_text("your answer is on the board").wait_for(timeout=30_000)

    facilitator.locator("#total", has_text="2 answers").wait_for(timeout=30_000)
    shown = facilitator.locator(".ck-board-answers li").all_inner_texts()
    assert sorted(shown) == sorted(answers)
    assert facilitator.locator(".ck-board-answers b").count() == 0  # learner text is text
    first = facilitator.locator(".ck-board-answers li").first
    size = first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 28  # read from the back of a room at 1920 px
    save(facilitator, "room-facilitator-board-answers")
    assert serious_accessibility_problems(facilitator) == []

    facilitator.reload()
    facilitator.locator("#code", has_text=session).wait_for()
    facilitator.locator("#total", has_text="2 answers").wait_for(timeout=30_000)

    facilitator.get_by_role("button", name="Close session").click()
    facilitator.locator("#total", has_text="(closed)").wait_for()
    facilitator.get_by_role("button", name="Clear answers").click()
    facilitator.get_by_role("button", name="Yes, delete every answer").click()
    facilitator.locator("#total", has_text="0 answers").wait_for()

    facilitator.get_by_role("button", name="New session").click()
    facilitator.get_by_label("Answer type").select_option("poll")
    facilitator.get_by_label("Question").fill("Coach or tell, for a new starter's first task?")
    facilitator.get_by_label("Poll options (one a line, 2 to 8)").fill("Coach\nTell\nIt depends")
    facilitator.get_by_role("button", name="Open session").click()
    poll = facilitator.locator("#code")
    poll.wait_for()
    learner = new_page()
    open_lesson(learner, f"{site.url}voila/render/lessons/{LEARNER}")
    learner.get_by_label("Session code", exact=True).fill(poll.inner_text().strip())
    learner.get_by_role("button", name="Join").click()
    learner.get_by_label("It depends", exact=True).check()
    learner.get_by_role("button", name="Send answer").click()
    learner.get_by_text("your vote is on the board").wait_for(timeout=30_000)
    facilitator.locator("#total", has_text="1 answer").wait_for(timeout=30_000)
    assert facilitator.locator("#chart").is_visible()
    save(facilitator, "room-facilitator-board-poll")


def test_the_full_screen_timer_runs_set_up_round_and_debrief(site, new_page):
    """Minutes typed on the page; full screen; each phase ends with 'Time is up' and starts the next."""
    page = facilitator_page(new_page, site, "Round timer")
    save(page, "room-timer-setup")
    assert serious_accessibility_problems(page) == []
    for label in ("Set-up", "Round", "Debrief"):
        page.get_by_label(label, exact=True).fill("0.02")  # about a second each: the test hook is the minutes
    page.get_by_role("button", name="Full screen").click()
    stage = page.locator("#stage")
    assert "ck-room-stage--full" in stage.get_attribute("class")
    box = stage.bounding_box()
    assert box["width"] >= 1900 and box["height"] >= 1000  # the timer fills the projector
    phase = page.locator("#timer-phase")
    assert phase.inner_text() == "Set-up"

    page.get_by_role("button", name="Start", exact=True).click()
    phase.filter(has_text="Set-up: Time is up").wait_for(timeout=30_000)
    page.get_by_role("button", name="Start round").click()
    phase.filter(has_text="Round 1: Time is up").wait_for(timeout=30_000)
    page.get_by_role("button", name="Start debrief").click()
    phase.filter(has_text="Debrief: Time is up").wait_for(timeout=30_000)
    assert "Rotate roles" in page.locator("#timer-status").inner_text()
    assert "ck-timer--up" in page.locator("#room-timer").get_attribute("class")  # red, and said in words
    save(page, "room-timer-time-up")
    page.get_by_role("button", name="Start next round").click()
    phase.filter(has_text="Set-up").wait_for(timeout=30_000)
    page.get_by_role("button", name="Pause").click()

    # A readable screenshot: ten minutes of round, paused on the projector
    page.get_by_role("button", name="Leave full screen").click()
    page.get_by_role("button", name="Reset").click()
    page.get_by_label("Round", exact=True).fill("10")
    page.get_by_role("button", name="Next phase").click()
    page.get_by_role("button", name="Full screen").click()
    assert page.locator("#timer-digits").inner_text() == "10:00"
    assert page.locator("#timer-phase").inner_text() == "Round 1"
    save(page, "room-timer-fullscreen")
    page.keyboard.press("Escape")
    assert "ck-room-stage--full" not in stage.get_attribute("class")


def test_triads_for_the_room_and_cards_with_the_coachees_brief_hidden(site, new_page):
    """Twenty names make six groups on one screen; a card hides the coachee's brief until asked."""
    page = facilitator_page(new_page, site, "Triads")
    names = [f"Person {n}" for n in range(1, 21)] + ["<img src=x onerror=alert(1)>"]
    page.get_by_label("Names, one a line").fill("\n".join(names))
    page.get_by_role("button", name="Make groups").click()
    table = page.locator(".ck-room-triads")
    table.wait_for()
    assert table.locator("tbody tr").count() == 7  # 21 people: seven groups of three
    assert page.locator(".ck-room-triads img").count() == 0
    assert "<img src=x" in table.inner_text()
    assert page.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight + 1")
    save(page, "room-triads")
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Change the names").click()
    assert page.get_by_label("Names, one a line").is_visible()
    # forty people (thirteen groups, four rounds) still fit on the projector's screen
    page.get_by_label("Names, one a line").fill("\n".join(f"Manager {n}" for n in range(1, 41)))
    page.get_by_role("button", name="Make groups").click()
    table.locator("tbody tr").nth(12).wait_for()
    save(page, "room-triads-forty")
    assert page.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight + 1")

    page.get_by_role("button", name="Scenario cards", exact=True).click()
    page.locator("#card-title").wait_for()
    brief = page.locator("#card-coachee")
    assert not brief.is_visible()
    save(page, "room-scenario-card")
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Show the coachee's brief").click()
    assert brief.is_visible() and "For the coachee" in brief.inner_text()
    page.get_by_role("button", name="Draw at random").click()
    assert not brief.is_visible()  # a new card starts hidden again


def test_the_room_api_refuses_a_forged_post_without_the_pages_token(site):
    """With the cookie but without the page's XSRF token, the board refuses to open a session (no CSRF)."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    client = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    client.open(f"{site.url}coachkit/facilitator/?key={KEY}", timeout=30).read()
    request = urllib.request.Request(
        f"{site.url}coachkit/facilitator/api/sessions",
        data=json.dumps({"prompt": "Forged"}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.open(request, timeout=30)
    assert refused.value.code == 403


def test_the_landing_page_shows_the_facilitator_the_address_and_qr_code(site, new_page):
    """With the key's cookie the landing page shows the learners' address, its QR code and the page's link;
    a learner's landing page shows none of it."""
    facilitator = facilitator_page(new_page, site)
    facilitator.goto(site.url)
    box = facilitator.locator(".ck-room-box")
    box.wait_for()
    assert site.url in box.inner_text()
    assert box.locator("svg").count() == 1
    box.get_by_role("link", name="Open the facilitator page").click()
    facilitator.wait_for_selector(".ck-room-bar")

    learner = new_page()
    learner.goto(site.url)
    learner.locator(".ck-lesson-list").wait_for()
    assert learner.locator(".ck-room-box").count() == 0


def test_triads_say_what_is_wrong_with_the_names(site):
    """One name, or a name too long, is refused with a sentence for the facilitator (400), not a crash."""
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    client = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = client.open(f"{site.url}coachkit/facilitator/?key={KEY}", timeout=30).read().decode()
    xsrf = re.search(r'name="coachkit-xsrf" content="([^"]+)"', page).group(1)

    def post(names):
        request = urllib.request.Request(
            f"{site.url}coachkit/facilitator/triads",
            data=json.dumps({"names": names}).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "X-XSRFToken": xsrf},
        )
        try:
            with client.open(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    status, data = post("Asha\nBen\nChidi\nDana")
    assert status == 200 and len(data["rounds"][0]) == 1  # four people: one group of four
    status, data = post("Asha")
    assert status == 400 and "at least two names" in data["error"]
    status, data = post("x" * 200 + "\nBen")
    assert status == 400 and "longer than" in data["error"]

"""The web app seen over HTTP, as curl sees it: the landing page, the lessons, and what must stay private."""

import re
import time
import urllib.error
import urllib.request

import pytest
from conftest import web_app

from coachkit.course import catalog

PRIVATE_URLS = [
    "voila/render/../solutions/a01-questions/a01-questions.ipynb",
    "voila/render/solutions/a01-questions/a01-questions.ipynb",
    "voila/render/lessons/../solutions/a01-questions/a01-questions.ipynb",
    "voila/render/lessons/%2e%2e/solutions/a01-questions/a01-questions.ipynb",
    "voila/render/exercises/a01-questions/a01-questions.ipynb",
    "voila/render/nbgrader_config.py",
    "voila/files/solutions/a01-questions/a01-questions.ipynb",
    "voila/files/nbgrader_config.py",
    "voila/files/voila.json",
    "voila/files/pyproject.toml",
    "voila/files/.git/config",
    "voila/files/lessons/../nbgrader_config.py",
    "voila/files/lessons/00-start-here.ipynb",
    "voila/files/gradebook.db",
    "voila/tree/solutions",
    "voila/tree/",
    "voila/api/contents/solutions",
    "voila/api/contents/solutions/a01-questions/a01-questions.ipynb",
    "voila/api/contents/nbgrader_config.py",
    "voila/api/contents/.git",
    "voila/static/../../nbgrader_config.py",
    "coachkit/static/../../../nbgrader_config.py",
]
SECRETS = ["BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "CourseDirectory", "VoilaConfiguration", "[core]"]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - local test server
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def test_landing_page_lists_every_lesson_in_order(voila_url):
    """Does / answer 200 with a link to every lesson, in the catalog's order?"""
    status, body = fetch(voila_url)
    assert status == 200
    lesson_list = body.split('class="ck-lesson-list"', 1)[1].split("</ol>", 1)[0]
    links = re.findall(r'href="/voila/render/(lessons/[^"]+\.ipynb)"', lesson_list)
    assert links == [lesson.path for lesson in catalog.lessons()]
    for lesson in catalog.lessons():
        assert lesson.title in body.replace("&#39;", "'").replace("&amp;", "&")


@pytest.mark.parametrize("path", PRIVATE_URLS)
def test_private_files_are_not_served(voila_url, path):
    """Does a crafted address for solutions, config or dot-files get a refusal and no file content?"""
    status, body = fetch(voila_url + path)
    assert status in (403, 404), f"{path} answered {status}"
    for secret in SECRETS:
        assert secret not in body


@pytest.mark.slow
@pytest.mark.parametrize("lesson", catalog.lessons(), ids=lambda lesson: lesson.number)
def test_lesson_pages_carry_no_source_code(voila_url, lesson):
    """Is each lesson served with its code cells stripped and no traceback?"""
    status, body = fetch(voila_url + "voila/render/" + lesson.path)
    assert status == 200
    assert "from coachkit" not in body
    assert "Traceback" not in body
    assert "There was an error when executing cell" not in body
    assert f"<title>{lesson.title}</title>" in body.replace("&#39;", "'").replace("&amp;", "&")


def test_a_lesson_page_loads_nothing_from_the_internet(voila_url):
    """Does a lesson page link no stylesheet or script off this server, so an offline room sees it whole?
    Voila's Font Awesome CDN links are left out: its own voila-style.js carries Font Awesome."""
    status, body = fetch(voila_url + "voila/render/" + catalog.lessons()[0].path)
    assert status == 200
    assert "fontawesome" not in body.lower()
    assert re.findall(r"<(?:link|script)\b[^>]*\b(?:href|src)=[\"']?(?:https?:)?//", body) == []


@pytest.mark.slow
@pytest.mark.parametrize("class_size", [0, 3], ids=["default", "class-size-3"])
def test_each_lesson_and_nothing_else_gets_a_preheated_kernel(class_size):
    """Does the pool hold one kernel per lesson (none for exercises or solutions), plus ``--class-size``
    kernels for the first lesson, and does a page use one?"""
    lessons = catalog.lessons()
    expected = len(lessons) - 1 + max(class_size, 1)
    with web_app(f"--class-size={class_size}", log_name="voila-pool") as server:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(server.kernel_pids()) < expected:
            time.sleep(1)
        time.sleep(2)  # nothing more should start
        assert len(server.kernel_pids()) == expected
        name = lessons[-1].filename if class_size == 0 else lessons[0].filename
        status, body = fetch(f"{server.url}voila/render/lessons/{name}")
        assert status == 200 and "</html>" in body
        log = server.log_path.read_text(encoding="utf-8", errors="replace")
        assert "Using pre-heated kernel: " in log and f"for lessons/{name}" in log


@pytest.mark.slow
def test_the_class_pool_is_used_once_and_not_refilled():
    """With ``--class-size 3``, do three visitors get the waiting kernels, and no three more start after?"""
    lessons = catalog.lessons()
    others = len(lessons) - 1
    with web_app("--class-size=3", log_name="voila-class-pool") as server:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(server.kernel_pids()) < others + 3:
            time.sleep(1)
        url = f"{server.url}voila/render/lessons/{lessons[0].filename}"
        for _ in range(3):
            status, body = fetch(url)
            assert status == 200 and "</html>" in body
        time.sleep(8)  # longer than voila.json's fill_delay: a refill would have started
        assert len(server.kernel_pids()) == others + 3  # the three pages' kernels, no new ones waiting
        status, _ = fetch(url)  # a latecomer gets a kernel of its own
        assert status == 200
        log = server.log_path.read_text(encoding="utf-8", errors="replace")
        assert log.count("Using pre-heated kernel: ") == 3
        assert len(server.kernel_pids()) == others + 4

"""Closed lesson pages do not leave kernels behind (voila#1458), whether the tab closes cleanly or not."""

import re
import time
import urllib.request

import pytest
from conftest import lesson_url, open_lesson, web_app

from coachkit.course import catalog

CULL_ARGS = [
    "--MappingKernelManager.cull_idle_timeout=10",
    "--MappingKernelManager.cull_interval=2",
]


def settle(server, timeout=180.0, quiet=8.0) -> int:
    """Wait until the number of kernels has not changed for ``quiet`` seconds; return it."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        count = len(server.kernel_pids())
        if count != last:
            last, since = count, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return count
        time.sleep(1)
    raise TimeoutError("the number of kernels never settled")


def full_pools(server, timeout=180.0) -> int:
    """Wait until Voila has said that every lesson's pool is filled (its kernels started and the lesson run
    in them); return the number of kernels then."""
    lines = [f"Kernel pool of lessons/{lesson.filename} is filled" for lesson in catalog.lessons()]
    deadline = time.monotonic() + timeout
    while not all(line in server.log_path.read_text(errors="replace") for line in lines):
        assert time.monotonic() < deadline, "the lessons' pools were never filled"
        time.sleep(0.5)
    return len(server.kernel_pids())


def wait_for_count(server, expected: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    count = len(server.kernel_pids())
    while time.monotonic() < deadline and count != expected:
        time.sleep(1)
        count = len(server.kernel_pids())
    return count


@pytest.fixture(scope="module")
def culling_server():
    with web_app(*CULL_ARGS, log_name="voila-culling") as server:
        yield server


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("run_before_unload", [True, False], ids=["tab-closed", "tab-crashed"])
def test_five_closed_pages_leave_no_kernel(browser, culling_server, run_before_unload):
    """After opening and closing 5 lesson pages, is only the preheated pool left within the cull window?"""
    baseline = full_pools(culling_server)
    names = [lesson.filename.removesuffix(".ipynb") for lesson in catalog.lessons()][:5]
    for name in names:
        context = browser.new_context()
        page = context.new_page()
        open_lesson(page, lesson_url(culling_server.url, name))
        if run_before_unload:
            page.close(run_before_unload=True)
            time.sleep(1)  # let the shutdown beacon leave before the context goes
        context.close()
    # cull window: 10 s idle + 2 s interval, plus the pool's refill of the kernels that were used
    count = wait_for_count(culling_server, baseline, timeout=90)
    assert count == baseline, f"{count - baseline} kernel(s) left over after closing {len(names)} pages"


@pytest.mark.slow
def test_a_pooled_kernel_that_waited_long_is_not_culled_as_it_is_handed_out():
    """A preheated kernel idle for longer than the cull timeout is handed to a visitor: does it live on
    until the page can connect (and still get culled later if nobody does)?"""
    idle, interval = 10, 1
    args = [
        f"--MappingKernelManager.cull_idle_timeout={idle}",
        f"--MappingKernelManager.cull_interval={interval}",
    ]
    lesson = catalog.lessons()[0].filename
    with web_app(*args, log_name="voila-pool-cull") as server:

        def log() -> str:
            return server.log_path.read_text(errors="replace")

        def wait_for_log(text: str, timeout: float, failure: str) -> None:
            deadline = time.monotonic() + timeout
            while text not in log():
                assert time.monotonic() < deadline, failure
                time.sleep(0.5)

        wait_for_log(f"Kernel pool of lessons/{lesson} is filled", 120, "the pool never filled")
        settle(server, quiet=idle + 3)  # the pooled kernel has now been idle longer than the cull timeout
        with urllib.request.urlopen(f"{server.url}voila/render/lessons/{lesson}", timeout=120) as response:  # noqa: S310
            assert response.status == 200
            response.read()  # the page is served; a browser would now load scripts and connect
        kernel_id = re.search(
            rf"Using pre-heated kernel: ([0-9a-f-]+) for lessons/{re.escape(lesson)}", log()
        )[1]
        time.sleep(3 * interval)  # three culler rounds
        culled = f"({kernel_id}) with 0 connections"
        assert culled not in log(), "culled before the page could connect"
        wait_for_log(culled, idle + 10, "a page that never connected kept its kernel")

"""Shared fixtures: a real web app server, headless Chromium, helpers to open lessons and take screenshots.

Servers bind 127.0.0.1 on a free port and are always shut down; every page fails its test on a browser
console error or on a request to any host but 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

# Importing ipykernel's kernel module makes ipykernel's comm manager the one every widget uses from then on
# (as in a real kernel). coachkit.course.notebook_metadata imports it mid-run, so import it first: otherwise
# widgets made before that import have comms the new manager does not know, and closing them raises KeyError.
import ipykernel.ipkernel  # noqa: F401
import pytest

# shared with bench/run.py; free_port, wait_for_http and stop_process are also imported by test modules
from tests.webapp_harness import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    free_port,
    kernel_processes,
    start_web_app,
    stop_process,
    wait_for_http,
)

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LOCAL_HOSTS = {"127.0.0.1"}
# How long a web app may take to answer after it starts: slower while the parallel workers start their own
# servers, courses and browsers at the same moment (a deadline, not a measurement).
SERVER_START_TIMEOUT = 300


# Fixtures that start a browser or a server: a test that uses one is slow (and, for the browser, a browser
# test) whatever its module says, so `pytest -m "not slow"` stays a quick run of units.
BROWSER_FIXTURES = {"browser", "new_page", "page", "fixture_page"}
SERVER_FIXTURES = {"voila_url", "fixture_url"}


# `make test` runs the suite in pytest-xdist workers (`-n 4 --dist loadgroup`). xdist's own loadgroup does
# not group under pytest 9.2 (it renames nodes through an attribute pytest no longer reads), so the
# scheduler below takes its place: a module with a module-wide fixture (a course graded once, a hub, a server
# over a fixture site) runs in one worker, so that the fixture is built once; every other test goes to
# whichever worker is free. The modules that take longest start first, so that no worker is left with one of
# them at the end while the others sit idle; the rest follow in their usual order (rough cost order, from
# full runs' `--durations`).
LONGEST_FIRST = [
    "test_exercises_grading.py",
    "test_practice_browser.py",
    "test_jupyterlab_theme_browser.py",
    "test_hub.py",
    "test_trust_browser.py",
    "test_webapp_scaled.py",
    "test_grading_sandbox_unprivileged.py",
    "test_wheel_install.py",
    "test_kernel_cleanup.py",
    "test_made_for_web_browser.py",
    "test_grading_sandbox.py",
    "test_journal_voila.py",
    "test_facilitator_browser.py",
    "test_interactives_browser.py",
    "test_roleplay_browser.py",
    "test_board_browser.py",
]
WIDER_SCOPES = {"module", "class", "package"}
GROUPS = "coachkit_grouped_modules"  # workerinput key: the file in which workers name the grouped modules


def _uses_a_wider_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(defs and defs[-1].scope in WIDER_SCOPES for defs in info.name2fixturedefs.values())


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & (BROWSER_FIXTURES | SERVER_FIXTURES):
            item.add_marker(pytest.mark.slow)
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
    workerinput = getattr(config, "workerinput", {})
    if GROUPS in workerinput:  # every worker collects the same tests and writes the same list
        grouped = sorted({item.nodeid.split("::", 1)[0] for item in items if _uses_a_wider_fixture(item)})
        target = Path(workerinput[GROUPS])
        draft = target.with_name(f"{target.name}.{workerinput['workerid']}")
        draft.write_text(json.dumps(grouped), encoding="utf-8")
        draft.replace(target)


@pytest.hookimpl(optionalhook=True)  # xdist's hooks: none without it (-p no:xdist)
def pytest_configure_node(node):
    """xdist's controller: tell each worker where to write the modules that must stay in one worker."""
    node.workerinput[GROUPS] = str(node.config._tmp_path_factory.getbasetemp() / "grouped-modules.json")


@pytest.hookimpl(optionalhook=True)  # xdist's hooks: none without it (-p no:xdist)
def pytest_xdist_make_scheduler(config, log):
    """With `--dist loadgroup`: a module with a module-wide fixture is one unit of work, any other test is
    one, handed out in collection order (the longest modules first)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    path = config._tmp_path_factory.getbasetemp() / "grouped-modules.json"

    class ModuleFixtureScheduling(LoadScopeScheduling):
        grouped: set[str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.grouped is None:  # scheduling starts once every worker has collected (and written it)
                self.grouped = set(json.loads(path.read_text(encoding="utf-8")))
            module = nodeid.split("::", 1)[0]
            return module if module in self.grouped else nodeid

    config.option.loadscopereorder = False  # keep the order above, not the largest modules first
    return ModuleFixtureScheduling(config, log)


class RunningServer:
    """A server started by a test: its base URL and process (to count the kernels it started)."""

    def __init__(self, url: str, process: subprocess.Popen, log_path: Path) -> None:
        self.url, self.process, self.log_path = url, process, log_path

    def kernel_pids(self) -> list[int]:
        return [kernel.pid for kernel in kernel_processes(self.process.pid)]


def run_async(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own, its result or exception handed back.

    The browser tests' session-wide Playwright (its sync API) leaves an event loop running in the main
    thread, so a plain ``asyncio.run`` there fails with "cannot be called from a running event loop".
    """
    import threading

    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # handed back to the test's thread
            outcome["error"] = error

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def kill_leftovers(pids: list[int]) -> None:
    """Kernels run in their own sessions; kill any the server did not shut down itself."""
    import psutil

    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(pid).kill()


@contextlib.contextmanager
def jupyterlab(root: Path, token: str, name: str, env: dict | None = None) -> Iterator[str]:
    """Real JupyterLab on a free port over ``root`` (a copy: nothing in the repository is saved over), its
    journal in ``root/journal``; yields its base URL and stops it with every kernel it started."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    jupyter = str(Path(sys.executable).parent / "jupyter")
    process = start_web_app(
        [jupyter, "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--ServerApp.token={token}"],
        port,
        ARTIFACTS / f"{name}-{port}.log",
        cwd=root,
        env={
            "COACHKIT_JOURNAL_DIR": str(root / "journal"),
            "COACHKIT_JOURNAL_STORE": "file",
            # a workspace of its own: two labs in parallel workers do not restore each other's open tabs
            "JUPYTERLAB_WORKSPACES_DIR": str(root.parent / f"{root.name}-workspaces"),
            **(env or {}),
        },
        extra=(f"--ServerApp.root_dir={root}",),
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(f"{base}lab?token={token}", timeout=180, process=process)
        yield base
    finally:
        kernels = [kernel.pid for kernel in kernel_processes(process.pid)]
        stop_process(process)
        kill_leftovers(kernels)


def run_all_cells(page, notebook: str = ".jp-Notebook") -> None:
    """Run every cell of the open notebook in JupyterLab through its command palette."""
    palette = page.locator(".lm-CommandPalette-input")
    for _attempt in range(4):  # the shortcut only reaches JupyterLab once the notebook area has focus
        page.locator(notebook).first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+Shift+c")
        try:
            palette.wait_for(state="visible", timeout=15_000)
            break
        except Exception:  # Playwright's TimeoutError: focus was elsewhere; try again
            page.keyboard.press("Escape")
    palette.wait_for(state="visible", timeout=15_000)
    page.keyboard.type("Run All Cells")
    page.keyboard.press("Enter")


@contextlib.contextmanager
def web_app(
    *args: str, root: Path | None = None, env: dict | None = None, log_name: str = "web-app"
) -> Iterator[RunningServer]:
    """Start ``coachkit-web`` (the real Voila app) on a free port; always stop it and its kernels."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{log_name}-{port}.log"
    overrides = dict(env or {})
    if root is not None:
        overrides["COACHKIT_ROOT"] = str(root)
    app = str(Path(sys.executable).parent / "coachkit-web")
    process = start_web_app([app], port, log_path, cwd=REPO, env=overrides, extra=args)
    url = f"http://127.0.0.1:{port}/"
    server = RunningServer(url, process, log_path)
    try:
        wait_for_http(url, timeout=SERVER_START_TIMEOUT, process=process)
        yield server
    finally:
        kernels = server.kernel_pids()
        stop_process(process)
        kill_leftovers(kernels)


SESSION_SERVER = "voila-session.json"  # in the run's temporary folder: the shared server's address and pid


@pytest.fixture(scope="session")
def voila_url(request, tmp_path_factory) -> Iterator[str]:
    """The workshop web app as `make start` runs it, on a free port for this test session.

    In xdist workers one server serves them all (its lessons' kernels preheated once, not once a worker):
    the first worker to need it starts it, the others find its address beside their temporary folders, and
    the controlling process stops it when the run ends (pytest_sessionfinish below)."""
    if not hasattr(request.config, "workerinput"):
        with web_app(log_name="voila-session") as server:
            yield server.url
        return
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent  # xdist puts each worker's folder inside the run's
    with FileLock(str(shared / f"{SESSION_SERVER}.lock")):
        info = shared / SESSION_SERVER
        if not info.exists():
            port = free_port()
            ARTIFACTS.mkdir(exist_ok=True)
            app = str(Path(sys.executable).parent / "coachkit-web")
            log_path = ARTIFACTS / f"voila-session-{port}.log"
            process = start_web_app([app], port, log_path, cwd=REPO)
            url = f"http://127.0.0.1:{port}/"
            try:
                wait_for_http(url, timeout=SERVER_START_TIMEOUT, process=process)
            except BaseException:
                stop_process(process)
                raise
            info.write_text(json.dumps({"url": url, "pid": process.pid}), encoding="utf-8")
        url = json.loads(info.read_text(encoding="utf-8"))["url"]
    yield url  # with the lock let go: the other workers must not wait for this one's session to end


def pytest_sessionfinish(session):
    """The controlling process of an xdist run stops the session server its workers shared, kernels too."""
    config = session.config
    if hasattr(config, "workerinput") or not hasattr(config, "_tmp_path_factory"):
        return
    info = config._tmp_path_factory.getbasetemp() / SESSION_SERVER
    if not info.exists():
        return
    import psutil

    pid = json.loads(info.read_text(encoding="utf-8"))["pid"]
    kernels = [kernel.pid for kernel in kernel_processes(pid)]
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    with contextlib.suppress(psutil.NoSuchProcess, psutil.TimeoutExpired):
        psutil.Process(pid).wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    kill_leftovers(kernels)
    info.unlink()


def lesson_url(base_url: str, name: str) -> str:
    """The Voila address of lessons/<name>.ipynb (``name`` without the extension)."""
    return f"{base_url}voila/render/lessons/{name}.ipynb"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "No Chromium at /usr/bin/chromium: `make test` installs it as root, or: apt-get install chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


class PageWatch:
    """What a page did that a test must fail on: console errors, page errors, requests leaving the machine."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.dialogs: list[str] = []

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"request left the machine: {u}" for u in self.foreign_requests]
            + [f"dialog opened: {m}" for m in self.dialogs]
        )


def watch_page(page) -> PageWatch:
    watch = PageWatch()

    def on_route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            watch.foreign_requests.append(route.request.url)
            route.abort()

    page.route("**/*", on_route)
    page.on("console", lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))

    def on_dialog(dialog):
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return watch


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts (separate storage: separate visitors); checked at teardown."""
    opened = []

    def open_page(viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        page = context.new_page()
        watch = watch_page(page)
        page.watch = watch
        opened.append((context, page, watch))
        return page

    yield open_page
    problems = []
    for context, _page, watch in opened:
        problems += watch.problems()
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page):
    """One page in a fresh browser context; fails on console errors and on requests off 127.0.0.1."""
    return new_page()


def open_lesson(page, url: str, timeout: float = 120_000) -> None:
    """Open a Voila page and wait until every cell has run and the widgets are on screen."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout)
    page.wait_for_function("() => !document.querySelector('#loading')", timeout=timeout)
    page.wait_for_selector(".jupyter-widgets", timeout=timeout)


def notebook_site_fixture(notebook: Path, log_name: str, env: dict | None = None):
    """A module-scoped ``fixture_url`` fixture for a test module to assign to that name: a web app whose
    lessons/ folder holds only ``notebook`` (with the repository's assets and voila.json), and the
    notebook's page address. Use as ``fixture_url = notebook_site_fixture(FIXTURE, log_name="...")``."""

    @pytest.fixture(scope="module")
    def fixture_url(tmp_path_factory) -> Iterator[str]:
        root = tmp_path_factory.mktemp(f"{notebook.stem}-site")
        (root / "lessons").mkdir()
        shutil.copytree(REPO / "assets", root / "assets")
        shutil.copy(notebook, root / "lessons" / notebook.name)
        shutil.copy(REPO / "voila.json", root / "voila.json")
        with web_app(root=root, env=env, log_name=log_name) as server:
            yield lesson_url(server.url, notebook.stem)

    return fixture_url


@pytest.fixture
def fixture_page(page, fixture_url):
    """A page (1280 x 900) with the test module's ``fixture_url`` open, rendered and its widgets shown."""
    open_lesson(page, fixture_url)
    return page


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Voila scrolls inside #rendered_cells, not the document: grow the window to the content's height.
    viewport = page.viewport_size
    height = page.evaluate(
        "() => Math.max(document.documentElement.scrollHeight,"
        " (document.querySelector('#rendered_cells') || document.body).scrollHeight)"
    )
    tall = min(max(height, viewport["height"]), 16000)
    page.set_viewport_size({"width": viewport["width"], "height": tall})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)
    return path


def serious_accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    problems = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])][:5]
            problems.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}")
    return problems


def scrolls_sideways(page) -> bool:
    """True when the page body is wider than the window (the reader would have to scroll sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}

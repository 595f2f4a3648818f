"""The scaled set-up on one machine: three coachkit-web replicas behind HAProxy (coachkit.webapp.scaled).

Ninety visitors open the first lesson (each closes it again, as a tab does): are they spread over the
replicas, none hung or failed? A room of twenty behind one address keeps its pages open and answers the
facilitator's board question from every replica: does the facilitator, through the proxy, see every answer
on one board? A replica is killed: do visitors on the others keep working, and does a visitor of the killed
one get a working page from another replica when they reload? HTTP-side; no timing assertions."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
import websockets
from conftest import ARTIFACTS, REPO, free_port, run_async, wait_for_http

from coachkit.course import catalog

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
REPLICAS = 3
FACILITATOR_KEY = "test-scal-edkey"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(HAPROXY).exists(), reason="needs HAProxy: apt-get install haproxy"),
]


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    port = free_port()
    first = free_port()
    while abs(first - port) < REPLICAS + 1:
        first = free_port()
    board = free_port()
    while board == port or first <= board < first + REPLICAS:
        board = free_port()
    env = {
        **os.environ,
        "COACHKIT_BOARD_DIR": str(tmp_path_factory.mktemp("scaled-board") / "board"),
        "COACHKIT_FACILITATOR_KEY": FACILITATOR_KEY,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"scaled-{port}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coachkit.webapp.scaled",
            f"--replicas={REPLICAS}",
            f"--port={port}",
            f"--first-replica-port={first}",
            f"--board-port={board}",
            "--",
            "--VoilaConfiguration.preheat_kernel=False",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for p in range(first, first + REPLICAS):
            wait_for_http(f"http://127.0.0.1:{p}/", process=process)
        wait_for_http(url, process=process)
        time.sleep(3)  # HAProxy's first health checks
        yield url, process, first
    finally:
        children = []
        with contextlib.suppress(psutil.NoSuchProcess):
            children = psutil.Process(process.pid).children(recursive=True)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        log.close()


def kill_replica(process: subprocess.Popen, port: int) -> list:
    """SIGKILL the replica on ``port``; return its kernels, which nobody will shut down now."""
    for child in psutil.Process(process.pid).children():
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):  # a replica killed before
            if f"--port={port}" in child.cmdline():
                orphans = child.children(recursive=True)
                child.kill()
                return orphans
    return []


def lesson_url(base: str) -> str:
    return f"{base}voila/render/{catalog.lessons()[0].path}"


async def visit(base: str) -> tuple[str, str]:
    """A new visitor opens the first lesson, then closes it; returns (replica, outcome)."""
    async with httpx.AsyncClient() as client:
        try:
            response = await client.get(lesson_url(base), timeout=180)
        except httpx.TimeoutException:
            return "", "hung"
        except httpx.HTTPError:
            return "", "failed"
        replica = client.cookies.get("coachkit_replica", "")
        found = KERNEL_ID.search(response.text)
        if response.status_code != 200 or not found:
            return replica, "failed"
        await client.post(
            f"{base}voila/api/shutdown/{found.group(1)}",
            headers={"X-XSRFToken": client.cookies.get("_xsrf", "")},
            timeout=60,
        )
        return replica, "ok"


def test_ninety_visitors_are_spread_over_three_replicas(scaled):
    """90 opens of the first lesson, 10 at a time: spread over all three replicas, none hung or failed?"""
    url, _, _ = scaled

    async def run():
        gate = asyncio.Semaphore(10)

        async def one():
            async with gate:
                return await visit(url)

        return await asyncio.gather(*(one() for _ in range(90)))

    results = run_async(run())
    outcomes = collections.Counter(outcome for _, outcome in results)
    spread = collections.Counter(replica for replica, _ in results)
    print(f"\nspread over replicas: {dict(sorted(spread.items()))}; outcomes: {dict(outcomes)}")
    assert outcomes == {"ok": 90}
    assert set(spread) == {f"r{i}" for i in range(REPLICAS)}


class WidgetPage:
    """A lesson page's widgets driven over its kernel websocket, as the browser drives them: comm messages
    only (Voila lets no execute_request through)."""

    def __init__(self, ws):
        self.ws = ws
        self.count = 0

    async def send(self, msg_type: str, content: dict) -> str:
        self.count += 1
        msg_id = f"scaled-{id(self)}-{self.count}"
        header = {"msg_id": msg_id, "msg_type": msg_type, "username": "", "session": "scaled"}
        message = {
            "header": {**header, "version": "5.3", "date": ""},
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
        await self.ws.send(json.dumps(message))
        return msg_id

    async def replies(self, msg_id: str, reply: str | None = None):
        """The kernel's messages in reply to ``msg_id``, until it is idle again (iopub) and, when one is
        expected, its ``reply`` has come (shell: it may come after the idle status)."""
        idle, replied = False, reply is None
        while not (idle and replied):
            raw = await asyncio.wait_for(self.ws.recv(), timeout=120)
            if not isinstance(raw, str):
                continue
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            yield message
            kind = message["header"]["msg_type"]
            idle = idle or (kind == "status" and message["content"]["execution_state"] == "idle")
            replied = replied or kind == reply

    async def widgets(self, inside: str) -> dict[str, str]:
        """description -> comm id of the widgets shown inside the one with the CSS class ``inside``."""
        asked = await self.send("comm_info_request", {"target_name": "jupyter.widget"})
        comms = {}
        async for message in self.replies(asked, "comm_info_reply"):
            if message["header"]["msg_type"] == "comm_info_reply":
                comms = message["content"]["comms"]
        states = {}
        for comm_id in comms:
            asked = await self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
            async for message in self.replies(asked):
                data = message["content"].get("data", {})
                if data.get("method") == "update":
                    states[comm_id] = data["state"]
        found, todo = {}, [c for c, state in states.items() if inside in state.get("_dom_classes", [])]
        while todo:
            state = states.get(todo.pop(), {})
            if state.get("description"):
                found[state["description"]] = next(c for c, s in states.items() if s is state)
            todo += [child.removeprefix("IPY_MODEL_") for child in state.get("children", [])]
        return found

    async def set_value(self, comm_id: str, value: str) -> None:
        data = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        async for _ in self.replies(await self.send("comm_msg", {"comm_id": comm_id, "data": data})):
            pass

    async def click(self, comm_id: str) -> None:
        data = {"method": "custom", "content": {"event": "click"}}
        async for _ in self.replies(await self.send("comm_msg", {"comm_id": comm_id, "data": data})):
            pass


async def answer_on_the_board(base: str, kernel_id: str, cookies: str, code: str, answer: str) -> None:
    """What a learner does in the first lesson's answer box: type the code, join, type, send."""
    ws_url = base.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels"
    async with websockets.connect(ws_url, additional_headers={"Cookie": cookies}) as ws:
        page = WidgetPage(ws)
        widgets = await page.widgets("ck-board-answer")
        await page.set_value(widgets["Session code"], code)
        await page.click(widgets["Join"])
        widgets = await page.widgets("ck-board-answer")  # the answer box is shown once joined
        await page.set_value(widgets["Your answer"], answer)
        await page.click(widgets["Send answer"])


def test_a_room_behind_one_address_answers_one_board_from_every_replica(scaled):
    """The facilitator opens a board session through the proxy; twenty visitors from one address (a room
    behind one guest Wi-Fi) keep the first lesson open, spread over the replicas, and each sends an answer
    from the lesson's answer box: does the facilitator see all twenty on the one board, from every
    replica's pages?"""
    url, _, _ = scaled
    room_size = 20
    with httpx.Client(follow_redirects=True) as facilitator:
        page = facilitator.get(f"{url}coachkit/facilitator/?key={FACILITATOR_KEY}", timeout=60)
        assert page.status_code == 200
        xsrf = {"X-XSRFToken": facilitator.cookies.get("_xsrf", "")}
        opened = facilitator.post(
            f"{url}coachkit/facilitator/api/sessions",
            json={"prompt": "What keeps you from coaching?", "options": []},
            headers=xsrf,
            timeout=60,
        )
        assert opened.status_code == 201, opened.text
        code = opened.json()["code"]

        async def room():
            gate = asyncio.Semaphore(10)
            clients = [httpx.AsyncClient() for _ in range(room_size)]
            kernels: dict[int, str] = {}

            async def one(n: int, client: httpx.AsyncClient):
                async with gate:
                    response = await client.get(lesson_url(url), timeout=180)
                found = KERNEL_ID.search(response.text)
                assert response.status_code == 200 and found, f"visitor {n}: HTTP {response.status_code}"
                kernels[n] = found.group(1)
                cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
                async with gate:
                    await answer_on_the_board(url, found.group(1), cookies, code, f"answer {n:02d}")
                return client.cookies.get("coachkit_replica", "")

            try:
                results = await asyncio.gather(*(one(n, c) for n, c in enumerate(clients)))
                board = facilitator.get(f"{url}coachkit/facilitator/api/sessions/{code}/results", timeout=60)
                return results, board
            finally:
                for n, client in enumerate(clients):
                    if n in kernels:  # the tab closes: its beacon shuts the kernel down
                        with contextlib.suppress(httpx.HTTPError):
                            await client.post(
                                f"{url}voila/api/shutdown/{kernels[n]}",
                                headers={"X-XSRFToken": client.cookies.get("_xsrf", "")},
                                timeout=60,
                            )
                    await client.aclose()

        results, board = run_async(room())
    spread = collections.Counter(results)
    print(f"\nthe room's pages over replicas: {dict(sorted(spread.items()))}")
    assert set(spread) == {f"r{i}" for i in range(REPLICAS)}
    assert board.status_code == 200
    assert sorted(board.json()["answers"]) == [f"answer {n:02d}" for n in range(room_size)]


def test_the_board_store_is_opened_by_the_board_process_only(scaled):
    """Only the set-up's board process holds the board's database; no replica (nor its kernels) does."""
    _, process, _ = scaled
    holders = []
    for proc in psutil.Process(process.pid).children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            if any("board" in f.path and f.path.endswith(".sqlite") for f in proc.open_files()):
                holders.append(proc.cmdline())
    assert holders and all("--serve-board" in cmd for cmd in holders), holders


def test_a_killed_replica_leaves_the_others_working_and_its_visitors_reload_elsewhere(scaled):
    """Pin one visitor to each replica; kill one replica: do the others' pages still answer, and does the
    killed replica's visitor get a working page from another replica on reload?"""
    url, process, first = scaled
    visitors: dict[str, httpx.Client] = {}
    kernels: dict[str, str] = {}
    for _ in range(30):
        if len(visitors) == REPLICAS:
            break
        client = httpx.Client()
        response = client.get(lesson_url(url), timeout=180)
        replica = client.cookies.get("coachkit_replica", "")
        found = KERNEL_ID.search(response.text)
        if response.status_code == 200 and found and replica not in visitors:
            visitors[replica], kernels[replica] = client, found.group(1)
        else:
            if found:
                client.post(
                    f"{url}voila/api/shutdown/{found.group(1)}",
                    headers={"X-XSRFToken": client.cookies.get("_xsrf", "")},
                )
            client.close()
    assert len(visitors) == REPLICAS
    victim = "r1"
    port = first + 1
    orphans = kill_replica(process, port)
    time.sleep(6)  # two failed health checks, 2 s apart
    for replica, client in visitors.items():
        if replica == victim:
            continue
        model = client.get(f"{url}api/kernels/{kernels[replica]}", timeout=30)
        assert model.status_code == 200, f"{replica}'s visitor lost their kernel"
    reloaded = visitors[victim].get(lesson_url(url), timeout=180)
    assert reloaded.status_code == 200 and KERNEL_ID.search(reloaded.text)
    assert visitors[victim].cookies.get("coachkit_replica") != victim
    for client in visitors.values():
        client.close()
    for orphan in orphans:
        with contextlib.suppress(psutil.NoSuchProcess):
            orphan.kill()


@pytest.mark.browser
def test_a_browser_visitor_whose_replica_dies_reloads_onto_another_with_journal_and_progress(scaled, browser):
    """A real page through the proxy; its replica is killed; on reload, does a lesson come alive on another
    replica, with the progress and journal kept in this browser still there? (The dead page's reconnects to
    its lost kernel are refused with 403 by the new replica: expected, so console errors are not checked.)"""
    from conftest import open_lesson

    url, process, first = scaled
    context = browser.new_context()
    page = context.new_page()
    lesson = catalog.lessons()[0]
    open_lesson(page, lesson_url(url))
    page.evaluate("() => localStorage.setItem('ck-test-marker', 'kept')")
    keys = "() => Object.keys(localStorage)"
    before = set(page.evaluate(keys))
    journal = "() => localStorage.getItem('coachkit.journal.v1')"
    journal_before = page.evaluate(journal)
    replica = next(c["value"] for c in page.context.cookies() if c["name"] == "coachkit_replica")
    port = first + int(replica.removeprefix("r"))
    orphans = kill_replica(process, port)
    time.sleep(6)  # two failed health checks
    open_lesson(page, lesson_url(url))
    after = next(c["value"] for c in page.context.cookies() if c["name"] == "coachkit_replica")
    assert after != replica
    assert page.evaluate("() => localStorage.getItem('ck-test-marker')") == "kept"
    assert before <= set(page.evaluate(keys))  # nothing this browser kept is gone
    if journal_before is not None:
        assert page.evaluate(journal) == journal_before
    progress = page.evaluate("() => JSON.parse(localStorage.getItem('coachkit.progress.v1') || '{}')")
    assert lesson.filename.removesuffix(".ipynb") in progress.get("visited", {})
    context.close()
    for orphan in orphans:
        with contextlib.suppress(psutil.NoSuchProcess):
            orphan.kill()

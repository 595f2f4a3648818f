"""The workshop's benchmark harness: page speed, memory, a class at once, culling, grading, launch.

Every figure that matters is a ratio to a baseline measured in the same run on the same server,
because absolute times on a shared machine drift. Run with `python -m bench` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from tests import webapp_harness as harness

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PERFORMANCE_PAGE = REPO / "docs" / "performance.md"
BIN = Path(sys.executable).parent
BASELINES = {
    "baseline-slider": "import ipywidgets as w\n"
    "slider = w.IntSlider(description='Value')\nechoed = w.Label(value='0')\n"
    "slider.observe(lambda change: setattr(echoed, 'value', str(change['new'])), names='value')\n"
    "w.VBox([slider, echoed])",
    "baseline-widgets": "import ipywidgets as w\nw.Label(value='ready')",
    "baseline-empty": "",
}


# --- figures
@dataclass
class Figure:
    """Several runs of one measurement: median, min and max."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    def text(self, unit: str = "s", digits: int = 2) -> str:
        if not self.values:
            return "n/a"
        return (
            f"{self.median:.{digits}f} {unit} ({min(self.values):.{digits}f}-{max(self.values):.{digits}f})"
        )


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b and b == b and a == a else "n/a"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if ordered else float("nan")


# --- servers
class Server:
    """A web app started by the harness on 127.0.0.1; stopped with its kernels."""

    def __init__(self, cmd: list[str], env: dict, log: Path, cwd: Path = REPO) -> None:
        self.port = harness.free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.started = time.monotonic()
        self.process = harness.start_web_app(cmd, self.port, log, cwd=cwd, env=env, extra=("--no-browser",))
        # polled often: the launch time is one of the figures
        self.launch_seconds = harness.wait_for_http(self.url, process=self.process, interval=0.05)

    def kernels(self) -> list[psutil.Process]:
        return harness.kernel_processes(self.process.pid)

    def wait_kernels(self, count: int, timeout: float) -> int:
        """Wait until exactly ``count`` kernels run (or the timeout passes); return how many run."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.kernels()) == count:
                break
            time.sleep(0.25)
        return len(self.kernels())

    def wait_kernels_at_least(self, count: int, timeout: float) -> None:
        """Wait until ``count`` or more kernels run (or the timeout passes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.kernels()) < count:
            time.sleep(0.25)

    def wait_quiet(self, timeout: float = 30, idle_cpu_seconds: float = 0.05, window: float = 0.5) -> bool:
        """Wait until the server and its kernels have used less than ``idle_cpu_seconds`` of CPU over
        ``window`` seconds: a pool kernel that is still starting or running its notebook is not ready yet,
        and measuring beside it would charge its work to the page being measured."""

        def cpu_used() -> float:
            total = 0.0
            for proc in [psutil.Process(self.process.pid), *self.kernels()]:
                with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
                    times = proc.cpu_times()
                    total += times.user + times.system
            return total

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = cpu_used()
            time.sleep(window)
            if cpu_used() - before < idle_cpu_seconds:
                return True
        return False

    def stop(self) -> None:
        kernels = self.kernels()
        harness.stop_process(self.process)
        for kernel in kernels:
            with contextlib.suppress(psutil.NoSuchProcess):
                kernel.kill()


def make_root(workdir: Path, pool_size: int, cull_idle: int, cull_interval: int, name: str = "") -> Path:
    """A COACHKIT_ROOT with copies of the lessons, the baselines beside them, a voila.json to match."""
    root = workdir / (name or f"root-pool{pool_size}")
    (root / "lessons").mkdir(parents=True)
    for lesson in sorted((REPO / "lessons").glob("*.ipynb")):
        shutil.copy2(lesson, root / "lessons" / lesson.name)
    for folder in ("assets", "exercises"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    for name, source in BASELINES.items():
        cells = [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
        ]
        nb = {
            "cells": cells if source else [],
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        }
        (root / "lessons" / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    config = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    config["VoilaConfiguration"]["preheat_kernel"] = pool_size > 0
    config["VoilaConfiguration"]["default_pool_size"] = pool_size
    config.setdefault("MappingKernelManager", {}).update(
        cull_idle_timeout=cull_idle, cull_interval=cull_interval
    )
    (root / "voila.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return root


def lesson_names() -> list[str]:
    return sorted(p.stem for p in (REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))


def render_url(server: Server, name: str) -> str:
    return f"{server.url}voila/render/lessons/{name}.ipynb"


# --- browser
PROBE_JS = """
async () => {
  const cells = document.querySelector('#rendered_cells') || document.body;
  const button = [...cells.querySelectorAll('button.jupyter-button')].find(
    b => !b.disabled && b.offsetParent);
  const slider = cells.querySelector('.widget-slider input, .widget-slider .noUi-handle, .slider-container');
  const changed = new Promise(resolve => {
    const watch = new MutationObserver(() => { watch.disconnect(); resolve(performance.now()); });
    watch.observe(cells, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { watch.disconnect(); resolve(null); }, 8000);
  });
  if (button) { button.click(); }
  else if (slider) {
    const handle = cells.querySelector('.noUi-handle') || slider;
    handle.focus();
    handle.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
  } else { return {render: performance.now(), reply: null, how: 'none'}; }
  return {render: null, reply: await changed, how: button ? 'button' : 'slider'};
}
"""

RENDERED_JS = """(widgets) => !document.querySelector('#loading') && document.querySelector('#rendered_cells')
  && (!widgets || document.querySelector('.jupyter-widgets')) ? performance.now() : 0"""


async def open_page(browser, url: str, landing: bool = False) -> tuple[float, object, str]:
    """Open ``url`` in a fresh context; return (seconds to interactive, context, how it was probed)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
    if landing:
        await page.goto(url, wait_until="load", timeout=120_000)
        shown = await page.evaluate("() => performance.now()")
        return shown / 1000, context, "load"
    await page.goto(url, wait_until="commit", timeout=120_000)
    widgets = not url.endswith("baseline-empty.ipynb")
    handle = await page.wait_for_function(RENDERED_JS, arg=widgets, timeout=120_000, polling=50)
    rendered = await handle.json_value()
    probe = await page.evaluate(PROBE_JS)
    if probe["reply"] is None:
        return rendered / 1000, context, f"{probe['how']}: no reply, render time"
    return probe["reply"] / 1000, context, probe["how"]


async def close_context(context) -> None:
    with contextlib.suppress(Exception):
        for page in context.pages:
            await page.close(run_before_unload=True)
        await context.close()


# --- the report
class Report:
    def __init__(self) -> None:
        self.sections: list[tuple[str, list[str], list[list[str]]]] = []
        self.notes: list[str] = []

    def table(self, title: str, header: list[str], rows: list[list[str]]) -> None:
        self.sections.append((title, header, rows))
        print(self.render_section(title, header, rows), flush=True)

    @staticmethod
    def render_section(title: str, header: list[str], rows: list[list[str]]) -> str:
        lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines) + "\n"

    def markdown(self, machine: str) -> str:
        parts = [f"Machine: {machine}", ""]
        parts += [self.render_section(*section) for section in self.sections]
        if self.notes:
            parts += ["Notes:", ""] + [f"- {note}" for note in self.notes] + [""]
        return "\n".join(parts)


def machine_text() -> str:
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.node() or 'host'}, "
        f"{psutil.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{memory:.0f} GiB RAM, Linux {platform.release()}, Python {platform.python_version()}, "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )


# --- measurements
def measure_launch(report: Report, runs: int, workdir: Path, root: Path) -> None:
    """6. coachkit-web (what `make start` runs) to first 200 vs bare voila on an empty folder."""
    empty = workdir / "empty"
    empty.mkdir(exist_ok=True)
    ours, bare = Figure(), Figure()
    for run in range(runs):
        server = Server(
            [str(BIN / "coachkit-web")], {"COACHKIT_ROOT": str(root)}, workdir / f"launch-{run}.log"
        )
        ours.add(server.launch_seconds)
        server.stop()
        server = Server([str(BIN / "voila")], {}, workdir / f"bare-{run}.log", cwd=empty)
        bare.add(server.launch_seconds)
        server.stop()
    report.table(
        "Launch to first HTTP 200",
        ["server", "seconds", "ratio to bare voila"],
        [
            ["coachkit-web (make start)", ours.text(), ratio(ours.median, bare.median)],
            ["bare voila, empty folder", bare.text(), "1.00x"],
        ],
    )


async def measure_pages(server: Server, names: list[str], runs: int, preheated: bool, memory: dict | None):
    """1 and 2. Time to interactive of each page; with ``memory``, the RSS/USS of each page's own kernel."""
    from playwright.async_api import async_playwright

    times: dict[str, Figure] = {name: Figure() for name in names}
    probes: dict[str, str] = {}
    pool_total = len(server.kernels()) if preheated else 0
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=harness.CHROMIUM, headless=True, args=harness.CHROMIUM_FLAGS
        )
        for _ in range(runs):
            for name in names:
                server.wait_kernels(pool_total, timeout=30)  # the pool refilled / the last page's kernel gone
                server.wait_quiet()  # ... and the refilled kernel has run its notebook
                before = {k.pid for k in server.kernels()}
                landing = name == "landing"
                url = server.url if landing else render_url(server, name)
                seconds, context, how = await open_page(browser, url, landing=landing)
                times[name].add(seconds)
                probes[name] = how
                if memory is not None and not landing:
                    await asyncio.sleep(1.0)
                    fresh = [k for k in server.kernels() if k.pid not in before]
                    if fresh:
                        info = fresh[0].memory_full_info()
                        memory.setdefault(name, (Figure(), Figure()))
                        memory[name][0].add(info.rss / 2**20)
                        memory[name][1].add(info.uss / 2**20)
                await close_context(context)
        await browser.close()
    return times, probes


KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


async def fetch_all(url: str, count: int, timeout: float) -> tuple[list[float], int, int]:
    """``count`` simultaneous full-page GETs; return (seconds of each success, hung, failed).

    Each fetched lesson then shuts its kernel down the way a closing browser tab does (Voila's shutdown
    call, with the XSRF cookie the page set), so rounds do not pile up kernels nobody will use."""
    import httpx

    async def one() -> tuple[str, float]:
        # each open is a visitor of its own, with its own cookies: a kernel answers only the visitor
        # whose page started it, so the shutdown below must carry this page's cookies
        async with httpx.AsyncClient() as client:
            return await fetch_one(client)

    async def fetch_one(client) -> tuple[str, float]:
        started = time.monotonic()
        try:
            response = await client.get(url, timeout=timeout)
            seconds = time.monotonic() - started
            ok = response.status_code == 200 and "</html>" in response.text
            ok = ok and "ck-kernel-failed" not in response.text
            found = KERNEL_ID.search(response.text)
            if found:
                base = url.split("voila/render/")[0]
                await client.post(
                    f"{base}voila/api/shutdown/{found.group(1)}",
                    headers={"X-XSRFToken": client.cookies.get("_xsrf", "")},
                    timeout=timeout,
                )
            return ("ok" if ok else "failed", seconds)
        except httpx.TimeoutException:
            return ("hung", time.monotonic() - started)
        except httpx.HTTPError:
            return ("failed", time.monotonic() - started)

    results = await asyncio.gather(*(one() for _ in range(count)))
    return (
        [s for kind, s in results if kind == "ok"],
        sum(k == "hung" for k, _ in results),
        sum(k == "failed" for k, _ in results),
    )


async def fetch_in_waves(url: str, waves: int, per_wave: int, gap: float, timeout: float):
    """``waves`` groups of ``per_wave`` simultaneous GETs, ``gap`` seconds apart (tables opening in turn)."""

    async def wave(index: int):
        await asyncio.sleep(index * gap)
        return await fetch_all(url, per_wave, timeout)

    results = await asyncio.gather(*(wave(i) for i in range(waves)))
    return (
        [s for seconds, _, _ in results for s in seconds],
        sum(hung for _, hung, _ in results),
        sum(failed for _, _, failed in results),
    )


async def browsers_at_once(server: Server, name: str, count: int) -> tuple[list[float], int]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=harness.CHROMIUM, headless=True, args=harness.CHROMIUM_FLAGS
        )
        results = await asyncio.gather(
            *(open_page(browser, render_url(server, name)) for _ in range(count)), return_exceptions=True
        )
        good = [r for r in results if not isinstance(r, BaseException)]
        for _, context, _ in good:
            await close_context(context)
        await browser.close()
    return [seconds for seconds, _, _ in good], count - len(good)


def measure_class(
    report: Report,
    server: Server,
    first: str,
    heaviest: str,
    sizes: list[int],
    timeout: float,
    cull: float,
):
    """3. N simultaneous opens, HTTP-side (full page) and a few real browsers."""
    rows = []
    medians: dict[tuple[str, int], float] = {}
    p95s: dict[tuple[str, int], float] = {}
    for size in sizes:
        for label, url in (
            ("landing page", server.url),
            ("baseline-slider", render_url(server, "baseline-slider")),
            (heaviest, render_url(server, heaviest)),
        ):
            started = time.monotonic()
            seconds, hung, failed = asyncio.run(fetch_all(url, size, timeout))
            wall = time.monotonic() - started
            medians[(label, size)], p95s[(label, size)] = (
                statistics.median(seconds or [float("nan")]),
                p95(seconds),
            )
            base = p95s.get(("baseline-slider", size), float("nan"))
            rows.append(
                [
                    str(size),
                    label,
                    f"{medians[(label, size)]:.2f} s",
                    f"{p95s[(label, size)]:.2f} s",
                    f"{wall:.1f} s",
                    f"{hung} / {failed}",
                    ratio(p95s[(label, size)], base) if label == heaviest else "",
                ]
            )
            if label != "landing page":
                # Fetched pages' kernels have no browser: short culling takes them before the next round.
                server.wait_kernels(0, timeout=cull)
    report.table(
        "A class at once, HTTP-side (full page fetch, cold: no pool)",
        ["N", "page", "median", "p95", "all done", "hung / failed", "p95 vs baseline-slider"],
        rows,
    )
    # The staggering the performance page advises: a class of 30 opening by table, 10 at a time.
    waves_rows = []
    for label in dict.fromkeys([first, heaviest]):
        started = time.monotonic()
        seconds, hung, failed = asyncio.run(
            fetch_in_waves(render_url(server, label), waves=3, per_wave=10, gap=10, timeout=timeout)
        )
        waves_rows.append(
            [
                label,
                f"{statistics.median(seconds or [float('nan')]):.2f} s",
                f"{p95(seconds):.2f} s",
                f"{time.monotonic() - started:.1f} s",
                f"{hung} / {failed}",
            ]
        )
        server.wait_kernels(0, timeout=cull)
    report.table(
        "A class of 30 opening in three waves of 10, 10 s apart (HTTP-side, cold)",
        ["page", "median", "p95", "all done", "hung / failed"],
        waves_rows,
    )
    seconds, failed = asyncio.run(browsers_at_once(server, heaviest, 5))
    seconds_base, failed_base = asyncio.run(browsers_at_once(server, "baseline-slider", 5))
    report.table(
        "A class at once, 5 real browser pages (cold)",
        ["page", "median", "max", "failed", "ratio"],
        [
            [
                "baseline-slider",
                f"{statistics.median(seconds_base or [0]):.2f} s",
                f"{max(seconds_base or [0]):.2f} s",
                str(failed_base),
                "1.00x",
            ],
            [
                heaviest,
                f"{statistics.median(seconds or [0]):.2f} s",
                f"{max(seconds or [0]):.2f} s",
                str(failed),
                ratio(statistics.median(seconds or [0]), statistics.median(seconds_base or [0])),
            ],
        ],
    )


def measure_class_pool(report: Report, workdir: Path, first: str, size: int, timeout: float) -> None:
    """3, as the performance page advises for a room: ``--class-size`` kernels ready for the first lesson.

    The pool is used once (it is not refilled), so each measurement has a server of its own: ``size``
    full-page fetches, then 5 real browsers opening together from a pool of 5."""
    root = make_root(workdir, 1, 600, 60, name="root-class-pool")
    others = len(list((root / "lessons").glob("*.ipynb"))) - 1

    def pooled_server(pool: int, log: str) -> tuple[Server, float]:
        server = Server(
            [str(BIN / "coachkit-web"), f"--class-size={pool}"], {"COACHKIT_ROOT": str(root)}, workdir / log
        )
        server.wait_kernels_at_least(others + pool, timeout=300)
        server.wait_quiet(timeout=120)  # every pooled kernel has run the lesson
        return server, time.monotonic() - server.started

    rows = []
    server, ready = pooled_server(size, "pool.log")
    try:
        seconds, hung, failed = asyncio.run(fetch_all(render_url(server, first), size, timeout))
    finally:
        server.stop()
    rows.append(
        [
            f"{size} at once, HTTP-side (full page)",
            f"{statistics.median(seconds or [float('nan')]):.2f} s",
            f"{p95(seconds):.2f} s",
            f"{hung} / {failed}",
            f"{ready:.0f} s",
        ]
    )
    server, ready = pooled_server(5, "pool5.log")
    try:
        browsers, failed = asyncio.run(browsers_at_once(server, first, 5))
    finally:
        server.stop()
    rows.append(
        [
            "5 real browsers at once (time to interactive; pool of 5)",
            f"{statistics.median(browsers or [float('nan')]):.2f} s",
            f"{max(browsers or [float('nan')]):.2f} s (max)",
            f"0 / {failed}",
            f"{ready:.0f} s",
        ]
    )
    report.table(
        f"A class opening {first} together from its pool (`make start CLASS_SIZE={size}`)",
        ["opens", "median", "p95", "hung / failed", "pool ready after launch"],
        rows,
    )


async def kernel_answers(ws) -> bool:
    """Does the kernel behind a page's websocket answer a kernel_info_request?"""
    msg_id = f"bench-{id(ws)}"
    header = {"msg_id": msg_id, "msg_type": "kernel_info_request", "username": "", "session": "bench"}
    await ws.send(
        json.dumps(
            {
                "header": {**header, "version": "5.3", "date": ""},
                "parent_header": {},
                "metadata": {},
                "content": {},
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    while True:
        message = await ws.recv()
        if isinstance(message, str):
            reply = json.loads(message)
            if reply.get("parent_header", {}).get("msg_id") == msg_id and reply.get("channel") == "shell":
                return reply["header"]["msg_type"] == "kernel_info_reply"


def measure_full_room(report: Report, workdir: Path, cap: int, timeout: float) -> None:
    """Pages held open until the kernel cap, each with its kernel websocket as a live page has; memory; then
    what the next visitor sees, whether the landing page answers, and whether the open pages still work."""
    import httpx
    import websockets

    from coachkit.webapp.room import kernel_cap, memory_bytes

    root = make_root(workdir, 0, 600, 60, name="root-full-room")
    server = Server(
        [str(BIN / "coachkit-web"), f"--max-kernels={cap}"],
        {"COACHKIT_ROOT": str(root)},
        workdir / "room.log",
    )
    url = render_url(server, "baseline-slider")
    ws_base = server.url.replace("http://", "ws://")

    async def scenario():
        clients, sockets, opened = [], [], 0
        try:
            for _ in range(cap):  # one visitor after another, each keeping the page (and its kernel) open
                client = httpx.AsyncClient()
                clients.append(client)
                response = await client.get(url, timeout=timeout)
                found = KERNEL_ID.search(response.text)
                if response.status_code != 200 or not found:
                    break
                cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
                sockets.append(
                    await websockets.connect(
                        f"{ws_base}api/kernels/{found.group(1)}/channels",
                        additional_headers={"Cookie": cookies},
                    )
                )
                opened += 1
            server.wait_quiet(timeout=60)
            kernels = server.kernels()
            kernel_rss = sum(k.memory_info().rss for k in kernels) / 2**20
            kernel_uss = sum(k.memory_full_info().uss for k in kernels) / 2**20
            web = psutil.Process(server.process.pid)
            server_rss, files = web.memory_info().rss / 2**20, web.num_fds()
            async with httpx.AsyncClient() as late:
                started = time.monotonic()
                next_page = await late.get(url, timeout=timeout)
                next_seconds = time.monotonic() - started
                started = time.monotonic()
                landing = await late.get(server.url, timeout=timeout)
                landing_seconds = time.monotonic() - started
            pong = 0
            for ws in sockets:
                with contextlib.suppress(Exception):
                    pong += await asyncio.wait_for(kernel_answers(ws), timeout=30)
            return {
                "opened": opened,
                "kernels": len(kernels),
                "kernel_rss": kernel_rss,
                "kernel_uss": kernel_uss,
                "server_rss": server_rss,
                "files": files,
                "next": next_page.status_code,
                "full": "The workshop is full" in next_page.text,
                "next_seconds": next_seconds,
                "landing": landing.status_code,
                "landing_seconds": landing_seconds,
                "alive": pong,
            }
        finally:
            for ws in sockets:
                with contextlib.suppress(Exception):
                    await ws.close()
            for client in clients:
                await client.aclose()

    try:
        found = asyncio.run(scenario())
    finally:
        server.stop()
    next_text = f"HTTP {found['next']}" + (' "the workshop is full"' if found["full"] else "")
    report.table(
        f"A full room: pages held open until the kernel cap (--max-kernels={cap}), one-slider page",
        [
            "pages open",
            "kernels",
            "their memory (RSS / USS)",
            "server",
            "next visitor",
            "landing page",
            "open pages alive",
        ],
        [
            [
                str(found["opened"]),
                str(found["kernels"]),
                f"{found['kernel_rss']:.0f} / {found['kernel_uss']:.0f} MB "
                f"({found['kernel_uss'] / max(found['kernels'], 1):.0f} MB USS each)",
                f"{found['server_rss']:.0f} MB RSS, {found['files']} open files",
                f"{next_text} in {found['next_seconds']:.2f} s",
                f"HTTP {found['landing']} in {found['landing_seconds']:.2f} s",
                f"{found['alive']} of {found['opened']} kernels answer over their websocket",
            ]
        ],
    )
    pooled = len(lesson_names())
    report.notes.append(
        f"full room: the default cap here is {kernel_cap(memory_bytes(), pooled)} visitors' kernels "
        f"({memory_bytes() / 2**30:.1f} GiB, {pooled} pooled kernels); the row above uses {cap} to keep the "
        f"shared machine usable; the server holds {found['files'] / max(found['opened'], 1):.1f} open files "
        "per open page (all its files, divided)"
    )


def trivial_assignment(folder: Path) -> None:
    import nbformat

    def nbg(**fields):
        return {"nbgrader": {"schema_version": 3, "task": False, "locked": False, **fields}}

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION",
            metadata=nbg(grade=False, solution=True, grade_id="answer"),
        ),
        nbformat.v4.new_code_cell(
            "assert answer == 42",
            metadata=nbg(grade=True, solution=False, locked=True, grade_id="check", points=1),
        ),
    ]
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{folder.name}.ipynb")


def timed_nbgrader(report: Report, course: Path, env: dict, *args: str) -> tuple[float, list[float]]:
    """Run nbgrader in ``course``; its wall time and, for autograde, the seconds each submission took in
    turn (the first from the call's start). nbgrader's log announces each student as it begins and sets the
    graded files' permissions as it finishes, so the harness reads the log as it runs."""
    started = time.monotonic()
    begun = started  # when nbgrader began the submission it is grading (the first: at the call's start)
    seconds: list[float] = []
    last_lines: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        watchdog = threading.Timer(900, process.kill)
        watchdog.start()
        try:
            for line in process.stderr:
                if "Creating/updating student with ID" in line and seconds:
                    begun = time.monotonic()
                elif "Setting destination file permissions" in line:
                    seconds.append(time.monotonic() - begun)
                last_lines = [*last_lines[-2:], line.strip()]
        finally:
            watchdog.cancel()
    ended = time.monotonic()
    if process.returncode != 0:
        report.notes.append(f"nbgrader {' '.join(args)} failed: {last_lines}")
    return ended - started, seconds


def measure_grading(
    report: Report, workdir: Path, students: int, class_size: int, runs: int, whole_class: bool = False
) -> None:
    """5. Autograde seconds per submission per assignment vs a trivial one; a class extrapolated, and with
    ``whole_class`` measured: ``class_size`` submissions of every assignment, one autograde call each.

    One call grades ``students`` submissions; the harness notes when nbgrader starts each one (it announces
    the student) and when it is done with it (it sets the graded files' permissions), so every submission
    after the first (which also carries the call's start-up) is one sample."""
    course = workdir / "course"
    shutil.copytree(REPO / "solutions", course / "solutions")
    shutil.copy2(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    trivial_assignment(course / "solutions" / "trivial")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "NBGRADER_EXCHANGE": str(course / "exchange"),
        "PYTHONUNBUFFERED": "1",
    }

    def nbgrader(*args: str) -> tuple[float, list[float]]:
        return timed_nbgrader(report, course, env, *args)

    def submit(name: str, group: str, count: int) -> None:
        for index in range(count):  # the solution: full marks, all cells run
            shutil.copytree(course / "solutions" / name, course / "submitted" / f"{group}{index:02d}" / name)

    names = sorted(p.name for p in (course / "solutions").iterdir() if p.is_dir())
    for name in names:
        nbgrader("generate_assignment", name, "--force")
    call: dict[str, Figure] = {name: Figure() for name in names}
    first: dict[str, Figure] = {name: Figure() for name in names}
    each: dict[str, Figure] = {name: Figure() for name in names}
    overhead: dict[str, Figure] = {name: Figure() for name in names}  # all but the further submissions
    # Round-robin over the assignments, so that a slow moment of the machine spreads over all of them.
    for run in range(runs):
        for name in names:
            submit(name, f"run{run}-", students)
            wall, seconds = nbgrader("autograde", name, "--student", f"run{run}-*")
            call[name].add(wall)
            first[name].add(seconds[0] if seconds else float("nan"))
            overhead[name].add(wall - sum(seconds[1:]))
            for value in seconds[1:]:
                each[name].add(value)
    trivial = each["trivial"].median
    report.table(
        f"Autograde ({students} submissions in one call, {runs} call(s) per assignment; each submission after"
        " the first is a sample: median (min-max))",
        [
            "assignment",
            "one call",
            "first submission, with the call's start-up",
            "each further submission",
            "ratio to trivial",
        ],
        [
            [
                name,
                call[name].text(),
                first[name].text(),
                each[name].text(),
                ratio(each[name].median, trivial),
            ]
            for name in names
        ],
    )
    real = [n for n in names if n != "trivial"]
    fixed = statistics.median([overhead[n].median for n in real])
    total = sum(fixed + each[n].median * (class_size - 1) for n in real)
    if whole_class:
        started = time.monotonic()
        rows = []
        for name in real:
            submit(name, "class", class_size)
            wall, seconds = nbgrader("autograde", name, "--student", "class*")
            per = Figure(seconds[1:])
            rows.append([name, f"{wall:.1f} s", per.text(), ratio(per.median, trivial)])
        measured = time.monotonic() - started
        rows.append(["all", f"{measured:.0f} s ({measured / 60:.1f} min)", "", ""])
        report.notes.append(f"the measured class grading took {measured:.0f} s of the wall time below")
        report.table(
            f"A class of {class_size} x {len(real)} assignments (measured: one autograde call each)",
            [
                "assignment",
                f"{class_size} submissions",
                "each submission after the first",
                "ratio to trivial",
            ],
            rows,
        )
    report.table(
        f"A class of {class_size} x {len(real)} assignments (extrapolated)",
        ["estimate", "how"],
        [
            [
                f"{total:.0f} s ({total / 60:.1f} min)",
                f"per assignment: one call's start-up, first submission and exit ({fixed:.1f} s) +"
                f" {class_size - 1} x its further-submission time",
            ]
        ],
    )


SANDBOX_TARGET = 1.5  # issue 19: autograde per submission, sandboxed, within 1.5x the trivial assignment


def measure_grading_sandbox(
    report: Report, workdir: Path, students: int, runs: int, assignments: list[str]
) -> None:
    """5b. Autograde seconds per submission in the grading sandbox (coachkit/grading/sandbox.py) vs the
    trivial assignment graded the same way in the same run; and the same calls without the sandbox, for its
    own cost.

    One course holds ``assignments`` and the trivial one-cell assignment (``trivial_assignment``: one answer
    cell, one autograded test cell worth 1 point), with the real nbgrader_config.py, so every notebook takes
    the same path: nbgrader autograde, a kernel in bwrap, the scoring step. For each run, assignment and mode
    (sandboxed; unsandboxed: bwrap hidden from PATH, COACHKIT_GRADE_UNSANDBOXED=1), one autograde call of
    ``students`` copies of the trivial assignment's solution and, right after it, one of the assignment's:
    each assignment is compared with the trivial calls made next to it, so that the load of a shared machine,
    which drifts over minutes, falls on both. Each submission after the first in a call is one sample (the
    first carries the call's start-up)."""
    course = workdir / "course-sandbox"
    for name in assignments:
        shutil.copytree(REPO / "solutions" / name, course / "solutions" / name)
    shutil.copy2(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    trivial_assignment(course / "solutions" / "trivial")
    hidden = course / "bin"  # a PATH with alembic (nbgrader needs it) and no bwrap
    hidden.mkdir()
    os.symlink(BIN / "alembic", hidden / "alembic")
    sandboxed = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "NBGRADER_EXCHANGE": str(course / "exchange"),
        "PYTHONUNBUFFERED": "1",
    }
    modes = {
        "sandboxed": sandboxed,
        "unsandboxed": {**sandboxed, "PATH": f"{hidden}:/nonexistent", "COACHKIT_GRADE_UNSANDBOXED": "1"},
    }
    if shutil.which("bwrap") is None:
        report.notes.append("grading sandbox: bwrap is not installed, the sandboxed row was not measured")
        return
    names = ["trivial", *assignments]
    for name in names:
        timed_nbgrader(report, course, sandboxed, "generate_assignment", name, "--force")
    first = {(mode, name): Figure() for mode in modes for name in names}
    each = {(mode, name): Figure() for mode in modes for name in names}
    beside = {(mode, name): Figure() for mode in modes for name in assignments}  # trivial next to name
    graded = {name: 0 for name in names}
    calls = 0
    for _ in range(runs):
        for name in assignments:
            for mode, env in modes.items():
                for graded_name in ("trivial", name):
                    calls += 1
                    group = f"c{calls:03d}-"
                    for index in range(students):
                        target = course / "submitted" / f"{group}{index:02d}" / graded_name
                        shutil.copytree(course / "solutions" / graded_name, target)
                    _, seconds = timed_nbgrader(
                        report, course, env, "autograde", graded_name, "--student", f"{group}*"
                    )
                    first[mode, graded_name].add(seconds[0] if seconds else float("nan"))
                    for value in seconds[1:]:
                        each[mode, graded_name].add(value)
                        if graded_name == "trivial":
                            beside[mode, name].add(value)
                    if mode == "sandboxed":
                        graded[graded_name] += len(seconds)
    rows = []
    worst = 0.0
    for name in names:
        boxed, plain = each["sandboxed", name], each["unsandboxed", name]
        versus = "1.00x"
        if name != "trivial":
            trivial = beside["sandboxed", name].median
            worst = max(worst, boxed.median / trivial if trivial else float("nan"))
            versus = f"{ratio(boxed.median, trivial)} (trivial beside it: {trivial:.2f} s)"
        rows.append(
            [
                name,
                f"{graded[name]} of {len(first['sandboxed', name].values) * students}",
                first["sandboxed", name].text(),
                boxed.text(),
                plain.text(),
                ratio(boxed.median, plain.median),
                versus,
            ]
        )
    report.table(
        f"Autograde in the grading sandbox ({students} submissions per call, {runs} call(s) per assignment"
        " and mode; each submission after the first is a sample: median (min-max))",
        [
            "assignment",
            "graded sandboxed",
            "first submission sandboxed, with the call's start-up",
            "each further submission, sandboxed",
            "the same, unsandboxed",
            "sandboxed vs unsandboxed",
            f"sandboxed vs trivial sandboxed (target <= {SANDBOX_TARGET}x)",
        ],
        rows,
    )
    verdict = "met" if worst <= SANDBOX_TARGET else "missed"
    note = (
        f"grading sandbox: the slowest assignment per submission is {worst:.2f}x the trivial assignment"
        f" graded beside it, both sandboxed (target <= {SANDBOX_TARGET}x: {verdict})"
    )
    report.notes.append(note)
    print(note, flush=True)


# --- the run
# --- Lighthouse
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = RESULTS / "lighthouse"  # installed here by the harness; bench/results/ is not committed


def lighthouse_bin() -> Path:
    """Lighthouse (npm, pinned) in a folder of the harness's own, installed on first use."""
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    stamp = LIGHTHOUSE_DIR / f".installed-{LIGHTHOUSE_VERSION}"
    if not (binary.exists() and stamp.exists()):
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("the Lighthouse table needs npm (Node 20): apt-get install npm")
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR} ...", flush=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(LIGHTHOUSE_DIR)]
            + [f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        stamp.touch()
    return binary


def lighthouse(url: str, out: Path) -> dict[str, float]:
    """One Lighthouse run (desktop preset, performance only) on Debian's Chromium; the figures we report."""
    env = {**os.environ, "CHROME_PATH": harness.CHROMIUM}
    subprocess.run(
        [
            str(lighthouse_bin()),
            url,
            "--preset=desktop",
            "--only-categories=performance",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            "--max-wait-for-load=90000",
            "--chrome-flags=" + " ".join(harness.CHROMIUM_FLAGS),
        ],
        check=True,
        env=env,
        timeout=300,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    audits = result["audits"]
    return {
        "score": result["categories"]["performance"]["score"] or 0.0,
        "transfer": audits["total-byte-weight"]["numericValue"] / 1e6,
        "tti": audits["interactive"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"] / 1000,
    }


def measure_lighthouse(report: Report, workdir: Path, runs: int) -> None:
    """Lighthouse on the landing page and every lesson (coachkit-web as `make start` runs it: voila.json's
    pool of one kernel per lesson) and on the one-slider notebook served by bare voila, in the same run."""
    root = make_root(workdir, 1, 600, 60, name="root-lighthouse")
    bare_root = workdir / "bare-lighthouse"
    bare_root.mkdir()
    shutil.copy2(root / "lessons" / "baseline-slider.ipynb", bare_root / "baseline-slider.ipynb")
    reports = workdir / "lighthouse"
    reports.mkdir()
    figures: dict[str, dict[str, Figure]] = {}

    def add(name: str, found: dict[str, float]) -> None:
        for key, value in found.items():
            figures.setdefault(name, {}).setdefault(key, Figure()).add(value)

    bare = Server([str(BIN / "voila")], {}, workdir / "bare-lighthouse.log", cwd=bare_root)
    try:
        for run in range(runs):
            bare.wait_quiet()
            url = f"{bare.url}voila/render/baseline-slider.ipynb"
            add("bare voila: baseline-slider", lighthouse(url, reports / f"bare-{run}.json"))
    finally:
        bare.stop()
    server = Server([str(BIN / "coachkit-web")], {"COACHKIT_ROOT": str(root)}, workdir / "lighthouse.log")
    try:
        pool = len(list((root / "lessons").glob("*.ipynb")))
        names = ["landing", *lesson_names()]
        for run in range(runs):
            for name in names:
                server.wait_kernels_at_least(pool, timeout=60)  # the pool has refilled
                server.wait_quiet(timeout=60)
                url = server.url if name == "landing" else render_url(server, name)
                add(name, lighthouse(url, reports / f"{name}-{run}.json"))
    finally:
        server.stop()
    base = figures.get("bare voila: baseline-slider", {})

    def med(name: str, key: str) -> float:
        return figures.get(name, {}).get(key, Figure()).median

    rows = []
    for name in ["bare voila: baseline-slider", "landing", *lesson_names()]:
        if name not in figures:
            continue
        f = figures[name]
        rows.append(
            [
                name,
                f"{f['score'].median:.2f}",
                f"{f['transfer'].median:.2f} MB",
                f"{f['tti'].median:.2f} s",
                f"{f['tbt'].median:.2f} s",
                ratio(med(name, "transfer"), base["transfer"].median) if base else "n/a",
                ratio(med(name, "tti"), base["tti"].median) if base else "n/a",
                ratio(med(name, "tbt"), base["tbt"].median) if base else "n/a",
            ]
        )
    report.table(
        f"Lighthouse {LIGHTHOUSE_VERSION}, desktop preset, headless Chromium ({runs} run(s) per page)",
        [
            "page",
            "performance",
            "transfer",
            "time to interactive",
            "total blocking time",
            "transfer vs bare",
            "TTI vs bare",
            "TBT vs bare",
        ],
        rows,
    )
    lessons = [n for n in lesson_names() if n in figures]
    if lessons and base:
        heaviest = max(med(n, "transfer") for n in lessons)
        worst_score = min(med(n, "score") for n in lessons)
        worst_tti = max(med(n, "tti") for n in lessons) / base["tti"].median
        report.notes.append(
            f"Lighthouse targets: largest lesson transfer {heaviest:.2f} MB (target <= 1.5), lowest "
            f"lesson score {worst_score:.2f} (target >= 0.9), highest lesson TTI {worst_tti:.2f}x bare "
            "(target <= 0.8x)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="repetitions of each page open (default 2)")
    parser.add_argument("--sizes", default="1,10,30", help="class sizes for simultaneous opens")
    parser.add_argument("--students", type=int, default=6, help="submissions per assignment to autograde")
    parser.add_argument(
        "--grading-runs", type=int, default=1, help="autograde calls per assignment (default 1)"
    )
    parser.add_argument(
        "--class-grading",
        action="store_true",
        help="also autograde 30 submissions of every assignment for real (about 4 more minutes)",
    )
    parser.add_argument(
        "--only",
        default="launch,lighthouse,cold,preheated,class,room,grading,sandbox,scaled",
        help="comma-separated sections (sandbox: autograde in the grading sandbox vs the trivial assignment; "
        "scaled: N replicas behind HAProxy vs one, as python -m bench.scaled)",
    )
    parser.add_argument(
        "--room-cap", type=int, default=40, help="kernel cap for the full-room row (default 40)"
    )
    parser.add_argument(
        "--lighthouse-runs", type=int, default=1, help="Lighthouse runs per page (default 1, median)"
    )
    parser.add_argument(
        "--sandbox-assignments",
        default="a01-questions",
        help="assignments of the sandbox row, comma-separated, or 'all' (default a01-questions)",
    )
    parser.add_argument(
        "--sandbox-runs", type=int, default=1, help="autograde calls per assignment and mode (sandbox row)"
    )
    parser.add_argument("--replicas", type=int, default=3, help="replicas in the scaled row (vs 1)")
    parser.add_argument("--scaled-opens", type=int, default=30, help="simultaneous opens in the scaled row")
    parser.add_argument("--update-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args(argv)
    sections = set(args.only.split(","))
    report = Report()
    began = time.monotonic()
    cull_idle, cull_interval = 10, 3
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-") as tmp:
        workdir = Path(tmp)
        cold_root = make_root(workdir, 0, cull_idle, cull_interval)
        lessons = lesson_names()
        pages = ["landing", "baseline-slider", *lessons]
        if "launch" in sections:
            measure_launch(report, args.runs, workdir, cold_root)
        if "lighthouse" in sections:
            measure_lighthouse(report, workdir, args.lighthouse_runs)
        cold: dict[str, Figure] = {}
        hot: dict[str, Figure] = {}
        probes: dict[str, str] = {}
        memory: dict[str, tuple[Figure, Figure]] = {}
        heaviest = lessons[-1] if lessons else "baseline-slider"
        if "cold" in sections:
            server = Server(
                [str(BIN / "coachkit-web")], {"COACHKIT_ROOT": str(cold_root)}, workdir / "cold.log"
            )
            try:
                # the cold server: time to interactive, memory, kernels left
                cold, probes = asyncio.run(
                    measure_pages(
                        server, [*pages, "baseline-widgets", "baseline-empty"], args.runs, False, memory
                    )
                )
                base = memory.get("baseline-widgets")
                rows = []
                for name in ["baseline-empty", "baseline-widgets", *lessons]:
                    if name in memory:
                        rss, uss = memory[name]
                        rows.append(
                            [
                                name,
                                rss.text("MB", 0),
                                uss.text("MB", 0),
                                ratio(rss.median, base[0].median),
                                ratio(uss.median, base[1].median),
                            ]
                        )
                report.table(
                    "Kernel memory per open page (just after it became interactive)",
                    ["page", "RSS", "USS", "RSS vs bare ipywidgets", "USS vs bare ipywidgets"],
                    rows,
                )
                heavy = [n for n in lessons if n in memory]
                if heavy:
                    heaviest = max(heavy, key=lambda n: memory[n][1].median)
                closed_at = time.monotonic()
                left = server.wait_kernels(0, timeout=cull_idle + 3 * cull_interval + 10)
                report.table(
                    "Kernels left after every page closed",
                    ["server", "kernels left", "after"],
                    [
                        [
                            f"cold, culling {cull_idle} s idle / every {cull_interval} s",
                            str(left),
                            f"{time.monotonic() - closed_at:.1f} s",
                        ]
                    ],
                )
            finally:
                server.stop()
        if "class" in sections:
            # The real culling (voila.json): a 10 s culler would take kernels that are still starting when
            # 30 arrive at once. Fetched pages shut their kernels down themselves, as closing tabs do.
            class_root = make_root(workdir, 0, 600, 60, name="root-class")
            server = Server(
                [str(BIN / "coachkit-web")], {"COACHKIT_ROOT": str(class_root)}, workdir / "class.log"
            )
            first = lessons[0] if lessons else "baseline-slider"
            try:
                sizes = [int(s) for s in args.sizes.split(",")]
                measure_class(report, server, first, heaviest, sizes, timeout=120, cull=60)
            finally:
                server.stop()
            measure_class_pool(report, workdir, first, size=max(sizes), timeout=120)
        if "preheated" in sections:
            hot_root = make_root(workdir, 1, 600, 60)
            server = Server(
                [str(BIN / "coachkit-web")], {"COACHKIT_ROOT": str(hot_root)}, workdir / "hot.log"
            )
            try:
                pool = len(list((hot_root / "lessons").glob("*.ipynb")))
                server.wait_kernels(pool, timeout=120)
                server.wait_quiet(timeout=120)
                hot, _ = asyncio.run(measure_pages(server, pages, args.runs, True, None))
                left = server.wait_kernels(pool, timeout=30)
                report.notes.append(
                    f"preheated server: {left} kernels after all pages closed (pool of {pool})"
                )
            finally:
                server.stop()
        if cold or "preheated" in sections:
            base_cold = cold.get("baseline-slider", Figure()).median
            base_hot = (
                hot.get("baseline-slider", Figure()).median if "preheated" in sections else float("nan")
            )
            rows = []
            for name in pages:
                c = cold.get(name, Figure())
                h = hot.get(name, Figure()) if "preheated" in sections else Figure()
                rows.append(
                    [
                        name,
                        c.text(),
                        ratio(c.median, base_cold),
                        h.text(),
                        ratio(h.median, base_hot),
                        ratio(h.median, c.median),
                        probes.get(name, ""),
                    ]
                )
            report.table(
                "Time to interactive in headless Chromium (page open to a widget's reply from the kernel)",
                [
                    "page",
                    "cold",
                    "cold vs baseline-slider",
                    "preheated",
                    "preheated vs baseline-slider",
                    "preheated vs own cold",
                    "probe",
                ],
                rows,
            )
        if "room" in sections:
            measure_full_room(report, workdir, args.room_cap, timeout=120)
        if "grading" in sections:
            measure_grading(
                report, workdir, args.students, 30, args.grading_runs, whole_class=args.class_grading
            )
        if "sandbox" in sections:
            chosen = args.sandbox_assignments.split(",")
            if chosen == ["all"]:
                chosen = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
            measure_grading_sandbox(report, workdir, args.students, args.sandbox_runs, chosen)
        if "scaled" in sections:
            from bench.scaled import HAPROXY, measure_scaled  # bench.scaled imports this module

            if HAPROXY.exists():
                measure_scaled(report, workdir, args.replicas, args.scaled_opens)
            else:
                report.notes.append(f"scaled row skipped: {HAPROXY} is missing (apt-get install haproxy)")
    report.notes.append(f"harness wall time {time.monotonic() - began:.0f} s; {args.runs} runs per page open")
    text = report.markdown(machine_text())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print(f"\nwritten to {RESULTS / 'latest.md'}")
    if args.update_docs:
        update_docs(text)
    return 0


def update_docs(text: str) -> None:
    """Replace the part of docs/performance.md between the two markers with the latest table."""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    page = PERFORMANCE_PAGE.read_text(encoding="utf-8")
    if start not in page or end not in page:
        raise SystemExit(f"{PERFORMANCE_PAGE} lacks the {start} / {end} markers")
    head, rest = page.split(start, 1)
    _, tail = rest.split(end, 1)
    PERFORMANCE_PAGE.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")
    print(f"updated {PERFORMANCE_PAGE}")


if __name__ == "__main__":
    sys.exit(main())

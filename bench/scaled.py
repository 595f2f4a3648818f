"""The scaled set-up's row of the bench (`python -m bench.scaled`, on its own): N replicas against one.

Both set-ups are `python -m coachkit.webapp.scaled` (HAProxy in front, the board process beside), started
one after the other in the same run on the same lesson copies, so the proxy's share is in both and only the
number of replicas differs. Each gets M simultaneous opens of the first lesson, every one a new visitor
(cookies of its own) that keeps its page open; once all are in, the memory of each replica (its server's RSS
and its kernels' USS) is read, then the pages close as tabs do. Cold: no pool.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.run import KERNEL_ID, RESULTS, Report, lesson_names, machine_text, make_root, p95, ratio
from tests import webapp_harness as harness

HAPROXY = Path("/usr/sbin/haproxy")


class ScaledSetUp:
    """`python -m coachkit.webapp.scaled --replicas=N` on free ports, stopped with every kernel."""

    def __init__(self, replicas: int, root: Path, workdir: Path) -> None:
        self.replicas = replicas
        self.port = harness.free_port()
        self.first = harness.free_port()
        while abs(self.first - self.port) <= replicas:
            self.first = harness.free_port()
        board = harness.free_port()
        while board == self.port or self.first <= board < self.first + replicas:
            board = harness.free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        board_dir = workdir / f"board-{replicas}"
        env = {**os.environ, "COACHKIT_ROOT": str(root), "COACHKIT_BOARD_DIR": str(board_dir)}
        self.log = open(workdir / f"scaled-{replicas}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coachkit.webapp.scaled",
                f"--replicas={replicas}",
                f"--port={self.port}",
                f"--first-replica-port={self.first}",
                f"--board-port={board}",
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for port in range(self.first, self.first + replicas):
            harness.wait_for_http(f"http://127.0.0.1:{port}/", process=self.process)
        harness.wait_for_http(self.url, process=self.process)
        time.sleep(3)  # HAProxy's first health checks

    def replica_processes(self) -> dict[str, psutil.Process]:
        found = {}
        for child in psutil.Process(self.process.pid).children():
            with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
                for i in range(self.replicas):
                    if f"--port={self.first + i}" in child.cmdline():
                        found[f"r{i}"] = child
        return found

    def memory(self) -> dict[str, tuple[float, int, float]]:
        """Per replica: (its server's RSS, its kernels, their USS), in MB."""
        result = {}
        for name, proc in self.replica_processes().items():
            kernels = harness.kernel_processes(proc.pid)
            uss = 0.0
            for kernel in kernels:
                with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
                    uss += kernel.memory_full_info().uss
            result[name] = (proc.memory_info().rss / 2**20, len(kernels), uss / 2**20)
        return result

    def stop(self) -> None:
        children = []
        with contextlib.suppress(psutil.NoSuchProcess):
            children = psutil.Process(self.process.pid).children(recursive=True)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        self.log.close()


async def open_and_hold(set_up: ScaledSetUp, url: str, count: int, timeout: float) -> dict:
    """``count`` simultaneous opens, each a new visitor keeping its page; memory once all are in; then
    every page closes (the shutdown beacon)."""
    import httpx

    clients = [httpx.AsyncClient() for _ in range(count)]
    kernels: dict[int, str] = {}

    async def one(n: int, client) -> tuple[str, float, str]:
        started = time.monotonic()
        try:
            response = await client.get(url, timeout=timeout)
        except httpx.TimeoutException:
            return "hung", time.monotonic() - started, ""
        except httpx.HTTPError:
            return "failed", time.monotonic() - started, ""
        seconds = time.monotonic() - started
        found = KERNEL_ID.search(response.text)
        if found:
            kernels[n] = found.group(1)
        ok = response.status_code == 200 and found and "ck-kernel-failed" not in response.text
        return ("ok" if ok else "failed"), seconds, client.cookies.get("coachkit_replica", "")

    began = time.monotonic()
    try:
        results = await asyncio.gather(*(one(n, c) for n, c in enumerate(clients)))
        all_done = time.monotonic() - began
        await asyncio.sleep(2)
        memory = await asyncio.to_thread(set_up.memory)
    finally:
        for n, client in enumerate(clients):
            if n in kernels:
                with contextlib.suppress(httpx.HTTPError):
                    await client.post(
                        url.split("voila/render/")[0] + f"voila/api/shutdown/{kernels[n]}",
                        headers={"X-XSRFToken": client.cookies.get("_xsrf", "")},
                        timeout=timeout,
                    )
            await client.aclose()
    return {"results": results, "all_done": all_done, "memory": memory}


def measure_scaled(report: Report, workdir: Path, replicas: int, opens: int, timeout: float = 180) -> None:
    """The row: M simultaneous opens of the first lesson through HAProxy, N replicas and then one."""
    if not HAPROXY.exists():
        report.notes.append("scaled set-up: not measured (needs HAProxy: apt-get install haproxy)")
        return
    root = make_root(workdir, 0, 600, 60, name="root-scaled")
    first = (lesson_names() or ["baseline-slider"])[0]
    found = {}
    for count in (replicas, 1):
        set_up = ScaledSetUp(count, root, workdir)
        try:
            url = f"{set_up.url}voila/render/lessons/{first}.ipynb"
            found[count] = asyncio.run(open_and_hold(set_up, url, opens, timeout))
        finally:
            set_up.stop()
    rows = []
    base = found[1]
    base_times = [s for kind, s, _ in base["results"] if kind == "ok"]
    for count in (replicas, 1):
        data = found[count]
        times = [s for kind, s, _ in data["results"] if kind == "ok"]
        kinds = [kind for kind, _, _ in data["results"]]
        split = {}
        for kind, _, replica in data["results"]:
            if kind == "ok":
                split[replica] = split.get(replica, 0) + 1
        memory = data["memory"]
        per_replica = "; ".join(
            f"{name}: {rss:.0f} MB + {kernels} kernels {uss:.0f} MB"
            for name, (rss, kernels, uss) in sorted(memory.items())
        )
        median = statistics.median(times) if times else float("nan")
        worst = p95(times) if times else float("nan")
        rows.append(
            [
                f"{count} replica{'s' if count > 1 else ''}",
                f"{median:.2f} s",
                f"{worst:.2f} s",
                f"{data['all_done']:.1f} s",
                f"{kinds.count('hung')} / {kinds.count('failed')}",
                " / ".join(str(split.get(f"r{i}", 0)) for i in range(count)),
                per_replica,
                f"{ratio(median, statistics.median(base_times) if base_times else float('nan'))} / "
                f"{ratio(worst, p95(base_times) if base_times else float('nan'))} / "
                f"{ratio(data['all_done'], base['all_done'])}",
            ]
        )
    report.table(
        f"The scaled set-up: {opens} opens of {first} at once through HAProxy, {replicas} replicas vs 1 "
        "(HTTP-side, cold, every page kept open)",
        [
            "set-up",
            "median",
            "p95",
            "all done",
            "hung / failed",
            "split over replicas",
            "memory per replica (server RSS + its kernels' USS)",
            "median / p95 / all done vs 1 replica",
        ],
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaled", description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3, help="replicas, measured against 1 (default 3)")
    parser.add_argument("--opens", type=int, default=30, help="simultaneous opens of the first lesson (30)")
    args = parser.parse_args(argv)
    report = Report()
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="coachkit-bench-scaled-") as tmp:
        measure_scaled(report, Path(tmp), args.replicas, args.opens)
    report.notes.append(f"harness wall time {time.monotonic() - began:.0f} s")
    text = report.markdown(machine_text())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scaled.md").write_text(text, encoding="utf-8")
    print(f"\nwritten to {RESULTS / 'scaled.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

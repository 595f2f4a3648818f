"""Starts the web app and headless Chromium the same way for the tests (tests/conftest.py) and the benchmarks.

Not imported by the workshop itself; psutil (a test dependency) is imported where it is used.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_web_app(
    cmd: list[str], port: int, log_path: Path, cwd: Path, env: dict | None = None, extra: tuple = ()
) -> subprocess.Popen:
    """Start a Voila server (``coachkit-web`` or bare ``voila``) on ``port`` in its own process group, so
    that ``stop_process`` can stop it with everything it started; its output goes to ``log_path``."""
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [*cmd, f"--port={port}", "--Voila.port_retries=0", *extra],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for_http(
    url: str, timeout: float = 120, process: subprocess.Popen | None = None, interval: float = 0.25
) -> float:
    """Wait until ``url`` answers 200 and return the seconds it took; fail early if the server died."""
    started = time.monotonic()
    deadline = started + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local server
                if response.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = exc
        time.sleep(interval)
    raise TimeoutError(f"{url} did not answer 200 within {timeout} s ({last_error})")


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM the server's process group, then SIGKILL what is left."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def kernel_processes(pid: int) -> list:
    """The kernels (``psutil.Process``) a server started; they run in their own sessions, so stopping the
    server's process group does not reach them."""
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
    # A kernel running a subprocess forks first: until the child execs, it carries the kernel's command
    # line. Count kernels, not their forks.
    pids = {kernel.pid for kernel in found}
    kernels = []
    for kernel in found:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
            if kernel.ppid() not in pids:
                kernels.append(kernel)
    return kernels

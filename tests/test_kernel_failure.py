"""A lesson whose kernel cannot start must tell the visitor so in bounded time, not load for ever (issue 7).
Voila 0.5.13 starts the kernel inside a background task of its page handler (voila/handler.py,
``put_html``); when the kernel dies before it answers (``RuntimeError: Kernel died before replying to
kernel_info`` after ``VoilaExecutor.startup_timeout``), the task ends with the exception, never queues
its end marker, and the handler keeps sending ``window.voila_heartbeat()`` every
``http_keep_alive_timeout`` seconds: the page would stay on "Loading" for ever. The web app's
LessonPageHandler looks at the kernel at each heartbeat and ends the page with a message once it is gone.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.conftest import REPO, web_app

# VoilaExecutor.startup_timeout (30 s in voila.json) plus time to write the error: the visitor's bound.
BOUND_SECONDS = 45


def broken_root(tmp_path):
    """A workshop root with one lesson whose kernelspec runs a program that exits at once."""
    kernels = tmp_path / "jupyter" / "kernels" / "broken"
    kernels.mkdir(parents=True)
    spec = {"argv": ["/bin/false", "{connection_file}"], "display_name": "Broken", "language": "python"}
    (kernels / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    root = tmp_path / "root"
    (root / "lessons").mkdir(parents=True)
    (root / "assets").mkdir()
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": "1 + 1"}
    nb = {
        "cells": [cell],
        "metadata": {"kernelspec": {"name": "broken", "display_name": "Broken", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / "lessons" / "broken.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    config = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    config["VoilaConfiguration"]["preheat_kernel"] = (
        False  # a pool would hide the failure behind its own retries
    )
    (root / "voila.json").write_text(json.dumps(config), encoding="utf-8")
    return root, tmp_path / "jupyter"


@pytest.mark.slow
def test_failed_kernel_start_ends_the_page_with_a_message(tmp_path):
    """Does a lesson whose kernel dies at start finish its page, with a message, within the bound?"""
    root, jupyter_path = broken_root(tmp_path)
    with web_app(root=root, env={"JUPYTER_PATH": str(jupyter_path)}, log_name="kernel-failure") as server:
        url = f"{server.url}voila/render/lessons/broken.ipynb"
        started = time.monotonic()
        body = ""
        finished = False
        with httpx.stream("GET", url, timeout=httpx.Timeout(BOUND_SECONDS, read=BOUND_SECONDS)) as response:
            assert response.status_code == 200
            for chunk in response.iter_text():
                body += chunk
                if "</html>" in body:
                    finished = True
                    break
                if time.monotonic() - started > BOUND_SECONDS:
                    break
        seconds = time.monotonic() - started
    assert finished, (
        f"the page was still loading after {seconds:.0f} s (only heartbeats after the kernel died)"
    )
    assert seconds <= BOUND_SECONDS
    assert "facilitator" in body.lower(), "the finished page does not tell the visitor what to do"

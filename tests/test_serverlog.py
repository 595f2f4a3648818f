"""The workshop's log lines reach the server's log, never the visitor's page (issue 18)."""

from __future__ import annotations

import logging
import os
import sys

import pytest

from coachkit import serverlog

CODE = """
import logging
import coachkit.journal.widgets
try:
    raise RuntimeError("secret path /srv/coachkit/x.py line 12")
except RuntimeError:
    logging.getLogger("coachkit.journal.widgets").exception("saving the action plan failed")
print("done")
"""


def run_in_kernel(env: dict, stderr_path) -> list[str]:
    """Run CODE in a real ipykernel with ``env``; the text of every stream output the page would get."""
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3")
    with open(stderr_path, "w") as stderr:
        manager.start_kernel(env={**os.environ, **env}, stderr=stderr, stdout=stderr)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        streams: list[str] = []
        reply = client.execute_interactive(
            CODE,
            timeout=60,
            output_hook=lambda msg: (
                streams.append(msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None
            ),
        )
        assert reply["content"]["status"] == "ok"
        return streams
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.slow
def test_kernel_log_output_goes_to_the_server_log_not_the_page(tmp_path):
    """In a web-app kernel, does a logged exception stay out of the page's streams and reach the log?"""
    env = {"COACHKIT_JOURNAL_STORE": "browser", "PYTHONPATH": os.pathsep.join(sys.path)}
    streams = run_in_kernel(env, tmp_path / "kernel.log")
    page = "".join(streams)
    assert "done" in page
    assert "secret path" not in page and "Traceback" not in page and "saving the action plan" not in page
    log = (tmp_path / "kernel.log").read_text(encoding="utf-8")
    assert "saving the action plan failed" in log and "secret path" in log


@pytest.mark.slow
def test_outside_the_web_app_logging_is_left_alone(tmp_path):
    """In JupyterLab (a file journal), is the logger not rerouted?"""
    env = {"COACHKIT_JOURNAL_STORE": "file", "PYTHONPATH": os.pathsep.join(sys.path)}
    streams = run_in_kernel(env, tmp_path / "kernel.log")
    assert "saving the action plan failed" in "".join(streams)


def test_the_handler_writes_to_the_descriptor_and_never_to_sys_stderr(tmp_path, monkeypatch):
    """Does a routed record go to the descriptor with os.write, leaving sys.stderr untouched?"""
    read_end, write_end = os.pipe()
    written = []

    class Captured:
        def write(self, text):
            written.append(text)

        def fileno(self):
            return write_end

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stderr", Captured())
    logger = logging.getLogger("coachkit")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    try:
        logger.handlers = []
        assert serverlog.route_to_server_log()
        assert serverlog.route_to_server_log()  # twice: still one handler
        assert sum(isinstance(h, serverlog.ServerLogHandler) for h in logger.handlers) == 1
        logging.getLogger("coachkit.x").error("to the server")
        os.close(write_end)
        assert b"to the server" in os.read(read_end, 4096)
        assert written == []
    finally:
        logger.handlers, logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])
        os.close(read_end)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"COACHKIT_JOURNAL_STORE": "browser"}, True),
        ({"COACHKIT_JOURNAL_STORE": "file"}, False),
        ({"COACHKIT_JOURNAL_STORE": "browser", "COACHKIT_LOG_TO_SERVER": "0"}, False),
        ({"COACHKIT_LOG_TO_SERVER": "1"}, True),
    ],
)
def test_when_logging_is_routed(monkeypatch, env, expected):
    monkeypatch.delenv("COACHKIT_JOURNAL_STORE", raising=False)
    monkeypatch.delenv("COACHKIT_LOG_TO_SERVER", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert serverlog.wanted() is expected

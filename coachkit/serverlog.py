"""The workshop's log lines go to the server's log, not to the visitor's page.

In a kernel, Python's logging writes to ``sys.stderr``, which ipykernel sends to the page as a stream
output: under Voila a visitor could read source paths and code lines from a traceback even with
tracebacks hidden. In the shared web app (its kernels get ``COACHKIT_JOURNAL_STORE=browser``; or set
``COACHKIT_LOG_TO_SERVER=1``), the ``coachkit`` logger writes straight to the kernel process's own
standard error instead, which is the server's log. ``COACHKIT_LOG_TO_SERVER=0`` turns this off.
"""

from __future__ import annotations

import logging
import os
import sys

FORMAT = "[coachkit %(asctime)s %(levelname)s %(name)s] %(message)s"


def server_stderr_fd() -> int | None:
    """The kernel process's real standard error (what the server logs), not ipykernel's captured stream.

    ipykernel's ``OutStream.fileno()`` returns its copy of the original descriptor, taken before it
    redirected descriptor 2 into the page; outside a kernel this is plain standard error."""
    for stream in (sys.stderr, sys.__stderr__):
        try:
            return stream.fileno()
        except (AttributeError, OSError, ValueError):
            continue
    return None


class ServerLogHandler(logging.Handler):
    """Writes each record to a file descriptor with os.write, bypassing ``sys.stderr``."""

    def __init__(self, fd: int) -> None:
        super().__init__(level=logging.INFO)
        self.fd = fd
        self.setFormatter(logging.Formatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            os.write(self.fd, (self.format(record) + "\n").encode("utf-8", "replace"))
        except Exception:  # noqa: S110 - a log line that cannot be written must not reach the page either
            pass


def wanted() -> bool:
    choice = os.environ.get("COACHKIT_LOG_TO_SERVER", "").strip()
    if choice:
        return choice not in ("0", "false", "no")
    return os.environ.get("COACHKIT_JOURNAL_STORE", "").strip().lower() == "browser"


def route_to_server_log() -> bool:
    """Send the ``coachkit`` logger's records to the server's log only; True when it was set up."""
    logger = logging.getLogger("coachkit")
    if any(isinstance(handler, ServerLogHandler) for handler in logger.handlers):
        return True
    fd = server_stderr_fd()
    if fd is None:
        return False
    logger.addHandler(ServerLogHandler(fd))
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the root logger (and logging's last resort) would write to sys.stderr
    return True

"""The board on PostgreSQL, the server database for hubs that span machines, against a real server.

The test starts its own throw-away cluster with Debian's postgresql binaries on a free port on 127.0.0.1
(as the postgres user when run as root, since PostgreSQL refuses to run as root) and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="module")
def postgres_url():
    """A URL to a fresh PostgreSQL server started for this module; skipped with the reason when impossible."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip(
            "psycopg is not installed: pip install 'psycopg[binary]==3.3.9' to test the PostgreSQL path"
        )
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
        )
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the test server as")
        run_as = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="coachkit-pg-"))
    data = folder / "data"
    if run_as:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    user = "coachkit"
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    subprocess.run(
        [*run_as, str(bindir / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
        env=env,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *run_as,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            subprocess.run(
                [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                timeout=60,
                env=env,
            )
        shutil.rmtree(folder, ignore_errors=True)


def test_the_board_works_on_postgresql(postgres_url):
    """Does a session take answers, count a poll with one vote per visitor, refuse a clear without the key
    and clear for the facilitator?"""
    from coachkit.board.store import (
        BoardError,
        BoardPermissionError,
        BoardStore,
        FacilitatorSession,
        LocalBoard,
    )

    store = BoardStore(postgres_url)
    try:
        assert store.engine.dialect.name == "postgresql"
        session = FacilitatorSession.open(store, "Biggest barrier?", ["Time", "Habit"])
        for choice in ["Time", "Habit", "Time"]:
            LocalBoard(BoardStore(postgres_url)).submit(session.code, choice)
        assert session.results().counts == {"Time": 2, "Habit": 1}
        store.submit(session.code, "Time", "user:ann")
        with pytest.raises(BoardError, match="already voted"):
            store.submit(session.code, "Habit", "user:ann")
        with pytest.raises(BoardPermissionError):
            store.clear(session.code, "not the key")
        text = FacilitatorSession.open(store, "Say <b>it</b>")
        LocalBoard(store).submit(text.code, "<script>x</script>")
        assert text.results().answers == ("<script>x</script>",)  # stored as typed, escaped when shown
        assert session.clear() == 4
        assert session.results().answers == ()
    finally:
        store.dispose()


def test_the_service_on_postgresql_takes_thirty_at_once(postgres_url, tmp_path):
    """With the board's API on PostgreSQL (as on a hub spanning machines, its URL in the service's
    environment only), do 30 visitors' votes and answers sent at the same moment all land, and does one
    visitor's two simultaneous votes count once?"""
    import asyncio
    import json
    import threading

    from tornado import httpserver, ioloop, netutil, web

    from coachkit.board.client import BoardClient
    from coachkit.board.service import Board, local_handlers
    from coachkit.board.store import BoardStore

    store = BoardStore(postgres_url)
    token = "kernels-token-0123456789abcdef"
    sockets = netutil.bind_sockets(0, "127.0.0.1")
    url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/coachkit/board/"
    holder, started = {}, threading.Event()

    def serve():
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = httpserver.HTTPServer(
            web.Application(local_handlers("/coachkit/board/", Board(store, kernel_token=token)))
        )
        server.add_sockets(sockets)
        holder["loop"] = ioloop.IOLoop.current()
        started.set()
        holder["loop"].start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(10)
    try:
        opener = BoardClient(url, token)
        poll, poll_key = opener.open_session("Coach or tell?", ["Coach", "Tell"])
        text, text_key = opener.open_session("One word?")
        barrier = threading.Barrier(32)
        outcomes = []

        def visitor(i: int, visitor_id: str) -> None:
            client = BoardClient(url, token)
            client.visitor = visitor_id
            barrier.wait(timeout=60)
            try:
                client.submit(poll, "Coach" if i % 2 else "Tell")
                client.submit(text, f"word {i}")
                outcomes.append("sent")
            except Exception as exc:  # noqa: BLE001 - counted below
                outcomes.append(type(exc).__name__ + ": " + str(exc))

        threads = [
            threading.Thread(target=visitor, args=(i, f"visitor-{i:02d}-0123456789")) for i in range(30)
        ]
        threads += [threading.Thread(target=visitor, args=(99, "the-same-visitor-0123456")) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert outcomes.count("sent") == 31, json.dumps(outcomes)
        votes = opener.results(poll, poll_key)
        assert sum(votes.counts.values()) == 31
        assert len(opener.results(text, text_key).answers) == 31
    finally:
        holder["loop"].add_callback(holder["loop"].stop)
        thread.join(10)
        store.dispose()

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
import time
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
    """Does a session take answers, count a poll, refuse a learner's clear and clear for the facilitator?"""
    from coachkit.board.store import BoardPermissionError, BoardStore, FacilitatorSession, LearnerBoard

    store = BoardStore(postgres_url)
    try:
        assert store.engine.dialect.name == "postgresql"
        session = FacilitatorSession.open(store, "Biggest barrier?", ["Time", "Habit"])
        learner = LearnerBoard(BoardStore(postgres_url))
        for choice in ["Time", "Habit", "Time"]:
            learner.submit(session.code, choice)
        assert session.results().counts == {"Time": 2, "Habit": 1}
        with pytest.raises(BoardPermissionError):
            store.clear(session.code, "not the key")
        text = FacilitatorSession.open(store, "Say <b>it</b>")
        learner.submit(text.code, "<script>x</script>")
        assert text.results().answers == ("<script>x</script>",)  # stored as typed, escaped when shown
        assert session.clear() == 3
        assert session.results().answers == ()
    finally:
        store.dispose()


def _submit_many(url: str, code: str, worker: int, start_at: float) -> int:
    from coachkit.board.store import BoardStore, LearnerBoard

    board = LearnerBoard(BoardStore(url))
    while time.time() < start_at:
        time.sleep(0.005)
    for i in range(3):
        board.submit(code, f"{worker}-{i}")
    return worker


def test_concurrent_kernels_on_postgresql(postgres_url):
    """Do 30 processes creating tables and submitting at once on PostgreSQL all land?"""
    import multiprocessing

    from coachkit.board.store import BoardStore, FacilitatorSession

    session = FacilitatorSession.open(BoardStore(postgres_url), "Go")
    with multiprocessing.get_context("spawn").Pool(30) as pool:
        start_at = time.time() + 15
        jobs = [pool.apply_async(_submit_many, (postgres_url, session.code, w, start_at)) for w in range(30)]
        assert sorted(job.get(timeout=240) for job in jobs) == list(range(30))
    assert len(session.results().answers) == 90

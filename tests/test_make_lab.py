"""`make lab` gives JupyterLab with nbgrader's and Voila's extensions and the workshop's landing page."""

import http.cookiejar
import json
import os
import subprocess
import urllib.request

import pytest
from conftest import REPO, free_port, stop_process, wait_for_http

TOKEN = "workshop-test-token"  # noqa: S105 - a throw-away token for a server on 127.0.0.1


# A browser-like client: the token in the first address logs in, and the cookie carries the login through
# redirects (the formgrader redirects to a sub-page without the token).
CLIENT = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def get(url: str) -> tuple[int, str]:
    with CLIENT.open(url, timeout=120) as response:
        return response.status, response.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_make_lab_serves_lab_formgrader_voila_and_landing(tmp_path):
    """Do /lab, nbgrader's formgrader, a lesson in Voila and /coachkit/ all answer in `make lab`?"""
    port = free_port()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_PORT={port}", f"LAB_ARGS=--ServerApp.token={TOKEN}"],
        cwd=REPO,
        stdout=(tmp_path / "lab.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(f"{base}lab?token={TOKEN}", timeout=120, process=process)
        status, body = get(f"{base}formgrader?token={TOKEN}")
        assert status == 200 and "manage assignments" in body.lower(), body[:300]
        status, body = get(f"{base}coachkit/?token={TOKEN}")
        assert status == 200 and "voila/render/lessons/00-start-here.ipynb" in body
        status, body = get(f"{base}voila/render/lessons/00-start-here.ipynb?token={TOKEN}")
        assert status == 200 and "ck-lesson-nav" in body
    finally:
        stop_process(process)


@pytest.mark.slow
def test_formgrader_finds_alembic_under_make_lab_without_an_activated_environment(tmp_path):
    """A new gradebook needs nbgrader to run `alembic`: does the formgrader list the assignments when the
    shell that ran `make lab` has no .venv/bin on its PATH (the formgrader said "Loading" forever)?"""
    config = tmp_path / "config"
    config.mkdir()
    # A gradebook of its own, new, so that nbgrader runs alembic to stamp it (the repository's is left alone).
    gradebook = tmp_path / "gradebook.db"
    (config / "nbgrader_config.py").write_text(f"c.CourseDirectory.db_url = 'sqlite:///{gradebook}'\n")
    venv_bin = str(REPO / ".venv" / "bin")
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env = {**os.environ, "PATH": path, "JUPYTER_CONFIG_PATH": str(config)}
    env.pop("VIRTUAL_ENV", None)
    port = free_port()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_PORT={port}", f"LAB_ARGS=--ServerApp.token={TOKEN}"],
        cwd=REPO,
        env=env,
        stdout=(tmp_path / "lab.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(f"{base}lab?token={TOKEN}", timeout=120, process=process)
        status, body = get(f"{base}formgrader/api/assignments?token={TOKEN}")
        assert status == 200, body[:300]
        assignments = {a["name"] for a in json.loads(body)}
        assert "a01-questions" in assignments, sorted(assignments)
        assert gradebook.exists()  # the new gradebook was made, with alembic's stamp
    finally:
        stop_process(process)
        log = (tmp_path / "lab.log").read_text(errors="replace")
        assert "No such file or directory: 'alembic'" not in log

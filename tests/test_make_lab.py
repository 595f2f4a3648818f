"""`make lab` gives JupyterLab with nbgrader's and Voila's extensions and the workshop's landing page."""

import subprocess
import urllib.request

import pytest
from conftest import REPO, free_port, stop_process, wait_for_http

TOKEN = "workshop-test-token"  # noqa: S105 - a throw-away token for a server on 127.0.0.1


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - local test server
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
        assert status == 200 and "nbgrader" in body.lower()
        status, body = get(f"{base}coachkit/?token={TOKEN}")
        assert status == 200 and "voila/render/lessons/00-start-here.ipynb" in body
        status, body = get(f"{base}voila/render/lessons/00-start-here.ipynb?token={TOKEN}")
        assert status == 200 and "ck-lesson-nav" in body
    finally:
        stop_process(process)

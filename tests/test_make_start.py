"""`make start`, the first command of the quick start, serves the landing page within a minute."""

import subprocess

import pytest
from conftest import REPO, free_port, stop_process, wait_for_http


@pytest.mark.slow
def test_make_start_serves_the_landing_page():
    """Does `make start PORT=...` answer HTTP 200 at / within 60 s and print the address?"""
    port = free_port()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "start", f"PORT={port}"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=60, process=process)
    finally:
        stop_process(process)
    output = process.stdout.read()
    assert f"http://127.0.0.1:{port}/" in output

"""`make room` (coachkit.facilitator.room): the network address, the banner, and a real start on 127.0.0.1.

No test contacts any address: the address finder is given a fake socket, and the server binds 127.0.0.1.
"""

import http.cookiejar
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, free_port, kernel_processes, kill_leftovers, stop_process

from coachkit.facilitator import page, room


class FakeSocket:
    """A UDP socket that records where it was pointed and claims an address; it sends nothing."""

    connected = []

    def __init__(self, address="10.20.30.40", fail=False):
        self.address, self.fail = address, fail

    def __call__(self, family, kind):
        assert kind == socket.SOCK_DGRAM  # UDP: connect() picks a route and sends no packet
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def connect(self, where):
        FakeSocket.connected.append(where)
        if self.fail:
            raise OSError("Network is unreachable")

    def getsockname(self):
        return (self.address, 50000)


def test_the_address_is_the_one_the_route_out_would_use(monkeypatch):
    FakeSocket.connected.clear()
    monkeypatch.setattr(room.socket, "socket", FakeSocket("192.168.1.23"))
    assert room.lan_address() == "192.168.1.23"
    assert FakeSocket.connected == [("192.0.2.1", 80)]  # a documentation address, never a real host


def test_without_a_route_the_hostname_lookup_is_the_fallback(monkeypatch):
    monkeypatch.setattr(room.socket, "socket", FakeSocket(fail=True))
    monkeypatch.setattr(room.socket, "gethostname", lambda: "laptop")
    monkeypatch.setattr(room.socket, "gethostbyname_ex", lambda name: (name, [], ["127.0.1.1", "10.0.0.8"]))
    assert room.lan_address() == "10.0.0.8"


def test_no_network_at_all_says_what_to_do(monkeypatch, capsys):
    monkeypatch.setattr(room.socket, "socket", FakeSocket("127.0.0.1"))
    monkeypatch.setattr(room.socket, "gethostbyname_ex", lambda name: (name, [], ["127.0.1.1"]))
    assert room.lan_address() is None
    assert room.main(["--port", "8866"]) == 2
    message = capsys.readouterr().err
    assert "hotspot" in message and "make start" in message


@pytest.mark.parametrize(
    "address, ok",
    [("192.168.0.4", True), ("10.1.1.1", True), ("127.0.0.1", False), ("0.0.0.0", False),
     ("169.254.3.3", False), ("", False), (None, False), ("nonsense", False)],
)  # fmt: skip
def test_only_addresses_other_devices_can_reach_are_used(address, ok):
    assert room.usable(address) is ok


def test_the_banner_has_the_address_large_a_qr_code_the_key_and_what_to_do():
    url = "http://192.168.1.23:8866/"
    text = room.banner(url, url + "coachkit/facilitator/?key=abcd-efgh-jkmn", "abcd-efgh-jkmn", 8866, 20)
    assert " ".join(url) in text  # spaced out in a frame
    assert "╔" in text and "█" in text or "▀" in text  # the frame and the QR code's blocks
    assert "Facilitator key: abcd-efgh-jkmn" in text
    for advice in ("Guest Wi-Fi", "hotspot", "firewall", "8866/tcp"):
        assert advice.lower() in text.lower()


def test_the_qr_code_holds_the_address():
    import segno

    url = "http://192.168.1.23:8866/"
    assert segno.make(url, error="m").matrix == segno.make(url, error="m").matrix  # deterministic
    svg = page.qr_svg(url)
    assert svg.startswith("<svg") and "QR code of http://192.168.1.23:8866/" in svg


def test_keys_are_easy_to_type_and_compared_loosely():
    key = page.make_key()
    assert len(key) == 14 and key.count("-") == 2
    assert not set(key.replace("-", "")) - set(page.KEY_ALPHABET)
    held = page.FacilitatorKey(key)
    assert held.key_matches(key.upper().replace("-", " "))
    assert not held.key_matches("") and not held.key_matches(None) and not held.key_matches(key[:-1])
    assert key not in repr(held)


def test_the_key_leaves_the_environment_kernels_inherit(monkeypatch):
    monkeypatch.setenv(page.KEY_VARIABLE, "abcd-efgh-jkmn")
    monkeypatch.setenv(page.ROOM_URL_VARIABLE, "http://10.0.0.8:8866/")
    held = page.FacilitatorKey.from_environment()
    assert held.key == "abcd-efgh-jkmn" and held.learner_url == "http://10.0.0.8:8866/"
    assert page.KEY_VARIABLE not in os.environ and page.ROOM_URL_VARIABLE not in os.environ


@pytest.mark.slow
def test_room_serves_the_workshop_and_prints_address_qr_and_key(tmp_path):
    """`python -m coachkit.facilitator.room --ip 127.0.0.1`: the banner comes once the server answers, and
    its facilitator address with the key opens the page (403 without)."""
    site = tmp_path / "site"
    (site / "lessons").mkdir(parents=True)
    shutil.copytree(REPO / "assets", site / "assets")
    shutil.copy(REPO / "tests" / "notebooks" / "92-board-answer.ipynb", site / "lessons")
    shutil.copy(REPO / "voila.json", site / "voila.json")
    port = free_port()
    env = {**os.environ, "COACHKIT_ROOT": str(site), "COACHKIT_BOARD_DIR": str(tmp_path / "board")}
    env.pop(page.KEY_VARIABLE, None)
    command = [sys.executable, "-m", "coachkit.facilitator.room", "--ip", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--class-size", "1"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and not any("Facilitator key:" in line for line in lines):
            assert process.poll() is None, "".join(lines)
            time.sleep(0.5)
        output = "".join(lines)
        url = f"http://127.0.0.1:{port}/"
        assert " ".join(url) in output and "Stop with Ctrl-C." in output
        key = next(line for line in lines if line.startswith("Facilitator key:")).split(":", 1)[1].strip()
        facilitator_url = next(line.strip() for line in lines if line.startswith("  http"))
        assert facilitator_url == f"{url}coachkit/facilitator/?key={key}"

        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{url}coachkit/facilitator/", timeout=30)  # noqa: S310
        assert refused.value.code == 403
        jar = http.cookiejar.CookieJar()
        client = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with client.open(facilitator_url, timeout=30) as response:
            body = response.read().decode()
        assert response.status == 200 and "Type this address in your browser" in body and url in body
        assert key not in body
    finally:
        kernels = [kernel.pid for kernel in kernel_processes(process.pid)]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                stop_process(process)
        kill_leftovers(kernels)
        Path(tmp_path / "room.log").write_text("".join(lines))

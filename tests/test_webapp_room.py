"""A full room: past the kernel cap a visitor gets "full" (and the landing page still answers), a kernel
answers only the page that started it, idle websockets from one visitor do not lock out the next, half-sent
requests are timed out, and a client that drops its cookies still meets the caps per client address. A server
with small caps (three kernels, two per address; two websockets per kernel, four per visitor, three per
address) and a one-slider notebook, so that it runs quickly; no timing assertions. The server trusts
X-Forwarded-For from 127.0.0.1 as if the tests were its proxy: each test visitor names its own address."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import socket
import time

import httpx
import pytest
import websockets
from conftest import REPO, run_async, web_app
from websockets.exceptions import InvalidStatus

# every test here starts a web app of its own
pytestmark = pytest.mark.slow

SLIDER = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": "import ipywidgets as w\nw.IntSlider(description='Value')",
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}
CAP = 3
PER_ADDRESS = 2
ARGS = [
    f"--max-kernels={CAP}",
    "--VoilaConfiguration.preheat_kernel=False",
    "--WorkshopVoila.websockets_per_kernel=2",
    "--WorkshopVoila.websockets_per_visitor=4",
    f"--WorkshopVoila.kernels_per_address={PER_ADDRESS}",
    "--WorkshopVoila.websockets_per_address=3",
    "--WorkshopVoila.trusted_proxies=127.0.0.1",
    "--WorkshopVoila.idle_timeout=2",
]
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    root = tmp_path_factory.mktemp("room-site")
    (root / "lessons").mkdir()
    (root / "lessons" / "room-probe.ipynb").write_text(json.dumps(SLIDER), encoding="utf-8")
    shutil.copytree(REPO / "assets", root / "assets")
    shutil.copy(REPO / "voila.json", root / "voila.json")
    with web_app(*ARGS, root=root, log_name="voila-room") as server:
        yield server


def from_address(address: str, forwarded: str | None = None) -> httpx.Client:
    """A visitor (cookies of its own) whose requests come, as the trusted proxy says, from ``address``."""
    return httpx.Client(headers={"X-Forwarded-For": forwarded or address})


def page_url(server) -> str:
    return f"{server.url}voila/render/lessons/room-probe.ipynb"


def open_page(client: httpx.Client, server) -> tuple[int, str, str | None]:
    """A visitor's page fetched in full: (status, body, the page's kernel id)."""
    response = client.get(page_url(server), timeout=120)
    found = KERNEL_ID.search(response.text)
    return response.status_code, response.text, found.group(1) if found else None


def close_page(client: httpx.Client, server, kernel_id: str) -> int:
    """What a closing tab's beacon does: POST the shutdown with the visitor's own XSRF token."""
    response = client.post(
        f"{server.url}voila/api/shutdown/{kernel_id}",
        headers={"X-XSRFToken": client.cookies.get("_xsrf", "")},
        timeout=30,
    )
    return response.status_code


def wait_until_gone(server, kernels_before: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(server.kernel_pids()) > kernels_before:
        time.sleep(0.25)


def channels_url(server, kernel_id: str) -> str:
    return f"ws://127.0.0.1:{server.url.split(':')[2].strip('/')}/api/kernels/{kernel_id}/channels"


def cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


async def connect(server, kernel_id: str, cookies: str, address: str | None = None):
    """A kernel websocket as the page opens it; raises websockets' InvalidStatus when refused."""
    headers = {"Cookie": cookies, **({"X-Forwarded-For": address} if address else {})}
    return await websockets.connect(channels_url(server, kernel_id), additional_headers=headers)


async def kernel_replies(ws) -> bool:
    """Does the kernel answer a kernel_info_request over this websocket?"""
    msg_id = "probe-1"
    request = {
        "header": {
            "msg_id": msg_id,
            "msg_type": "kernel_info_request",
            "username": "",
            "session": "probe",
            "version": "5.3",
            "date": "",
        },
        "parent_header": {},
        "metadata": {},
        "content": {},
        "channel": "shell",
        "buffers": [],
    }
    await ws.send(json.dumps(request))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        message = await asyncio.wait_for(ws.recv(), timeout=60)
        if isinstance(message, str):
            reply = json.loads(message)
            if reply.get("parent_header", {}).get("msg_id") == msg_id and reply["channel"] == "shell":
                return reply["header"]["msg_type"] == "kernel_info_reply"
    return False


def test_past_the_cap_a_visitor_is_told_the_workshop_is_full_and_the_landing_page_still_answers(room):
    """With the room's kernels running, does one more visitor get the 'full' page (503), does the landing page
    answer, and once a page closes does the next visitor get a lesson again?"""
    visitors = [from_address(f"10.0.0.{n + 1}") for n in range(CAP + 1)]
    try:
        before = len(room.kernel_pids())
        opened = [open_page(client, room) for client in visitors[:CAP]]
        assert [status for status, _, _ in opened] == [200] * CAP
        assert all(kernel for _, _, kernel in opened)

        status, body, kernel = open_page(visitors[CAP], room)
        assert status == 503
        assert "The workshop is full" in body and "try again in a few minutes" in body
        assert kernel is None
        assert len(room.kernel_pids()) == before + CAP  # no kernel started for the visitor turned away

        landing = httpx.get(room.url, timeout=30)
        assert landing.status_code == 200 and "ck-lesson-list" in landing.text

        assert close_page(visitors[0], room, opened[0][2]) == 204
        wait_until_gone(room, before + CAP - 1)
        status, _, kernel = open_page(visitors[CAP], room)
        assert status == 200 and kernel
        assert close_page(visitors[CAP], room, kernel) == 204
        for n in range(1, CAP):
            assert close_page(visitors[n], room, opened[n][2]) == 204
    finally:
        for client in visitors:
            client.close()
    wait_until_gone(room, before)


def test_a_visitor_cannot_shut_down_or_reach_another_visitors_kernel(room):
    """Knowing another page's kernel id and holding their own XSRF token, is a visitor refused (403) on the
    shutdown beacon, the kernel API and the websocket, while the owner's own shutdown works?"""
    before = len(room.kernel_pids())
    with httpx.Client() as owner, httpx.Client() as stranger:
        status, _, kernel = open_page(owner, room)
        assert status == 200 and kernel
        assert stranger.get(room.url, timeout=30).status_code == 200  # the stranger's own _xsrf cookie
        assert close_page(stranger, room, kernel) == 403
        headers = {"X-XSRFToken": stranger.cookies.get("_xsrf", "")}
        assert stranger.delete(f"{room.url}api/kernels/{kernel}", headers=headers).status_code == 403
        assert stranger.get(f"{room.url}api/kernels/{kernel}").status_code == 403

        async def stranger_socket():
            with pytest.raises(InvalidStatus) as refused:
                await connect(room, kernel, cookie_header(stranger))
            return refused.value.response.status_code

        assert run_async(stranger_socket()) == 403
        assert len(room.kernel_pids()) == before + 1  # still running
        assert owner.get(f"{room.url}api/kernels/{kernel}").status_code == 200
        assert close_page(owner, room, kernel) == 204
    wait_until_gone(room, before)


def test_many_idle_websockets_from_one_visitor_do_not_stop_a_new_visitors_page(room):
    """One visitor opens 30 websockets to their kernel and keeps them idle: are all but the cap refused, and
    does a new visitor still get a page whose kernel answers over its websocket?"""
    before = len(room.kernel_pids())
    with from_address("10.0.2.1") as hog, from_address("10.0.2.2") as newcomer:
        status, _, kernel = open_page(hog, room)
        assert status == 200 and kernel

        async def scenario():
            held, refused = [], []
            for _ in range(30):
                try:
                    held.append(await connect(room, kernel, cookie_header(hog), "10.0.2.1"))
                except InvalidStatus as err:
                    refused.append(err.response.status_code)
            try:
                status, _, fresh = await asyncio.to_thread(open_page, newcomer, room)
                assert status == 200 and fresh
                ws = await connect(room, fresh, cookie_header(newcomer), "10.0.2.2")
                try:
                    answered = await kernel_replies(ws)
                finally:
                    await ws.close()
                return len(held), refused, fresh, answered
            finally:
                for ws in held:
                    await ws.close()

        held, refused, fresh, answered = run_async(scenario())
        assert held == 2  # websockets_per_kernel
        assert refused == [429] * 28
        assert answered, "the new visitor's kernel did not answer over its websocket"
        assert close_page(newcomer, room, fresh) == 204
        assert close_page(hog, room, kernel) == 204
    wait_until_gone(room, before)


def test_a_client_that_drops_its_cookies_meets_the_caps_per_address(room):
    """One address, a fresh cookie for every request: past two kernels is its next page a plain 429 (also when
    it sends an X-Forwarded-For of its own, which the proxy appends to), past three websockets its next one?
    And does a visitor from another address still get a page whose websocket opens?"""
    before = len(room.kernel_pids())
    address, other = "10.0.3.1", "10.0.3.2"
    clients = [from_address(address) for _ in range(PER_ADDRESS)]
    spoofing = from_address(address, forwarded=f"10.0.9.9, {address}")
    late, elsewhere = from_address(address), from_address(other)
    try:
        opened = [open_page(client, room) for client in clients]
        assert [status for status, _, _ in opened] == [200] * PER_ADDRESS
        for client in (late, spoofing):
            status, body, kernel = open_page(client, room)
            assert status == 429 and kernel is None
            assert "Too many lessons are open from your network" in body
        assert len(room.kernel_pids()) == before + PER_ADDRESS
        status, _, other_kernel = open_page(elsewhere, room)
        assert status == 200 and other_kernel

        async def sockets():
            (_, _, k1), (_, _, k2) = opened
            held = [await connect(room, k1, cookie_header(clients[0]), address) for _ in range(2)]
            held.append(await connect(room, k2, cookie_header(clients[1]), address))
            try:
                with pytest.raises(InvalidStatus) as refused:  # k2 and its visitor are under their caps
                    await connect(room, k2, cookie_header(clients[1]), address)
                ws = await connect(room, other_kernel, cookie_header(elsewhere), other)
                try:
                    answered = await kernel_replies(ws)
                finally:
                    await ws.close()
                return refused.value.response.status_code, answered
            finally:
                for ws in held:
                    await ws.close()

        refused, answered = run_async(sockets())
        assert refused == 429
        assert answered, "the other address's kernel did not answer over its websocket"
        for client, (_, _, kernel) in zip(clients, opened, strict=True):
            assert close_page(client, room, kernel) == 204
        assert close_page(elsewhere, room, other_kernel) == 204
    finally:
        for client in (*clients, spoofing, late, elsewhere):
            client.close()
    wait_until_gone(room, before)


def test_a_half_sent_request_is_timed_out(room):
    """A client that sends part of a request's headers and then nothing: does the server close it?"""
    port = int(room.url.split(":")[2].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: the headers never end
        sock.settimeout(30)
        assert sock.recv(1024) == b""  # closed by the server (idle_timeout=2), not by our 30 s timeout


class FakeManager:
    def __init__(self, ids):
        self.ids = set(ids)

    def __contains__(self, kernel_id):
        return kernel_id in self.ids


def test_the_room_counts_pending_pages_and_forgets_ended_kernels():
    """Do admitted pages count before their kernel is known, and do ended kernels free their seat?"""
    from coachkit.webapp.room import Room

    room = Room(max_kernels=2, websockets_per_kernel=1, websockets_per_visitor=1)
    manager = FakeManager(["k1"])
    assert room.admit(manager) and room.admit(manager)
    assert not room.admit(manager)  # two pages still starting fill a room of two
    room.claim("k1", "alice")
    room.release_pending()
    assert not room.admit(manager)
    room.release_pending()  # the second page ended without a kernel
    assert room.admit(manager)
    manager.ids.clear()  # k1 was culled
    assert room.kernels(manager) == 0 and room.admit(manager)
    assert room.owns("alice", "k1") is False and room.owns(None, "k1") is False


def test_websocket_caps_per_kernel_and_per_visitor():
    from coachkit.webapp.room import Room

    room = Room(max_kernels=5, websockets_per_kernel=2, websockets_per_visitor=3)
    assert room.open_socket("k1", "alice") and room.open_socket("k1", "alice")
    assert not room.open_socket("k1", "alice")  # the kernel's cap
    assert room.open_socket("k2", "alice")
    assert not room.open_socket("k3", "alice")  # the visitor's cap
    assert room.open_socket("k3", "bob")  # someone else is not held back
    room.close_socket("k1", "alice")
    assert room.open_socket("k1", "alice")


class FakeRequest:
    def __init__(self, peer, forwarded=None):
        self.remote_ip = peer
        self.headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}


class FakeHandler:
    def __init__(self, room, peer, forwarded=None):
        self.settings = {"coachkit_room": room}
        self.request = FakeRequest(peer, forwarded)


def test_the_client_address_comes_from_x_forwarded_for_only_on_a_trusted_proxys_connection():
    from coachkit.webapp.room import Room, client_address

    room = Room(1, 1, 1, trusted_proxies=frozenset({"127.0.0.1"}))
    assert client_address(FakeHandler(room, "203.0.113.5", "198.51.100.7")) == "203.0.113.5"  # not a proxy
    assert client_address(FakeHandler(room, "127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    # a client's own header comes first; the proxy appends the address it saw
    assert client_address(FakeHandler(room, "127.0.0.1", "10.9.9.9, 198.51.100.7")) == "198.51.100.7"
    assert client_address(FakeHandler(room, "127.0.0.1", "not an address")) == "127.0.0.1"
    assert client_address(FakeHandler(room, "127.0.0.1")) == "127.0.0.1"
    untrusting = Room(1, 1, 1)
    assert client_address(FakeHandler(untrusting, "127.0.0.1", "198.51.100.7")) == "127.0.0.1"


def test_the_default_caps_per_address_hold_a_room_behind_one_guest_wifi():
    """30 people behind one NAT address, each with two lessons open and a reconnect under way: all admitted
    with the web app's defaults; the address's next kernel is refused, another address's is not."""
    from coachkit.webapp.app import WorkshopVoila
    from coachkit.webapp.room import Room

    traits = WorkshopVoila.class_traits()
    room = Room(
        max_kernels=150,
        websockets_per_kernel=traits["websockets_per_kernel"].default_value,
        websockets_per_visitor=traits["websockets_per_visitor"].default_value,
        kernels_per_address=traits["kernels_per_address"].default_value,
        websockets_per_address=traits["websockets_per_address"].default_value,
    )
    manager = FakeManager([])
    nat = "192.0.2.10"
    for person in range(30):
        for tab in range(2):
            kernel = f"k{person}-{tab}"
            assert room.admission(manager, nat) is None
            manager.ids.add(kernel)
            room.claim(kernel, f"person{person}", nat)
            room.release_pending(nat)
            assert room.open_socket(kernel, f"person{person}", nat)
            assert room.open_socket(kernel, f"person{person}", nat)  # the page reconnecting
    assert room.kernels_from(nat) == 60
    assert room.admission(manager, nat) == "address"
    assert room.admission(manager, "192.0.2.11") is None
    room.release_pending("192.0.2.11")


def test_the_kernel_cap_follows_the_memory_and_a_container_limit(tmp_path):
    from coachkit.webapp.room import MB, kernel_cap, memory_bytes

    assert kernel_cap(24 * 1024 * MB, pooled=8) == (24 * 1024 - 1024 - 8 * 60) // 150
    assert kernel_cap(512 * MB, pooled=0) == 1  # never zero: one visitor can always try
    (tmp_path / "memory.max").write_text(f"{2048 * MB}\n")
    assert memory_bytes(tmp_path) == 2048 * MB
    (tmp_path / "memory.max").write_text("max\n")
    assert memory_bytes(tmp_path) > 2048 * MB  # no limit: the machine's memory

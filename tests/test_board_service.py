"""The board's HTTP API (coachkit.board.service) with tornado's testing tools: who may do what, the limits
kept on the server, and the kernel's client (coachkit.board.client) against a real server in a thread.

Hub mode uses jupyterhub's own HubOAuth with one method replaced: the question it asks the hub ("whose token
is this, with which scopes?") is answered from a table here, as the hub would for these three users.
"""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from tornado import httpserver, ioloop, netutil, web
from tornado.testing import AsyncHTTPTestCase

from coachkit.board.client import BoardClient
from coachkit.board.service import SERVICE_NAME, Board, RateLimiter, hub_app, local_handlers
from coachkit.board.store import BoardStore

ACCESS = f"access:services!service={SERVICE_NAME}"
PREFIX = f"/services/{SERVICE_NAME}/"
MODELS = {
    "fac-token": {"kind": "user", "name": "fac", "scopes": [ACCESS, "access:servers!server=fac/"]},
    "ann-token": {"kind": "user", "name": "ann", "scopes": ["access:servers!server=ann/"]},
    "bob-token": {"kind": "user", "name": "bob", "scopes": ["access:servers!server=bob/"]},
}


def _fake_hub_auth():
    from jupyterhub.services.auth import HubOAuth

    class TableHubAuth(HubOAuth):
        async def _check_hub_authorization(self, url, api_token, cache_key=None, use_cache=True):
            model = MODELS.get(api_token)
            return json.loads(json.dumps(model)) if model else None

    return TableHubAuth(
        api_token="service-token",
        api_url="http://127.0.0.1:1/hub/api",
        access_scopes={ACCESS},
        oauth_client_id=f"service-{SERVICE_NAME}",
        base_url=PREFIX,
        hub_prefix="/hub/",
        oauth_redirect_uri=f"http://127.0.0.1{PREFIX}oauth_callback",
        login_url="/hub/login",
    )


class InItsOwnThread:
    """Runs each test in a thread of its own: Playwright's sync API (a session fixture of the browser tests)
    leaves an event loop running in the main thread, and tornado's test case needs a thread without one."""

    def run(self, result=None):
        outcome = []
        worker = threading.Thread(target=lambda: outcome.append(super(InItsOwnThread, self).run(result)))
        worker.start()
        worker.join()
        return outcome[0] if outcome else None


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class HubServiceTest(InItsOwnThread, AsyncHTTPTestCase):
    """The service as the hub runs it: three users, one of them holding the facilitators' scope."""

    def get_app(self):
        self.tmp = __import__("tempfile").mkdtemp()
        self.store = BoardStore(f"sqlite:///{self.tmp}/board/board.sqlite")
        self.clock = FakeClock()
        return hub_app(self.store, PREFIX, hub_auth=_fake_hub_auth(), limiter=RateLimiter(clock=self.clock))

    def tearDown(self):
        super().tearDown()
        self.store.dispose()
        __import__("shutil").rmtree(self.tmp, ignore_errors=True)

    def call(self, method, path, token=None, body=None, headers=None):
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"token {token}"
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        if method in ("POST", "PATCH") and data is None:
            data = b"{}"
        response = self.fetch(PREFIX + path, method=method, body=data, headers=sent, follow_redirects=False)
        try:
            payload = json.loads(response.body or b"{}")
        except ValueError:
            payload = {"html": response.body.decode()}
        return response.code, payload

    def open(self, prompt="What's keeping you?", options=()):
        code, data = self.call(
            "POST", "api/sessions", "fac-token", {"prompt": prompt, "options": list(options)}
        )
        assert code == 201, data
        return data["code"]

    def test_a_learner_answers_and_the_facilitator_sees_every_answer(self):
        """Does a learner's token read the question and send answers that the facilitator's token reads?"""
        code = self.open()
        status, prompt = self.call("GET", f"api/sessions/{code.lower()}", "ann-token")
        assert status == 200 and prompt["prompt"] == "What's keeping you?" and "answers" not in prompt
        for token, text in (("ann-token", "No <b>time</b>"), ("bob-token", "Habit")):
            assert self.call("POST", f"api/sessions/{code}/answers", token, {"answer": text})[0] == 201
        status, results = self.call("GET", f"api/sessions/{code}/results", "fac-token")
        assert status == 200 and results["answers"] == ["No <b>time</b>", "Habit"]
        status, listed = self.call("GET", "api/sessions", "fac-token")
        assert [s["code"] for s in listed["sessions"]] == [code]

    def test_a_learner_can_neither_read_change_nor_delete(self):
        """With their own token, even holding the session's real key, is a learner refused every
        facilitator action, and is the board unchanged afterwards?"""
        status, opened = self.call("POST", "api/sessions", "fac-token", {"prompt": "Q"})
        code, key = opened["code"], opened["key"]
        self.call("POST", f"api/sessions/{code}/answers", "bob-token", {"answer": "bob's words"})
        forged = {"X-Coachkit-Session-Key": key}
        attempts = [
            ("GET", "api/sessions", None),
            ("POST", "api/sessions", {"prompt": "Please type your network password"}),
            ("GET", f"api/sessions/{code}/results", None),
            ("PATCH", f"api/sessions/{code}", {"is_open": False}),
            ("DELETE", f"api/sessions/{code}/answers", None),
        ]
        for method, path, body in attempts:
            for headers in ({}, forged):
                status, data = self.call(method, path, "ann-token", body, headers)
                assert status == 403, (method, path, status)
                assert "bob's words" not in json.dumps(data)
        status, results = self.call("GET", f"api/sessions/{code}/results", "fac-token")
        assert results["answers"] == ["bob's words"] and results["is_open"] and results["prompt"] == "Q"

    def test_no_token_or_a_wrong_one_is_refused(self):
        """Is a request with no token, a made-up one, or a token in a forged header refused (401)?"""
        code = self.open()
        for headers in ({}, {"Authorization": "token made-up"}, {"Authorization": "Bearer"}):
            response = self.fetch(PREFIX + f"api/sessions/{code}", headers=headers)
            assert response.code == 401, headers
            body = json.dumps({"answer": "x"}).encode()
            response = self.fetch(
                PREFIX + f"api/sessions/{code}/answers", method="POST", body=body, headers=headers
            )
            assert response.code == 401
        assert self.call("GET", f"api/sessions/{code}/results", "fac-token")[1]["answers"] == []

    def test_one_vote_per_hub_user_whatever_the_request_says(self):
        """Does a second vote from the same hub user fail, even sent as a 'different visitor'?"""
        code = self.open("Coach or tell?", ["Coach", "Tell"])
        assert self.call("POST", f"api/sessions/{code}/answers", "ann-token", {"answer": "Coach"})[0] == 201
        status, data = self.call(
            "POST", f"api/sessions/{code}/answers", "ann-token", {"answer": "Coach"},
            {"X-Coachkit-Visitor": "someone-else-entirely-1234"},
        )  # fmt: skip
        assert status == 400 and "already voted" in data["error"]
        assert self.call("POST", f"api/sessions/{code}/answers", "bob-token", {"answer": "Tell"})[0] == 201
        counts = self.call("GET", f"api/sessions/{code}/results", "fac-token")[1]["counts"]
        assert counts == {"Coach": 1, "Tell": 1}

    def test_free_text_is_rate_limited_on_the_server(self):
        """After six answers within 30 s is the seventh refused (429), and accepted once time has passed?"""
        code = self.open()
        for i in range(6):
            assert (
                self.call("POST", f"api/sessions/{code}/answers", "ann-token", {"answer": f"a{i}"})[0] == 201
            )
        status, data = self.call("POST", f"api/sessions/{code}/answers", "ann-token", {"answer": "a6"})
        assert status == 429 and "wait" in data["error"]
        assert self.call("POST", f"api/sessions/{code}/answers", "bob-token", {"answer": "b"})[0] == 201
        self.clock.now += 31
        assert self.call("POST", f"api/sessions/{code}/answers", "ann-token", {"answer": "a7"})[0] == 201
        assert len(self.call("GET", f"api/sessions/{code}/results", "fac-token")[1]["answers"]) == 8

    def test_bad_requests_get_clear_refusals(self):
        """Unknown code 404, bad JSON 400, an overlong body 413, a closed session 400, all as JSON errors."""
        assert self.call("GET", "api/sessions/ZZZZZ", "ann-token")[0] == 404
        code = self.open()
        assert self.call("POST", f"api/sessions/{code}/answers", "ann-token", b"not json")[0] == 400
        assert self.call("POST", f"api/sessions/{code}/answers", "ann-token", b"[1, 2]")[0] == 400
        status, _ = self.call("POST", f"api/sessions/{code}/answers", "ann-token", {"answer": "x" * 20_000})
        assert status == 413
        assert self.call("PATCH", f"api/sessions/{code}", "fac-token", {"is_open": False})[0] == 200
        status, data = self.call("POST", f"api/sessions/{code}/answers", "ann-token", {"answer": "late"})
        assert status == 400 and "closed" in data["error"]
        assert self.call("PATCH", f"api/sessions/{code}", "fac-token", {"is_open": "yes"})[0] == 400

    def test_the_facilitators_page_is_for_facilitators_only(self):
        """Is the page a login redirect without a token, 403 for a learner, and served to a facilitator with
        an XSRF token and no answers in it?"""
        code = self.open()
        self.call("POST", f"api/sessions/{code}/answers", "ann-token", {"answer": "secret words"})
        anonymous = self.fetch(PREFIX, follow_redirects=False)
        assert anonymous.code == 302 and "/hub/" in anonymous.headers["Location"]
        learner = self.fetch(PREFIX, headers={"Authorization": "token ann-token"})
        assert learner.code == 403 and b"secret words" not in learner.body
        page = self.fetch(PREFIX, headers={"Authorization": "token fac-token"})
        assert page.code == 200 and b"Group board" in page.body and b"secret words" not in page.body
        assert b'name="coachkit-xsrf" content="' in page.body and b"{{xsrf}}" not in page.body
        assert b'id="session"' in page.body and b"{{board}}" not in page.body  # the shared board.html
        assert self.fetch(PREFIX + "static/facilitator.js").code == 200
        assert self.fetch(PREFIX + "static/request.js").code == 200

    def test_thirty_answers_at_once_all_land(self):
        """Do 30 people's answers sent at the same moment (30 users, concurrent requests) all land?"""
        for i in range(30):
            MODELS[f"learner{i}-token"] = {"kind": "user", "name": f"learner{i}", "scopes": []}
        code = self.open()
        from tornado.httpclient import AsyncHTTPClient

        client = AsyncHTTPClient(max_clients=30)

        async def send(i):
            response = await client.fetch(
                self.get_url(PREFIX + f"api/sessions/{code}/answers"), method="POST",
                body=json.dumps({"answer": f"answer {i}"}),
                headers={"Authorization": f"token learner{i}-token"}, raise_error=False,
            )  # fmt: skip
            return response.code

        async def all_at_once():
            return await asyncio.gather(*(send(i) for i in range(30)))

        assert self.io_loop.run_sync(all_at_once, timeout=60) == [201] * 30
        answers = self.call("GET", f"api/sessions/{code}/results", "fac-token")[1]["answers"]
        assert sorted(answers) == sorted(f"answer {i}" for i in range(30))


class LocalBoardTest(InItsOwnThread, AsyncHTTPTestCase):
    """The board inside the one-machine web app: its kernels hold a token; a session is managed by its key."""

    TOKEN = "kernels-token-0123456789abcdef"

    def get_app(self):
        self.tmp = __import__("tempfile").mkdtemp()
        self.store = BoardStore(f"sqlite:///{self.tmp}/board/board.sqlite")
        board = Board(self.store, kernel_token=self.TOKEN)
        # Jupyter's own setting: tornado checks XSRF on every POST unless the handler says why not.
        return web.Application(local_handlers("/coachkit/board/", board), xsrf_cookies=True)

    def tearDown(self):
        super().tearDown()
        self.store.dispose()
        __import__("shutil").rmtree(self.tmp, ignore_errors=True)

    def call(self, method, path, body=None, token=TOKEN, visitor="kernel-visitor-aaaaaaaa", key=None):
        headers = {"X-Coachkit-Visitor": visitor}
        if token:
            headers["Authorization"] = f"token {token}"
        if key:
            headers["X-Coachkit-Session-Key"] = key
        data = (
            json.dumps(body).encode()
            if body is not None
            else (b"{}" if method in ("POST", "PATCH") else None)
        )
        response = self.fetch("/coachkit/board/" + path, method=method, body=data, headers=headers)
        return response.code, json.loads(response.body or b"{}")

    def test_only_the_kernels_token_is_let_in(self):
        """Is a browser (no token), a wrong token or a missing visitor id refused before anything is read?"""
        status, opened = self.call("POST", "api/sessions", {"prompt": "Q"})
        assert status == 201
        code = opened["code"]
        for token, visitor in ((None, "kernel-visitor-aaaaaaaa"), ("wrong", "kernel-visitor-aaaaaaaa"),
                               (self.TOKEN, ""), (self.TOKEN, "short")):  # fmt: skip
            assert self.call("GET", f"api/sessions/{code}", token=token, visitor=visitor)[0] == 401

    def test_a_session_is_managed_only_with_its_key(self):
        """Can another kernel read, close or clear a session without the opening kernel's key? (No.)"""
        status, opened = self.call("POST", "api/sessions", {"prompt": "Q", "options": ["A", "B"]})
        code, key = opened["code"], opened["key"]
        assert (
            self.call("POST", f"api/sessions/{code}/answers", {"answer": "A"}, visitor="kernel-two-bbbbbbbb")[
                0
            ]
            == 201
        )
        for method, path, body in (("GET", f"api/sessions/{code}/results", None),
                                   ("PATCH", f"api/sessions/{code}", {"is_open": False}),
                                   ("DELETE", f"api/sessions/{code}/answers", None),
                                   ("GET", "api/sessions", None)):  # fmt: skip
            assert self.call(method, path, body, key="guess")[0] == 403, path
            assert self.call(method, path, body)[0] == 403, path
        status, results = self.call("GET", f"api/sessions/{code}/results", key=key)
        assert status == 200 and results["counts"] == {"A": 1, "B": 0}
        assert (
            self.call("POST", f"api/sessions/{code}/answers", {"answer": "B"}, visitor="kernel-two-bbbbbbbb")[
                0
            ]
            == 400
        )


@pytest.fixture
def served(tmp_path):
    """The web app's board API on a real port in a thread of its own, for the kernel's urllib client."""
    store = BoardStore(f"sqlite:///{tmp_path / 'board' / 'board.sqlite'}")
    token = "kernels-token-0123456789abcdef"
    board = Board(store, kernel_token=token)
    sockets = netutil.bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]
    started = threading.Event()
    holder = {}

    def run():
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = httpserver.HTTPServer(web.Application(local_handlers("/coachkit/board/", board)))
        server.add_sockets(sockets)
        holder["loop"] = ioloop.IOLoop.current()
        started.set()
        holder["loop"].start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    yield f"http://127.0.0.1:{port}/coachkit/board/", token
    holder["loop"].add_callback(holder["loop"].stop)
    thread.join(10)
    store.dispose()


def test_the_widgets_round_trip_through_the_http_api(served):
    """Does a poll opened by BoardFacilitator over HTTP take one vote per kernel, shown on the facilitator's
    view, and does a second kernel's free text arrive escaped?"""
    from coachkit.board.widgets import BoardAnswer, BoardFacilitator

    url, token = served
    facilitator = BoardFacilitator(board=BoardClient(url, token))
    facilitator.kind_input.value = "Poll"
    facilitator.prompt_input.value = "Coach or tell?"
    facilitator.options_input.value = "Coach\nTell"
    facilitator.open_button.click()
    assert facilitator.session is not None, facilitator.status.value
    code = facilitator.session.code
    assert "key" not in repr(facilitator.session) and token not in repr(facilitator.store)

    learner = BoardAnswer(code=code, board=BoardClient(url, token))
    learner.choice_input.value = "Coach"
    learner.send_button.click()
    assert "your vote is on the board" in learner.status.value
    learner.send_button.disabled = False  # a page that forgot to stop the second vote: the board does
    learner.send_button.click()
    assert "already voted" in learner.status.value and learner.sent == 1
    facilitator.refresh()
    assert facilitator.results.counts == {"Coach": 1, "Tell": 0}

    other = BoardClient(url, token)
    other.visitor = "another-kernel-cccccccc"
    with pytest.raises(Exception, match="Only the facilitator"):
        other.results(code, "not the key")
    facilitator.close_button.click()
    assert facilitator.results.is_open is False


def test_a_server_error_is_never_reported_as_sent(served):
    """When the board answers 500, does the learner see 'cannot be reached ... not sent'?"""
    from coachkit.board.widgets import UNREACHABLE_SEND, BoardAnswer

    url, token = served
    client = BoardClient(url, token)
    code, _key = client.open_session("Q")
    learner = BoardAnswer(code=code, board=client)
    learner.answer_input.value = "kept"
    client.url = url.replace("/coachkit/board/", "/nowhere/")  # 404 without the board's JSON: not explained
    learner.send_button.click()
    assert learner.status.value == UNREACHABLE_SEND and learner.answer_input.value == "kept"


def test_the_web_app_keeps_the_board_and_tells_its_kernels_only_the_address(monkeypatch, tmp_path):
    """When the web app opens the board, do its kernels inherit the API's address and a token, but neither
    the database's folder nor its URL; and with an unsafe folder is the board off, said in the log?"""
    import logging
    import os
    import shutil

    from coachkit.board.embedded import embed_board

    names = ("COACHKIT_BOARD_URL", "COACHKIT_BOARD_TOKEN", "COACHKIT_BOARD_DIR", "COACHKIT_BOARD_DB")
    saved = {name: os.environ.get(name) for name in names}
    try:
        os.environ["COACHKIT_BOARD_DIR"] = str(tmp_path / "board")
        os.environ.pop("COACHKIT_BOARD_DB", None)
        handlers = embed_board("/", "0.0.0.0", 8866, logging.getLogger("test"))
        assert os.environ["COACHKIT_BOARD_URL"] == "http://127.0.0.1:8866/coachkit/board/"
        assert len(os.environ["COACHKIT_BOARD_TOKEN"]) >= 32
        assert "COACHKIT_BOARD_DIR" not in os.environ and "COACHKIT_BOARD_DB" not in os.environ
        assert {pattern for pattern, *_ in handlers} >= {"/coachkit/board/api/sessions/?"}
        assert (tmp_path / "board" / "board.sqlite").stat().st_mode & 0o777 == 0o600
        if os.geteuid() == 0:
            theirs = tmp_path / "theirs"
            theirs.mkdir()
            shutil.chown(theirs, "nobody")
            os.environ["COACHKIT_BOARD_DIR"] = str(theirs)
            messages = []
            log = logging.getLogger("test-board-off")
            log.error = lambda message, *args: messages.append(message % args)
            assert embed_board("/", "127.0.0.1", 8866, log) == []
            assert "COACHKIT_BOARD_URL" not in os.environ and "another user" in messages[0]
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

"""The group board's HTTP API: the one process that owns the board's database.

Two homes, one set of handlers:

- On a hub, ``python -m coachkit.board.service`` is a JupyterHub service (deploy/jupyterhub_config.py).
  Every request is identified by the hub (jupyterhub.services.auth.HubOAuth): a kernel sends its server's
  ``JUPYTERHUB_API_TOKEN``, a browser its OAuth cookie. Any hub user may read a session's question and send
  an answer (one vote per poll and a capped number of free-text answers per hub user); opening, reading,
  closing and clearing sessions, and the facilitator's page, need the service's access scope
  (``access:services!service=coachkit-board``), which only the facilitators' group holds.
- In the one-machine web app the handlers are added to the web app itself (``local_handlers``): its kernels
  send a token that only they were given, each kernel is one visitor, and a session is managed with the key
  that the kernel which opened it received.

Limits live here, where the data is kept, not in the learner's page: the store counts votes and answers per
visitor, and a rate limit refuses a visitor who sends answers faster than a person types.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import secrets
import time
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from tornado import web

from coachkit.board.client import KEY_HEADER, VISITOR_HEADER
from coachkit.board.store import (
    AUTHORISED,
    BoardError,
    BoardPermissionError,
    BoardStore,
    default_board_dir,
    normalise_code,
)

SERVICE_NAME = "coachkit-board"
RATE_ANSWERS = 6  # answers one visitor may send ...
RATE_SECONDS = 30.0  # ... in this many seconds
BODY_LIMIT = 16 * 1024
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class Visitor:
    """Who sent a request: an id for the per-person limits, and whether they may manage sessions."""

    id: str
    facilitator: bool


class RateLimiter:
    """At most ``count`` events per ``seconds`` per key, in this process's memory (the board's only one)."""

    def __init__(self, count: int = RATE_ANSWERS, seconds: float = RATE_SECONDS, clock=time.monotonic):
        self.count, self.seconds, self.clock = count, seconds, clock
        self._seen: dict[str, deque] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = self.clock()
        seen = self._seen[key]
        while seen and now - seen[0] >= self.seconds:
            seen.popleft()
        if len(seen) >= self.count:
            return False
        seen.append(now)
        if len(self._seen) > 10_000:  # forget quiet visitors so the memory stays small
            for stale in [k for k, v in self._seen.items() if not v or now - v[-1] >= self.seconds]:
                del self._seen[stale]
        return True


class Board:
    """The store, how requests are identified, and the limits: what every handler shares."""

    def __init__(self, store: BoardStore, *, kernel_token: str | None = None, limiter=None) -> None:
        self.store = store
        self.kernel_token = kernel_token  # the web app's; None on a hub
        self.limiter = limiter or RateLimiter()
        self.executor = ThreadPoolExecutor(4, thread_name_prefix="board-db")

    async def run(self, function, *args):
        """A store call off the event loop, so thirty answers arriving at once queue in threads, not here."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)


class _BoardHandler(web.RequestHandler):
    """JSON in, JSON out; a refusal is {"error": message meant for the person}."""

    def initialize(self, board: Board) -> None:
        self.board = board
        self.visitor: Visitor | None = None

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def write_error(self, status_code: int, **kwargs) -> None:
        exc = kwargs.get("exc_info", (None, None))[1]
        message = getattr(exc, "log_message", None) if isinstance(exc, web.HTTPError) else None
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": message or self._reason}))

    def refuse(self, status: int, message: str) -> None:
        raise web.HTTPError(status, message)

    async def identify(self) -> Visitor | None:
        raise NotImplementedError

    async def prepare(self) -> None:
        self.visitor = await self.identify()
        if self.visitor is None:
            self.refuse(401, "The board could not tell who is asking; please reload the page.")

    def require_facilitator(self) -> None:
        if not self.visitor.facilitator:
            self.refuse(403, "Only a facilitator can do that.")

    def key(self) -> object:
        """What the store checks for managing a session: the hub's word for a facilitator (on a hub nobody
        else may try), else in the web app the key the opening kernel received."""
        if self.visitor.facilitator:
            return AUTHORISED
        if self.board.kernel_token is None:
            self.refuse(403, "Only a facilitator can do that.")
        return self.request.headers.get(KEY_HEADER, "")

    def body(self) -> dict:
        if len(self.request.body) > BODY_LIMIT:
            self.refuse(413, "That is more text than the board takes.")
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self.refuse(400, "The request was not understood.")
        return data

    async def call(self, function, *args):
        try:
            return await self.board.run(function, *args)
        except BoardPermissionError as exc:
            self.refuse(403, str(exc))
        except BoardError as exc:
            self.refuse(404 if str(exc).startswith("No session") else 400, str(exc))

    def reply(self, data: dict, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))


class SessionsHandler(_BoardHandler):
    async def get(self) -> None:
        self.require_facilitator()
        sessions = await self.call(self.board.store.sessions, AUTHORISED)
        self.reply({"sessions": [s.as_json() for s in sessions]})

    async def post(self) -> None:
        if self.board.kernel_token is None:
            self.require_facilitator()  # on a hub; in the web app any of its kernels may open one
        data = self.body()
        opened = await self.call(self.board.store.open_session, data.get("prompt"), data.get("options", []))
        code, key = opened
        self.reply({"code": code, "key": key}, 201)


class SessionHandler(_BoardHandler):
    async def get(self, code: str) -> None:
        session = await self.call(self.board.store.prompt, code)
        self.reply(session.as_json())

    async def patch(self, code: str) -> None:
        data = self.body()
        if not isinstance(data.get("is_open"), bool):
            self.refuse(400, "The request was not understood.")
        await self.call(self.board.store.set_open, code, self.key(), data["is_open"])
        self.reply({"code": normalise_code(code), "is_open": data["is_open"]})


class AnswersHandler(_BoardHandler):
    async def post(self, code: str) -> None:
        data = self.body()
        if not self.board.limiter.allow(self.visitor.id):
            self.refuse(429, "You are sending answers very fast. Please wait half a minute and send again.")
        await self.call(self.board.store.submit, code, data.get("answer"), self.visitor.id)
        self.reply({"sent": True}, 201)

    async def delete(self, code: str) -> None:
        deleted = await self.call(self.board.store.clear, code, self.key())
        self.reply({"deleted": deleted})


class ResultsHandler(_BoardHandler):
    async def get(self, code: str) -> None:
        results = await self.call(self.board.store.results, code, self.key())
        self.reply(results.as_json())


# -- the one-machine web app: its kernels hold a token; no page here ----------------------------------------


class _LocalMixin:
    async def identify(self) -> Visitor | None:
        header = self.request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        expected = self.board.kernel_token or ""
        if scheme.lower() != "token" or not expected or not hmac.compare_digest(token.strip(), expected):
            return None
        visitor = self.request.headers.get(VISITOR_HEADER, "")[:64]
        if len(visitor) < 16:
            return None
        return Visitor(f"kernel:{visitor}", facilitator=False)

    def check_xsrf_cookie(self) -> None:
        """No cookie authenticates these requests (only the kernels' header token), so there is no CSRF."""


def _api_routes(prefix: str, mixin: type, board: Board) -> list[tuple]:
    prefix = prefix.rstrip("/") + "/"
    code = r"([A-Za-z]{5})"
    routes = []
    for pattern, handler in (
        (r"api/sessions/?", SessionsHandler),
        (rf"api/sessions/{code}/?", SessionHandler),
        (rf"api/sessions/{code}/answers/?", AnswersHandler),
        (rf"api/sessions/{code}/results/?", ResultsHandler),
    ):
        cls = type(f"{mixin.__name__.strip('_')}{handler.__name__}", (mixin, handler), {})
        routes.append((prefix + pattern, cls, {"board": board}))
    return routes


def local_handlers(prefix: str, board: Board) -> list[tuple]:
    """The board's API inside the one-machine web app, for its kernels only (they hold ``kernel_token``)."""
    if not board.kernel_token:
        raise ValueError("the web app's board needs a token for its kernels")
    return _api_routes(prefix, _LocalMixin, board)


# -- the JupyterHub service -------------------------------------------------------------------------------


def _hub_mixin():
    from jupyterhub.services.auth import HubOAuthenticated

    class _HubMixin(HubOAuthenticated):
        """Identity from the hub; the facilitator's rights from the service's access scope."""

        @property
        def hub_auth(self):
            return self.settings["hub_auth"]

        @property
        def hub_scopes(self):
            return None  # every hub user may be identified here; the scope is checked per action below

        async def identify(self) -> Visitor | None:
            model = await self.hub_auth.get_user(self, sync=False)
            if not model:
                return None
            self._hub_auth_user_cache = model
            kind, name = model.get("kind", "user"), model["name"]
            access = self.hub_auth.access_scopes or {f"access:services!service={SERVICE_NAME}"}
            facilitator = bool(self.hub_auth.check_scopes(access, model))
            return Visitor(f"{kind}:{name}", facilitator=facilitator)

    return _HubMixin


def board_panel() -> str:
    """The board's part of a facilitator's page (static/board.html): the hub's page and the web app's room
    page show the same markup, run by the same static/facilitator.js and static/request.js."""
    return (STATIC / "board.html").read_text(encoding="utf-8")


def _page_handler(mixin: type):
    class PageHandler(mixin, _BoardHandler):
        """The facilitator's page: a browser logs in through the hub (OAuth); learners get 403."""

        async def prepare(self) -> None:
            self.visitor = await self.identify()

        async def get(self) -> None:
            if self.visitor is None:
                self.redirect(self.get_login_url())
                return
            if not self.visitor.facilitator:
                self.set_status(403)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(
                    "<!doctype html><title>Not allowed</title><p>Only facilitators can see this page."
                )
                return
            page = (STATIC / "facilitator.html").read_text(encoding="utf-8")
            page = page.replace("{{board}}", board_panel())
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
            self.finish(page.replace("{{xsrf}}", web.escape.xhtml_escape(self.xsrf_token)))

    return PageHandler


def hub_app(store: BoardStore, prefix: str, *, hub_auth=None, limiter=None, **settings) -> web.Application:
    """The board as a JupyterHub service at ``prefix`` (e.g. /services/coachkit-board/)."""
    from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler

    board = Board(store, limiter=limiter)
    mixin = _hub_mixin()
    prefix = prefix.rstrip("/") + "/"
    auth = hub_auth or HubOAuth(cache_max_age=60)
    routes = [
        (prefix, _page_handler(mixin), {"board": board}),
        (prefix + r"static/(facilitator\.js|request\.js)", web.StaticFileHandler, {"path": str(STATIC)}),
        (prefix + "oauth_callback", _callback_handler(HubOAuthCallbackHandler)),
        *_api_routes(prefix, mixin, board),
    ]
    app = web.Application(
        routes,
        hub_auth=auth,
        cookie_secret=settings.pop("cookie_secret", None) or secrets.token_bytes(32),
        max_body_size=BODY_LIMIT * 4,
        **settings,
    )
    app.board = board
    return app


def _callback_handler(base: type) -> type:
    class OAuthCallback(base):
        @property
        def hub_auth(self):
            return self.settings["hub_auth"]

    return OAuthCallback


def main() -> None:
    """Run as a JupyterHub-managed service: the hub sets JUPYTERHUB_SERVICE_URL, _PREFIX and the token."""
    import logging

    from tornado.ioloop import IOLoop

    logging.basicConfig(level=logging.WARNING, format="[coachkit-board %(asctime)s] %(message)s")
    log = logging.getLogger("coachkit.board")
    log.setLevel(logging.INFO)
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{SERVICE_NAME}/")
    store = BoardStore()  # COACHKIT_BOARD_DB (PostgreSQL) or SQLite in COACHKIT_BOARD_DIR, created 0600
    app = hub_app(store, prefix)
    # COACHKIT_BOARD_LISTEN (host:port) when the address others use is not one to bind, as in a hub pod.
    host, _, port = os.environ.get("COACHKIT_BOARD_LISTEN", "").rpartition(":")
    app.listen(int(port or url.port or 80), host or url.hostname or "127.0.0.1", xheaders=True)
    where = store.where if not store.url.startswith("sqlite") else str(default_board_dir())
    log.info("the group board at %s%s, its data in %s", url.geturl(), prefix, where)
    IOLoop.current().start()


if __name__ == "__main__":
    main()

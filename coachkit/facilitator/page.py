"""The facilitator's page in the one-machine web app: <base_url>coachkit/facilitator/, behind a key.

No notebook and no code: one page with the group board (the board's own facilitator page code and API,
coachkit/board/static/facilitator.js and coachkit.board.service, mounted here with a key instead of a hub
login), a full-screen round timer (the RoundTimer's clock rules, served from coachkit.roleplay.timer), the
triads for the whole room (coachkit.roleplay.triads) and the scenario cards (coachkit.roleplay.scenarios,
the coachee's brief hidden until asked for).

The key is made when the web app starts (or given by `make room` in $COACHKIT_FACILITATOR_KEY, which is taken
out of the environment before any kernel starts, so no lesson can read it). Whoever opens the page with the
key, in the address once (?key=...) or typed into the form, gets a cookie for this server; everyone else
gets 403. On a hub this page is not served: the board's page is the hub service's, for the facilitators' role.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from jupyter_server.utils import url_path_join
from tornado import web
from tornado.escape import xhtml_escape

KEY_VARIABLE = "COACHKIT_FACILITATOR_KEY"
ROOM_URL_VARIABLE = "COACHKIT_ROOM_URL"  # the address learners type, when `make room` knows it
COOKIE = "coachkit-facilitator"
PAGE_PATH = "coachkit/facilitator/"
STATIC = Path(__file__).parent / "static"
# No 0/o, 1/l/i: a key read off a terminal is typed without doubt.
KEY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BODY_LIMIT = 64 * 1024
PAGE_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
REFUSED = "Only the facilitator can do that: open the facilitator page with its key."


def make_key() -> str:
    """A key to type once, e.g. 'k7mq-2vxa-9pcd' (12 characters from 31: about 59 bits)."""
    chars = "".join(secrets.choice(KEY_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


def normalise_key(text: object) -> str:
    """What is compared: letters and digits in lower case, so 'K7MQ 2VXA 9PCD' is the same key."""
    if not isinstance(text, str):
        return ""
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())[:64]


def qr_svg(url: str, scale: int | None = None) -> str:
    """A QR code of ``url`` as inline SVG (segno), dark on white with the standard quiet zone: ``scale``
    pixels a module, or (None) a viewBox only, for the page's stylesheet to size it."""
    import segno

    code = segno.make(url, error="m")
    size = {"scale": scale} if scale else {"omitsize": True}
    return code.svg_inline(dark="#111", light="#fff", title="QR code of " + url, **size)


class FacilitatorKey:
    """The facilitator key and the learners' address, for the page and the landing page's facilitator box."""

    def __init__(self, key: str, learner_url: str = "") -> None:
        if not normalise_key(key):
            raise ValueError("the facilitator key needs letters or digits")
        self.key = key
        self.learner_url = learner_url
        self._cookie = hmac.new(
            normalise_key(key).encode(), b"coachkit facilitator page", hashlib.sha256
        ).hexdigest()

    @classmethod
    def from_environment(cls) -> FacilitatorKey:
        """The key `make room` chose (or a new one), removed from the environment kernels inherit."""
        key = os.environ.pop(KEY_VARIABLE, "").strip()
        url = os.environ.pop(ROOM_URL_VARIABLE, "").strip()
        return cls(key if normalise_key(key) else make_key(), url)

    def __repr__(self) -> str:  # never print the key by accident
        return f"FacilitatorKey(learner_url={self.learner_url!r})"

    def key_matches(self, typed: object) -> bool:
        typed = normalise_key(typed)
        return bool(typed) and hmac.compare_digest(typed, normalise_key(self.key))

    def admits(self, handler: web.RequestHandler) -> bool:
        cookie = handler.get_cookie(COOKIE, "") or ""
        return hmac.compare_digest(cookie.encode(), self._cookie.encode())

    def admit(self, handler: web.RequestHandler, base_url: str) -> None:
        handler.set_cookie(
            COOKIE, self._cookie, path=base_url, httponly=True, samesite="Strict", expires_days=1
        )

    def learners_address(self, handler: web.RequestHandler, base_url: str) -> str:
        """The address `make room` printed, else the one this browser used (on `make start`: this machine)."""
        return self.learner_url or f"{handler.request.protocol}://{handler.request.host}{base_url}"


# -- handlers -----------------------------------------------------------------------------------------------


class _RoomHandler(web.RequestHandler):
    def initialize(self, room: FacilitatorKey, base_url: str) -> None:
        self.room = room
        self.base = base_url

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Frame-Options", "DENY")

    @property
    def page_url(self) -> str:
        return url_path_join(self.base, PAGE_PATH)

    def reply(self, data: dict, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))

    def require_key(self) -> None:
        if not self.room.admits(self):
            self.reply({"error": REFUSED}, 403)
            raise web.Finish()


KEY_FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Facilitator page: key needed</title><link rel="stylesheet" href="{static}room.css"></head>
<body class="ck-room-keypage"><main>
<h1>The facilitator's page</h1>
<p>This page is for the person running the workshop. Type the facilitator key that <code>make room</code>
(or <code>make start</code>) printed in its terminal.</p>
{message}
<form method="post" action="{action}">
<input type="hidden" name="_xsrf" value="{xsrf}">
<label for="key">Facilitator key</label>
<input id="key" name="key" type="password" autocomplete="off" autocapitalize="none" spellcheck="false"
  required>
<button type="submit">Open the facilitator page</button>
</form>
<p><a href="{home}">Back to the lessons</a></p>
</main></body></html>
"""


class FacilitatorPageHandler(_RoomHandler):
    """The page itself; without the key, 403 and a form to type it."""

    def get(self) -> None:
        typed = self.get_query_argument("key", None)
        if typed is not None:
            if self.room.key_matches(typed):
                self.room.admit(self, self.base)
                self.redirect(self.page_url)  # the key leaves the address bar before the page is projected
                return
            self.key_form("That key is not the one the room command printed.")
            return
        if not self.room.admits(self):
            self.key_form()
            return
        self.page()

    def post(self) -> None:
        self.check_xsrf_cookie()
        if self.room.key_matches(self.get_body_argument("key", "")):
            self.room.admit(self, self.base)
            self.redirect(self.page_url, status=303)
            return
        self.key_form("That key is not the one the room command printed.")

    def key_form(self, message: str = "") -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
        note = f'<p class="ck-room-error" role="alert">{xhtml_escape(message)}</p>' if message else ""
        self.finish(
            KEY_FORM.format(
                static=self.page_url + "static/",
                message=note,
                action=self.page_url,
                xsrf=xhtml_escape(self.xsrf_token),
                home=self.base,
            )
        )

    def page(self) -> None:
        from coachkit.board.service import board_panel

        address = self.room.learners_address(self, self.base)
        html = (STATIC / "facilitator.html").read_text(encoding="utf-8")
        for name, value in (
            ("board", board_panel()),
            ("xsrf", xhtml_escape(self.xsrf_token)),
            ("learner_url", xhtml_escape(address)),
            ("qr", qr_svg(address)),
            ("home", xhtml_escape(self.base)),
        ):
            html = html.replace("{{" + name + "}}", value)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", PAGE_POLICY)
        self.finish(html)


class TriadsHandler(_RoomHandler):
    """Names in, the whole room's groups and roles for every round out (JSON; the page shows it as text)."""

    def post(self) -> None:
        self.require_key()
        self.check_xsrf_cookie()
        from coachkit.forms.textinput import TextInputError
        from coachkit.roleplay.triads import COACH, COACHEE, OBSERVER, TriadError, build_triads, clean_names

        if len(self.request.body) > BODY_LIMIT:
            self.reply({"error": "That is more text than the page takes."}, 413)
            return
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self.reply({"error": "The request was not understood."}, 400)
            return
        rounds, seed = data.get("rounds"), data.get("seed")
        if rounds in ("", None):
            rounds = None
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            seed = None
        try:
            names, messages = clean_names(data.get("names") if isinstance(data.get("names"), str) else "")
            plan = build_triads(names, rounds=rounds, seed=seed)
        except (TriadError, TextInputError) as exc:
            self.reply({"error": str(exc)}, 400)
            return
        self.reply(
            {
                "note": plan.note,
                "messages": messages,
                "rounds": [
                    [
                        {
                            "number": group.number,
                            "coach": group.names(COACH),
                            "coachee": group.names(COACHEE),
                            "observer": group.names(OBSERVER),
                        }
                        for group in groups
                    ]
                    for groups in plan.rounds
                ],
            }
        )


class ScenariosHandler(_RoomHandler):
    """Every scenario card; the page keeps the coachee's part hidden until the facilitator asks for it."""

    def get(self) -> None:
        self.require_key()
        from coachkit.roleplay.scenarios import ScenarioError, load_scenarios

        try:
            cards = load_scenarios()
        except ScenarioError as exc:
            self.reply({"error": str(exc)}, 500)
            return
        self.reply(
            {
                "cards": [
                    {
                        "id": c.id,
                        "title": c.title,
                        "theme": c.theme,
                        "setting": c.setting,
                        "coach": {
                            "role": c.coach_role,
                            "situation": c.coach_situation,
                            "practise": c.coach_practise,
                            "if_sensitive": c.coach_if_sensitive,
                        },
                        "observer_focus": c.observer_focus,
                        "coachee": {
                            "name": c.coachee_name,
                            "role": c.coachee_role,
                            "brief": c.coachee_brief,
                            "holds_back": c.coachee_holds_back,
                        },
                    }
                    for c in cards
                ]
            }
        )


class TimerModuleHandler(web.RequestHandler):
    """The RoundTimer's JavaScript (its clock rules are imported by the page's full-screen timer) and CSS."""

    def get(self, name: str) -> None:
        from coachkit.roleplay.timer import TIMER_CSS, TIMER_ESM

        if name == "timer.js":
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.finish(TIMER_ESM)
        else:
            self.set_header("Content-Type", "text/css; charset=utf-8")
            self.finish(TIMER_CSS)


def _board_mixin(room: FacilitatorKey) -> type:
    """The board's own API handlers, identifying the facilitator by this page's cookie (and XSRF token)."""
    from coachkit.board.service import Visitor

    class _RoomBoardMixin:
        async def identify(self):
            if not room.admits(self):
                raise web.HTTPError(403, REFUSED)
            if self.request.method not in ("GET", "HEAD"):
                web.RequestHandler.check_xsrf_cookie(self)
            return Visitor("room:facilitator", facilitator=True)

    return _RoomBoardMixin


def room_handlers(base_url: str, room: FacilitatorKey, board_handlers: list) -> list[tuple]:
    """The page, its data and the board's API under <base_url>coachkit/facilitator/ (board off: no board)."""
    from coachkit.board.service import STATIC as BOARD_STATIC
    from coachkit.board.service import _api_routes

    prefix = url_path_join(base_url, PAGE_PATH)
    kwargs = {"room": room, "base_url": base_url}
    routes = [
        (prefix, FacilitatorPageHandler, kwargs),
        (prefix[:-1], web.RedirectHandler, {"url": prefix}),
        (prefix + "triads", TriadsHandler, kwargs),
        (prefix + "scenarios", ScenariosHandler, kwargs),
        (prefix + r"(timer\.js|timer\.css)", TimerModuleHandler),
        (
            prefix + r"static/board/(facilitator\.js|request\.js)",
            web.StaticFileHandler,
            {"path": str(BOARD_STATIC)},
        ),
        (prefix + r"static/(room\.js|room\.css)", web.StaticFileHandler, {"path": str(STATIC)}),
    ]
    board = next((spec[2]["board"] for spec in board_handlers if len(spec) > 2 and "board" in spec[2]), None)
    if board is not None:
        routes += _api_routes(prefix, _board_mixin(room), board)
    return routes


def landing_box(handler: web.RequestHandler, base_url: str) -> dict | None:
    """For the landing page: the address, its QR code and the page's link, when the facilitator visits."""
    room = handler.settings.get("coachkit_facilitator")
    if room is None or not room.admits(handler):
        return None
    address = room.learners_address(handler, base_url)
    return {"address": address, "qr": qr_svg(address, scale=6), "page": url_path_join(base_url, PAGE_PATH)}

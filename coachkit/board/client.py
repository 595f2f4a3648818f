"""A kernel's way to the group board: its HTTP API, never its database.

On a hub the board is a JupyterHub service; each kernel sends its server's own ``JUPYTERHUB_API_TOKEN``, so
the service knows the hub user (one vote per poll per person) and whether they hold the facilitators' role.
In the one-machine web app the board lives in the web app's own process; its kernels get a token for the
answer API and nothing else (``COACHKIT_BOARD_TOKEN``), and each kernel is one visitor.

Standard library only (urllib): a lesson that shows the answer box loads nothing more until it is used.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request
from urllib.parse import urljoin

from coachkit.board.model import (
    BoardError,
    BoardPermissionError,
    BoardPrompt,
    BoardResults,
    BoardUnreachable,
    normalise_code,
)

URL_VARIABLE = (
    "COACHKIT_BOARD_URL"  # the board's address, e.g. http://127.0.0.1:8000/services/coachkit-board/
)
TOKEN_VARIABLE = "COACHKIT_BOARD_TOKEN"  # noqa: S105 - a name; the web app's kernels' token; on a hub JUPYTERHUB_API_TOKEN is used
VISITOR_HEADER = "X-Coachkit-Visitor"
KEY_HEADER = "X-Coachkit-Session-Key"
TIMEOUT_SECONDS = 15

# One visitor per kernel in the web app (a hub ignores it and uses the hub user): made once per process.
_KERNEL_VISITOR = secrets.token_urlsafe(18)

UNREACHABLE = "The group board cannot be reached right now."


def default_board_url() -> str:
    """The board's HTTP address from $COACHKIT_BOARD_URL ('' when the board is not set up here)."""
    return os.environ.get(URL_VARIABLE, "").strip()


class BoardClient:
    """The board's REST API, as a learner's answer box and a facilitator's view use it."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = TIMEOUT_SECONDS):
        url = default_board_url() if url is None else url.strip()
        if token is None:
            token = os.environ.get(TOKEN_VARIABLE) or os.environ.get("JUPYTERHUB_API_TOKEN") or ""
        self.url = url if url.endswith("/") else url + "/"
        self._token = token
        self.timeout = timeout
        self.visitor = _KERNEL_VISITOR

    @property
    def configured(self) -> bool:
        """Only an http(s) address is ever opened (S310 below): a database URL or a path is refused."""
        return self.url.startswith(("http://", "https://"))

    def __repr__(self) -> str:  # never print the token
        return f"BoardClient(url={self.url!r})"

    def _request(self, method: str, path: str, body: dict | None = None, key: object = None) -> dict:
        if not self.configured:
            raise BoardUnreachable(UNREACHABLE)
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(urljoin(self.url, path), data=data, method=method)  # noqa: S310
        request.add_header("Accept", "application/json")
        request.add_header(VISITOR_HEADER, self.visitor)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self._token:
            request.add_header("Authorization", f"token {self._token}")
        if isinstance(key, str) and key:
            request.add_header(KEY_HEADER, key)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise _error_from(exc) from None
        except (OSError, ValueError):
            raise BoardUnreachable(UNREACHABLE) from None
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            raise BoardUnreachable(UNREACHABLE) from None

    # -- a learner --------------------------------------------------------------------------------

    def prompt(self, code: object) -> BoardPrompt:
        code = normalise_code(code)
        data = self._request("GET", f"api/sessions/{code}")
        return BoardPrompt(data["code"], data["prompt"], tuple(data["options"]), bool(data["is_open"]))

    def submit(self, code: object, answer: object) -> None:
        code = normalise_code(code)
        self._request("POST", f"api/sessions/{code}/answers", {"answer": answer})

    # -- a facilitator (the same calls as BoardStore's, so FacilitatorSession works over HTTP) --------

    def open_session(self, prompt: object, options=()) -> tuple[str, str]:
        data = self._request("POST", "api/sessions", {"prompt": prompt, "options": list(options)})
        return data["code"], data.get("key", "")

    def results(self, code: object, key: object = None) -> BoardResults:
        code = normalise_code(code)
        return BoardResults.from_json(self._request("GET", f"api/sessions/{code}/results", key=key))

    def set_open(self, code: object, key: object, is_open: bool) -> None:
        code = normalise_code(code)
        self._request("PATCH", f"api/sessions/{code}", {"is_open": bool(is_open)}, key=key)

    def clear(self, code: object, key: object = None) -> int:
        code = normalise_code(code)
        return int(self._request("DELETE", f"api/sessions/{code}/answers", key=key).get("deleted", 0))

    def sessions(self) -> list[BoardPrompt]:
        listed = self._request("GET", "api/sessions").get("sessions", [])
        return [BoardPrompt(s["code"], s["prompt"], tuple(s["options"]), bool(s["is_open"])) for s in listed]


def _error_from(exc: urllib.error.HTTPError) -> BoardError:
    """The server's own message for a refused request; 'cannot be reached' for anything it did not explain."""
    message = ""
    try:
        message = str(json.loads(exc.read() or b"{}").get("error", ""))
    except (ValueError, AttributeError, OSError):
        message = ""
    if exc.code in (401, 403):
        return BoardPermissionError(message or "Only a facilitator can do that.")
    if 400 <= exc.code < 500 and message:
        return BoardError(message)
    return BoardUnreachable(UNREACHABLE)

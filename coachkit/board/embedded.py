"""The board inside the one-machine web app (coachkit-web, `make start`) or a lone JupyterLab (`make lab`).

The web app's own process opens the store (SQLite, mode 0600 in a folder of its own, or $COACHKIT_BOARD_DB)
and serves the answer API at <base_url>coachkit/board/. Its kernels are told only that address and a token
made at start (COACHKIT_BOARD_URL, COACHKIT_BOARD_TOKEN); the database's place and URL are taken out of the
environment they inherit. On a hub this is skipped: the board is the hub's service.

In the scaled set-up (coachkit.webapp.scaled) one process owns the board for every replica: the launcher gives
each replica $COACHKIT_BOARD_ELSEWHERE (the board process's API address) and the board's kernel token, and a
replica then opens no store at all; its kernels are told that address and token instead of its own.
"""

from __future__ import annotations

import os
import secrets

from coachkit.board.client import TOKEN_VARIABLE, URL_VARIABLE
from coachkit.board.store import DB_VARIABLE, DIR_VARIABLE

BOARD_PATH = "coachkit/board/"
ELSEWHERE_VARIABLE = "COACHKIT_BOARD_ELSEWHERE"  # the scaled set-up's board process, for its replicas


def on_a_hub() -> bool:
    """A hub user's server: the hub gave it an API token, and the board is the hub's service."""
    return bool(os.environ.get("JUPYTERHUB_API_TOKEN"))


def _host(ip: str) -> str:
    if ip in ("", "0.0.0.0", "::", "*", "localhost"):  # noqa: S104 - reading the setting, not binding
        return "127.0.0.1"
    return f"[{ip}]" if ":" in ip else ip


def embed_board(base_url: str, ip: str, port: int, log) -> list[tuple]:
    """Open the store in this process and return the API's handlers; [] (board off, logged) on failure."""
    from coachkit.board.service import Board, local_handlers
    from coachkit.board.store import BoardStore

    elsewhere = os.environ.pop(ELSEWHERE_VARIABLE, "").strip()
    if elsewhere:
        return board_elsewhere(elsewhere, log)
    try:
        store = BoardStore()
    except Exception as exc:  # noqa: BLE001 - the lessons work without the board; say why it is off
        log.error("coachkit: the group board is off: its database could not be opened (%s)", exc)
        os.environ.pop(URL_VARIABLE, None)
        return []
    finally:
        # Kernels inherit this environment: they get the API's address, never the database's.
        os.environ.pop(DB_VARIABLE, None)
        os.environ.pop(DIR_VARIABLE, None)
    token = secrets.token_urlsafe(32)
    prefix = board_listening_on(base_url, ip, port)
    os.environ[TOKEN_VARIABLE] = token
    log.info("coachkit: the group board's answer API is at %s", os.environ[URL_VARIABLE])
    return local_handlers(prefix, Board(store, kernel_token=token))


def board_elsewhere(url: str, log) -> list[tuple]:
    """Another process owns the board (the scaled set-up's): open no store here and serve no API; kernels
    started from now on post to ``url`` with the token the launcher gave ($COACHKIT_BOARD_TOKEN)."""
    os.environ.pop(DB_VARIABLE, None)
    os.environ.pop(DIR_VARIABLE, None)
    if not url.startswith(("http://", "https://")) or not os.environ.get(TOKEN_VARIABLE):
        log.error("coachkit: the group board is off: no board address and token were given for it")
        os.environ.pop(URL_VARIABLE, None)
        return []
    os.environ[URL_VARIABLE] = url if url.endswith("/") else url + "/"
    log.info("coachkit: the group board is another process's, at %s (no board database here)", url)
    return []


def board_listening_on(base_url: str, ip: str, port: int) -> str:
    """Tell kernels started from now on where the board's API is; return its path."""
    prefix = base_url.rstrip("/") + "/" + BOARD_PATH
    os.environ[URL_VARIABLE] = f"http://{_host(ip)}:{port}{prefix}"
    return prefix

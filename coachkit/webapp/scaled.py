"""``python -m coachkit.webapp.scaled --replicas N``: N ``coachkit-web`` processes behind HAProxy.

For trying the scaled set-up on one machine. HAProxy (Debian's package) balances new visitors over the
replicas and keeps each visitor on one (a cookie it adds): a kernel answers only the visitor whose page
started it, and only on the replica that holds it, so the page, its kernel API calls, its websocket and
its shutdown beacon must all reach the same replica. A replica that stops answering its health check (the
landing page) is taken out; its visitors' next request goes to another replica, where a reload gives them
a working page. Their journal and progress live in their browser: they lose only the open page's kernel.

The group board is one for the whole set-up: a process of its own (``--serve-board``, started here) alone
opens the board's store and serves the board's answer API and the facilitator's page; HAProxy sends those
paths to it, and every replica's kernels post their answers to it with one token made here (the replicas
open no board store: coachkit.board.embedded). All replicas share one facilitator key, so the landing page
shows the facilitator's box whichever replica serves it. Replicas trust X-Forwarded-For only from the proxy
(``--WorkshopVoila.trusted_proxies``): the per-address limits count the visitor's address, not the proxy's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coachkit.paths import repo_root

HAPROXY_CONFIG = """global
    # each connection takes two file descriptors (visitor and replica)
    maxconn 8000

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 120s
    timeout http-request 30s
    timeout http-keep-alive 60s
    # an open lesson's websocket stays up while the page is open
    timeout tunnel 2h
    # a visitor whose replica is down goes to another one (their open page's kernel is lost; a reload works)
    option redispatch
    retries 2

frontend coachkit
    bind {ip}:{port}
    # replicas already gzip what they send; this compresses whatever reaches the proxy uncompressed
    compression algo gzip
    compression type text/html text/css text/plain text/javascript application/javascript application/json
    # the replicas count visitors per address: tell them the visitor's (they trust this from the proxy only)
    option forwardfor
    http-request del-header X-Real-Ip
    # one group board for every replica: its API and the facilitator's page are the board process's
    acl board_paths path_beg /coachkit/board/ /coachkit/facilitator
    use_backend board if board_paths
    default_backend replicas

backend board
    server board 127.0.0.1:{board_port}

backend replicas
    balance leastconn
    # sticky sessions: a visitor stays on the replica that holds their kernel
    cookie coachkit_replica insert indirect nocache httponly
    option httpchk GET /
    http-check expect status 200
    default-server inter 2s fall 2 rise 1
{servers}
"""


def haproxy_config(ip: str, port: int, replica_ports: list[int], board_port: int) -> str:
    servers = "\n".join(
        f"    server r{i} 127.0.0.1:{p} check cookie r{i}" for i, p in enumerate(replica_ports)
    )
    return HAPROXY_CONFIG.format(ip=ip, port=port, servers=servers, board_port=board_port)


def serve_board(ip: str, port: int) -> None:
    """The set-up's one group board: the only process that opens the board's store (SQLite in its private
    folder, or $COACHKIT_BOARD_DB). It serves the answer API for the replicas' kernels (the token in
    $COACHKIT_BOARD_TOKEN, which the launcher gave them too) and the facilitator's page (its key in
    $COACHKIT_FACILITATOR_KEY, the replicas' too). No kernel runs here."""
    import logging

    from tornado import web
    from tornado.ioloop import IOLoop

    from coachkit.board.client import TOKEN_VARIABLE
    from coachkit.board.embedded import BOARD_PATH
    from coachkit.board.service import Board, local_handlers
    from coachkit.board.store import BoardStore
    from coachkit.facilitator.page import FacilitatorKey, room_handlers

    logging.basicConfig(level=logging.INFO, format="[coachkit-board %(asctime)s] %(message)s")
    token = os.environ.pop(TOKEN_VARIABLE, "")
    board_handlers = local_handlers("/" + BOARD_PATH, Board(BoardStore(), kernel_token=token))
    key = FacilitatorKey.from_environment()
    app = web.Application(
        [*board_handlers, *room_handlers("/", key, board_handlers)],
        xsrf_cookies=True,
        cookie_secret=secrets.token_bytes(32),
        max_body_size=256 * 1024,
    )
    app.listen(port, ip, idle_connection_timeout=60, body_timeout=30)
    logging.getLogger("coachkit.board").info("the group board of the scaled set-up at %s:%d", ip, port)
    IOLoop.current().start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coachkit.webapp.scaled", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--port", type=int, default=8866, help="the proxy's port (what visitors open)")
    parser.add_argument("--ip", default="127.0.0.1")
    parser.add_argument("--first-replica-port", type=int, default=0, help="default: the proxy's port + 1")
    parser.add_argument("--board-port", type=int, default=0, help="default: the port after the replicas'")
    parser.add_argument("--serve-board", action="store_true", help="be the set-up's board process")
    parser.add_argument("extra", nargs="*", help="more coachkit-web options, after --")
    args = parser.parse_args(argv)
    if args.serve_board:
        serve_board(args.ip, args.port)  # the launcher's board listens on 127.0.0.1, for the replicas
        return 0
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        print("The scaled set-up needs HAProxy: apt-get install haproxy", file=sys.stderr)
        return 1
    from coachkit.board.client import TOKEN_VARIABLE, URL_VARIABLE
    from coachkit.board.embedded import BOARD_PATH, ELSEWHERE_VARIABLE
    from coachkit.board.store import DB_VARIABLE, DIR_VARIABLE
    from coachkit.facilitator.page import KEY_VARIABLE, FacilitatorKey

    first = args.first_replica_port or args.port + 1
    ports = [first + i for i in range(args.replicas)]
    board_port = args.board_port or first + args.replicas
    facilitator = FacilitatorKey.from_environment()  # one key for the board and every replica
    shared = {
        KEY_VARIABLE: facilitator.key,
        TOKEN_VARIABLE: secrets.token_urlsafe(32),
    }
    base_env = {k: v for k, v in os.environ.items() if k != URL_VARIABLE}
    board = subprocess.Popen(
        [sys.executable, "-m", "coachkit.webapp.scaled", "--serve-board", f"--port={board_port}"],
        cwd=repo_root(),
        env={**base_env, **shared},
        start_new_session=True,
    )
    # The replicas never open the board's store: no database address, and the board process's API instead.
    replica_env = {k: v for k, v in base_env.items() if k not in (DB_VARIABLE, DIR_VARIABLE)}
    replica_env |= {**shared, ELSEWHERE_VARIABLE: f"http://127.0.0.1:{board_port}/{BOARD_PATH}"}
    app = str(Path(sys.executable).parent / "coachkit-web")
    trust = "--WorkshopVoila.trusted_proxies=127.0.0.1"  # HAProxy's address as the replicas see it
    replicas = [
        subprocess.Popen(
            [app, f"--port={p}", trust, *args.extra], cwd=repo_root(), env=replica_env, start_new_session=True
        )
        for p in ports
    ]
    folder = Path(tempfile.mkdtemp(prefix="coachkit-scaled-"))
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(args.ip, args.port, ports, board_port), encoding="utf-8")
    proxy = subprocess.Popen([haproxy, "-f", str(config), "-db"], start_new_session=True)
    print(
        f"coachkit: {args.replicas} replicas on ports {ports} and the group board on port {board_port} "
        f"behind HAProxy at http://{args.ip}:{args.port}/\n"
        f"coachkit: the facilitator page is at http://{args.ip}:{args.port}/coachkit/facilitator/"
        f"?key={facilitator.key}",
        flush=True,
    )

    def stop(*_):
        for process in [proxy, *replicas, board]:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        for process in [proxy, *replicas, board]:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while proxy.poll() is None:
        time.sleep(1)
    stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

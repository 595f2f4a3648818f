"""``python -m coachkit.webapp.scaled --replicas N``: N ``coachkit-web`` processes behind HAProxy.

For trying the scaled set-up on one machine. HAProxy (Debian's package) balances new visitors over the
replicas and keeps each visitor on one (a cookie it adds): a kernel answers only the visitor whose page
started it, and only on the replica that holds it, so the page, its kernel API calls, its websocket and
its shutdown beacon must all reach the same replica. A replica that stops answering its health check (the
landing page) is taken out; its visitors' next request goes to another replica, where a reload gives them
a working page. Their journal and progress live in their browser: they lose only the open page's kernel.
"""

from __future__ import annotations

import argparse
import contextlib
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
    default_backend replicas

backend replicas
    balance leastconn
    # sticky sessions: a visitor stays on the replica that holds their kernel
    cookie coachkit_replica insert indirect nocache httponly
    option httpchk GET /
    http-check expect status 200
    default-server inter 2s fall 2 rise 1
{servers}
"""


def haproxy_config(ip: str, port: int, replica_ports: list[int]) -> str:
    servers = "\n".join(
        f"    server r{i} 127.0.0.1:{p} check cookie r{i}" for i, p in enumerate(replica_ports)
    )
    return HAPROXY_CONFIG.format(ip=ip, port=port, servers=servers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coachkit.webapp.scaled", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--port", type=int, default=8866, help="the proxy's port (what visitors open)")
    parser.add_argument("--ip", default="127.0.0.1")
    parser.add_argument("--first-replica-port", type=int, default=0, help="default: the proxy's port + 1")
    parser.add_argument("extra", nargs="*", help="more coachkit-web options, after --")
    args = parser.parse_args(argv)
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        print("The scaled set-up needs HAProxy: apt-get install haproxy", file=sys.stderr)
        return 1
    first = args.first_replica_port or args.port + 1
    ports = [first + i for i in range(args.replicas)]
    app = str(Path(sys.executable).parent / "coachkit-web")
    replicas = [
        subprocess.Popen([app, f"--port={p}", *args.extra], cwd=repo_root(), start_new_session=True)
        for p in ports
    ]
    folder = Path(tempfile.mkdtemp(prefix="coachkit-scaled-"))
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(args.ip, args.port, ports), encoding="utf-8")
    proxy = subprocess.Popen([haproxy, "-f", str(config), "-db"], start_new_session=True)
    print(
        f"coachkit: {args.replicas} replicas on ports {ports} behind HAProxy at http://{args.ip}:{args.port}/"
    )

    def stop(*_):
        for process in [proxy, *replicas]:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        for process in [proxy, *replicas]:
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

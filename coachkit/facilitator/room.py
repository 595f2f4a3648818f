"""`make room`: the web app for a room of learners on their own laptops or phones.

It finds this machine's address on the room's network, starts ``coachkit-web`` there with kernels ready for
the class, and once the server answers prints, large, the address learners type, a QR code of it, the
facilitator page's address with its key, and what to do when learners cannot reach it.

    python -m coachkit.facilitator.room [--port 8866] [--class-size 20] [--ip ADDRESS]
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from coachkit.facilitator.page import KEY_VARIABLE, PAGE_PATH, ROOM_URL_VARIABLE, make_key

DEFAULT_PORT = 8866
DEFAULT_CLASS_SIZE = 20
# A documentation address (RFC 5737): connecting a UDP socket to it sends no packet; it only makes the system
# choose the interface it would route through, whose address is the one the room's network knows.
PROBE = ("192.0.2.1", 80)


def lan_address(probe: tuple[str, int] = PROBE) -> str | None:
    """This machine's address on its network, or None when it has none (no Wi-Fi, no cable)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(probe)  # UDP: no packet is sent
            address = sock.getsockname()[0]
    except OSError:
        address = None
    if usable(address):
        return address
    try:
        for found in socket.gethostbyname_ex(socket.gethostname())[2]:
            if usable(found):
                return found
    except OSError:
        pass
    return None


def usable(address: str | None) -> bool:
    """An IPv4 address that another device could reach: not loopback, not unspecified, not link-local."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_link_local or ip.is_multicast)


def learners_url(host: str, port: int) -> str:
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/"


def qr_text(url: str) -> str:
    """The QR code for a terminal, two rows of modules per line of text (segno)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def big(text: str) -> str:
    """``text`` in a frame, letters spaced, so it reads from a few steps away."""
    spaced = " ".join(text)
    line = "═" * (len(spaced) + 6)
    return f"╔{line}╗\n║   {spaced}   ║\n╚{line}╝"


TROUBLE = """\
If learners cannot open the address:
  - Are they on the same Wi-Fi as this laptop? Guest Wi-Fi often keeps devices apart ("client isolation"):
    use the staff network, or share a phone's hotspot and put this laptop and the learners on it, then stop
    this with Ctrl-C and run make room again (the address changes with the network).
  - A firewall on this laptop may block port {port}: allow incoming connections for Python on this network
    (macOS: System Settings > Network > Firewall; Windows: allow "python" on private networks;
    Linux: sudo ufw allow {port}/tcp).
  - Type the address exactly, with http:// and :{port}; some phones add https:// on their own.
"""


def banner(url: str, facilitator_url: str, key: str, port: int, class_size: int) -> str:
    return "\n".join(
        [
            "",
            "Learners: type this address in a browser (nothing to install), or scan the code:",
            "",
            big(url),
            "",
            qr_text(url),
            "Facilitator page (open it on this laptop; keep the key off the projector):",
            f"  {facilitator_url}",
            f"Facilitator key: {key}",
            "",
            f"{class_size} kernels are being made ready for the first lesson (a minute or two).",
            "",
            TROUBLE.format(port=port),
            "Stop with Ctrl-C.",
            "",
        ]
    )


def no_network_message(port: int) -> str:
    return (
        "This laptop has no network address that other devices could reach (no Wi-Fi or cable?).\n"
        "Join the room's Wi-Fi, or turn on a phone's hotspot and join it, then run make room again.\n"
        f"To try it on this laptop alone: make start (http://127.0.0.1:{port}/)."
    )


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own server's address
                return True
        except urllib.error.HTTPError:
            return True  # it answered
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the workshop to a room (make room).")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--class-size", type=int, default=DEFAULT_CLASS_SIZE)
    parser.add_argument("--ip", default="", help="address to serve on (default: this machine's)")
    args, extra = parser.parse_known_args(argv)
    host = args.ip or lan_address()
    if not host:
        print(no_network_message(args.port), file=sys.stderr)
        return 2
    url = learners_url(host, args.port)
    key = os.environ.get(KEY_VARIABLE, "").strip() or make_key()
    facilitator_url = f"{url}{PAGE_PATH}?key={key}"
    app = Path(sys.executable).parent / "coachkit-web"
    command = [str(app), f"--Voila.ip={host}", f"--port={args.port}", f"--class-size={args.class_size}"]
    command += extra
    env = {**os.environ, KEY_VARIABLE: key, ROOM_URL_VARIABLE: url}
    print(f"Starting the workshop on {url} ...", flush=True)
    process = subprocess.Popen(command, env=env)  # noqa: S603 - our own command
    try:
        if wait_until_up(url, process):
            print(banner(url, facilitator_url, key, args.port, args.class_size), flush=True)
        return process.wait()
    except KeyboardInterrupt:
        # Ctrl-C in the terminal reached the web app too (same process group): let it stop its kernels.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            return process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                return process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                return process.wait()


if __name__ == "__main__":
    sys.exit(main())

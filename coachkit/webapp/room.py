"""How many visitors the web app holds, and whose kernel is whose.

A lesson page starts a kernel (about 60 MB, 150 MB to plan for) and the server holds ZeroMQ sockets and
file descriptors for it and for each websocket to it. Past what the machine can hold the server does not
slow down, it breaks: "Too many open files", HTTP 500 for everyone. So the web app counts: a visitor past
the kernel cap gets a plain "the workshop is full" page (HTTP 503) while the landing page and the open
lessons keep working; websockets are capped per kernel and per visitor; and a kernel answers only the
visitor whose page started it (a signed cookie), so nobody can shut down or listen to another visitor's
kernel by guessing or copying its id.

A visitor is a cookie, and a client that drops its cookies is a new visitor: so kernels and websockets are
also capped per client address. The caps are generous, because a room behind one guest Wi-Fi shares one
address (docs/performance.md says why the numbers). Behind a reverse proxy the address is the one the proxy
saw, read from X-Forwarded-For only on connections from a proxy named in ``trusted_proxies``.
"""

from __future__ import annotations

import ipaddress
import os
import resource
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_core.utils import ensure_async
from tornado import web

from coachkit.webapp.voila_internals import (
    KernelHandler,
    RequestInfoSocketHandler,
    VoilaKernelWebsocketHandler,
    VoilaShutdownKernelHandler,
)

VISITOR_COOKIE = "coachkit_visitor"
MB = 2**20
PLAN_PER_VISITOR = 150 * MB  # docs/performance.md: 60 MB a kernel, about 100 MB once a simulation draws
SERVER_RESERVE = 1024 * MB  # the server itself, the board, the page cache
POOLED_KERNEL = 60 * MB

FULL_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>The workshop is full - Coaching your team</title>
  <link rel="icon" href="{base_url}coachkit/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{base_url}coachkit/static/coachkit.css" type="text/css">
</head>
<body class="ck-landing-page">
  <main class="ck-landing">
    <h1>The workshop is full</h1>
    <p>Every seat on this server is taken right now. Please try again in a few minutes: a seat frees up
    as soon as someone closes a lesson.</p>
    <p>The lessons you already opened keep working, and your journal and progress stay in your browser.</p>
    <p><a href="{base_url}">Back to all lessons</a></p>
  </main>
</body>
</html>
"""


ADDRESS_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Too many lessons open from your network - Coaching your team</title>
  <link rel="icon" href="{base_url}coachkit/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{base_url}coachkit/static/coachkit.css" type="text/css">
</head>
<body class="ck-landing-page">
  <main class="ck-landing">
    <h1>Too many lessons are open from your network</h1>
    <p>This server holds a limited number of open lessons for each network address, and yours has reached
    it. Please close a lesson tab you no longer need and try again in a minute.</p>
    <p>If your whole group shares one network, tell your facilitator: they can raise the limit.</p>
    <p><a href="{base_url}">Back to all lessons</a></p>
  </main>
</body>
</html>
"""


# --- what the machine can hold
def raise_open_file_limit() -> tuple[int, int]:
    """Raise this process's soft limit on open files to its hard limit; return (soft, hard) after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    elif hard == resource.RLIM_INFINITY and soft < 1 << 20:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1 << 20, hard))
        soft = 1 << 20
    return soft, hard


def raise_zmq_socket_limit(context, open_files: int) -> int:
    """Let a ZeroMQ context hold as many sockets as the process may open files (default 1,023); set before
    the context opens its first socket. Returns the limit set."""
    import zmq

    limit = max(1023, min(open_files, context.get(zmq.SOCKET_LIMIT)))
    context.set(zmq.MAX_SOCKETS, limit)
    return limit


def memory_bytes(cgroup: Path = Path("/sys/fs/cgroup")) -> int:
    """The memory this process may use: the container's limit (cgroup v2 or v1) when there is one,
    otherwise the machine's."""
    machine = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    for name in ("memory.max", "memory/memory.limit_in_bytes"):
        try:
            text = (cgroup / name).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < machine:
            return int(text)
    return machine


def kernel_cap(memory: int, pooled: int) -> int:
    """Visitors' kernels the memory holds: what is left after the server and the waiting (pooled) kernels,
    at 150 MB a visitor. At least one."""
    return max(1, (memory - SERVER_RESERVE - pooled * POOLED_KERNEL) // PLAN_PER_VISITOR)


# --- who owns what
@dataclass
class Room:
    """The kernels started for visitors' pages, whose they are, and the websockets open to them."""

    max_kernels: int
    websockets_per_kernel: int
    websockets_per_visitor: int
    kernels_per_address: int = 0  # 0: no cap per client address
    websockets_per_address: int = 0
    trusted_proxies: frozenset[str] = frozenset()  # whose X-Forwarded-For names the client
    owners: dict[str, str] = field(default_factory=dict)  # kernel id -> visitor
    addresses: dict[str, str] = field(default_factory=dict)  # kernel id -> client address
    pending: int = 0  # pages admitted whose kernel is not known yet
    pending_by_address: dict[str, int] = field(default_factory=dict)
    sockets_by_kernel: dict[str, int] = field(default_factory=dict)
    sockets_by_visitor: dict[str, int] = field(default_factory=dict)
    sockets_by_address: dict[str, int] = field(default_factory=dict)

    def kernels(self, manager) -> int:
        """Visitors' kernels still running (the culler and the shutdown beacon end them behind our back)."""
        for kernel_id in [k for k in self.owners if k not in manager]:
            del self.owners[kernel_id]
            self.addresses.pop(kernel_id, None)
        return len(self.owners)

    def kernels_from(self, address: str) -> int:
        """Kernels running or being started for pages from ``address``."""
        running = sum(1 for a in self.addresses.values() if a == address)
        return running + self.pending_by_address.get(address, 0)

    def admission(self, manager, address: str | None = None) -> str | None:
        """None when a page may start (or take) a kernel, counted as pending until ``claim``; otherwise why
        not: "full" (the room's kernel cap) or "address" (the cap for the page's client address)."""
        if self.kernels(manager) + self.pending >= self.max_kernels:
            return "full"
        if address is not None and 0 < self.kernels_per_address <= self.kernels_from(address):
            return "address"
        self.pending += 1
        if address is not None:
            self.pending_by_address[address] = self.pending_by_address.get(address, 0) + 1
        return None

    def admit(self, manager, address: str | None = None) -> bool:
        """A page may start (or take) a kernel: counts it as pending until ``claim``."""
        return self.admission(manager, address) is None

    def release_pending(self, address: str | None = None) -> None:
        self.pending = max(0, self.pending - 1)
        if address is not None and address in self.pending_by_address:
            self.pending_by_address[address] -= 1
            if self.pending_by_address[address] <= 0:
                del self.pending_by_address[address]

    def claim(self, kernel_id: str, visitor: str, address: str | None = None) -> None:
        self.owners[kernel_id] = visitor
        if address is not None:
            self.addresses[kernel_id] = address

    def owns(self, visitor: str | None, kernel_id: str) -> bool:
        return visitor is not None and self.owners.get(kernel_id) == visitor

    def open_socket(self, kernel_id: str, visitor: str, address: str | None = None) -> bool:
        if self.sockets_by_kernel.get(kernel_id, 0) >= self.websockets_per_kernel:
            return False
        if self.sockets_by_visitor.get(visitor, 0) >= self.websockets_per_visitor:
            return False
        by_address = self.websockets_per_address and address is not None
        if by_address and self.sockets_by_address.get(address, 0) >= self.websockets_per_address:
            return False
        for counts, key in self._socket_counts(kernel_id, visitor, address):
            counts[key] = counts.get(key, 0) + 1
        return True

    def close_socket(self, kernel_id: str, visitor: str, address: str | None = None) -> None:
        for counts, key in self._socket_counts(kernel_id, visitor, address):
            counts[key] = counts.get(key, 0) - 1
            if counts[key] <= 0:
                counts.pop(key, None)

    def _socket_counts(self, kernel_id: str, visitor: str, address: str | None):
        yield self.sockets_by_kernel, kernel_id
        yield self.sockets_by_visitor, visitor
        if address is not None:
            yield self.sockets_by_address, address


def visitor_of(handler: web.RequestHandler) -> str | None:
    """The visitor a request comes from: the signed cookie the lesson page set, or None."""
    value = handler.get_signed_cookie(VISITOR_COOKIE)
    return value.decode("ascii", "replace") if value else None


def ensure_visitor(handler: web.RequestHandler) -> str:
    """The visitor's id; a new one (a session cookie, signed with the server's cookie secret) if none."""
    visitor = visitor_of(handler)
    if visitor is None:
        visitor = uuid.uuid4().hex
        handler.set_signed_cookie(VISITOR_COOKIE, visitor, expires_days=None, httponly=True, samesite="Lax")
    return visitor


def _room(handler: web.RequestHandler) -> Room | None:
    return handler.settings.get("coachkit_room")


def client_address(handler: web.RequestHandler) -> str:
    """The address a request comes from. On a connection from a trusted proxy (``Room.trusted_proxies``):
    the last address in X-Forwarded-For, the one that proxy appended (HAProxy's ``option forwardfor``), so
    a client cannot choose it by sending the header itself. From anywhere else the header is ignored."""
    peer = handler.request.remote_ip or ""
    room = _room(handler)
    if room is None or peer not in room.trusted_proxies:
        return peer
    forwarded = handler.request.headers.get("X-Forwarded-For", "")
    try:
        return str(ipaddress.ip_address(forwarded.split(",")[-1].strip()))
    except ValueError:
        return peer


def admit_page(handler: web.RequestHandler, room: Room, address: str, path: str) -> bool:
    """Let a lesson page start (or take) a kernel, or answer it with a plain refusal and return False:
    the room is full (503), or its client address holds its share of the room's kernels (429)."""
    refusal = room.admission(handler.settings["kernel_manager"], address)
    if refusal is None:
        return True
    if refusal == "full":
        handler.log.warning("the workshop is full (%d kernels): 'full' page for %s", room.max_kernels, path)
        handler.set_status(503)
        handler.set_header("Retry-After", "120")
        page = FULL_HTML
    else:
        handler.log.warning(
            "refused: %s already has %d lesson kernels (kernels_per_address)",
            address,
            room.kernels_per_address,
        )
        handler.set_status(429)
        handler.set_header("Retry-After", "60")
        page = ADDRESS_HTML
    handler.set_header("Cache-Control", "no-store")
    handler.finish(page.format(base_url=handler.base_url))
    return False


def _require_owner(handler: web.RequestHandler, kernel_id: str) -> str:
    room = _room(handler)
    visitor = visitor_of(handler)
    if room is not None and not room.owns(visitor, kernel_id):
        handler.log.warning("refused: a request for kernel %s from a page that did not start it", kernel_id)
        raise web.HTTPError(403, "This kernel belongs to another page")
    return visitor or ""


# --- Voila's kernel handlers, each answering only the kernel's own visitor
class OwnedKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket, for the kernel's own visitor only, within the websocket caps."""

    _counted = False

    async def pre_get(self):
        visitor = _require_owner(self, self.kernel_id)
        room = _room(self)
        if room is not None:
            address = client_address(self)
            if not room.open_socket(self.kernel_id, visitor, address):
                self.log.warning(
                    "refused: too many websockets for kernel %s, its visitor or %s", self.kernel_id, address
                )
                raise web.HTTPError(429, "Too many connections")
            self._counted, self._visitor, self._address = True, visitor, address
        await super().pre_get()

    async def get(self, kernel_id):
        try:
            await super().get(kernel_id)
        finally:
            if self.get_status() != 101:  # refused or failed before the upgrade: on_close will not come
                self._release()

    def on_close(self):
        self._release()
        super().on_close()

    def _release(self) -> None:
        room = _room(self)
        if self._counted and room is not None:
            self._counted = False
            room.close_socket(self.kernel_id, self._visitor, self._address)


class OwnedShutdownHandler(VoilaShutdownKernelHandler):
    """The closing page's shutdown beacon, refused (403) for a kernel another page started."""

    @web.authenticated
    async def post(self, kernel_id):
        _require_owner(self, kernel_id)
        await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))
        self.set_status(204)
        self.finish()


class OwnedKernelHandler(KernelHandler):
    """/api/kernels/<id> (the page reads its kernel's model; DELETE shuts it down): the owner only."""

    async def get(self, kernel_id):
        _require_owner(self, kernel_id)
        return await super().get(kernel_id)

    async def delete(self, kernel_id):
        _require_owner(self, kernel_id)
        return await super().delete(kernel_id)


class OwnedRequestInfoHandler(RequestInfoSocketHandler):
    """Voila's /voila/query/<kernel> socket (a pooled kernel learns the page's address): the owner only,
    so another page cannot take the message meant for this one."""

    async def get(self, *args, **kwargs):
        _require_owner(self, args[0] if args else kwargs.get("kernel_id", ""))
        return await super().get(*args, **kwargs)

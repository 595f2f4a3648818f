"""``coachkit-web``: the workshop served by Voila for visitors who should see lessons and nothing else.

It is Voila itself with these changes, all of them configuration or a subclass, none a patch:
the landing page replaces the file tree at /, only lessons/ and assets/ can be reached, the page
handler sets the XSRF cookie so closed pages shut their kernels down (voila#1458), Voila's link to
Font Awesome's CDN is left out (its own bundle carries Font Awesome), content-hashed lab extension files are
cached, and the server holds a full room
(coachkit.webapp.room): file and socket limits raised, a kernel cap with a "full" page, websocket
caps, kernels bound to their page, header and idle timeouts. Every other setting is in voila.json. What
this relies on inside Voila and jupyter_server is in coachkit.webapp.voila_internals.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import zmq
from jupyter_core.paths import jupyter_config_path
from traitlets import Float, Integer, List, Unicode, default
from voila.app import Voila

from coachkit.board.embedded import embed_board
from coachkit.facilitator.page import FacilitatorKey, room_handlers
from coachkit.paths import repo_root
from coachkit.webapp import SHARE_DIR
from coachkit.webapp.handlers import (
    HashedAssetHandler,
    LandingHandler,
    LessonPageHandler,
    lesson_navigation,
    static_handlers,
)
from coachkit.webapp.lockdown import PublicContentsManager
from coachkit.webapp.room import (
    OwnedKernelHandler,
    OwnedKernelWebsocketHandler,
    OwnedRequestInfoHandler,
    OwnedShutdownHandler,
    Room,
    kernel_cap,
    memory_bytes,
    raise_open_file_limit,
    raise_zmq_socket_limit,
)
from coachkit.webapp.voila_internals import (
    KernelHandler,
    RequestInfoSocketHandler,
    VoilaKernelWebsocketHandler,
    VoilaShutdownKernelHandler,
    application_settings,
    configure_http_servers,
    keep_pool,
    pool_key,
    preheat_only,
    replace_handlers,
    set_template_resources,
    use_contents_manager,
)

# Voila's kernel handlers and the workshop's, which answer only the visitor whose page started the kernel.
OWNED_HANDLERS = {
    KernelHandler: OwnedKernelHandler,
    VoilaKernelWebsocketHandler: OwnedKernelWebsocketHandler,
    VoilaShutdownKernelHandler: OwnedShutdownHandler,
    RequestInfoSocketHandler: OwnedRequestInfoHandler,
}


class WorkshopVoila(Voila):
    """Voila configured for a web page that strangers may visit."""

    description = "Serve the coaching workshop as a web app (Voila over lessons/)."

    class_size = Integer(
        0,
        config=True,
        help="""People who will open the first lesson together. When set, that many kernels wait ready for
        the first lesson (about 60 MB each), so the whole room's pages arrive at once instead of after every
        kernel has started on a few cores (docs/performance.md). 0: one waiting kernel per lesson.""",
    )
    max_kernels = Integer(
        config=True,
        help="""Most visitors' kernels at once (one per open lesson page). The next visitor gets "the
        workshop is full, try again in a few minutes" (HTTP 503) while the landing page and open lessons
        keep working. Default: the memory left (the container's limit, or the machine's) after 1 GB for
        the server and 60 MB per waiting pooled kernel, at 150 MB a visitor.""",
    )
    websockets_per_kernel = Integer(
        3,
        config=True,
        help="Websockets one kernel accepts at once (a lesson page opens one; a reconnect may overlap).",
    )
    websockets_per_visitor = Integer(
        20,
        config=True,
        help="Kernel websockets one visitor (the page's signed cookie) may hold at once, in all their tabs.",
    )
    kernels_per_address = Integer(
        60,
        config=True,
        help="""Visitors' kernels (open lesson pages) one client address may hold at once; 0: no cap. A
        room behind one guest Wi-Fi shares one address: 60 lets 30 people keep two lessons open each
        (docs/performance.md). Past it the page is a plain 429 'too many lessons open from your network'.""",
    )
    websockets_per_address = Integer(
        180,
        config=True,
        help="Kernel websockets one client address may hold at once (3 per kernel of kernels_per_address).",
    )
    trusted_proxies = List(
        Unicode(),
        config=True,
        help="""Addresses of reverse proxies in front of this server (the scaled set-up's HAProxy). On their
        connections the client's address is the last one in X-Forwarded-For; from anyone else that header is
        ignored.""",
    )
    idle_timeout = Float(
        60,
        config=True,
        help="Seconds a connection may take to send its request headers, or stay idle between requests.",
    )
    body_timeout = Float(30, config=True, help="Seconds a request may take to send its body.")
    aliases = {
        **Voila.aliases,
        "class-size": "WorkshopVoila.class_size",
        "max-kernels": "WorkshopVoila.max_kernels",
    }

    @default("max_kernels")
    def _default_max_kernels(self):
        return kernel_cap(memory_bytes(), self.pooled_kernels())

    def pooled_kernels(self) -> int:
        """Kernels kept waiting in Voila's pool: one per lesson (default_pool_size) plus --class-size."""
        if not self.voila_configuration.preheat_kernel:
            return 0
        lessons = len(list(self.lessons_folder.glob("*.ipynb")))
        return lessons * self.voila_configuration.default_pool_size + self.class_size

    @default("root_dir")
    def _default_root_dir(self):
        return str(repo_root())

    @default("ip")
    def _default_ip(self):
        return "127.0.0.1"

    @default("open_browser")
    def _default_open_browser(self):
        return False

    @default("port_retries")
    def _default_port_retries(self):
        return 0  # the kernels are told the group board's address (this port) before the server listens

    @default("config_file_paths")
    def _config_file_paths_default(self):
        # The repository's voila.json, whatever the working directory.
        return [str(repo_root()), *jupyter_config_path()]

    def initialize(self, argv=None):
        # Kernels inherit this: on a shared server each visitor's journal lives in their own browser.
        os.environ.setdefault("COACHKIT_JOURNAL_STORE", "browser")
        # Find the coachkit Voila template in the source tree too (an editable install copies it once).
        jupyter_path = os.environ.get("JUPYTER_PATH", "")
        if str(SHARE_DIR) not in jupyter_path.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SHARE_DIR), jupyter_path) if p)
        super().initialize(argv)
        # The page template reads this to draw the previous/next links of each lesson.
        navigation = lesson_navigation(self.lessons_folder, self.log)
        navigation["landing_url"] = self.server_url or self.base_url
        set_template_resources(self.voila_configuration.config, {"coachkit": navigation})

    @property
    def lessons_folder(self) -> Path:
        return Path(self.root_dir) / "lessons"

    class_pool = ""  # the lesson kept ready for a room by --class-size

    board_handlers: list = []

    def init_settings(self):
        # The group board's answer API, owned by this process. Before the kernel manager exists: the kernels
        # (pooled ones too, whose environment is copied when the pool is set up) get its address and token.
        self.board_handlers = embed_board(self.server_url or self.base_url, self.ip, self.port, self.log)
        # The facilitator page's key: `make room`'s, or a new one; out of the environment kernels inherit.
        self.facilitator = FacilitatorKey.from_environment()
        self.pool_only_lessons()
        if self.class_size > 0:
            self.pool_first_lesson(self.class_size)
        settings = super().init_settings()
        settings["coachkit_class_pool"] = self.class_pool
        settings["coachkit_facilitator"] = self.facilitator
        self.hold_a_full_room(settings)
        use_contents_manager(self, settings, PublicContentsManager(parent=self, root_dir=self.root_dir))
        # compress_response (gzip for text, set in voila.json) must be there as the Application is built.
        return application_settings(settings, self.tornado_settings)

    def hold_a_full_room(self, settings: dict) -> None:
        """Raise the limits a room of visitors reaches first, and count kernels and websockets."""
        open_files, hard = raise_open_file_limit()
        # Before the kernel manager's ZeroMQ context opens its first socket (the pool fills once we listen).
        sockets = raise_zmq_socket_limit(self.kernel_manager.context, open_files)
        raise_zmq_socket_limit(zmq.Context.instance(), open_files)
        settings["coachkit_room"] = Room(
            max_kernels=self.max_kernels,
            websockets_per_kernel=self.websockets_per_kernel,
            websockets_per_visitor=self.websockets_per_visitor,
            kernels_per_address=self.kernels_per_address,
            websockets_per_address=self.websockets_per_address,
            trusted_proxies=frozenset(self.trusted_proxies),
        )
        self.log.info(
            "Room: up to %d visitors' kernels (%d per client address), %d websockets per kernel, %d per "
            "visitor, %d per client address; open files %d (hard limit %d), ZeroMQ sockets %d",
            self.max_kernels,
            self.kernels_per_address,
            self.websockets_per_kernel,
            self.websockets_per_visitor,
            self.websockets_per_address,
            open_files,
            hard,
            sockets,
        )

    def listen(self):
        configure_http_servers(self.idle_timeout, self.body_timeout)
        super().listen()

    def pool_only_lessons(self) -> None:
        """Preheat only the lessons in <root>/lessons/, never a copy of one deeper down: a hub rehearsal's
        homes (learner/lessons/...) left in the served folder gave the web app a pool for every copy."""
        preheat_only(self.config, self.root_dir, "lessons")

    def pool_first_lesson(self, size: int) -> None:
        """Keep ``size`` kernels ready for the first lesson, once: the page handler stops the refill as the
        room arrives (Voila would start ``size`` more, which nobody needs once the room is in)."""
        first = sorted(self.lessons_folder.glob("[0-9][0-9]-*.ipynb"))[:1]
        if not first:
            self.log.warning("--class-size: no lesson found in %s", self.lessons_folder)
            return
        name = pool_key(self.root_dir, first[0])
        keep_pool(self.config, name, size, self.voila_configuration.default_pool_size)
        self.class_pool = name
        self.log.info("Keeping %d kernels ready for %s (--class-size)", size, name)

    def init_handlers(self):
        # no file tree (the landing page lists the lessons), and the workshop's own page and kernel handlers
        handlers = replace_handlers(
            super().init_handlers(), LessonPageHandler, HashedAssetHandler, OWNED_HANDLERS
        )
        landing = (self.server_url, LandingHandler, {"lessons_folder": str(self.lessons_folder)})
        facilitator = room_handlers(self.server_url, self.facilitator, self.board_handlers)
        self.log.info(
            "coachkit: the facilitator page is at http://%s:%s%scoachkit/facilitator/?key=%s",
            self.ip,
            self.port,
            self.server_url,
            self.facilitator.key,
        )
        return [landing, *self.board_handlers, *facilitator, *static_handlers(self.server_url), *handlers]


main = WorkshopVoila.launch_instance

if __name__ == "__main__":
    sys.exit(main())

"""Tornado handlers shared by the standalone web app and the Jupyter server extension."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import jinja2
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import ensure_async, url_path_join
from tornado import web

from coachkit.course import catalog
from coachkit.facilitator.page import landing_box
from coachkit.webapp import SHARE_DIR, STATIC_DIR
from coachkit.webapp.lockdown import is_public
from coachkit.webapp.room import admit_page, client_address, ensure_visitor
from coachkit.webapp.voila_internals import (
    SPINNER_ID,
    FileFindHandler,
    RecordsPageKernels,
    TornadoVoilaHandler,
    is_heartbeat,
    set_xsrf_cookie,
    stop_pool_refill,
)

KERNEL_FAILED_HTML = """
<script>
  (function () {{ var s = document.getElementById("{spinner}"); if (s) s.style.display = "none"; }})();
</script>
<div class="ck-kernel-failed" role="alert">
  <h2>This lesson could not start</h2>
  <p>The part of the server that runs the lesson's activities did not start. Please reload the page in a
  minute; if it happens again, tell your facilitator.</p>
  <p><a href="{landing}">Back to all lessons</a></p>
</div>
</main></body></html>
"""


class LessonPageHandler(RecordsPageKernels, TornadoVoilaHandler):
    """Voila's page handler, limited to lesson notebooks and fixed for kernel shutdown and failed starts.

    voila#1458: the page's ``beforeunload`` beacon posts the ``_xsrf`` cookie to
    /voila/api/shutdown/<kernel>, but a page render never set that cookie, so the shutdown got 403 and
    every closed page left its kernel running. This handler sets the cookie (voila_internals.set_xsrf_cookie),
    which keeps XSRF protection on and lets the beacon through.

    The kernel is bound to the visitor whose page started it (coachkit.webapp.room): only that visitor's
    requests reach it. Past the room's kernel cap the page is "the workshop is full" (HTTP 503) instead.

    A kernel that dies as it starts leaves Voila 0.5 sending heartbeats for ever (its rendering task ends
    with the error and never says so): the page would show "Loading" until the visitor gives up. At each
    heartbeat this handler looks at the kernel it started; when that kernel is gone, it ends the page with
    a message instead.
    """

    def initialize(self, **kwargs):
        super().initialize(**kwargs)
        self.started_kernels: list[str] = []
        self.visitor = ""
        self.address: str | None = None
        self._pending = False

    async def prepare(self):
        await super().prepare()
        path = self.path_args[0] if self.path_args else ""
        if not (is_public(path, ("lessons",)) and path.endswith(".ipynb")):
            raise web.HTTPError(404, "Not found")
        set_xsrf_cookie(self)
        self.visitor = ensure_visitor(self)
        room = self.settings.get("coachkit_room")
        if room is None:
            return
        self.address = client_address(self)
        if not admit_page(self, room, self.address, path):  # "full" (503) or too many from one address (429)
            return
        self._pending = True

    def on_page_kernel(self, kernel_id: str) -> None:
        room = self.settings.get("coachkit_room")
        if room is not None:
            room.claim(kernel_id, self.visitor, self.address)
            if self._pending:
                self._pending = False
                room.release_pending(self.address)

    def _release_pending(self) -> None:
        room = self.settings.get("coachkit_room")
        if self._pending and room is not None:  # the page ended before a kernel was its own
            self._pending = False
            room.release_pending(self.address)

    def on_finish(self):
        self._release_pending()
        super().on_finish()

    def on_connection_close(self):
        self._release_pending()  # a visitor who leaves mid-render may never reach on_finish
        super().on_connection_close()

    async def get_generator(self, path=None):
        if path and path == self.settings.get("coachkit_class_pool"):
            # The room's pool is used once: no refill of --class-size kernels after each visitor.
            stop_pool_refill(self.settings["kernel_manager"], path)
        async for html in super().get_generator(path=path):
            if (
                is_heartbeat(html)
                and self.started_kernels
                and not await self._alive(self.started_kernels[-1])
            ):
                self.log.error("the kernel for %s died as it started; the page says so", path)
                landing = url_path_join(self.base_url, "/")
                yield KERNEL_FAILED_HTML.format(landing=landing, spinner=SPINNER_ID)
                # kept on the handler: the event loop holds only a weak reference to a task
                self._forgetting = asyncio.ensure_future(self._forget(self.started_kernels[-1]))
                return
            yield html

    async def _alive(self, kernel_id: str) -> bool:
        try:
            kernel = self.settings["kernel_manager"].get_kernel(kernel_id)
        except KeyError:
            return False
        return bool(await ensure_async(kernel.is_alive()))

    async def _forget(self, kernel_id: str) -> None:
        try:
            await ensure_async(self.settings["kernel_manager"].shutdown_kernel(kernel_id, now=True))
        except Exception:  # already gone: nothing to clean up
            self.log.debug("kernel %s was already gone", kernel_id)


TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(SHARE_DIR / "voila" / "templates" / "coachkit")),
    autoescape=True,
)


class LandingHandler(JupyterHandler):
    """The first page: the lessons in order, with the visitor's progress read in the browser."""

    def initialize(self, lessons_folder: str, render_url: str = "voila/render/"):
        self.lessons_folder = Path(lessons_folder)
        self.render_url = render_url

    @web.authenticated
    def get(self):
        template = TEMPLATES.get_template("landing.html")
        set_xsrf_cookie(self)  # the cookie the lesson pages' shutdown beacon sends
        lessons = catalog.lessons(self.lessons_folder)
        exercises = self.lessons_folder.parent / "exercises"
        selfchecks = [
            {"title": catalog.exercise_title(name, exercises), "lesson": lesson, "name": name}
            for lesson in lessons
            for name in lesson.selfchecks
        ]
        self.write(
            template.render(
                lessons=lessons,
                selfchecks=selfchecks,
                facilitator=landing_box(self, self.base_url),
                base_url=self.base_url,
                render_base=url_path_join(self.base_url, self.render_url),
                static_base=url_path_join(self.base_url, "coachkit/static/"),
            )
        )


# A webpack file name with its content hash: "84.09c61a35dce1705f.js", "remoteEntry.698dcaf7.js".
CONTENT_HASHED = re.compile(r"[.-][0-9a-f]{8,}\.(js|css|woff2?|ttf|svg)$")


class HashedAssetHandler(FileFindHandler):
    """Voila's handler for the lab extensions' JavaScript, with a year's cache for content-hashed files.

    Voila serves /voila/labextensions/ with ``no_cache_paths=["/"]``: every page asks again for every file.
    A file whose name carries its content's hash never changes under that name, so the browser may keep it;
    anything else (``style.js``, ``package.json``) keeps Voila's ``no-cache``.
    """

    def set_headers(self) -> None:
        super().set_headers()
        if CONTENT_HASHED.search(self.request.path):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")


def static_handlers(base_url: str) -> list[tuple]:
    """Our own CSS, JavaScript and icon, so no page needs the internet (Font Awesome comes with Voila)."""
    return [
        # Browsers ask for /favicon.ico when a page names no icon (a 404 and a console error otherwise).
        (
            url_path_join(base_url, "/favicon.ico"),
            web.RedirectHandler,
            {"url": url_path_join(base_url, "/coachkit/static/favicon.svg"), "permanent": True},
        ),
        (url_path_join(base_url, r"/coachkit/static/(.*)"), web.StaticFileHandler, {"path": str(STATIC_DIR)}),
    ]


def lesson_navigation(lessons_folder: Path, log) -> dict:
    """The lesson list the page template uses for previous/next links (empty if a lesson is broken)."""
    try:
        ordered = catalog.lessons(lessons_folder)
    except (OSError, ValueError) as exc:
        log.error("coachkit: lesson navigation is off because a lesson is incomplete: %s", exc)
        ordered = []
    return {
        "lessons": [
            {"name": lesson.filename.removesuffix(".ipynb"), "title": lesson.title, "minutes": lesson.minutes}
            for lesson in ordered
        ]
    }

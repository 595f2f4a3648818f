"""Every private Voila or jupyter_server detail the web app relies on, named once, so an upgrade breaks here.

Written against Voila 0.5.13 and jupyter_server 2.21.1. The rest of coachkit.webapp takes these names from
here and nowhere else: none of it reaches into Voila's or jupyter_server's own modules, reads their HTML or
changes their objects behind their back. tests/test_voila_internals.py checks each detail against the
installed Voila and jupyter_server and says which name to update when one of them changes.

Upstream: voila#1458 (a closed page's ``beforeunload`` beacon is refused because no page render sets the
``_xsrf`` cookie it sends) belongs in Voila's page handler; once Voila sets that cookie, ``set_xsrf_cookie``
can go. One detail lives outside this module because it must run before jupyter_server is first imported:
coachkit/webapp/__init__.py tells Python that ``rfc3987_syntax`` is absent (jupyter_server#1559).
"""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_server._tz import utcnow
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import ensure_async
from tornado.httpserver import HTTPServer
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

VOILA_VERSION = "0.5.13"
JUPYTER_SERVER_VERSION = "2.21.1"

__all__ = [
    "FONT_AWESOME_CDN_LINKS",
    "HEARTBEAT",
    "KERNEL_HANDLERS",
    "LABEXTENSIONS_ROUTE",
    "LAB_TEMPLATE_BLOCKS",
    "SPINNER_ID",
    "FileFindHandler",
    "KernelHandler",
    "PageKernelManager",
    "RecordsPageKernels",
    "RequestInfoSocketHandler",
    "TornadoVoilaHandler",
    "TornadoVoilaTreeHandler",
    "VoilaKernelWebsocketHandler",
    "VoilaShutdownKernelHandler",
    "application_settings",
    "configure_http_servers",
    "is_heartbeat",
    "keep_pool",
    "mark_active",
    "pool_key",
    "preheat_only",
    "replace_handlers",
    "set_template_resources",
    "set_xsrf_cookie",
    "stop_pool_refill",
    "use_contents_manager",
]


# --- the lesson page (Voila's TornadoVoilaHandler)

# Voila's page handler (voila/tornado/handler.py): its get() writes and flushes each piece that
# get_generator(path=...) yields, so a subclass that overrides get_generator sees the page as it is sent.
# TornadoVoilaHandler is imported above and re-exported for LessonPageHandler to subclass.

# What Voila's get_generator yields while a new kernel's page is still rendering (voila/handler.py,
# time_out(), every http_keep_alive_timeout seconds). It is the only moment the page handler runs while a
# kernel starts, so the handler looks at its kernel there: one that died as it started leaves Voila sending
# heartbeats for ever.
HEARTBEAT = "<script>window.voila_heartbeat()</script>\n"


def is_heartbeat(html: str) -> bool:
    """True when a piece of the page is Voila's keep-alive heartbeat, not the notebook's content."""
    return html == HEARTBEAT


# The element of Voila's loading spinner (voila/templates/base/spinner.macro.html.j2, <div id="loading">),
# shown until the cells are displayed; a page that ends early hides it.
SPINNER_ID = "loading"


def set_xsrf_cookie(handler) -> None:
    """Set the ``_xsrf`` cookie on a page response (tornado does so when the token is first read).

    voila#1458: Voila's widgets manager (@voila-dashboards/widgets-manager8) posts the ``_xsrf`` cookie in a
    ``beforeunload`` beacon to /voila/api/shutdown/<kernel>, an APIHandler that checks XSRF; but no Voila
    page sets that cookie, so the shutdown got 403 and every closed page left its kernel running. The fix
    belongs in Voila's page handler; until then ours sets it, keeping XSRF protection on."""
    handler.xsrf_token  # noqa: B018 - the property sets the _xsrf cookie as a side effect


def mark_active(kernel) -> None:
    """Count a kernel as active now, as jupyter_server does on each message.

    jupyter_server's culler (MappingKernelManager.cull_kernel_if_idle) compares ``kernel.last_activity``
    with ``jupyter_server._tz.utcnow()``; Voila's pool spares its kernels only while they wait in it
    (VoilaKernelManager.cull_kernel_if_idle looks in ``_pools``). A pooled kernel that waited longer than
    cull_idle_timeout was culled the moment it was handed out, before the visitor's page could connect."""
    kernel.last_activity = utcnow()


class PageKernelManager:
    """The kernel manager as one page handler sees it: it notes the kernels the handler starts, and a
    kernel taken from the preheated pool counts as active from the moment it is handed out.

    Voila's VoilaHandler.get_generator reaches the kernel manager only through ``self.kernel_manager``
    (jupyter_server's JupyterHandler property, ``settings["kernel_manager"]``): ``start_kernel`` for a
    new kernel, ``get_rendered_notebook`` (VoilaKernelManager) for a pooled one, which returns
    ``(render_task, rendered_cache, kernel_id)``; everything else passes through unchanged."""

    def __init__(self, manager, started: list[str], on_kernel=None):
        self._manager = manager
        self._started = started
        self._on_kernel = on_kernel or (lambda kernel_id: None)

    def __getattr__(self, name):
        return getattr(self._manager, name)

    async def start_kernel(self, *args, **kwargs):
        kernel_id = await ensure_async(self._manager.start_kernel(*args, **kwargs))
        self._started.append(kernel_id)
        self._on_kernel(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args, **kwargs):
        render_task, rendered_cache, kernel_id = await self._manager.get_rendered_notebook(*args, **kwargs)
        mark_active(self._manager.get_kernel(kernel_id))
        self._on_kernel(kernel_id)
        return render_task, rendered_cache, kernel_id


class RecordsPageKernels:
    """Mixin before TornadoVoilaHandler: Voila's page code gets a PageKernelManager as ``kernel_manager``.

    The handler sets ``started_kernels`` (a list) in initialize() and may define
    ``on_page_kernel(kernel_id)``, called when its page gets a kernel, started or pooled."""

    started_kernels: list[str]

    def on_page_kernel(self, kernel_id: str) -> None:
        """The page got a kernel (started for it, or taken from the pool)."""

    @property
    def kernel_manager(self):
        return PageKernelManager(self.settings["kernel_manager"], self.started_kernels, self.on_page_kernel)


def stop_pool_refill(kernel_manager, notebook: str) -> None:
    """From now on, keep no kernel waiting for ``notebook`` (a key of ``kernel_pools_config``).

    Voila's VoilaKernelManager reads ``kernel_pools_config`` afresh each time it refills a pool
    (fill_if_needed, which get_rendered_notebook calls after handing out a pooled kernel), so a change
    made during a request decides the refill that request causes."""
    pools = kernel_manager.kernel_pools_config
    pools[notebook] = {**pools.get(notebook, {}), "pool_size": 0}


# --- the application (voila.app.Voila) and its configuration


def pool_key(root_dir: str | Path, notebook: Path) -> str:
    """The name Voila's pool knows a notebook by: its path from the served root, with "/"
    (VoilaKernelManager fills a pool for ``str(path.relative_to(root_dir))`` and the page handler asks
    for the path of its URL)."""
    return notebook.relative_to(root_dir).as_posix()


def keep_pool(config, notebook: str, size: int, default_pool_size: int) -> None:
    """Configure ``size`` kernels waiting for ``notebook`` (``config``: the application's traitlets config).

    Setting VoilaKernelManager.kernel_pools_config replaces Voila's default for it, whose "default" entry
    holds --VoilaConfiguration.default_pool_size; without that entry every other notebook's pool would
    fall back to fill_if_needed's own default (1)."""
    manager = config.VoilaKernelManager
    pools = dict(manager.get("kernel_pools_config", {}))
    pools.setdefault("default", {"pool_size": default_pool_size})
    pools[notebook] = {**pools.get(notebook, {}), "pool_size": size}
    manager.kernel_pools_config = pools


def preheat_only(config, root_dir: str | Path, folder: str = "lessons") -> None:
    """Let Voila preheat only the notebooks directly in <root_dir>/<folder>/.

    VoilaKernelManager._notebook_filter tests each ``preheat_denylist`` entry with ``re.match`` (and as a
    substring) against the notebook's absolute path, as found by ``Path(root_dir).rglob("*.ipynb")``."""
    manager = config.VoilaKernelManager
    root = re.escape(str(Path(root_dir)).rstrip("/"))
    denied = list(manager.get("preheat_denylist", []))
    manager.preheat_denylist = [*denied, rf"^(?!{root}/{re.escape(folder)}/[^/]+\.ipynb$)"]


def set_template_resources(config, resources: dict) -> None:
    """Give Voila's page templates ``resources`` (the template reads ``resources.<key>``).

    Voila's NotebookRenderer reads ``voila_configuration.config.VoilaConfiguration.resources`` at each
    render, so the value may be set after start-up. In a Jupyter server that config is the server's only
    until Voila's extension loads: when a voila.json is in the working directory, Voila's loader calls
    ``VoilaConfiguration.update_config``, which takes a copy. jupyter_server loads extensions in
    alphabetical order (ExtensionManager.sorted_extensions), so "coachkit.webapp" sets this before "voila"
    copies it."""
    config.VoilaConfiguration.resources = resources


# The route Voila serves the lab extensions' JavaScript from, with jupyter_server's FileFindHandler and
# ``no_cache_paths=["/"]`` (voila/app.py, init_handlers); FileFindHandler.set_headers sends that no-cache.
LABEXTENSIONS_ROUTE = "/voila/labextensions/(.*)"

# Voila's handlers that reach a kernel by its id: jupyter_server's /api/kernels/<id>, Voila's kernel
# websocket (/api/kernels/<id>/channels), the closing page's shutdown beacon (/voila/api/shutdown/<id>) and,
# with preheated kernels, /voila/query/<id>, where a pooled kernel learns its page's address.
KERNEL_HANDLERS = (
    KernelHandler,
    VoilaKernelWebsocketHandler,
    VoilaShutdownKernelHandler,
    RequestInfoSocketHandler,
)


def replace_handlers(specs: list, page: type, labextensions: type, kernels: dict[type, type]) -> list:
    """Voila's handler list (Voila.init_handlers(): tuples of pattern, handler class, optional kwargs) with
    the file tree left out (TornadoVoilaTreeHandler at / and /voila/tree), the page handler
    (TornadoVoilaHandler at /voila/render/) replaced by ``page``, the lab extensions' FileFindHandler by
    ``labextensions`` and each of KERNEL_HANDLERS by ``kernels[handler]``. Patterns and kwargs are Voila's."""
    handlers = []
    for spec in specs:
        pattern, handler = spec[0], spec[1]
        if handler is TornadoVoilaTreeHandler:
            continue
        if handler is TornadoVoilaHandler:
            spec = (pattern, page, *spec[2:])
        if handler is FileFindHandler and pattern.endswith(LABEXTENSIONS_ROUTE):
            spec = (pattern, labextensions, *spec[2:])
        if handler in kernels:
            spec = (pattern, kernels[handler], *spec[2:])
        handlers.append(spec)
    return handlers


def use_contents_manager(app, settings: dict, manager) -> None:
    """Serve files through ``manager``: Voila.init_settings() makes its own LargeFileManager, keeps it as
    ``app.contents_manager`` and puts it in the tornado settings it returns; both are replaced."""
    app.contents_manager = manager
    settings["contents_manager"] = manager


def application_settings(settings: dict, tornado_settings: dict) -> dict:
    """The settings to build Voila's tornado Application with, ``Voila.tornado_settings`` included.

    Voila.start() builds ``tornado.web.Application(**init_settings())`` and only then updates its settings
    with ``tornado_settings``: too late for what the Application reads as it is built, such as
    ``compress_response`` (gzip for text, set in voila.json). So init_settings returns them together."""
    return {**settings, **tornado_settings}


def configure_http_servers(idle_timeout: float, body_timeout: float) -> None:
    """Give every tornado HTTPServer this process starts these timeouts.

    Voila.listen() calls ``self.app.listen(port, self.ip)`` with no server options; tornado's
    Application.listen builds an HTTPServer, a tornado Configurable whose configure() sets the options
    every server of this process starts with."""
    HTTPServer.configure(None, idle_connection_timeout=idle_timeout, body_timeout=body_timeout)


# --- the page template (coachkit/webapp/share/jupyter/voila/templates/coachkit/index.html.j2)

# The blocks of Voila's lab template (voila/templates/lab/index.html.j2) the coachkit template extends.
LAB_TEMPLATE_BLOCKS = ("notebook_css", "body_header", "body_footer")

# Voila's lab template links Font Awesome 5 from a CDN in its notebook_css block. The same Font Awesome
# (5.15.4: every class, the v4 shims and the fonts, in Voila's own static folder) is already inside
# voila-style.js, which that block includes on every page, so the coachkit template removes both links:
# no page asks the internet for anything, and an icon a widget names still shows (a browser fetches a
# Font Awesome font from this server only when a glyph uses it).
FONT_AWESOME_CDN_LINKS = (
    '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/all.min.css"'
    ' type="text/css" />',
    '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/v4-shims.min.css"'
    ' type="text/css" />',
)
# The bundle of Voila's lab template that carries that Font Awesome (voila/templates/base/static/).
FONT_AWESOME_BUNDLE = "voila-style.js"

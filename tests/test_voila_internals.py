"""Each Voila / jupyter_server detail coachkit.webapp.voila_internals relies on, checked against the installed
Voila and jupyter_server: their source, templates, bundles and classes, run where that is cheap. A failure
names the detail and what to update; nothing of Voila's is mocked (a plain object stands in for ``self``
where a Voila method is run on its own)."""

from __future__ import annotations

import ast
import asyncio
import importlib.util
import inspect
import logging
import re
import textwrap
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import run_async
from jupyter_core.paths import jupyter_path

from coachkit.webapp import SHARE_DIR
from coachkit.webapp import voila_internals as vi


def source(obj) -> str:
    return textwrap.dedent(inspect.getsource(obj))


def function_tree(obj) -> ast.AST:
    return ast.parse(source(obj))


def voila_file(*parts: str) -> Path:
    """A file of Voila's installed share folder (templates, lab extensions), the first on Jupyter's path."""
    for folder in jupyter_path("voila"):
        path = Path(folder, *parts)
        if path.exists():
            return path
    raise AssertionError(
        f"Voila's {'/'.join(parts)} is not installed where Jupyter looks ({jupyter_path('voila')})"
    )


def pool_manager_class():
    """Voila's pooling kernel manager class, made the way Voila.init_settings makes it."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    return voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)


@pytest.fixture(scope="module")
def voila_app(tmp_path_factory):
    """A real Voila application over an empty folder, set up as far as its settings and handlers (never
    started, no kernel): what Voila.start() would hand to tornado."""
    from voila.app import Voila

    folder = tmp_path_factory.mktemp("voila-internals")
    app = Voila(config_file_paths=[str(folder)], root_dir=str(folder))
    app.initialize([])
    app.connection_dir = str(folder)
    settings = app.init_settings()
    app.voila_configuration.preheat_kernel = True  # for init_handlers only: /voila/query/ too
    return app, settings, app.init_handlers()


def test_the_installed_versions_are_the_ones_this_was_checked_against():
    """Are Voila and jupyter_server the versions voila_internals names?"""
    import jupyter_server
    import voila

    assert voila.__version__ == vi.VOILA_VERSION, (
        f"Voila is {voila.__version__}, voila_internals was checked against {vi.VOILA_VERSION}: run this "
        "file, update what fails, then voila_internals.VOILA_VERSION"
    )
    assert jupyter_server.__version__ == vi.JUPYTER_SERVER_VERSION, (
        f"jupyter_server is {jupyter_server.__version__}, voila_internals was checked against "
        f"{vi.JUPYTER_SERVER_VERSION}: run this file, update what fails, then JUPYTER_SERVER_VERSION"
    )


def test_voila_sends_the_heartbeat_we_look_for():
    """Does Voila's page generator still yield exactly voila_internals.HEARTBEAT while a kernel starts?"""
    from voila.handler import VoilaHandler

    sent = [
        node.value.value
        for fn in ast.walk(function_tree(VoilaHandler.get_generator))
        if isinstance(fn, ast.FunctionDef) and fn.name == "time_out"
        for node in ast.walk(fn)
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant)
    ]
    assert sent == [vi.HEARTBEAT], (
        f"Voila no longer writes the heartbeat as {vi.HEARTBEAT!r} (its time_out() returns {sent}); update "
        "voila_internals.HEARTBEAT, and the check in LessonPageHandler.get_generator (handlers.py) if Voila "
        "no longer sends one at all"
    )
    assert vi.is_heartbeat(vi.HEARTBEAT) and not vi.is_heartbeat("<div>" + vi.HEARTBEAT)


def test_voila_writes_the_page_as_get_generator_yields_it():
    """Does Voila's page handler still send what get_generator(path=...) yields, piece by piece?"""
    text = source(vi.TornadoVoilaHandler.get)
    assert "self.get_generator(path=path)" in text and "self.write(html)" in text, (
        "Voila's TornadoVoilaHandler.get no longer writes what self.get_generator(path=path) yields; "
        "LessonPageHandler.get_generator (handlers.py) overrides that to watch the heartbeats: follow "
        "Voila's new page method there"
    )


def test_voila_reaches_the_kernel_manager_through_the_handler_property():
    """Does Voila's page code use only ``self.kernel_manager`` (which RecordsPageKernels replaces), with the
    methods PageKernelManager wraps, and does the pool hand out (task, cache, kernel id)?"""
    from jupyter_server.base.handlers import JupyterHandler
    from voila.handler import VoilaHandler

    prop = inspect.getattr_static(JupyterHandler, "kernel_manager")
    assert isinstance(prop, property) and 'self.settings["kernel_manager"]' in source(prop.fget), (
        "jupyter_server's JupyterHandler.kernel_manager is no longer a property over "
        'settings["kernel_manager"]; update voila_internals.RecordsPageKernels'
    )
    tree = function_tree(VoilaHandler.get_generator)
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "kernel_manager"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "self"
    }
    assert {"start_kernel", "get_rendered_notebook"} <= used, (
        "Voila's page handler no longer starts or takes kernels through self.kernel_manager (it uses "
        f"{used}); update voila_internals.PageKernelManager, which notes the kernels a page gets"
    )
    assert 'settings["kernel_manager"]' not in source(VoilaHandler.get_generator), (
        'Voila\'s page handler now reads settings["kernel_manager"] itself, past RecordsPageKernels; update '
        "voila_internals.PageKernelManager and how the page handler gets it"
    )
    returns = [
        node.value
        for node in ast.walk(function_tree(pool_manager_class().get_rendered_notebook))
        if isinstance(node, ast.Return)
    ]
    assert [len(r.elts) if isinstance(r, ast.Tuple) else None for r in returns] == [3], (
        "VoilaKernelManager.get_rendered_notebook no longer returns (render_task, rendered_cache, "
        "kernel_id); update voila_internals.PageKernelManager.get_rendered_notebook"
    )


def test_the_culler_reads_last_activity_against_jupyter_servers_utcnow():
    """Does the culler still compare ``kernel.last_activity`` with jupyter_server._tz.utcnow (mark_active
    sets it), and does Voila's pool still spare only the kernels waiting in it?"""
    import jupyter_server._tz
    from jupyter_server.services.kernels import kernelmanager

    now = jupyter_server._tz.utcnow()
    assert now.utcoffset() == timedelta(0), "jupyter_server._tz.utcnow() is no longer aware UTC"
    assert kernelmanager.utcnow is jupyter_server._tz.utcnow, (
        "jupyter_server's kernel manager no longer takes utcnow from jupyter_server._tz; update "
        "voila_internals.mark_active to stamp last_activity with the clock it uses"
    )
    cull = source(kernelmanager.MappingKernelManager.cull_kernel_if_idle)
    assert "kernel.last_activity" in cull and "utcnow()" in cull, (
        "jupyter_server's culler no longer compares kernel.last_activity with utcnow(); update "
        "voila_internals.mark_active (a pooled kernel handed out must not look idle)"
    )
    assert "self._pools" in source(pool_manager_class().cull_kernel_if_idle), (
        "Voila's pool no longer spares its waiting kernels by looking in _pools; check whether "
        "voila_internals.mark_active is still needed"
    )
    kernel = SimpleNamespace()
    vi.mark_active(kernel)
    assert kernel.last_activity - now < timedelta(seconds=60)


def test_the_pool_reads_its_size_afresh_at_each_refill():
    """Run Voila's own fill_if_needed: does a pool size changed between two calls (stop_pool_refill, during a
    request) decide what the next refill starts, and does handing out a pooled kernel refill?"""
    manager_class = pool_manager_class()
    assert "self.fill_if_needed(" in source(manager_class.get_rendered_notebook), (
        "VoilaKernelManager.get_rendered_notebook no longer refills the pool; update "
        "voila_internals.stop_pool_refill"
    )
    started = []

    async def initialize(notebook_name, renderer, **kwargs):
        started.append(notebook_name)
        return {"kernel_id": "k"}

    stand_in = SimpleNamespace(
        fill_delay=0,
        kernel_pools_config={"default": {"pool_size": 1}},
        _pools={},
        root_dir="/srv",
        parent=SimpleNamespace(base_url="/", server_url="/", port=8866),
        log=logging.getLogger("test"),
        _initialize=initialize,
    )

    async def refill_twice():
        vi.stop_pool_refill(stand_in, "lessons/00-start-here.ipynb")
        manager_class.fill_if_needed(stand_in, delay=0, notebook_name="lessons/00-start-here.ipynb")
        manager_class.fill_if_needed(stand_in, delay=0, notebook_name="lessons/01-other.ipynb")
        await asyncio.gather(*[task for pool in stand_in._pools.values() for task in pool])

    run_async(refill_twice())  # in a thread: a browser test's Playwright loop may be running in this one
    assert started == ["lessons/01-other.ipynb"], (
        "Voila's fill_if_needed no longer reads kernel_pools_config[<notebook>]['pool_size'] when it refills "
        f"(started for {started}); update voila_internals.stop_pool_refill"
    )


def test_pools_are_named_by_the_path_from_the_root_and_copy_the_environment_when_made():
    """Does Voila key its pools by the notebook's path from the root (pool_key), keep the "default" entry
    keep_pool carries over, and fill them (copying os.environ) as the kernel manager is made?"""
    manager_class = pool_manager_class()
    init = source(manager_class.__init__)
    assert ".relative_to(self.root_dir)" in init and "notebook_name=str(nb)" in init, (
        "Voila no longer names a notebook's pool by its path relative to the root; update "
        "voila_internals.pool_key"
    )
    assert "self.fill_if_needed(" in init and "os.environ.copy()" in source(manager_class.fill_if_needed), (
        "Voila no longer fills the pools (copying os.environ) as its kernel manager is made; the board's "
        "address must reach pooled kernels: see WorkshopVoila.init_settings (app.py)"
    )
    fill = source(manager_class.fill_if_needed)
    assert 'self.kernel_pools_config.get("default", {})' in fill and '.get("pool_size"' in fill, (
        "Voila's fill_if_needed no longer falls back to kernel_pools_config['default']; update "
        "voila_internals.keep_pool"
    )
    from traitlets.config import Config

    config = Config()
    vi.keep_pool(config, vi.pool_key(Path("/srv"), Path("/srv/lessons/00-a.ipynb")), 5, 1)
    assert config.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 1},
        "lessons/00-a.ipynb": {"pool_size": 5},
    }


def test_the_preheat_denylist_is_matched_against_absolute_paths():
    """Run Voila's own notebook filter: does preheat_only's pattern keep <root>/lessons/*.ipynb and nothing
    deeper, matched against the absolute path Voila finds with rglob?"""
    from traitlets.config import Config

    manager_class = pool_manager_class()
    assert "Path(self.root_dir).rglob(" in source(manager_class.__init__), (
        "Voila no longer finds the notebooks to preheat with Path(root_dir).rglob; update "
        "voila_internals.preheat_only"
    )
    config = Config()
    vi.preheat_only(config, "/srv/work shop", "lessons")
    stand_in = SimpleNamespace(preheat_denylist=config.VoilaKernelManager.preheat_denylist)
    kept = {
        path: manager_class._notebook_filter(stand_in, Path(path))
        for path in (
            "/srv/work shop/lessons/00-start-here.ipynb",
            "/srv/work shop/learner/lessons/00-start-here.ipynb",
            "/srv/work shop/solutions/a01/a01.ipynb",
            "/srv/work shop/lessons/deeper/00.ipynb",
        )
    }
    assert kept == {
        "/srv/work shop/lessons/00-start-here.ipynb": True,
        "/srv/work shop/learner/lessons/00-start-here.ipynb": False,
        "/srv/work shop/solutions/a01/a01.ipynb": False,
        "/srv/work shop/lessons/deeper/00.ipynb": False,
    }, (
        f"Voila's _notebook_filter reads preheat_denylist differently ({kept}); update "
        "voila_internals.preheat_only"
    )


def test_templates_read_their_resources_from_the_config_at_each_render():
    """Does Voila's renderer still read VoilaConfiguration.resources from the config object at each render
    (set_template_resources sets it after start-up)?"""
    from voila.notebook_renderer import NotebookRenderer

    assert "self.voila_configuration.config.VoilaConfiguration.resources" in source(NotebookRenderer), (
        "Voila's NotebookRenderer no longer reads voila_configuration.config.VoilaConfiguration.resources; "
        "the lesson navigation will vanish: update voila_internals.set_template_resources"
    )


def test_our_extension_loads_before_voilas_which_copies_the_config():
    """Does jupyter_server load "coachkit.webapp" before "voila", and does Voila's extension (which copies
    the server's config when a voila.json is there) make its VoilaConfiguration as it loads?"""
    from jupyter_server.extension.manager import ExtensionManager
    from jupyter_server.serverapp import ServerApp
    from traitlets.config import Config
    from voila import server_extension
    from voila.configuration import VoilaConfiguration

    manager = ExtensionManager()
    manager.add_extension("voila", True)
    manager.add_extension("coachkit.webapp", True)
    order = list(manager.sorted_extensions)
    assert order.index("coachkit.webapp") < order.index("voila"), (
        f"jupyter_server now loads extensions in the order {order}: coachkit.webapp must set the template's "
        "resources before Voila's extension copies the config (voila_internals.set_template_resources)"
    )
    loader = source(server_extension._load_jupyter_server_extension)
    assert "VoilaConfiguration(parent=server_app)" in loader and ".update_config(" in loader, (
        "Voila's server extension no longer makes its VoilaConfiguration from the server's config as it "
        "loads; check voila_internals.set_template_resources in a Jupyter server"
    )
    server = ServerApp()
    vi.set_template_resources(server.config, {"coachkit": {"lessons": []}})
    voila_configuration = VoilaConfiguration(parent=server)
    voila_configuration.update_config(Config({"VoilaConfiguration": {"template": "coachkit"}}))
    assert voila_configuration.config.VoilaConfiguration.resources == {"coachkit": {"lessons": []}}


def test_voilas_handler_list_holds_what_replace_handlers_swaps(voila_app):
    """Does Voila.init_handlers() still list the tree, page, lab-extension and kernel handlers at the routes
    replace_handlers expects, and does nothing of them survive the swap?"""
    _, _, specs = voila_app
    by_class = {}
    for spec in specs:
        by_class.setdefault(spec[1], []).append(spec)
    expected = {
        vi.TornadoVoilaTreeHandler: "the file tree at / and /voila/tree",
        vi.TornadoVoilaHandler: "the page at /voila/render/",
        vi.FileFindHandler: f"the lab extensions at {vi.LABEXTENSIONS_ROUTE}",
        **{handler: "a handler reaching a kernel by id" for handler in vi.KERNEL_HANDLERS},
    }
    missing = [f"{cls.__name__} ({what})" for cls, what in expected.items() if cls not in by_class]
    assert not missing, (
        f"Voila.init_handlers() no longer lists {missing}; update voila_internals.replace_handlers "
        "(and KERNEL_HANDLERS) to the handlers Voila uses now"
    )
    assert [s[0] for s in by_class[vi.TornadoVoilaHandler]] == ["/voila/render/(.*)"]
    assert [s[0] for s in by_class[vi.TornadoVoilaTreeHandler]][0] == "/"
    labextensions = [s for s in by_class[vi.FileFindHandler] if s[0].endswith(vi.LABEXTENSIONS_ROUTE)]
    assert len(labextensions) == 1 and labextensions[0][2]["no_cache_paths"] == ["/"], (
        f"Voila no longer serves {vi.LABEXTENSIONS_ROUTE} with FileFindHandler(no_cache_paths=['/']); update "
        "voila_internals.LABEXTENSIONS_ROUTE and HashedAssetHandler (handlers.py)"
    )

    def stand_in(name):
        return type(name, (), {})

    page, assets = stand_in("Page"), stand_in("Assets")
    kernels = {handler: stand_in(handler.__name__) for handler in vi.KERNEL_HANDLERS}
    swapped = vi.replace_handlers(specs, page, assets, kernels)
    left = [s[1].__name__ for s in swapped if s[1] in expected and s[1] is not vi.FileFindHandler]
    assert not left and vi.TornadoVoilaTreeHandler not in {s[1] for s in swapped}
    assert [s[0] for s in swapped if s[1] is page] == ["/voila/render/(.*)"]
    assert [s[0] for s in swapped if s[1] is assets] == [vi.LABEXTENSIONS_ROUTE]


def test_the_kernel_handlers_have_the_methods_room_overrides():
    """Do Voila's / jupyter_server's kernel handlers still have the methods coachkit.webapp.room overrides,
    with the kernel id where room reads it?"""
    from jupyter_server.base.handlers import APIHandler
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    checks = {
        "KernelHandler.get(kernel_id)": list(inspect.signature(vi.KernelHandler.get).parameters)[1:]
        == ["kernel_id"],
        "KernelHandler.delete(kernel_id)": list(inspect.signature(vi.KernelHandler.delete).parameters)[1:]
        == ["kernel_id"],
        "VoilaShutdownKernelHandler.post(kernel_id), an APIHandler": issubclass(
            vi.VoilaShutdownKernelHandler, APIHandler
        )
        and list(inspect.signature(vi.VoilaShutdownKernelHandler.post).parameters)[1:] == ["kernel_id"],
        "VoilaKernelWebsocketHandler, a KernelWebsocketHandler": issubclass(
            vi.VoilaKernelWebsocketHandler, KernelWebsocketHandler
        ),
        "KernelWebsocketHandler.get sets self.kernel_id before pre_get()": re.search(
            r"self\.kernel_id = kernel_id\s+await self\.pre_get\(\)", source(KernelWebsocketHandler.get)
        )
        is not None,
        "VoilaKernelWebsocketHandler.on_close": callable(
            getattr(vi.VoilaKernelWebsocketHandler, "on_close", None)
        ),
        "RequestInfoSocketHandler.get": inspect.iscoroutinefunction(vi.RequestInfoSocketHandler.get),
    }
    broken = [name for name, ok in checks.items() if not ok]
    assert not broken, (
        f"Voila's kernel handlers changed: {broken}; update the Owned* handlers in coachkit/webapp/room.py "
        "and voila_internals.KERNEL_HANDLERS"
    )


def test_voila_makes_its_kernel_and_contents_managers_in_init_settings(voila_app):
    """Does Voila.init_settings() make the kernel manager (the room raises its socket limit after it) and a
    contents manager that use_contents_manager replaces in both places?"""
    from jupyter_server.services.contents.largefilemanager import LargeFileManager

    app, settings, _ = voila_app
    assert settings["kernel_manager"] is app.kernel_manager, (
        "Voila.init_settings() no longer makes the kernel manager it puts in the settings; update "
        "WorkshopVoila.init_settings and hold_a_full_room (app.py)"
    )
    assert settings["contents_manager"] is app.contents_manager and isinstance(
        app.contents_manager, LargeFileManager
    ), (
        "Voila.init_settings() no longer keeps its contents manager as app.contents_manager and "
        'settings["contents_manager"]; update voila_internals.use_contents_manager'
    )
    ours = {**settings}
    replacement = LargeFileManager()
    previous = app.contents_manager
    vi.use_contents_manager(app, ours, replacement)
    assert app.contents_manager is replacement and ours["contents_manager"] is replacement
    app.contents_manager = previous


def test_voila_applies_tornado_settings_after_building_the_application():
    """Does Voila.start() still update tornado_settings only after tornado read its settings (so
    application_settings must pass them in), and does tornado read compress_response as it is built?"""
    import tornado.web
    from voila.app import Voila

    start = source(Voila.start)
    built = start.find("tornado.web.Application(**settings)")
    updated = start.find("self.app.settings.update(self.tornado_settings)")
    assert 0 <= built < updated, (
        "Voila.start() no longer builds the Application before applying tornado_settings; "
        "voila_internals.application_settings may be unneeded: check compress_response"
    )
    late = tornado.web.Application()
    late.settings.update(compress_response=True)
    early = tornado.web.Application(**vi.application_settings({}, {"compress_response": True}))
    assert tornado.web.GZipContentEncoding not in late.transforms
    assert tornado.web.GZipContentEncoding in early.transforms


def test_voila_listens_with_no_server_options():
    """Does Voila.listen() still start tornado's HTTPServer with no options, so that
    configure_http_servers' defaults are the ones it gets?"""
    from tornado.httpserver import HTTPServer
    from tornado.web import Application
    from voila.app import Voila

    calls = [
        node
        for node in ast.walk(function_tree(Voila.listen))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "listen"
    ]
    assert [(len(c.args), len(c.keywords)) for c in calls] == [(2, 0)], (
        "Voila.listen() now passes options to app.listen(); update voila_internals.configure_http_servers "
        "(the header, idle and body timeouts)"
    )
    saved = HTTPServer._save_configuration()
    try:
        vi.configure_http_servers(7.0, 8.0)
        server = HTTPServer(Application())
        # HTTPServer keeps idle_connection_timeout as its connections' header_timeout
        assert (server.conn_params.header_timeout, server.conn_params.body_timeout) == (7.0, 8.0), (
            "tornado's HTTPServer no longer takes its options from HTTPServer.configure(); update "
            "voila_internals.configure_http_servers"
        )
    finally:
        HTTPServer._restore_configuration(saved)


def test_the_shutdown_beacon_sends_the_xsrf_cookie():
    """voila#1458: does Voila's widgets manager still post the ``_xsrf`` cookie to /voila/api/shutdown/ as the
    page unloads (the cookie set_xsrf_cookie sets)?"""
    folder = voila_file("labextensions", "@voila-dashboards", "widgets-manager8", "static")
    beacons = [
        path.name
        for path in folder.glob("*.js")
        if all(
            part in path.read_text(encoding="utf-8", errors="replace")
            for part in ("sendBeacon(", "voila/api/shutdown/", "_xsrf")
        )
    ]
    assert beacons, (
        f"Voila's widgets manager ({folder}) no longer sends the _xsrf cookie in its shutdown beacon; check "
        "whether voila#1458 is fixed upstream and voila_internals.set_xsrf_cookie can go"
    )


def test_the_spinner_has_the_id_the_failed_page_hides():
    """Is Voila's loading spinner still <div id="loading">, which the "could not start" page hides?"""
    macro = voila_file("templates", "base", "spinner.macro.html.j2").read_text(encoding="utf-8")
    assert f'<div id="{vi.SPINNER_ID}"' in macro, (
        f'Voila\'s spinner is no longer <div id="{vi.SPINNER_ID}">; update voila_internals.SPINNER_ID'
    )


def test_the_lab_template_has_the_blocks_and_font_awesome_links_ours_replaces():
    """Does Voila's lab template still have the blocks the coachkit template extends, and link Font Awesome
    from the CDN exactly as the coachkit template removes it, while voila-style.js carries Font Awesome?"""
    lab = voila_file("templates", "lab", "index.html.j2").read_text(encoding="utf-8")
    ours = (SHARE_DIR / "voila" / "templates" / "coachkit" / "index.html.j2").read_text(encoding="utf-8")
    for block in vi.LAB_TEMPLATE_BLOCKS:
        assert f"{{%- block {block} -%}}" in lab, (
            f"Voila's lab template has no block {block}; update the coachkit template"
        )
        assert f"block {block}" in ours
    notebook_css = lab[lab.index("{%- block notebook_css -%}") : lab.index("{%- endblock notebook_css -%}")]
    for link in vi.FONT_AWESOME_CDN_LINKS:
        assert link in notebook_css, (
            f"Voila's lab template no longer links {link}; update voila_internals.FONT_AWESOME_CDN_LINKS and "
            "the replace() of the coachkit template's notebook_css block, or a lesson page asks a CDN"
        )
        assert f"replace('{link}', '')" in ours, f"the coachkit template does not remove {link}"
    assert (
        re.search(
            r"https?://",
            notebook_css.replace(vi.FONT_AWESOME_CDN_LINKS[0], "").replace(vi.FONT_AWESOME_CDN_LINKS[1], ""),
        )
        is None
    ), "Voila's lab template links something else from the internet; remove it in the coachkit template"
    assert f'include_js("static/{vi.FONT_AWESOME_BUNDLE}")' in notebook_css
    bundle = voila_file("templates", "base", "static", vi.FONT_AWESOME_BUNDLE).read_text(encoding="utf-8")
    assert "Font Awesome Free 5" in bundle and '@font-face{font-family:"Font Awesome 5 Free"' in bundle, (
        f"Voila's {vi.FONT_AWESOME_BUNDLE} no longer carries Font Awesome 5; a widget's icon would not show: "
        "serve Font Awesome locally again (voila_internals.FONT_AWESOME_CDN_LINKS says why it went)"
    )


def test_lab_extension_files_get_their_cache_header_in_set_headers():
    """Does jupyter_server's FileFindHandler still set its no-cache in set_headers(), which HashedAssetHandler
    overrides after calling it?"""
    text = source(vi.FileFindHandler.set_headers)
    assert "no_cache_paths" in text and '"Cache-Control", "no-cache"' in text, (
        "jupyter_server's FileFindHandler no longer sets Cache-Control in set_headers(); update "
        "HashedAssetHandler (handlers.py)"
    )


def test_jsonschema_treats_a_missing_rfc3987_syntax_as_optional():
    """jupyter_server#1559: does jsonschema still skip its IRI check when rfc3987_syntax cannot be imported
    (coachkit/webapp/__init__.py makes it so)?"""
    # jsonschema comes with jupyter_server (through jupyter_events); its source is read, not imported here
    spec = importlib.util.find_spec("jsonschema._format")
    assert spec is not None and spec.origin, "jsonschema is no longer installed with jupyter_server"
    text = Path(spec.origin).read_text(encoding="utf-8")
    assert re.search(r"with suppress\(ImportError\):\s+from rfc3987_syntax import", text), (
        "jsonschema no longer imports rfc3987_syntax optionally; remove the sys.modules line from "
        "coachkit/webapp/__init__.py"
    )

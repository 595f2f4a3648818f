"""The landing page and local static files inside a Jupyter server (JupyterLab, a hub user's server, Binder).

There the landing page is at /coachkit/ and links to Voila's /voila/render/lessons/... on the same server.
"""

from pathlib import Path

from jupyter_server.utils import url_path_join

from coachkit.webapp.handlers import LandingHandler, static_handlers


def _load_jupyter_server_extension(serverapp):
    web_app = serverapp.web_app
    base_url = web_app.settings["base_url"]
    lessons_folder = str(Path(serverapp.root_dir) / "lessons")
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base_url, "/coachkit/?"), LandingHandler, {"lessons_folder": lessons_folder}),
            *static_handlers(base_url),
        ],
    )
    serverapp.log.info("coachkit: the workshop's landing page is at %scoachkit/", base_url)

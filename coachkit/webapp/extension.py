"""The landing page and local static files inside a Jupyter server (JupyterLab, a hub user's server, Binder).

There the landing page is at /coachkit/ and links to Voila's /voila/render/lessons/... on the same server.
"""

from pathlib import Path

from jupyter_server.utils import url_path_join

from coachkit.board.embedded import board_listening_on, embed_board, on_a_hub
from coachkit.webapp.handlers import LandingHandler, lesson_navigation, static_handlers
from coachkit.webapp.voila_internals import set_template_resources


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
    if not on_a_hub():  # on a hub the group board is the hub's service, not each server's own
        board = embed_board(base_url, serverapp.ip, serverapp.port, serverapp.log)
        if board:
            web_app.add_handlers(".*$", board)
            # Once the server listens its port is final (port_retries may have moved it): tell later kernels.
            serverapp.io_loop.add_callback(lambda: board_listening_on(base_url, serverapp.ip, serverapp.port))
    # Voila's page template reads this at each render for the lesson navigation (home, previous, next);
    # set before Voila's extension loads (voila_internals.set_template_resources says why that holds).
    navigation = lesson_navigation(Path(lessons_folder), serverapp.log)
    navigation["landing_url"] = url_path_join(base_url, "coachkit/")
    set_template_resources(serverapp.config, {"coachkit": navigation})
    serverapp.log.info("coachkit: the workshop's landing page is at %scoachkit/", base_url)

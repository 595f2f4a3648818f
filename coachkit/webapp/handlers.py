"""Tornado handlers shared by the standalone web app and the Jupyter server extension."""

from __future__ import annotations

from pathlib import Path

import fontawesomefree
import jinja2
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from voila.tornado.handler import TornadoVoilaHandler

from coachkit import catalog
from coachkit.webapp import SHARE_DIR, STATIC_DIR
from coachkit.webapp.lockdown import is_public

FONT_AWESOME_DIR = Path(fontawesomefree.__file__).parent / "static" / "fontawesomefree"


class LessonPageHandler(TornadoVoilaHandler):
    """Voila's page handler, limited to lesson notebooks and fixed for kernel shutdown.

    voila#1458: the page's ``beforeunload`` beacon posts the ``_xsrf`` cookie to
    /voila/api/shutdown/<kernel>, but a page render never set that cookie, so the shutdown got 403 and
    every closed page left its kernel running. Reading ``self.xsrf_token`` sets the cookie, which keeps
    XSRF protection on and lets the beacon through.
    """

    async def prepare(self):
        await super().prepare()
        path = self.path_args[0] if self.path_args else ""
        if not (is_public(path, ("lessons",)) and path.endswith(".ipynb")):
            raise web.HTTPError(404, "Not found")
        self.xsrf_token  # noqa: B018 - the property sets the _xsrf cookie as a side effect


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
        self.xsrf_token  # noqa: B018 - sets the cookie the lesson pages' shutdown beacon sends
        lessons = catalog.lessons(self.lessons_folder)
        exercises = self.lessons_folder.parent / "exercises"
        selfchecks = [
            {"title": catalog.exercise_title(name, exercises), "lesson": lesson}
            for lesson in lessons
            for name in lesson.selfchecks
        ]
        self.write(
            template.render(
                lessons=lessons,
                selfchecks=selfchecks,
                base_url=self.base_url,
                render_base=url_path_join(self.base_url, self.render_url),
                static_base=url_path_join(self.base_url, "coachkit/static/"),
            )
        )


def static_handlers(base_url: str) -> list[tuple]:
    """Our own CSS/JS and a local copy of Font Awesome, so that no page needs the internet."""
    return [
        (
            url_path_join(base_url, r"/coachkit/static/vendor/fontawesome/(.*)"),
            web.StaticFileHandler,
            {"path": str(FONT_AWESOME_DIR)},
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

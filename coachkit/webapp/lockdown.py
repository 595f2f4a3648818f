"""What a visitor may reach on the shared web app: lessons/ and assets/, nothing else."""

from __future__ import annotations

from jupyter_server.services.contents.largefilemanager import LargeFileManager
from tornado import web
from traitlets import List, Unicode

PUBLIC_FOLDERS = ("lessons", "assets")


def is_public(path: str, folders: tuple[str, ...] | list[str] = PUBLIC_FOLDERS) -> bool:
    """True when ``path`` (relative to the served root) lies inside a public folder.

    Hidden names, empty segments and parent references are refused outright, so a crafted path
    cannot climb out of a public folder.
    """
    path = path.strip("/")
    if path == "":
        return True
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return False
    return parts[0] in folders


class PublicContentsManager(LargeFileManager):
    """A contents manager that shows only the public folders and never writes."""

    public_folders = List(
        Unicode(),
        list(PUBLIC_FOLDERS),
        config=True,
        help="Top-level folders a visitor may open; every other path answers 404.",
    )

    def _check(self, path: str) -> None:
        if not is_public(path, self.public_folders):
            raise web.HTTPError(404, "Not found")

    def get(self, path, content=True, type=None, format=None, **kwargs):  # noqa: A002 - jupyter's signature
        self._check(path)
        model = super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "directory" and isinstance(model.get("content"), list):
            model["content"] = [m for m in model["content"] if is_public(m["path"], self.public_folders)]
        return model

    def file_exists(self, path=""):
        return is_public(path, self.public_folders) and super().file_exists(path)

    def dir_exists(self, path):
        return is_public(path, self.public_folders) and super().dir_exists(path)

    def exists(self, path):
        return is_public(path, self.public_folders) and super().exists(path)

    def save(self, model, path=""):
        raise web.HTTPError(403, "The web app is read-only")

    def delete_file(self, path):
        raise web.HTTPError(403, "The web app is read-only")

    def rename_file(self, old_path, new_path):
        raise web.HTTPError(403, "The web app is read-only")

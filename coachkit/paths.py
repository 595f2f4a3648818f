"""Where the workshop's folders are, found from the package so that any working directory works."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    """The folder that holds lessons/, assets/ and solutions/.

    COACHKIT_ROOT wins (a hub image may copy the material elsewhere); otherwise the package's parent
    folder, which is the repository in an editable install.
    """
    configured = os.environ.get("COACHKIT_ROOT")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parent.parent


def lessons_dir() -> Path:
    return repo_root() / "lessons"


def assets_dir() -> Path:
    return repo_root() / "assets"


def solutions_dir() -> Path:
    return repo_root() / "solutions"


def exercises_dir() -> Path:
    return repo_root() / "exercises"

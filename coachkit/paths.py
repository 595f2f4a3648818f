"""Where the workshop's folders are, found from the package so that any working directory works."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

# Folders the package reads at run time. The wheel carries a copy of each inside the package
# (pyproject.toml's [tool.hatch.build.targets.wheel.force-include]); a checkout reads the repository's own.
PACKAGED = ("assets", "exercises")


def checkout_root() -> Path | None:
    """The repository this package is imported from (an editable install or a checkout), or None."""
    parent = Path(__file__).resolve().parent.parent
    if (parent / "pyproject.toml").is_file() and (parent / "assets").is_dir():
        return parent
    return None


def repo_root() -> Path:
    """The folder that holds lessons/, assets/ and solutions/.

    COACHKIT_ROOT wins (a hub image may copy the material elsewhere); otherwise the repository the package
    is imported from; installed as a wheel, the working directory (a clone, or Binder's home, where the
    lessons are: the wheel does not carry them).
    """
    configured = os.environ.get("COACHKIT_ROOT")
    if configured:
        return Path(configured).resolve()
    return checkout_root() or Path.cwd().resolve()


def packaged_dir(name: str) -> Path:
    """A folder the wheel carries inside the package (one of PACKAGED), found by importlib.resources."""
    # A wheel unpacks to real files, so the traversable is a path; str() turns it into one for Path.
    return Path(str(resources.files("coachkit") / name))


def _data_dir(name: str) -> Path:
    # COACHKIT_ROOT, then the checkout, then the wheel's copy: a root without the folder still works.
    configured = os.environ.get("COACHKIT_ROOT")
    if configured and (Path(configured) / name).is_dir():
        return Path(configured).resolve() / name
    checkout = checkout_root()
    if checkout is not None:
        return checkout / name
    packaged = packaged_dir(name)
    if packaged.is_dir():
        return packaged
    return repo_root() / name


def lessons_dir() -> Path:
    return repo_root() / "lessons"


def assets_dir() -> Path:
    return _data_dir("assets")


def solutions_dir() -> Path:
    return repo_root() / "solutions"


def exercises_dir() -> Path:
    return _data_dir("exercises")

"""Lazy names for a part's __init__: each loads its module on first use, so importing the part is cheap."""

from __future__ import annotations

import importlib


def lazy_names(package: str, where: dict[str, str]):
    """A module ``__getattr__`` for ``package``; ``where`` maps each lazy name to the module defining it."""

    def __getattr__(name: str):
        if name in where:
            return getattr(importlib.import_module(where[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__

"""The live group board: a facilitator asks the room a question; learners answer anonymously.

The store imports SQLAlchemy only; the widgets (ipywidgets, anywidget) load on first use.
"""

from __future__ import annotations

__all__ = [
    "BoardAnswer",
    "BoardError",
    "BoardFacilitator",
    "BoardPermissionError",
    "BoardStore",
    "FacilitatorSession",
    "LearnerBoard",
    "default_board_url",
]

_LAZY = {
    "BoardAnswer": "coachkit.board.widgets",
    "BoardFacilitator": "coachkit.board.widgets",
    "BoardError": "coachkit.board.store",
    "BoardPermissionError": "coachkit.board.store",
    "BoardStore": "coachkit.board.store",
    "FacilitatorSession": "coachkit.board.store",
    "LearnerBoard": "coachkit.board.store",
    "default_board_url": "coachkit.board.store",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

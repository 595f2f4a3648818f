"""The live group board: a facilitator asks the room a question; learners answer anonymously.

Kernels talk to the board's HTTP API (client); only the board's own process opens the store (SQLAlchemy):
the hub's board service, or the web app. Everything loads on first use.
"""

from __future__ import annotations

from coachkit.lazy import lazy_names

__all__ = [
    "BoardAnswer",
    "BoardClient",
    "BoardError",
    "BoardFacilitator",
    "BoardPermissionError",
    "BoardStore",
    "BoardUnreachable",
    "FacilitatorSession",
    "LearnerBoard",
    "LocalBoard",
    "default_board_url",
]

_LAZY = {
    "BoardAnswer": "coachkit.board.widgets",
    "BoardFacilitator": "coachkit.board.widgets",
    "BoardClient": "coachkit.board.client",
    "BoardError": "coachkit.board.model",
    "BoardPermissionError": "coachkit.board.model",
    "BoardUnreachable": "coachkit.board.model",
    "BoardStore": "coachkit.board.store",
    "FacilitatorSession": "coachkit.board.store",
    "LearnerBoard": "coachkit.board.store",
    "LocalBoard": "coachkit.board.store",
    "default_board_url": "coachkit.board.client",
}

__getattr__ = lazy_names(__name__, _LAZY)

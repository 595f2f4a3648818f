"""The board's words, shared by its store (server side) and its client (a kernel): no SQLAlchemy here.

A lesson that shows the answer box imports this and the client only; the database code loads only in the
board's own process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# No I, L or O: a code read off a projector is never mistaken for 1 or 0.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 5
CODE_PATTERN = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
PROMPT_LIMIT = 300
ANSWER_LIMIT = 500
OPTION_LIMIT = 80
MAX_OPTIONS = 8
MAX_ANSWERS = 2000  # per session: a room of 40 answering many times, not a script filling the disk
ANSWERS_PER_VISITOR = 20  # free-text answers one person may send to one session
VOTES_PER_VISITOR = 1  # one vote per poll per person


class BoardError(ValueError):
    """A problem meant for the person at the screen, e.g. 'No session has the code ABCDE.'"""


class BoardPermissionError(BoardError):
    """Raised when closing, clearing or reading a session without the facilitator's rights."""


class BoardUnreachable(BoardError):
    """The board could not be asked at all (no address, network down, server error): nothing was sent."""


@dataclass(frozen=True)
class BoardPrompt:
    """What a learner sees after entering a code."""

    code: str
    prompt: str
    options: tuple[str, ...]
    is_open: bool

    @property
    def is_poll(self) -> bool:
        return bool(self.options)

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "prompt": self.prompt,
            "options": list(self.options),
            "is_open": self.is_open,
        }


@dataclass(frozen=True)
class BoardResults(BoardPrompt):
    """What the facilitator sees: the prompt, every answer as text, and the count per option for a poll."""

    answers: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {**super().as_json(), "answers": list(self.answers), "counts": dict(self.counts)}

    @classmethod
    def from_json(cls, data: dict) -> BoardResults:
        return cls(
            str(data["code"]),
            str(data["prompt"]),
            tuple(data.get("options", ())),
            bool(data["is_open"]),
            tuple(data.get("answers", ())),
            {str(k): int(v) for k, v in data.get("counts", {}).items()},
        )


def normalise_code(value: object) -> str:
    """A code as typed ('abcde ', 'ab cde') made canonical, or BoardError with a friendly message."""
    if not isinstance(value, str):
        raise BoardError("The session code must be text.")
    code = re.sub(r"[\s-]", "", value).upper()
    if not code:
        raise BoardError("Please type the session code your facilitator shows.")
    if not CODE_PATTERN.match(code):
        raise BoardError(
            f"A session code is {CODE_LENGTH} letters, like KQZRT. Please check the code on the screen."
        )
    return code

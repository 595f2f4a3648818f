"""The journal's file format: its name and schema, its errors, the document every store and export holds."""

from __future__ import annotations

from datetime import datetime

SCHEMA_VERSION = 1
FORMAT_NAME = "coachkit-journal"


class JournalError(ValueError):
    """A journal problem with a message meant for the learner."""


class JournalImportError(JournalError):
    """An import file was refused; nothing of it was imported."""


def parse_created(value: object) -> datetime:
    """The entry's creation time; it must be an ISO 8601 time with a time zone."""
    if not isinstance(value, str) or len(value) > 40:
        raise JournalError("An entry's time is missing or not a text.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise JournalError(f"An entry's time {value!r} is not an ISO 8601 time.") from exc
    if moment.tzinfo is None:
        raise JournalError(f"An entry's time {value!r} has no time zone.")
    return moment


def journal_document(entries: list[dict]) -> dict:
    """The shape every store keeps and every export embeds: ``{"schema": 1, "entries": [...]}``."""
    return {"schema": SCHEMA_VERSION, "entries": entries}

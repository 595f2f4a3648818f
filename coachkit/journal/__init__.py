"""The learner's journal: one interface over a file store and a browser store, with its widgets.

The model and stores import quickly; the widgets (ipywidgets, anywidget) load on first use.
"""

from __future__ import annotations

import os

from coachkit.journal.model import (
    SCHEMA_VERSION,
    Journal,
    JournalError,
    JournalImportError,
)
from coachkit.journal.stores import FileJournalStore, JournalStore, MemoryJournalStore, default_journal_path
from coachkit.lazy import lazy_names

STORE_VARIABLE = "COACHKIT_JOURNAL_STORE"

__all__ = [
    "SCHEMA_VERSION",
    "BrowserJournalStore",
    "FileJournalStore",
    "Journal",
    "JournalBar",
    "JournalError",
    "JournalImportError",
    "JournalPrompt",
    "JournalStore",
    "MemoryJournalStore",
    "default_journal_path",
    "open_journal",
]

_LAZY = {
    "JournalBar": "coachkit.journal.widgets",
    "JournalPrompt": "coachkit.journal.widgets",
    "BrowserJournalStore": "coachkit.journal.browser",
}

__getattr__ = lazy_names(__name__, _LAZY)


def open_journal(kind: str | None = None) -> Journal:
    """The learner's journal in the store this installation uses.

    ``COACHKIT_JOURNAL_STORE=browser`` (set by the shared web app, ``coachkit-web``) keeps each visitor's
    journal in their own browser; ``file`` (the default: JupyterLab, a hub, a local Voila) keeps it in
    ``$COACHKIT_JOURNAL_DIR/journal.json`` or ``~/.local/share/coachkit/journal.json``.
    """
    chosen = (kind or os.environ.get(STORE_VARIABLE) or "file").strip().lower()
    if chosen == "file":
        return Journal(store=FileJournalStore())
    if chosen == "browser":
        from coachkit.journal.browser import BrowserJournalStore

        return Journal(store=BrowserJournalStore())
    if chosen == "memory":
        return Journal(store=MemoryJournalStore())
    raise ValueError(f"{STORE_VARIABLE} must be 'file', 'browser' or 'memory', not {chosen!r}")

"""The journal's model: validated entries kept in a store, exported for people and imported back."""

from __future__ import annotations

import copy
import json
import re
import uuid
from datetime import UTC, datetime

import traitlets

from coachkit.forms.textinput import TextInputError, clean_text
from coachkit.journal.document import (
    FORMAT_NAME,
    SCHEMA_VERSION,
    JournalError,
    JournalImportError,
    journal_document,
    parse_created,
)

FIELD_LIMIT = 20_000  # characters in one text field: pages of reflection fit, a pasted file does not
IMPORT_LIMIT = 2_000_000  # characters in a whole import file
MAX_ENTRIES = 10_000
MAX_DEPTH = 4  # nesting of lists/dicts inside an entry's data

# kind and lesson become CSS-free identifiers and file-name-free labels: lower case, digits and dashes only
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# keys inside data are chosen by the code, never by the learner, but imports come from outside
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")


def check_name(value: object, what: str) -> str:
    """Return ``value`` when it is a safe kind or lesson name such as ``03-role-play``; else raise."""
    if not isinstance(value, str) or not NAME_PATTERN.match(value):
        raise JournalError(
            f"The {what} {value!r:.80} is not allowed: use lower-case letters, digits and dashes "
            "(for example '03-role-play')."
        )
    return value


def clean_data(value: object, *, depth: int = 0, label: str = "data") -> object:
    """Learner data made safe to store: text through clean_text, plain JSON values only."""
    if depth > MAX_DEPTH:
        raise JournalError(f"The journal entry's {label} is nested too deeply.")
    if isinstance(value, str):
        try:
            return clean_text(value, limit=FIELD_LIMIT, required=False, label=f"The field '{label}'")
        except TextInputError as exc:
            raise JournalError(str(exc)) from exc
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > 2**53:
            raise JournalError(f"The number in '{label}' is too large.")
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise JournalError(f"The number in '{label}' is not a finite number.")
        return value
    if isinstance(value, (list, tuple)):
        if len(value) > 1000:
            raise JournalError(f"The list in '{label}' is too long.")
        return [clean_data(item, depth=depth + 1, label=label) for item in value]
    if isinstance(value, dict):
        if len(value) > 200:
            raise JournalError(f"'{label}' has too many fields.")
        cleaned = {}
        for key, item in value.items():
            if not isinstance(key, str) or not KEY_PATTERN.match(key):
                raise JournalError(f"The field name {key!r:.80} is not allowed in a journal entry.")
            cleaned[key] = clean_data(item, depth=depth + 1, label=key)
        return cleaned
    raise JournalError(f"'{label}' holds a {type(value).__name__}, which a journal cannot keep.")


def validate_entry(entry: object) -> dict:
    """A stored or imported entry checked field by field; returns a clean copy or raises JournalError."""
    if not isinstance(entry, dict):
        raise JournalError("A journal entry is not an object.")
    unknown = set(entry) - {"id", "created", "kind", "lesson", "data"}
    if unknown:
        raise JournalError(
            f"A journal entry has unknown fields: {', '.join(sorted(map(str, unknown)))[:200]}."
        )
    entry_id = entry.get("id")
    if not isinstance(entry_id, str) or not ID_PATTERN.match(entry_id):
        raise JournalError("A journal entry has a missing or malformed id.")
    parse_created(entry.get("created"))
    data = entry.get("data", {})
    if not isinstance(data, dict):
        raise JournalError("A journal entry's data is not an object.")
    return {
        "id": entry_id,
        "created": entry["created"],
        "kind": check_name(entry.get("kind"), "kind"),
        "lesson": check_name(entry.get("lesson"), "lesson"),
        "data": clean_data(data),
    }


def sort_entries(entries: list[dict]) -> list[dict]:
    """Oldest first; the id breaks ties so every store gives the same order."""
    return sorted(entries, key=lambda e: (parse_created(e["created"]), e["id"]))


def merge_entries(existing: list[dict], incoming: list[dict]) -> tuple[list[dict], int]:
    """``existing`` plus the entries of ``incoming`` whose id it does not have; and how many were new."""
    known = {entry["id"] for entry in existing}
    merged = list(existing)
    added = 0
    for entry in incoming:
        if entry["id"] not in known:
            known.add(entry["id"])
            merged.append(entry)
            added += 1
    return merged, added


def parse_document(document: object, *, source: str = "The journal") -> list[dict]:
    """The entries of a journal document, all validated; raises JournalError naming the first problem."""
    cleaned, refused = parse_entries(document, source=source)
    if refused:
        number, reason = refused[0]
        raise JournalError(f"{source}: entry {number} was refused. {reason}")
    return cleaned


def parse_entries(
    document: object, *, source: str = "The journal"
) -> tuple[list[dict], list[tuple[int, str]]]:
    """The valid entries of a journal document, and (entry number, reason) for each entry refused.

    A document that is not a journal at all (not an object, unknown schema, no list) raises JournalError;
    one bad entry does not hide the others."""
    if not isinstance(document, dict):
        raise JournalError(f"{source} is not a coachkit journal (expected a JSON object).")
    schema = document.get("schema")
    if schema != SCHEMA_VERSION:
        if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA_VERSION:
            raise JournalError(
                f"{source} was written by a newer version of the workshop (schema {schema}); "
                f"this version reads schema {SCHEMA_VERSION}."
            )
        raise JournalError(f"{source} has no journal schema version this workshop knows.")
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise JournalError(f"{source} has no list of entries.")
    if len(entries) > MAX_ENTRIES:
        raise JournalError(f"{source} has {len(entries):,} entries; the limit is {MAX_ENTRIES:,}.")
    cleaned, refused = [], []
    seen = set()
    for number, entry in enumerate(entries, start=1):
        try:
            valid = validate_entry(entry)
        except JournalError as exc:
            refused.append((number, str(exc)))
            continue
        if valid["id"] not in seen:
            seen.add(valid["id"])
            cleaned.append(valid)
    return cleaned, refused


class Journal(traitlets.HasTraits):
    """The learner's journal: add entries, read them back, export, import, delete - over any store.

    ``revision`` goes up by one on every change (also changes that arrive from another tab), so a view
    can ``journal.observe(callback, names="revision")``. ``status`` is a sentence for the learner about
    the last thing that happened to the store; ``ready`` is False until the store can be read (the
    browser store waits for the browser to answer; adds made before that are queued, not lost).
    """

    revision = traitlets.Int(0, help="Goes up by one on every change to the journal.")
    status = traitlets.Unicode("", help="A sentence for the learner about the store's last event.")
    ready = traitlets.Bool(False, help="True once the store has been read.")

    def __init__(self, store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        store.subscribe(self._on_store_event)
        self.ready = bool(store.ready)
        if store.status:
            self.status = store.status

    def _on_store_event(self, *, changed: bool = False, status: str | None = None, ready=None) -> None:
        if status is not None:
            self.status = status
        if ready is not None:
            self.ready = bool(ready)
        if changed:
            self.revision += 1

    @property
    def where(self) -> str:
        """Where the journal is kept, in plain words (never containing learner text)."""
        return self.store.where

    def add(self, kind: str, lesson: str, data: dict | None = None) -> dict:
        """Save a new entry and return it (with its ``id`` and ``created`` time). Raises JournalError."""
        entry = {
            "id": uuid.uuid4().hex,
            "created": datetime.now(UTC).isoformat(timespec="microseconds"),
            "kind": check_name(kind, "kind"),
            "lesson": check_name(lesson, "lesson"),
            "data": clean_data(dict(data or {})),
        }
        size = len(json.dumps(entry, ensure_ascii=False))
        if size > 10 * FIELD_LIMIT:
            raise JournalError(f"This entry is too large to save ({size:,} characters).")
        self.store.append([entry])
        self.revision += 1
        return copy.deepcopy(entry)

    def when_stored(self, entry: dict, on_stored, on_failed) -> None:
        """Call ``on_stored()`` once the store has really kept ``entry`` (the browser store: once the
        visitor's browser reports it back from its storage), or ``on_failed(reason)`` if it could not."""
        self.store.when_stored([entry["id"]], on_stored, on_failed)

    def entries(self, kind: str | None = None, lesson: str | None = None) -> list[dict]:
        """The entries, oldest first, optionally only one kind and/or one lesson."""
        found = self.store.load()
        return [
            copy.deepcopy(entry)
            for entry in sort_entries(found)
            if (kind is None or entry["kind"] == kind) and (lesson is None or entry["lesson"] == lesson)
        ]

    def delete_all(self) -> None:
        """Delete every entry in this store (the learner asked to; there is no undo)."""
        self.store.clear()
        self.revision += 1
        self.status = "Your journal has been deleted."

    def to_json(self) -> str:
        """The whole journal as JSON text that import_text reads back."""
        return json.dumps(
            {"format": FORMAT_NAME, **journal_document(self.entries())}, ensure_ascii=False, indent=1
        )

    def export_markdown(self) -> str:
        """The journal as a Markdown document to keep; it also carries the data to import it elsewhere."""
        from coachkit.journal.export import journal_markdown

        return journal_markdown(self.entries())

    def export_html(self) -> str:
        """The journal as a standalone, printable HTML page; learner text is escaped throughout."""
        from coachkit.journal.export import journal_html

        return journal_html(self.entries())

    def import_text(self, text: str) -> int:
        """Merge an exported journal (JSON, Markdown or HTML export) by entry id; return how many were new.

        The whole file is checked before anything is saved: a wrong or hostile file raises
        JournalImportError with a message and leaves the journal as it was.
        """
        from coachkit.journal.export import extract_document

        if not isinstance(text, str):
            raise JournalImportError("The file is not text.")
        if len(text) > IMPORT_LIMIT:
            raise JournalImportError(
                f"The file is too large to be a journal: {len(text):,} characters, "
                f"the limit is {IMPORT_LIMIT:,}."
            )
        document = extract_document(text)
        try:
            incoming = parse_document(document, source="The file")
        except JournalError as exc:
            raise JournalImportError(str(exc)) from exc
        existing = {entry["id"] for entry in self.store.load()}
        new = [entry for entry in incoming if entry["id"] not in existing]
        if new:
            self.store.append(new)
            self.revision += 1
        self.status = f"Imported {len(new)} new entr{'y' if len(new) == 1 else 'ies'}" + (
            f" ({len(incoming) - len(new)} already in your journal)." if len(incoming) > len(new) else "."
        )
        return len(new)

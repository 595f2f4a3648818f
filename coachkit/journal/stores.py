"""Where a journal lives: in memory (tests), in a file under the learner's own account, and their base."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from coachkit.journal.model import JournalError, journal_document, merge_entries, parse_document

LOCK_TIMEOUT = 15  # seconds; a write takes milliseconds, so this only trips on a stuck process


class JournalStore:
    """What a Journal needs from a store: load, append (merged by id), clear, and events.

    ``subscribe(callback)`` registers ``callback(changed=bool, status=str|None, ready=bool|None)``,
    called when something outside this kernel changed the journal, or when there is news for the learner.
    """

    where = "somewhere"
    privacy = ""  # who can read it, in plain words

    def __init__(self) -> None:
        self._listeners: list = []
        self.status = ""
        self.ready = True

    def subscribe(self, callback) -> None:
        if not callable(callback):
            raise TypeError("callback must be callable")
        self._listeners.append(callback)

    def _emit(self, **event) -> None:
        if "status" in event and event["status"] is not None:
            self.status = event["status"]
        if "ready" in event and event["ready"] is not None:
            self.ready = event["ready"]
        for callback in list(self._listeners):
            callback(**event)

    def when_stored(self, entry_ids, on_stored, on_failed) -> None:
        """Call ``on_stored()`` once every entry in ``entry_ids`` is kept by the store, or
        ``on_failed(reason)`` when the store says it could not keep them. A store that writes before
        ``append`` returns (memory, file) has kept them already."""
        on_stored()

    def load(self) -> list[dict]:
        raise NotImplementedError

    def append(self, entries: list[dict]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError


class MemoryJournalStore(JournalStore):
    """A journal that lives only as long as the kernel: for tests and demonstrations."""

    where = "in this page's memory only"
    privacy = "It is not saved: it is gone when you close this page."

    def __init__(self, entries: list[dict] | None = None) -> None:
        super().__init__()
        self._entries = parse_document(journal_document(list(entries or [])))

    def load(self) -> list[dict]:
        return copy.deepcopy(self._entries)

    def append(self, entries: list[dict]) -> None:
        self._entries, _ = merge_entries(self._entries, copy.deepcopy(entries))

    def clear(self) -> None:
        self._entries = []


def default_journal_path() -> Path:
    """$COACHKIT_JOURNAL_DIR/journal.json, else ~/.local/share/coachkit/journal.json."""
    configured = os.environ.get("COACHKIT_JOURNAL_DIR")
    folder = Path(configured).expanduser() if configured else Path.home() / ".local" / "share" / "coachkit"
    return folder / "journal.json"


class FileJournalStore(JournalStore):
    """One JSON file under the learner's own account, safe against two writers and against crashes.

    Every write happens under a lock on a sibling ``.lock`` file: the file is read again, merged by entry
    id with what this kernel adds, written to a temporary file in the same folder, flushed to disk and
    renamed over the journal (a rename is atomic, so a crash leaves the old or the new file, never half).
    A file that cannot be read is moved aside as ``journal.corrupt-<time>.json`` and never overwritten.
    """

    privacy = "Only your account on this computer can read it; nothing is sent anywhere."

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        super().__init__()
        self.path = Path(path) if path is not None else default_journal_path()
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    @property
    def where(self) -> str:
        return f"in a file in your own account on this computer ({self.path})"

    def _lock(self):
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT)

    def _locked(self):
        from filelock import Timeout

        lock = self._lock()
        try:
            lock.acquire()
        except Timeout as exc:
            raise JournalError(
                "The journal is busy (another tab or program is writing to it). Please try again in a "
                "moment; your text is still in the box."
            ) from exc
        return lock

    def _read(self) -> tuple[list[dict] | None, str | None]:
        """The entries in the file ([] when there is none), or (None, reason) when it cannot be read."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return [], None
        except OSError as exc:
            return None, f"it could not be read ({exc.strerror})"
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None, "it is damaged (not valid JSON)"
        try:
            return parse_document(document), None
        except JournalError as exc:
            return None, str(exc)

    def _move_aside(self, reason: str) -> None:
        """Keep the unreadable file under a new name (never overwritten) and tell the learner."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}.json")
        number = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}-{number}.json")
            number += 1
        try:
            os.replace(self.path, target)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise JournalError(
                f"Your journal file could not be read ({reason}) and could not be moved aside "
                f"({exc.strerror}). Nothing was changed."
            ) from exc
        self._emit(
            changed=True,
            status=f"Your journal file could not be read: {reason}. It has been kept, untouched, as "
            f"{target.name} next to it, and a new journal has been started. New entries save as usual.",
        )

    def _read_or_recover(self) -> list[dict]:
        """Under the lock: the entries, after moving an unreadable file aside."""
        entries, problem = self._read()
        if entries is None:
            self._move_aside(problem)
            return []
        return entries

    def _remove_stale_temp_files(self) -> None:
        """Temporary files exist only while a writer holds the lock; any found under it are from a crash."""
        for stale in self.path.parent.glob(f".{self.path.stem}-*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def _write(self, entries: list[dict]) -> None:
        self._remove_stale_temp_files()
        text = json.dumps(journal_document(entries), ensure_ascii=False, indent=1)
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{self.path.stem}-", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as temp:
                temp.write(text)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
        # the rename itself is only durable once the folder is flushed too
        with contextlib.suppress(OSError):
            folder = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)

    def load(self) -> list[dict]:
        entries, problem = self._read()
        if entries is not None:
            return entries
        lock = self._locked()
        try:
            return self._read_or_recover()
        finally:
            lock.release()

    def append(self, entries: list[dict]) -> None:
        lock = self._locked()
        try:
            current = self._read_or_recover()
            merged, added = merge_entries(current, entries)
            if added or not self.path.exists():
                self._write(merged)
        finally:
            lock.release()

    def clear(self) -> None:
        """Empty the journal and remove damaged copies kept aside: the learner asked to delete their data."""
        lock = self._locked()
        try:
            self._write([])
            for kept in self.path.parent.glob(f"{self.path.stem}.corrupt-*.json"):
                with contextlib.suppress(OSError):
                    kept.unlink()
        finally:
            lock.release()

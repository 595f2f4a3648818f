"""Where a journal lives: in memory (tests), in a file under the learner's own account, and their base."""

from __future__ import annotations

import contextlib
import copy
import errno
import json
import os
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from coachkit.journal.model import (
    JournalError,
    journal_document,
    merge_entries,
    parse_document,
    parse_entries,
)

LOCK_TIMEOUT = 15  # seconds; a write takes milliseconds, so this only trips on a stuck process
KEPT = "What you typed is still on the page."


def write_problem(exc: OSError, folder: Path) -> str:
    """What went wrong writing the journal, named, and what the learner can do about it."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return (
            f"Nothing was saved: the disk that holds your journal is full ({folder}). Free some space there "
            f"(empty the bin, delete large files you do not need), then save again. {KEPT}"
        )
    if code == errno.EROFS:
        return (
            f"Nothing was saved: your journal's folder is on a read-only disk ({folder}). Ask whoever "
            "runs this computer or hub to make it writable, or start the workshop with COACHKIT_JOURNAL_DIR "
            f"set to a folder you can write to. {KEPT}"
        )
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"Nothing was saved: your account may not write in your journal's folder ({folder}). Make it "
            f"writable for yourself (chmod u+w '{folder}'), or start the workshop with COACHKIT_JOURNAL_DIR "
            f"set to a folder you can write to. {KEPT}"
        )
    return f"Nothing was saved: your journal could not be written in {folder} ({exc.strerror or exc}). {KEPT}"


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

    def kept_aside(self) -> list[str]:
        """Names of unreadable copies of the journal this store keeps beside it (deleted with the journal)."""
        return []

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

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise JournalError(write_problem(exc, self.path.parent)) from exc
        if self.lock_path.is_symlink():
            raise JournalError(
                f"Nothing was saved: the journal's lock file {self.lock_path} is a symbolic link. The "
                "workshop does not follow it, because a link can make it write somewhere else. Delete the "
                f"link (rm '{self.lock_path}'); the workshop makes a new lock file the next time you "
                f"save. {KEPT}"
            )
        return FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT)

    def _locked(self):
        from filelock import Timeout

        lock = self._lock()
        try:
            lock.acquire()
        except OSError as exc:
            raise JournalError(write_problem(exc, self.path.parent)) from exc
        except Timeout as exc:
            raise JournalError(
                "The journal is busy (another tab or program is writing to it). Please try again in a "
                "moment; your text is still in the box."
            ) from exc
        return lock

    def _read(self) -> tuple[list[dict] | None, str | None]:
        """The entries in the file ([] when there is none), or (None, reason) when it cannot be read.

        A file whose entries are partly unreadable gives the readable ones and a reason naming the others;
        the caller keeps the file as it was beside the journal (``_read_or_recover``)."""
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
            entries, refused = parse_entries(document)
        except JournalError as exc:
            return None, str(exc)
        if refused:
            numbers = ", ".join(str(number) for number, _reason in refused[:10])
            more = "" if len(refused) <= 10 else f" and {len(refused) - 10} more"
            noun = "entry" if len(refused) == 1 else "entries"
            self._partial = (
                entries,
                f"{len(refused)} {noun} ({numbers}{more}) could not be read: {refused[0][1]}",
            )
            return None, self._partial[1]
        return entries, None

    _partial: tuple[list[dict], str] | None = None  # the readable entries of a partly unreadable file

    def _move_aside(self, reason: str, kept_entries: int | None = None) -> None:
        """Keep the unreadable file under a new name (never overwritten) and tell the learner."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
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
        if kept_entries is not None:
            status = (
                f"Part of your journal file could not be read: {reason} Those are left out; your other "
                f"{kept_entries} entr{'y is' if kept_entries == 1 else 'ies are'} here as before. The file "
                f"as it was, with everything in it, is kept untouched as {target.name} next to it."
            )
        else:
            status = (
                f"Your journal file could not be read: {reason}. It has been kept, untouched, as "
                f"{target.name} next to it, and a new journal has been started. New entries save as usual."
            )
        self._emit(changed=True, status=status)

    def _read_or_recover(self) -> list[dict]:
        """Under the lock: the entries, after moving an unreadable file aside."""
        self._partial = None
        entries, problem = self._read()
        if entries is None and self._partial is not None:
            readable, reason = self._partial
            self._partial = None
            self._move_aside(reason, kept_entries=len(readable))
            self._write(readable)  # the readable entries stay the journal; the original is kept beside it
            return readable
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
        try:
            self._write_file(entries)
        except OSError as exc:
            raise JournalError(write_problem(exc, self.path.parent)) from exc

    def _write_file(self, entries: list[dict]) -> None:
        self._remove_stale_temp_files()
        text = json.dumps(journal_document(entries), ensure_ascii=False, indent=1)
        try:
            # the learner's choice of mode (say 0444, or 0640 to share with a group) is kept; new files: 0600
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
        except OSError:
            mode = None
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{self.path.stem}-", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as temp:
                temp.write(text)
                temp.flush()
                os.fsync(temp.fileno())
            if mode is not None:
                os.chmod(temp_name, mode)
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

    def kept_aside(self) -> list[str]:
        return sorted(kept.name for kept in self.path.parent.glob(f"{self.path.stem}.corrupt-*.json"))

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

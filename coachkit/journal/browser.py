"""The journal of a visitor to the shared web app, kept in that visitor's own browser (localStorage).

The server keeps nothing: the kernel holds a copy for the page's lifetime, and a small anywidget bridge
reads and writes ``localStorage["coachkit.journal.v1"]`` in the visitor's browser. Another visitor's
browser has its own storage, so nobody can see or change anyone else's journal.
"""

from __future__ import annotations

import json
from pathlib import Path

import anywidget
import traitlets

from coachkit.journal.model import IMPORT_LIMIT, JournalError, merge_entries, validate_entry
from coachkit.journal.stores import JournalStore

STORAGE_KEY = "coachkit.journal.v1"

# The bridge's browser code (bridge.js beside this module). Why initialize() and not render(): storage is
# handled once per page, however many views are shown. Every add is merged with what localStorage holds at
# that moment, so two tabs never overwrite each other; the storage event tells this page when another tab
# changed the journal. tests/test_journal_browser.py runs it in Node.
BRIDGE_JS = Path(__file__).with_name("bridge.js")


class LocalStorageBridge(anywidget.AnyWidget):
    """The browser end of a BrowserJournalStore; it shows nothing, but must be on the page to work."""

    _esm = BRIDGE_JS
    storage_key = traitlets.Unicode(STORAGE_KEY).tag(sync=True)


class BrowserJournalStore(JournalStore):
    """A journal kept in the visitor's browser; adds made before the browser answered are queued."""

    where = "in this web browser on this device"
    privacy = (
        "It never leaves your browser: the workshop's server does not keep it and other visitors cannot "
        "see it. Clearing your browser's data deletes it, so download a copy to keep."
    )

    def __init__(self) -> None:
        super().__init__()
        self.ready = False
        self._browser: list[dict] = []  # the entries the browser last reported
        self._queued: list[dict] = []  # added before the browser answered
        self._unconfirmed: dict[str, dict] = {}  # sent to the browser, not yet seen in a report
        self._clear_queued = False
        self._waiting: list[tuple[set, object, object]] = []  # (ids, on_stored, on_failed) until confirmed
        self._refused: dict[str, str] = {}  # entry id -> why the browser did not store it
        self.bridge = LocalStorageBridge()
        self.bridge.on_msg(self._on_browser_message)

    def load(self) -> list[dict]:
        merged, _ = merge_entries(list(self._browser), list(self._unconfirmed.values()) + self._queued)
        return [dict(entry) for entry in merged]

    def when_stored(self, entry_ids, on_stored, on_failed) -> None:
        """Wait for the browser: an entry counts as kept once a report from localStorage includes it."""
        ids = set(entry_ids)
        refused = [self._refused[i] for i in ids if i in self._refused]
        if ids <= {entry["id"] for entry in self._browser}:
            on_stored()
        elif refused:
            on_failed(refused[0])
        else:
            self._waiting.append((ids, on_stored, on_failed))

    def _settle(self, failure: str | None = None) -> None:
        """Tell the waiting savers what happened: kept (in the last report), or the browser's refusal."""
        kept = {entry["id"] for entry in self._browser}
        still = []
        for ids, on_stored, on_failed in self._waiting:
            if ids <= kept:
                on_stored()
            elif failure is not None:
                on_failed(failure)
            else:
                still.append((ids, on_stored, on_failed))
        self._waiting = still

    def append(self, entries: list[dict]) -> None:
        known = {entry["id"] for entry in self.load()}
        new = [entry for entry in entries if entry["id"] not in known]
        if not new:
            return
        if self.ready:
            self._send_add(new)
        else:
            self._queued.extend(new)

    def clear(self) -> None:
        self._browser, self._queued, self._unconfirmed = [], [], {}
        if self.ready:
            self.bridge.send({"op": "clear"})
        else:
            self._clear_queued = True

    def _send_add(self, entries: list[dict]) -> None:
        for entry in entries:
            self._unconfirmed[entry["id"]] = entry
        self.bridge.send({"op": "add", "entries": entries})

    def _on_browser_message(self, _widget, content, _buffers=None) -> None:
        if not isinstance(content, dict):
            return
        if content.get("op") == "error":
            full = str(content.get("name", "")) == "QuotaExceededError"
            reason = (
                "this browser's storage for the workshop is full"
                if full
                else "this browser refused to store it (private mode, or storage turned off for this site)"
            )
            self._emit(
                status=f"Your journal could not be stored: {reason}. Your entries stay on this page until "
                "you close it: download your journal to keep them"
                + (", then free space by deleting old entries or other sites' data." if full else ".")
            )
            kept = {entry["id"] for entry in self._browser}
            for entry_id in self._unconfirmed:
                if entry_id not in kept:
                    self._refused[entry_id] = reason
            self._settle(failure=reason)
            return
        if content.get("op") == "document":
            self.bridge.send({"op": "ack"})
            self._on_document(content)

    def _on_document(self, content: dict) -> None:
        text = content.get("text")
        try:
            if not isinstance(text, str) or len(text) > 2 * IMPORT_LIMIT:
                raise ValueError("not a journal text")
            document = json.loads(text)
            if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
                raise ValueError("not a journal document")
        except (ValueError, RecursionError):
            # the bridge always sends a well-formed document; anything else is ignored, never trusted
            self._emit(status="The page sent a journal this workshop cannot read; nothing was changed.")
            return
        status = None
        valid, skipped = [], 0
        for raw in document["entries"]:
            try:
                valid.append(validate_entry(raw))
            except JournalError:
                skipped += 1
        if skipped:
            noun = "entry" if skipped == 1 else "entries"
            status = f"{skipped} {noun} in this browser could not be read and are not shown."
        if content.get("recovered"):
            status = (
                "The journal in this browser could not be read. It has been kept aside in this browser's "
                f"storage as {str(content['recovered'])[:80]}, and a new journal has been started."
            )
        if content.get("unavailable"):
            status = (
                "This browser does not let the workshop keep data (private mode or storage turned off). Your "
                "entries stay on this page until you close it: download your journal to keep them."
            )
        before = {entry["id"] for entry in self.load()}
        stored_before = {entry["id"] for entry in self._browser}
        self._browser = valid
        seen = {entry["id"] for entry in valid}
        for entry_id in list(self._unconfirmed):
            if entry_id in seen:
                del self._unconfirmed[entry_id]
        first_answer = not self.ready
        if first_answer:
            self.ready = True
            if self._clear_queued:
                self._clear_queued = False
                self.bridge.send({"op": "clear"})
            queued, self._queued = self._queued, []
            if queued:
                self._send_add(queued)
        changed = first_answer or before != {entry["id"] for entry in self.load()}
        self._emit(changed=changed, ready=True, status=status)
        self._settle()
        if first_answer or stored_before != {entry["id"] for entry in valid}:
            self._send_export()

    def _send_export(self) -> None:
        """The Markdown export of what the browser holds, for the landing page's download button: the
        landing page has no kernel, so it downloads this file, made by the same exporter as the bar's."""
        from coachkit.journal.export import journal_markdown
        from coachkit.journal.model import sort_entries

        entries = sort_entries(list(self._browser))
        self.bridge.send(
            {"op": "export", "ids": [entry["id"] for entry in entries], "markdown": journal_markdown(entries)}
        )

"""The browser store headless: the kernel side of the localStorage bridge, with the browser simulated."""

import json

import pytest

from coachkit.journal import BrowserJournalStore, Journal, JournalBar, MemoryJournalStore
from coachkit.journal.browser import BRIDGE_JS, STORAGE_KEY
from tests.widget_js import run_widget_js


class FakeBrowser:
    """What the bridge's JavaScript does with localStorage, played in Python."""

    def __init__(self, store: BrowserJournalStore, storage: dict | None = None) -> None:
        self.store = store
        self.storage = storage if storage is not None else {}
        self.sent: list[dict] = []
        self.acks = 0
        store.bridge.send = self.receive

    def report(self, **extra) -> None:
        text = self.storage.get("coachkit.journal.v1", '{"schema": 1, "entries": []}')
        self.store._on_browser_message(self.store.bridge, {"op": "document", "text": text, **extra}, [])

    def receive(self, message) -> None:
        if message["op"] == "ack":
            self.acks += 1
            return
        if message["op"] == "export":
            self.storage["coachkit.journal.export.v1"] = json.dumps(
                {"ids": message["ids"], "markdown": message["markdown"]}
            )
            return
        self.sent.append(message)
        document = json.loads(self.storage.get("coachkit.journal.v1", '{"schema": 1, "entries": []}'))
        if message["op"] == "add":
            known = {e["id"] for e in document["entries"]}
            document["entries"] += [e for e in message["entries"] if e["id"] not in known]
        elif message["op"] == "clear":
            document["entries"] = []
        self.storage["coachkit.journal.v1"] = json.dumps(document)
        self.report()


@pytest.fixture
def journal():
    return Journal(store=BrowserJournalStore())


def test_not_ready_until_the_browser_answers_and_adds_are_queued(journal):
    """Are adds made before the browser answered kept, and written once it answers?"""
    assert journal.ready is False
    entry = journal.add("reflection", "03-role-play", {"what": "early"})
    assert journal.entries() == [entry]
    browser = FakeBrowser(journal.store)
    assert browser.sent == []
    browser.report()
    assert journal.ready is True
    assert [m["op"] for m in browser.sent] == ["add"]
    assert entry["id"] in browser.storage["coachkit.journal.export.v1"]  # the landing page's download
    assert browser.acks == 2  # every report is acknowledged, so the page stops repeating it
    stored = json.loads(browser.storage["coachkit.journal.v1"])
    assert stored["schema"] == 1 and [e["id"] for e in stored["entries"]] == [entry["id"]]
    assert journal.entries() == [entry]


def test_existing_browser_journal_is_loaded(journal):
    """Does a journal already in the browser show up once the bridge reports it?"""
    earlier = Journal(store=MemoryJournalStore())
    earlier.add("reflection", "02-coaching-conversation", {"a": "yesterday"})
    browser = FakeBrowser(
        journal.store, {"coachkit.journal.v1": json.dumps({"schema": 1, "entries": earlier.entries()})}
    )
    seen = []
    journal.observe(lambda change: seen.append(change["new"]), names="revision")
    browser.report()
    assert journal.entries() == earlier.entries()
    assert seen


def test_another_tab_adding_is_merged_not_lost(journal):
    """When another tab adds an entry (storage event), do both tabs' entries stay?"""
    browser = FakeBrowser(journal.store)
    browser.report()
    mine = journal.add("reflection", "03-role-play", {"a": "this tab"})
    other_tab = Journal(store=MemoryJournalStore()).add("reflection", "03-role-play", {"a": "other tab"})
    document = json.loads(browser.storage["coachkit.journal.v1"])
    document["entries"].append(other_tab)
    browser.storage["coachkit.journal.v1"] = json.dumps(document)
    browser.report()
    assert {e["id"] for e in journal.entries()} == {mine["id"], other_tab["id"]}


def test_unconfirmed_adds_stay_visible(journal):
    """Is an entry sent to the browser still listed before the browser confirmed it?"""
    browser = FakeBrowser(journal.store)
    browser.report()
    browser.store.bridge.send = lambda message: None  # the browser is slow: no answer yet
    entry = journal.add("reflection", "03-role-play", {"a": "pending"})
    browser.report()  # a report from before the add arrived
    assert journal.entries() == [entry]


def test_delete_all_clears_the_browser(journal):
    """Does delete_all tell the browser to empty its journal?"""
    browser = FakeBrowser(journal.store)
    browser.report()
    journal.add("reflection", "03-role-play", {"a": "x"})
    journal.delete_all()
    assert json.loads(browser.storage["coachkit.journal.v1"])["entries"] == []
    assert journal.entries() == []


def test_bad_entries_in_browser_storage_are_skipped_with_a_message(journal):
    """Is an invalid entry in localStorage left out, with a message, while valid ones load?"""
    good = Journal(store=MemoryJournalStore()).add("reflection", "03-role-play", {"a": "ok"})
    bad = {**good, "id": "x", "kind": "../../x"}
    FakeBrowser(
        journal.store, {"coachkit.journal.v1": json.dumps({"schema": 1, "entries": [good, bad]})}
    ).report()
    assert journal.entries() == [good]
    assert "could not be read" in journal.status


def test_recovered_and_unavailable_storage_are_explained(journal):
    """Does the learner hear when the browser kept a damaged journal aside, or refuses storage?"""
    browser = FakeBrowser(journal.store)
    browser.report(recovered="coachkit.journal.corrupt-2026")
    assert "kept aside" in journal.status
    browser.report(unavailable=True)
    assert "private mode" in journal.status
    journal.store._on_browser_message(None, {"op": "error", "name": "QuotaExceededError"}, [])
    assert "download your journal" in journal.status


def test_garbage_from_the_page_is_ignored(journal):
    """Does a malformed message from the page leave the journal unharmed?"""
    FakeBrowser(journal.store).report()
    entry = journal.add("reflection", "03-role-play", {"a": "x"})
    for message in (
        None,
        [],
        {"op": "document", "text": 5},
        {"op": "document", "text": "{{"},
        {"op": "nope"},
    ):
        journal.store._on_browser_message(None, message, [])
    assert entry in journal.entries()


def test_bar_contains_the_bridge_and_speaks_of_the_browser(journal):
    """Does the JournalBar carry the bridge widget and say the journal stays in this browser?"""
    bar = JournalBar(journal)
    assert journal.store.bridge in bar.children
    assert "Connecting" in bar.summary.value
    FakeBrowser(journal.store).report()
    assert "in this web browser" in bar.summary.value and "0 entries" in bar.summary.value


def test_bridge_code_runs_against_local_storage(tmp_path):
    """Run in Node with a fake localStorage, does the bridge report the stored journal under the agreed key
    until the kernel acknowledges, merge adds without duplicates, follow other tabs, keep a damaged copy
    aside (and delete it on clear), and stop listening on cleanup?"""
    stored = {"schema": 1, "entries": [{"id": "e1", "text": "first"}]}
    seen = run_widget_js(
        BRIDGE_JS,
        f"""
        const KEY = {json.dumps(STORAGE_KEY)};
        const storage = new page.FakeStorage({{ [KEY]: {json.dumps(json.dumps(stored))} }});
        const {{ window, time }} = page.installFakeWindow(storage);
        const model = new page.FakeModel({{}});
        const stopListening = widget.default.initialize({{ model }});
        const el = new page.FakeElement("div");
        const stopRendering = widget.default.render({{ model, el }});
        const docs = () => model.sent.filter((m) => m.op === "document");
        const first = JSON.parse(docs()[0].text).entries.map((e) => e.id);
        time.advance(1000);
        const retried = docs().length;
        model.receive({{ op: "ack" }});
        time.advance(5000);
        const afterAck = docs().length;
        const adds = [{{ id: "e2", text: "second" }}, {{ id: "e1", text: "again" }}];
        model.receive({{ op: "add", entries: adds }});
        const merged = JSON.parse(storage.getItem(KEY)).entries.map((e) => e.id);
        const reportedAfterAdd = JSON.parse(docs().at(-1).text).entries.length;
        storage.setItem(KEY, JSON.stringify({{ schema: 1, entries: [] }}));
        window.dispatch("storage", {{ key: KEY }});
        const otherTab = JSON.parse(docs().at(-1).text).entries.length;
        storage.setItem(KEY, "not json");
        window.dispatch("storage", {{ key: KEY }});
        const recovered = docs().at(-1).recovered;
        const asideKept = storage.getItem(recovered) === "not json";
        model.receive({{ op: "clear" }});
        const left = Object.keys(storage.items);
        stopRendering();
        stopListening();
        report({{ first, retried, afterAck, merged, reportedAfterAdd, otherTab, recovered, asideKept, left,
          hidden: el.style.display, listeners: (window.listeners.storage || []).length,
          handlers: (model.handlers["msg:custom"] || []).length, intervals: time.active() }});
        """,
        tmp_path,
    )
    assert seen["first"] == ["e1"] and seen["retried"] >= 3 and seen["afterAck"] == seen["retried"]
    assert seen["merged"] == ["e1", "e2"] and seen["reportedAfterAdd"] == 2 and seen["otherTab"] == 0
    assert seen["recovered"].startswith("coachkit.journal.corrupt-") and seen["asideKept"]
    assert seen["left"] == [STORAGE_KEY]
    assert seen["hidden"] == "none"
    assert seen["listeners"] == seen["handlers"] == seen["intervals"] == 0


def test_every_journal_widget_carries_the_bridge(journal):
    """Do the prompt, reflection form and self-assessment carry the bridge, so no lesson loses a save?"""
    from coachkit.interactives.self_assessment import SelfAssessment
    from coachkit.journal import JournalPrompt
    from coachkit.roleplay.reflection import ReflectionForm

    for widget in (
        JournalPrompt(journal, lesson="03-role-play", prompt="What?"),
        ReflectionForm(journal),
        SelfAssessment(journal),
    ):
        assert journal.store.bridge in widget.children


def test_saved_appears_only_after_the_browser_confirms(journal):
    """Does a prompt say 'Saving...' until localStorage reports the entry back, and 'Saved' only then?"""
    from coachkit.journal import JournalPrompt

    browser = FakeBrowser(journal.store)
    browser.report()
    held = []
    journal.store.bridge.send = held.append  # the browser has not answered yet
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt="What?")
    prompt.answer.value = "I waited."
    prompt.save_button.click()
    assert "Saving to your journal" in prompt.status.value and "Saved" not in prompt.status.value
    journal.store.bridge.send = browser.receive
    for message in held:
        browser.receive(message)
    assert "Saved to your journal." in prompt.status.value and "data-ck-saved" in prompt.status.value


def test_a_refused_save_says_so_and_keeps_the_text(journal):
    """When the browser's storage is full, does the form say it was not saved and keep the text?"""
    from coachkit.journal import JournalPrompt

    FakeBrowser(journal.store).report()

    def full(message):
        if message["op"] == "add":
            journal.store._on_browser_message(None, {"op": "error", "name": "QuotaExceededError"}, [])

    journal.store.bridge.send = full
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt="What?")
    prompt.answer.value = "Keep me."
    prompt.save_button.click()
    assert "Not saved in this browser" in prompt.status.value and "full" in prompt.status.value
    assert "Saved to your journal" not in prompt.status.value
    assert prompt.answer.value == "Keep me."

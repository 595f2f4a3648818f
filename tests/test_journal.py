"""The journal model over the memory store: entries, exports, imports and the input rules."""

import json
import re

import pytest

from coachkit.journal import Journal, JournalError, JournalImportError, MemoryJournalStore, open_journal

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def test_add_returns_entry_with_id_and_utc_time(journal):
    """Does add() return the entry with a uuid4 hex id, an ISO UTC time, kind, lesson and data?"""
    entry = journal.add("reflection", "03-role-play", {"what": "I asked two open questions."})
    assert re.fullmatch(r"[0-9a-f]{32}", entry["id"])
    assert entry["created"].endswith("+00:00")
    assert entry["kind"] == "reflection" and entry["lesson"] == "03-role-play"
    assert entry["data"] == {"what": "I asked two open questions."}
    assert journal.entries() == [entry]


def test_entries_filter_and_order(journal):
    """Are entries returned oldest first and filtered by kind and by lesson?"""
    first = journal.add("reflection", "03-role-play", {"a": "1"})
    second = journal.add("tally", "03-role-play", {"open": 3})
    third = journal.add("reflection", "02-coaching-conversation", {"a": "3"})
    assert [e["id"] for e in journal.entries()] == [first["id"], second["id"], third["id"]]
    assert journal.entries(kind="reflection") == [first, third]
    assert journal.entries(lesson="03-role-play") == [first, second]
    assert journal.entries(kind="reflection", lesson="03-role-play") == [first]


def test_revision_counts_every_change(journal):
    """Does revision go up on add, import and delete so views can observe it?"""
    seen = []
    journal.observe(lambda change: seen.append(change["new"]), names="revision")
    journal.add("reflection", "03-role-play", {"a": "x"})
    other = Journal(store=MemoryJournalStore())
    other.add("reflection", "03-role-play", {"a": "y"})
    journal.import_text(other.to_json())
    journal.delete_all()
    assert seen == [1, 2, 3]
    assert journal.entries() == []


def test_memory_store_is_ready_at_once(journal):
    """Is a memory-backed journal ready immediately?"""
    assert journal.ready is True


@pytest.mark.parametrize("bad", ["../../x", "", "Reflection", "a/b", "x" * 65, None, 3, "a b", "<script>"])
def test_kind_and_lesson_must_be_safe_names(journal, bad):
    """Are kinds and lessons like '../../x' refused with a message, and nothing saved?"""
    with pytest.raises(JournalError, match="not allowed"):
        journal.add(bad, "03-role-play", {})
    with pytest.raises(JournalError, match="not allowed"):
        journal.add("reflection", bad, {})
    assert journal.entries() == []


def test_huge_text_is_refused_with_a_clear_message(journal):
    """Is a 1 MB field refused with a limit message, and nothing saved?"""
    with pytest.raises(JournalError, match="too long"):
        journal.add("reflection", "03-role-play", {"what": "x" * 1_000_000})
    assert journal.entries() == []


def test_data_must_be_plain_json_values(journal):
    """Are objects, bad field names and non-finite numbers refused?"""
    for data in (
        {"x": object()},
        {"../x": "a"},
        {"x": float("nan")},
        {"x": {"y": {"z": {"w": {"v": {"u": 1}}}}}},
    ):
        with pytest.raises(JournalError):
            journal.add("reflection", "03-role-play", data)
    assert journal.entries() == []


def test_control_characters_are_dropped_and_emoji_kept(journal):
    """Do newlines, tabs and emoji survive while other control characters are dropped?"""
    entry = journal.add("reflection", "03-role-play", {"what": "line 1\nline\t2 \x00\x07\x1b 😀🧭 ünïcödé"})
    assert entry["data"]["what"] == "line 1\nline\t2  😀🧭 ünïcödé"
    assert journal.entries()[0]["data"]["what"] == entry["data"]["what"]


def test_round_trip_through_json(journal):
    """Does to_json then import into an empty journal give the same entries?"""
    journal.add(
        "reflection", "03-role-play", {"what": "A", "ratings": {"listening": 3}, "list": [1, "b", None]}
    )
    journal.add("self-assessment", "00-start-here", {"moment": "before", "ratings": {"trust": 4}})
    other = Journal(store=MemoryJournalStore())
    assert other.import_text(journal.to_json()) == 2
    assert other.entries() == journal.entries()


@pytest.mark.parametrize("export", ["export_markdown", "export_html", "to_json"])
def test_export_then_import_gives_the_same_journal(journal, export):
    """Does every export import back on another machine to exactly the same journal?"""
    journal.add("reflection", "03-role-play", {"what": f'{XSS} --> </script> & "quotes" 😀\nsecond line'})
    journal.add("tally", "03-role-play", {"open": 4, "closed": 2, "notes": "<b>bold</b>"})
    text = getattr(journal, export)()
    other = Journal(store=MemoryJournalStore())
    assert other.import_text(text) == 2
    assert other.entries() == journal.entries()


def test_import_merges_by_id(journal):
    """Does importing the same file twice, or into a journal that has some entries, add only new ones?"""
    shared = journal.add("reflection", "03-role-play", {"a": "shared"})
    other = Journal(store=MemoryJournalStore())
    other.import_text(journal.to_json())
    own = other.add("reflection", "03-role-play", {"a": "only here"})
    journal.add("reflection", "03-role-play", {"a": "new there"})
    assert other.import_text(journal.export_markdown()) == 1
    assert other.import_text(journal.export_markdown()) == 0
    ids = [e["id"] for e in other.entries()]
    assert len(ids) == 3 and shared["id"] in ids and own["id"] in ids


@pytest.mark.parametrize("export", ["export_markdown", "export_html"])
def test_payload_is_escaped_in_every_export(journal, export):
    """Does the XSS payload appear only escaped in the exports, in data and in field text?"""
    journal.add("reflection", "03-role-play", {"what": XSS, "so_what": f"</script>{XSS}<!-- -->"})
    text = getattr(journal, export)()
    assert "<img" not in text
    assert "onerror=alert(1)" in text  # still readable as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert text.count("</script>") == (1 if export == "export_html" else 0)
    assert text.count("-->") == (0 if export == "export_html" else 1)


def test_html_export_is_a_standalone_printable_page(journal):
    """Is the HTML export a full page that forbids scripts and loads nothing from elsewhere?"""
    journal.add("reflection", "03-role-play", {"what": "I listened."})
    page = journal.export_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page
    assert "@media print" in page
    assert "http://" not in page and "https://" not in page
    assert "I listened." in page


def test_markdown_export_keeps_markdown_links_literal(journal):
    """Is a Markdown link typed by the learner kept as literal text, not a live link?"""
    journal.add("reflection", "03-role-play", {"what": "[click](javascript:alert(1))"})
    assert "\\[click\\](javascript:alert(1))" in journal.export_markdown()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just some notes", "not a coachkit journal"),
        ("{not json", "damaged"),
        ('{"schema": 2, "entries": []}', "newer version"),
        ('{"entries": []}', "schema"),
        ('{"schema": 1, "entries": {}}', "no list of entries"),
        ('{"schema": 1, "entries": [{"id": "1"}]}', "entry 1 was refused"),
        ("[1, 2]", "not a coachkit journal"),
        ("[" * 100_000, "not a coachkit journal"),
        ("{" + '"a":' * 50_000 + "1" + "}" * 50_000, "damaged"),
        ("x" * 2_000_001, "too large"),
    ],
    ids=[
        "text",
        "broken-json",
        "newer-schema",
        "no-schema",
        "entries-not-list",
        "bad-entry",
        "array",
        "deep-array",
        "deep-object",
        "huge",
    ],
)
def test_wrong_or_hostile_files_are_refused(journal, text, message):
    """Is a wrong or hostile import file refused with a clear message, and the journal left as it was?"""
    kept = journal.add("reflection", "03-role-play", {"a": "kept"})
    with pytest.raises(JournalImportError, match=message):
        journal.import_text(text)
    assert journal.entries() == [kept]


def _export_with(entry_changes: dict) -> str:
    source = Journal(store=MemoryJournalStore())
    source.add("reflection", "03-role-play", {"a": "good"})
    source.add("reflection", "03-role-play", {"a": "also good"})
    document = json.loads(source.to_json())
    document["entries"][1].update(entry_changes)
    return json.dumps(document)


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "../../x"},
        {"lesson": "../../etc/passwd"},
        {"id": "../../x"},
        {"created": "yesterday"},
        {"created": "2026-01-01T10:00:00"},
        {"data": {"a": "x" * 30_000}},
        {"data": {"<script>": "x"}},
        {"data": "not an object"},
        {"extra": "field"},
    ],
    ids=["kind", "lesson", "id", "time", "naive-time", "long-field", "bad-key", "data-not-object", "extra"],
)
def test_one_bad_entry_refuses_the_whole_file(journal, changes):
    """Is nothing half-imported when only one entry of the file is bad?"""
    with pytest.raises(JournalImportError, match="entry 2 was refused"):
        journal.import_text(_export_with(changes))
    assert journal.entries() == []


def test_open_journal_follows_the_environment(monkeypatch, tmp_path):
    """Does open_journal use the file store by default and the browser store when the web app asks?"""
    from coachkit.journal import BrowserJournalStore, FileJournalStore

    monkeypatch.setenv("COACHKIT_JOURNAL_DIR", str(tmp_path))
    monkeypatch.delenv("COACHKIT_JOURNAL_STORE", raising=False)
    journal = open_journal()
    assert isinstance(journal.store, FileJournalStore)
    assert journal.store.path == tmp_path / "journal.json"
    monkeypatch.setenv("COACHKIT_JOURNAL_STORE", "browser")
    assert isinstance(open_journal().store, BrowserJournalStore)
    monkeypatch.setenv("COACHKIT_JOURNAL_STORE", "cloud")
    with pytest.raises(ValueError, match="file"):
        open_journal()


def test_default_path_is_in_the_home_folder(monkeypatch, tmp_path):
    """Without COACHKIT_JOURNAL_DIR, is the journal ~/.local/share/coachkit/journal.json?"""
    from coachkit.journal import default_journal_path

    monkeypatch.delenv("COACHKIT_JOURNAL_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_journal_path() == tmp_path / ".local" / "share" / "coachkit" / "journal.json"


def test_export_titles_are_the_ones_people_see_in_the_lessons():
    """Do export headings name lessons, exercises and skills by their titles, not their codes?"""
    from coachkit.course import catalog

    journal = Journal(store=MemoryJournalStore())
    journal.add("reflection", "03-role-play", {"what": "x"})
    journal.add("selfcheck", "a01-questions", {"right": 3, "total": 6})
    journal.add("self-assessment", "00-start-here", {"moment": "before", "ratings": {"ethics": 2}})
    text = journal.export_markdown()
    role_play = next(lesson for lesson in catalog.lessons() if lesson.filename.startswith("03-"))
    assert f"Lesson 03: {role_play.title}" in text and "lesson 03-role-play" not in text
    assert catalog.exercise_title("a01-questions") in text and "lesson a01-questions" not in text
    assert "Acting ethically: 2 of 5" in text and "Ethics" not in text.split("<!--")[0]


def test_a_self_check_answered_three_times_is_one_section_with_its_history():
    """Does a quiz checked three times show once in the export, the latest result with the earlier two?"""
    journal = Journal(store=MemoryJournalStore())
    for right in (2, 4, 6):
        journal.add("selfcheck", "a01-questions", {"right": right, "total": 6})
    text = journal.export_markdown()
    readable = text.split("<!--")[0]
    assert readable.count("## Self-check") == 1
    assert "**Latest result:** 6 of 6 right" in readable
    assert "2 of 6 right" in readable and "4 of 6 right" in readable  # the history
    page = journal.export_html()
    assert page.count("<h2>Self-check") == 1
    # every click stays in the import data, so nothing is lost on the way to another computer
    again = Journal(store=MemoryJournalStore())
    assert again.import_text(text) == 3


def test_the_printable_page_puts_before_and_after_side_by_side():
    """With a before and an after self-assessment, does the printable page show them in one table?"""
    journal = Journal(store=MemoryJournalStore())
    journal.add(
        "self-assessment", "00-start-here", {"moment": "before", "ratings": {"ethics": 2, "trust": 3}}
    )
    journal.add(
        "self-assessment", "07-whats-keeping-you", {"moment": "after", "ratings": {"ethics": 4, "trust": 3}}
    )
    page = journal.export_html()
    assert "Your self-assessment, before and after" in page
    assert "<th scope='row'>Acting ethically</th><td>2</td><td>4</td><td>+2</td>" in page
    assert "<td>3</td><td>3</td><td>same</td>" in page

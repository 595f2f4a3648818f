"""The file store: round trips, two writers at once, a crash mid-save, and a corrupt file kept aside."""

import json
import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from coachkit.journal import FileJournalStore, Journal


def file_journal(path):
    return Journal(store=FileJournalStore(path))


def test_round_trip_survives_a_new_kernel(tmp_path):
    """Is every entry, with emoji, tabs and newlines, there when a new Journal opens the same file?"""
    path = tmp_path / "journal.json"
    journal = file_journal(path)
    first = journal.add("reflection", "03-role-play", {"what": "Täb\there\nnew line 😀 \x07"})
    second = journal.add("self-assessment", "00-start-here", {"ratings": {"listening": 2}})
    again = file_journal(path)
    assert again.entries() == [first, second]
    assert again.entries()[0]["data"]["what"] == "Täb\there\nnew line 😀"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["schema"] == 1 and len(document["entries"]) == 2


def test_file_is_private_to_the_account(tmp_path):
    """Can only the owner read the journal file?"""
    path = tmp_path / "journal.json"
    file_journal(path).add("reflection", "03-role-play", {"a": "private"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_missing_folder_is_created(tmp_path):
    """Does the first save create the journal's folder?"""
    path = tmp_path / "deep" / "er" / "journal.json"
    file_journal(path).add("reflection", "03-role-play", {"a": "x"})
    assert path.exists()


def test_two_journals_on_one_file_lose_nothing(tmp_path):
    """Do two tabs (two Journal objects) writing in turn keep each other's entries?"""
    path = tmp_path / "journal.json"
    tab_a, tab_b = file_journal(path), file_journal(path)
    tab_a.add("reflection", "03-role-play", {"a": "from a"})
    tab_b.add("reflection", "03-role-play", {"a": "from b"})
    tab_a.add("reflection", "03-role-play", {"a": "from a again"})
    assert len(tab_a.entries()) == len(tab_b.entries()) == 3


def test_delete_all_empties_the_file(tmp_path):
    """Does delete_all leave an empty, valid journal file?"""
    path = tmp_path / "journal.json"
    journal = file_journal(path)
    journal.add("reflection", "03-role-play", {"a": "x"})
    journal.delete_all()
    assert file_journal(path).entries() == []
    assert json.loads(path.read_text()) == {"schema": 1, "entries": []}


def _append_many(path: str, who: str, count: int, start) -> None:
    journal = Journal(store=FileJournalStore(path))
    start.wait(timeout=60)  # both processes begin together, so their saves really overlap
    for number in range(count):
        journal.add("reflection", "03-role-play", {"who": who, "n": number})


@pytest.mark.slow
def test_two_processes_appending_100_each_end_with_200(tmp_path):
    """Do two processes each appending 100 entries at the same time end with all 200?"""
    path = str(tmp_path / "journal.json")
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [context.Process(target=_append_many, args=(path, who, 100, start)) for who in ("a", "b")]
    for worker in workers:
        worker.start()
    time.sleep(1.0)  # let both processes import and reach the start line
    start.set()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    entries = file_journal(path).entries()
    assert len(entries) == 200
    assert len({e["id"] for e in entries}) == 200
    for who in ("a", "b"):
        assert sorted(e["data"]["n"] for e in entries if e["data"]["who"] == who) == list(range(100))
    writers = "".join(e["data"]["who"] for e in entries)
    assert writers.count("ab") + writers.count("ba") > 1, "the two processes did not write at the same time"


WRITER = """
import sys
from coachkit.journal import FileJournalStore, Journal
journal = Journal(store=FileJournalStore(sys.argv[1]))
number = 0
while True:
    entry = journal.add("reflection", "03-role-play", {"n": number, "pad": "x" * 5000})
    print(entry["id"], flush=True)
    number += 1
"""


@pytest.mark.slow
def test_sigkill_while_saving_leaves_every_earlier_entry(tmp_path):
    """Does a process killed with SIGKILL in the middle of saving leave a journal with every saved entry?"""
    path = tmp_path / "journal.json"
    for attempt in range(3):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        saved = []
        deadline = time.monotonic() + 60
        # kill after a few dozen saves, at a moment the writer is almost certainly inside a save
        while len(saved) < 30 + 7 * attempt and time.monotonic() < deadline:
            saved.append(process.stdout.readline().strip())
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        process.stdout.close()
        ids = {entry["id"] for entry in file_journal(path).entries()}
        assert set(saved) <= ids
    assert not list(tmp_path.glob("journal.corrupt-*"))
    file_journal(path).add("reflection", "03-role-play", {"n": "after the crashes"})
    assert not list(tmp_path.glob(".journal-*.tmp")), "a crashed writer's temporary file was left behind"


STALLED_WRITER = """
import os, sys, time
from coachkit.journal import FileJournalStore, Journal
journal = Journal(store=FileJournalStore(sys.argv[1]))
for number in range(20):
    print(journal.add("reflection", "03-role-play", {"n": number})["id"], flush=True)
real_fsync = os.fsync
def stalled_fsync(fd):
    real_fsync(fd)
    print("SAVING", flush=True)  # the new file is written but not yet renamed over the journal
    time.sleep(120)
os.fsync = stalled_fsync
journal.add("reflection", "03-role-play", {"n": "never finished"})
"""


@pytest.mark.slow
def test_sigkill_at_the_worst_moment_of_a_save(tmp_path):
    """Killed after writing the new file but before renaming it, does the journal load with all 20 entries?"""
    path = tmp_path / "journal.json"
    process = subprocess.Popen(
        [sys.executable, "-c", STALLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    saved = [process.stdout.readline().strip() for _ in range(20)]
    assert process.stdout.readline().strip() == "SAVING"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()
    assert list(tmp_path.glob(".journal-*.tmp")), "the kill did not land inside a save"
    journal = file_journal(path)
    assert [entry["id"] for entry in journal.entries()] == saved
    assert not list(tmp_path.glob("journal.corrupt-*"))
    journal.add("reflection", "03-role-play", {"n": "after"})  # the lock was released by the kill
    assert len(journal.entries()) == 21


def test_corrupt_file_is_kept_aside_and_new_entries_save(tmp_path):
    """Is an unreadable journal moved aside untouched, with a clear message, while new entries still save?"""
    path = tmp_path / "journal.json"
    damaged = b'{"schema": 1, "entries": [{"id": "trunc'
    path.write_bytes(damaged)
    journal = file_journal(path)
    entry = journal.add("reflection", "03-role-play", {"a": "after the damage"})
    kept = list(tmp_path.glob("journal.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert "could not be read" in journal.status and kept[0].name in journal.status
    assert file_journal(path).entries() == [entry]


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe garbage", b"[]", b'{"schema": 9, "entries": []}', b'{"schema": 1, "entries": [{"id": 1}]}'],
    ids=["binary", "array", "newer-schema", "bad-entry"],
)
def test_unreadable_files_are_never_overwritten(tmp_path, content):
    """Is each kind of unreadable file kept aside byte for byte when the journal is read?"""
    path = tmp_path / "journal.json"
    path.write_bytes(content)
    journal = file_journal(path)
    assert journal.entries() == []
    kept = list(tmp_path.glob("journal.corrupt-*.json"))
    assert [p.read_bytes() for p in kept] == [content]
    assert journal.status


def test_two_corrupt_files_in_the_same_second_keep_both(tmp_path):
    """Does a second corrupt file moved aside in the same second get its own name?"""
    path = tmp_path / "journal.json"
    journal = file_journal(path)
    for content in (b"one", b"two"):
        path.write_bytes(content)
        journal.entries()
    kept = sorted(p.read_bytes() for p in tmp_path.glob("journal.corrupt-*.json"))
    assert kept == [b"one", b"two"]


def test_import_into_a_file_journal_is_all_or_nothing(tmp_path):
    """Does a refused import leave the file exactly as it was?"""
    from coachkit.journal import JournalImportError

    path = tmp_path / "journal.json"
    journal = file_journal(path)
    journal.add("reflection", "03-role-play", {"a": "x"})
    before = path.read_bytes()
    with pytest.raises(JournalImportError):
        journal.import_text('{"schema": 1, "entries": [{"id": "../../x"}]}')
    assert path.read_bytes() == before


def test_journal_path_never_contains_learner_text(tmp_path, monkeypatch):
    """Are only the journal file and its lock written, whatever the learner types?"""
    monkeypatch.setenv("COACHKIT_JOURNAL_DIR", str(tmp_path))
    from coachkit.journal import open_journal

    journal = open_journal()
    journal.add("reflection", "03-role-play", {"a": "../../evil name.txt"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.json", "journal.json.lock"]


def test_delete_all_also_removes_damaged_copies(tmp_path):
    """Does 'delete my data' remove the damaged copies kept aside too, leaving an empty journal?"""
    path = tmp_path / "journal.json"
    path.write_text("{ damaged", encoding="utf-8")
    journal = file_journal(path)
    journal.add("reflection", "03-role-play", {"a": "x"})
    assert list(tmp_path.glob("journal.corrupt-*.json"))
    journal.delete_all()
    assert not list(tmp_path.glob("journal.corrupt-*.json"))
    assert file_journal(path).entries() == []

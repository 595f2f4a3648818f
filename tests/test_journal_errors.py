"""Journal errors that say what is wrong (issue 18): a full disk, a read-only folder, a symlinked lock file,
one bad entry among many, and the learner's own file mode."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from coachkit.journal import FileJournalStore, Journal, JournalError, JournalPrompt, MemoryJournalStore
from coachkit.journal import stores as stores_module


def file_journal(path: Path) -> Journal:
    return Journal(store=FileJournalStore(path))


def test_a_full_disk_is_named_and_the_text_stays(tmp_path, monkeypatch):
    """With the disk full (ENOSPC while the file is flushed), does the form say so, and keep the text?"""
    path = tmp_path / "journal.json"
    journal = file_journal(path)
    journal.add("reflection", "03-role-play", {"a": "before"})
    before = path.read_bytes()

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(stores_module.os, "fsync", full)
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt="What?")
    prompt.answer.value = "Typed on a full disk."
    prompt.save_button.click()
    assert "the disk that holds your journal is full" in prompt.status.value
    assert "Free some space" in prompt.status.value and "Saved" not in prompt.status.value
    assert "Something went wrong" not in prompt.status.value
    assert prompt.answer.value == "Typed on a full disk."
    monkeypatch.undo()
    assert path.read_bytes() == before  # the old file is untouched
    assert not list(tmp_path.glob(".journal-*.tmp"))  # and no temporary file is left behind


def test_a_read_only_disk_is_named(tmp_path, monkeypatch):
    """Does EROFS say the disk is read-only and how to choose another folder?"""
    journal = file_journal(tmp_path / "journal.json")

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(stores_module.tempfile, "mkstemp", read_only)
    with pytest.raises(JournalError, match="read-only disk") as caught:
        journal.add("reflection", "03-role-play", {"a": "x"})
    assert "COACHKIT_JOURNAL_DIR" in str(caught.value)


READ_ONLY_SCRIPT = """
import sys
from coachkit.journal import FileJournalStore, Journal, JournalError
try:
    Journal(store=FileJournalStore(sys.argv[1])).add("reflection", "03-role-play", {"a": "x"})
except JournalError as exc:
    print(exc)
else:
    print("SAVED")
"""


def test_a_read_only_folder_is_named(tmp_path):
    """In a folder the account may not write (mode 0555), does the save say so and what to do?

    Root may write anywhere, so as root the save runs without the capabilities that let it (setpriv)."""
    folder = Path(tempfile.mkdtemp(prefix="ck-readonly-"))
    try:
        os.chmod(folder, 0o555)
        command = [sys.executable, "-c", READ_ONLY_SCRIPT, str(folder / "journal.json")]
        if os.geteuid() == 0:
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv: a read-only folder cannot be made")
            command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "may not write in your journal's folder" in result.stdout
        assert "chmod u+w" in result.stdout and str(folder) in result.stdout
        assert not (folder / "journal.json").exists()
    finally:
        os.chmod(folder, 0o755)
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()


def test_a_symlinked_lock_file_is_refused_and_named(tmp_path):
    """Is a lock file that is a symbolic link refused, with how to fix it, and the target untouched?"""
    path = tmp_path / "journal.json"
    target = tmp_path / "elsewhere.txt"
    target.write_text("not yours to touch", encoding="utf-8")
    (tmp_path / "journal.json.lock").symlink_to(target)
    with pytest.raises(JournalError, match="symbolic link") as caught:
        file_journal(path).add("reflection", "03-role-play", {"a": "x"})
    assert "rm '" in str(caught.value) and "journal.json.lock" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "not yours to touch"
    assert not path.exists()


def test_one_bad_entry_no_longer_hides_the_others(tmp_path):
    """With one bad entry among 50, are the 49 loaded, the learner told, and the file kept as it was?"""
    path = tmp_path / "journal.json"
    source = Journal(store=MemoryJournalStore())
    entries = [source.add("reflection", "03-role-play", {"n": n}) for n in range(50)]
    entries[6] = {**entries[6], "kind": "../../etc"}
    original = json.dumps({"schema": 1, "entries": entries}).encode("utf-8")
    path.write_bytes(original)
    journal = file_journal(path)
    loaded = journal.entries()
    assert len(loaded) == 49 and entries[6]["id"] not in {e["id"] for e in loaded}
    assert "Part of your journal file could not be read: 1 entry (7)" in journal.status
    assert "other 49 entries are here" in journal.status
    [kept] = tmp_path.glob("journal.corrupt-*.json")
    assert kept.read_bytes() == original and kept.name in journal.status
    # the journal file now holds the 49, and new entries save as usual
    journal.add("reflection", "03-role-play", {"n": "new"})
    assert len(file_journal(path).entries()) == 50


def test_the_learners_file_mode_is_kept(tmp_path):
    """Is a journal file the learner made read-only (0444) or group-readable (0640) kept so after a save?"""
    for mode in (0o444, 0o640):
        path = tmp_path / f"journal-{mode:o}.json"
        journal = file_journal(path)
        journal.add("reflection", "03-role-play", {"a": "first"})
        os.chmod(path, mode)
        journal.add("reflection", "03-role-play", {"a": "second"})
        assert stat.S_IMODE(path.stat().st_mode) == mode
        assert len(file_journal(path).entries()) == 2


def test_the_delete_confirmation_names_what_it_deletes(tmp_path):
    """Does 'Delete my data' ask about the entries, and name the unreadable copies only when there are any?"""
    from coachkit.journal import JournalBar

    path = tmp_path / "journal.json"
    path.write_text("{ damaged", encoding="utf-8")
    journal = file_journal(path)
    journal.add("reflection", "03-role-play", {"a": "x"})
    bar = JournalBar(journal)
    bar.delete_button.click()
    text = bar.confirm_text.value
    assert "Delete all 1 entry in your journal?" in text and "1 unreadable copy" in text
    assert "journal.corrupt-" in text and "damaged copy kept aside" not in text
    plain = JournalBar(Journal(store=MemoryJournalStore()))
    plain.delete_button.click()
    assert "unreadable" not in plain.confirm_text.value

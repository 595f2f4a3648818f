"""The journal's widgets headless: the reflection prompt and the journal bar."""

import base64
import re
from datetime import UTC, datetime

import pytest

from coachkit.journal import Journal, JournalBar, JournalPrompt, MemoryJournalStore

XSS = "<img src=x onerror=alert(1)>"
PROMPT = "What will you do differently in your next one-to-one?"


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def test_prompt_saves_a_reflection_and_keeps_the_text(journal):
    """Does Save store a 'reflection' for the lesson, keep the text in the box and list it below?"""
    prompt = JournalPrompt(journal, lesson="02-coaching-conversation", prompt=PROMPT)
    prompt.answer.value = "Ask before I advise."
    prompt.save_button.click()
    [entry] = journal.entries()
    assert entry["kind"] == "reflection" and entry["lesson"] == "02-coaching-conversation"
    assert entry["data"] == {"prompt": PROMPT, "answer": "Ask before I advise."}
    assert prompt.answer.value == "Ask before I advise."
    assert "Saved" in prompt.status.value
    assert "Ask before I advise." in prompt.saved_list.value


def test_prompt_escapes_learner_text_in_its_list(journal):
    """Is the XSS payload shown escaped in the list of saved answers?"""
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt=PROMPT)
    prompt.answer.value = XSS
    prompt.save_button.click()
    assert "<img" not in prompt.saved_list.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in prompt.saved_list.value


def test_prompt_with_empty_or_huge_text_saves_nothing(journal):
    """Do empty and 1 MB answers get a clear message, keep the text, and save nothing?"""
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt=PROMPT)
    prompt.save_button.click()
    assert "empty" in prompt.status.value
    prompt.answer.value = "x" * 1_000_000
    prompt.save_button.click()
    assert "too long" in prompt.status.value
    assert len(prompt.answer.value) == 1_000_000
    assert journal.entries() == []


def test_prompt_does_not_save_the_same_answer_twice(journal):
    """Does a second click on Save with unchanged text say it is already saved?"""
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt=PROMPT)
    prompt.answer.value = "Once."
    prompt.save_button.click()
    prompt.save_button.click()
    assert len(journal.entries()) == 1
    assert "already saved" in prompt.status.value


def test_prompt_lists_only_its_own_answers(journal):
    """Are answers to another prompt or another lesson left out of this prompt's list?"""
    journal.add("reflection", "03-role-play", {"prompt": "Another question?", "answer": "other"})
    journal.add("reflection", "02-coaching-conversation", {"prompt": PROMPT, "answer": "other lesson"})
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt=PROMPT)
    assert prompt.saved_list.value == ""
    journal.add("reflection", "03-role-play", {"prompt": PROMPT, "answer": "from another tab"})
    assert "from another tab" in prompt.saved_list.value


def test_prompt_on_submit_and_clear(journal):
    """Is on_submit called with the entry, a non-callable refused, and clear() emptying the box?"""
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt=PROMPT)
    spy = []
    prompt.on_submit(spy.append)
    with pytest.raises(TypeError):
        prompt.on_submit("not a function")
    prompt.answer.value = "Noted."
    prompt.save_button.click()
    assert [entry["id"] for entry in spy] == [journal.entries()[0]["id"]]
    prompt.clear()
    assert prompt.answer.value == "" and prompt.status.value == ""


def test_prompt_without_a_journal_keeps_answers_for_the_session():
    """Does a prompt made without a journal still save, in a memory journal it says it has?"""
    prompt = JournalPrompt(None, lesson="03-role-play", prompt=PROMPT)
    prompt.answer.value = "Kept for now."
    prompt.save_button.click()
    assert len(prompt.journal.entries()) == 1


def test_prompt_has_accessible_labels(journal):
    """Does the text box have a label and the button text?"""
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt=PROMPT)
    assert prompt.answer.description and prompt.save_button.description
    assert "What will you do differently" in prompt.prompt_text.value


def _link_payload(html_value: str) -> str:
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", html_value).group(1)
    return base64.b64decode(encoded).decode("utf-8")


def test_bar_says_where_and_how_many(journal):
    """Does the bar say where the journal is kept, that it is private, and the number of entries?"""
    bar = JournalBar(journal)
    assert "0 entries" in bar.summary.value
    journal.add("reflection", "03-role-play", {"a": "x"})
    assert "1 entry" in bar.summary.value
    assert "memory" in bar.summary.value


def _link_payloads(html_value: str) -> list[str]:
    return [
        base64.b64decode(encoded).decode("utf-8")
        for encoded in re.findall(r"base64,([A-Za-z0-9+/=]+)", html_value)
    ]


def test_bar_downloads_markdown_and_html_in_one_click(journal):
    """Are the downloads links (one click) whose files hold the escaped journal?"""
    journal.add("reflection", "03-role-play", {"what": XSS})
    bar = JournalBar(journal)
    assert 'download="coachkit-journal.md"' in bar.download.value
    assert 'download="coachkit-journal.html"' in bar.download.value
    markdown, page = _link_payloads(bar.download.value)
    assert "&lt;img src=x" in markdown and "<img" not in markdown
    assert page.startswith("<!DOCTYPE html>") and "<img" not in page


def test_an_empty_journal_offers_no_grey_button(journal):
    """With nothing saved, does the bar say so in words instead of showing a download that looks broken?"""
    bar = JournalBar(journal)
    assert "empty so far" in bar.download.value and "download=" not in bar.download.value


def _upload(bar, content: bytes, name="journal.md"):
    upload = {"name": name, "type": "text/markdown", "size": len(content), "content": memoryview(content)}
    bar.upload.value = ({**upload, "last_modified": datetime.now(UTC)},)


def test_bar_imports_an_exported_file(journal):
    """Does uploading a Markdown export from another journal merge its entries?"""
    other = Journal(store=MemoryJournalStore())
    other.add("reflection", "03-role-play", {"a": "from my laptop"})
    bar = JournalBar(journal)
    _upload(bar, other.export_markdown().encode("utf-8"))
    assert journal.entries() == other.entries()
    assert "Imported 1 entry" in bar.status.value
    assert bar.upload.value == ()


@pytest.mark.parametrize(
    "content", [b"\xff\xfe\x00binary", b"hello", b"x" * 9_000_000], ids=["binary", "text", "huge"]
)
def test_bar_refuses_a_wrong_file(journal, content):
    """Is a wrong file refused with a message and nothing imported?"""
    bar = JournalBar(journal)
    _upload(bar, content)
    assert journal.entries() == []
    assert "ck-status--error" in bar.status.value


def test_bar_deletes_only_after_confirmation(journal):
    """Does Delete ask first, Cancel keep everything, and the confirm button delete all?"""
    journal.add("reflection", "03-role-play", {"a": "x"})
    bar = JournalBar(journal)
    bar.delete_button.click()
    assert bar.confirm_box.layout.display == "flex"
    assert "1 entry" in bar.confirm_text.value
    bar.cancel_button.click()
    assert len(journal.entries()) == 1 and bar.confirm_box.layout.display == "none"
    bar.delete_button.click()
    bar.confirm_button.click()
    assert journal.entries() == []
    assert "deleted" in bar.status.value


def test_bar_tells_the_learner_about_a_damaged_journal_file(tmp_path):
    """With a damaged journal file, does the bar say it was kept aside, and do saves still work?"""
    from coachkit.journal import FileJournalStore

    path = tmp_path / "journal.json"
    path.write_text("{ damaged", encoding="utf-8")
    journal = Journal(store=FileJournalStore(path))
    bar = JournalBar(journal)
    assert "could not be read" in bar.status.value and "journal.corrupt-" in bar.status.value
    assert "0 entries" in bar.summary.value and "in a file in your own account" in bar.summary.value
    prompt = JournalPrompt(journal, lesson="03-role-play", prompt=PROMPT)
    prompt.answer.value = "Still saved."
    prompt.save_button.click()
    assert "1 entry" in bar.summary.value


def test_bar_remakes_the_download_when_the_journal_changes(journal):
    """After a new entry, does the download hold it (never an older, incomplete journal)?"""
    journal.add("reflection", "03-role-play", {"a": "old"})
    bar = JournalBar(journal)
    journal.add("reflection", "03-role-play", {"a": "brand new"})
    assert "brand new" in _link_payloads(bar.download.value)[0]


def test_the_tally_carries_its_counts_as_a_draft_and_takes_one_back_only_when_empty():
    """Does the observer tally write its counts into its draft carrier, restore a draft into an empty tally,
    ignore a draft once counting has started, and refuse a malformed one?"""
    import json

    from coachkit.roleplay.tally import ObserverTally

    tally = ObserverTally(None)
    assert tally.draft.value == ""
    tally._on_count("open")
    assert json.loads(tally.draft.value)["counts"]["open"] == 1
    fresh = ObserverTally(None)
    fresh.draft.value = json.dumps({"counts": {"open": 3, "silence": 2, "bogus": 9}, "notes": ["Ask <b>"]})
    assert fresh.model.counts["open"] == 3 and fresh.model.counts["silence"] == 2
    assert "bogus" not in fresh.model.counts and fresh.model.notes == ["Ask <b>"]
    assert "are back" in fresh.status.value
    fresh.draft.value = json.dumps({"counts": {"open": 50}, "notes": []})
    assert fresh.model.counts["open"] == 3  # a tally with counts keeps them
    for bad in ("{{", '{"counts": {"open": -4}, "notes": []}', '{"counts": 5}', "[]"):
        empty = ObserverTally(None)
        empty.draft.value = bad
        assert not any(empty.model.counts.values())

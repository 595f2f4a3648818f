"""The observer's tally: counts, undo, the share of open questions, the summary's rules, notes and saving."""

import pytest

from coachkit.forms.textinput import TextInputError
from coachkit.journal import Journal, MemoryJournalStore
from coachkit.roleplay.tally import CAVEAT, ObserverTally, TallyModel, empty_counts, summarise_tally

XSS = "<img src=x onerror=alert(1)>"


def counts(**given) -> dict:
    return {**empty_counts(), **given}


def test_counts_and_undo():
    """Does each click count one, and does undo take back exactly the last click?"""
    model = TallyModel()
    for key in ("open", "open", "closed", "silence"):
        model.count(key)
    assert model.counts == counts(open=2, closed=1, silence=1)
    assert model.undo() == "Silence given"
    assert model.counts == counts(open=2, closed=1)
    model.add_note("She said: what else?")
    assert model.undo() == "the last note" and model.notes == []
    assert model.undo() == "Closed question"
    assert model.undo() == "Open question" and model.undo() == "Open question"
    assert model.undo() is None and model.counts == empty_counts()


def test_unknown_behaviour_is_refused():
    """Is a key that is not one of the six behaviours refused?"""
    with pytest.raises(KeyError):
        TallyModel().count("monologue")


def test_notes_are_cleaned_and_checked():
    """Are notes stripped of control characters, kept with emoji, and empty or huge ones refused?"""
    model = TallyModel()
    assert model.add_note("  You said \x07'why not?' 😀 ") == "You said 'why not?' 😀"
    with pytest.raises(TextInputError, match="empty"):
        model.add_note("   ")
    with pytest.raises(TextInputError, match="too long"):
        model.add_note("x" * 1_000_000)
    assert len(model.notes) == 1


def test_share_of_open_questions():
    """Is the share open / (open + closed + leading + why), and None when nothing was asked?"""
    summary = summarise_tally(counts(open=3, closed=1, leading=1, why=1, playback=5, silence=2))
    assert summary.asked == 6 and summary.open_share == pytest.approx(0.5)
    assert summarise_tally(counts(silence=2)).open_share is None


def test_nothing_counted_gives_no_strengths():
    """With nothing counted, is there no strength or suggestion, and a prompt to count instead?"""
    summary = summarise_tally(empty_counts())
    assert summary.strengths == () and summary.to_try == ""
    assert "Nothing has been counted yet" in summary.text()


def test_good_round_strengths_and_default_try():
    """Mostly open questions with silence: those are the strengths; with no weak spot, 'And what else?'."""
    summary = summarise_tally(counts(open=6, closed=1, silence=3, playback=2))
    assert len(summary.strengths) == 2
    assert summary.strengths[0].startswith("Half or more of your questions were open: 6 of 7")
    assert "silence 3 times" in summary.strengths[1]
    assert "And what else?" in summary.to_try


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (counts(open=1, leading=3, silence=1), "Turn advice into a question"),
        (counts(open=4, why=2, silence=1, playback=1), 'Reword "why"'),
        (counts(open=1, closed=4, silence=1, playback=1), "Open your questions"),
        (counts(open=3, closed=1, playback=1), "Give silence"),
        (counts(open=3, closed=1, silence=2), "Play back"),
        (counts(open=1), "And what else?"),
        (counts(closed=1, leading=1), "Ask an open question"),
    ],
)
def test_thing_to_try_rules(given, expected):
    """Is the thing to try the first rule that applies, in the documented order?"""
    assert expected in summarise_tally(given).to_try


def test_advice_rule_wins_over_why_rule():
    """When advice and 'why' are both frequent, is advice (first rule) the thing to try?"""
    assert "advice" in summarise_tally(counts(leading=3, why=3)).to_try


@pytest.mark.parametrize("given", [counts(leading=1), counts(leading=4), counts(closed=2), counts(why=1)])
def test_always_two_strengths_once_something_is_counted(given):
    """With only a weak round counted, are there still exactly two strengths, honest fillers where needed?"""
    summary = summarise_tally(given)
    assert len(summary.strengths) == 2 and summary.to_try
    assert "no second strength" in summary.strengths[1]


def test_caveat_is_honest_about_rules_of_thumb():
    """Does the summary say its rules are rules of thumb, and that talk-time ratios have no research base?"""
    assert "rules of thumb, not research findings" in CAVEAT
    assert "80/20" in CAVEAT and "no research" in CAVEAT


def test_negative_counts_are_refused():
    """Is a negative count refused?"""
    with pytest.raises(ValueError):
        summarise_tally(counts(open=-1))


def test_widget_counts_undo_notes_summary_and_chart():
    """Do clicks count, Undo take back, a note show escaped, and Summary show counts, share and a chart?"""
    tally = ObserverTally()
    for key in ("open", "open", "open", "closed", "leading", "silence"):
        tally.buttons[key].click()
    assert tally.buttons["open"].description == "Open question: 3"
    tally.undo_button.click()
    assert tally.model.counts["silence"] == 0 and "Undone: Silence given" in tally.status.value
    tally.note_box.value = XSS
    tally.add_note_button.click()
    assert tally.model.notes == [XSS] and tally.note_box.value == ""
    assert "<img" not in tally.notes_view.value and "&lt;img" in tally.notes_view.value
    tally.summary_button.click()
    assert "3 of 5" in tally.summary_view.value and "60%" in tally.summary_view.value
    assert "Two strengths" in tally.summary_view.value and "One thing to try" in tally.summary_view.value
    assert 'src="data:image/png;base64,' in tally.chart.value and "alt=" in tally.chart.value
    assert tally.save_button.layout.display == "none", "no journal: no save button"


def test_widget_empty_note_gives_a_message():
    """Does an empty note give a message and add nothing?"""
    tally = ObserverTally()
    tally.add_note_button.click()
    assert "empty" in tally.status.value and tally.model.notes == []


def test_save_to_journal():
    """Does Save store a 'tally' entry for lesson 03 with counts, share, notes, strengths and thing to try?"""
    journal = Journal(store=MemoryJournalStore())
    tally = ObserverTally(journal=journal)
    seen = []
    tally.on_submit(seen.append)
    tally.save_button.click()
    assert "Nothing to save yet" in tally.status.value and journal.entries() == []
    tally.buttons["open"].click()
    tally.buttons["playback"].click()
    tally.note_box.value = "You asked: 'What would a 10 look like?' 😀"
    tally.add_note_button.click()
    tally.save_button.click()
    [entry] = journal.entries(kind="tally", lesson="03-role-play")
    data = entry["data"]
    assert (
        data["open_questions"] == 1 and data["paraphrases_or_summaries"] == 1 and data["why_questions"] == 0
    )
    assert data["share_of_open_questions"] == "100% (1 of 1)"
    assert data["note_1"] == "You asked: 'What would a 10 look like?' 😀"
    assert data["strength_1"] and data["strength_2"] and data["one_thing_to_try"]
    assert seen == [entry] and "saved in your journal" in tally.status.value
    with pytest.raises(TypeError):
        tally.on_submit("not a function")
    tally.clear()
    assert tally.model.counts == empty_counts() and tally.model.notes == []
    assert tally.buttons["open"].description == "Open question: 0" and tally.undo_button.disabled

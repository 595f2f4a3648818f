"""The opening-contract self-check: its data is complete and says what the lesson teaches, the model checks
choices, and the widget works headless (check, feedback, score in the journal, start again, broken data)."""

import json

import pytest

from coachkit.interactives import opening_contract
from coachkit.interactives.opening_contract import (
    ContractingDataError,
    OpeningContractCheck,
    OpeningContractModel,
    check_choice,
    opening_situations,
    parse_situations,
)
from coachkit.journal import Journal, MemoryJournalStore
from coachkit.paths import assets_dir


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def best_text(situation) -> str:
    return next(o.text for o in situation.openings if o.letter == situation.best)


def test_three_situations_each_with_one_best_opening_and_feedback_for_every_option():
    """Are there three situations, each with distinct options, one best letter and feedback on each option?"""
    situations = opening_situations()
    assert len(situations) == 3
    for situation in situations:
        assert len(situation.openings) == 3
        assert situation.best in {o.letter for o in situation.openings}
        assert all(o.feedback.strip() for o in situation.openings)
        best = next(o for o in situation.openings if o.letter == situation.best)
        assert best.feedback.startswith("Best."), situation.key


def test_the_best_openings_teach_the_two_hats():
    """Do the best openings say what is fixed and open, what stays private and what you must act on, declare
    a stake, and ask before offering a view?"""
    best = " ".join(best_text(s) for s in opening_situations())
    for idea in ("fixed", "Do you want my view", "stay between us", "I would have to act on it", "stake"):
        assert idea in best, idea
    best_letters = [s.best for s in opening_situations()]
    assert len(set(best_letters)) > 1, "the best answer should not always be the same letter"


def test_check_choice_gives_the_feedback_for_the_option_chosen():
    """Is the chosen option's feedback returned, and is no choice reported as not answered?"""
    situation = opening_situations()[0]
    wrong = next(o for o in situation.openings if o.letter != situation.best)
    result = check_choice(situation, wrong.letter)
    assert not result.correct and result.message == f"{wrong.letter}: {wrong.feedback}"
    assert check_choice(situation, situation.best).correct
    empty = check_choice(situation, "")
    assert not empty.correct and "Not answered yet" in empty.message


def test_model_scores_and_saves_to_the_journal(journal):
    """Does the model count the best choices and save the score as a self-check of lesson 02?"""
    situations = opening_situations()
    model = OpeningContractModel(situations, journal=journal)
    model.check()
    assert journal.entries() == [], "nothing chosen yet: nothing to save"
    for situation in situations:
        model.choose(situation.key, situation.best)
    model.check()
    assert model.right == model.total == 3
    [entry] = journal.entries(kind="selfcheck")
    assert entry["lesson"] == "02-coaching-conversation"
    assert entry["data"] == {"check": "opening-contract", "right": 3, "total": 3}
    with pytest.raises(KeyError):
        model.choose("../../x", "A")


def test_widget_shows_feedback_and_starts_again(journal):
    """Does choosing and checking show a mark and the feedback under each situation, then clear empty it?"""
    check = OpeningContractCheck(journal=journal)
    seen = []
    check.on_check(seen.append)
    situations = opening_situations()
    check.choosers[situations[0].key].value = situations[0].best
    check.check_button.click()
    assert "✓" in check.feedback[situations[0].key].value
    assert "Not answered yet" in check.feedback[situations[1].key].value
    assert "1 of 3" in check.summary.value
    assert len(seen) == 1 and len(seen[0]) == 3
    check.clear()
    assert all(c.value == "" for c in check.choosers.values())
    assert check.summary.value == "" and check.model.choices == {}
    with pytest.raises(TypeError):
        check.on_check("not callable")


def test_situation_text_is_escaped(monkeypatch):
    """Is the text of a situation and its openings shown as text, not HTML?"""
    raw = json.loads((assets_dir() / "opening-contracts.json").read_text(encoding="utf-8"))
    raw["situations"][0]["situation"] = "<script>alert(1)</script>"
    raw["situations"][0]["options"][0]["text"] = "<b>bold</b>"
    monkeypatch.setattr(opening_contract, "opening_situations", lambda: parse_situations(raw))
    check = OpeningContractCheck()
    page = "".join(child.value for child in check.children[2].children[:1])
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;bold" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(situations=[]), "must hold a list"),
        (lambda d: d["situations"][0].pop("best"), "situation 1 needs a key"),
        (lambda d: d["situations"][1].update(best="Z"), "situation 2: the best letter 'Z'"),
        (lambda d: d["situations"][0]["options"][1].update(letter="A"), "different letters"),
        (lambda d: d["situations"][2]["options"][0].pop("feedback"), "every option needs"),
        (lambda d: d["situations"][1].update(key=d["situations"][0]["key"]), "share a key"),
    ],
)
def test_broken_data_is_refused_clearly(change, message):
    """Is a broken data file refused with a message naming the situation and what is wrong?"""
    raw = json.loads((assets_dir() / "opening-contracts.json").read_text(encoding="utf-8"))
    change(raw)
    with pytest.raises(ContractingDataError, match=message):
        parse_situations(raw)


def test_unreadable_data_file_shows_a_message(monkeypatch, tmp_path):
    """When the data file cannot be read, does the widget say so and disable checking instead of raising?"""
    (tmp_path / "opening-contracts.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(opening_contract, "assets_dir", lambda: tmp_path)
    opening_contract.opening_situations.cache_clear()
    try:
        check = OpeningContractCheck()
        assert "could not load" in check.message.value and check.check_button.disabled
    finally:
        opening_contract.opening_situations.cache_clear()

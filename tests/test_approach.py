"""The approach advisor: Landsberg's quadrants, crisis, stakes, the reasons given, and the widget."""

import itertools

import pytest

from coachkit.approach import ApproachAdvisor, Suggestion, suggest_approach
from coachkit.journal import Journal, MemoryJournalStore

LEVELS = range(1, 6)


@pytest.mark.parametrize(
    "skill, will, approach",
    [
        (1, 1, "Direct"),
        (2, 5, "Guide"),
        (5, 1, "Excite"),
        (5, 5, "Delegate"),
        (4, 4, "Delegate"),
        (2, 2, "Direct"),
    ],
)
def test_quadrants_follow_skill_and_will(skill, will, approach):
    """With no rush and little at stake, do skill and will pick Landsberg's quadrant?"""
    assert suggest_approach(skill, will, urgency=2, stakes=2).approach == approach


def test_a_crisis_means_tell_now_and_coach_later():
    """Does an emergency, or urgent high-stakes work for a learner, mean telling now, citing Goleman?"""
    for skill, will, stakes in itertools.product(LEVELS, LEVELS, LEVELS):
        assert suggest_approach(skill, will, 5, stakes).approach == "Tell now, coach later"
    assert (
        suggest_approach(5, 5, 4, 4).approach == "Tell now, coach later"
    )  # even an expert, minutes from a mistake
    crisis = suggest_approach(2, 4, 4, 5)
    assert crisis.approach == "Tell now, coach later"
    assert "Goleman" in crisis.why and "Evidence:" in crisis.why
    assert "debrief" in crisis.watch_out


def test_middle_values_lean_to_more_support_and_say_so():
    """Does a middling skill or will lean to the more supportive quadrant and say it is in between?"""
    middle = suggest_approach(3, 5, 2, 2)
    assert middle.approach == "Guide"
    assert "between two quadrants" in middle.why
    assert suggest_approach(5, 3, 2, 2).approach == "Excite"


def test_every_suggestion_names_its_source_and_evidence_strength():
    """Does every combination give a full suggestion that names its source and how strong the evidence is?"""
    for values in itertools.product(LEVELS, repeat=4):
        suggestion = suggest_approach(*values)
        assert isinstance(suggestion, Suggestion)
        assert suggestion.approach and suggestion.watch_out and suggestion.spectrum
        assert "Evidence:" in suggestion.why
        assert ("Landsberg" in suggestion.why) or ("Goleman" in suggestion.why)


def test_very_low_will_mentions_the_wake_up_call():
    """Is Whitmore's wake-up call mentioned when will is very low?"""
    assert "wake-up call" in suggest_approach(2, 1, 2, 2).why


def test_high_stakes_on_a_learner_add_checkpoints():
    """Does a learner on a high-stakes task get checkpoints in the reasoning?"""
    assert "checkpoints" in suggest_approach(2, 5, 2, 5).why


@pytest.mark.parametrize("bad", [0, 6, 2.5, "3", None, True])
def test_bad_levels_raise_clear_errors(bad):
    """Is a level outside 1..5 (or not a whole number) refused with a message naming the judgement?"""
    with pytest.raises(ValueError, match="skill must be a whole number from 1"):
        suggest_approach(bad, 3, 3, 3)
    with pytest.raises(ValueError, match="stakes"):
        suggest_approach(3, 3, 3, bad)


def test_advisor_updates_when_a_slider_moves():
    """Does moving the urgency slider to 5 change the suggestion shown?"""
    advisor = ApproachAdvisor()
    assert "Guide" in advisor.result.value
    advisor.sliders["urgency"].value = 5
    assert advisor.suggestion.approach == "Tell now, coach later"
    assert "Tell now, coach later" in advisor.result.value
    assert all(slider.description for slider in advisor.sliders.values())


def test_advisor_without_journal_has_no_save_button():
    """Is there no save button when no journal is given (nothing to save to)?"""
    advisor = ApproachAdvisor()
    assert advisor.save_button not in advisor.children


def test_advisor_saves_to_the_journal_as_approach():
    """Does Save store the judgements, the approach and the situation (as text) as an 'approach' entry?"""
    journal = Journal(store=MemoryJournalStore())
    advisor = ApproachAdvisor(journal=journal)
    saved = []
    advisor.on_submit(saved.append)
    advisor.sliders["skill"].value = 5
    advisor.sliders["will"].value = 1
    advisor.situation.value = "Marta <b>misses</b> deadlines"
    advisor.save_button.click()
    [entry] = journal.entries(kind="approach")
    assert entry["lesson"] == "01-coaching-or-telling"
    assert entry["data"]["approach"] == "Excite"
    assert entry["data"]["situation"] == "Marta <b>misses</b> deadlines"
    assert entry["data"]["skill"] == 5 and entry["data"]["will"] == 1
    assert saved == [entry]
    assert "Saved" in advisor.status.value


def test_advisor_refuses_a_huge_situation_and_keeps_it():
    """Is a too-long situation refused with a message, nothing saved and the text kept?"""
    journal = Journal(store=MemoryJournalStore())
    advisor = ApproachAdvisor(journal=journal)
    advisor.situation.value = "x" * 600
    advisor.save_button.click()
    assert journal.entries() == []
    assert "too long" in advisor.status.value
    assert advisor.situation.value == "x" * 600


def test_advisor_agrees_with_the_coach_or_tell_answer_key():
    """Does the advisor give the approach the exercise "Coach or tell?" expects for each of its situations?"""
    answerkeys = pytest.importorskip("coachkit.answerkeys")
    import re

    letter_for = {"Direct": "A", "Tell now, coach later": "A", "Guide": "B", "Excite": "C", "Delegate": "D"}
    levels = {"skill": {"low": 2, "high": 4}, "will": {"low": 2, "high": 4}, "urgency": {"low": 2, "high": 5}}
    for text, key, _why in answerkeys.A03_SITUATIONS:
        found = dict(re.findall(r"(skill|will|urgency): (low|high)", text))
        values = {name: levels[name][found[name]] for name in levels}
        suggestion = suggest_approach(values["skill"], values["will"], values["urgency"], stakes=3)
        assert letter_for[suggestion.approach] == key, (text, suggestion.approach)

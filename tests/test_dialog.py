"""Talk shares and turn-taking: the measure's properties, bad input, and the explorer widget."""

import pytest

from coachkit.simulations.talk_share import (
    MANAGER,
    PARTICIPANTS,
    TalkShareExplorer,
    reading,
    talk_shares,
    turns_from_totals,
)


def test_equal_talk_is_perfectly_even():
    """Do four people with the same turns and words give evenness 1 and equal shares?"""
    turns = [(p, 50) for p in "ABCD"] * 3
    result = talk_shares(turns)
    assert result["talk_evenness"] == pytest.approx(1.0)
    assert result["turn_evenness"] == pytest.approx(1.0)
    assert all(share == pytest.approx(0.25) for share in result["talk_share"].values())


def test_one_voice_is_perfectly_uneven():
    """Does one person doing all the talking, with others present but silent, give evenness 0?"""
    result = talk_shares([("Boss", 100), ("Boss", 80)], people=["Boss", "Ana", "Ben"])
    assert result["talk_evenness"] == pytest.approx(0.0)
    assert result["silent"] == ["Ana", "Ben"]
    assert result["top_talker"] == "Boss"


def test_text_turns_count_words_and_shares_add_up():
    """Are words counted from text, and do the shares add up to 1?"""
    result = talk_shares([("Ana", "What else could we try?"), ("Ben", "A rota."), ("Ana", "Say more.")])
    assert result["talk"] == {"Ana": 7, "Ben": 2}
    assert result["turns"] == {"Ana": 2, "Ben": 1}
    assert sum(result["talk_share"].values()) == pytest.approx(1.0)
    assert sum(result["turn_share"].values()) == pytest.approx(1.0)


def test_evenness_falls_as_one_person_takes_over():
    """Does evenness fall steadily as one person's share of the talk grows?"""
    values = [talk_shares([("A", a), ("B", 10), ("C", 10)])["talk_evenness"] for a in (10, 20, 40, 80, 160)]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize(
    "turns, message",
    [
        ([("Ana",)], "pair"),
        ([("", 3)], "speaker"),
        ([("Ana", -1)], "negative"),
        ([("Ana", float("nan"))], "text or a number"),
        ([("Ana", None)], "text or a number"),
    ],
)
def test_bad_turns_raise_clear_errors(turns, message):
    """Is a malformed turn refused with a message saying what is wrong?"""
    with pytest.raises(ValueError, match=message):
        talk_shares(turns)


def test_a_speaker_not_present_is_refused():
    """Is a turn by someone not in the list of people refused?"""
    with pytest.raises(ValueError, match="not in the list"):
        talk_shares([("Zoe", 3)], people=["Ana"])


def test_no_talk_gives_zero_shares_and_a_reading():
    """Does a meeting with no talk give zero shares and a reading that says so, not an error?"""
    result = talk_shares([], people=["Ana", "Ben"])
    assert result["talk_share"] == {"Ana": 0.0, "Ben": 0.0}
    assert "Nobody talked" in reading(result)


def test_turns_from_totals_keeps_the_minutes():
    """Do turns made from totals add up to each person's minutes and number of turns?"""
    turns = turns_from_totals({"Ana": 10, "Ben": 0}, {"Ana": 4, "Ben": 0})
    assert len(turns) == 4 and sum(amount for _, amount in turns) == pytest.approx(10)
    with pytest.raises(ValueError, match="at least one turn"):
        turns_from_totals({"Ana": 5}, {"Ana": 0})


def test_explorer_reads_the_first_example_and_draws_a_chart():
    """Does the explorer open on an example, say the manager talks most, and show a chart with alt text?"""
    explorer = TalkShareExplorer()
    assert explorer.result["top_talker"] == MANAGER
    assert "You did the most talking" in explorer.summary.value
    assert "Chloe" in explorer.summary.value  # silent in the first example
    assert "<img" in explorer.chart.value and 'alt="Bar chart' in explorer.chart.value
    assert "rule of thumb" in explorer.evidence.value and "Duhigg" in explorer.evidence.value


def test_explorer_follows_the_sliders():
    """Does moving sliders change the model: everyone equal gives a very even reading?"""
    explorer = TalkShareExplorer()
    for person in PARTICIPANTS:
        explorer.minutes[person].value = 10
        explorer.turns[person].value = 5
    assert explorer.result["talk_evenness"] == pytest.approx(1.0)
    assert "very even" in explorer.summary.value


def test_explorer_minutes_without_turns_do_not_break_it():
    """Do minutes with zero turns count as one turn instead of showing an error?"""
    explorer = TalkShareExplorer()
    explorer.turns["Chloe"].value = 0
    explorer.minutes["Chloe"].value = 5
    assert explorer.result["turns"]["Chloe"] == 1
    assert "went wrong" not in explorer.summary.value


def test_explorer_examples_and_clear():
    """Does choosing another example reload the sliders, and clear() go back to the first one?"""
    explorer = TalkShareExplorer()
    explorer.example.value = "Round the table, you speak last"
    assert explorer.result["talk_evenness"] > 0.95
    explorer.clear()
    assert explorer.result["top_talker"] == MANAGER
    with pytest.raises(ValueError, match="Unknown example"):
        TalkShareExplorer(example="nope")


def test_a_lopsided_meeting_is_never_called_fairly_even():
    """Is a 46% / 2% talk share called uneven, however even the entropy makes the rest look (issue 18)?"""
    people = list(PARTICIPANTS)[:5] if len(PARTICIPANTS) >= 5 else [MANAGER, "A", "B", "C", "D"]
    minutes = dict(zip(people, (23, 12, 8, 6, 1), strict=True))  # 46%, 24%, 16%, 12%, 2%
    result = talk_shares(turns_from_totals(minutes, dict.fromkeys(people, 3)), people)
    text = reading(result)
    assert "46%" in text and "2%" in text
    assert "Talk is fairly even" not in text and "Talk is very even" not in text
    assert "Talk is very uneven" in text


def test_an_even_meeting_still_reads_even():
    """Does a round of the table with near-equal shares still read as even?"""
    people = [MANAGER, "A", "B", "C", "D"]
    minutes = dict(zip(people, (8, 9, 8, 7, 8), strict=True))
    result = talk_shares(turns_from_totals(minutes, dict.fromkeys(people, 5)), people)
    assert "Talk is very even" in reading(result)

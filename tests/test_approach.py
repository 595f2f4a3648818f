"""The approach advisor: is it a coaching moment at all, one approach from skill and will, its labelled
situations matched in full, a03's key drawn from them, lesson 01 saying the same, and the widget."""

import itertools
import json
import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from coachkit.classifiers import approach_rules as rules
from coachkit.classifiers.approach_rules import APPROACHES, COACH, CRISIS, DELEGATE, GUIDE, TELL
from coachkit.interactives.approach_advisor import (
    ApproachAdvisor,
    ApproachChoice,
    Suggestion,
    suggest_approach,
)
from coachkit.journal import Journal, MemoryJournalStore

REPO = Path(__file__).resolve().parent.parent
LESSON = REPO / "lessons" / "01-coaching-or-telling.ipynb"
A03 = "a03-coach-or-tell"
LEVELS = range(1, 6)
SITUATIONS = rules.labelled_situations()
CASES = rules.case_ids()


def lesson_markdown() -> str:
    nb = nbformat.read(LESSON, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def flat(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def approaches_named(suggestion: Suggestion) -> set[str]:
    """The approaches a suggestion's texts name (capitalised, as names), its own included."""
    named = set()
    for text in suggestion.texts():
        if CRISIS in text:
            named.add(CRISIS)
            text = text.replace(CRISIS, "")
        named |= {name for name in (TELL, GUIDE, COACH, DELEGATE) if re.search(rf"\b{name}\b", text)}
    return named


KEEP_IT = ("keep the decision", "keep the final decision", "decide it yourself")
LET_THEM = ("let them decide", "let them choose", "theirs to decide")


# ----------------------------------------------------------------------------------------------------------
# The labelled situations


def test_the_advisor_matches_every_labelled_situation():
    """Does the advisor give the labelled outcome for every situation in assets/approach/situations.json?"""
    matches, total, wrong = rules.agreement()
    report = "\n".join(f"{s.id}: expected {s.expected}, got {got.outcome} {got.also}" for s, got in wrong)
    assert matches == total, f"{matches} of {total} agree:\n{report}"


def test_the_labelled_set_is_large_and_covers_every_case():
    """At least 64 situations, 18 not coaching moments, every case several times, ticked and found?"""
    assert len(SITUATIONS) >= 64
    assert len({s.id for s in SITUATIONS}) == len(SITUATIONS)
    counts = Counter(s.expected for s in SITUATIONS)
    assert set(counts) == set(APPROACHES) | set(CASES)
    assert sum(counts[case] for case in CASES) >= 18
    for case in CASES:
        assert counts[case] >= 4, case
    ticked = {s.expected for s in SITUATIONS if s.expected in s.flags}
    found_only = {s.expected for s in SITUATIONS if s.expected in CASES and not s.flags}
    assert ticked == found_only == set(CASES)
    for s in SITUATIONS:
        assert s.reason.strip() and s.description.strip(), s.id
        assert set(s.flags) <= set(CASES), s.id


@pytest.mark.parametrize(
    "situation_id, outcome",
    [
        ("maya-tearful", "wellbeing"),  # tearful and not sleeping: once "Excite"
        (
            "nina-sexist-remark",
            "misconduct",
        ),  # a colleague's sexist remark: once "Direct... keep the decision"
        ("nadia-bid-three-days", COACH),  # skilled, bid in three days, wants to think: once "a crisis"
        ("typo-before-meeting", TELL),  # a typo before a meeting: once "a crisis"
        ("priya-rota-middling", TELL),  # middling skill and will: once two contradictory instructions
    ],
)
def test_the_cases_the_old_advisor_got_wrong(situation_id, outcome):
    """Do the five cases the issue reported come out right, with no crisis where there is none?"""
    situation = rules.labelled_situation(situation_id)
    got = situation.suggestion()
    assert got.outcome == outcome
    words = flat(" ".join(got.texts())).lower()
    assert "crisis, not a coaching moment" not in words
    if outcome != CRISIS:
        assert "real crisis" not in words or "not a crisis" in words
    assert not (any(k in words for k in KEEP_IT) and any(k in words for k in LET_THEM))


def test_the_red_flag_words_are_data_not_code():
    """Are the red-flag words kept in assets/approach/not-coaching.json, not in the package's code?"""
    source = (REPO / "coachkit" / "classifiers" / "approach_rules.py").read_text(encoding="utf-8")
    source += (REPO / "coachkit" / "interactives" / "approach_advisor.py").read_text(encoding="utf-8")
    document = json.loads((REPO / "assets" / "approach" / "not-coaching.json").read_text(encoding="utf-8"))
    for word in ("tearful", "not sleeping", "harass", "sexist", "bully", "grievance", "unsafe", "fraud"):
        assert word not in source.lower(), word
        assert any(word in flag for case in document["categories"] for flag in case["red_flags"]), word


# ----------------------------------------------------------------------------------------------------------
# Skill, will, urgency and stakes


@pytest.mark.parametrize("wants_to_think", [False, True])
def test_every_combination_gives_one_approach_and_one_instruction(wants_to_think):
    """For all 5^4 judgements: one approach from the set, named alone, never 'keep it' and 'let them' both?"""
    seen = set()
    for skill, will, urgency, stakes in itertools.product(LEVELS, repeat=4):
        got = suggest_approach(skill, will, urgency, stakes, wants_to_think=wants_to_think)
        where = (skill, will, urgency, stakes, wants_to_think, got.approach)
        assert got.approach in APPROACHES and got.coaching_moment, where
        assert approaches_named(got) == {got.approach}, (where, approaches_named(got))
        words = flat(" ".join(got.texts())).lower()
        assert not (any(k in words for k in KEEP_IT) and any(k in words for k in LET_THEM)), where
        assert "Evidence:" in got.why and got.do and got.watch_out and got.spectrum and got.say, where
        assert (got.approach == CRISIS) == (urgency == 5 and stakes >= 4), where
        seen.add(got.approach)
    # a skilled, willing person who brings it to you is coached, so Delegate needs wants_to_think False
    assert seen == set(APPROACHES) - ({DELEGATE} if wants_to_think else set())


@pytest.mark.parametrize(
    "skill, will, approach",
    [(1, 1, TELL), (2, 5, GUIDE), (5, 1, COACH), (5, 5, DELEGATE), (4, 4, DELEGATE), (2, 2, TELL)],
)
def test_landsbergs_quadrants_map_onto_the_set(skill, will, approach):
    """With no rush and little at stake, does each quadrant give its approach (Excite is Coach)?"""
    got = suggest_approach(skill, will, urgency=2, stakes=2)
    assert got.approach == approach
    assert "Landsberg" in got.why


def test_a_skilled_person_who_wants_to_think_it_through_is_coached():
    """Is high skill and will Coach, not Delegate, when they bring it to you to think it through?"""
    assert suggest_approach(5, 5, 2, 3).approach == DELEGATE
    assert suggest_approach(5, 5, 2, 3, wants_to_think=True).approach == COACH
    assert suggest_approach(2, 5, 2, 3, wants_to_think=True).approach == GUIDE  # show first, then ask


def test_middling_judgements_count_as_the_lower_band_and_say_so():
    """Does a middling skill or will give the more supportive approach, say why, and only one?"""
    assert suggest_approach(3, 5, 2, 2).approach == GUIDE
    assert suggest_approach(5, 3, 2, 2).approach == COACH
    middle = suggest_approach(3, 3, 2, 2)
    assert middle.approach == TELL and "middling judgement counts as the lower band" in middle.why


def test_only_a_real_crisis_is_tell_now_coach_later():
    """Is a crisis the top of urgency with high stakes, citing Goleman's advice with the right label?"""
    crisis = suggest_approach(2, 4, 5, 5)
    assert crisis.approach == CRISIS
    assert "Goleman" in crisis.why and "survey correlation" in crisis.why and "advice" in crisis.why
    assert "not a finding" in crisis.why and "debrief" in crisis.watch_out
    assert suggest_approach(5, 5, 4, 5).approach == DELEGATE  # days away, not hours
    assert suggest_approach(5, 5, 5, 1).approach == TELL  # urgent but trivial
    assert "not a crisis" in suggest_approach(5, 5, 5, 1).why


def test_gartner_is_worded_as_a_correlation():
    """Does the package say 'always-on' coaching went with lower performance, not that it lowered it?"""
    source = (REPO / "coachkit" / "classifiers" / "approach_rules.py").read_text(encoding="utf-8")
    source += (REPO / "coachkit" / "interactives" / "approach_advisor.py").read_text(encoding="utf-8")
    assert "lowered their teams' performance" not in source
    assert "went with lower" in flat(rules.WATCH_OUT[DELEGATE])


def test_very_low_will_mentions_the_wake_up_call():
    """Is Whitmore's wake-up call mentioned when will is very low?"""
    assert "wake-up call" in suggest_approach(2, 1, 2, 2).why
    assert "wake-up call" in suggest_approach(5, 1, 2, 2).why


@pytest.mark.parametrize("bad", [0, 6, 2.5, "3", None, True])
def test_bad_levels_raise_clear_errors(bad):
    """Is a level outside 1..5 (or not a whole number) refused with a message naming the judgement?"""
    with pytest.raises(ValueError, match="skill must be a whole number from 1"):
        suggest_approach(bad, 3, 3, 3)
    with pytest.raises(ValueError, match="stakes"):
        suggest_approach(3, 3, 3, bad)


def test_unknown_flags_are_refused():
    """Is a flag the advisor does not know a clear error, in the function and the model?"""
    with pytest.raises(ValueError, match="unknown flags"):
        suggest_approach(3, 3, 3, 3, flags=["tired"])
    with pytest.raises(Exception, match="unknown flags"):
        ApproachChoice(flags={"tired"})


# ----------------------------------------------------------------------------------------------------------
# Not a coaching moment


@pytest.mark.parametrize("case", CASES)
def test_each_case_overrides_every_slider_setting(case):
    """Whatever the sliders say, does a ticked case give what to do instead, who to involve, what to say?"""
    for skill, will, urgency, stakes in itertools.product((1, 3, 5), repeat=4):
        got = suggest_approach(skill, will, urgency, stakes, flags=[case], wants_to_think=True)
        assert got.category == case and not got.coaching_moment
        assert got.approach not in APPROACHES and approaches_named(got) == set()
        assert got.do and got.involve and 1 <= len(got.say) <= 2
        assert "Evidence: practitioner's rule of thumb" in got.why and "not a study" in got.why


@pytest.mark.parametrize("case", ["wellbeing", "misconduct"])
def test_wellbeing_and_misconduct_never_give_a_coaching_approach(case):
    """Do distress and misconduct, ticked with any other case, never lead to coaching or Landsberg?"""
    others = [c for c in CASES if c != case]
    for extra in itertools.chain([()], ((c,) for c in others)):
        got = suggest_approach(5, 1, 2, 2, flags=[case, *extra])
        words = " ".join(got.texts())
        assert not got.coaching_moment and got.category in (case, "safety", "wellbeing")
        assert "Landsberg" not in words and "Excite" not in words
        assert got.category == case or case in got.also


def test_who_to_involve_names_the_right_people():
    """Does each case name the people coaching-facts.md section 9 names?"""
    involve = {case: rules.not_coaching_case(case).involve for case in CASES}
    assert "HR" in involve["misconduct"]
    assert "occupational health" in involve["wellbeing"].lower()
    assert "employee assistance programme" in involve["wellbeing"]
    assert "emergency services" in involve["wellbeing"] and "emergency services" in involve["safety"]
    assert "HR" in involve["formal"] and "process" in involve["formal"]
    assert "just answer" in rules.not_coaching_case("fact").outcome.lower()
    assert "ask one question" in rules.not_coaching_case("fact").instead


def test_a_red_flag_in_the_description_is_named_when_its_box_is_not_ticked():
    """Does 'not sleeping' in the text, box unticked, say so with the same guidance as the box?"""
    found = suggest_approach(5, 1, 2, 2, situation="Maya is quiet and not sleeping well")
    ticked = suggest_approach(5, 1, 2, 2, flags=["wellbeing"])
    assert found.category == ticked.category == "wellbeing"
    assert "Your description mentions 'not sleeping': if so, this is not a coaching moment." in found.why
    assert (found.do, found.involve, found.say) == (ticked.do, ticked.involve, ticked.say)
    both = suggest_approach(5, 1, 2, 2, flags=["wellbeing"], situation="not sleeping")
    assert both.mentions == () and "Your description mentions" not in both.why


@pytest.mark.parametrize(
    "text, case",
    [
        ("She was TEARFUL in the meeting", "wellbeing"),
        ("he can\u2019t cope", "wellbeing"),
        ("talk of self-harm", "wellbeing"),
        ("he says he was harassed", "misconduct"),
        ("a racist remark", "misconduct"),
        ("discrimination over her age", "misconduct"),
        ("the shift lead is bullying him", "misconduct"),
        ("on a performance improvement plan", "formal"),
        ("his grievance about shifts", "formal"),
        ("an unsafe forklift route", "safety"),
        ("she was injured lifting boxes", "safety"),
        ("possible fraud in expenses", "misconduct"),
    ],
)
def test_red_flags_are_found_in_many_forms(text, case):
    """Are red flags found whatever their case, apostrophe or ending?"""
    assert case in dict(rules.red_flags_in(text))


@pytest.mark.parametrize(
    "text",
    [
        "Priya wants to harness the team's energy for the launch",
        "The cost breakdown for the bid is late",
        "She was dismissive of the idea in the review",
        "He accidentally deleted the file and wants to rebuild it",
        "",
    ],
)
def test_ordinary_words_are_not_red_flags(text):
    """Do near misses (harness, breakdown, dismissive, accidentally) stay clear of the red flags?"""
    assert rules.red_flags_in(text) == []


# ----------------------------------------------------------------------------------------------------------
# a03 draws from the set, and the key agrees with the advisor


def test_a03_key_agrees_with_the_advisor():
    """Do a03's approach and sort keys give what the advisor gives for the same labelled situations?"""
    from coachkit.grading import answer_keys

    assignment = answer_keys.ASSIGNMENTS[A03]
    letters = answer_keys.APPROACH_LETTERS
    assert set(letters) == set(APPROACHES)
    for letter_name, (letter, text) in zip(letters.items(), answer_keys.APPROACHES, strict=True):
        assert letter_name[1] == letter and text.startswith(letter_name[0] + ":")
    items = assignment.task("approach").items
    assert len(items) == len(answer_keys.A03_SITUATION_IDS) == 6
    for item, situation_id in zip(items, answer_keys.A03_SITUATION_IDS, strict=True):
        situation = rules.labelled_situation(situation_id)
        assert situation.coaching_moment
        assert item.answer == letters[situation.suggestion().approach], situation_id
        assert item.prompt.startswith(situation.description)
    sort = assignment.task("sort").items
    assert 8 <= len(sort) == len(answer_keys.A03_SORT_IDS) <= 10
    for item, situation_id in zip(sort, answer_keys.A03_SORT_IDS, strict=True):
        got = rules.labelled_situation(situation_id).suggestion()
        assert got.approach == COACH or not got.coaching_moment, situation_id
        assert item.answer == ("A" if got.coaching_moment else "B"), situation_id
    assert {item.answer for item in sort} == {"A", "B"}


def test_a03_notebook_shows_the_keys_situations_and_options():
    """Does the a03 notebook list every situation and option exactly as the key has them?"""
    from coachkit.grading import answer_keys

    for folder in ("solutions", "exercises"):
        nb = nbformat.read(REPO / folder / A03 / f"{A03}.ipynb", as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for task in answer_keys.ASSIGNMENTS[A03].tasks:
            for item in task.items:
                assert f"`{item.name}`: {item.prompt}" in text, (folder, item.name)
                for letter, option in item.options:
                    assert f"**{letter}** - {option}" in text, (folder, letter)
        assert "finding" not in text or "not a finding" in text


def test_the_self_check_sorts_with_the_same_key():
    """Does the a03 self-check include the sort and score it with the key?"""
    from coachkit.grading.answer_keys import A03_SORT
    from coachkit.interactives.self_check import SelfCheckModel

    model = SelfCheckModel(A03)
    for i, (_text, key, _why) in enumerate(A03_SORT, start=1):
        model.answer(f"sort_{i}", key)
    model.check()
    assert model.right == len(A03_SORT)


# ----------------------------------------------------------------------------------------------------------
# Lesson 01 and the docs say the same


def test_lesson_teaches_when_coaching_is_the_wrong_tool_before_the_practice():
    """Has lesson 01 the section with the five cases, the advisor's own sentences, before the practice?"""
    text = lesson_markdown()
    wrong = text.index("## When coaching is the wrong tool")
    assert wrong < text.index("## Practice")
    section = text[wrong : text.index("## Practice")]
    for heading in (
        "### A safety or legal risk",
        "### A report of harassment, discrimination or other misconduct",
        "### A person in distress or not coping",
        "### A formal performance or disciplinary process",
        "### Someone who just needs a fact",
    ):
        assert heading in section, heading
    for label in ("How you recognise it.", "What to do instead.", "Who to bring in.", "What you could say."):
        assert section.count(label) == 5, label
    assert "**Evidence: practitioner's rule of thumb.**" in section and "not from a study" in section
    for case in rules.not_coaching_cases():
        for sentence in case.say:
            assert flat(sentence) in flat(section), sentence


def test_lesson_uses_the_one_set_of_approaches():
    """Do lesson 01's table, prose and journal prompt use the five approaches and map Landsberg onto them?"""
    nb = nbformat.read(LESSON, as_version=4)
    text = lesson_markdown()
    for name in APPROACHES:
        assert f"| **{name}** |" in text, name
    for quadrant in ("*Direct*", "*Guide*", "*Excite*", "*Delegate*"):
        assert quadrant in text
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "tell, guide, coach or delegate" in code and "coaching moment at all" in code
    assert "ApproachAdvisor(" in code and 'SelfCheck("a03-coach-or-tell"' in code


def test_lesson_states_the_advisors_agreement_and_its_limits():
    """Does the lesson say, beside the advisor, how many labelled situations it matches, and its limits?"""
    text = flat(lesson_markdown())
    matches, total, _ = rules.agreement()
    assert f"agrees with all {total} situations in its labelled set" in text and matches == total
    assert "cannot see tone, history or what the person has not told you" in text
    docs = REPO / "docs" / "interactives-accuracy.md"
    assert f"all {total} situations" in flat(docs.read_text(encoding="utf-8"))


def test_lesson_fixes_names_and_evidence_labels():
    """Bob Thomson, Goleman's crisis advice labelled as advice, Gartner as a correlation?"""
    text = flat(lesson_markdown())
    assert "Graham Thomson" not in text and "Bob Thomson" in text
    assert "Don't Just Do Something, Sit There" in text and "School of Coaching" in text
    assert "is his advice, not a finding" in text
    assert "study of leadership styles (2000) found" not in text


# ----------------------------------------------------------------------------------------------------------
# The widget


def test_advisor_asks_first_and_updates_when_a_box_is_ticked():
    """Are the five questions plain checkboxes before the sliders, and does ticking one change the answer?"""
    advisor = ApproachAdvisor()
    order = list(advisor.children)
    assert all(
        order.index(box) < order.index(advisor.sliders["skill"]) for box in advisor.checkboxes.values()
    )
    assert [box.description for box in advisor.checkboxes.values()] == [
        c.checkbox for c in rules.not_coaching_cases()
    ]
    assert advisor.suggestion.approach == GUIDE and "Suggested approach: Guide" in advisor.result.value
    advisor.checkboxes["wellbeing"].value = True
    assert advisor.suggestion.category == "wellbeing"
    assert "employee assistance programme" in advisor.result.value
    assert "Suggested approach" not in advisor.result.value
    advisor.checkboxes["wellbeing"].value = False
    advisor.sliders["urgency"].value = 5
    advisor.sliders["stakes"].value = 5
    assert advisor.suggestion.approach == CRISIS and CRISIS in advisor.result.value


def test_advisor_reads_the_situation_for_red_flags():
    """Does a description with 'harassing' in it switch to the misconduct guidance and say why?"""
    advisor = ApproachAdvisor()
    advisor.situation.value = "Zoe says a colleague keeps harassing her with messages"
    assert advisor.suggestion.category == "misconduct"
    assert "Your description mentions &#x27;harassing&#x27;" in advisor.result.value or (
        "Your description mentions 'harassing'" in advisor.result.value
    )


def test_advisor_widgets_are_usable():
    """A 4-row situation box, labelled sliders and boxes, a primary Save button?"""
    advisor = ApproachAdvisor(journal=Journal(store=MemoryJournalStore()))
    assert advisor.situation.rows == 4
    assert advisor.save_button.button_style == "primary"
    assert all(slider.description for slider in advisor.sliders.values())
    assert advisor.wants_to_think.description


def test_advisor_without_journal_has_no_save_button():
    """Is there no save button when no journal is given (nothing to save to)?"""
    advisor = ApproachAdvisor()
    assert advisor.save_button not in advisor.children
    assert advisor.model.save() is None and advisor.model.ok is False


def test_advisor_saves_the_flags_and_the_outcome():
    """Does Save store the situation as text, the boxes ticked, the words found and the outcome?"""
    journal = Journal(store=MemoryJournalStore())
    advisor = ApproachAdvisor(journal=journal)
    saved = []
    advisor.on_submit(saved.append)
    advisor.sliders["skill"].value = 5
    advisor.sliders["will"].value = 1
    advisor.checkboxes["misconduct"].value = True
    advisor.situation.value = "Marta <b>is tearful</b>"
    advisor.save_button.click()
    [entry] = journal.entries(kind="approach")
    data = entry["data"]
    assert entry["lesson"] == "01-coaching-or-telling"
    assert data["situation"] == "Marta <b>is tearful</b>"
    assert data["not_a_coaching_moment"] == [rules.not_coaching_case("misconduct").checkbox]
    assert data["found_in_description"] == ["tearful (wellbeing)"]
    assert data["outcome"] == rules.not_coaching_case("wellbeing").outcome
    assert data["skill"] == 5 and data["will"] == 1
    assert saved == [entry]
    assert "Saved to your journal" in advisor.status.value


def test_advisor_saves_an_approach_too():
    """With no box ticked, is the approach the outcome saved?"""
    journal = Journal(store=MemoryJournalStore())
    advisor = ApproachAdvisor(journal=journal)
    advisor.sliders["skill"].value = 5
    advisor.sliders["will"].value = 5
    advisor.wants_to_think.value = True
    advisor.save_button.click()
    [entry] = journal.entries(kind="approach")
    assert entry["data"]["outcome"] == COACH and entry["data"]["not_a_coaching_moment"] == []
    assert entry["data"]["brought_to_think_it_through"] is True


def test_save_says_saved_only_once_the_browser_confirms():
    """Does the advisor say 'Saving...' until a browser-kept journal confirms, and 'Saved' only then?"""
    from coachkit.journal import BrowserJournalStore

    journal = Journal(store=BrowserJournalStore())
    advisor = ApproachAdvisor(journal)
    advisor.save_button.click()
    assert "Saving to your journal" in advisor.status.value and "Saved" not in advisor.status.value
    [entry] = journal.entries(kind="approach")
    journal.store._on_browser_message(
        None, {"op": "document", "text": json.dumps({"schema": 1, "entries": [entry]})}
    )
    assert "Saved to your journal" in advisor.status.value and "data-ck-saved" in advisor.status.value


def test_advisor_refuses_a_huge_situation_and_keeps_it():
    """Is a too-long situation refused with a message, nothing saved and the text kept?"""
    journal = Journal(store=MemoryJournalStore())
    advisor = ApproachAdvisor(journal=journal)
    advisor.situation.value = "x" * 600
    advisor.save_button.click()
    assert journal.entries() == []
    assert "too long" in advisor.status.value
    assert advisor.situation.value == "x" * 600


def test_clear_unticks_and_empties():
    """Does clear() empty the description and untick every box?"""
    advisor = ApproachAdvisor()
    advisor.situation.value = "not sleeping"
    advisor.checkboxes["fact"].value = True
    advisor.clear()
    assert advisor.situation.value == "" and advisor.model.flags == set()
    assert advisor.suggestion.coaching_moment


def test_on_submit_rejects_non_callables():
    """Does on_submit refuse something that is not a function?"""
    with pytest.raises(TypeError):
        ApproachAdvisor().on_submit("not a function")

"""The evidence-label self-check in lesson 06: every claim keyed, feedback on each answer, saved."""

import pytest

from coachkit.interactives.evidence_check import CHANGE_3, CHOOSE, LABELS, EvidenceLabelCheck, score
from coachkit.journal import Journal, MemoryJournalStore


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def test_the_change_3_claims_use_every_label_and_credit_asmus():
    """Does the check need all four labels, and does it credit the practitioner's observation to Asmus?"""
    assert {claim.label for claim in CHANGE_3.claims} == set(LABELS)
    assert any("Asmus" in claim.why for claim in CHANGE_3.claims)
    assert any("plausible, not proven" in claim.why for claim in CHANGE_3.claims)


def test_score_counts_right_answers_and_refuses_unknown_ones():
    """Are right answers counted, unanswered ones listed, and an unknown label or claim refused?"""
    key = {claim.key: claim.label for claim in CHANGE_3.claims}
    assert score(CHANGE_3.claims, key) == (len(key), [])
    assert score(CHANGE_3.claims, {})[1] == list(key)
    with pytest.raises(ValueError, match="not an evidence label"):
        score(CHANGE_3.claims, {"faster": "proof"})
    with pytest.raises(ValueError, match="no claim"):
        score(CHANGE_3.claims, {"nothing": "study"})


def test_the_check_asks_for_every_label_then_explains_each(journal):
    """Does checking too early ask for the rest, and a full check give feedback per claim and save it?"""
    check = EvidenceLabelCheck(journal=journal)
    check.check_button.click()
    assert "still to choose" in check.feedback.value and journal.entries() == []
    for claim in CHANGE_3.claims:
        check.dropdowns[claim.key].value = "study"
    check.check_button.click()
    right = sum(claim.label == "study" for claim in CHANGE_3.claims)
    assert f"{right} of {len(CHANGE_3.claims)} right" in check.feedback.value
    assert check.feedback.value.count("Not quite") == len(CHANGE_3.claims) - right
    [entry] = journal.entries(kind="evidence-check")
    assert entry["lesson"] == "06-staff-coach-others" and entry["data"]["right"] == right
    check.clear()
    assert all(d.value == CHOOSE for d in check.dropdowns.values()) and check.feedback.value == ""
    assert all(d.description for d in check.dropdowns.values())


def test_an_unknown_check_is_refused():
    """Is a check name that does not exist refused with the names that do?"""
    with pytest.raises(ValueError, match="change-3"):
        EvidenceLabelCheck("change-9")

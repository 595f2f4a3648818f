"""The self-assessment: ratings model, summary in words, chart, and the widget headless."""

import sys

import pytest

from coachkit.interactives.self_assessment import (
    NOT_RATED,
    SCALE,
    SKILLS,
    SelfAssessment,
    SelfRating,
    draw_chart,
    latest_ratings,
    summary_text,
)
from coachkit.journal import Journal, MemoryJournalStore


@pytest.fixture
def journal():
    return Journal(store=MemoryJournalStore())


def all_rated(value: int) -> dict:
    return {skill.key: value for skill in SKILLS}


def test_eight_skills_one_per_icf_competency():
    """Are there eight skills, one per ICF 2019 core competency, each with a plain-words statement?"""
    assert len(SKILLS) == 8
    assert [int(skill.competency.split(".")[0]) for skill in SKILLS] == list(range(1, 9))
    assert len({skill.key for skill in SKILLS}) == 8
    assert all(skill.statement.startswith(("I ", "At ", "In ", "People ")) for skill in SKILLS)
    assert list(SCALE) == [1, 2, 3, 4, 5]


def test_the_top_rating_for_confidentiality_names_its_limits():
    """Does a 5 for ethics mean saying at the start what stays private and what you would act on (a
    manager keeps line responsibility, so it cannot mean keeping everything in confidence)?"""
    [ethics] = [skill for skill in SKILLS if skill.key == "ethics"]
    assert ethics.statement.startswith(
        "I say at the start what I can keep private and what I would have to act on"
    )
    assert "in confidence" not in ethics.statement


def test_model_saves_only_when_every_skill_is_rated(journal):
    """Does the model refuse to save until all eight are rated, naming what is missing?"""
    model = SelfRating(journal, moment="before")
    model.rate("listening", 3)
    assert model.save() is None and "Acting ethically" in model.message and "Listening" not in model.message
    for skill in SKILLS:
        model.rate(skill.key, 4)
    entry = model.save()
    assert entry["kind"] == "self-assessment" and entry["lesson"] == "00-start-here"
    assert entry["data"] == {"moment": "before", "ratings": all_rated(4)}


def test_model_rejects_bad_ratings(journal):
    """Are ratings outside 1-5, non-integers and unknown skills refused?"""
    model = SelfRating(journal)
    for bad in (0, 6, 2.5, "3", True):
        with pytest.raises(ValueError):
            model.rate("listening", bad)
    with pytest.raises(KeyError):
        model.rate("../../x", 3)
    with pytest.raises(Exception, match="moment"):
        SelfRating(journal, moment="during")


def test_after_defaults_to_the_last_lesson(journal):
    """Is an 'after' rating saved under the closing lesson unless another lesson is given?"""
    assert SelfRating(journal, moment="after").lesson == "07-whats-keeping-you"
    assert SelfRating(journal, moment="after", lesson="03-role-play").lesson == "03-role-play"


def test_latest_ratings_takes_the_newest_complete_entry(journal):
    """Does latest_ratings pick the newest complete rating per moment and skip broken ones?"""
    journal.add("self-assessment", "00-start-here", {"moment": "before", "ratings": all_rated(2)})
    journal.add("self-assessment", "00-start-here", {"moment": "before", "ratings": all_rated(3)})
    journal.add("self-assessment", "00-start-here", {"moment": "before", "ratings": {"listening": 5}})
    journal.add(
        "self-assessment", "00-start-here", {"moment": "after", "ratings": {**all_rated(4), "trust": 9}}
    )
    assert latest_ratings(journal) == {"before": all_rated(3)}


def test_summary_in_words():
    """Does the text summary give every rating and the change, for screen readers?"""
    assert summary_text(None, None) == "You have not rated yourself yet."
    before, after = all_rated(2), {**all_rated(2), "listening": 4}
    text = summary_text(before, after)
    assert "Listening actively: before 2, after 4." in text
    assert "1 of 8 skills; most in Listening actively" in text
    assert "Average before 2.0, after 2.2" in text
    assert "No skill is rated higher" in summary_text(all_rated(3), all_rated(3))


def test_draw_chart_gives_a_png():
    """Does draw_chart return PNG bytes for one moment and for both?"""
    for before, after in ((all_rated(2), None), (all_rated(2), all_rated(4))):
        png = draw_chart(before, after)
        assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_widget_saves_and_shows_summary_and_chart(journal):
    """Does the widget save the ratings and then show a summary and an image with alt text?"""
    form = SelfAssessment(journal=journal, moment="before")
    for number, dropdown in enumerate(form.dropdowns.values()):
        dropdown.value = 1 + number % 5
    form.save_button.click()
    [entry] = journal.entries(kind="self-assessment")
    assert entry["data"]["ratings"]["ethics"] == 1
    assert "saved" in form.status.value
    assert "Acting ethically: before 1." in form.summary.value
    assert '<img src="data:image/png;base64,' in form.chart.value and 'alt="' in form.chart.value


def test_widget_shows_before_and_after_side_by_side(journal):
    """With a 'before' in the journal, does saving 'after' draw both and summarise the change?"""
    journal.add("self-assessment", "00-start-here", {"moment": "before", "ratings": all_rated(2)})
    form = SelfAssessment(journal=journal, moment="after")
    for dropdown in form.dropdowns.values():
        dropdown.value = 4
    form.save_button.click()
    assert "before 2, after 4" in form.summary.value
    assert "before and after the workshop" in form.chart.value


def test_widget_with_both_draws_at_once_and_prefills(journal):
    """When both moments exist, is the chart drawn on opening and the form pre-filled?"""
    journal.add("self-assessment", "00-start-here", {"moment": "before", "ratings": all_rated(2)})
    journal.add("self-assessment", "07-whats-keeping-you", {"moment": "after", "ratings": all_rated(5)})
    form = SelfAssessment(journal=journal, moment="after")
    assert form.chart.value
    assert all(dropdown.value == 5 for dropdown in form.dropdowns.values())


def test_widget_with_only_before_waits_for_a_click_to_draw(journal):
    """With only an earlier rating, is the chart left for a button so the lesson opens quickly?"""
    journal.add("self-assessment", "00-start-here", {"moment": "before", "ratings": all_rated(2)})
    form = SelfAssessment(journal=journal, moment="before")
    assert form.chart.value == "" and form.show_chart_button.layout.display == "flex"
    form.show_chart_button.click()
    assert form.chart.value


def test_widget_incomplete_gets_a_message(journal):
    """Does saving with a rating missing say which skill, and save nothing?"""
    form = SelfAssessment(journal=journal)
    form.dropdowns["trust"].value = 3
    form.save_button.click()
    assert "Not rated yet" in form.status.value and journal.entries() == []


def test_widget_labels_clear_and_on_submit(journal):
    """Are the dropdowns labelled, on_submit called, non-callables refused and clear() resetting?"""
    form = SelfAssessment(journal=journal)
    assert all(dropdown.description for dropdown in form.dropdowns.values())
    spy = []
    form.on_submit(spy.append)
    with pytest.raises(TypeError):
        form.on_submit(None)
    for dropdown in form.dropdowns.values():
        dropdown.value = 3
    form.save_button.click()
    assert len(spy) == 1
    form.clear()
    assert all(dropdown.value == NOT_RATED for dropdown in form.dropdowns.values())
    assert form.model.ratings == {}


def test_importing_the_module_does_not_import_matplotlib():
    """Is matplotlib left unimported until a chart is drawn (a lesson must open fast)?"""
    import subprocess

    code = "import coachkit.interactives.self_assessment, sys; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"

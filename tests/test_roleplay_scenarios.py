"""Scenario cards: shipped cards valid and varied; a broken card a clear error; the coachee brief hidden."""

import base64
import json
import subprocess
import sys

import pytest

from coachkit.forms.textinput import as_html_text
from coachkit.roleplay.scenarios import (
    ScenarioError,
    ScenarioPicker,
    load_scenarios,
    parse_scenario,
    printable_cards_html,
    scenarios_dir,
)

THEMES = {
    "A performance slip",
    "A career question",
    "A conflict between peers",
    "A task the manager wants to take back",
    "A new hire",
    "Overload",
    "An idea nobody listens to",
    "A successor in the making",
    "A customer escalation",
    "A change nobody wants",
}


def good_card(card_id: str = "sample-card") -> dict:
    return json.loads((scenarios_dir() / "overload.json").read_text(encoding="utf-8")) | {"id": card_id}


def test_shipped_cards_load_and_cover_every_theme():
    """Do at least ten cards load, with unique ids and names, covering all ten themes the issue asks for?"""
    cards = load_scenarios()
    assert len(cards) >= 10
    assert THEMES <= {card.theme for card in cards}
    assert len({card.id for card in cards}) == len(cards)
    assert len({card.coachee_name for card in cards}) == len(cards), "varied names"
    assert len({card.setting for card in cards}) == len(cards), "varied settings"


WHO_TO_INVOLVE = ("HR", "occupational health", "Employee Assistance Programme", "your own manager", "manager")


def test_every_card_says_what_to_do_if_something_sensitive_comes_out():
    """Does each card's coach brief say how to step out of coaching, what to do as the manager, and whom to
    involve, shown with the coach's part (so the facilitator's printout carries it too)?"""
    for card in load_scenarios():
        text = card.coach_if_sensitive
        assert text.startswith("If "), card.id
        assert "step out of coaching and say so" in text, card.id
        assert "manager" in text, card.id
        assert any(who in text for who in WHO_TO_INVOLVE), card.id
        page = printable_cards_html([card])
        assert page.index(as_html_text(text)) < page.index("Cut here"), card.id


def test_the_performance_slip_card_gives_feedback_before_coaching():
    """Does the performance-slip card's coach brief start with Situation-Behaviour-Impact feedback, then
    an open question?"""
    [card] = [card for card in load_scenarios() if card.id == "performance-slip"]
    assert card.coach_practise.startswith("Start with feedback, then coach.")
    assert "Situation, Behaviour, Impact" in card.coach_practise
    assert card.coach_practise.index("Impact") < card.coach_practise.index("open question")


def write(folder, name: str, content) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.pop("title"), "'title' (the title) is missing"),
        (
            lambda c: c["coachee"].pop("holds_back"),
            "'coachee.holds_back' (what the coachee holds back) is missing",
        ),
        (
            lambda c: c.update(observer_focus="   "),
            "'observer_focus' (the observer's focus) must be non-empty",
        ),
        (lambda c: c.update(coach="a string"), "'coach.role' (the coach's job) is missing"),
        (
            lambda c: c["coach"].update(practise=3),
            "'coach.practise' (what the coach practises) must be non-empty",
        ),
        (lambda c: c.update(setting="x" * 5000), "'setting' is 5000 characters"),
        (
            lambda c: c["coach"].pop("if_sensitive"),
            "'coach.if_sensitive' (what the coach does if something sensitive comes out) is missing",
        ),
    ],
)
def test_broken_card_names_file_and_field(tmp_path, change, message):
    """Does a card with a missing, empty, wrong-typed or huge field fail with its file name and field?"""
    card = good_card()
    change(card)
    write(tmp_path, "sample-card.json", card)
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(tmp_path)
    assert str(caught.value).startswith("sample-card.json: ")
    assert message in str(caught.value)


def test_bad_json_id_and_duplicates(tmp_path):
    """Are invalid JSON, an id that does not match its file, a bad id and an empty folder refused clearly?"""
    with pytest.raises(ScenarioError, match="No scenario cards"):
        load_scenarios(tmp_path)
    write(tmp_path, "broken.json", "{not json")
    with pytest.raises(ScenarioError, match=r"broken.json: not valid JSON \(line 1"):
        load_scenarios(tmp_path)
    (tmp_path / "broken.json").unlink()
    write(tmp_path, "one.json", good_card("two"))
    with pytest.raises(ScenarioError, match="must match the file name"):
        load_scenarios(tmp_path)
    with pytest.raises(ScenarioError, match="lower-case letters"):
        parse_scenario(good_card("../Etc"), "x.json")
    with pytest.raises(ScenarioError, match="must be a JSON object"):
        parse_scenario([1, 2], "x.json")


def test_picker_hides_the_coachee_brief_until_asked():
    """Is the coachee's brief hidden at first, shown by the toggle, and hidden again when the card changes?"""
    picker = ScenarioPicker(seed=1)
    assert picker.selected is None and picker.coachee_toggle.disabled
    picker.chooser.value = "overload"
    card = picker.selected
    private = [as_html_text(card.coachee_brief), as_html_text(card.coachee_holds_back)]
    assert as_html_text(card.coach_situation) in picker.card.value
    assert not any(text in picker.card.value for text in private)
    assert picker.coachee_brief.value == ""
    picker.coachee_toggle.value = True
    assert "you are Daniel O&#x27;Brien" in picker.coachee_brief.value
    assert all(text in picker.coachee_brief.value for text in private)
    assert picker.coachee_toggle.description == "Hide the coachee's brief"
    picker.draw_button.click()
    assert picker.selected.id != "overload"
    assert picker.coachee_brief.value == "" and not picker.coachee_toggle.value
    picker.clear()
    assert picker.selected is None


def test_picker_escapes_card_text(tmp_path):
    """Is HTML in a card shown as text?"""
    card = parse_scenario(good_card() | {"title": "<script>alert(1)</script>"}, "x.json")
    picker = ScenarioPicker(scenarios=[card])
    picker.draw()
    assert "<script>" not in picker.card.value and "&lt;script&gt;" in picker.card.value


def test_picker_with_broken_cards_shows_a_message(tmp_path, monkeypatch):
    """When the cards cannot load, does the picker show the reason instead of raising?"""
    write(tmp_path, "bad.json", "[]")
    monkeypatch.setattr("coachkit.roleplay.scenarios.scenarios_dir", lambda: tmp_path)
    picker = ScenarioPicker()
    assert "could not be loaded" in picker.message.value and "bad.json" in picker.message.value
    assert picker.draw_button.disabled and picker.draw() is None


def test_printable_cards():
    """Is there one sheet per card, the coachee part below a cut line, text escaped, offered as a download?"""
    cards = load_scenarios()
    page = printable_cards_html(cards)
    assert page.count('class="ck-print-card"') == len(cards)
    assert page.count("Cut here") == len(cards)
    first = page.index(as_html_text(cards[0].coach_situation))
    assert first < page.index("Cut here") < page.index(as_html_text(cards[0].coachee_holds_back))
    hostile = parse_scenario(good_card() | {"title": "<script>alert(1)</script>"}, "x.json")
    assert "<script>" not in printable_cards_html([hostile])
    picker = ScenarioPicker()
    picker.print_button.click()
    link = picker.print_link.value
    assert 'download="scenario-cards.html"' in link and "data:text/html;charset=utf-8;base64," in link
    payload = link.split("base64,")[1].split('"')[0]
    assert base64.b64decode(payload).decode("utf-8") == page


def test_importing_the_toolkit_is_light():
    """Does importing every role-play tool leave matplotlib unloaded (it loads only to draw the chart)?"""
    code = (
        "import sys\n"
        "from coachkit.roleplay import ScenarioPicker, TriadBuilder, RoundTimer, ObserverTally\n"
        "ObserverTally(); TriadBuilder(); RoundTimer(); ScenarioPicker()\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "False"

"""The practice conversation: every script is well formed, the coachee answers each kind of turn as the lesson
says, an ideal conversation and a telling one end differently, and the widget works headless."""

from __future__ import annotations

import copy
import json

import pytest

from coachkit.forms.textinput import TextInputError
from coachkit.journal.export import journal_html, journal_markdown
from coachkit.journal.model import Journal
from coachkit.journal.stores import MemoryJournalStore
from coachkit.practice.conversation import (
    JOURNAL_KIND,
    MAX_TURNS,
    MOVES,
    Conversation,
    ConversationError,
    feedback_for,
    move_of,
)
from coachkit.practice.scripts import (
    REPLY_GROUPS,
    STAGES,
    ScriptError,
    load_scripts,
    parse_script,
    scripts_dir,
)
from coachkit.roleplay.scenarios import load_scenarios

SCRIPTS = load_scripts()
CARDS = {card.id: card for card in load_scenarios()}

# A conversation a coach would be glad of: contract, open questions one at a time, silences, a playback.
IDEAL = [
    "Is now a good time to talk?",
    "What's been happening for you?",
    "",
    "What have you tried so far?",
    "...",
    "So it sounds like it keeps coming back?",
    "What would you like to be different?",
    "\u2026",
    "What could you do?",
    "What else could you do?",
    "What will you do first?",
]
# A conversation that tells: advice, and advice dressed as questions.
TELLING = [
    "You should talk to your manager about it.",
    "Have you thought about writing it down?",
    "Maybe you could ask a colleague for help.",
    "Wouldn't it be better to do it this week?",
    "You need to make a plan.",
    "Have you considered asking for more time?",
    "Why don't you start tomorrow?",
]


def play(script, turns):
    conversation = Conversation(script)
    for turn in turns:
        conversation.say(turn)
    return conversation


def test_there_are_at_least_five_scripts_from_the_scenario_cards():
    """Are there five or more scripts, each drawn from its own scenario card, with a persona?"""
    assert len(SCRIPTS) >= 5
    assert len({script.scenario.id for script in SCRIPTS}) == len(SCRIPTS)
    for script in SCRIPTS:
        assert script.scenario.id in CARDS
        assert script.name and script.manner and script.opening


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.id)
def test_script_schema(script):
    """Does the script have every reply group with distinct lines, layers in GROW order ending in a first
    step, and each stage of GROW reached by naming its own layers?"""
    assert set(script.replies) == set(REPLY_GROUPS)
    for group, lines in script.replies.items():
        assert len(lines) >= 2 and len(set(lines)) == len(lines), group
    assert script.layers[-1].stage == "will"
    assert {layer.stage for layer in script.layers} == set(STAGES)
    for stage, goal in script.stages.items():
        assert all(layer.stage == stage for layer in script.layers if layer.id in goal.reached_when)
    for layer in script.layers:  # the better option offered in feedback is itself an open question
        assert move_of(layer.ask)[0] == "open", layer.ask


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.id)
def test_ideal_and_telling_conversations_end_differently(script):
    """Does an ideal conversation reach a goal, options and a first step of the coachee's own, and a telling
    one none of them, with feedback that says so?"""
    ideal = play(script, IDEAL).finish()
    assert ideal.stages == dict.fromkeys(STAGES, True)
    assert ideal.own_goal and ideal.own_first_step
    assert (
        "of his own" in ideal.headline or "of her own" in ideal.headline or "of their own" in ideal.headline
    )
    assert ideal.moments == ()
    assert ideal.word_share < 0.3
    assert ideal.silences_that_drew_more == 3

    telling = play(script, TELLING).finish()
    assert not any(telling.stages.values())
    assert not telling.own_goal and not telling.own_first_step
    assert f"{script.name} did not reach a goal or a first step" in telling.headline
    assert "told" in telling.headline and "not ownership" in telling.headline
    assert len(telling.moments) == 2
    assert all(m.move in ("advice", "leading") and m.better for m in telling.moments)
    assert telling.moments[0].better != telling.moments[1].better
    assert telling.section[1] == "Questions-that-make-people-think"
    assert telling.word_share > ideal.word_share


def test_each_kind_of_turn_gets_its_own_reply():
    """Does each kind of turn get the script's reply for it, and only an open question reveal a layer?"""
    script = SCRIPTS[0]
    examples = {
        "closed": "Did you talk to anyone?",
        "leading": "Have you thought about saying no?",
        "loaded": "What were you thinking?",
        "why": "Why did you agree to it?",
        "playback": "It sounds like you are stretched.",
        "contracting": "Is now a good time to talk?",
        "stacked": "What happened? Why did you do that?",
        "advice": "You should say no more often.",
        "statement": "I see.",
        "other-language": "Wie geht es dir heute?",
    }
    for move, text in examples.items():
        conversation = Conversation(script)
        reply = conversation.say(text)
        assert conversation.turns[-2].move == move, (text, conversation.turns[-2])
        assert reply.text == script.replies[move][0]
        assert conversation.revealed == []
    conversation = Conversation(script)
    reply = conversation.say("What's on your mind?")
    assert reply.revealed == script.layers[0].id and reply.text == script.layers[0].reply


@pytest.mark.parametrize("silence", ["", "   ", "...", "\u2026", ". . ."])
def test_silence_is_an_empty_turn_dots_or_pause(silence):
    """Are an empty turn, '...', '…' and Pause all a silence, which first lets the coachee say more?"""
    script = SCRIPTS[0]
    conversation = Conversation(script)
    assert conversation.say(silence).text == script.opening_aloud
    assert conversation.turns[-2].move == "silence"
    assert conversation.pause().text == script.replies["silence"][0]


def test_replies_rotate_so_the_same_kind_twice_is_not_the_same_sentence():
    """Does the same kind of turn twice in a row get two different sentences, in a fixed order?"""
    script = SCRIPTS[0]
    conversation = play(script, ["Did you call?", "Is it done?", "Are you OK?"])
    replies = [turn.text for turn in conversation.turns if turn.speaker == "coachee"][1:]
    assert replies[0] != replies[1]
    assert replies == [script.replies["closed"][i % len(script.replies["closed"])] for i in range(3)]
    again = play(script, ["Did you call?", "Is it done?", "Are you OK?"])
    assert [t.text for t in again.turns] == [t.text for t in conversation.turns]


def test_a_loaded_question_costs_the_next_open_question_until_repaired():
    """After blame, is the coachee guarded for one open question, and does playing back repair it?"""
    script = SCRIPTS[0]
    conversation = play(script, ["What were you thinking?"])
    assert conversation.say("What's going on?").text == script.replies["guarded"][0]
    assert conversation.revealed == []
    assert conversation.say("What's going on?").revealed == script.layers[0].id
    repaired = play(script, ["What were you thinking?", "It sounds like it's been hard."])
    assert repaired.say("What's going on?").revealed == script.layers[0].id


def test_the_coachee_names_a_first_step_only_after_the_questions_got_there():
    """Does the first step come only once every earlier layer is out, and then 'done' replies follow?"""
    script = SCRIPTS[0]
    conversation = Conversation(script)
    for layer in script.layers[:-1]:
        assert conversation.say("What else?").revealed == layer.id
        assert not conversation.reached("will")
    assert conversation.say("What will you do?").revealed == script.layers[-1].id
    assert conversation.reached("will")
    assert conversation.say("What else?").text in script.replies["done"]


def test_hostile_text_is_kept_as_text_and_never_breaks_the_script():
    """Are HTML, emoji and control characters taken as text, and is a 10,000-character turn refused with a
    message, the conversation unchanged?"""
    script = SCRIPTS[0]
    conversation = Conversation(script)
    conversation.say('<img src=x onerror="alert(1)"> What\u2019s up? \U0001f600\x00\x1b[31m')
    said = conversation.turns[-2].text
    assert "<img" in said and "\x00" not in said and "\x1b" not in said and "\U0001f600" in said
    before = list(conversation.turns)
    with pytest.raises(TextInputError, match="too long.*still in the box"):
        conversation.say("x" * 10_000)
    assert conversation.turns == before
    feedback = conversation.finish()
    page = feedback.html()
    assert "<img" not in page and "&lt;img" in page


def test_the_conversation_ends_after_the_turn_limit_and_refuses_more():
    """Does a conversation end itself after MAX_TURNS and say so when given another turn?"""
    conversation = play(SCRIPTS[0], ["Did you?"] * MAX_TURNS)
    assert conversation.finished
    with pytest.raises(ConversationError, match="ended"):
        conversation.say("What else?")


def test_finishing_before_saying_anything_is_refused():
    """Is finishing a conversation before the first turn refused with a sentence for the learner?"""
    with pytest.raises(ConversationError, match="first"):
        Conversation(SCRIPTS[0]).finish()


def test_feedback_counts_words_runs_and_kinds():
    """Does the feedback count turns by kind, the learner's share of words and the longest closed run?"""
    script = SCRIPTS[0]
    conversation = play(script, ["Did you call?", "Is it done?", "What's up?", "Are you OK?"])
    feedback = feedback_for(conversation)
    assert feedback.counts == {"open": 1, "closed": 3}
    assert feedback.longest_closed_run == 2
    assert 0 < feedback.word_share < 1
    assert list(feedback.counts) == [m for m in MOVES if m in feedback.counts]
    assert "2 in a row" in " ".join(feedback.lines())
    assert len(feedback.moments) == 2 and all(m.move == "closed" for m in feedback.moments)
    assert feedback.moments[0].said == "Did you call?"
    assert 'href="02-coaching-conversation.ipynb#Questions-that-make-people-think"' in feedback.html()


def test_feedback_links_to_silence_when_there_was_none():
    """Does a conversation of good questions but no silence point to lesson 02's part on silence?"""
    feedback = play(SCRIPTS[0], ["What's on your mind?", "What else?"]).finish()
    assert feedback.section[1] == "Silence"


def broken(change):
    raw = json.loads((scripts_dir() / "overload.json").read_text(encoding="utf-8"))
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw.pop("replies"), "missing 'replies'"),
        (lambda raw: raw["replies"].pop("why"), "missing 'why'"),
        (lambda raw: raw["replies"].update(closed=["Yes."]), "at least 2"),
        (lambda raw: raw["replies"].update(closed=["Yes.", "Yes."]), "same line twice"),
        (lambda raw: raw.update(scenario="no-such-card"), "not a card"),
        (lambda raw: raw["layers"].reverse(), "end with will"),
        (lambda raw: raw["stages"]["goal"].update(reached_when=["nope"]), "which no layer has"),
        (lambda raw: raw["stages"]["goal"].update(reached_when=["happened"]), "a layer of reality"),
        (lambda raw: raw["persona"].update(possessive="its"), "possessive"),
        (lambda raw: raw["layers"][0].update(reply=""), "layers\\[1\\].reply"),
        (lambda raw: raw["layers"][0].update(extra="x"), "unknown fields"),
        (lambda raw: raw["opening"].update(says="x" * 700), "limit"),
    ],
)
def test_a_broken_script_gets_a_clear_error(change, message):
    """Does the loader name the file and the field that is wrong?"""
    with pytest.raises(ScriptError, match=message) as caught:
        parse_script(broken(change), CARDS, "overload.json")
    assert str(caught.value).startswith("overload.json:")


def test_a_script_file_must_match_its_id_and_be_json(tmp_path):
    """Are a script whose id differs from its file name, and a file that is not JSON, refused by name?"""
    raw = broken(lambda raw: None)
    (tmp_path / "other-name.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ScriptError, match="must match the file name"):
        load_scripts(tmp_path)
    (tmp_path / "other-name.json").write_text("{", encoding="utf-8")
    with pytest.raises(ScriptError, match="not valid JSON"):
        load_scripts(tmp_path)


# --- the widget, headless ------------------------------------------------------------------------------


def new_widget(journal=None):
    from coachkit.practice import PracticeConversation

    journal = journal if journal is not None else Journal(store=MemoryJournalStore())
    return PracticeConversation(journal=journal), journal


def test_widget_starts_with_the_first_scenario_and_its_opening_line():
    """Does the widget show a scenario's brief and the coachee's opening line in the log?"""
    widget, _ = new_widget()
    script = widget.script
    assert widget.panel.entries == [{"speaker": "coachee", "who": script.name, "text": script.opening}]
    assert "a script, not a person" in widget.brief.value
    assert not widget.panel.disabled


def test_widget_takes_a_turn_from_the_browser_message_and_empties_the_box():
    """Does a turn sent as the browser sends it (Enter) reach the coachee, and the box get emptied?"""
    widget, _ = new_widget()
    widget.panel._on_browser_message(widget.panel, {"event": "turn", "text": "What's on your mind?"})
    assert widget.panel.accepted == 1
    assert widget.panel.entries[-2] == {"speaker": "coach", "who": "You", "text": "What's on your mind?"}
    assert widget.panel.entries[-1]["text"] == widget.script.layers[0].reply
    widget.panel._on_browser_message(widget.panel, {"event": "pause"})
    assert widget.panel.entries[-2]["text"] == "(a silence)"
    assert widget.panel.accepted == 1  # a pause leaves whatever is in the box
    widget.panel._on_browser_message(widget.panel, "not a dict")
    widget.panel._on_browser_message(widget.panel, {"event": "turn", "text": 42})  # a silence, not a crash


def test_widget_keeps_a_too_long_turn_in_the_box_with_a_message():
    """Is a 10,000-character turn refused with a message, the box not emptied, the log unchanged?"""
    widget, _ = new_widget()
    entries = list(widget.panel.entries)
    assert widget.say("x" * 10_000) is False
    assert widget.panel.accepted == 0
    assert widget.panel.entries == entries
    assert "too long" in widget.panel.notice and widget.panel.notice_tone == "error"
    assert widget.say("What's on your mind?") is True
    assert widget.panel.notice == ""


def test_widget_finish_shows_feedback_and_saves_one_journal_entry():
    """Does Finish show the feedback, disable the box and save one exportable entry with escaped text?"""
    widget, journal = new_widget()
    saved = []
    widget.on_submit(saved.append)
    widget.say("<b>Did</b> you call?")
    widget.pause()
    widget.finish_button.click()
    assert widget.panel.disabled and widget.finish_button.disabled
    assert "How the conversation went" in widget.feedback_box.value
    assert "&lt;b&gt;Did&lt;/b&gt;" in widget.feedback_box.value and "<b>Did" not in widget.feedback_box.value
    assert "Saved to your journal" in widget.status.value
    [entry] = journal.entries(kind=JOURNAL_KIND)
    assert saved == [entry]
    assert entry["data"]["goal_of_their_own"] is False
    assert "<b>Did</b> you call?" in entry["data"]["transcript"]
    assert "&lt;b&gt;Did" in journal_html(journal.entries()) and "<b>Did" not in journal_html(
        journal.entries()
    )
    assert "Practice conversation" in journal_markdown(journal.entries())
    assert widget.say("What else?") is False  # the box is off once the conversation is over


def test_widget_says_when_the_coachee_has_named_a_first_step():
    """Once the coachee names a first step, does the widget say the learner may finish?"""
    widget, _ = new_widget()
    for _layer in widget.script.layers:
        widget.say("What else?")
    assert "has named a first step" in widget.panel.notice
    widget.say("What else?")
    assert widget.panel.notice == ""


def test_widget_finish_before_a_turn_says_what_to_do():
    """Does Finish before any turn leave a message and save nothing?"""
    widget, journal = new_widget()
    widget.finish_button.click()
    assert "first" in widget.panel.notice
    assert journal.entries() == []


def test_widget_choosing_another_scenario_or_start_again_begins_anew():
    """Do a new scenario and Start again each begin a fresh conversation from the opening line?"""
    widget, _ = new_widget()
    widget.say("What's on your mind?")
    other = widget.scripts[1]
    widget.chooser.value = other.id
    assert widget.panel.entries == [{"speaker": "coachee", "who": other.name, "text": other.opening}]
    widget.say("Did you?")
    widget.restart_button.click()
    assert len(widget.panel.entries) == 1 and not widget.panel.disabled


def test_a_saved_conversation_survives_a_new_kernel():
    """Is the saved entry still there when the journal is opened again (a restart loses nothing saved)?"""
    import tempfile
    from pathlib import Path

    from coachkit.journal.stores import FileJournalStore

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.json"
        widget, _ = new_widget(Journal(store=FileJournalStore(path)))
        widget.say("What's on your mind?")
        widget.finish()
        reopened = Journal(store=FileJournalStore(path))
        assert [e["kind"] for e in reopened.entries()] == [JOURNAL_KIND]


def test_widget_with_broken_scripts_says_so_and_does_not_crash(monkeypatch):
    """Does a broken script folder give a message instead of a traceback?"""
    import coachkit.practice.widgets as practice_widgets

    def broken_load():
        raise ScriptError("overload.json: 'replies' is missing")

    monkeypatch.setattr(practice_widgets, "load_scripts", broken_load)
    widget, _ = new_widget()
    assert "could not be loaded" in widget.message.value
    assert widget.panel.disabled


def test_every_script_survives_every_kind_of_turn_twice():
    """Does each script answer each kind of turn twice with two different lines (no KeyError, no repeat)?"""
    turns = {
        "closed": "Did you call?",
        "leading": "Have you tried a checklist?",
        "loaded": "What were you thinking?",
        "why": "Why is it late?",
        "playback": "It sounds like you are stretched.",
        "contracting": "Is now a good time?",
        "stacked": "What happened? What next?",
        "advice": "You should ask for help.",
        "statement": "I see.",
        "other-language": "Wie geht es dir heute?",
    }
    for script in SCRIPTS:
        for move, text in turns.items():
            conversation = Conversation(copy.deepcopy(script))
            first, second = conversation.say(text), conversation.say(text)
            assert conversation.turns[-2].move == move
            assert first.text != second.text, (script.id, move)

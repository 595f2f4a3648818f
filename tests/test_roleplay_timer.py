"""The round timer: its time arithmetic as a pure model, and the widget's kernel side driven headless."""

import dataclasses
import json
import shutil
import subprocess

import pytest

from coachkit.roleplay import timer as t
from coachkit.roleplay.timer import TIMER_CSS_FILE, TIMER_JS_FILE, RoundTimer
from tests.widget_js import run_widget_js


def test_minutes_to_seconds():
    """Do minutes become whole seconds (0.05 is 3 s), and are nonsense lengths refused?"""
    assert t.to_seconds(10, "Round") == 600
    assert t.to_seconds(0.05, "Round") == 3
    assert t.to_seconds(0, "Debrief", allow_zero=True) == 0
    for bad in (0, -1, 181, float("nan"), "10", True):
        with pytest.raises(ValueError):
            t.to_seconds(bad, "Round")


def test_round_then_debrief_then_next_round():
    """Does a round count down to time-up, Start begin the debrief, and after it the next round?"""
    state = t.new_timer(10, 5)
    assert (state.phase, state.remaining, state.running, state.time_up) == ("round", 10, False, False)
    assert t.elapse(state, 3) == state, "a stopped clock does not move"
    state = t.start(state)
    state = t.elapse(state, 3.2)
    assert state.remaining == 7 and state.running
    state = t.elapse(state, 7)
    assert state.remaining == 0 and state.time_up and not state.running
    assert t.start_label(state) == "Start debrief"
    assert t.status_text(state).startswith("Time is up. Debrief now")
    state = t.start(state)
    assert (state.phase, state.remaining, state.running, state.time_up) == ("debrief", 5, True, False)
    state = t.elapse(state, 60)
    assert state.time_up and state.remaining == 0
    assert t.start_label(state) == "Start next round" and "rotate roles" in t.status_text(state)
    state = t.start(state)
    assert (state.phase, state.remaining, state.running) == ("round", 10, True)


def test_pause_resume_and_reset():
    """Does pause keep the time left, the button say Resume, and reset return to a fresh round?"""
    state = t.elapse(t.start(t.new_timer(600, 300)), 61)
    assert state.remaining == 539 and t.clock_text(state.remaining) == "8:59"
    paused = t.pause(state)
    assert not paused.running and paused.remaining == 539
    assert t.start_label(paused) == "Resume" and t.status_text(paused) == "Round: paused."
    assert t.start(t.start(paused)).running
    assert t.reset(paused) == t.new_timer(600, 300)
    assert t.status_text(t.new_timer(600, 300)) == "Round: ready to start."


def test_no_debrief_goes_straight_to_next_round():
    """With a debrief of 0 minutes, does Start after time-up begin the next round?"""
    state = t.elapse(t.start(t.new_timer(3, 0)), 3)
    assert t.start_label(state) == "Start next round"
    assert t.start(state).phase == "round"


def test_clock_text():
    """Is the clock shown as m:ss?"""
    assert [t.clock_text(s) for s in (0, 7, 60, 600, -3)] == ["0:00", "0:07", "1:00", "10:00", "0:00"]


def test_widget_kernel_side():
    """Is state kept in synced traits, following the model's rules when the kernel drives the widget?"""
    timer = RoundTimer(minutes=0.05, debrief_minutes=0.1)
    assert (timer.round_seconds, timer.debrief_seconds, timer.remaining) == (3, 6, 3)
    for name in ("remaining", "running", "phase", "time_up", "round_seconds", "debrief_seconds"):
        assert timer.trait_metadata(name, "sync"), name
    timer.start()
    assert timer.running
    timer.elapse(3)
    assert timer.time_up and timer.clock == "0:00" and "Time is up" in timer.status
    timer.start()
    assert timer.phase == "debrief" and timer.remaining == 6
    timer.pause()
    assert not timer.running
    timer.clear()
    assert (timer.phase, timer.remaining, timer.time_up) == ("round", 3, False)
    assert RoundTimer(seconds=2, debrief_seconds=0).remaining == 2
    with pytest.raises(ValueError):
        RoundTimer(minutes=0)


def test_widget_runs_with_labels_and_announcements(tmp_path):
    """Run in Node (the file alone, so it needs no other host), does the widget show labelled buttons, a
    role=timer, count down against the clock, announce the last minute and 'Time is up' in an assertive
    live region, and stop its interval on cleanup?"""
    timer = RoundTimer(seconds=65, debrief_seconds=5)
    traits = {name: getattr(timer, name) for name in ("round_seconds", "debrief_seconds", "phase")}
    traits |= {"remaining": timer.remaining, "running": False, "time_up": False}
    seen = run_widget_js(
        TIMER_JS_FILE,
        f"""
        const time = page.installFakeTime();
        const model = new page.FakeModel({json.dumps(traits)});
        const el = new page.FakeElement("div");
        const cleanup = widget.default.render({{ model, el }});
        const $ = (name) => el.querySelector(".ck-timer-" + name);
        const look = () => ({{ phase: $("phase").textContent, digits: $("digits").textContent,
          status: $("status").textContent, live: $("live").textContent, start: $("start").textContent,
          startAria: $("start").getAttribute("aria-label"), startDisabled: $("start").disabled,
          pauseDisabled: $("pause").disabled }});
        const ready = look();
        const fixed = {{ role: $("digits").getAttribute("role"), live: $("live").getAttribute("aria-live"),
          pause: $("pause").getAttribute("aria-label"), reset: $("reset").getAttribute("aria-label") }};
        $("start").click();
        const started = look();
        time.advance(5200);
        const lastMinute = look();
        $("pause").click();
        const paused = look();
        $("start").click();
        time.advance(61000);
        const up = {{ ...look(), classes: el.className, saved: model.saved }};
        cleanup();
        report({{ ready, fixed, started, lastMinute, paused, up, intervals: time.active() }});
        """,
        tmp_path,
    )
    assert seen["fixed"] == {
        "role": "timer",
        "live": "assertive",
        "pause": "Pause the timer",
        "reset": "Reset the timer to the start of a round",
    }
    assert seen["ready"]["digits"] == "1:05" and seen["ready"]["status"] == "Round: ready to start."
    assert seen["ready"]["startAria"] == "Start the timer" and seen["ready"]["pauseDisabled"]
    assert seen["started"]["live"] == "Round started: 1:05 left." and seen["started"]["startDisabled"]
    assert seen["lastMinute"]["digits"] == "1:00" and seen["lastMinute"]["live"] == "One minute left."
    assert seen["paused"]["status"] == "Round: paused." and seen["paused"]["start"] == "Resume"
    up = seen["up"]
    assert up["digits"] == "0:00" and up["phase"] == "Round: Time is up" and "Time is up" in up["live"]
    assert up["start"] == "Start debrief" and "ck-timer--up" in up["classes"] and up["saved"] > 0
    assert seen["intervals"] == 0


def test_widget_code_and_style_are_package_data():
    """Are the timer's JavaScript and CSS the files beside the module (what the facilitator page serves)?"""
    timer = RoundTimer()
    assert timer._esm == TIMER_JS_FILE.read_text(encoding="utf-8") == t.TIMER_ESM
    assert timer._css == TIMER_CSS_FILE.read_text(encoding="utf-8") == t.TIMER_CSS
    assert TIMER_JS_FILE.parent.name == "roleplay"


def timer_states() -> list[t.TimerState]:
    states = []
    for debrief in (0, 5):
        for phase in ("round", "debrief"):
            full = 10 if phase == "round" else debrief
            for remaining in sorted({0, 3, full}):
                for running in (False, True):
                    states.append(t.TimerState(10, debrief, phase, remaining, running, False))
                if remaining == 0:
                    states.append(t.TimerState(10, debrief, phase, 0, False, True))
    return states


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed to run the browser-side rules")
def test_browser_rules_match_the_python_model(tmp_path):
    """Do the browser's labels, status texts, Start/Reset changes and countdown give what the Python model
    gives, for every kind of state?"""
    module = tmp_path / "timer.mjs"
    module.write_text(t.TIMER_ESM, encoding="utf-8")
    states = [dataclasses.asdict(state) for state in timer_states()]
    waits = [(10, 0.2), (10, 3.0), (10, 9.99), (10, 10), (3, 7.5)]
    script = f"""
    import {{ clock, startLabel, statusText, startChanges, resetChanges, secondsLeft }}
      from "{module.as_uri()}";
    const states = {json.dumps(states)};
    const waits = {json.dumps(waits)};
    const out = states.map((s) => {{
      const m = {{ get: (k) => s[k] }};
      return {{ label: startLabel(m), status: statusText(m), start: startChanges(m), reset: resetChanges(m),
               clock: clock(s.remaining) }};
    }});
    const left = waits.map(([r, w]) => secondsLeft(r * 1000, w * 1000));
    console.log(JSON.stringify({{ out, left }}));
    """
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60, check=True
    )
    browser = json.loads(result.stdout)
    for state, seen in zip(timer_states(), browser["out"], strict=True):
        assert seen["label"] == t.start_label(state), state
        assert seen["status"] == t.status_text(state), state
        assert seen["clock"] == t.clock_text(state.remaining)
        assert dataclasses.replace(state, **seen["start"]) == t.start(state), state
        assert dataclasses.replace(state, **seen["reset"]) == t.reset(state), state
    for (remaining, wait), left in zip(waits, browser["left"], strict=True):
        running = t.TimerState(remaining, 0, "round", remaining, True, False)
        assert t.elapse(running, wait).remaining == left, (remaining, wait)

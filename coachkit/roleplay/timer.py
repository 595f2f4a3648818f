"""A round timer for role-play (a round, then its debrief) that counts down in the browser, not the kernel."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import anywidget
import traitlets

ROUND, DEBRIEF = "round", "debrief"
MAX_MINUTES = 180


@dataclass(frozen=True)
class TimerState:
    """Everything the timer knows; the functions below are its rules, mirrored by the browser code."""

    round_seconds: int
    debrief_seconds: int
    phase: str = ROUND
    remaining: int = 0
    running: bool = False
    time_up: bool = False


def to_seconds(minutes: float, label: str, allow_zero: bool = False) -> int:
    """Whole seconds from a number of minutes (0.05 minutes is 3 seconds), or ValueError with a message."""
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not math.isfinite(minutes):
        raise ValueError(f"{label} must be a number of minutes, for example 10.")
    seconds = round(minutes * 60)
    if seconds < 0 or (seconds == 0 and not allow_zero) or minutes > MAX_MINUTES:
        lowest = "0" if allow_zero else "a few seconds"
        raise ValueError(f"{label} must be between {lowest} and {MAX_MINUTES} minutes.")
    return seconds


def new_timer(round_seconds: int, debrief_seconds: int) -> TimerState:
    return TimerState(round_seconds, debrief_seconds, ROUND, round_seconds)


def start(state: TimerState) -> TimerState:
    """Run the clock; after a finished round this starts the debrief, after a finished debrief a new round."""
    if state.running:
        return state
    if state.time_up:
        if state.phase == ROUND and state.debrief_seconds > 0:
            return replace(state, phase=DEBRIEF, remaining=state.debrief_seconds, running=True, time_up=False)
        return replace(reset(state), running=True)
    return replace(state, running=True)


def pause(state: TimerState) -> TimerState:
    return replace(state, running=False)


def reset(state: TimerState) -> TimerState:
    """Back to the start of a round, stopped."""
    return new_timer(state.round_seconds, state.debrief_seconds)


def elapse(state: TimerState, seconds: float) -> TimerState:
    """The state after ``seconds`` of running; at zero the clock stops and time is up."""
    if not state.running or seconds <= 0:
        return state
    remaining = max(0, math.ceil(state.remaining - seconds))
    if remaining == 0:
        return replace(state, remaining=0, running=False, time_up=True)
    return replace(state, remaining=remaining)


def clock_text(seconds: int) -> str:
    """Minutes and seconds as on a kitchen timer: 10:00, 0:07."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def start_label(state: TimerState) -> str:
    """The Start button's text, which says what pressing it will do."""
    if state.time_up:
        return "Start debrief" if state.phase == ROUND and state.debrief_seconds > 0 else "Start next round"
    if state.running or state.remaining == (
        state.round_seconds if state.phase == ROUND else state.debrief_seconds
    ):
        return "Start"
    return "Resume"


def status_text(state: TimerState) -> str:
    """The words under the digits, also announced to screen readers when they change."""
    if state.time_up:
        if state.phase == ROUND:
            return "Time is up. Debrief now: coachee first, then observer; the coach says thank you."
        return "Time is up. Debrief over: rotate roles."
    name = "Round" if state.phase == ROUND else "Debrief"
    if state.running:
        return f"{name}: running."
    return f"{name}: paused." if start_label(state) == "Resume" else f"{name}: ready to start."


# Why the browser counts: the kernel stays free (a learner can use other widgets while the clock runs),
# and the clock keeps time even if the kernel is busy. It counts against a deadline, so a slow tab does not
# drift.
# The rules mirror start/pause/reset/elapse/start_label/status_text above; test_roleplay_timer checks both,
# and runs the widget in Node. The code (timer.js) and its style (timer.css) sit beside this module; the
# digits are readable from the back of a room and colour is never the only cue ("Time is up" is written too).
TIMER_JS_FILE = Path(__file__).with_name("timer.js")
TIMER_CSS_FILE = Path(__file__).with_name("timer.css")
# Their text, for the facilitator page's full-screen timer (coachkit.facilitator.page serves it).
TIMER_ESM = TIMER_JS_FILE.read_text(encoding="utf-8")
TIMER_CSS = TIMER_CSS_FILE.read_text(encoding="utf-8")


class RoundTimer(anywidget.AnyWidget):
    """A countdown for a role-play round and then its debrief, with Start, Pause and Reset on the widget.

    ``minutes`` and ``debrief_minutes`` may be fractions (0.05 minutes is 3 seconds); ``seconds`` and
    ``debrief_seconds``, when given, win over them. The kernel-side methods follow the same rules as the
    buttons, so a lesson or a test can drive the timer too.
    """

    _esm = TIMER_JS_FILE
    _css = TIMER_CSS_FILE
    round_seconds = traitlets.Int(600, help="Length of a round.").tag(sync=True)
    debrief_seconds = traitlets.Int(300, help="Length of the debrief after a round; 0 for none.").tag(
        sync=True
    )
    phase = traitlets.Enum((ROUND, DEBRIEF), default_value=ROUND, help="Round, then debrief.").tag(sync=True)
    remaining = traitlets.Int(600, help="Seconds left in this phase.").tag(sync=True)
    running = traitlets.Bool(False, help="True while the clock counts down.").tag(sync=True)
    time_up = traitlets.Bool(False, help="True when this phase reached zero.").tag(sync=True)

    def __init__(
        self,
        minutes: float = 10,
        debrief_minutes: float = 5,
        *,
        seconds: int | None = None,
        debrief_seconds: int | None = None,
        **kwargs,
    ) -> None:
        round_len = (
            to_seconds(minutes, "The round") if seconds is None else to_seconds(seconds / 60, "The round")
        )
        debrief_len = (
            to_seconds(debrief_minutes, "The debrief", allow_zero=True)
            if debrief_seconds is None
            else to_seconds(debrief_seconds / 60, "The debrief", allow_zero=True)
        )
        super().__init__(round_seconds=round_len, debrief_seconds=debrief_len, remaining=round_len, **kwargs)
        self.add_class("ck-round-timer")

    @property
    def state(self) -> TimerState:
        return TimerState(
            self.round_seconds, self.debrief_seconds, self.phase, self.remaining, self.running, self.time_up
        )

    def _apply(self, state: TimerState) -> None:
        with self.hold_sync():
            self.phase, self.remaining = state.phase, state.remaining
            self.running, self.time_up = state.running, state.time_up

    def start(self) -> None:
        self._apply(start(self.state))

    def pause(self) -> None:
        self._apply(pause(self.state))

    def reset(self) -> None:
        self._apply(reset(self.state))

    def clear(self) -> None:
        """Same as reset: the widget holds no learner text."""
        self.reset()

    def elapse(self, seconds: float) -> None:
        """Move the clock on by ``seconds`` from the kernel (the browser normally does this)."""
        self._apply(elapse(self.state, seconds))

    @property
    def clock(self) -> str:
        return clock_text(self.remaining)

    @property
    def status(self) -> str:
        return status_text(self.state)

"""A round timer for role-play (a round, then its debrief) that counts down in the browser, not the kernel."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

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
# The rules mirror start/pause/reset/elapse/start_label/status_text above; test_roleplay_timer checks both.
TIMER_ESM = r"""
// The rules are exported beside the widget, so a test can run them in Node against the Python model.
export const clock = (s) =>
  `${Math.floor(Math.max(0, s) / 60)}:${String(Math.max(0, s) % 60).padStart(2, "0")}`;
const full = (m) => (m.get("phase") === "round" ? m.get("round_seconds") : m.get("debrief_seconds"));
export function startLabel(m) {
  if (m.get("time_up")) {
    return m.get("phase") === "round" && m.get("debrief_seconds") > 0 ? "Start debrief" : "Start next round";
  }
  return m.get("running") || m.get("remaining") === full(m) ? "Start" : "Resume";
}
export function statusText(m) {
  if (m.get("time_up")) {
    return m.get("phase") === "round"
      ? "Time is up. Debrief now: coachee first, then observer; the coach says thank you."
      : "Time is up. Debrief over: rotate roles.";
  }
  const name = m.get("phase") === "round" ? "Round" : "Debrief";
  if (m.get("running")) return `${name}: running.`;
  return startLabel(m) === "Resume" ? `${name}: paused.` : `${name}: ready to start.`;
}

export function startChanges(m) {
  if (m.get("running")) return {};
  if (m.get("time_up")) {
    return m.get("phase") === "round" && m.get("debrief_seconds") > 0
      ? { phase: "debrief", remaining: m.get("debrief_seconds"), time_up: false, running: true }
      : { phase: "round", remaining: m.get("round_seconds"), time_up: false, running: true };
  }
  return { running: true };
}
export const resetChanges = (m) => ({
  phase: "round", remaining: m.get("round_seconds"), running: false, time_up: false,
});
export const secondsLeft = (deadline, now) => Math.max(0, Math.ceil((deadline - now) / 1000));

// spoken labels that begin with the visible text, so voice control users can say what they see
const START_ARIA = {
  "Start": "Start the timer",
  "Resume": "Resume the timer",
  "Start debrief": "Start debrief timer",
  "Start next round": "Start next round timer",
};

export default {
  render({ model, el }) {
    el.classList.add("ck-timer");
    el.innerHTML = `
      <div class="ck-timer-phase"></div>
      <div class="ck-timer-digits" role="timer" aria-atomic="true"></div>
      <div class="ck-timer-status"></div>
      <div class="ck-timer-live ck-timer-sr" aria-live="assertive" aria-atomic="true"></div>
      <div class="ck-timer-buttons">
        <button type="button" class="ck-timer-start"></button>
        <button type="button" class="ck-timer-pause" aria-label="Pause the timer">Pause</button>
        <button type="button" class="ck-timer-reset"
          aria-label="Reset the timer to the start of a round">Reset</button>
      </div>`;
    const $ = (sel) => el.querySelector(sel);
    const [phaseEl, digits, statusEl, live] =
      [".ck-timer-phase", ".ck-timer-digits", ".ck-timer-status", ".ck-timer-live"].map($);
    const [startBtn, pauseBtn, resetBtn] = [".ck-timer-start", ".ck-timer-pause", ".ck-timer-reset"].map($);
    let deadline = null;
    let interval = null;
    let lastStatus = null;

    const save = (changes) => {
      for (const [k, v] of Object.entries(changes)) model.set(k, v);
      try {
        model.save_changes();
      } catch (e) {
        // the kernel connection is closed (the page is going away): the clock in the page still runs
      }
    };
    const announce = (text) => { live.textContent = text; };

    function draw() {
      const up = model.get("time_up");
      const phase = model.get("phase") === "round" ? "Round" : "Debrief";
      el.classList.toggle("ck-timer--up", up);
      el.classList.toggle("ck-timer--running", model.get("running"));
      el.classList.toggle("ck-timer--debrief", model.get("phase") === "debrief");
      phaseEl.textContent = up ? `${phase}: Time is up` : phase;
      digits.textContent = clock(model.get("remaining"));
      const left = model.get("remaining");
      const spoken = `${phase}, ${Math.floor(left / 60)} minutes ${left % 60} seconds left`;
      digits.setAttribute("aria-label", spoken);
      const status = statusText(model);
      statusEl.textContent = status;
      const label = startLabel(model);
      startBtn.textContent = label;
      startBtn.setAttribute("aria-label", START_ARIA[label]);
      startBtn.disabled = model.get("running");
      pauseBtn.disabled = !model.get("running");
      if (status !== lastStatus) {
        if (lastStatus !== null && !status.endsWith("running.")) announce(status);
        lastStatus = status;
      }
    }

    function stopTicking() {
      if (interval !== null) clearInterval(interval);
      interval = null;
      deadline = null;
    }

    function tick() {
      if (!model.get("running") || deadline === null) return;
      const left = secondsLeft(deadline, Date.now());
      if (left === 0) {
        stopTicking();
        save({ remaining: 0, running: false, time_up: true });
      } else if (left !== model.get("remaining")) {
        if (left === 60) announce("One minute left.");
        save({ remaining: left });
      }
    }

    function follow() {
      // the kernel (or another view) may start or stop the clock; keep ticking only while it runs
      if (model.get("running") && deadline === null) {
        deadline = Date.now() + model.get("remaining") * 1000;
        interval = setInterval(tick, 200);
        const name = model.get("phase") === "round" ? "Round" : "Debrief";
        announce(`${name} started: ${clock(model.get("remaining"))} left.`);
      } else if (!model.get("running")) {
        stopTicking();
      }
      draw();
    }

    startBtn.addEventListener("click", () => {
      if (model.get("running")) return;
      save(startChanges(model));
      follow();
    });
    pauseBtn.addEventListener("click", () => {
      tick();
      save({ running: false });
      follow();
    });
    resetBtn.addEventListener("click", () => {
      stopTicking();
      save(resetChanges(model));
      follow();
    });

    const events = ["change:running", "change:remaining", "change:phase", "change:time_up"];
    for (const e of events) model.on(e, follow);
    follow();
    return () => {
      stopTicking();
      for (const e of events) model.off(e, follow);
    };
  },
};
"""

# Readable from the back of a room: the digits scale with the page width; colour is never the only cue
# (the words "Time is up" appear too). Contrast: white on #a4001d and #1d3557 on white are above 7:1.
TIMER_CSS = r"""
.ck-timer { font-family: system-ui, sans-serif; text-align: center; padding: 0.5em 1em 1em;
  border: 3px solid #1d3557;
  border-radius: 12px; background: #fff; color: #1d3557; max-width: 100%; box-sizing: border-box;
  margin-bottom: 0.5em; }
.ck-timer-phase { font-size: clamp(1.4rem, 4vw, 2.6rem); font-weight: 700; text-transform: none; }
.ck-timer-digits { font-size: clamp(4rem, 18vw, 11rem); font-weight: 800; line-height: 1.05;
  font-variant-numeric: tabular-nums; letter-spacing: 0.02em; }
.ck-timer-status { font-size: clamp(1rem, 2.5vw, 1.5rem); min-height: 1.5em; margin-bottom: 0.6em; }
.ck-timer-buttons { display: flex; flex-wrap: wrap; gap: 0.6em; justify-content: center; }
.ck-timer-buttons button { font-size: 1.3rem; padding: 0.4em 1.2em; border-radius: 8px;
  border: 2px solid #1d3557;
  background: #1d3557; color: #fff; cursor: pointer; min-width: 6em; }
.ck-timer-buttons button:disabled { background: #e6e6e6; color: #555; border-color: #888; cursor: default; }
.ck-timer-buttons button:focus-visible { outline: 4px solid #f4a261; outline-offset: 2px; }
.ck-timer--debrief { border-color: #1b5e20; color: #1b5e20; }
.ck-timer--up { background: #a4001d; border-color: #a4001d; color: #fff; }
.ck-timer--up .ck-timer-buttons button:not(:disabled) { background: #fff; color: #a4001d;
  border-color: #fff; }
.ck-timer-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
"""


class RoundTimer(anywidget.AnyWidget):
    """A countdown for a role-play round and then its debrief, with Start, Pause and Reset on the widget.

    ``minutes`` and ``debrief_minutes`` may be fractions (0.05 minutes is 3 seconds); ``seconds`` and
    ``debrief_seconds``, when given, win over them. The kernel-side methods follow the same rules as the
    buttons, so a lesson or a test can drive the timer too.
    """

    _esm = traitlets.Unicode(TIMER_ESM).tag(sync=True)
    _css = traitlets.Unicode(TIMER_CSS).tag(sync=True)
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

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

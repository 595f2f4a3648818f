// The facilitator page: tabs, the full-screen round timer, the triads and the scenario cards.
// The group board's part is the board's own page code (static/board/facilitator.js).
// Names and card text are set with textContent only, never as HTML.
import { clock, secondsLeft } from "../timer.js";

const $ = (id) => document.getElementById(id);
// the page's JSON requests, with its XSRF token (the board's static/board/request.js, loaded before this)
const api = window.coachkitRequest("The web app cannot be reached right now.");

// -- tabs: the panel shown is kept in the address (#timer), so a reload comes back to it -------------------
const PANELS = ["join", "board", "timer", "triads", "cards"];
function showPanel(name) {
  if (!PANELS.includes(name)) name = "join";
  for (const panel of PANELS) $(panel).hidden = panel !== name;
  for (const tab of document.querySelectorAll(".ck-room-tab")) {
    const current = tab.dataset.panel === name;
    tab.classList.toggle("ck-room-tab--current", current);
    if (current) tab.setAttribute("aria-current", "page"); else tab.removeAttribute("aria-current");
  }
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
  if (name === "cards") loadCards();
}
for (const tab of document.querySelectorAll(".ck-room-tab")) {
  tab.addEventListener("click", () => showPanel(tab.dataset.panel));
}
window.addEventListener("hashchange", () => showPanel(location.hash.slice(1)));

// -- the round timer: set-up, round and debrief, each of the minutes typed on the page ----------------------
// The clock's rules are the RoundTimer's (coachkit/roleplay/timer.py): digits, seconds left from a deadline.
const PHASES = [
  { id: "setup", name: "Set-up", input: "setup-minutes", doing: "Read your card and take your seats." },
  { id: "round", name: "Round", input: "round-minutes", doing: "Coach asks, coachee thinks aloud, observer notes." },
  { id: "debrief", name: "Debrief", input: "debrief-minutes", doing: "Coachee first, then observer; the coach says thank you." },
];
const timer = { phases: [], index: 0, remaining: 0, running: false, up: false, deadline: null, round: 1 };
let ticking = null;

function readPhases() {
  const chosen = [];
  for (const phase of PHASES) {
    const minutes = Number($(phase.input).value || 0);
    if (!Number.isFinite(minutes) || minutes < 0 || minutes > 180) {
      throw new Error(`${phase.name}: type a number of minutes from 0 to 180.`);
    }
    const seconds = Math.round(minutes * 60);
    if (seconds > 0) chosen.push({ ...phase, seconds });
  }
  if (!chosen.some((p) => p.id === "round")) throw new Error("Round: it needs at least a few seconds.");
  return chosen;
}

function setUp() {
  // New minutes take effect while the clock is stopped at the start of a phase
  try {
    const phases = readPhases();
    $("timer-error").textContent = "";
    if (timer.running) return;
    const id = timer.phases[timer.index] ? timer.phases[timer.index].id : phases[0].id;
    timer.phases = phases;
    timer.index = Math.max(0, phases.findIndex((p) => p.id === id));
    timer.remaining = phases[timer.index].seconds;
    timer.up = false;
  } catch (e) {
    $("timer-error").textContent = e.message;
  }
  drawTimer();
}

const phase = () => timer.phases[timer.index];
const nextIndex = () => (timer.index + 1) % timer.phases.length;
const announce = (text) => { $("timer-live").textContent = text; };

function startLabel() {
  if (timer.up) {
    const next = timer.phases[nextIndex()];
    return nextIndex() === 0 ? "Start next round" : `Start ${next.name.toLowerCase()}`;
  }
  return timer.running || timer.remaining === phase().seconds ? "Start" : "Resume";
}

function statusText() {
  const current = phase();
  if (timer.up) {
    const next = timer.phases[nextIndex()];
    return nextIndex() === 0 ? "Time is up. Rotate roles for the next round." : `Time is up. Next: ${next.name}.`;
  }
  if (timer.running) return current.doing;
  return startLabel() === "Resume" ? `${current.name}: paused.` : `${current.name}: ready to start.`;
}

function drawTimer() {
  const current = phase();
  if (!current) return;
  const box = $("room-timer");
  box.classList.toggle("ck-timer--up", timer.up);
  box.classList.toggle("ck-timer--running", timer.running);
  box.classList.toggle("ck-timer--debrief", current.id === "debrief");
  box.classList.toggle("ck-timer--setup", current.id === "setup");
  box.dataset.phase = current.id;
  const title = current.id === "round" ? `Round ${timer.round}` : current.name;
  $("timer-phase").textContent = timer.up ? `${title}: Time is up` : title;
  $("timer-digits").textContent = clock(timer.remaining);
  $("timer-digits").setAttribute(
    "aria-label", `${title}, ${Math.floor(timer.remaining / 60)} minutes ${timer.remaining % 60} seconds left`,
  );
  $("timer-status").textContent = statusText();
  $("timer-start").textContent = startLabel();
  $("timer-start").disabled = timer.running;
  $("timer-pause").disabled = !timer.running;
  for (const input of PHASES.map((p) => $(p.input))) input.disabled = timer.running;
}

function stopTicking() {
  if (ticking !== null) clearInterval(ticking);
  ticking = null;
}

function tick() {
  if (!timer.running) return;
  const left = secondsLeft(timer.deadline, Date.now());
  if (left === 0) {
    stopTicking();
    Object.assign(timer, { remaining: 0, running: false, up: true, deadline: null });
    announce(statusText());
  } else if (left !== timer.remaining) {
    if (left === 60) announce("One minute left.");
    timer.remaining = left;
  }
  drawTimer();
}

function run() {
  timer.running = true;
  timer.deadline = Date.now() + timer.remaining * 1000;
  stopTicking();
  ticking = setInterval(tick, 200);
  announce(`${phase().name} started: ${clock(timer.remaining)} left.`);
}

function goTo(index) {
  if (index === 0 && timer.index !== 0) timer.round += 1;
  if (index === 0 && timer.phases.length === 1) timer.round += 1;
  timer.index = index;
  timer.remaining = phase().seconds;
  timer.up = false;
}

$("timer-start").addEventListener("click", () => {
  if (timer.running) return;
  if (timer.up) goTo(nextIndex());
  run();
  drawTimer();
});
$("timer-pause").addEventListener("click", () => {
  tick();
  timer.running = false;
  stopTicking();
  announce(`${phase().name}: paused.`);
  drawTimer();
});
$("timer-next").addEventListener("click", () => {
  stopTicking();
  timer.running = false;
  goTo(nextIndex());
  drawTimer();
});
$("timer-reset").addEventListener("click", () => {
  stopTicking();
  Object.assign(timer, { running: false, up: false, index: 0, round: 1 });
  timer.remaining = phase().seconds;
  drawTimer();
});
for (const p of PHASES) $(p.input).addEventListener("input", setUp);
$("timer-setup").addEventListener("submit", (event) => event.preventDefault());

// Full screen: the stage fills the window (and the screen, where the browser allows it); Esc leaves.
function fullScreen(on) {
  const stage = $("stage");
  stage.classList.toggle("ck-room-stage--full", on);
  document.body.classList.toggle("ck-room-has-stage", on);
  $("timer-full").textContent = on ? "Leave full screen" : "Full screen";
  if (on) {
    stage.focus();
    if (stage.requestFullscreen && !document.fullscreenElement) stage.requestFullscreen().catch(() => {});
  } else if (document.fullscreenElement) {
    document.exitFullscreen().catch(() => {});
  }
}
$("timer-full").addEventListener("click", () => fullScreen(!$("stage").classList.contains("ck-room-stage--full")));
document.addEventListener("fullscreenchange", () => {
  if (!document.fullscreenElement && $("stage").classList.contains("ck-room-stage--full")) fullScreen(false);
});
$("stage").addEventListener("keydown", (event) => {
  if (event.key === "Escape") fullScreen(false);
});
setUp();

// -- triads for the whole room ----------------------------------------------------------------------------
const NAMES_KEY = "coachkit-room-names";
let seed = null;

function cell(group) {
  const td = document.createElement("td");
  for (const [label, names] of [["Coach", group.coach], ["Coachee", group.coachee], ["Observer", group.observer]]) {
    if (!names.length) continue;
    const line = document.createElement("div");
    const role = document.createElement("span");
    role.className = `ck-room-role ck-room-role--${label.toLowerCase()}`;
    role.textContent = `${label}: `;
    line.append(role, document.createTextNode(names.join(", ")));
    td.append(line);
  }
  return td;
}

function drawPlan(plan) {
  $("triad-note").textContent = [plan.note, ...plan.messages].join(" ");
  const table = document.createElement("table");
  table.className = "ck-room-triads";
  const head = document.createElement("tr");
  const corner = document.createElement("th");
  corner.scope = "col";
  corner.textContent = "Group";
  head.append(corner);
  plan.rounds.forEach((_, index) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = `Round ${index + 1}`;
    head.append(th);
  });
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  plan.rounds[0].forEach((group, g) => {
    const row = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = `Group ${group.number}`;
    row.append(th, ...plan.rounds.map((groups) => cell(groups[g])));
    tbody.append(row);
  });
  table.append(thead, tbody);
  $("triad-plan").replaceChildren(table);
  // The whole room on one screen: a big room gets smaller type, down to 12 px. A row is three lines of
  // 1.25em, .4em of padding and a pixel of border; the header row about 1.7em; below it, the page margin.
  const groups = plan.rounds[0].length;
  const room = Math.max(300, window.innerHeight - table.getBoundingClientRect().top - 64 - groups * 2);
  table.style.fontSize = `${Math.max(12, Math.min(24, room / (groups * 4.15 + 1.7)))}px`;
}

async function buildTriads(newSeed) {
  seed = newSeed;
  const rounds = $("triad-rounds").value.trim();
  sessionStorage.setItem(NAMES_KEY, $("triad-names").value);
  try {
    const plan = await api("POST", "triads", {
      names: $("triad-names").value, rounds: rounds ? Number(rounds) : null, seed,
    });
    $("triad-status").textContent = "";
    $("triad-shuffle").disabled = false;
    formShown(false); // the plan gets the whole screen
    drawPlan(plan);
  } catch (e) {
    $("triad-status").textContent = e.message;
  }
}
function formShown(show) {
  document.querySelector(".ck-room-triad-form").hidden = !show;
  $("triad-again").hidden = show;
  if (show) $("triad-names").focus();
}
$("triad-edit").addEventListener("click", () => formShown(true));
$("triad-shuffle-again").addEventListener("click", () => buildTriads(Math.floor(Math.random() * 1e9)));
$("triad-build").addEventListener("click", () => buildTriads(seed ?? Math.floor(Math.random() * 1e9)));
$("triad-shuffle").addEventListener("click", () => buildTriads(Math.floor(Math.random() * 1e9)));
$("triad-names").value = sessionStorage.getItem(NAMES_KEY) || "";

// -- scenario cards: the coachee's brief stays hidden until asked for ----------------------------------------
let cards = null;

function list(id, rows) {
  $(id).replaceChildren(...rows.flatMap(([label, text]) => {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = text;
    return [dt, dd];
  }));
}

function coachee(show) {
  $("card-coachee").hidden = !show;
  $("card-coachee-toggle").setAttribute("aria-expanded", String(show));
  $("card-coachee-toggle").textContent = show ? "Hide the coachee's brief" : "Show the coachee's brief";
}

function showCard(id) {
  const card = cards.find((c) => c.id === id);
  if (!card) return;
  $("card-choice").value = card.id;
  $("card").hidden = false;
  $("card-title").textContent = card.title;
  $("card-theme").textContent = `${card.theme} · ${card.setting}`;
  list("card-coach", [
    ["You are", card.coach.role], ["The situation", card.coach.situation], ["Practise", card.coach.practise],
    ["If something sensitive comes out", card.coach.if_sensitive],
  ]);
  list("card-observer", [["Watch for", card.observer_focus]]);
  $("card-coachee-heading").textContent = `For the coachee: you are ${card.coachee.name}`;
  list("card-coachee-list", [
    ["Your job", card.coachee.role], ["What you know and feel", card.coachee.brief],
    ["What you hold back (share it only if the coach earns it)", card.coachee.holds_back],
  ]);
  coachee(false);
}

async function loadCards() {
  if (cards) return;
  try {
    cards = (await api("GET", "scenarios")).cards;
    $("card-choice").replaceChildren(...cards.map((c) => {
      const option = document.createElement("option");
      option.value = c.id;
      option.textContent = c.title;
      return option;
    }));
    if (cards.length) showCard(cards[0].id);
    $("card-status").textContent = "";
  } catch (e) {
    cards = null;
    $("card-status").textContent = e.message;
  }
}
$("card-choice").addEventListener("change", () => showCard($("card-choice").value));
$("card-draw").addEventListener("click", () => {
  if (!cards || !cards.length) return;
  const others = cards.filter((c) => c.id !== $("card-choice").value);
  const pool = others.length ? others : cards;
  showCard(pool[Math.floor(Math.random() * pool.length)].id);
});
$("card-coachee-toggle").addEventListener("click", () => coachee($("card-coachee").hidden));

showPanel(location.hash.slice(1));

// The facilitator's page of the group board. Every answer is learner text: it is only ever set with
// textContent, never as HTML. Requests (request.js) carry the page's XSRF token; the hub's cookie
// authenticates them.
(function () {
  "use strict";
  const api = window.coachkitRequest("The group board cannot be reached right now.");  // request.js
  const $ = (id) => document.getElementById(id);
  let current = null;
  let timer = null;

  function say(text) { $("status").textContent = text || ""; }

  function show(results) {
    $("session-prompt").textContent = results.prompt;
    const n = results.answers.length;
    $("total").textContent = `${n} ${n === 1 ? "answer" : "answers"}${results.is_open ? "" : " (closed)"}`;
    $("toggle").textContent = results.is_open ? "Close session" : "Open again";
    const isPoll = results.options.length > 0;
    $("chart").hidden = !isPoll;
    $("answers").hidden = isPoll;
    if (isPoll) {
      const body = $("chart").querySelector("tbody");
      body.replaceChildren();
      const top = Math.max(1, ...Object.values(results.counts));
      for (const option of results.options) {
        const row = document.createElement("tr");
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = option;
        const bar = document.createElement("td");
        const fill = document.createElement("div");
        fill.className = "ck-bar";
        fill.style.width = `${Math.round((100 * (results.counts[option] || 0)) / top)}%`;
        bar.append(fill);
        const count = document.createElement("td");
        count.textContent = String(results.counts[option] || 0);
        row.append(th, bar, count);
        body.append(row);
      }
    } else {
      $("answers").replaceChildren(...results.answers.map((text) => {
        const li = document.createElement("li");
        li.className = "ck-board-item";
        li.textContent = text;
        return li;
      }));
    }
  }

  async function refresh() {
    if (!current) return;
    try {
      show(await api("GET", `api/sessions/${current}/results`));
      say("");
    } catch (e) { say(e.message); }
  }

  function enter(code) {
    current = code;
    sessionStorage.setItem("coachkit-board-session", code);
    $("code").textContent = code;
    $("setup").hidden = true;
    $("session").hidden = false;
    refresh();
    if (timer) clearInterval(timer);
    timer = setInterval(refresh, 3000);
  }

  async function listSessions() {
    try {
      const data = await api("GET", "api/sessions");
      $("no-sessions").hidden = data.sessions.length > 0;
      $("sessions").replaceChildren(...data.sessions.map((s) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = `${s.code}: ${s.prompt}`;
        button.addEventListener("click", () => enter(s.code));
        li.append(button);
        return li;
      }));
    } catch (e) { say(e.message); }
  }

  $("kind").addEventListener("change", () => { $("options-box").hidden = $("kind").value !== "poll"; });
  $("open").addEventListener("click", async () => {
    const options = $("kind").value === "poll" ? $("options").value.split("\n").filter((o) => o.trim()) : [];
    try {
      const data = await api("POST", "api/sessions", { prompt: $("prompt").value, options });
      enter(data.code);
    } catch (e) { say(e.message); }
  });
  $("toggle").addEventListener("click", async () => {
    try {
      await api("PATCH", `api/sessions/${current}`, { is_open: $("toggle").textContent !== "Close session" });
      refresh();
    } catch (e) { say(e.message); }
  });
  $("clear").addEventListener("click", () => { $("confirm-clear").hidden = false; });
  $("confirm-clear").addEventListener("click", async () => {
    $("confirm-clear").hidden = true;
    try {
      const data = await api("DELETE", `api/sessions/${current}/answers`);
      say(`${data.deleted} answers deleted.`);
      refresh();
    } catch (e) { say(e.message); }
  });
  $("leave").addEventListener("click", () => {
    current = null;
    sessionStorage.removeItem("coachkit-board-session");
    if (timer) clearInterval(timer);
    $("session").hidden = true;
    $("setup").hidden = false;
    listSessions();
  });

  const saved = sessionStorage.getItem("coachkit-board-session");
  if (saved) enter(saved); else listSessions();
})();

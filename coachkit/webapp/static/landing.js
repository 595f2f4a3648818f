/* The landing page: the visitor's progress and the journal download, read from this browser's storage only and
   shown as text (never as HTML). */
(function () {
  "use strict";
  function read(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "null");
      return value && typeof value === "object" ? value : null;
    } catch (e) {
      return null;
    }
  }

  /* The progress: each lesson's and self-check's status, the follow-up due, where to continue. */
  function showProgress() {
    var progress = read("coachkit.progress.v1") || {};
    var visited = progress.visited && typeof progress.visited === "object" ? progress.visited : {};
    var journal = read("coachkit.journal.v1") || {};
    var entries = Array.isArray(journal.entries) ? journal.entries : [];
    var completed = {};
    entries.forEach(function (entry) {
      if (entry && typeof entry.lesson === "string") { completed[entry.lesson] = true; }
    });
    var items = document.querySelectorAll(".ck-lesson-item");
    var done = 0, seen = 0;
    items.forEach(function (item) {
      var name = item.getAttribute("data-lesson");
      var status = item.querySelector(".ck-lesson-status");
      if (completed[name]) {
        status.textContent = "Saved in journal";
        status.setAttribute("data-status", "completed");
        done += 1; seen += 1;
      } else if (visited[name]) {
        status.textContent = "Opened";
        status.setAttribute("data-status", "visited");
        seen += 1;
      } else {
        status.textContent = "Not started";
        status.setAttribute("data-status", "new");
      }
    });
    var summary = document.getElementById("ck-progress-summary");
    var finished = items.length > 0 && seen === items.length;
    summary.textContent = seen === 0
      ? "You have not opened a lesson yet. Start with lesson 00."
      : finished
        ? "You have finished the course: you opened all " + items.length + " lessons" +
          (done ? ", and " + done + (done === 1 ? " has" : " have") + " something saved in your journal" : "") +
          ". Download your journal below to keep it, and come back to any lesson when you need it."
        : "You have opened " + seen + " of " + items.length + " lessons; " + done +
          (done === 1 ? " has" : " have") + " something saved in your journal.";
    summary.setAttribute("data-finished", finished ? "yes" : "no");
    // Each exercise's self-check: its latest result in this browser's journal, or not done yet.
    document.querySelectorAll(".ck-selfcheck-item").forEach(function (item) {
      var name = item.getAttribute("data-exercise");
      var results = entries.filter(function (entry) {
        return entry && entry.kind === "selfcheck" && entry.lesson === name && entry.data;
      });
      var latest = results.length ? results[results.length - 1].data : null;
      var status = item.querySelector(".ck-selfcheck-status");
      if (latest && typeof latest.right === "number" && typeof latest.total === "number") {
        status.textContent = "Done: " + latest.right + " of " + latest.total + " right" +
          (results.length > 1 ? " (checked " + results.length + " times)" : "");
        status.setAttribute("data-status", "done");
      } else {
        status.textContent = "Not done yet";
        status.setAttribute("data-status", "new");
      }
    });
    // An action plan whose follow-up day has passed, and no finished review of it: ask how it went.
    var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"];
    var plans = entries.filter(function (entry) { return entry && entry.kind === "action-plan"; });
    var plan = plans.length ? plans[plans.length - 1] : null;
    var planData = plan && plan.data && typeof plan.data === "object" ? plan.data : {};
    var due = typeof planData.follow_up_date === "string" ? planData.follow_up_date.match(/^(\d{4})-(\d{2})-(\d{2})$/) : null;
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    var reviewed = plan && entries.some(function (entry) {
      return entry && entry.kind === "follow-up-review" && entry.data && entry.data.plan === plan.id &&
        entry.data.reviewed === true;
    });
    var review = document.querySelector('.ck-lesson-item[data-lesson="07-whats-keeping-you"] .ck-lesson-link');
    if (due && planData.follow_up_date < today && !reviewed && review) {
      var who = typeof planData.who === "string" && planData.who ? planData.who : "the person in your plan";
      var month = MONTHS[parseInt(due[2], 10) - 1] || due[2];
      document.getElementById("ck-followup-text").textContent = "Your follow-up with " + who + " was due on " +
        parseInt(due[3], 10) + " " + month + " " + due[1] + ": how did it go?";
      document.getElementById("ck-followup-link").href = review.getAttribute("href");
      document.getElementById("ck-followup").hidden = false;
    }
    var last = typeof progress.last === "string" ? progress.last : null;
    if (last && !finished) {
      var target = document.querySelector('.ck-lesson-item[data-lesson="' + CSS.escape(last) + '"] .ck-lesson-link');
      if (target) {
        var link = document.getElementById("ck-continue-link");
        link.href = target.getAttribute("href");
        link.textContent = "Continue where you left off: " + target.querySelector(".ck-lesson-title").textContent;
        document.getElementById("ck-continue").hidden = false;
      }
    }
  }

  /* "Download my journal": one click saves coachkit-journal.md, the very file the lessons' journal bar gives.
     The landing page has no kernel, so it does not write the file itself: each lesson page stores its own
     export next to the journal ("coachkit.journal.export.v1", made by the workshop's one exporter), and this
     button downloads it when it holds exactly the entries of the journal. Nothing is sent anywhere. */
  function offerDownload() {
    var button = document.getElementById("ck-journal-download");
    var count = document.getElementById("ck-journal-count");
    if (!button) { return; }
    function state() {
      var doc = read("coachkit.journal.v1");
      var entries = doc && Array.isArray(doc.entries) ? doc.entries : [];
      var ids = entries.map(function (entry) { return entry && entry.id; }).filter(Boolean).sort();
      var exported = read("coachkit.journal.export.v1");
      var exportedIds = exported && Array.isArray(exported.ids) ? exported.ids.slice().sort() : null;
      var current = exportedIds !== null && typeof exported.markdown === "string" &&
        exportedIds.length === ids.length && exportedIds.every(function (id, i) { return id === ids[i]; });
      return { count: ids.length, markdown: current ? exported.markdown : null };
    }
    function show() {
      var now = state();
      button.hidden = now.count === 0;  // no grey button that looks broken: a sentence instead
      if (now.count === 0) {
        count.textContent = "Your journal is empty so far: what you save in the lessons appears here, ready to download.";
      } else if (now.markdown === null) {
        count.textContent = "Your journal has " + now.count + (now.count === 1 ? " entry" : " entries") +
          ". Open any lesson once and its journal bar prepares the download here.";
      } else {
        count.textContent = "Your journal has " + now.count + (now.count === 1 ? " entry." : " entries.") +
          " One click saves coachkit-journal.md, which any lesson can import again.";
      }
      button.disabled = now.markdown === null;
      return now;
    }
    show();
    window.addEventListener("storage", show);
    button.addEventListener("click", function () {
      var now = show();
      if (now.markdown === null) { return; }
      var blob = new Blob([now.markdown], { type: "text/markdown" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "coachkit-journal.md";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    });
  }

  try {
    showProgress();
  } finally {
    offerDownload();  // the download works even where the progress could not be shown
  }
})();

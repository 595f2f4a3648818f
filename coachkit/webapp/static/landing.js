/* The landing page's progress: read from this browser's storage only, shown as text (never as HTML). */
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
      status.textContent = "Reflection saved";
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
  summary.textContent = seen === 0
    ? "You have not opened a lesson yet. Start with lesson 00."
    : "You have opened " + seen + " of " + items.length + " lessons and saved a reflection in " + done + ".";
  var last = typeof progress.last === "string" ? progress.last : null;
  if (last) {
    var target = document.querySelector('.ck-lesson-item[data-lesson="' + CSS.escape(last) + '"] .ck-lesson-link');
    if (target) {
      var link = document.getElementById("ck-continue-link");
      link.href = target.getAttribute("href");
      link.textContent = "Continue where you left off: " + target.querySelector(".ck-lesson-title").textContent;
      document.getElementById("ck-continue").hidden = false;
    }
  }
})();

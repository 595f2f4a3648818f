/* The lesson page's guard, loaded in <head> before Voila's own scripts (issue 18).

   1. Connection watch. Voila shows nothing when the server or the lesson's kernel goes away (voila#67):
      buttons then do nothing and old results look current. Every kernel websocket the page opens is
      watched; when none is open for a moment, a banner says so, every result and "saved" message is
      marked as possibly out of date, and the buttons that need the server are disabled. Text boxes stay
      editable: what is typed keeps going into the drafts below. While the connection is lost the page asks
      the server, every few seconds, whether it is back, and then offers the reload that brings it to life.
   2. Drafts. What a visitor types in a lesson's text boxes is kept in this browser's localStorage
      ("coachkit.drafts.v1", keyed by lesson and by the box's label), never on the server, and put back
      when the page is reloaded. A draft is dropped once the form it belongs to reports a confirmed save
      (an element with data-ck-saved, written by the widgets after the journal store confirmed).
   3. Large files. A file chosen for an upload (the journal import) that is larger than a journal can be is
      refused in the page, with its size, instead of being sent (the server drops a websocket message
      over 10 MiB, and the page would go quiet).
   4. Leaving. A page with typed text that was neither saved nor checked asks before it is left.

   Learner text is only ever assigned as a form value or textContent, never as HTML. */
(function () {
  "use strict";

  var DRAFTS_KEY = "coachkit.drafts.v1";
  var LOST_AFTER_MS = 1500; // a socket that closes and reopens at once (a reconnect) is not news
  var POLL_MS = 3000;
  var FIELD_SELECTOR = "textarea, input[type=text], input:not([type])";
  var SERVER_CONTROLS = "button, select, input[type=checkbox], input[type=radio], input[type=range], " +
    "input[type=file], input[type=number]";
  var STALE_SELECTOR = ".ck-status, .ck-verdict, [role=status], .ck-download-ready, .ck-result";

  var guard = (window.coachkitGuard = {
    state: "connecting", // "connecting" | "connected" | "lost" | "back"
    openSockets: 0,
    everConnected: false,
    leaving: false,
    skipLeaveWarning: false,
  });

  /* ---------- 1. connection watch ---------- */

  var NativeWebSocket = window.WebSocket;
  var lostTimer = null;

  function isKernelSocket(url) {
    return /\/api\/kernels\/[^/?#]+\/channels/.test(String(url));
  }

  function WatchedWebSocket(url, protocols) {
    var socket = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (isKernelSocket(url)) {
      var opened = false;
      socket.addEventListener("open", function () {
        opened = true;
        guard.openSockets += 1;
        onSocketOpen();
      });
      socket.addEventListener("close", function () {
        if (opened) {
          guard.openSockets = Math.max(0, guard.openSockets - 1);
        }
        onSocketClosed();
      });
    }
    return socket;
  }
  WatchedWebSocket.prototype = NativeWebSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
    WatchedWebSocket[name] = NativeWebSocket[name];
  });
  window.WebSocket = WatchedWebSocket;

  function onSocketOpen() {
    guard.everConnected = true;
    if (lostTimer) {
      window.clearTimeout(lostTimer);
      lostTimer = null;
    }
    if (guard.state === "connecting") {
      guard.state = "connected";
    }
    // After a loss a new socket may open (the server is back), but the page's kernel is gone with the old
    // server: only a reload brings the lesson back, so the banner stays and says the server is back.
  }

  function onSocketClosed() {
    if (guard.leaving || guard.openSockets > 0 || !guard.everConnected || lostTimer) {
      return;
    }
    lostTimer = window.setTimeout(function () {
      lostTimer = null;
      if (!guard.leaving && guard.openSockets === 0 && guard.state !== "lost" && guard.state !== "back") {
        connectionLost();
      }
    }, LOST_AFTER_MS);
  }

  function cells() {
    // never null: a timer or a storage event can fire before <body> is parsed on a slow machine
    return document.getElementById("rendered_cells") || document.body || document.documentElement;
  }

  function banner() {
    var box = document.getElementById("ck-connection");
    if (box) {
      return box;
    }
    box = document.createElement("div");
    box.id = "ck-connection";
    box.className = "ck-connection-banner";
    box.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.className = "ck-connection-text";
    var reload = document.createElement("button");
    reload.type = "button";
    reload.className = "ck-connection-reload";
    reload.textContent = "Reload the page";
    reload.addEventListener("click", function () {
      guard.skipLeaveWarning = true; // what was typed is kept as a draft and comes back after the reload
      window.location.reload();
    });
    box.appendChild(text);
    box.appendChild(reload);
    document.body.insertBefore(box, document.body.firstChild);
    return box;
  }

  function setBanner(message, state) {
    var box = banner();
    box.querySelector(".ck-connection-text").textContent = message;
    box.setAttribute("data-state", state);
  }

  function markStale(root) {
    root.querySelectorAll(STALE_SELECTOR).forEach(function (element) {
      if (
        element.closest(".ck-connection-banner") ||
        element.classList.contains("ck-stale") ||
        element.classList.contains("ck-draft-note") || // said by this page, not by the server
        element.classList.contains("ck-upload-refused")
      ) {
        return;
      }
      if (!element.textContent.trim()) {
        return;
      }
      if (element.parentElement && element.parentElement.closest(".ck-stale")) {
        return;
      }
      element.classList.add("ck-stale");
      var note = document.createElement("span");
      note.className = "ck-stale-note";
      note.textContent = "May be out of date (connection lost): ";
      element.insertBefore(note, element.firstChild);
    });
  }

  function disableControls(root) {
    root.querySelectorAll(SERVER_CONTROLS).forEach(function (control) {
      if (control.closest(".ck-connection-banner") || control.disabled) {
        return;
      }
      control.disabled = true;
      control.setAttribute("data-ck-offline", "disabled");
      control.title = "Needs the connection to the workshop's server: reload the page once it is back.";
    });
  }

  function connectionLost() {
    guard.state = "lost";
    document.body.classList.add("ck-offline");
    setBanner(
      "Connection lost: reload the page; your journal is safe in this browser. " +
        "What you type now is kept in this browser too.",
      "lost"
    );
    markStale(cells());
    disableControls(cells());
    pollServer();
  }

  function pollServer() {
    var probe = (document.body.getAttribute("data-base-url") || "/voila/").replace(/voila\/$/, "") +
      "coachkit/static/lesson-guard.js";
    window.setTimeout(function () {
      if (guard.state !== "lost") {
        return;
      }
      window
        .fetch(probe, { method: "HEAD", cache: "no-store" })
        .then(function (response) {
          if (response.ok) {
            guard.state = "back";
            setBanner(
              "The workshop's server is back. Reload the page to carry on; what you typed comes back with it.",
              "back"
            );
          } else {
            pollServer();
          }
        })
        .catch(pollServer);
    }, POLL_MS);
  }

  /* ---------- 2. drafts ---------- */

  var dirty = new Set();
  var keys = new WeakMap();
  var fieldsByKey = {}; // key -> the box on this page

  // A box the lesson itself emptied (a chat box after its message was sent, a form after "Start again")
  // holds nothing unsaved: its draft goes, and leaving the page does not ask about it.
  function forgetEmptied() {
    Array.from(dirty).forEach(function (key) {
      var field = fieldsByKey[key];
      if (field && !isCarrier(field) && document.contains(field) && field.value === "") {
        dirty.delete(key);
        saveDraft(key, "");
      }
    });
  }

  function lessonName() {
    var main = document.getElementById("ck-lesson");
    return (main && main.getAttribute("data-lesson")) || window.location.pathname;
  }

  function readDrafts() {
    try {
      var all = JSON.parse(window.localStorage.getItem(DRAFTS_KEY) || "{}");
      return all && typeof all === "object" && !Array.isArray(all) ? all : {};
    } catch (e) {
      return {};
    }
  }

  function writeDrafts(all) {
    try {
      window.localStorage.setItem(DRAFTS_KEY, JSON.stringify(all));
      return true;
    } catch (e) {
      return false; // storage full or turned off: the page still works, without drafts
    }
  }

  function lessonDrafts() {
    var all = readDrafts();
    var mine = all[lessonName()];
    return mine && typeof mine === "object" ? mine : {};
  }

  function saveDraft(key, value) {
    var all = readDrafts();
    var mine = all[lessonName()] && typeof all[lessonName()] === "object" ? all[lessonName()] : {};
    if (value) {
      mine[key] = { value: String(value).slice(0, 20000), saved: new Date().toISOString() };
    } else {
      delete mine[key];
    }
    all[lessonName()] = mine;
    writeDrafts(all);
  }

  function fieldLabel(field) {
    var box = field.closest(".widget-inline-hbox, .widget-inline-vbox, .jupyter-widgets");
    var label = box && box.querySelector(".widget-label");
    var text = (label && label.textContent.trim()) || field.getAttribute("aria-label") ||
      field.getAttribute("placeholder") || field.tagName.toLowerCase();
    return text.slice(0, 120);
  }

  // A box's key: its label and how many boxes with the same label come before it on the page.
  function assignKeys() {
    var counts = {};
    cells().querySelectorAll(FIELD_SELECTOR).forEach(function (field) {
      if (field.closest(".ck-connection-banner")) {
        return;
      }
      var label = fieldLabel(field);
      counts[label] = (counts[label] || 0) + 1;
      if (!keys.has(field)) {
        keys.set(field, label + " #" + counts[label]);
      }
      fieldsByKey[keys.get(field)] = field;
    });
  }

  function setFieldValue(field, value) {
    field.value = value;
    // ipywidgets' views listen for these, so the restored text reaches the lesson as if typed
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function noteRestored(field) {
    var box = field.closest(".widget-inline-hbox, .widget-inline-vbox, .jupyter-widgets") || field;
    if (box.parentElement && !box.parentElement.querySelector(".ck-draft-note")) {
      var note = document.createElement("p");
      note.className = "ck-draft-note";
      note.setAttribute("role", "status");
      note.textContent = "Restored what you typed here before the page was reloaded (kept in this browser only).";
      box.insertAdjacentElement("afterend", note);
    }
  }

  function restore(field) {
    var key = keys.get(field);
    var draft = key && lessonDrafts()[key];
    var carrier = isCarrier(field);
    if (carrier) {
      restoreDone[key] = true;
      if (field.value) {
        carrierSeen(field); // the widget has state of its own already, newer than any draft
        return;
      }
    }
    if (!draft || typeof draft.value !== "string" || !draft.value || field.value === draft.value) {
      return;
    }
    field.setAttribute("data-ck-draft", "restored");
    dirty.add(key);
    if (carrier) {
      carried[key] = draft.value; // the same text the kernel wrote, so the kernel's echo is no news
    }
    setFieldValue(field, draft.value);
    if (carrier) {
      return; // its widget says itself what came back, and takes a draft only while empty: no race to win
    }
    noteRestored(field);
    // The lesson may fill the box from the journal a moment later; the draft is newer, so it wins until
    // the visitor types.
    var checks = 0;
    var again = window.setInterval(function () {
      checks += 1;
      if (checks > 12 || field.getAttribute("data-ck-typed") === "yes" || !document.contains(field)) {
        window.clearInterval(again);
      } else if (field.value !== draft.value) {
        setFieldValue(field, draft.value);
      }
    }, 500);
  }

  var seen = new WeakSet();
  var carried = {}; // a draft carrier's key -> the value last kept as its draft
  var restoreDone = {}; // a carrier's key -> true once restore() has decided about its draft

  function isCarrier(field) {
    return Boolean(field.closest(".ck-draft-carrier"));
  }

  // A widget that is not a text box (the observer tally) writes its state into a hidden carrier box. The
  // kernel sets that value through the widget's view (input.value = ...), which fires no event and no
  // mutation, so the box's own value setter is wrapped: every value the view writes is seen as it is
  // written, whenever that is, instead of by a timer that could take a value already set as its baseline.
  var nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");

  function hookValue(field) {
    if (field.tagName !== "INPUT" || field.hasAttribute("data-ck-value-hooked") || !nativeValue) {
      return;
    }
    field.setAttribute("data-ck-value-hooked", "yes");
    Object.defineProperty(field, "value", {
      configurable: true,
      enumerable: true,
      get: function () {
        return nativeValue.get.call(this);
      },
      set: function (value) {
        nativeValue.set.call(this, value);
        carrierSeen(this);
      },
    });
  }

  // The carrier always holds the kernel's whole state of its widget ("" for an empty one), so its draft is
  // simply the latest value, from the first one on. One exception: a fresh kernel's empty widget is shown
  // before restore() has put the stored draft back, and that "" must not wipe the draft.
  function carrierSeen(field) {
    if (!isCarrier(field) || !document.contains(field)) {
      return;
    }
    var key = keys.get(field);
    var value = field.value;
    if (!key || carried[key] === value) {
      return;
    }
    if (value === "" && !restoreDone[key]) {
      return;
    }
    carried[key] = value;
    saveDraft(key, value);
    if (value) {
      dirty.add(key);
    } else {
      dirty.delete(key);
    }
  }

  function watchCarriers() {
    cells().querySelectorAll(".ck-draft-carrier input").forEach(carrierSeen);
  }

  window.setInterval(function () {
    scrollToAnchor();
    forgetEmptied();
  }, 1000);

  function watchFields() {
    assignKeys();
    cells().querySelectorAll(FIELD_SELECTOR).forEach(function (field) {
      if (seen.has(field) || !keys.has(field)) {
        return;
      }
      seen.add(field);
      hookValue(field);
      carrierSeen(field); // its first value was written before it reached the page
      field.addEventListener("input", function (event) {
        if (!event.isTrusted) {
          return;
        }
        field.setAttribute("data-ck-typed", "yes");
        var key = keys.get(field);
        saveDraft(key, field.value);
        if (field.value) {
          dirty.add(key);
        } else {
          dirty.delete(key);
        }
      });
      if (guard.state === "lost" || guard.state === "back") {
        return;
      }
      // wait for the widget's view to bind its events before the restored value is sent
      window.setTimeout(function () {
        restore(field);
      }, 300);
    });
  }

  // A confirmed save: the form's boxes are in the journal now, so their drafts go.
  function onSaved(element) {
    var form = element.parentElement;
    while (form && form !== cells() && !form.querySelector(FIELD_SELECTOR)) {
      form = form.parentElement;
    }
    if (!form || form === cells()) {
      return;
    }
    form.querySelectorAll(FIELD_SELECTOR).forEach(function (field) {
      var key = keys.get(field);
      if (key) {
        dirty.delete(key);
        saveDraft(key, "");
        field.removeAttribute("data-ck-draft");
      }
    });
    form.querySelectorAll(".ck-draft-note").forEach(function (note) {
      note.remove();
    });
  }

  // A link to a part of the lesson (the landing page links to each self-check: #ck-selfcheck-a01-...):
  // the part is drawn by a widget after the page has loaded, so the browser cannot scroll to it itself.
  var scrolledTo = null;
  function scrollToAnchor() {
    var hash = window.location.hash.slice(1);
    if (!hash || scrolledTo === hash) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(hash));
    // Voila shows the cells only once all have run: scroll when the target can be seen
    if (target && target.getClientRects().length > 0) {
      scrolledTo = hash;
      window.setTimeout(function () {
        target.scrollIntoView({ block: "start" });
      }, 200);
    }
  }
  window.addEventListener("hashchange", function () {
    scrolledTo = null;
    scrollToAnchor();
  });

  function scan(mutations) {
    watchFields();
    scrollToAnchor();
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) {
          return;
        }
        var saved = node.matches("[data-ck-saved]") ? [node] : node.querySelectorAll("[data-ck-saved]");
        saved.forEach(onSaved);
      });
    });
    if (guard.state === "lost" || guard.state === "back") {
      markStale(cells());
      disableControls(cells());
    }
  }

  /* ---------- 3. files too large to send ---------- */

  // A chosen file goes to the kernel in one websocket message, and the server closes a socket whose message
  // is over 10 MiB: the page would silently die. A journal export is far smaller (the kernel refuses
  // imports over 8,000,000 bytes), so a larger file is stopped here, before ipywidgets reads it.
  var UPLOAD_LIMIT = 8000000;

  function megabytes(bytes) {
    return (bytes / 1000000).toFixed(bytes < 10000000 ? 1 : 0) + " MB";
  }

  var lastUpload = null; // ipywidgets' upload button; its file input is never attached to the page

  document.addEventListener(
    "click",
    function (event) {
      var upload = event.target && event.target.closest && event.target.closest(".widget-upload");
      if (upload) {
        lastUpload = upload;
      }
    },
    true
  );

  function onFileChosen(event) {
    var input = event.target;
    if (!input || input.type !== "file" || !input.files) {
      return;
    }
    var anchor = input.isConnected ? input.closest(".jupyter-widgets") || input : lastUpload;
    var where = anchor && anchor.parentElement ? anchor.parentElement : cells();
    var old = where.querySelector(".ck-upload-refused");
    if (old) {
      old.remove();
    }
    var large = Array.prototype.filter.call(input.files, function (file) {
      return file.size > UPLOAD_LIMIT;
    });
    if (!large.length) {
      return;
    }
    event.stopImmediatePropagation();
    input.value = "";
    var note = document.createElement("p");
    note.className = "ck-status ck-status--error ck-upload-refused";
    note.setAttribute("role", "alert");
    note.textContent = "Nothing was imported: " + large[0].name + " is " + megabytes(large[0].size) +
      ", and a journal file is at most " + megabytes(UPLOAD_LIMIT) + " (a journal of hundreds of " +
      "entries is well under 1 MB). Choose the file you downloaded with 'Download my journal'.";
    if (anchor && anchor.parentElement) {
      anchor.insertAdjacentElement("afterend", note);
    } else {
      where.insertBefore(note, where.firstChild);
    }
  }

  // Listeners on one element run in the order they were added: this one is added as the input is made,
  // before ipywidgets adds its own, so a refused file never reaches the widget.
  var nativeCreateElement = Document.prototype.createElement;
  Document.prototype.createElement = function (name) {
    var element = nativeCreateElement.apply(this, arguments);
    if (String(name).toLowerCase() === "input") {
      element.addEventListener("change", onFileChosen);
    }
    return element;
  };

  /* ---------- 4. leaving ---------- */

  window.addEventListener("beforeunload", function (event) {
    forgetEmptied();
    if (dirty.size > 0 && !guard.skipLeaveWarning) {
      event.preventDefault();
      event.returnValue = "";
      return "";
    }
    guard.leaving = true;
  });
  window.addEventListener("pagehide", function () {
    guard.leaving = true;
  });

  function start() {
    new MutationObserver(scan).observe(cells(), { childList: true, subtree: true });
    // a box becomes a carrier when ipywidgets adds the class, which may be after the box is on the page
    new MutationObserver(function (mutations) {
      if (mutations.some(function (m) { return m.target.classList.contains("ck-draft-carrier"); })) {
        watchFields();
        watchCarriers();
      }
    }).observe(cells(), { subtree: true, attributes: true, attributeFilter: ["class"] });
    watchFields();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  guard.dirtyFields = function () {
    return Array.from(dirty);
  };
})();

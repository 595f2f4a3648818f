const KEY = "coachkit.journal.v1";
const EXPORT_KEY = "coachkit.journal.export.v1";
const EMPTY = () => ({ schema: 1, entries: [] });

function readDoc() {
  let raw;
  try {
    raw = window.localStorage.getItem(KEY);
  } catch (e) {
    return { doc: EMPTY(), unavailable: true };
  }
  if (raw === null) return { doc: EMPTY() };
  try {
    const doc = JSON.parse(raw);
    if (doc && typeof doc === "object" && doc.schema === 1 && Array.isArray(doc.entries)) return { doc };
  } catch (e) { /* unreadable: kept aside below */ }
  const aside = "coachkit.journal.corrupt-" + new Date().toISOString().replace(/[:.]/g, "-");
  try {
    window.localStorage.setItem(aside, raw);
    window.localStorage.removeItem(KEY);
  } catch (e) {
    return { doc: EMPTY(), unavailable: true };
  }
  return { doc: EMPTY(), recovered: aside };
}

function writeDoc(doc) {
  window.localStorage.setItem(KEY, JSON.stringify(doc));
}

function merge(doc, entries) {
  const known = new Set(doc.entries.map((entry) => entry && entry.id));
  for (const entry of entries || []) {
    if (entry && typeof entry.id === "string" && !known.has(entry.id)) {
      doc.entries.push(entry);
      known.add(entry.id);
    }
  }
  return doc;
}

// The kernel connection may not be open yet, or already closed while the learner leaves the page;
// a message that cannot go is dropped (the retry loop below sends the report again).
function send(model, msg) {
  try {
    model.send(msg);
    return true;
  } catch (e) {
    return false;
  }
}

function report(model, extra) {
  const found = readDoc();
  send(model, {
    op: "document",
    text: JSON.stringify(found.doc),
    recovered: found.recovered || null,
    unavailable: Boolean(found.unavailable),
    ...(extra || {}),
  });
}

export default {
  initialize({ model }) {
    const onMessage = (msg) => {
      if (!msg || msg.op === "ack") return;
      try {
        if (msg.op === "add") {
          writeDoc(merge(readDoc().doc, msg.entries));
        } else if (msg.op === "export") {
          // the lesson's own export, kept for the landing page's download (one exporter, one format)
          try {
            window.localStorage.setItem(EXPORT_KEY, JSON.stringify({ ids: msg.ids, markdown: msg.markdown }));
          } catch (e) {
            try {
              window.localStorage.removeItem(EXPORT_KEY); // full: the landing page says where to download
            } catch (ignored) { /* storage turned off: nothing to remove */ }
          }
          return;
        } else if (msg.op === "clear") {
          writeDoc(EMPTY());
          // "Delete my data" also removes damaged copies kept aside in this browser
          for (let i = window.localStorage.length - 1; i >= 0; i -= 1) {
            const key = window.localStorage.key(i);
            if (key && key.startsWith("coachkit.journal.corrupt-")) window.localStorage.removeItem(key);
          }
        }
        report(model);
      } catch (e) {
        send(model, { op: "error", name: String((e && e.name) || "Error") });
      }
    };
    const onStorage = (event) => {
      if (event.key === KEY || event.key === null) report(model);
    };
    model.on("msg:custom", onMessage);
    window.addEventListener("storage", onStorage);
    return () => {
      model.off("msg:custom", onMessage);
      window.removeEventListener("storage", onStorage);
    };
  },
  render({ model, el }) {
    el.classList.add("ck-journal-bridge");
    el.style.display = "none";
    // The first report goes out from render, not initialize: Voila builds every widget model of the page
    // before it renders any, so the kernel's answer (which updates other widgets) cannot arrive before
    // those widgets exist. It is repeated until the kernel acknowledges it.
    let answered = false;
    const onAck = (msg) => {
      if (msg && msg.op === "ack") answered = true;
    };
    model.on("msg:custom", onAck);
    let tries = 0;
    const retry = window.setInterval(() => {
      tries += 1;
      if (answered || tries > 120) {
        window.clearInterval(retry);
        model.off("msg:custom", onAck);
      } else {
        report(model);
      }
    }, 500);
    report(model);
    return () => {
      window.clearInterval(retry);
      model.off("msg:custom", onAck);
    };
  },
};

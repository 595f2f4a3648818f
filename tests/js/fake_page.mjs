// A small stand-in for the browser and anywidget, enough to run a widget's _esm in Node:
// elements with classes, attributes, text, children, events and simple innerHTML; a model with
// get/set/on/off/save_changes/send; a clock and timers the test moves by hand; localStorage.

class FakeClassList {
  constructor(el) { this.el = el; }
  get names() { return (this.el.getAttribute("class") || "").split(/\s+/).filter(Boolean); }
  set names(list) { this.el.setAttribute("class", list.join(" ")); }
  add(...names) { this.names = [...new Set([...this.names, ...names])]; }
  remove(...names) { this.names = this.names.filter((n) => !names.includes(n)); }
  contains(name) { return this.names.includes(name); }
  toggle(name, force) {
    const on = force === undefined ? !this.contains(name) : Boolean(force);
    if (on) this.add(name); else this.remove(name);
    return on;
  }
}

export class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = {};
    this.children = [];
    this.listeners = {};
    this.style = {};
    this.ownText = "";
    this.classList = new FakeClassList(this);
    this.disabled = false;
  }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  get className() { return this.getAttribute("class") || ""; }
  set className(value) { this.setAttribute("class", value); }
  get id() { return this.getAttribute("id") || ""; }
  set id(value) { this.setAttribute("id", value); }
  get htmlFor() { return this.getAttribute("for") || ""; }
  set htmlFor(value) { this.setAttribute("for", value); }
  get textContent() { return this.ownText + this.children.map((c) => c.textContent).join(""); }
  set textContent(value) { this.children = []; this.ownText = String(value); }
  append(...nodes) { this.children.push(...nodes); }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  removeEventListener(type, fn) { this.listeners[type] = (this.listeners[type] || []).filter((f) => f !== fn); }
  dispatch(type, extra = {}) { for (const fn of this.listeners[type] || []) fn({ type, target: this, ...extra }); }
  click() { if (!this.disabled) this.dispatch("click"); }
  focus() {}
  descendants() { return this.children.flatMap((c) => [c, ...c.descendants()]); }
  querySelector(selector) {
    if (!selector.startsWith(".")) throw new Error(`fake page: only .class selectors, not ${selector}`);
    return this.descendants().find((c) => c.classList.contains(selector.slice(1))) || null;
  }
  // Enough HTML for a widget's own templates: nested tags with quoted attributes, and text.
  set innerHTML(html) {
    this.children = [];
    this.ownText = "";
    const stack = [this];
    const token = /<\/(\w+)\s*>|<(\w+)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*(\/?)>|([^<]+)/g;
    for (const [, closing, tag, attrs, selfClosing, text] of html.matchAll(token)) {
      const parent = stack[stack.length - 1];
      if (closing) { stack.pop(); continue; }
      if (text !== undefined) {
        if (text.trim()) parent.append(Object.assign(new FakeElement("#text"), { ownText: text.trim() }));
        continue;
      }
      const el = new FakeElement(tag);
      for (const [, name, value] of attrs.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) el.setAttribute(name, value ?? "");
      parent.append(el);
      if (!selfClosing) stack.push(el);
    }
  }
}

export class FakeModel {
  constructor(values) {
    this.values = { ...values };
    this.handlers = {};
    this.saved = 0;
    this.sent = [];
  }
  get(key) { return this.values[key]; }
  set(key, value) {
    const old = this.values[key];
    this.values[key] = value;
    if (old !== value) this.emit(`change:${key}`), this.emit("change");
  }
  on(event, fn) { (this.handlers[event] ||= []).push(fn); }
  off(event, fn) { this.handlers[event] = (this.handlers[event] || []).filter((f) => f !== fn); }
  emit(event, ...args) { for (const fn of [...(this.handlers[event] || [])]) fn(...args); }
  save_changes() { this.saved += 1; }
  send(msg) { this.sent.push(msg); }
  // what the kernel sends the widget
  receive(msg) { this.emit("msg:custom", msg); }
}

export class FakeStorage {
  constructor(items = {}) { this.items = { ...items }; }
  get length() { return Object.keys(this.items).length; }
  key(i) { return Object.keys(this.items)[i] ?? null; }
  getItem(key) { return key in this.items ? this.items[key] : null; }
  setItem(key, value) { this.items[key] = String(value); }
  removeItem(key) { delete this.items[key]; }
}

// A clock and timers moved by hand: advance(ms) runs every interval that falls due.
export function installFakeTime(start = 1_000_000) {
  let now = start;
  let nextId = 1;
  const intervals = new Map();
  Date.now = () => now;
  const setIntervalFake = (fn, ms) => { intervals.set(nextId, { fn, ms, due: now + ms }); return nextId++; };
  const clearIntervalFake = (id) => { intervals.delete(id); };
  globalThis.setInterval = setIntervalFake;
  globalThis.clearInterval = clearIntervalFake;
  return {
    setInterval: setIntervalFake,
    clearInterval: clearIntervalFake,
    active: () => intervals.size,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...intervals.entries()].filter(([, t]) => t.due <= end).sort((a, b) => a[1].due - b[1].due);
        if (!due.length) break;
        const [, timer] = due[0];
        now = timer.due;
        timer.due += timer.ms;
        timer.fn();
      }
      now = end;
    },
  };
}

export function installFakeWindow(storage) {
  const listeners = {};
  const time = installFakeTime();
  globalThis.window = {
    localStorage: storage,
    addEventListener(type, fn) { (listeners[type] ||= []).push(fn); },
    removeEventListener(type, fn) { listeners[type] = (listeners[type] || []).filter((f) => f !== fn); },
    dispatch(type, event) { for (const fn of listeners[type] || []) fn(event); },
    listeners,
    setInterval: time.setInterval,
    clearInterval: time.clearInterval,
  };
  globalThis.document = { createElement: (tag) => new FakeElement(tag) };
  return { window: globalThis.window, time };
}

globalThis.document = { createElement: (tag) => new FakeElement(tag) };

function render({ model, el }) {
  const id = "ck-range-" + Math.random().toString(36).slice(2);
  const wrap = document.createElement("div");
  wrap.className = "ck-range";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "ck-range-label";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.className = "ck-range-input";
  const output = document.createElement("output");
  output.htmlFor = id;
  output.className = "ck-range-value";
  wrap.append(label, input, output);
  el.append(wrap);

  const text = (value) => {
    const labels = model.get("value_labels");
    const step = model.get("step") || 1;
    const index = Math.round((value - model.get("min")) / step);
    if (labels.length && labels[index] !== undefined) return labels[index];
    return Number(value).toFixed(model.get("decimals"));
  };
  const show = (value) => {
    output.textContent = text(value);
    input.setAttribute("aria-valuetext", text(value));
  };
  const sync = () => {
    label.textContent = model.get("description");
    label.style.flexBasis = model.get("label_width");
    input.min = String(model.get("min"));
    input.max = String(model.get("max"));
    input.step = String(model.get("step"));
    input.value = String(model.get("value"));
    input.disabled = model.get("disabled");
    show(model.get("value"));
  };
  // "input" fires while dragging (only the shown number changes); "change" fires on release or key press
  input.addEventListener("input", () => show(Number(input.value)));
  input.addEventListener("change", () => {
    model.set("value", Number(input.value));
    model.save_changes();
  });
  model.on("change", sync);
  sync();
  return () => model.off("change", sync);
}
export default { render };

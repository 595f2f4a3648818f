"""A slider a screen reader can name: a labelled native range input (ipywidgets' sliders have no name)."""

from __future__ import annotations

import anywidget
import traitlets

RANGE_ESM = """
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
"""

RANGE_CSS = """
.ck-range { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25em 0.75em; margin: 0.3em 0;
  max-width: 40em; }
.ck-range-label { flex: 0 1 16em; min-width: 10em; }
.ck-range-input { flex: 1 1 10em; min-width: 8em; accent-color: #1f5fa8; }
.ck-range-value { flex: 0 0 auto; min-width: 4em; font-variant-numeric: tabular-nums; }
.ck-range-input:focus-visible { outline: 3px solid #1f5fa8; outline-offset: 2px; }
"""


class LabelledSlider(anywidget.AnyWidget):
    """A range slider with a visible label tied to it; the value changes when the learner lets go."""

    _esm = traitlets.Unicode(RANGE_ESM).tag(sync=True)
    _css = traitlets.Unicode(RANGE_CSS).tag(sync=True)
    value = traitlets.Float(0.0, help="The chosen value.").tag(sync=True)
    min = traitlets.Float(0.0, help="The smallest value.").tag(sync=True)
    max = traitlets.Float(10.0, help="The largest value.").tag(sync=True)
    step = traitlets.Float(1.0, help="The distance between values.").tag(sync=True)
    decimals = traitlets.Int(0, help="Decimals shown next to the slider.").tag(sync=True)
    description = traitlets.Unicode("", help="The label a reader sees and a screen reader announces.").tag(
        sync=True
    )
    value_labels = traitlets.List(
        traitlets.Unicode(), help="Words to show for each step instead of the number (optional)."
    ).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    label_width = traitlets.Unicode("16em", help="The room the label takes beside the slider.").tag(sync=True)

    def __init__(
        self, description: str, value: float, low: float, high: float, step: float = 1, **kwargs
    ) -> None:
        if not description:
            raise ValueError("A slider needs a description, so that a screen reader can name it.")
        if not low <= value <= high:
            raise ValueError(f"{description}: the value {value} is outside {low} to {high}.")
        super().__init__(description=description, min=low, max=high, step=step, **kwargs)
        self.value = value

    @traitlets.validate("value")
    def _keep_in_range(self, proposal):
        return float(min(max(proposal["value"], self.min), self.max))

    @property
    def whole(self) -> int:
        """The value as a whole number, for sliders that count things."""
        return int(round(self.value))

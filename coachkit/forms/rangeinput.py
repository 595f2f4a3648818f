"""A slider a screen reader can name: a labelled native range input (ipywidgets' sliders have no name)."""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

# The browser code and its style sit beside this module (tests/test_rangeinput.py runs the code in Node).
RANGE_JS = Path(__file__).with_name("rangeinput.js")
RANGE_CSS = Path(__file__).with_name("rangeinput.css")


class LabelledSlider(anywidget.AnyWidget):
    """A range slider with a visible label tied to it; the value changes when the learner lets go."""

    _esm = RANGE_JS
    _css = RANGE_CSS
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

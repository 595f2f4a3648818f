"""The labelled slider the interactives use: a name for screen readers, values kept in range."""

import json

import pytest

from coachkit.forms.rangeinput import RANGE_CSS, RANGE_JS, LabelledSlider
from tests.widget_js import run_widget_js


def test_slider_keeps_its_label_and_range():
    """Does the slider carry its description and clip values to its range?"""
    slider = LabelledSlider("Weeks", 26, 4, 52)
    assert slider.description == "Weeks" and slider.value == 26 and slider.whole == 26
    slider.value = 100
    assert slider.value == 52
    slider.value = 1
    assert slider.value == 4


def test_slider_needs_a_name_and_a_value_in_range():
    """Is a slider without a description, or with a start value out of range, refused?"""
    with pytest.raises(ValueError, match="description"):
        LabelledSlider("", 1, 0, 5)
    with pytest.raises(ValueError, match="outside"):
        LabelledSlider("Skill", 9, 1, 5)


def test_slider_renders_a_native_labelled_range_input(tmp_path):
    """Run in Node, does the browser code build a <label for> tied to an <input type=range> that shows and
    speaks the step's words, and send the value to the kernel on release only?"""
    slider = LabelledSlider("Skill", 2, 1, 5, value_labels=["1", "2 - low", "3", "4", "5"])
    traits = {name: getattr(slider, name) for name in ("value", "min", "max", "step", "decimals")}
    traits |= {"description": slider.description, "value_labels": slider.value_labels}
    traits |= {"disabled": False, "label_width": slider.label_width}
    seen = run_widget_js(
        RANGE_JS,
        f"""
        const model = new page.FakeModel({json.dumps(traits)});
        const el = new page.FakeElement("div");
        const cleanup = widget.default.render({{ model, el }});
        const [label, input, output] = el.children[0].children;
        const before = {{ type: input.type, labelFor: label.htmlFor, id: input.id,
          label: label.textContent, spoken: input.getAttribute("aria-valuetext"),
          shown: output.textContent, outputFor: output.htmlFor }};
        input.value = "4";
        input.dispatch("input");
        const dragging = {{ spoken: input.getAttribute("aria-valuetext"), value: model.get("value"),
          saved: model.saved }};
        input.dispatch("change");
        const released = {{ value: model.get("value"), saved: model.saved }};
        model.set("value", 1);
        const fromKernel = {{ input: input.value, shown: output.textContent }};
        cleanup();
        report({{ before, dragging, released, fromKernel, handlers: (model.handlers.change || []).length }});
        """,
        tmp_path,
    )
    before = seen["before"]
    assert before["type"] == "range" and before["labelFor"] == before["id"] == before["outputFor"]
    assert before["label"] == "Skill" and before["spoken"] == before["shown"] == "2 - low"
    assert seen["dragging"] == {"spoken": "4", "value": 2, "saved": 0}
    assert seen["released"] == {"value": 4, "saved": 1}
    assert seen["fromKernel"] == {"input": "1", "shown": "1"}
    assert seen["handlers"] == 0


def test_slider_code_is_package_data():
    """Are the slider's JavaScript and CSS files beside the module, and what the widget sends?"""
    slider = LabelledSlider("Skill", 2, 1, 5)
    assert slider._esm == RANGE_JS.read_text(encoding="utf-8") and RANGE_JS.parent.name == "forms"
    assert slider._css == RANGE_CSS.read_text(encoding="utf-8")

"""The labelled slider the interactives use: a name for screen readers, values kept in range."""

import pytest

from coachkit.rangeinput import LabelledSlider


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


def test_slider_renders_a_native_labelled_range_input():
    """Does the browser code build a <label for> tied to an <input type=range> with aria-valuetext?"""
    slider = LabelledSlider("Skill", 2, 1, 5, value_labels=["1", "2 - low", "3", "4", "5"])
    assert 'input.type = "range"' in slider._esm and "label.htmlFor = id" in slider._esm
    assert "aria-valuetext" in slider._esm
    assert slider.value_labels[1] == "2 - low"

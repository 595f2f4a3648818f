"""A rating picked from a scale in a dropdown, as the self-assessment and the barrier check ask for one."""

from __future__ import annotations

from coachkit.forms import ui

# "Choose a rating" is a real option with this value: ipywidgets shows a None value as an empty box.
NOT_RATED = -1


def rating_dropdown(
    title: str, statement: str, scale: dict[int, str], label_width: str, max_width: str
) -> ui.Dropdown:
    """A dropdown named ``title`` (what a screen reader announces), offering the scale, starting unrated."""
    return ui.Dropdown(
        options=[("Choose a rating", NOT_RATED)] + [(text, value) for value, text in scale.items()],
        value=NOT_RATED,
        description=title,
        tooltip=statement,
        style={"description_width": label_width},
        layout=ui.layout(width="100%", max_width=max_width),
    )


def rating_value(value: int) -> int | None:
    """The dropdown's value as a model keeps it: None for "Choose a rating"."""
    return None if value == NOT_RATED else value

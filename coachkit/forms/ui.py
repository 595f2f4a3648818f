"""The ipywidgets coachkit builds its forms from, made lighter for a page that 30 people open at once.

Every ipywidget comes with a layout model and most with a style model, so a form of 40 labels and
buttons is 120 models: each one is created in the kernel, sent to the server, kept in Voila's page
state and fetched and drawn by the browser. On a two-core machine that work, not the lesson's code,
is what makes a lesson slower than a one-slider notebook when a room opens it together
(docs/performance.md).

The classes here are the ipywidgets of the same name, with one difference: a widget that keeps the
default layout or style, or is given one as a dict (``layout={"width": "auto"}``), shares one model
with every other widget asking for the same traits, as the ipywidgets documentation allows
("Layout and Styling of Jupyter widgets": a layout can be shared between widgets). A shared model is
frozen: changing one of its traits raises TypeError, since it would change every widget that shares
it. A widget whose layout changes later (shown and hidden, for instance) is given its own
``widgets.Layout(...)`` instance, exactly as with plain ipywidgets.
"""

from __future__ import annotations

import ipywidgets as widgets

_FROZEN_CLASSES: dict[type, type] = {}
_SHARED: dict[tuple, widgets.Widget] = {}


def _frozen_class(model_class: type) -> type:
    """``model_class`` whose synced traits cannot change once the instance is built."""
    frozen = _FROZEN_CLASSES.get(model_class)
    if frozen is None:

        def __init__(self, **traits):
            model_class.__init__(self, **traits)
            self._coachkit_frozen = True

        def __setattr__(self, name, value):
            if getattr(self, "_coachkit_frozen", False) and name in self.keys and not name.startswith("_"):
                raise TypeError(
                    f"This {model_class.__name__} is shared by many widgets, so '{name}' cannot change: "
                    "give the widget its own widgets.Layout(...) or style instance if it must change later."
                )
            model_class.__setattr__(self, name, value)

        frozen = type(
            f"Shared{model_class.__name__}",
            (model_class,),
            {
                "__init__": __init__,
                "__setattr__": __setattr__,
                "__module__": __name__,
                "__doc__": f"A frozen {model_class.__name__} shared by widgets that ask for the same traits.",
            },
        )
        _FROZEN_CLASSES[model_class] = frozen
    return frozen


def shared(model_class: type, **traits) -> widgets.Widget:
    """The one frozen ``model_class`` with these ``traits``, created on first use (and again if closed)."""
    key = (model_class, tuple(sorted(traits.items())))
    model = _SHARED.get(key)
    if model is None or model.comm is None:  # a closed widget has no comm
        model = _SHARED[key] = _frozen_class(model_class)(**traits)
    return model


def layout(**traits) -> widgets.Layout:
    """A shared, frozen layout with these traits, e.g. ``layout(width="100%")``."""
    return shared(widgets.Layout, **traits)


def _set_traits(model: widgets.Widget) -> dict:
    """The synced traits of ``model`` that are set (not None), e.g. a layout's ``{"width": "100%"}``."""
    return {
        name: getattr(model, name)
        for name in model.keys
        if not name.startswith("_") and getattr(model, name) is not None
    }


def _share(cls: type, name: str, value):
    """Trait ``name``'s value: a shared model for None (the default) or a dict, else ``value`` itself."""
    if value is None or isinstance(value, dict):
        return shared(cls.class_traits()[name].klass, **(value or {}))
    return value


class _Shares:
    """Mixin for a DOMWidget class: default and dict-given layout and style come from ``shared``."""

    def __init__(self, *args, **kwargs):
        for name in ("layout", "style"):
            if name in type(self).class_traits():
                kwargs[name] = _share(type(self), name, kwargs.get(name))
        super().__init__(*args, **kwargs)


class HTML(_Shares, widgets.HTML):
    """ipywidgets.HTML with a shared layout and style unless given its own."""


class Label(_Shares, widgets.Label):
    """ipywidgets.Label with a shared layout and style unless given its own."""


class Button(_Shares, widgets.Button):
    """ipywidgets.Button with a shared layout and style unless given its own, as wide as its label.

    ipywidgets gives every button a fixed width (``--jp-widgets-inline-width-short``, 148 px in JupyterLab)
    and cuts a longer label with an ellipsis ("Check my questi..."). The web app's stylesheet widens them,
    but JupyterLab has only ipywidgets' own: here a button without a width of its own gets ``width:
    auto`` in its layout, so it is as wide as its label everywhere (a button row wraps on a phone).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.layout.width is None:
            # align-self keeps an auto-wide button in a column (a VBox) from stretching across it
            fit = {"width": "auto", "align_self": self.layout.align_self or "flex-start"}
            if getattr(self.layout, "_coachkit_frozen", False):
                self.layout = layout(**{**_set_traits(self.layout), **fit})
            else:
                for name, value in fit.items():
                    setattr(self.layout, name, value)


class Dropdown(_Shares, widgets.Dropdown):
    """ipywidgets.Dropdown with a shared layout and style unless given its own."""


class RadioButtons(_Shares, widgets.RadioButtons):
    """ipywidgets.RadioButtons with a shared layout and style unless given its own."""


class Textarea(_Shares, widgets.Textarea):
    """ipywidgets.Textarea with a shared layout and style unless given its own."""


class Text(_Shares, widgets.Text):
    """ipywidgets.Text with a shared layout and style unless given its own."""


class Checkbox(_Shares, widgets.Checkbox):
    """ipywidgets.Checkbox with a shared layout and style unless given its own."""


class HBox(_Shares, widgets.HBox):
    """ipywidgets.HBox with a shared layout unless given its own."""


class VBox(_Shares, widgets.VBox):
    """ipywidgets.VBox with a shared layout unless given its own."""


def field_box(field, description_width: str, multiline: bool, **traits) -> widgets.Widget:
    """The box for one field of a form (a TextField: its label, its placeholder unless ``traits`` give one):
    a Text, or a Textarea when ``multiline``, as wide as the form up to 48em."""
    kind = Textarea if multiline else Text
    traits.setdefault("placeholder", field.placeholder)
    return kind(
        description=field.label,
        style={"description_width": description_width},
        layout=layout(width="100%", max_width="48em"),
        **traits,
    )


# A check's mark (right or wrong) in a badge of its own colour: white on dark green or dark red is over
# 7:1 on any page, where a coloured mark on the page's background cannot be (a green readable on white is
# 2:1 on JupyterLab's dark theme). The message beside it keeps the page's own text colour.
MARK_STYLE = (
    "display:inline-block;min-width:1.5em;line-height:1.5em;margin-right:0.4em;padding:0 0.2em;"
    "border-radius:0.75em;text-align:center;font-weight:700;color:#fff;background:{background}"
)


def mark_html(correct: bool) -> str:
    """A ✓ or ✗ as HTML that reads on light and dark pages alike (named for screen readers)."""
    kind, name, mark, background = (
        ("right", "Right", "✓", "#1b5e20") if correct else ("wrong", "Not right yet", "✗", "#8a1c1c")
    )
    style = MARK_STYLE.format(background=background)
    return (
        f'<span class="ck-mark ck-mark--{kind}" role="img" aria-label="{name}" style="{style}">{mark}</span>'
    )


__all__ = [
    "HTML",
    "Button",
    "Checkbox",
    "Dropdown",
    "HBox",
    "Label",
    "RadioButtons",
    "Text",
    "Textarea",
    "VBox",
    "layout",
    "mark_html",
    "shared",
]

"""coachkit.forms.ui: default layouts and styles; shared models cannot change; forms stay light."""

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

from coachkit.forms import ui
from coachkit.interactives.barrier_check import BarrierCheck
from coachkit.interactives.self_assessment import SelfAssessment
from coachkit.journal import Journal, JournalBar, MemoryJournalStore


def models_made_by(build) -> int:
    """How many widget models (widgets, layouts, styles) ``build()`` opens."""
    before = set(_instances)
    build()
    return len(set(_instances) - before)


def test_default_and_dict_layouts_are_shared():
    """Do widgets with the default layout, or the same layout given as a dict, share one model?"""
    first, second = ui.HTML("a"), ui.HTML("b")
    assert first.layout is second.layout and first.style is second.style
    wide = ui.Button(description="x", layout={"width": "100%"})
    assert wide.layout is ui.Button(layout={"width": "100%"}).layout
    assert wide.layout is ui.layout(width="100%") and wide.layout.width == "100%"
    assert wide.layout is not first.layout
    assert isinstance(first, widgets.HTML) and first._model_name == "HTMLModel"


def test_a_shared_model_refuses_changes_and_an_own_layout_does_not():
    """Does changing a shared layout raise (it would change every widget) while an own Layout changes?"""
    shared_button = ui.Button(description="shared")
    with pytest.raises(TypeError, match="shared by many widgets"):
        shared_button.layout.display = "none"
    assert shared_button.layout.display is None  # nothing changed, nothing sent
    own = ui.Button(description="own", layout=widgets.Layout())
    own.layout.display = "none"
    assert own.layout.display == "none" and shared_button.layout.display is None


def test_a_closed_shared_model_is_made_again():
    """After Widget.close_all() (or a closed layout), do new widgets get a live shared model?"""
    closed = ui.HTML("x").layout
    closed.close()
    fresh = ui.HTML("y").layout
    assert fresh is not closed and fresh.comm is not None


@pytest.mark.parametrize(
    "build, budget",
    [
        # (models before coachkit.forms.ui shared layouts and styles: 47, 68 and 40)
        (lambda: BarrierCheck(journal=Journal(store=MemoryJournalStore())), 24),
        (lambda: SelfAssessment(journal=Journal(store=MemoryJournalStore())), 30),
        (lambda: JournalBar(Journal(store=MemoryJournalStore())), 22),
    ],
    ids=["barrier-check", "self-assessment", "journal-bar"],
)
def test_the_heaviest_forms_stay_within_a_model_budget(build, budget):
    """Do the forms lesson 07 opens with stay light (each model costs kernel, server and browser time)?"""
    ui.HTML("warm up the shared models")
    assert models_made_by(build) <= budget

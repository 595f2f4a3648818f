"""Practice alone: a coaching conversation with a scripted coachee, for learners who have no triad."""

from __future__ import annotations


def __getattr__(name: str):
    # the widget pulls in ipywidgets and anywidget; the model and the scripts do not, so tools stay light
    if name == "PracticeConversation":
        from coachkit.practice.widgets import PracticeConversation

        return PracticeConversation
    raise AttributeError(name)


__all__ = ["PracticeConversation"]

"""The role-play toolkit: scenario cards, triads, the round timer, the observer tally and the reflection form.

Names load on first use, so a lesson that needs one tool does not import the others.
"""

from __future__ import annotations

import importlib

# name -> module that defines it
_EXPORTS = {
    "ScenarioPicker": "coachkit.roleplay.scenarios",
    "Scenario": "coachkit.roleplay.scenarios",
    "load_scenarios": "coachkit.roleplay.scenarios",
    "TriadBuilder": "coachkit.roleplay.triads",
    "build_triads": "coachkit.roleplay.triads",
    "RoundTimer": "coachkit.roleplay.timer",
    "ObserverTally": "coachkit.roleplay.tally",
    "TallyModel": "coachkit.roleplay.tally",
    "summarise_tally": "coachkit.roleplay.tally",
    "Reflection": "coachkit.roleplay.reflection",
    "ReflectionForm": "coachkit.roleplay.reflection",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

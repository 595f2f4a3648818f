"""Keeps the charts lessons show before anything changes: python -m coachkit.simulations.default_charts"""

from __future__ import annotations

import os
from pathlib import Path

from coachkit.forms.charts import CHART_CACHE, WRITE_CACHE_ENV, record_lookups
from coachkit.simulations.cascade import CascadeSimulator
from coachkit.simulations.relief import ReliefSimulator
from coachkit.simulations.talk_share import EXAMPLE_MEETINGS, TalkShareExplorer


def keep_default_charts() -> list[Path]:
    """Draw every chart a lesson shows before the learner changes anything, and keep them (old ones go)."""
    for old in CHART_CACHE.glob("*.png"):
        old.unlink()
    os.environ[WRITE_CACHE_ENV] = "1"
    try:
        with record_lookups() as found:
            for example in EXAMPLE_MEETINGS:
                TalkShareExplorer(example=example)
            ReliefSimulator()
            CascadeSimulator()
        return sorted({path for _kind, path, *_ in found})
    finally:
        del os.environ[WRITE_CACHE_ENV]


if __name__ == "__main__":
    for kept in keep_default_charts():
        print(f"kept {kept.relative_to(CHART_CACHE.parents[2])}")

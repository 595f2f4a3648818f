"""Kept charts: lessons open without matplotlib, and each kept PNG is what matplotlib draws today."""

import subprocess
import sys

from coachkit.forms import charts
from coachkit.simulations.cascade import CascadeSimulator
from coachkit.simulations.relief import ReliefSimulator
from coachkit.simulations.talk_share import EXAMPLE_MEETINGS, TalkShareExplorer


def default_lookups() -> list:
    with charts.record_lookups() as found:
        for example in EXAMPLE_MEETINGS:
            TalkShareExplorer(example=example)
        ReliefSimulator()
        CascadeSimulator()
    return found


def test_opening_the_chart_widgets_does_not_import_matplotlib():
    """Do the talk, relief and cascade widgets, as lessons open them, show charts without matplotlib?"""
    code = (
        "import sys\n"
        "from coachkit.simulations.talk_share import TalkShareExplorer\n"
        "from coachkit.simulations.cascade import CascadeSimulator\n"
        "from coachkit.simulations.relief import ReliefSimulator\n"
        "widgets = [TalkShareExplorer(), ReliefSimulator(), CascadeSimulator()]\n"
        "assert all('<img' in w.chart.value for w in widgets)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'numpy', 'PIL')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_every_kept_chart_is_what_matplotlib_draws_today():
    """Is each kept PNG byte for byte the chart its draw function makes now (no stale picture)?"""
    lookups = default_lookups()
    assert {kind for kind, *_ in lookups} == {"talk", "relief", "cascade"}
    for kind, path, draw, args, kwargs in lookups:
        assert path.is_file(), f"{kind} chart not kept: run python -m coachkit.simulations.default_charts"
        stale = f"{path.name} is stale: run python -m coachkit.simulations.default_charts"
        assert draw(*args, **kwargs) == path.read_bytes(), stale


def test_no_chart_is_kept_that_no_lesson_opens_with():
    """Does chart_cache/ hold only the charts the widgets show before anyone touches them?"""
    wanted = {path for _kind, path, *_ in default_lookups()}
    assert set(charts.CHART_CACHE.glob("*.png")) == wanted


def test_a_changed_setting_draws_a_fresh_chart_and_keeps_nothing(monkeypatch):
    """After a slider moves, is the chart drawn anew (different picture) and the cache folder left alone?"""
    monkeypatch.delenv(charts.WRITE_CACHE_ENV, raising=False)
    before = set(charts.CHART_CACHE.iterdir())
    simulator = ReliefSimulator()
    first = simulator.chart.value
    with charts.record_lookups() as found:
        simulator.team_size.value = 11
    assert simulator.chart.value != first and "<img" in simulator.chart.value
    assert found and not found[-1][1].exists()
    assert set(charts.CHART_CACHE.iterdir()) == before

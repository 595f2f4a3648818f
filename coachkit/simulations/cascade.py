"""A model of coaching spreading down an organisation chart and of managers who block it."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable

from coachkit.forms import ui
from coachkit.forms.charts import (
    SIMULATION_FAILED_HTML,
    assumptions_html,
    chart_html,
    figure_png,
    kept_chart,
    status_html,
    summary_html,
)
from coachkit.forms.rangeinput import LabelledSlider

log = logging.getLogger(__name__)

TOP = "1"
MAX_PEOPLE = 20_000  # keeps a run well under a second
BLOCK_PLACES = ("near the top", "in the middle", "near the bottom")

CASCADE_ASSUMPTIONS = [
    "Coaching starts with the person at the top, who coaches from the first quarter.",
    "Each quarter, every manager who coaches passes the habit to each of their reports who does not coach "
    "yet, with the same adoption chance; new coaches pass it on from the next quarter.",
    "Blocked managers never adopt coaching, so nobody below them learns it from above.",
    "Nobody learns coaching sideways from peers or from a training programme, nobody leaves, and nobody "
    "gives coaching up again.",
]
EVIDENCE_NOTE = (
    "Evidence: model, not data. Bass and colleagues (1987) found that leaders' style reappeared one level "
    "down (the 'falling dominoes' effect), and Coad (2000) argued that such a cascade can be blocked, "
    "for example by untrained middle managers. But a review (Jeuken, 2016) found all 19 cascade studies "
    "were cross-sectional (one point in time), and no study has followed coaching itself spreading down "
    "reporting lines. The adoption chance is a guess you choose, not a measured rate."
)


def _check_int(name: str, value: object, low: int, high: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        limit = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise ValueError(f"{name} must be a whole number {limit}, not {value!r}.")
    return value


def build_org(span: int, depth: int) -> dict[str, list[str]]:
    """An organisation chart: each person's id mapped to their direct reports' ids (empty for non-managers).

    The top person is "1"; the reports of "1.2" are "1.2.1", "1.2.2", ... so an id shows the reporting line.
    ``span`` is the number of reports per manager, ``depth`` the number of levels (1 = only the top person).
    """
    span = _check_int("span", span, 1)
    depth = _check_int("depth", depth, 1)
    people = sum(span**level for level in range(depth))
    if people > MAX_PEOPLE:
        raise ValueError(
            f"A span of {span} and a depth of {depth} make {people:,} people; the model allows at most "
            f"{MAX_PEOPLE:,}. Choose a smaller span or depth."
        )
    org: dict[str, list[str]] = {}
    level = [TOP]
    for number in range(depth):
        below = []
        for person in level:
            reports = [f"{person}.{i}" for i in range(1, span + 1)] if number < depth - 1 else []
            org[person] = reports
            below += reports
        level = below
    return org


def level_of(person: str) -> int:
    """1 for the top person, 2 for their reports, and so on."""
    return person.count(".") + 1


def _check_org(org: object) -> dict[str, list[str]]:
    if not isinstance(org, dict) or TOP not in org:
        raise ValueError("org must be an organisation chart from build_org (a dict with the top person '1').")
    return org


def below(org: dict[str, list[str]], person: str) -> list[str]:
    """Everyone who reports to ``person`` directly or indirectly."""
    found, queue = [], list(org.get(person, []))
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(org.get(current, []))
    return found


def cascade_over_quarters(
    org: dict[str, list[str]],
    quarters: int,
    adoption_chance: float,
    blocked: Iterable[str] = frozenset(),
    seed: int | None = None,
) -> list[float]:
    """The share of people who coach at the start (index 0) and after each of ``quarters`` quarters.

    The top person coaches from the start unless blocked. Each quarter every coach passes the habit to each
    report who does not coach yet with ``adoption_chance``; blocked people never adopt. The same seed gives
    the same run. CASCADE_ASSUMPTIONS says the same in words.
    """
    org = _check_org(org)
    quarters = _check_int("quarters", quarters, 0, 400)
    if isinstance(adoption_chance, bool) or not isinstance(adoption_chance, (int, float)):
        raise ValueError(f"adoption_chance must be a number from 0 to 1, not {adoption_chance!r}.")
    if not 0 <= adoption_chance <= 1:
        raise ValueError(f"adoption_chance must be from 0 to 1, not {adoption_chance!r}.")
    blocked = set(blocked)
    unknown = blocked - set(org)
    if unknown:
        raise ValueError(f"These blocked people are not in the organisation chart: {sorted(unknown)[:5]}.")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValueError(f"seed must be a whole number or None, not {seed!r}.")

    chance = random.Random(seed)
    total = len(org)
    coaching = set() if TOP in blocked else {TOP}
    shares = [len(coaching) / total]
    for _quarter in range(quarters):
        newly = []
        for manager in org:  # the chart's order, so a seed always gives the same run
            if manager not in coaching:
                continue
            for report in org[manager]:
                if report not in coaching and report not in blocked and chance.random() < adoption_chance:
                    newly.append(report)
        coaching.update(newly)
        shares.append(len(coaching) / total)
    return shares


def average_cascade(
    org: dict[str, list[str]],
    quarters: int,
    adoption_chance: float,
    blocked: Iterable[str] = frozenset(),
    runs: int = 20,
    seed: int = 0,
) -> list[float]:
    """The share who coach per quarter, averaged over ``runs`` runs with seeds ``seed``, ``seed + 1``, ..."""
    runs = _check_int("runs", runs, 1, 1000)
    blocked = set(blocked)
    totals = [0.0] * (quarters + 1)
    for number in range(runs):
        for quarter, share in enumerate(
            cascade_over_quarters(org, quarters, adoption_chance, blocked, seed + number)
        ):
            totals[quarter] += share
    return [total / runs for total in totals]


def reachable_share(org: dict[str, list[str]], blocked: Iterable[str]) -> float:
    """The most the cascade can ever reach: everyone not blocked and not below a blocked manager."""
    org = _check_org(org)
    cut = set()
    for person in blocked:
        cut.add(person)
        cut.update(below(org, person))
    return (len(org) - len(cut)) / len(org)


def pick_blocked(org: dict[str, list[str]], count: int, place: str = "in the middle") -> list[str]:
    """``count`` managers to block at one place in the chart, spread across it, never the top person.

    "near the top" is the level below the top, "near the bottom" the lowest level of managers, "in the
    middle" the level halfway between. Asking for more managers than the level has gives all of them.
    """
    org = _check_org(org)
    count = _check_int("count", count, 0)
    if place not in BLOCK_PLACES:
        raise ValueError(f"place must be one of {list(BLOCK_PLACES)}, not {place!r}.")
    manager_levels = sorted({level_of(p) for p, reports in org.items() if reports and p != TOP})
    if not manager_levels or count == 0:
        return []
    if place == "near the top":
        level = manager_levels[0]
    elif place == "near the bottom":
        level = manager_levels[-1]
    else:
        level = manager_levels[(len(manager_levels) - 1) // 2]
    candidates = [p for p, reports in org.items() if reports and level_of(p) == level]
    if count >= len(candidates):
        return candidates
    step = len(candidates) / count
    return [candidates[int(i * step)] for i in range(count)]


def same_level_as(org: dict[str, list[str]], place: str) -> list[str]:
    """The other places that pick the same level of managers as ``place`` in this chart (a shallow chart
    has no separate middle level): the simulator says so instead of showing the same numbers twice."""
    org = _check_org(org)
    manager_levels = sorted({level_of(p) for p, reports in org.items() if reports and p != TOP})
    if not manager_levels:
        return []
    index = {
        "near the top": 0,
        "in the middle": (len(manager_levels) - 1) // 2,
        "near the bottom": len(manager_levels) - 1,
    }
    return [other for other in BLOCK_PLACES if other != place and index[other] == index[place]]


def cascade_summary(
    shares: list[float], open_shares: list[float], reachable: float, people: int, runs: int
) -> str:
    """The chart in words, for everyone and for screen readers."""
    quarters = len(shares) - 1
    text = (
        f"An organisation of {people:,} people; averaged over {runs} runs of the model. " if runs > 1 else ""
    )
    text += f"After {quarters} quarters, {shares[-1]:.0%} of people coach"
    if open_shares != shares:
        text += f", against {open_shares[-1]:.0%} if nobody were blocked"
    text += "."
    half = next((q for q, share in enumerate(shares) if share >= 0.5), None)
    text += (
        f" Half the organisation coaches by quarter {half}."
        if half is not None
        else " Fewer than half coach within these quarters."
    )
    if reachable < 1:
        text += (
            f" The blocked managers cut off {1 - reachable:.0%} of the organisation (themselves and everyone "
            f"below them), so at most {reachable:.0%} can be reached from the top."
        )
    return text


def cascade_figure(shares: list[float], open_shares: list[float]) -> object:
    """The share of people who coach over the quarters, with and without the blocks; the matplotlib Figure."""
    # matplotlib is imported here, not at the top: a lesson must not pay for it until a chart is drawn
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    quarters = list(range(len(shares)))
    figure = Figure(figsize=(7.5, 4.0), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if open_shares != shares:
        axes.plot(
            quarters,
            [100 * s for s in open_shares],
            color="#9aa5b1",
            linestyle="--",
            label="If nobody were blocked",
        )
        axes.plot(
            quarters,
            [100 * s for s in shares],
            color="#1f5fa8",
            marker="o",
            markersize=4,
            label="With blocks",
        )
        axes.legend(frameon=False, loc="lower right")
    else:
        axes.plot(quarters, [100 * s for s in shares], color="#1f5fa8", marker="o", markersize=4)
    axes.set_ylim(0, 100)
    axes.set_xlabel("Quarter")
    axes.set_ylabel("People who coach (%)")
    axes.set_title("How far coaching spreads down the organisation")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure


@kept_chart("cascade")
def draw_cascade_chart(shares: list[float], open_shares: list[float]) -> bytes:
    """The cascade chart as PNG bytes."""
    return figure_png(cascade_figure(shares, open_shares))


class CascadeSimulator(ui.VBox):
    """Span, depth, adoption chance and blocked managers; a chart of the share who coach over the quarters."""

    def __init__(self, span: int = 4, depth: int = 5, adoption_chance: float = 0.4, runs: int = 20) -> None:
        self.runs = runs
        self.span = LabelledSlider("People per manager (span)", span, 1, 8)
        self.depth = LabelledSlider("Levels (depth)", depth, 2, 6)
        self.adoption = LabelledSlider(
            "Adoption chance per quarter (%)", round(100 * adoption_chance), 0, 100, 5
        )
        self.quarters = LabelledSlider("Quarters", 12, 1, 24)
        self.blocked_count = LabelledSlider("Blocked managers", 0, 0, 10)
        self.blocked_place = ui.Dropdown(
            options=list(BLOCK_PLACES),
            value="in the middle",
            description="Where the blocked managers sit",
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="40em"),
        )
        self.controls = [
            self.span,
            self.depth,
            self.adoption,
            self.quarters,
            self.blocked_count,
            self.blocked_place,
        ]
        self.summary = ui.HTML("")
        self.chart = ui.HTML("")
        self.assumptions = ui.HTML(assumptions_html(CASCADE_ASSUMPTIONS, EVIDENCE_NOTE))
        self.result: dict = {}
        super().__init__(
            [*self.controls, self.summary, self.chart, self.assumptions], layout=ui.layout(width="100%")
        )
        self.add_class("ck-cascade-simulator")
        for control in self.controls:
            control.observe(lambda _change: self._update(), names="value")
        self._update()

    def _update(self) -> None:
        try:
            try:
                org = build_org(self.span.whole, self.depth.whole)
            except ValueError as exc:
                self.summary.value = status_html(str(exc))
                self.chart.value = ""
                return
            blocked = pick_blocked(org, self.blocked_count.whole, self.blocked_place.value)
            quarters, chance = self.quarters.whole, self.adoption.value / 100
            runs = self.runs if len(org) <= 5000 else max(1, self.runs // 4)  # keeps a big chart responsive
            shares = average_cascade(org, quarters, chance, blocked, runs=runs)
            open_shares = average_cascade(org, quarters, chance, runs=runs) if blocked else shares
            reachable = reachable_share(org, blocked)
            self.result = {"org": org, "blocked": blocked, "shares": shares, "open_shares": open_shares}
            text = cascade_summary(shares, open_shares, reachable, len(org), runs)
            if self.blocked_count.whole > len(blocked):
                text += (
                    f" Only {len(blocked)} managers sit {self.blocked_place.value}, so only they are blocked."
                )
            same = same_level_as(org, self.blocked_place.value) if blocked else []
            if same:
                text += (
                    f" With {self.depth.whole} levels there is no separate level for each place: "
                    f"'{self.blocked_place.value}' blocks the same managers as '{same[0]}'. Add a level to "
                    "compare them."
                )
            self.summary.value = summary_html(text)
            alt = "Line chart of the share of people who coach, quarter by quarter. " + text
            self.chart.value = chart_html(draw_cascade_chart(shares, open_shares), alt)
        except Exception:  # Voila shows no tracebacks
            log.exception("the cascade simulation failed")
            self.summary.value = SIMULATION_FAILED_HTML

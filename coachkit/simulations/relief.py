"""A model of the questions that reach a manager week by week when the manager tells or coaches."""

from __future__ import annotations

import logging
import random

from coachkit.forms import ui
from coachkit.forms.charts import (
    SIMULATION_FAILED_HTML,
    assumptions_html,
    chart_html,
    figure_png,
    kept_chart,
    summary_html,
)
from coachkit.forms.rangeinput import LabelledSlider

log = logging.getLogger(__name__)

MODES = ("tell", "coach")

# The model's assumptions in plain words; the lesson and the widget show them next to the chart.
RELIEF_ASSUMPTIONS = [
    "The same stream of problems every week: each person meets the same number of problems, nothing new or "
    "unusual arrives, and nobody joins or leaves the team.",
    "Each person solves a problem alone with some chance (their independence); otherwise the problem comes "
    "to you as a question.",
    "Telling is quick but teaches little: an answer takes a few minutes and raises the person's independence "
    "only a tiny amount, so similar questions keep coming.",
    "Coaching is slower but builds skill: a coached question takes longer and raises the person's "
    "independence by a fixed amount (the learning rate).",
    "Everyone learns at the same pace, what they learn is not forgotten, and some questions always reach you "
    "(independence stops at a ceiling below 100%).",
    "The numbers are illustrations chosen to make the idea visible, not measurements from a real team.",
]
EVIDENCE_NOTE = (
    "Evidence: model, not data. The chart shows what follows from the assumptions above; it does not predict "
    "your team. The idea behind it comes from practitioners (Bungay Stanier, 2016; Landsberg, 1996)."
)


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {value!r}.")
    return value


def _check_fraction(name: str, value: object, low: float = 0.0, high: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low} to {high}, not {value!r}.")
    return float(value)


def simulate_relief(
    weeks: int = 26,
    mode: str = "tell",
    team_size: int = 6,
    *,
    problems_per_person: int = 4,
    start_independence: float = 0.3,
    learning_rate: float = 0.04,
    tell_learning: float = 0.0005,
    ceiling: float = 0.9,
    seed: int | None = 0,
) -> list[int]:
    """The number of questions that reach the manager in each of ``weeks`` weeks.

    Each week every person meets ``problems_per_person`` problems and solves each alone with the chance of
    their independence; the rest come to the manager. Each answered question raises the asker's independence
    by ``tell_learning`` (mode "tell") or ``learning_rate`` (mode "coach"), up to ``ceiling``. The same seed
    gives the same weeks; ``seed=None`` draws a fresh run. RELIEF_ASSUMPTIONS says the same in words.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be 'tell' or 'coach', not {mode!r}.")
    weeks = _check_int("weeks", weeks, 1, 520)
    team_size = _check_int("team_size", team_size, 1, 100)
    problems_per_person = _check_int("problems_per_person", problems_per_person, 0, 100)
    ceiling = _check_fraction("ceiling", ceiling)
    start_independence = _check_fraction("start_independence", start_independence, 0.0, ceiling)
    learning_rate = _check_fraction("learning_rate", learning_rate)
    tell_learning = _check_fraction("tell_learning", tell_learning)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValueError(f"seed must be a whole number or None, not {seed!r}.")

    chance = random.Random(
        seed
    )  # with the same seed both modes draw the same random numbers, so differences come from the mode
    gain = learning_rate if mode == "coach" else tell_learning
    independence = [start_independence] * team_size
    counts = []
    for _week in range(weeks):
        questions = 0
        for person in range(team_size):
            for _problem in range(problems_per_person):
                if chance.random() >= independence[person]:
                    questions += 1
                    independence[person] = min(ceiling, independence[person] + gain)
        counts.append(questions)
    return counts


def average_relief(
    weeks: int = 26, mode: str = "tell", team_size: int = 6, *, runs: int = 20, seed: int = 0, **options
) -> list[float]:
    """The weekly questions averaged over ``runs`` runs (seeds ``seed``, ``seed + 1``, ...), so one run's luck
    does not hide the trend. ``options`` are passed on to simulate_relief."""
    runs = _check_int("runs", runs, 1, 1000)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be a whole number, not {seed!r}.")
    totals = [0] * weeks
    for number in range(runs):
        for week, count in enumerate(simulate_relief(weeks, mode, team_size, seed=seed + number, **options)):
            totals[week] += count
    return [total / runs for total in totals]


def manager_minutes(
    counts: list[float], mode: str, tell_minutes: float = 5, coach_minutes: float = 15
) -> list[float]:
    """Minutes per week the questions take: each one costs ``tell_minutes`` or ``coach_minutes``."""
    if mode not in MODES:
        raise ValueError(f"mode must be 'tell' or 'coach', not {mode!r}.")
    cost = _check_fraction("tell_minutes", tell_minutes, 0, 600) if mode == "tell" else None
    if mode == "coach":
        cost = _check_fraction("coach_minutes", coach_minutes, 0, 600)
    return [count * cost for count in counts]


def _rolling(values: list[float], window: int) -> list[float]:
    return [
        sum(values[max(0, i - window + 1) : i + 1]) / len(values[max(0, i - window + 1) : i + 1])
        for i in range(len(values))
    ]


def week_coaching_gets_cheaper(tell: list[float], coach: list[float], window: int = 2) -> int | None:
    """The first week (1-based) from which coaching takes less time than telling for good, or None.

    Weeks are compared as averages over the last ``window`` weeks, so one lucky week does not count.
    """
    tell_avg, coach_avg = _rolling(tell, window), _rolling(coach, window)
    for week in range(len(tell)):
        if all(c < t for t, c in zip(tell_avg[week:], coach_avg[week:], strict=True)):
            return week + 1
    return None


def break_even_week(tell: list[float], coach: list[float]) -> int | None:
    """The first week (1-based) by which coaching has taken no more time in total than telling, or None."""
    total_tell = total_coach = 0.0
    for week, (t, c) in enumerate(zip(tell, coach, strict=True), start=1):
        total_tell, total_coach = total_tell + t, total_coach + c
        if week > 1 and total_coach <= total_tell:
            return week
    return None


def relief_summary(
    tell: list[float], coach: list[float], tell_time: list[float], coach_time: list[float], runs: int = 1
) -> str:
    """The chart in words, for everyone and for screen readers."""
    weeks = len(tell)
    text = f"Averaged over {runs} runs of the model. " if runs > 1 else ""
    text += (
        f"Over {weeks} weeks: when you tell, the questions that reach you go from {tell[0]:.0f} a week at "
        "the "
        f"start to {tell[-1]:.0f} in week {weeks}; when you coach, from {coach[0]:.0f} to {coach[-1]:.0f}. "
        f"Your time on questions adds up to {sum(tell_time) / 60:.1f} hours when you tell and "
        f"{sum(coach_time) / 60:.1f} hours when you coach."
    )
    cheaper = week_coaching_gets_cheaper(tell_time, coach_time)
    if cheaper is None:
        text += (
            f" Within {weeks} weeks, coaching never settles below telling in the time it takes you each week."
        )
    else:
        text += f" From about week {cheaper}, coaching takes less of your time each week than telling."
    even = break_even_week(tell_time, coach_time)
    if even is None:
        text += f" The extra time coaching cost at the start is not paid back within {weeks} weeks."
    else:
        text += f" By week {even}, the time coaching cost at the start has been paid back."
    return text


def relief_figure(
    tell: list[float], coach: list[float], tell_time: list[float], coach_time: list[float]
) -> object:
    """Two panels over the weeks: the questions that reach the manager, and the manager's minutes."""
    # matplotlib is imported here, not at the top: a lesson must not pay for it until a chart is drawn
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    weeks = list(range(1, len(tell) + 1))
    figure = Figure(figsize=(7.5, 5.6), dpi=100)
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, sharex=True)
    for axes, (told, coached), label in (
        (top, (tell, coach), "Questions per week"),
        (bottom, (tell_time, coach_time), "Your minutes per week"),
    ):
        axes.plot(weeks, told, color="#b03a2e", linestyle="--", marker="o", markersize=3, label="You tell")
        axes.plot(weeks, coached, color="#1f5fa8", marker="s", markersize=3, label="You coach")
        axes.set_ylabel(label)
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
    # each panel has its own title and legend: the second is often read alone, below the fold
    top.set_title("Questions that reach you each week")
    top.set_xlabel("Week")
    top.tick_params(labelbottom=True)
    top.legend(frameon=False)
    bottom.set_title("Minutes those questions take you each week")
    bottom.legend(frameon=False)
    bottom.set_xlabel("Week")
    figure.tight_layout()
    return figure


@kept_chart("relief")
def draw_relief_chart(
    tell: list[float], coach: list[float], tell_time: list[float], coach_time: list[float]
) -> bytes:
    """The relief chart as PNG bytes."""
    return figure_png(relief_figure(tell, coach, tell_time, coach_time))


class ReliefSimulator(ui.VBox):
    """Controls for the team and the cost of an answer; a chart of telling against coaching over the weeks."""

    def __init__(
        self, weeks: int = 26, team_size: int = 6, learning_rate: float = 0.04, seed: int = 0, runs: int = 20
    ) -> None:
        self.seed, self.runs = seed, runs
        self.weeks = LabelledSlider("Weeks", weeks, 4, 52)
        self.team_size = LabelledSlider("People in the team", team_size, 2, 12)
        # shown in percentage points: "each coached question makes solving alone 4 points more likely"
        self.learning_rate = LabelledSlider(
            "Learning per coached question (% points)", 100 * learning_rate, 0, 10, 0.5, decimals=1
        )
        self.tell_minutes = LabelledSlider("Minutes to tell an answer", 5, 1, 30)
        self.coach_minutes = LabelledSlider("Minutes to coach a question", 15, 1, 60)
        self.controls = [
            self.weeks,
            self.team_size,
            self.learning_rate,
            self.tell_minutes,
            self.coach_minutes,
        ]
        self.summary = ui.HTML("")
        self.chart = ui.HTML("")
        self.assumptions = ui.HTML(assumptions_html(RELIEF_ASSUMPTIONS, EVIDENCE_NOTE))
        self.result: dict = {}
        super().__init__(
            [*self.controls, self.summary, self.chart, self.assumptions], layout=ui.layout(width="100%")
        )
        self.add_class("ck-relief-simulator")
        for control in self.controls:
            control.observe(lambda _change: self._update(), names="value")
        self._update()

    def clear(self) -> None:
        """Back to the starting values."""
        self.weeks.value, self.team_size.value, self.learning_rate.value = 26, 6, 4
        self.tell_minutes.value, self.coach_minutes.value = 5, 15

    def _update(self) -> None:
        try:
            runs = {
                mode: average_relief(
                    self.weeks.whole,
                    mode,
                    self.team_size.whole,
                    learning_rate=self.learning_rate.value / 100,
                    runs=self.runs,
                    seed=self.seed,
                )
                for mode in MODES
            }
            tell_time = manager_minutes(runs["tell"], "tell", tell_minutes=self.tell_minutes.whole)
            coach_time = manager_minutes(runs["coach"], "coach", coach_minutes=self.coach_minutes.whole)
            self.result = {**runs, "tell_minutes": tell_time, "coach_minutes": coach_time}
            text = relief_summary(runs["tell"], runs["coach"], tell_time, coach_time, self.runs)
            self.summary.value = summary_html(text)
            alt = (
                "Line charts of the questions that reach you and your minutes per week, telling vs coaching. "
            )
            self.chart.value = chart_html(
                draw_relief_chart(runs["tell"], runs["coach"], tell_time, coach_time), alt + text
            )
        except Exception:  # Voila shows no tracebacks
            log.exception("the relief simulation failed")
            self.summary.value = SIMULATION_FAILED_HTML

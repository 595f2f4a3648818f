"""Measures how evenly a meeting's talk and turns are shared, and lets a learner explore it with sliders."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable

import ipywidgets as widgets

from coachkit.forms import ui
from coachkit.forms.charts import SIMULATION_FAILED_HTML, chart_html, figure_png, kept_chart, summary_html
from coachkit.forms.rangeinput import LabelledSlider
from coachkit.forms.textinput import as_html_text

log = logging.getLogger(__name__)

MANAGER = "You (manager)"
PARTICIPANTS = (MANAGER, "Ana", "Ben", "Chloe", "Dev")
# Example meetings: minutes of talk and number of turns per person, in the order of PARTICIPANTS
EXAMPLE_MEETINGS = {
    "A status meeting you run from the front": ((30, 12), (6, 4), (4, 3), (0, 0), (5, 3)),
    "One loud voice besides yours": ((15, 8), (20, 10), (3, 2), (2, 1), (5, 3)),
    "Round the table, you speak last": ((8, 5), (9, 5), (8, 5), (7, 4), (8, 5)),
}
EVIDENCE_NOTE = (
    "Evidence: study, reported second-hand. In research by Anita Woolley and colleagues, the teams that did "
    "well showed 'equality in distribution of conversational turn-taking', as Duhigg (2016) reported in "
    "his account of Google's Project Aristotle. The idea that a coach should talk about 20% of the time "
    "(the '80/20 rule') is a practitioner's rule of thumb for one-to-one coaching, not a research finding."
)


def _evenness(amounts: list[float]) -> float:
    """Normalised Shannon entropy: 1 when everyone has the same share, 0 when one person has it all."""
    total = sum(amounts)
    if len(amounts) < 2 or total <= 0:
        return 1.0 if len(amounts) == 1 and total > 0 else 0.0
    entropy = -sum(a / total * math.log(a / total) for a in amounts if a > 0)
    return entropy / math.log(len(amounts))


def talk_shares(turns: Iterable, people: Iterable[str] | None = None) -> dict:
    """Shares of turns and of talk per person, and how evenly each is spread.

    ``turns`` is a sequence of ``(speaker, amount)``: the amount is the turn's text (its words are counted) or
    a number (words, seconds or minutes; any one unit). ``people`` lists everyone present, so that people who
    never spoke count as silent; by default, everyone who spoke.

    Returns a dict with ``people``, ``turns`` and ``talk`` (counts and amounts per person), ``turn_share`` and
    ``talk_share`` (fractions that add up to 1), ``turn_evenness`` and ``talk_evenness`` (0 = one person
    does all of it, 1 = perfectly equal), ``top_talker`` and ``silent`` (people with no turn).
    """
    turn_counts: dict[str, int] = {}
    talk: dict[str, float] = {}
    order: list[str] = [] if people is None else [str(p) for p in people]
    if len(set(order)) != len(order):
        raise ValueError("Each person may be listed only once in people.")
    for number, turn in enumerate(turns, start=1):
        if not isinstance(turn, (tuple, list)) or len(turn) != 2:
            raise ValueError(f"Turn {number} must be a pair (speaker, amount), not {turn!r}.")
        speaker, amount = turn
        if not isinstance(speaker, str) or not speaker.strip():
            raise ValueError(f"Turn {number} needs a speaker's name.")
        if isinstance(amount, str):
            amount = len(amount.split())
        elif isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
            raise ValueError(f"Turn {number}: the amount must be text or a number, not {amount!r}.")
        if amount < 0:
            raise ValueError(f"Turn {number}: the amount of talk cannot be negative ({amount}).")
        if speaker not in order:
            if people is not None:
                raise ValueError(f"Turn {number}: {speaker!r} is not in the list of people present.")
            order.append(speaker)
        turn_counts[speaker] = turn_counts.get(speaker, 0) + 1
        talk[speaker] = talk.get(speaker, 0) + amount
    turn_counts = {p: turn_counts.get(p, 0) for p in order}
    talk = {p: talk.get(p, 0) for p in order}
    total_turns, total_talk = sum(turn_counts.values()), sum(talk.values())
    return {
        "people": order,
        "turns": turn_counts,
        "talk": talk,
        "turn_share": {p: (turn_counts[p] / total_turns if total_turns else 0.0) for p in order},
        "talk_share": {p: (talk[p] / total_talk if total_talk else 0.0) for p in order},
        "turn_evenness": _evenness(list(turn_counts.values())),
        "talk_evenness": _evenness(list(talk.values())),
        "top_talker": max(order, key=lambda p: talk[p]) if total_talk else None,
        "silent": [p for p in order if turn_counts[p] == 0],
    }


def turns_from_totals(minutes: dict[str, float], turn_counts: dict[str, int]) -> list[tuple[str, float]]:
    """Turns that add up to each person's minutes, spread evenly over their number of turns."""
    turns = []
    for person, count in turn_counts.items():
        if count < 0 or minutes.get(person, 0) < 0:
            raise ValueError(f"{person}: minutes and turns cannot be negative.")
        if count == 0 and minutes.get(person, 0) > 0:
            raise ValueError(f"{person} talked for some minutes, so they need at least one turn.")
        if count:
            turns += [(person, minutes.get(person, 0) / count)] * count
    return turns


def evenness_words(evenness: float, shares: Iterable[float] | None = None) -> str:
    """The spread in words. An average can hide one person with almost nothing: with the shares given, a
    share over twice the equal one or under a quarter of it is 'very uneven', over 1.5 times or under half
    of it at best 'uneven' (so 46% beside 2% is never called 'fairly even')."""
    if evenness >= 0.9:
        words = "very even"
    elif evenness >= 0.75:
        words = "fairly even"
    elif evenness >= 0.5:
        words = "uneven"
    else:
        words = "very uneven"
    listed = list(shares or [])
    if len(listed) >= 2:
        fair = 1 / len(listed)
        top, low = max(listed), min(listed)
        if top > 2 * fair or low < 0.25 * fair:
            return "very uneven"
        if (top > 1.5 * fair or low < 0.5 * fair) and words in ("very even", "fairly even"):
            return "uneven"
    return words


def reading(result: dict, manager: str = MANAGER) -> str:
    """The picture in plain words, for everyone and for screen readers."""
    people = result["people"]
    if not any(result["talk"].values()):
        return "Nobody talked in this meeting yet: move a slider to say who spoke and for how long."
    shares = ", ".join(f"{p} {result['talk_share'][p]:.0%}" for p in people)
    fair = 1 / len(people)
    text = (
        f"Share of the talk: {shares}. With {len(people)} people, an equal share would be {fair:.0%} each. "
        f"Talk is {evenness_words(result['talk_evenness'], result['talk_share'].values())} "
        f"(evenness {result['talk_evenness']:.2f} of 1) and "
        f"turns are {evenness_words(result['turn_evenness'], result['turn_share'].values())} "
        f"({result['turn_evenness']:.2f})."
    )
    top = result["top_talker"]
    if top == manager and result["talk_share"][manager] > fair * 1.5:
        share = result["talk_share"][manager]
        text += f" You did the most talking, {share:.0%}. Try asking first and speaking last."
    elif top is not None and result["talk_share"][top] > fair * 1.5:
        text += f" {top} did the most talking; a round of the table gives the others a way in."
    if result["silent"]:
        text += f" No turn at all for: {', '.join(result['silent'])}. Who never got a turn, and why?"
    return text


def talk_figure(result: dict, manager: str = MANAGER) -> object:
    """A bar chart of each person's share of the talk and of the turns, with the equal share marked."""
    # matplotlib is imported here, not at the top: a lesson must not pay for it until a chart is drawn
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    people = result["people"]
    figure = Figure(figsize=(7.5, 3.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(people)))
    width = 0.4
    talk = [100 * result["talk_share"][p] for p in people]
    turns = [100 * result["turn_share"][p] for p in people]
    axes.bar([x - width / 2 for x in positions], talk, width, label="Share of talk", color="#1f5fa8")
    axes.bar(
        [x + width / 2 for x in positions],
        turns,
        width,
        label="Share of turns",
        color="#9aa5b1",
        hatch="//",
        edgecolor="#333333",
    )
    equal = 100 / len(people)
    axes.axhline(equal, linestyle="--", color="#b03a2e", label=f"Equal share ({equal:.0f}%)")
    axes.set_xticks(positions, people)
    axes.set_ylim(0, 100)
    axes.set_ylabel("Share of the meeting (%)")
    axes.set_xlabel("Person in the meeting")
    axes.set_title("Who does the talking?")
    axes.legend(loc="upper right", frameon=False)
    figure.tight_layout()
    return figure


@kept_chart("talk")
def draw_talk_chart(result: dict, manager: str = MANAGER) -> bytes:
    """The talk chart as PNG bytes."""
    return figure_png(talk_figure(result, manager))


def _slider(description: str, maximum: int, value: int) -> LabelledSlider:
    return LabelledSlider(description, value, 0, maximum, label_width="9em")


class TalkShareExplorer(ui.VBox):
    """Sliders for how long and how often each person in a meeting talks; a chart and a reading in words."""

    def __init__(self, example: str | None = None) -> None:
        example = example or next(iter(EXAMPLE_MEETINGS))
        if example not in EXAMPLE_MEETINGS:
            raise ValueError(f"Unknown example meeting {example!r}; choose one of {list(EXAMPLE_MEETINGS)}.")
        self.example = ui.Dropdown(
            options=list(EXAMPLE_MEETINGS),
            value=example,
            description="Example meeting",
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="40em"),
        )
        self.minutes: dict[str, widgets.IntSlider] = {}
        self.turns: dict[str, widgets.IntSlider] = {}
        cells = []
        for person in PARTICIPANTS:
            self.minutes[person] = _slider(f"{person}: minutes", 60, 0)
            self.turns[person] = _slider(f"{person}: turns", 30, 0)
            cells += [self.minutes[person], self.turns[person]]
        # two columns side by side where there is room, one column on a phone
        rows = [
            widgets.GridBox(
                cells,
                layout=ui.layout(
                    grid_template_columns="repeat(auto-fill, minmax(19em, 1fr))",
                    grid_gap="0 1.5em",
                    width="100%",
                ),
            )
        ]
        self.summary = ui.HTML("")
        self.chart = ui.HTML("")
        self.evidence = ui.HTML(
            f'<p style="line-height:1.5" class="ck-evidence">{as_html_text(EVIDENCE_NOTE)}</p>'
        )
        self.result: dict = {}
        self._loading = False
        super().__init__(
            [self.example, *rows, self.summary, self.chart, self.evidence],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-talk-share")
        self.example.observe(lambda _change: self._load_example(), names="value")
        for slider in [*self.minutes.values(), *self.turns.values()]:
            slider.observe(lambda _change: self._update(), names="value")
        self._load_example()

    def clear(self) -> None:
        """Back to the first example meeting."""
        self.example.value = next(iter(EXAMPLE_MEETINGS))
        self._load_example()

    def _load_example(self) -> None:
        self._loading = True
        try:
            for person, (minutes, turns) in zip(
                PARTICIPANTS, EXAMPLE_MEETINGS[self.example.value], strict=True
            ):
                self.minutes[person].value = minutes
                self.turns[person].value = turns
        finally:
            self._loading = False
        self._update()

    def _update(self) -> None:
        if self._loading:
            return
        try:
            minutes = {p: self.minutes[p].whole for p in PARTICIPANTS}
            counts = {p: self.turns[p].whole for p in PARTICIPANTS}
            # a person given minutes but no turns is counted as one turn, so a slider never produces an error
            counts = {p: max(counts[p], 1) if minutes[p] > 0 else counts[p] for p in PARTICIPANTS}
            self.result = talk_shares(turns_from_totals(minutes, counts), people=PARTICIPANTS)
            text = reading(self.result)
            self.summary.value = summary_html(text)
            if any(self.result["talk"].values()):
                alt = "Bar chart of each person's share of the talk and of the turns. " + text
                self.chart.value = chart_html(draw_talk_chart(self.result), alt)
            else:
                self.chart.value = ""
        except Exception:  # Voila shows no tracebacks
            log.exception("the talk-share explorer failed")
            self.summary.value = SIMULATION_FAILED_HTML

"""Practice groups for role-play: names in, groups of three with rotating roles out, ready to project."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

from coachkit.forms import ui
from coachkit.forms.textinput import TextInputError, as_html_text, clean_text

log = logging.getLogger(__name__)

COACH, COACHEE, OBSERVER = "coach", "coachee", "observer"
MAX_PEOPLE = 200
MAX_ROUNDS = 12
NAME_LIMIT = 80


class TriadError(ValueError):
    """The names or the number of rounds cannot make groups; the message is for the facilitator."""


@dataclass(frozen=True)
class Seat:
    name: str
    role: str


@dataclass(frozen=True)
class Group:
    number: int  # 1-based, as the facilitator calls it out
    seats: tuple[Seat, ...]

    def names(self, role: str) -> list[str]:
        return [seat.name for seat in self.seats if seat.role == role]


@dataclass(frozen=True)
class TriadPlan:
    groups: tuple[tuple[str, ...], ...]  # who is in which group; the same people stay together all rounds
    rounds: tuple[tuple[Group, ...], ...]
    note: str

    def roles_of(self, name: str) -> list[str]:
        """The role ``name`` plays in each round, in order."""
        return [
            seat.role
            for groups in self.rounds
            for group in groups
            for seat in group.seats
            if seat.name == name
        ]


def group_sizes(people: int) -> list[int]:
    """How many people go in each group: threes, with one or two groups of four (or a pair) for the rest.

    A group of four has two observers, which keeps everyone busy; a pair is used only when there is no
    other way (two people, or five: a three and a two).
    """
    if people < 2:
        raise TriadError("Enter at least two names: a coach and a coachee.")
    if people == 2:
        return [2]
    if people == 5:
        return [3, 2]
    remainder = people % 3
    fours = {0: 0, 1: 1, 2: 2}[remainder]
    threes = (people - 4 * fours) // 3
    return [4] * fours + [3] * threes


def roles_for_round(size: int, round_index: int) -> list[str]:
    """Roles by seat in a group of ``size`` for round ``round_index`` (0-based).

    Seat i coaches in round i and is coached in the round before, so in ``size`` rounds everyone
    coaches once and is coached once; the others observe.
    """
    roles = [OBSERVER] * size
    roles[round_index % size] = COACH
    roles[(round_index + 1) % size] = COACHEE
    return roles


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _note(sizes: list[int], rounds: int, needed: int) -> str:
    threes, fours, pairs = sizes.count(3), sizes.count(4), sizes.count(2)
    people = sum(sizes)
    parts = []
    if people == 2:
        parts.append(
            "With two people there is no observer: you form a pair and take turns as coach and coachee. "
            "The coachee also gives the observer's feedback."
        )
    else:
        made = [_plural(threes, "group") + " of three"] if threes else []
        if fours:
            made.append(_plural(fours, "group") + " of four")
        if pairs:
            made.append("one pair")
        parts.append(f"{people} people: " + " and ".join(made) + ".")
        if fours:
            extra = "one more person" if fours == 1 else "two more people"
            parts.append(
                f"{people} does not divide by three, so {extra} joined a group as a second observer "
                "(each group of four has two observers)."
            )
        if pairs:
            parts.append(
                "Five people cannot make two full groups, so two of you form a pair and take turns as coach "
                "and coachee; the coachee also gives the observer's feedback. A facilitator may sit in as "
                "their observer."
            )
    parts.append(f"{_plural(rounds, 'round')}.")
    if rounds < needed:
        parts.append(
            f"Not everyone plays every role: that takes {needed} rounds for these groups. "
            "Ask for the default number of rounds to fix it."
        )
    elif rounds == needed and fours and threes:
        parts.append(
            "Groups of four need four rounds so that each person coaches once; in a group of three everyone "
            "has played every role after round 3, so round 4 starts their rotation again (or gives them a "
            "longer debrief)."
        )
    elif rounds > needed:
        parts.append(
            f"Everyone has played every role after round {needed}; later rounds start the rotation again."
        )
    return " ".join(parts)


def _seats(members: tuple[str, ...], round_index: int) -> tuple[Seat, ...]:
    roles = roles_for_round(len(members), round_index)
    return tuple(Seat(name, role) for name, role in zip(members, roles, strict=True))


def build_triads(names: list[str], rounds: int | None = None, seed: int | None = None) -> TriadPlan:
    """Groups with roles for each round, rotating so that with the default rounds everyone plays every role.

    ``names`` must be distinct (the widget cleans and de-duplicates them). ``seed`` fixes the shuffle, so the
    same seed gives the same groups and another seed usually gives other groups.
    """
    names = list(names)
    if len(set(names)) != len(names):
        raise TriadError("Every name must be different; add an initial to tell two people apart.")
    if len(names) > MAX_PEOPLE:
        raise TriadError(f"That is {len(names)} names; the builder handles up to {MAX_PEOPLE}.")
    sizes = group_sizes(len(names))
    needed = max(sizes)
    if rounds is None:
        rounds = needed
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= MAX_ROUNDS:
        raise TriadError(f"The number of rounds must be a whole number from 1 to {MAX_ROUNDS}.")
    shuffled = names[:]
    random.Random(seed).shuffle(shuffled)
    groups: list[tuple[str, ...]] = []
    start = 0
    for size in sizes:
        groups.append(tuple(shuffled[start : start + size]))
        start += size
    plan_rounds = tuple(
        tuple(Group(number, _seats(members, r)) for number, members in enumerate(groups, start=1))
        for r in range(rounds)
    )
    return TriadPlan(tuple(groups), plan_rounds, _note(sizes, rounds, needed))


def plan_html(plan: TriadPlan) -> str:
    """The plan as one table per round: group, coach, coachee, observer(s); every name escaped."""
    tables = []
    for index, groups in enumerate(plan.rounds, start=1):
        rows = "".join(
            "<tr>"
            f'<th scope="row">Group {group.number}</th>'
            f"<td>{as_html_text(', '.join(group.names(COACH)))}</td>"
            f"<td>{as_html_text(', '.join(group.names(COACHEE)))}</td>"
            f"<td>{as_html_text(', '.join(group.names(OBSERVER))) or '&mdash;'}</td>"
            "</tr>"
            for group in groups
        )
        tables.append(
            # a wide table scrolls inside its box on a phone instead of the page scrolling sideways
            '<div class="ck-triads-scroll" style="overflow-x:auto">'
            f'<table class="ck-triads"><caption>Round {index}</caption>'
            '<thead><tr><th scope="col">Group</th><th scope="col">Coach</th><th scope="col">Coachee</th>'
            f'<th scope="col">Observer</th></tr></thead><tbody>{rows}</tbody></table></div>'
        )
    return (
        "<style>.ck-triads{border-collapse:collapse;margin:0 0 1em;font-size:1.2em}"
        ".ck-triads caption{text-align:left;font-weight:bold;font-size:1.2em;padding:.3em 0}"
        ".ck-triads th,.ck-triads td{border:1px solid #555;padding:.35em .8em;text-align:left}"
        ".ck-triads thead th{background:#e8eef6;color:#111}"
        # the widget's content box would otherwise grow to the widest table and clip the note on a phone
        ".ck-triad-builder .widget-html-content{min-width:0;max-width:100%}"
        ".ck-triad-plan,.ck-triads-scroll{max-width:100%}</style>"
        f'<div class="ck-triad-plan"><p class="ck-triad-note">{as_html_text(plan.note)}</p>'
        + "".join(tables)
        + "</div>"
    )


def clean_names(text: str) -> tuple[list[str], list[str]]:
    """Names from a box with one name per line, and messages about what was dropped (empties, repeats)."""
    text = clean_text(text, limit=MAX_PEOPLE * (NAME_LIMIT + 2), required=True, label="The list of names")
    names: list[str] = []
    seen: set[str] = set()
    repeats: list[str] = []
    messages: list[str] = []
    for line in text.split("\n"):
        name = " ".join(line.split())  # tabs and runs of spaces from a pasted spreadsheet
        if not name:
            continue
        if len(name) > NAME_LIMIT:
            raise TextInputError(
                f"A name is longer than {NAME_LIMIT} characters: please put one name per line."
            )
        if name.casefold() in seen:
            repeats.append(name)
            continue
        seen.add(name.casefold())
        names.append(name)
    if repeats:
        messages.append(
            "Left out repeated names (each person once): " + ", ".join(repeats) + ". "
            "If two people share a name, add an initial."
        )
    return names, messages


class TriadBuilder(ui.VBox):
    """Names in (one per line), practice groups with rotating roles out as a table to project; re-draw."""

    def __init__(self, rounds: int | None = None) -> None:
        if rounds is not None and (isinstance(rounds, bool) or not isinstance(rounds, int)):
            raise TriadError(f"The number of rounds must be a whole number from 1 to {MAX_ROUNDS}.")
        self.seed: int | None = None
        self.plan: TriadPlan | None = None
        self._random = random.Random()
        self.names_box = ui.Textarea(
            value="",
            description="Names",
            placeholder="One name per line",
            rows=8,
            layout=ui.layout(width="auto", max_width="32em"),
            style={"description_width": "initial"},
        )
        # 0 stands for "as many as needed"; a facilitator short of time may choose fewer and is told the cost
        self.rounds_choice = ui.Dropdown(
            options=[("Enough for every role", 0)]
            + [(str(n), n) for n in range(1, 7)]
            + ([(str(rounds), rounds)] if rounds and rounds > 6 else []),
            value=rounds or 0,
            description="Rounds",
            style={"description_width": "initial"},
        )
        self.build_button = ui.Button(description="Make groups", button_style="primary")
        self.redraw_button = ui.Button(
            description="Re-draw", tooltip="Shuffle the same names into new groups"
        )
        self.redraw_button.disabled = True
        self.status = ui.HTML("")
        self.table = ui.HTML("", layout=ui.layout(width="100%"))
        self.build_button.on_click(self._on_build)
        self.redraw_button.on_click(self._on_redraw)
        self.rounds_choice.observe(self._on_rounds, names="value")
        super().__init__(
            [
                self.names_box,
                self.rounds_choice,
                ui.HBox([self.build_button, self.redraw_button], layout=ui.layout(flex_flow="row wrap")),
                self.status,
                self.table,
            ],
            layout=ui.layout(width="100%"),
        )
        self.add_class("ck-triad-builder")

    @property
    def rounds(self) -> int | None:
        return self.rounds_choice.value or None

    def build(self, seed: int | None = None) -> TriadPlan | None:
        """Make the plan from the names box; None with a message in ``status`` when the names will not do."""
        try:
            names, messages = clean_names(self.names_box.value)
            self.seed = self._random.randrange(2**32) if seed is None else seed
            plan = build_triads(names, rounds=self.rounds, seed=self.seed)
        except (TextInputError, TriadError) as exc:
            self._say(str(exc), "error")
            return None
        self.plan = plan
        self.table.value = plan_html(plan)
        self.redraw_button.disabled = False
        self._say(" ".join(messages), "info")
        return plan

    def redraw(self) -> TriadPlan | None:
        """The same names in new groups: tries a few shuffles for one that differs, when another exists."""
        previous = self.plan
        plan = self.build()
        for _attempt in range(20):
            if plan is None or previous is None or _grouping(plan) != _grouping(previous):
                break
            plan = self.build()
        return plan

    def clear(self) -> None:
        self.names_box.value = ""
        self.plan = None
        self.table.value = ""
        self.status.value = ""
        self.redraw_button.disabled = True

    def _say(self, text: str, tone: str) -> None:
        self.status.value = (
            f'<div class="ck-status ck-status--{tone}" role="status" aria-live="polite">'
            f"{as_html_text(text)}</div>"
            if text
            else ""
        )

    def _guard(self, action) -> None:
        try:
            action()
        except Exception:  # Voila shows no tracebacks: a sentence for the facilitator, details in the log
            log.exception("building triads failed")
            self._say("Something went wrong; the names are still in the box. Please try again.", "error")

    def _on_build(self, _button=None) -> None:
        self._guard(self.build)

    def _on_rounds(self, _change=None) -> None:
        # same people, same groups: only the number of rounds changes
        if self.plan is not None:
            self._guard(lambda: self.build(seed=self.seed))

    def _on_redraw(self, _button=None) -> None:
        self._guard(self.redraw)


def _grouping(plan: TriadPlan) -> set[frozenset[str]]:
    return {frozenset(group) for group in plan.groups}

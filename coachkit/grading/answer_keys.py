"""The one answer key for the exercises: nbgrader's test cells and the Voila self-check both check with it.

The content of each assignment (its tasks, the questions, their options, the key's answers and explanations,
and the data the grader tries stretch functions on) is one data file in ``coachkit/grading/assignment_keys/``,
read as package data; tests/test_assignment_keys_match_notebooks.py proves that the notebooks ask what the
files hold. This module is the engine: one ``Check`` class per kind of answer (a letter, an order of letters,
a number, a list of numbers, a short text, a Python function) says, in plain words, whether one answer is well
formed and right; ``TaskCheck`` is what a notebook's test cell calls. In the student version a test cell only
checks that answers are filled in and well formed; nbgrader's hidden part of the cell calls
``TaskCheck.against_key()``, and only then are answers compared with the key, so the graded run and the
learner's own run differ exactly by that one line. The grading sandbox (coachkit.grading.sandbox) hides this
module and the data folder from submissions.

The key is readable by anyone who opens these files: the exercises are practice with feedback, not an exam.
"""

from __future__ import annotations

import csv
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import ClassVar

from coachkit.grading.graded_report import FunctionResults, answer_report

# ----------------------------------------------------------------------------------------------------------
# The rules the listening exercise (a04) counts by. Questions are judged by the workshop's one question
# classifier (coachkit.classifiers.question_kinds, the checker of lesson 02); advice is found by these
# phrases. The notebook prints them, the reference functions use them, and the learner's stretch code is asked
# to follow them.
ADVICE_PHRASES = (
    "you should",
    "you need to",
    "you could",
    "if i were you",
    "my advice",
    "why don't you",
    "have you tried",
    "have you thought about",
)

Transcript = list[tuple[str, str]]  # (speaker, what they said), in order
OrgChart = dict[str, list[str]]  # manager -> direct reports


def read_transcript(path: str | Path) -> Transcript:
    """A transcript from a CSV file with the columns ``speaker`` and ``text``."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [(row["speaker"].strip(), row["text"].strip()) for row in csv.DictReader(handle)]


def read_org_chart(path: str | Path) -> OrgChart:
    """Reporting lines from a CSV file with the columns ``person`` and ``manager`` (empty for the top)."""
    org: OrgChart = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            person, manager = row["person"].strip(), row["manager"].strip()
            org.setdefault(person, [])
            if manager:
                org.setdefault(manager, []).append(person)
    return org


def top_of(org: OrgChart) -> str:
    """The one person in ``org`` who reports to nobody."""
    reports = {person for team in org.values() for person in team}
    tops = [person for person in org if person not in reports]
    if len(tops) != 1:
        raise ValueError(f"an org chart needs exactly one person at the top, found {len(tops)}")
    return tops[0]


def questions_in(text: str) -> list[str]:
    """The sentences in ``text`` that end with a question mark, without surrounding spaces."""
    return [q.strip() for q in re.findall(r"[^.!?]*\?", text) if q.strip(" ?")]


def question_kind(question: str) -> str:
    """The kind the workshop's question classifier gives ``question`` ('open', 'closed', 'leading', ...)."""
    from coachkit.classifiers.question_kinds import classify_question

    return classify_question(question).kind


def reference_word_shares(transcript: Transcript) -> dict[str, float]:
    """Each speaker's share of all words spoken, between 0 and 1 (words are split at spaces)."""
    counts: dict[str, int] = {}
    for speaker, text in transcript:
        counts[speaker] = counts.get(speaker, 0) + len(text.split())
    total = sum(counts.values())
    return {speaker: (count / total if total else 0.0) for speaker, count in counts.items()}


def reference_count_questions(transcript: Transcript, speaker: str) -> dict[str, int]:
    """How many questions of each kind ``speaker`` asked: one entry per kind that occurs."""
    counts: dict[str, int] = {}
    for who, text in transcript:
        if who == speaker:
            for question in questions_in(text):
                kind = question_kind(question)
                counts[kind] = counts.get(kind, 0) + 1
    return counts


def reference_advice_turns(transcript: Transcript, speaker: str) -> list[int]:
    """The turn numbers (the first turn is 1) in which ``speaker`` uses one of ADVICE_PHRASES."""
    return [
        number
        for number, (who, text) in enumerate(transcript, start=1)
        if who == speaker and any(phrase in text.lower() for phrase in ADVICE_PHRASES)
    ]


def reference_reached_after(org: OrgChart, rounds: int, blocked: Iterable[str] = ()) -> set[str]:
    """Who has been reached after ``rounds`` rounds of passing coaching down the reporting lines.

    Round 0 reaches the person at the top. In each round, every reached manager who is not blocked passes
    coaching on to all their direct reports. A blocked manager is reached but passes nothing on.
    """
    blocked = set(blocked)
    reached = {top_of(org)}
    for _ in range(rounds):
        reached |= {report for person in reached if person not in blocked for report in org.get(person, [])}
    return reached


def transcript_text(transcript: Transcript) -> str:
    """The transcript with turn numbers and each turn's word count, as the a04 notebook prints it."""
    return "\n".join(
        f"{number:>2}. {speaker} ({len(text.split())} word{'' if len(text.split()) == 1 else 's'}): {text}"
        for number, (speaker, text) in enumerate(transcript, start=1)
    )


def org_chart_text(org: OrgChart) -> str:
    """The org chart as an indented list, the top first, each team under its manager."""
    lines: list[str] = []

    def walk(person: str, depth: int) -> None:
        team = org.get(person, [])
        lines.append("    " * depth + person + (f"  (manages {len(team)})" if team else ""))
        for report in team:
            walk(report, depth + 1)

    walk(top_of(org), 0)
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------------
# The key's data model.


@dataclass(frozen=True)
class Item:
    """One answer a learner gives: the variable they fill in and what counts as right."""

    name: str  # the variable in the notebook, e.g. "q1"
    prompt: str  # the question as the self-check shows it
    kind: str  # a key of CHECKS: "choice", "sequence", "number", "numbers", "text" or "function"
    answer: object = None  # a letter, a list of letters, a number; None for text and function items
    options: tuple[tuple[str, str], ...] = ()  # (letter, meaning) for choice and sequence items
    why: str = ""  # the explanation a learner reads after checking
    tolerance: float = 0.0  # for numbers
    example: str = ""  # what to type, e.g. 'q1 = "B"'
    text_rules: tuple[str, ...] = ()  # names of TEXT_RULES a text answer must pass
    cases: tuple = ()  # function items: hidden cases (arguments, expected) checked only against the key
    visible: str = ""  # function items: the REFERENCES entry whose notebook data the learner's own run checks
    notebook: str = ""  # the notebook's words after "`name`: ", where they differ from the prompt

    @property
    def check(self) -> Check:
        return CHECKS[self.kind]


@dataclass(frozen=True)
class Task:
    """A graded task: the items in one answer cell and the points of its test cell."""

    id: str
    title: str
    points: float
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    tasks: tuple[Task, ...]
    self_check_note: str = ""
    # The data the questions are about (a transcript, an org chart), as plain text for the self-check page;
    # read when shown, not on import.
    self_check_data: Callable[[], str] | None = None
    option_sets: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, compare=False)

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(f"{self.name} has no task {task_id!r}")

    def items(self) -> list[Item]:
        return [item for task in self.tasks for item in task.items]


@dataclass(frozen=True)
class ItemResult:
    """The verdict on one answer: filled in and well formed? right? and what to tell the learner."""

    name: str
    filled: bool
    correct: bool | None  # None: not compared with the key (format check only, or not filled in)
    message: str


# ----------------------------------------------------------------------------------------------------------
# The rules a short text answer must pass (an item names them in its data file).


def _rule_question(text: str) -> str | None:
    return None if text.rstrip().endswith("?") else "It should end with a question mark."


def _rule_open(text: str) -> str | None:
    """Is ``text`` an open question by the workshop's question classifier (the checker of lesson 02)?"""
    from coachkit.classifiers.question_kinds import KIND_TITLES, classify_question

    verdict = classify_question(text)
    if verdict.kind == "open":
        return None
    first_sentence = verdict.explanation.split(". ")[0].rstrip(".") + "."
    hint = f" Try instead: {verdict.better}" if verdict.better else " Try starting with What or How."
    return f"The question checker reads it as {KIND_TITLES[verdict.kind].lower()}. {first_sentence}{hint}"


def _rule_one_question(text: str) -> str | None:
    return None if text.count("?") <= 1 else "Ask one question at a time: it has more than one question mark."


def _rule_words(text: str) -> str | None:
    return None if len(text.split()) >= 3 else "Please write at least three words."


TEXT_RULES: dict[str, Callable[[str], str | None]] = {
    "question": _rule_question,
    "open": _rule_open,
    "one-question": _rule_one_question,
    "words": _rule_words,
}

TEXT_LIMIT = 1000  # characters for one short text answer


# ----------------------------------------------------------------------------------------------------------
# The checks: one class per kind of answer.


def _not_filled(item: Item, extra: str = "") -> ItemResult:
    example = f" For example: {item.example}" if item.example else ""
    return ItemResult(item.name, False, None, f"{item.name}: not answered yet.{extra}{example}")


def _right(item: Item) -> ItemResult:
    return ItemResult(item.name, True, True, f"{item.name}: right. {item.why}".rstrip())


def _answered(item: Item) -> ItemResult:
    return ItemResult(item.name, True, None, f"{item.name}: answered.")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Check(ABC):
    """How one kind of answer is checked: ``check`` in the learner's kernel, ``score`` by the grader."""

    kind: ClassVar[str]

    @abstractmethod
    def check(self, item: Item, value: object, against_key: bool) -> ItemResult:
        """Without the key: is ``value`` filled in and well formed? With it: is it also right?"""

    def score(self, item: Item, value: object) -> ItemResult:
        """The verdict on a value handed over as data (coachkit.grading.graded_report) by a graded run."""
        try:
            return check_item(item, value, against_key=True)
        except Exception as error:  # a malformed value must cost the item, never the whole grade
            return ItemResult(item.name, True, False, f"{item.name}: unreadable ({type(error).__name__}).")


class ChoiceCheck(Check):
    """One letter from the item's options: ``q1 = "B"``."""

    kind = "choice"

    def check(self, item: Item, value: object, against_key: bool) -> ItemResult:
        letters = [letter for letter, _ in item.options]
        if _blank(value):
            return _not_filled(item)
        if not isinstance(value, str) or value.strip().upper() not in letters:
            return _not_filled(item, f" Type one of the letters {', '.join(letters)} between quotes.")
        if not against_key:
            return _answered(item)
        if value.strip().upper() == item.answer:
            return _right(item)
        return ItemResult(
            item.name, True, False, f"{item.name}: not the key's answer ({item.answer}). {item.why}"
        )


def _letters(value: object) -> list[str] | None:
    """A list of letters from ["C", "A"] or "C, A" or "CA"; None when it cannot be read as letters."""
    if isinstance(value, str):
        parts = re.findall(r"[A-Za-z]", value) if re.fullmatch(r"[\sA-Za-z,;]*", value) else None
    elif isinstance(value, list | tuple):
        parts = [v.strip() for v in value] if all(isinstance(v, str) for v in value) else None
    else:
        parts = None
    if parts is None or any(len(p) != 1 or not p.isalpha() for p in parts):
        return None
    return [p.upper() for p in parts]


class SequenceCheck(Check):
    """Every letter of the options once, in the key's order: ``conversation_order = ["B", "D", ...]``."""

    kind = "sequence"

    def check(self, item: Item, value: object, against_key: bool) -> ItemResult:
        if _blank(value) or value == []:
            return _not_filled(item)
        order = _letters(value)
        expected = list(item.answer)
        if order is None or sorted(order) != sorted(expected):
            return _not_filled(
                item, f" Use each of the letters {', '.join(sorted(expected))} exactly once, in your order."
            )
        if not against_key:
            return _answered(item)
        if order == expected:
            return _right(item)
        return ItemResult(
            item.name, True, False, f"{item.name}: not the key's order ({', '.join(expected)}). {item.why}"
        )


class NumberCheck(Check):
    """A number, right within the item's tolerance: ``manager_share = 76``."""

    kind = "number"

    def check(self, item: Item, value: object, against_key: bool) -> ItemResult:
        if _blank(value):
            return _not_filled(item)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _not_filled(item, " Type a number without quotes.")
        if not against_key:
            return _answered(item)
        if abs(value - item.answer) <= item.tolerance:
            return _right(item)
        return ItemResult(
            item.name, True, False, f"{item.name}: not the key's answer ({item.answer}). {item.why}"
        )


class NumbersCheck(Check):
    """Whole numbers in any order, repeats ignored: ``advice_turns = [5, 7]``."""

    kind = "numbers"

    def check(self, item: Item, value: object, against_key: bool) -> ItemResult:
        if value is None or value == []:
            return _not_filled(item)
        if not isinstance(value, list | tuple) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            return _not_filled(item, " Type whole numbers in square brackets, separated by commas.")
        if not against_key:
            return _answered(item)
        if sorted(set(value)) == sorted(item.answer):
            return _right(item)
        expected = ", ".join(str(n) for n in item.answer)
        return ItemResult(
            item.name, True, False, f"{item.name}: not the key's answer ([{expected}]). {item.why}"
        )


class TextCheck(Check):
    """A short text that passes the item's TEXT_RULES. Text has no single right answer: the automatic part
    checks the basics, a person grades the rest."""

    kind = "text"

    def check(self, item: Item, value: object, against_key: bool) -> ItemResult:
        if value is None or not isinstance(value, str) or not value.strip():
            return _not_filled(item, " Type your text between the quotes.")
        text = " ".join(value.split())
        if len(text) > TEXT_LIMIT:
            return ItemResult(
                item.name, True, False, f"{item.name}: please keep it under {TEXT_LIMIT} characters."
            )
        problems = [p for p in (TEXT_RULES[rule](text) for rule in item.text_rules) if p]
        if problems:
            return ItemResult(item.name, True, False, f"{item.name}: " + " ".join(problems))
        return ItemResult(item.name, True, True, f"{item.name}: has the basics. {item.why}".rstrip())


def _same(result: object, expected: object) -> bool:
    if isinstance(expected, float):
        return isinstance(result, int | float) and abs(result - expected) < 0.005
    if isinstance(expected, dict):
        return (
            isinstance(result, dict)
            and set(result) == set(expected)
            and all(_same(result[k], v) for k, v in expected.items())
        )
    if isinstance(expected, set):
        return isinstance(result, set | list | tuple | frozenset) and set(result) == expected
    if isinstance(expected, list):
        return isinstance(result, list | tuple) and list(result) == expected
    return result == expected


def _judge_outcomes(
    item: Item, outcomes: Iterable[tuple[str, object]], cases: list, graded: bool
) -> ItemResult:
    """The verdict on what a function returned (or raised) on each case: ("returned" | "raised", value)."""
    failed = 0
    first_problem = ""
    for (_, expected), (how, result) in zip(cases, outcomes, strict=False):
        if how == "raised":
            return ItemResult(item.name, True, False, f"{item.name}: checking it raised {result}")
        if result is None:
            return _not_filled(item, " Your function returned nothing: finish it with `return ...`.")
        if not _same(result, expected):
            failed += 1
            if not first_problem:
                first_problem = f" For example, it returned {result!r} where {expected!r} was expected."
    if failed:
        return ItemResult(
            item.name, True, False, f"{item.name}: {failed} of {len(cases)} checks failed.{first_problem}"
        )
    where = "every example, including the grader's other data" if graded else "the example above"
    return ItemResult(item.name, True, True if graded else None, f"{item.name}: works on {where}.")


class FunctionCheck(Check):
    """A stretch task's function, tried on the notebook's data and, against the key, on the grader's own."""

    kind = "function"

    def check(self, item: Item, value: object, against_key: bool) -> ItemResult:
        if value is None:
            return _not_filled(item)
        if not callable(value):
            return _not_filled(item, " It should be the function you wrote (its name, without brackets).")
        cases = list(VISIBLE_CASES[item.visible]()) if item.visible else []
        cases += list(item.cases) if against_key else []

        def outcomes():
            for args, _ in cases:
                yield "returned", value(*args)  # an exception goes to check_item, which reports it

        return _judge_outcomes(item, outcomes(), cases, graded=against_key)

    def score(self, item: Item, value: object) -> ItemResult:
        """Judged from what the learner's function returned in the sandbox (FunctionResults)."""
        if value is None:
            return _not_filled(item)
        if not isinstance(value, FunctionResults):
            return _not_filled(item, " It should be the function you wrote (its name, without brackets).")
        if value.outcomes is None:
            return ItemResult(
                item.name,
                False,
                None,
                f"{item.name}: not written yet (optional stretch work: skip it if you like).",
            )
        cases = grading_cases(item)
        if len(value.outcomes) != len(cases):
            return ItemResult(item.name, True, False, f"{item.name}: it did not run on every example.")
        return _judge_outcomes(item, value.outcomes, cases, graded=True)


CHECKS: dict[str, Check] = {
    check.kind: check
    for check in (ChoiceCheck(), SequenceCheck(), NumberCheck(), NumbersCheck(), TextCheck(), FunctionCheck())
}


def check_item(item: Item, value: object, *, against_key: bool) -> ItemResult:
    """Check one answer. Without the key: is it filled in and well formed? With it: is it also right?"""
    try:
        return item.check.check(item, value, against_key)
    except NotImplementedError:
        return ItemResult(
            item.name,
            False,
            None,
            f"{item.name}: not written yet (optional stretch work: skip it if you like).",
        )
    except Exception as error:  # a learner's function may raise anything; report it, never crash the check
        return ItemResult(
            item.name, True, False, f"{item.name}: checking it raised {type(error).__name__}: {error}"
        )


# ----------------------------------------------------------------------------------------------------------
# What a notebook's test cell calls.


class TaskCheck:
    """The check behind one test cell: ``TaskCheck("a01-questions", "classify")(globals())``.

    Without the key it raises AssertionError (so nbgrader gives no points and the learner reads what to fix)
    when an answer is missing or malformed. With the key (the hidden line nbgrader keeps for grading) it
    also prints a verdict per answer and returns the points earned, which nbgrader reads as partial credit.
    """

    def __init__(self, assignment: str, task_id: str):
        self.assignment = ASSIGNMENTS[assignment]
        self.task = self.assignment.task(task_id)
        self.use_key = False

    def against_key(self) -> TaskCheck:
        self.use_key = True
        return self

    def results(self, answers: dict[str, object]) -> list[ItemResult]:
        return [
            check_item(item, answers.get(item.name), against_key=self.use_key) for item in self.task.items
        ]

    def __call__(self, namespace: dict | None = None, **answers: object) -> float | None:
        """Check the answers given by name, or looked up by name in ``namespace`` (a notebook's globals()).

        Looking them up means a deleted answer line is "not answered yet", never a NameError: a graded run
        then shows no traceback, and a traceback would print the test cell's hidden lines into the feedback.
        """
        if namespace is not None:
            answers = {item.name: namespace.get(item.name) for item in self.task.items}
        unknown = set(answers) - {item.name for item in self.task.items}
        if unknown:
            raise TypeError(f"unexpected answers {sorted(unknown)} for task {self.task.id}")
        results = self.results(answers)
        if not self.use_key:
            missing = [r for r in results if not r.filled]
            if missing:
                raise AssertionError("\n".join(["Not finished yet:"] + [r.message for r in missing]))
            formed = [r for r in results if r.correct is False]  # text basics and visible code examples
            if formed:
                raise AssertionError("\n".join(["Almost there:"] + [r.message for r in formed]))
            print(f"{self.task.title}: every answer is filled in. The grader checks whether they are right.")
            return None
        # Graded run: never raise (a traceback would print the test cell's code into the feedback); a wrong or
        # missing answer simply earns no points for that item. The answers also go to the grader as data
        # (coachkit.grading.graded_report): nbgrader's score comes from the grader's own process, not from
        # here.
        print(answer_report(grading_items(self.task), answers))
        for result in results:
            print(("✓ " if result.correct else "✗ ") + result.message)
        per_item = self.task.points / len(results)
        return round(per_item * sum(1 for r in results if r.correct), 2)


def grading_cases(item: Item) -> list:
    """The (arguments, expected) pairs a function item is checked on in a graded run: visible, then hidden."""
    return (list(VISIBLE_CASES[item.visible]()) if item.visible else []) + list(item.cases)


def grading_items(task: Task) -> list[tuple[str, str, list]]:
    """(name, kind, inputs) for each item of ``task``: what a graded test cell reports to the grader."""
    return [
        (item.name, item.kind, [args for args, _ in grading_cases(item)] if item.kind == "function" else [])
        for item in task.items
    ]


def score_answers(
    assignment: str, task_id: str, answers: dict[str, object]
) -> tuple[float, list[ItemResult]]:
    """The points and verdicts for one task from answers handed over as data (coachkit.grading.graded_report).

    This runs in the grader's own process (coachkit.grading.config.ScoreAnswers), never in the learner's
    kernel.
    """
    task = ASSIGNMENTS[assignment].task(task_id)
    results = [item.check.score(item, answers.get(item.name)) for item in task.items]
    points = round(task.points / len(results) * sum(1 for r in results if r.correct), 2)
    return points, results


# ----------------------------------------------------------------------------------------------------------
# The notebooks' own data, and the reference functions the stretch tasks are checked against.


def data_file(assignment: str, name: str) -> Path:
    """A data file of an assignment: beside the running notebook first, else in exercises/ or solutions/."""
    from coachkit.paths import exercises_dir, solutions_dir

    beside = Path.cwd() / name
    if Path.cwd().name == assignment and beside.exists():
        return beside
    for folder in (exercises_dir(), solutions_dir()):
        path = folder / assignment / name
        if path.exists():
            return path
    raise FileNotFoundError(f"{assignment}/{name} is in neither exercises/ nor solutions/")


def example_transcript() -> Transcript:
    """The transcript the a04 notebook shows (transcript.csv beside it)."""
    return read_transcript(data_file("a04-listening-numbers", "transcript.csv"))


def example_org_chart() -> OrgChart:
    """The org chart the a05 notebook shows (org_chart.csv beside it)."""
    return read_org_chart(data_file("a05-culture-spread", "org_chart.csv"))


@dataclass(frozen=True)
class Reference:
    """A stretch task's reference function and the arguments a learner's function is tried on: the
    notebook's own data (``visible``, the learner's run) and the assignment file's ``grader_data``
    (``hidden``, only against the key)."""

    function: Callable
    visible: Callable[[], list[tuple]]
    hidden: Callable[[dict], list[tuple]]

    def cases(self, arguments: Iterable[tuple]) -> tuple:
        return tuple((args, self.function(*args)) for args in arguments)


def _transcripts(grader_data: dict) -> list[Transcript]:
    return [[(speaker, text) for speaker, text in turns] for turns in grader_data["transcripts"]]


def _cascade_hidden(grader_data: dict) -> list[tuple]:
    """Each org chart of the file at rounds 0 to 3 with nobody blocked, then the file's blocked runs."""
    orgs = grader_data["org_charts"]
    runs = [(org, rounds, []) for org in orgs for rounds in range(4)]
    return runs + [
        (orgs[r["org_chart"]], r["rounds"], list(r["blocked"])) for r in grader_data["blocked_runs"]
    ]


# Speaker-based functions are tried as the transcript's first speaker (the coach).
REFERENCES: dict[str, Reference] = {
    "word_shares": Reference(
        reference_word_shares,
        lambda: [(example_transcript(),)],
        lambda data: [(t,) for t in _transcripts(data)],
    ),
    "count_questions": Reference(
        reference_count_questions,
        lambda: [(t, t[0][0]) for t in [example_transcript()]],
        lambda data: [(t, t[0][0]) for t in _transcripts(data)],
    ),
    "advice_turns_of": Reference(
        reference_advice_turns,
        lambda: [(t, t[0][0]) for t in [example_transcript()]],
        lambda data: [(t, t[0][0]) for t in _transcripts(data)],
    ),
    "reached_after": Reference(
        reference_reached_after,
        lambda: [
            (example_org_chart(), rounds, blocked) for rounds, blocked in ((1, []), (2, []), (3, ["Priya"]))
        ],
        _cascade_hidden,
    ),
}

# The learner's own run checks the stretch functions on the notebook's data: read when checked, not on import.
VISIBLE_CASES: dict[str, Callable[[], tuple]] = {
    name: (lambda reference=reference: reference.cases(reference.visible()))
    for name, reference in REFERENCES.items()
}

# What the self-check page shows above the questions, by the name an assignment file gives.
SELF_CHECK_DATA: dict[str, Callable[[], str]] = {
    "transcript": lambda: (
        "The one-to-one (turn, speaker, words in the turn):\n\n" + transcript_text(example_transcript())
    ),
    "org_chart": lambda: "Who reports to whom:\n\n" + org_chart_text(example_org_chart()),
}


# ----------------------------------------------------------------------------------------------------------
# Reading the assignment files (package data, so an installed wheel finds them too).

KEY_FOLDER = "assignment_keys"  # inside the coachkit package; the grading sandbox hides it


def key_folder() -> Path:
    """The folder of the assignment files, as a path (the sandbox needs one to hide it)."""
    return Path(str(resources.files("coachkit.grading") / KEY_FOLDER))


def _letters_for(texts: Iterable[str]) -> tuple[tuple[str, str], ...]:
    return tuple((chr(ord("A") + i), text) for i, text in enumerate(texts))


def _from_situation(situation_id: str, asks: str, letters_by_label: dict[str, str]) -> dict:
    """prompt, answer and why of an a03 item from the approach advisor's labelled situation (one source)."""
    from coachkit.classifiers.approach_rules import case_ids, labelled_situation

    situation = labelled_situation(situation_id)
    if asks == "approach":
        return {
            "prompt": f"{situation.description} ({situation.judgements()})",
            "answer": letters_by_label[situation.expected],
            "why": situation.reason,
        }
    if asks == "coaching_moment":
        if situation.expected not in ("Coach", *case_ids()):
            raise ValueError(f"{situation_id} is neither Coach nor a not-coaching case")
        return {
            "prompt": situation.description,
            "answer": "A" if situation.coaching_moment else "B",
            "why": situation.reason,
        }
    raise ValueError(f"a task's situations_ask is 'approach' or 'coaching_moment', not {asks!r}")


def load_assignment(data: dict) -> Assignment:
    """An Assignment from the contents of one assignment file (format: coachkit/grading/assignment_keys/)."""
    name = data["name"]
    option_sets = {set_name: _letters_for(texts) for set_name, texts in data.get("options", {}).items()}
    # An approach's letter by its label ("Tell: give clear ..." -> "Tell"), for items drawn from situations.
    letters_by_label = {text.split(":")[0]: letter for letter, text in option_sets.get("approaches", ())}
    grader_data = data.get("grader_data", {})
    tasks = []
    for task in data["tasks"]:
        items = []
        for entry in task["items"]:
            kind = entry["kind"]
            if kind not in CHECKS:
                raise ValueError(f"{name}/{entry['name']}: unknown kind {kind!r}; known: {', '.join(CHECKS)}")
            fields = dict(entry)
            if "situation" in fields:
                fields.update(
                    _from_situation(fields.pop("situation"), task["situations_ask"], letters_by_label)
                )
            options = fields.get("options", ())
            fields["options"] = option_sets[options] if isinstance(options, str) else _letters_for(options)
            fields["text_rules"] = tuple(fields.get("text_rules", ()))
            unknown_rules = set(fields["text_rules"]) - set(TEXT_RULES)
            if unknown_rules:
                raise ValueError(f"{name}/{entry['name']}: unknown text rules {sorted(unknown_rules)}")
            reference = fields.pop("reference", None)
            if kind == "function":
                fields["visible"] = reference
                fields["cases"] = REFERENCES[reference].cases(REFERENCES[reference].hidden(grader_data))
            fields.setdefault("prompt", "")
            items.append(Item(**fields))
        tasks.append(Task(task["id"], task["title"], task["points"], tuple(items)))
    view = data.get("self_check_data")
    return Assignment(
        name,
        data["title"],
        tuple(tasks),
        data.get("self_check_note", ""),
        SELF_CHECK_DATA[view] if view else None,
        option_sets,
    )


def _read(name: str) -> dict:
    return json.loads(
        (resources.files("coachkit.grading") / KEY_FOLDER / f"{name}.json").read_text(encoding="utf-8")
    )


def _assignments() -> dict[str, Assignment]:
    files = sorted(
        p.name
        for p in (resources.files("coachkit.grading") / KEY_FOLDER).iterdir()
        if p.name.endswith(".json")
    )
    assignments = {}
    for file_name in files:
        assignment = load_assignment(_read(file_name.removesuffix(".json")))
        if f"{assignment.name}.json" != file_name:
            raise ValueError(f"{file_name} holds {assignment.name}: name the file after its assignment")
        assignments[assignment.name] = assignment
    return assignments


ASSIGNMENTS: dict[str, Assignment] = _assignments()

# Names the tests and the question checker use for parts of the key (all read from the files above).
QUESTION_KINDS = ASSIGNMENTS["a01-questions"].option_sets["question-kinds"]
QUESTION_KIND_LETTERS: dict[str, str] = _read("a01-questions")["letters_by_classifier_kind"]
A01_QUESTIONS = tuple(
    (i.prompt, i.answer, i.why) for i in ASSIGNMENTS["a01-questions"].task("classify").items
)
GROW_STAGES = ASSIGNMENTS["a02-grow"].option_sets["grow-stages"]
A02_STAGES = tuple((i.prompt, i.answer, i.why) for i in ASSIGNMENTS["a02-grow"].task("stages").items)
A02_CONVERSATION = ASSIGNMENTS["a02-grow"].option_sets["conversation"]
APPROACHES = ASSIGNMENTS["a03-coach-or-tell"].option_sets["approaches"]
APPROACH_LETTERS = {text.split(":")[0]: letter for letter, text in APPROACHES}
COACH_OR_NOT = ASSIGNMENTS["a03-coach-or-tell"].option_sets["coach-or-not"]
A03_SITUATION_IDS = tuple(i["situation"] for i in _read("a03-coach-or-tell")["tasks"][0]["items"])
A03_SORT_IDS = tuple(i["situation"] for i in _read("a03-coach-or-tell")["tasks"][1]["items"])
A03_SITUATIONS = tuple(
    (i.prompt, i.answer, i.why) for i in ASSIGNMENTS["a03-coach-or-tell"].task("approach").items
)
A03_SORT = tuple((i.prompt, i.answer, i.why) for i in ASSIGNMENTS["a03-coach-or-tell"].task("sort").items)

"""The one answer key for the exercises: nbgrader's test cells and the Voila self-check both check with it.

Each assignment is a list of tasks; each task holds the items a learner fills in (a letter, a list of letters,
a number, a short text or, for the stretch tasks, a Python function). ``check_item`` says, in plain words,
whether one answer is well formed and right; ``TaskCheck`` is what a notebook's test cell calls. In the
student version a test cell only checks that answers are filled in and well formed; nbgrader's hidden part of
the cell calls ``TaskCheck.against_key()``, and only then are answers compared with the key, so the graded
run and the learner's own run differ exactly by that one line.

The key is readable by anyone who opens this file: the exercises are practice with feedback, not an exam.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from coachkit.graded_report import FunctionResults, answer_report

# ----------------------------------------------------------------------------------------------------------
# The rules the listening exercise (a04) counts by. Questions are judged by the workshop's one question
# classifier (coachkit.questions, the checker of lesson 02); advice is found by these phrases. The notebook
# prints them, the reference functions use them, and the learner's stretch code is asked to follow them.
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
    from coachkit.questions import classify_question

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


# ----------------------------------------------------------------------------------------------------------
# The key's data model.


@dataclass(frozen=True)
class Item:
    """One answer a learner gives: the variable they fill in and what counts as right."""

    name: str  # the variable in the notebook, e.g. "q1"
    prompt: str  # the question as the self-check shows it
    kind: str  # "choice", "sequence", "number", "text" or "function"
    answer: object = None  # a letter, a list of letters, a number; None for text and function items
    options: tuple[tuple[str, str], ...] = ()  # (letter, meaning) for choice and sequence items
    why: str = ""  # the explanation a learner reads after checking
    tolerance: float = 0.0  # for numbers
    example: str = ""  # what to type, e.g. 'q1 = "B"'
    text_rules: tuple[str, ...] = ()  # names of TEXT_RULES a text answer must pass
    cases: tuple = ()  # function items: hidden cases (arguments, expected) checked only against the key
    visible: str = ""  # function items: which VISIBLE_CASES the learner's own run checks


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

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(f"{self.name} has no task {task_id!r}")


@dataclass(frozen=True)
class ItemResult:
    """The verdict on one answer: filled in and well formed? right? and what to tell the learner."""

    name: str
    filled: bool
    correct: bool | None  # None: not compared with the key (format check only, or not filled in)
    message: str


# ----------------------------------------------------------------------------------------------------------
# Checking one answer.


def _rule_question(text: str) -> str | None:
    return None if text.rstrip().endswith("?") else "It should end with a question mark."


def _rule_open(text: str) -> str | None:
    """Is ``text`` an open question by the workshop's question classifier (the checker of lesson 02)?"""
    from coachkit.questions import KIND_TITLES, classify_question

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


def check_item(item: Item, value: object, *, against_key: bool) -> ItemResult:
    """Check one answer. Without the key: is it filled in and well formed? With it: is it also right?"""
    name = item.name
    try:
        if item.kind == "choice":
            return _check_choice(item, value, against_key)
        if item.kind == "sequence":
            return _check_sequence(item, value, against_key)
        if item.kind == "number":
            return _check_number(item, value, against_key)
        if item.kind == "numbers":
            return _check_numbers(item, value, against_key)
        if item.kind == "text":
            return _check_text(item, value)
        if item.kind == "function":
            return _check_function(item, value, against_key)
    except NotImplementedError:
        return ItemResult(
            name, False, None, f"{name}: not written yet (optional stretch work: skip it if you like)."
        )
    except Exception as error:  # a learner's function may raise anything; report it, never crash the check
        return ItemResult(name, True, False, f"{name}: checking it raised {type(error).__name__}: {error}")
    raise ValueError(f"unknown item kind {item.kind!r}")


def _not_filled(item: Item, extra: str = "") -> ItemResult:
    example = f" For example: {item.example}" if item.example else ""
    return ItemResult(item.name, False, None, f"{item.name}: not answered yet.{extra}{example}")


def _check_choice(item: Item, value: object, against_key: bool) -> ItemResult:
    letters = [letter for letter, _ in item.options]
    if value is None or (isinstance(value, str) and not value.strip()):
        return _not_filled(item)
    if not isinstance(value, str) or value.strip().upper() not in letters:
        return _not_filled(item, f" Type one of the letters {', '.join(letters)} between quotes.")
    if not against_key:
        return ItemResult(item.name, True, None, f"{item.name}: answered.")
    if value.strip().upper() == item.answer:
        return ItemResult(item.name, True, True, f"{item.name}: right. {item.why}".rstrip())
    return ItemResult(
        item.name, True, False, f"{item.name}: not the key's answer ({item.answer}). {item.why}"
    )


def _check_sequence(item: Item, value: object, against_key: bool) -> ItemResult:
    if value is None or value == [] or (isinstance(value, str) and not value.strip()):
        return _not_filled(item)
    order = _letters(value)
    expected = list(item.answer)
    if order is None or sorted(order) != sorted(expected):
        return _not_filled(
            item, f" Use each of the letters {', '.join(sorted(expected))} exactly once, in your order."
        )
    if not against_key:
        return ItemResult(item.name, True, None, f"{item.name}: answered.")
    if order == expected:
        return ItemResult(item.name, True, True, f"{item.name}: right. {item.why}".rstrip())
    return ItemResult(
        item.name, True, False, f"{item.name}: not the key's order ({', '.join(expected)}). {item.why}"
    )


def _check_number(item: Item, value: object, against_key: bool) -> ItemResult:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _not_filled(item)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _not_filled(item, " Type a number without quotes.")
    if not against_key:
        return ItemResult(item.name, True, None, f"{item.name}: answered.")
    if abs(value - item.answer) <= item.tolerance:
        return ItemResult(item.name, True, True, f"{item.name}: right. {item.why}".rstrip())
    return ItemResult(
        item.name, True, False, f"{item.name}: not the key's answer ({item.answer}). {item.why}"
    )


def _check_numbers(item: Item, value: object, against_key: bool) -> ItemResult:
    if value is None or value == []:
        return _not_filled(item)
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return _not_filled(item, " Type whole numbers in square brackets, separated by commas.")
    if not against_key:
        return ItemResult(item.name, True, None, f"{item.name}: answered.")
    if sorted(set(value)) == sorted(item.answer):
        return ItemResult(item.name, True, True, f"{item.name}: right. {item.why}".rstrip())
    expected = ", ".join(str(n) for n in item.answer)
    return ItemResult(item.name, True, False, f"{item.name}: not the key's answer ([{expected}]). {item.why}")


def _check_text(item: Item, value: object) -> ItemResult:
    # Text has no single right answer: the automatic part checks the basics, a person grades the rest.
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


def _check_function(item: Item, value: object, against_key: bool) -> ItemResult:
    if value is None:
        return _not_filled(item)
    if not callable(value):
        return _not_filled(item, " It should be the function you wrote (its name, without brackets).")
    cases = list(VISIBLE_CASES[item.visible]()) if item.visible else []
    cases += list(item.cases) if against_key else []
    failed = 0
    first_problem = ""
    for args, expected in cases:
        result = value(*args)
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
    where = "every example, including the grader's other data" if against_key else "the example above"
    return ItemResult(item.name, True, True if against_key else None, f"{item.name}: works on {where}.")


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
        # (coachkit.graded_report): nbgrader's score comes from the grader's own process, not from here.
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


def _check_function_results(item: Item, value: object) -> ItemResult:
    """A function item, judged from what the learner's function returned in the sandbox (FunctionResults)."""
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
    failed = 0
    first_problem = ""
    for (_, expected), (how, result) in zip(cases, value.outcomes, strict=True):
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
    return ItemResult(
        item.name, True, True, f"{item.name}: works on every example, including the grader's other data."
    )


def score_answers(
    assignment: str, task_id: str, answers: dict[str, object]
) -> tuple[float, list[ItemResult]]:
    """The points and verdicts for one task from answers handed over as data (coachkit.graded_report).

    This runs in the grader's own process (coachkit.grading.ScoreAnswers), never in the learner's kernel.
    """
    task = ASSIGNMENTS[assignment].task(task_id)
    results = []
    for item in task.items:
        value = answers.get(item.name)
        if item.kind == "function":
            results.append(_check_function_results(item, value))
        else:
            try:
                results.append(check_item(item, value, against_key=True))
            except Exception as error:  # a malformed value must cost the item, never the whole grade
                results.append(
                    ItemResult(item.name, True, False, f"{item.name}: unreadable ({type(error).__name__}).")
                )
    points = round(task.points / len(results) * sum(1 for r in results if r.correct), 2)
    return points, results


# ----------------------------------------------------------------------------------------------------------
# The six assignments. Letters and wording here are the ones the notebooks show.


def _choices(*pairs: str) -> tuple[tuple[str, str], ...]:
    return tuple((chr(ord("A") + i), text) for i, text in enumerate(pairs))


QUESTION_KINDS = _choices(
    "Open",
    "Closed",
    "Leading (advice in disguise)",
    "Loaded (blame inside)",
    "A 'why' question",
    "Contracting (asking permission or agreeing how to talk)",
)
# Each kind's letter, by the question classifier's names (a test keeps the key and the classifier agreed).
QUESTION_KIND_LETTERS = {
    "open": "A",
    "closed": "B",
    "leading": "C",
    "loaded": "D",
    "why": "E",
    "contracting": "F",
}

A01_QUESTIONS = (
    (
        "What would you like to get out of this conversation?",
        "A",
        "It starts with What and invites any answer.",
    ),
    ("Did you finish the report?", "B", "It can be answered with yes or no."),
    (
        "Have you thought about asking Priya for help?",
        "C",
        "It carries the manager's idea; the honest answer is often 'I have now'.",
    ),
    (
        "How did you manage to miss the deadline again?",
        "D",
        "'Manage to miss ... again' is a verdict; the person hears blame. 'What happened?' opens it.",
    ),
    (
        "Wouldn't it be better to start with the budget?",
        "C",
        "The answer it wants is built into the question.",
    ),
    (
        "Is the deadline still realistic?",
        "B",
        "Yes or no closes it; 'How realistic does the deadline look to you now?' opens it.",
    ),
    (
        "Why did you send it before the review?",
        "E",
        "'Why' can sound like an accusation; 'What led you to send it before the review?' asks the same.",
    ),
    (
        "Do you want my view, or would it help to think it through together?",
        "F",
        "It asks what kind of help the person wants before you give any: good practice, not to be rewritten.",
    ),
)

GROW_STAGES = _choices("Goal", "Reality", "Options", "Will (way forward)")

A02_STAGES = (
    ("What do you want to take away from this conversation?", "A", "It asks what they want: Goal."),
    ("What have you done so far?", "B", "It asks what is happening now: Reality."),
    ("If resources were no object, what would you do?", "C", "It widens the choice: Options."),
    ("When exactly will you take the first step?", "D", "It pins down a commitment: Will."),
    ("How will you know you've succeeded?", "A", "It defines success: Goal."),
    ("What's really stopping you?", "B", "It looks at the present obstacle: Reality."),
    ("And what else could you do?", "C", "'And what else?' asks for more options."),
    ("How committed are you from 1 to 10?", "D", "It tests commitment to the chosen step: Will."),
)

A02_CONVERSATION = _choices(
    "Coach: Which option will you try first?",
    "Coach: What would you like to have sorted by the end of our half hour?",
    "Coach: What could you do about it? ... And what else?",
    "Coach: Tell me more about what is happening with the rota at the moment.",
    "Coach: What was most useful in this conversation for you?",
)

# a03 draws its situations by id from the approach advisor's labelled set (assets/approach/situations.json),
# so the advisor, this key and the self-check share one source; tests/test_approach.py checks they agree.
APPROACH_LETTERS = {"Tell": "A", "Guide": "B", "Coach": "C", "Delegate": "D", "Tell now, coach later": "E"}
APPROACHES = _choices(
    "Tell: give clear instructions, say why, check back",
    "Guide: show how, then let them try, and ask as they go",
    "Coach: ask and listen, so that they find their own way forward",
    "Delegate: hand it over, agree the limits and stay available",
    "Tell now, coach later: a real crisis; direct now, debrief with questions afterwards",
)
COACH_OR_NOT = _choices("Coach: it is a coaching moment", "Do something else: it is not a coaching moment")
A03_SITUATION_IDS = (
    "jo-payment-outage",
    "sam-reporting-tool",
    "alex-stock-count",
    "mina-negotiation",
    "chris-complaints",
    "nadia-bid-three-days",
)
# Task 2 sorts only situations whose label is Coach or a not-coaching case, so that each has one right answer.
A03_SORT_IDS = (
    "maya-tearful",
    "joe-career-move",
    "nina-sexist-remark",
    "ravi-template",
    "femi-onboarding",
    "ken-ladder",
    "sofia-release-news",
    "carl-pip-corridor",
    "jess-bullied",
    "amir-tool-choice",
)


def _a03_situations(ids: Iterable[str], sort: bool) -> tuple[tuple[str, str, str], ...]:
    """(prompt, key letter, why) per labelled situation: the approach for Task 1, coach or not for Task 2."""
    from coachkit.approach_rules import labelled_situation

    rows = []
    for situation_id in ids:
        situation = labelled_situation(situation_id)
        if sort:
            if situation.expected not in ("Coach", *_not_coaching_ids()):
                raise ValueError(f"{situation_id} is neither Coach nor a not-coaching case")
            rows.append((situation.description, "A" if situation.coaching_moment else "B", situation.reason))
        else:
            prompt = f"{situation.description} ({situation.judgements()})"
            rows.append((prompt, APPROACH_LETTERS[situation.expected], situation.reason))
    return tuple(rows)


def _not_coaching_ids() -> tuple[str, ...]:
    from coachkit.approach_rules import case_ids

    return case_ids()


A03_SITUATIONS = _a03_situations(A03_SITUATION_IDS, sort=False)
A03_SORT = _a03_situations(A03_SORT_IDS, sort=True)


def _a04_cases() -> tuple:
    """Transcripts the grader tries the stretch functions on; the learner's notebook never shows them."""
    short = [
        ("Dana", "What would you like to focus on today?"),
        ("Eli", "The handover to the night shift keeps going wrong and I do not know why."),
        ("Dana", "What happens at the handover now? Is it written down?"),
        ("Eli", "Mostly we talk for two minutes in the corridor."),
        ("Dana", "Have you tried a checklist? You should use the one from the ward."),
    ]
    silent = [
        ("Ana", "Why don't you just call them? Wouldn't that be quicker? What stops you?"),
        ("Ben", "Fair."),
        ("Ana", "If I were you I would call today."),
    ]
    three = [
        ("Kim", "How can I help?"),
        ("Raj", "I need to decide about the course."),
        ("Lou", "I think you need to go, honestly."),
        ("Kim", "Which parts of the course matter most to you? Tell me more."),
        ("Raj", "The data part, and the people I would meet."),
    ]
    return (short, silent, three)


def _share_cases(transcripts: Iterable[Transcript]) -> tuple:
    return tuple(((t,), reference_word_shares(t)) for t in transcripts)


def _question_cases(transcripts: Iterable[Transcript]) -> tuple:
    return tuple(((t, t[0][0]), reference_count_questions(t, t[0][0])) for t in transcripts)


def _advice_cases(transcripts: Iterable[Transcript]) -> tuple:
    return tuple(((t, t[0][0]), reference_advice_turns(t, t[0][0])) for t in transcripts)


# The org charts the grader tries ``reached_after`` on.
_A05_ORGS = (
    {"Ola": ["Per", "Quinn"], "Per": ["Rae", "Sol"], "Quinn": ["Tam"], "Rae": [], "Sol": [], "Tam": []},
    {"Vic": ["Wen"], "Wen": ["Xi"], "Xi": ["Yan"], "Yan": ["Zed"], "Zed": []},
    {"Top": []},
)


def _cascade_cases() -> tuple:
    cases = []
    for org in _A05_ORGS:
        for rounds, blocked in ((0, []), (1, []), (2, []), (3, [])):
            cases.append(((org, rounds, blocked), reference_reached_after(org, rounds, blocked)))
    cases.append(((_A05_ORGS[0], 2, ["Per"]), reference_reached_after(_A05_ORGS[0], 2, ["Per"])))
    cases.append(((_A05_ORGS[1], 4, ["Xi"]), reference_reached_after(_A05_ORGS[1], 4, ["Xi"])))
    return tuple(cases)


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


def transcript_text(transcript: Transcript) -> str:
    """The transcript with turn numbers and each turn's word count, as the a04 notebook prints it."""
    return "\n".join(
        f"{number:>2}. {speaker} ({len(text.split())} word{'' if len(text.split()) == 1 else 's'}): {text}"
        for number, (speaker, text) in enumerate(transcript, start=1)
    )


def example_org_chart() -> OrgChart:
    """The org chart the a05 notebook shows (org_chart.csv beside it)."""
    return read_org_chart(data_file("a05-culture-spread", "org_chart.csv"))


def _cascade_visible_cases() -> tuple:
    org = example_org_chart()
    return tuple(
        ((org, rounds, blocked), reference_reached_after(org, rounds, blocked))
        for rounds, blocked in ((1, []), (2, []), (3, ["Priya"]))
    )


# The learner's own run checks the stretch functions on the notebook's data: read when checked, not on import.
VISIBLE_CASES: dict[str, Callable[[], tuple]] = {
    "share": lambda: _share_cases([example_transcript()]),
    "questions": lambda: _question_cases([example_transcript()]),
    "advice": lambda: _advice_cases([example_transcript()]),
    "cascade": _cascade_visible_cases,
}


def _assignments() -> dict[str, Assignment]:
    a01 = Assignment(
        "a01-questions",
        "Open, closed and leading questions",
        (
            Task(
                "classify",
                "Task 1: what kind of question?",
                8,
                tuple(
                    Item(f"q{i}", text, "choice", key, QUESTION_KINDS, why, example=f'q{i} = "A"')
                    for i, (text, key, why) in enumerate(A01_QUESTIONS, start=1)
                ),
            ),
            Task(
                "rewrite",
                "Task 2: rewrite as open questions",
                3,
                tuple(
                    Item(
                        f"rewrite_{i}",
                        f"Rewrite as an open question: “{original}”",
                        "text",
                        text_rules=("words", "question", "one-question", "open"),
                        example=f'rewrite_{i} = "What ...?"',
                    )
                    for i, original in enumerate(
                        (
                            "Did you finish the report?",
                            "Have you thought about asking Priya for help?",
                            "Is the deadline still realistic?",
                        ),
                        start=1,
                    )
                ),
            ),
        ),
    )
    a02 = Assignment(
        "a02-grow",
        "The shape of a coaching conversation (GROW)",
        (
            Task(
                "stages",
                "Task 1: which GROW stage?",
                8,
                tuple(
                    Item(f"stage_{i}", text, "choice", key, GROW_STAGES, why, example=f'stage_{i} = "B"')
                    for i, (text, key, why) in enumerate(A02_STAGES, start=1)
                ),
            ),
            Task(
                "order",
                "Task 2: put the conversation in order",
                2,
                (
                    Item(
                        "conversation_order",
                        "Put the coach's lines in the order of a GROW conversation (first to last).",
                        "sequence",
                        ["B", "D", "C", "A", "E"],
                        A02_CONVERSATION,
                        "Goal (B), Reality (D), Options (C), Will (A), then a review of the session (E).",
                        example='conversation_order = ["E", "A", "B", "C", "D"]',
                    ),
                ),
            ),
        ),
    )
    a03 = Assignment(
        "a03-coach-or-tell",
        "Coach or tell?",
        (
            Task(
                "approach",
                "Task 1: choose an approach",
                6,
                tuple(
                    Item(
                        f"situation_{i}", text, "choice", key, APPROACHES, why, example=f'situation_{i} = "B"'
                    )
                    for i, (text, key, why) in enumerate(A03_SITUATIONS, start=1)
                ),
            ),
            Task(
                "sort",
                "Task 2: coach, or do something else?",
                5,
                tuple(
                    Item(f"sort_{i}", text, "choice", key, COACH_OR_NOT, why, example=f'sort_{i} = "A"')
                    for i, (text, key, why) in enumerate(A03_SORT, start=1)
                ),
            ),
        ),
    )
    transcripts = _a04_cases()
    a04 = Assignment(
        "a04-listening-numbers",
        "Listening by the numbers",
        (
            Task(
                "read",
                "Task 1: read the numbers",
                4,
                (
                    Item(
                        "manager_share",
                        "What percentage of all the words did Sam (the manager) speak? A whole number.",
                        "number",
                        76,
                        why="Sam spoke 90 of the 119 words: 76%. No study sets a right share; this is a lot.",
                        tolerance=1,
                        example="manager_share = 45",
                    ),
                    Item(
                        "open_questions",
                        "How many of Sam's questions are open (as lesson 02 teaches them)?",
                        "number",
                        2,
                        why="'What's on your mind today?' and 'How is it going with the supplier side?'",
                        example="open_questions = 3",
                    ),
                    Item(
                        "leading_questions",
                        "How many of Sam's questions are leading (as lesson 02 teaches them)?",
                        "number",
                        2,
                        why="'Have you tried blocking time…?' and 'Wouldn't it be easier…?'",
                        example="leading_questions = 1",
                    ),
                    Item(
                        "advice_turns",
                        "In which turns does Sam give advice? A list of turn numbers.",
                        "numbers",
                        [5, 7],
                        why="Turn 5 ('Have you tried…') and turn 7 ('you should… you could…').",
                        example="advice_turns = [2, 4]",
                    ),
                ),
            ),
            Task(
                "code_shares",
                "Stretch 1: word_shares(transcript)",
                2,
                (Item("word_shares", "", "function", cases=_share_cases(transcripts), visible="share"),),
            ),
            Task(
                "code_questions",
                "Stretch 2: count_questions(transcript, speaker)",
                2,
                (
                    Item(
                        "count_questions",
                        "",
                        "function",
                        cases=_question_cases(transcripts),
                        visible="questions",
                    ),
                ),
            ),
            Task(
                "code_advice",
                "Stretch 3: advice_turns_of(transcript, speaker)",
                2,
                (
                    Item(
                        "advice_turns_of",
                        "",
                        "function",
                        cases=_advice_cases(transcripts),
                        visible="advice",
                    ),
                ),
            ),
        ),
        self_check_note="The stretch tasks (writing Python functions) are checked in JupyterLab only.",
        self_check_data=lambda: (
            "The one-to-one (turn, speaker, words in the turn):\n\n" + transcript_text(example_transcript())
        ),
    )
    a05 = Assignment(
        "a05-culture-spread",
        "How a coaching culture could spread",
        (
            Task(
                "read",
                "Task 1: follow the reporting lines",
                4,
                (
                    Item(
                        "reached_round_1",
                        "Nobody blocked: how many people (Ines included) are reached after 1 round?",
                        "number",
                        4,
                        why="Ines and her three direct reports.",
                        example="reached_round_1 = 5",
                    ),
                    Item(
                        "reached_round_2",
                        "Nobody blocked: how many people are reached after 2 rounds?",
                        "number",
                        11,
                        why="Round 2 adds the seven people who report to Priya, Omar and Lena.",
                        example="reached_round_2 = 9",
                    ),
                    Item(
                        "reached_priya_blocked",
                        "Priya is blocked: how many people are reached after 3 rounds?",
                        "number",
                        8,
                        why="Priya is reached but passes nothing on; the six people below her are missed.",
                        example="reached_priya_blocked = 12",
                    ),
                    Item(
                        "most_harmful_block",
                        "Which one blocked manager would leave the most people unreached?",
                        "choice",
                        "A",
                        _choices("Priya", "Omar", "Lena", "Tom"),
                        "Priya: six people sit below her, more than below anyone else.",
                        example='most_harmful_block = "C"',
                    ),
                ),
            ),
            Task(
                "code_cascade",
                "Stretch: reached_after(org, rounds, blocked)",
                3,
                (
                    Item(
                        "reached_after",
                        "",
                        "function",
                        cases=_cascade_cases(),
                        visible="cascade",
                    ),
                ),
            ),
        ),
        self_check_note="The stretch task (writing a Python function) is checked in JupyterLab only.",
        self_check_data=lambda: "Who reports to whom:\n\n" + org_chart_text(example_org_chart()),
    )
    plan_items = (
        Item(
            "person", "Who will you coach? A first name, initials or a made-up name.", "text", text_rules=()
        ),
        Item(
            "topic",
            "What will the conversation be about, in a sentence?",
            "text",
            text_rules=("words",),
            example='topic = "Preparing Sam to run the weekly stand-up"',
        ),
        Item(
            "approach_reason",
            "Why is coaching (not telling) the right approach for this, in a sentence or two?",
            "text",
            text_rules=("words",),
        ),
        Item(
            "goal_question",
            "Your opening Goal question.",
            "text",
            text_rules=("question", "open", "one-question"),
        ),
        Item(
            "reality_question", "A Reality question.", "text", text_rules=("question", "open", "one-question")
        ),
        Item(
            "options_question",
            "An Options question.",
            "text",
            text_rules=("question", "open", "one-question"),
        ),
        Item("will_question", "A Will question.", "text", text_rules=("question", "one-question")),
        Item("when", "When will you hold the conversation?", "text", text_rules=()),
        Item(
            "watch_out",
            "What will you watch out for in yourself (e.g. jumping in with advice)?",
            "text",
            text_rules=("words",),
        ),
    )
    a06 = Assignment(
        "a06-coaching-plan",
        "My coaching plan",
        (Task("plan", "Task 1: the plan is complete", 4, plan_items),),
    )
    return {a.name: a for a in (a01, a02, a03, a04, a05, a06)}


ASSIGNMENTS: dict[str, Assignment] = _assignments()

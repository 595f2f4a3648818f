"""What a graded test cell hands to the grader: the learner's answers as data, never a score.

In a graded run the hidden line of a test cell makes it print the answers of its task (letters, numbers,
lists, texts; for a stretch function, what the function returned on the grader's inputs) as JSON between two
markers. The grader's own process (``coachkit.grading.config.ScoreAnswers``, with the key) reads that block
and decides the points, so replacing a class or a function in the learner's kernel can change the answers
handed over, never the points they earn. This module holds no key: it is all the grading sandbox needs.
"""

from __future__ import annotations

import json
import math

BEGIN = "<<<coachkit-answers>>>"
END = "<<<end-coachkit-answers>>>"
MAX_TEXT = 20_000  # characters kept of one string (a text answer of the key may have at most 1,000)
MAX_ITEMS = 1_000  # elements kept of one list, set or dict
MAX_DEPTH = 12


class Unreadable:
    """A value the grader could not read back (a learner's object, a too-deep list): never a right answer."""

    def __init__(self, description: str = "") -> None:
        self.description = description

    def __repr__(self) -> str:
        return f"<unreadable {self.description}>"


def encode(value: object, depth: int = 0) -> object:
    """``value`` as JSON-ready data, tagged so that tuples, sets and dicts come back as they were."""
    if depth > MAX_DEPTH:
        return {"$unreadable": "nested too deeply"}
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and type(value) is int:
        return value if abs(value) < 10**18 else {"$unreadable": "a huge number"}
    if isinstance(value, float) and type(value) is float:
        return value if math.isfinite(value) else {"$unreadable": "not a finite number"}
    if type(value) is str:
        return value[:MAX_TEXT]
    if type(value) in (list, tuple, set, frozenset):
        items = [encode(v, depth + 1) for v in list(value)[:MAX_ITEMS]]
        if type(value) is list:
            return items
        return {"$tuple" if type(value) is tuple else "$set": items}
    if type(value) is dict:
        pairs = list(value.items())[:MAX_ITEMS]
        return {"$dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in pairs]}
    if callable(value):
        return {"$callable": True}
    return {"$unreadable": type(value).__name__[:80]}


def decode(data: object, depth: int = 0) -> object:
    """The inverse of ``encode``: anything malformed becomes ``Unreadable`` (this reads untrusted text)."""
    if depth > MAX_DEPTH + 2:
        return Unreadable("nested too deeply")
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [decode(v, depth + 1) for v in data]
    if isinstance(data, dict) and len(data) == 1:
        (tag, inner), *_ = data.items()
        if tag in ("$tuple", "$set") and isinstance(inner, list):
            items = [decode(v, depth + 1) for v in inner]
            if tag == "$tuple":
                return tuple(items)
            try:
                return set(items)
            except TypeError:
                return Unreadable("a set of unhashable values")
        if tag == "$dict" and isinstance(inner, list):
            result = {}
            for pair in inner:
                if not (isinstance(pair, list) and len(pair) == 2):
                    return Unreadable("a malformed dict")
                key = decode(pair[0], depth + 1)
                try:
                    result[key] = decode(pair[1], depth + 1)
                except TypeError:
                    return Unreadable("a dict with unhashable keys")
            return result
        if tag == "$callable":
            return Unreadable("a function")
        if tag == "$unreadable":
            return Unreadable(str(inner)[:80])
    return Unreadable("malformed data")


def function_results(function: object, inputs: list) -> dict:
    """What ``function`` returned on each argument tuple in ``inputs`` (or what it raised), as data."""
    if not callable(function):
        return {"$value": encode(function)}
    results = []
    for args in inputs:
        try:
            results.append({"returned": encode(function(*args))})
        except NotImplementedError:
            return {"$not_written": True}
        except Exception as error:  # a learner's function may raise anything: report it, go on
            results.append({"raised": f"{type(error).__name__}: {error}"[:300]})
    return {"$results": results}


def answer_report(items: list[tuple[str, str, list]], namespace: dict) -> str:
    """The block a graded test cell prints: each item's value (or its function's results) as JSON.

    ``items`` holds (name, kind, inputs) for each item of the task; ``inputs`` are the argument tuples a
    function item is called with (empty for other kinds).
    """
    answers = {}
    for name, kind, inputs in items:
        value = namespace.get(name)
        if kind == "function" and value is not None:
            answers[name] = function_results(value, inputs)
        else:
            answers[name] = encode(value)
    return BEGIN + json.dumps(answers, ensure_ascii=True) + END


def read_report(text: str) -> dict | None:
    """The answers in the last complete block of ``text``, decoded; None when there is no readable block."""
    end = text.rfind(END)
    begin = text.rfind(BEGIN, 0, end) if end >= 0 else -1
    if begin < 0:
        return None
    try:
        data = json.loads(text[begin + len(BEGIN) : end])
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    answers = {}
    for name, value in data.items():
        if isinstance(value, dict) and len(value) == 1 and "$results" in value:
            raw = value["$results"]
            answers[name] = FunctionResults(
                [
                    ("returned", decode(r["returned"])) if "returned" in r else ("raised", str(r["raised"]))
                    for r in (raw if isinstance(raw, list) else [])
                    if isinstance(r, dict) and ("returned" in r or "raised" in r)
                ]
            )
        elif isinstance(value, dict) and value.get("$not_written") is True:
            answers[name] = FunctionResults(None)
        elif isinstance(value, dict) and len(value) == 1 and "$value" in value:
            answers[name] = decode(value["$value"])
        else:
            answers[name] = decode(value)
    return answers


class FunctionResults:
    """What a learner's function returned on the grader's inputs: (``returned`` | ``raised``, value) pairs.

    ``outcomes`` is None when the function was not written yet (it raised NotImplementedError).
    """

    def __init__(self, outcomes: list[tuple[str, object]] | None) -> None:
        self.outcomes = outcomes

"""The labelled question corpus and its held-out set are well formed, so measuring the checker is sound."""

from collections import Counter
from pathlib import Path

import pytest

QUESTIONS = Path(__file__).resolve().parent.parent / "assets" / "questions"
LABELLED = QUESTIONS / "labelled.tsv"
HELDOUT = QUESTIONS / "heldout.tsv"
# A second held-out set, written independently of the rules and of the two files above.
HELDOUT_2 = QUESTIONS / "heldout-2.tsv"
# A third held-out set, written independently of the rules and of the three files above.
HELDOUT_3 = QUESTIONS / "heldout-3.tsv"
# A fourth held-out set, written independently of the rules and of the four files above, measured once.
HELDOUT_4 = QUESTIONS / "heldout-4.tsv"

# The ten kinds of assets/questions/README.md, in the order the guide checks them.
KINDS = [
    "not-a-question",
    "other-language",
    "stacked",
    "contracting",
    "loaded",
    "leading",
    "why",
    "playback",
    "open",
    "closed",
]
HEADER = ["text", "kind", "note"]
# An empty input and an input of only spaces cannot be written in a TSV cell, so they have placeholders.
PLACEHOLDERS = {"<empty>": "", "<spaces>": "   "}


def read_corpus(path):
    """(line number, text, kind, note) for every labelled line; comment and blank lines skipped."""
    rows = []
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        assert len(cells) == 3, f"{path.name}:{number}: {len(cells)} columns, not 3: {line!r}"
        if not header_seen:
            assert cells == HEADER, f"{path.name}:{number}: the first line is not the header {HEADER}"
            header_seen = True
            continue
        text, kind, note = cells
        rows.append((number, PLACEHOLDERS.get(text, text), kind, note))
    assert header_seen, f"{path.name} has no header line"
    return rows


def same_text(text):
    """The form two lines are compared in: case and runs of spaces do not make a question new."""
    return " ".join(text.split()).casefold()


@pytest.mark.parametrize("path", [LABELLED, HELDOUT, HELDOUT_2, HELDOUT_3, HELDOUT_4])
def test_every_line_has_three_columns_and_a_known_kind(path):
    """Does every line of the file have text, kind and note, with a kind from the guide's ten?"""
    rows = read_corpus(path)
    unknown = [(number, kind) for number, _, kind, _ in rows if kind not in KINDS]
    assert not unknown, f"{path.name}: kinds not in the guide: {unknown}"
    # Spaces at either end are invisible in the file; only the <spaces> placeholder stands for blank input.
    padded = [number for number, text, _, _ in rows if text.strip() and text.strip() != text]
    assert not padded, f"{path.name}: spaces at either end of the text on lines {padded}"


@pytest.mark.parametrize(
    ("path", "lines", "per_kind"),
    [
        (LABELLED, 520, 25),
        (HELDOUT, 150, 10),
        (HELDOUT_2, 220, 15),
        (HELDOUT_3, 200, 10),
        (HELDOUT_4, 180, 5),
    ],
)
def test_the_file_is_big_enough_in_every_kind(path, lines, per_kind):
    """Has the file at least its number of lines, and every kind at least its share of them?"""
    rows = read_corpus(path)
    counts = Counter(kind for _, _, kind, _ in rows)
    assert len(rows) >= lines, f"{path.name}: {len(rows)} lines, fewer than {lines}"
    short = {kind: counts[kind] for kind in KINDS if counts[kind] < per_kind}
    assert not short, f"{path.name}: kinds with fewer than {per_kind} lines: {short}"


def test_no_text_is_labelled_twice_within_or_across_the_files():
    """Is every question in the files different from every other, so the held-out sets are truly new?"""
    seen = {}
    repeats = []
    for path in (LABELLED, HELDOUT, HELDOUT_2, HELDOUT_3, HELDOUT_4):
        for number, text, _, _ in read_corpus(path):
            key = same_text(text) if text.strip() else repr(text)
            if key in seen:
                repeats.append(f"{path.name}:{number} repeats {seen[key]}: {text!r}")
            else:
                seen[key] = f"{path.name}:{number}"
    assert not repeats, "\n".join(repeats)


def test_the_placeholders_stand_for_empty_and_blank_input():
    """Does the labelled corpus hold an empty input and an input of only spaces, both not a question?"""
    by_text = {text: kind for _, text, kind, _ in read_corpus(LABELLED)}
    assert by_text[""] == "not-a-question"
    assert by_text["   "] == "not-a-question"

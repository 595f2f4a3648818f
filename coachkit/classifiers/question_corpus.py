"""Measures the question classifier against the labelled questions in assets/questions/ (``make eval``).

The corpus (labelled.tsv) is what the rules were developed on; the held-out sets (heldout*.tsv) were written
by other people to the same labelling guide and not used to write rules until they had been measured once (the
figures from that first measurement are kept in docs/interactives-accuracy.md).
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from coachkit.classifiers.question_kinds import KINDS, classify_question
from coachkit.paths import assets_dir

CORPUS_FILE = "labelled.tsv"
# An empty input and an input of only spaces cannot be written in a TSV cell, so they have placeholders.
PLACEHOLDERS = {"<empty>": "", "<spaces>": "   "}


@dataclass(frozen=True)
class LabelledQuestion:
    text: str
    kind: str
    note: str
    line: int


@dataclass
class Agreement:
    """How often the classifier gave the label's kind, per kind, with the confusion matrix."""

    name: str
    total: int = 0
    agreed: int = 0
    confusion: Counter = field(default_factory=Counter)  # (label, verdict) -> count
    misses: list = field(default_factory=list)  # (question, verdict kind, rule)

    @property
    def share(self) -> float:
        return self.agreed / self.total if self.total else 0.0

    def per_kind(self) -> dict[str, tuple[int, int]]:
        """kind -> (agreed, labelled) for every kind that has a label."""
        result = {}
        for kind in KINDS:
            labelled = sum(n for (label, _), n in self.confusion.items() if label == kind)
            if labelled:
                result[kind] = (self.confusion[(kind, kind)], labelled)
        return result

    def report(self, show_misses: bool = True) -> str:
        lines = [f"{self.name}: {self.agreed} of {self.total} agree ({self.share:.1%})", ""]
        lines.append(f"  {'kind':<16}{'agree':>7}{'of':>5}{'share':>8}")
        for kind, (agreed, labelled) in self.per_kind().items():
            lines.append(f"  {kind:<16}{agreed:>7}{labelled:>5}{agreed / labelled:>8.0%}")
        lines += ["", "  Confusion matrix (rows: the label; columns: what the checker said)", ""]
        short = {kind: kind[:6] for kind in KINDS}
        lines.append("  " + " " * 16 + "".join(f"{short[k]:>7}" for k in KINDS))
        for label in KINDS:
            row = [self.confusion[(label, said)] for said in KINDS]
            if any(row):
                lines.append(f"  {label:<16}" + "".join(f"{n or '.':>7}" for n in row))
        if show_misses and self.misses:
            lines += ["", "  Disagreements (label <- checker [rule]: question)"]
            for label, question, said, rule in self.misses:
                lines.append(f"  {label} <- {said} [{rule}]: {question!r}")
        return "\n".join(lines)


def read_labelled(path: Path) -> list[LabelledQuestion]:
    """The labelled questions of one TSV file (columns text, kind, note; '#' lines are comments)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("text\t"):
            continue
        text, kind, note = (line.split("\t") + ["", ""])[:3]
        if kind not in KINDS:
            raise ValueError(f"{path.name}:{number}: unknown kind {kind!r}")
        rows.append(LabelledQuestion(PLACEHOLDERS.get(text, text), kind, note, number))
    return rows


def measure(name: str, questions: list[LabelledQuestion]) -> Agreement:
    """Run the classifier over ``questions`` and count agreements."""
    agreement = Agreement(name)
    for question in questions:
        verdict = classify_question(question.text)
        agreement.total += 1
        agreement.confusion[(question.kind, verdict.kind)] += 1
        if verdict.kind == question.kind:
            agreement.agreed += 1
        else:
            agreement.misses.append((question.kind, question.text, verdict.kind, verdict.rule))
    return agreement


def corpus_files() -> list[Path]:
    """The labelled corpus, then the held-out sets (heldout*.tsv) in their order."""
    folder = assets_dir() / "questions"
    return [folder / CORPUS_FILE, *sorted(folder.glob("heldout*.tsv"))]


def measure_all() -> list[Agreement]:
    """The agreement on each labelled file, corpus first."""
    return [measure(path.name, read_labelled(path)) for path in corpus_files()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="How often the question checker agrees with its labels.")
    parser.add_argument("--quiet", action="store_true", help="only the totals and the per-kind table")
    args = parser.parse_args(argv)
    for agreement in measure_all():
        print(agreement.report(show_misses=not args.quiet))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Issue 13's two hats, contracting and feedback sections: found by their headings, each with a practice and
a journal prompt, saying what the issue asks; and the fix list's wrong strings gone from lessons 02 and 03."""

from __future__ import annotations

import json
import re

import pytest

from coachkit.paths import assets_dir, lessons_dir, repo_root

LESSON_02 = lessons_dir() / "02-coaching-conversation.ipynb"
LESSON_03 = lessons_dir() / "03-role-play.ipynb"
GUIDE = repo_root() / "docs" / "facilitator-guide.md"
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.MULTILINE)
# what counts as a practice in a section: a coachkit interactive or self-check shown by a code cell
PRACTICES = ("OpeningContractCheck(", "FeedbackPractice(", "SelfCheck(", "QuestionChecker(", "GrowPlanner(")
GROUND_RULE = "bring a topic you would be comfortable having repeated"


def chunks(path) -> list[tuple[str, str]]:
    """The notebook as ("markdown" | "code", text) pieces, markdown split so that each heading starts one."""
    pieces = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown":
            pieces.append((cell["cell_type"], text))
            continue
        starts = [m.start() for m in HEADING.finditer(text)]
        bounds = [0, *starts] if not starts or starts[0] else starts
        for start, end in zip(bounds, [*bounds[1:], len(text)], strict=True):
            if text[start:end].strip():
                pieces.append(("markdown", text[start:end]))
    return pieces


def section(path, title: str) -> list[tuple[str, str]]:
    """The pieces from the heading ``title`` up to the next heading of the same or a higher level."""
    pieces = chunks(path)
    for index, (kind, text) in enumerate(pieces):
        match = HEADING.match(text) if kind == "markdown" else None
        if match and match.group(2) == title:
            level = len(match.group(1))
            found = [pieces[index]]
            for kind_after, text_after in pieces[index + 1 :]:
                after = HEADING.match(text_after) if kind_after == "markdown" else None
                if after and len(after.group(1)) <= level:
                    break
                found.append((kind_after, text_after))
            return found
    raise AssertionError(f"no heading {title!r} in {path.name}")


def prose(pieces) -> str:
    return "\n".join(text for kind, text in pieces if kind == "markdown")


def flat(pieces) -> str:
    """The prose on one line: line breaks, the blockquote marks after them and bold marks removed."""
    return re.sub(r"\s*\n>?\s*", " ", prose(pieces)).replace("**", "")


def code(pieces) -> str:
    return "\n".join(text for kind, text in pieces if kind == "code")


NEW_SECTIONS = [
    (LESSON_02, "Two hats: coaching someone who reports to you"),
    (LESSON_02, "Contracting at the start of a conversation"),
    (LESSON_03, "Feedback and coaching"),
]


@pytest.mark.parametrize(("path", "title"), NEW_SECTIONS, ids=lambda value: getattr(value, "stem", value))
def test_new_section_has_a_practice_and_a_journal_prompt(path, title):
    """Does each new section end in an interactive or self-check and a journal prompt of its own lesson?"""
    pieces = section(path, title)
    cells = code(pieces)
    assert any(practice in cells for practice in PRACTICES), f"{title}: no interactive or self-check"
    assert "JournalPrompt(" in cells, f"{title}: no journal prompt"
    assert f'lesson="{path.stem}"' in cells
    assert pieces[-1][0] == "code" and "JournalPrompt(" in pieces[-1][1], (
        f"{title}: should end with the prompt"
    )


def test_two_hats_covers_stake_fixed_and_open_confidentiality_and_permission():
    """Does the two-hats section name your stake, what is fixed and open, what you can keep private and act
    on, line responsibility, and asking before you offer your view, with its evidence label and the ICF?"""
    text = flat(section(LESSON_02, "Two hats: coaching someone who reports to you"))
    for needle in (
        "stake",
        "The deadline is fixed; how you get there is yours.",
        "what you can keep private and what you would have to act on",
        "safety",
        "misconduct",
        "the law",
        "line responsibility",
        "pay",
        "promotion",
        "cannot promise full confidentiality",
        "Can I offer an idea?",
        "Evidence: practitioner's rule of thumb.",
        "International Coaching Federation (ICF; called the International Coach Federation until 2020)",
        "Code of Ethics",
    ):
        assert needle in text, needle


def test_contracting_has_several_worked_examples_with_permission_questions():
    """Does the contracting section give several examples of what to say, including permission questions?"""
    text = prose(section(LESSON_02, "Contracting at the start of a conversation"))
    examples = re.findall(r"^- \*\*[^*]+\*\* .*\"", text, flags=re.MULTILINE)
    assert len(examples) >= 5, examples
    assert "Do you want my view, or would it help to think it through together?" in flat([("markdown", text)])
    assert "Can I offer an idea?" in text
    assert "CLEAR" in text


def test_feedback_section_teaches_sbi_with_its_source_and_the_meta_analysis_with_its_label():
    """Does the feedback section give SBI from CCL, feedback first and coaching after, and Kluger and DeNisi's
    figures with the study label?"""
    text = flat(section(LESSON_03, "Feedback and coaching"))
    for needle in (
        "Center for Creative Leadership",
        "Situation-Behaviour-Impact",
        "Situation: when and where.",
        "Behaviour: what the person did or said",
        "Impact: what it led to",
        "When feedback comes first.",
        "The feedback names what you saw. The coaching asks what the other person makes of it",
        "SBII",
        "Evidence: study. Kluger and DeNisi (1996",
        "meta-analysis of 607 effect sizes",
        "d = .41",
        "over a third",
        "towards the person's self",
    ):
        assert needle in text, needle


def test_the_performance_slip_card_points_to_the_feedback_practice():
    """Does lesson 03 say the performance-slip card opens with feedback, as the card's coach brief does?"""
    text = prose(chunks(LESSON_03))
    assert "The performance-slip card starts with feedback" in text
    card = json.loads((assets_dir() / "scenarios" / "performance-slip.json").read_text(encoding="utf-8"))
    assert "'Feedback and coaching' in lesson 03" in card["coach"]["practise"]


def test_the_triad_ground_rule_is_in_the_lesson_and_the_guide():
    """Is the triad ground rule (a topic you are comfortable having repeated) in lesson 03 and the guide?"""
    lesson = flat(chunks(LESSON_03)).lower()
    guide = re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8")).replace("**", "").lower()
    assert GROUND_RULE in lesson
    assert GROUND_RULE in guide
    assert "what is said in a triad stays there" not in guide.replace(
        "nobody can promise that what is said in a triad stays there", ""
    )


def test_wrong_strings_are_gone():
    """Are the fix list's wrong strings gone: the old ICF name (except where the lesson says it was the name
    until 2020), "within two seconds", "two job offers", and the scaling question read as a place?"""
    for path in (LESSON_02, LESSON_03):
        text = flat(chunks(path))
        leftover = text.replace("called the International Coach Federation until 2020", "")
        assert "Coach Federation" not in leftover, path.name
        assert "within two seconds" not in text, path.name
    for path in [*lessons_dir().glob("*.ipynb"), GUIDE, *(assets_dir() / "scenarios").glob("*.json")]:
        assert "two job offers" not in path.read_text(encoding="utf-8"), path.name
    bank = (assets_dir() / "question-bank.json").read_text(encoding="utf-8")
    assert "Where are you from" not in bank
    assert "What number from 0 to 10" in bank


def test_scaling_is_explained_as_a_number_and_the_conflict_study_as_second_hand():
    """Does lesson 02 explain scaling as a number, not a place, and label the conflict-coaching study as
    reported second-hand in its evidence note?"""
    text = prose(chunks(LESSON_02))
    scaling = flat(section(LESSON_02, "Scaling: ask for a number"))
    assert "The answer is a number, not a place" in scaling
    assert "What number from 0 to 10 are you at now" in scaling
    [note] = [block for block in text.split("\n\n") if "conflict coaching" in block]
    assert note.startswith("> **Evidence: study.** Reported second-hand")

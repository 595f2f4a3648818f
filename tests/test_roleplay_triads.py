"""Practice groups: everyone plays every role, remainders are handled and said, re-draws keep the rules."""

from collections import Counter

import pytest

from coachkit.roleplay.triads import (
    COACH,
    COACHEE,
    OBSERVER,
    TriadBuilder,
    TriadError,
    build_triads,
    clean_names,
    group_sizes,
)


def names(count: int) -> list[str]:
    return [f"Person {i}" for i in range(1, count + 1)]


def check_plan(plan, people: list[str]) -> None:
    """The properties every plan must have, whatever the seed."""
    grouped = [name for group in plan.groups for name in group]
    assert sorted(grouped) == sorted(people), "everyone is in exactly one group"
    for groups in plan.rounds:
        for group in groups:
            roles = Counter(seat.role for seat in group.seats)
            assert roles[COACH] == 1 and roles[COACHEE] == 1
            assert roles[OBSERVER] == len(group.seats) - 2
    for group in plan.groups:
        expected = {COACH, COACHEE} if len(group) == 2 else {COACH, COACHEE, OBSERVER}
        for name in group:
            assert set(plan.roles_of(name)) == expected, f"{name} in a group of {len(group)}"


@pytest.mark.parametrize("count", range(2, 41))
def test_everyone_plays_every_role(count):
    """For 2 to 40 people, does each person play every role their group has, with the default rounds?"""
    people = names(count)
    plan = build_triads(people, seed=count)
    check_plan(plan, people)
    sizes = sorted(len(group) for group in plan.groups)
    assert set(sizes) <= {2, 3, 4}
    assert len(plan.rounds) == max(sizes)
    assert plan.note


@pytest.mark.parametrize("count", range(2, 41))
def test_each_person_coaches_once_in_a_group_of_three_or_four(count):
    """In the default rounds, does every person in a group of three or four coach exactly once?"""
    plan = build_triads(names(count), seed=1)
    for group in plan.groups:
        if len(group) >= 3:
            for name in group:
                assert plan.roles_of(name)[: len(group)].count(COACH) == 1


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (2, [2]),
        (3, [3]),
        (4, [4]),
        (5, [3, 2]),
        (6, [3, 3]),
        (7, [4, 3]),
        (8, [4, 4]),
        (11, [4, 4, 3]),
        (13, [4] + [3] * 3),
    ],
)
def test_remainders(count, sizes):
    """One left over makes a group of four; two left over make two groups of four (a pair only for 2 or 5)."""
    assert group_sizes(count) == sizes
    assert sorted(len(group) for group in build_triads(names(count)).groups) == sorted(sizes)


def test_notes_say_what_was_done():
    """Does the note explain the pair, the second observers and the extra round in plain words?"""
    assert "no observer" in build_triads(names(2)).note
    four = build_triads(names(7)).note
    assert "group of four" in four and "second observer" in four and "4 rounds" in four
    assert "pair" in build_triads(names(5)).note
    assert "does not divide" not in build_triads(names(9)).note


def test_group_of_four_has_two_observers():
    """In a group of four, are there two observers in every round?"""
    plan = build_triads(names(4), seed=3)
    for groups in plan.rounds:
        assert len(groups[0].names(OBSERVER)) == 2


def test_pair_alternates_coach_and_coachee():
    """With exactly two people, do they take turns as coach and coachee?"""
    plan = build_triads(["Ana", "Ben"], seed=0)
    assert plan.roles_of("Ana") in ([COACH, COACHEE], [COACHEE, COACH])
    assert plan.roles_of("Ana") != plan.roles_of("Ben")


@pytest.mark.parametrize("count", [6, 9, 10, 14, 24, 40])
def test_redraw_with_another_seed_changes_groups_but_keeps_the_rules(count):
    """Does another seed give other groups, with every property still true; does the same seed repeat?"""
    people = names(count)
    first = build_triads(people, seed=1)
    assert build_triads(people, seed=1) == first
    groupings = {frozenset(frozenset(g) for g in build_triads(people, seed=s).groups) for s in range(2, 8)}
    assert len(groupings - {frozenset(frozenset(g) for g in first.groups)}) >= 1
    for seed in range(2, 8):
        check_plan(build_triads(people, seed=seed), people)


def test_fewer_rounds_than_needed_is_said():
    """With fewer rounds than needed, does the note say that not everyone plays every role?"""
    plan = build_triads(names(6), rounds=2, seed=0)
    assert len(plan.rounds) == 2
    assert "Not everyone plays every role" in plan.note


def test_more_rounds_restart_the_rotation():
    """With more rounds, does the rotation start again and the note say so?"""
    plan = build_triads(names(3), rounds=5, seed=0)
    assert len(plan.rounds) == 5 and "start the rotation again" in plan.note


@pytest.mark.parametrize("bad", [[], ["Solo"], ["A", "A"]])
def test_bad_names_are_refused(bad):
    """Are fewer than two names, or a repeated name, refused with a message?"""
    with pytest.raises(TriadError):
        build_triads(bad)


@pytest.mark.parametrize("rounds", [0, -1, 13, 2.5, True, "3"])
def test_bad_rounds_are_refused(rounds):
    """Is a number of rounds outside 1..12, or not a whole number, refused?"""
    with pytest.raises(TriadError):
        build_triads(names(6), rounds=rounds)


def test_clean_names_drops_empties_and_repeats_with_a_message():
    """Are blank lines dropped, spaces tidied, and repeats (any case) left out with a message?"""
    found, messages = clean_names("Ana\n\n  Ben   Okafor \nana\r\nCleo\t\x07\n")
    assert found == ["Ana", "Ben Okafor", "Cleo"]
    assert len(messages) == 1 and "ana" in messages[0]


def test_builder_widget_makes_an_escaped_table():
    """Does the widget build a table from the names box, with HTML in a name shown as text?"""
    builder = TriadBuilder()
    builder.names_box.value = "Ana\nBen\n<img src=x onerror=alert(1)>\nDee\nEli\nFay\nAna"
    builder.build_button.click()
    assert builder.plan is not None and len(builder.plan.groups) == 2
    assert "<img" not in builder.table.value and "&lt;img src=x" in builder.table.value
    assert "<table" in builder.table.value and "Round 3" in builder.table.value
    assert "repeated names" in builder.status.value
    assert not builder.redraw_button.disabled


def test_builder_redraw_changes_groups():
    """Does Re-draw give a different grouping of the same names?"""
    builder = TriadBuilder()
    builder.names_box.value = "\n".join(names(12))
    builder.build_button.click()
    before = {frozenset(g) for g in builder.plan.groups}
    builder.redraw_button.click()
    after = {frozenset(g) for g in builder.plan.groups}
    assert before != after
    check_plan(builder.plan, names(12))


def test_builder_messages_for_bad_input():
    """Do an empty box and a single name give a message, not an exception?"""
    builder = TriadBuilder()
    builder.build_button.click()
    assert "empty" in builder.status.value and builder.plan is None
    builder.names_box.value = "Only me"
    builder.build_button.click()
    assert "at least two names" in builder.status.value
    builder.names_box.value = "x" * 1_000_000
    builder.build_button.click()
    assert "too long" in builder.status.value
    builder.clear()
    assert builder.names_box.value == "" and builder.table.value == ""


def test_builder_rounds_choice_keeps_the_groups():
    """Does choosing fewer rounds keep the same groups, show fewer tables and say who misses a role?"""
    builder = TriadBuilder()
    builder.names_box.value = "\n".join(names(7))
    builder.build_button.click()
    groups = builder.plan.groups
    assert builder.table.value.count("<table") == 4
    builder.rounds_choice.value = 3
    assert builder.plan.groups == groups and builder.table.value.count("<table") == 3
    assert "Not everyone plays every role" in builder.table.value
    builder.rounds_choice.value = 0
    assert len(builder.plan.rounds) == 4
    assert TriadBuilder(rounds=8).rounds == 8
    with pytest.raises(TriadError):
        TriadBuilder(rounds="3")

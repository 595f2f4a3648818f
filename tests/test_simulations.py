"""Properties of the relief and cascade models, their bad-argument messages, and the two simulator widgets."""

import subprocess
import sys

import pytest

from coachkit.simulations.cascade import (
    BLOCK_PLACES,
    CASCADE_ASSUMPTIONS,
    TOP,
    CascadeSimulator,
    average_cascade,
    below,
    build_org,
    cascade_over_quarters,
    level_of,
    pick_blocked,
    reachable_share,
)
from coachkit.simulations.relief import (
    RELIEF_ASSUMPTIONS,
    ReliefSimulator,
    average_relief,
    break_even_week,
    manager_minutes,
    simulate_relief,
    week_coaching_gets_cheaper,
)
from coachkit.simulations.talk_share import talk_shares

SEEDS = range(8)

# --- relief ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_coaching_sends_fewer_questions_after_the_ramp_up(seed):
    """After the first ten weeks, do fewer questions reach a coaching manager than a telling one?"""
    tell = simulate_relief(26, "tell", seed=seed)
    coach = simulate_relief(26, "coach", seed=seed)
    assert sum(coach[10:]) < sum(tell[10:])
    assert sum(coach[-8:]) < 0.6 * sum(tell[-8:])


def test_the_same_seed_gives_the_same_weeks():
    """Is a run deterministic given a seed, and different for another seed?"""
    assert simulate_relief(26, "coach", seed=3) == simulate_relief(26, "coach", seed=3)
    assert simulate_relief(26, "coach", seed=3) != simulate_relief(26, "coach", seed=4)


def test_relief_returns_one_count_per_week_within_the_possible():
    """Is there one whole count per week, never more than the problems the team meets?"""
    counts = simulate_relief(10, "tell", team_size=3, problems_per_person=4, seed=1)
    assert len(counts) == 10
    assert all(isinstance(c, int) and 0 <= c <= 12 for c in counts)


def test_no_learning_means_no_relief():
    """With a learning rate of 0, does coaching leave the questions where telling leaves them (same luck)?"""
    options = {"learning_rate": 0.0, "tell_learning": 0.0, "seed": 5}
    assert simulate_relief(20, "coach", **options) == simulate_relief(20, "tell", **options)


def test_faster_learning_brings_more_relief():
    """On average over runs, does a higher learning rate leave fewer questions at the end?"""
    slow = average_relief(26, "coach", learning_rate=0.01, runs=10)
    fast = average_relief(26, "coach", learning_rate=0.06, runs=10)
    assert sum(fast[-6:]) < sum(slow[-6:])


def test_the_ceiling_keeps_some_questions_coming():
    """With a ceiling of 90%, do some questions still reach the manager at the end?"""
    counts = average_relief(52, "coach", learning_rate=0.1, runs=10)
    assert counts[-1] > 0


def test_minutes_and_the_weeks_coaching_pays_off():
    """Are minutes counts times the cost, and do the crossover and break-even weeks follow from them?"""
    assert manager_minutes([2, 3], "tell", tell_minutes=5) == [10, 15]
    assert manager_minutes([2, 3], "coach", coach_minutes=15) == [30, 45]
    tell = [80.0] * 10
    coach = [200.0, 150.0, 90.0, 60.0, 40.0, 30.0, 30.0, 30.0, 30.0, 30.0]
    assert week_coaching_gets_cheaper(tell, coach) == 4  # two-week average (90 + 60) / 2 < 80
    assert break_even_week(tell, coach) == 8
    assert week_coaching_gets_cheaper(tell, [100.0] * 10) is None
    assert break_even_week(tell, [100.0] * 10) is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mode": "shout"}, "mode must be 'tell' or 'coach'"),
        ({"weeks": 0}, "weeks must be a whole number from 1"),
        ({"weeks": 2.5}, "weeks"),
        ({"team_size": 0}, "team_size"),
        ({"learning_rate": -0.1}, "learning_rate must be a number from 0"),
        ({"learning_rate": "fast"}, "learning_rate"),
        ({"start_independence": 0.95}, "start_independence"),
        ({"seed": "x"}, "seed must be a whole number or None"),
    ],
)
def test_relief_bad_arguments_raise_clear_errors(kwargs, message):
    """Is each bad argument refused with a ValueError that names it?"""
    with pytest.raises(ValueError, match=message):
        simulate_relief(**kwargs)


def test_relief_assumptions_are_plain_sentences():
    """Are the assumptions sentences the lesson can show, naming telling, coaching and the numbers?"""
    assert len(RELIEF_ASSUMPTIONS) >= 4
    assert all(isinstance(line, str) and line.endswith(".") for line in RELIEF_ASSUMPTIONS)
    text = " ".join(RELIEF_ASSUMPTIONS)
    assert "Telling" in text and "Coaching" in text and "illustrations" in text


def test_relief_simulator_shows_chart_summary_and_assumptions():
    """Does the simulator show a chart with alt text, a summary in words and every assumption?"""
    simulator = ReliefSimulator()
    assert "<img" in simulator.chart.value and "alt=" in simulator.chart.value
    assert "From about week" in simulator.summary.value
    for line in RELIEF_ASSUMPTIONS:
        assert line.split(":")[0].replace("'", "&#x27;") in simulator.assumptions.value
    assert "model, not data" in simulator.assumptions.value


def test_relief_simulator_follows_the_controls():
    """Does a learning rate of 0 make coaching never pay off, and clear() restore the start?"""
    simulator = ReliefSimulator()
    simulator.learning_rate.value = 0.0
    assert "never" in simulator.summary.value
    assert simulator.result["coach"][-1] > 10
    simulator.weeks.value = 8
    assert len(simulator.result["tell"]) == 8
    simulator.clear()
    assert simulator.weeks.value == 26 and simulator.learning_rate.value == pytest.approx(4)


# --- cascade --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("span, depth", [(1, 1), (1, 5), (3, 1), (3, 4), (5, 3)])
def test_build_org_has_the_right_shape(span, depth):
    """Does the chart have 1 + span + span^2 ... people, each manager with span reports, leaves with none?"""
    org = build_org(span, depth)
    assert len(org) == sum(span**level for level in range(depth))
    assert max(level_of(p) for p in org) == depth
    for person, reports in org.items():
        assert len(reports) == (span if level_of(person) < depth else 0)
        assert all(r.startswith(person + ".") for r in reports)
    assert len(below(org, TOP)) == len(org) - 1


@pytest.mark.parametrize(
    "span, depth, message", [(0, 3, "span"), (3, 0, "depth"), (2.5, 3, "span"), (20, 5, "at most")]
)
def test_build_org_bad_arguments(span, depth, message):
    """Is a bad or too large organisation refused with a clear message?"""
    with pytest.raises(ValueError, match=message):
        build_org(span, depth)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("chance", [0.1, 0.5, 0.9])
def test_coverage_never_decreases(seed, chance):
    """Does the share who coach never go down from one quarter to the next?"""
    org = build_org(3, 4)
    blocked = pick_blocked(org, 1, "in the middle")
    shares = cascade_over_quarters(org, 12, chance, blocked, seed=seed)
    assert len(shares) == 13
    assert all(a <= b for a, b in zip(shares, shares[1:], strict=False))
    assert all(0 <= s <= 1 for s in shares)


def test_adoption_zero_reaches_nobody_beyond_the_top():
    """With an adoption chance of 0, does only the top person ever coach?"""
    org = build_org(4, 4)
    assert cascade_over_quarters(org, 10, 0.0, seed=1) == [1 / len(org)] * 11


@pytest.mark.parametrize("span, depth", [(2, 3), (3, 4), (5, 3), (1, 6)])
def test_adoption_one_reaches_everyone_after_depth_quarters(span, depth):
    """With adoption 1 and no blocks, is everyone reached by quarter depth - 1, one level per quarter?"""
    org = build_org(span, depth)
    shares = cascade_over_quarters(org, depth, 1.0)
    assert shares[depth - 1] == pytest.approx(1.0)
    assert shares[depth] == pytest.approx(1.0)
    if depth > 1:
        assert shares[depth - 2] < 1.0


@pytest.mark.parametrize("seed", SEEDS)
def test_blocked_managers_stop_the_cascade_below_them(seed):
    """Does nobody at or below a blocked manager ever coach, so coverage stays under the reachable share?"""
    org = build_org(3, 4)
    blocked = {"1.2", "1.1.3"}
    shares = cascade_over_quarters(org, 30, 1.0, blocked, seed=seed)
    cut = {"1.2", "1.1.3", *below(org, "1.2"), *below(org, "1.1.3")}
    assert shares[-1] == pytest.approx((len(org) - len(cut)) / len(org))
    assert shares[-1] == pytest.approx(reachable_share(org, blocked))
    for chance in (0.3, 0.7):
        assert cascade_over_quarters(org, 30, chance, blocked, seed=seed)[-1] <= reachable_share(org, blocked)


def test_a_blocked_top_stops_everything():
    """If the top person is blocked, does nobody coach at all?"""
    org = build_org(2, 3)
    assert cascade_over_quarters(org, 5, 1.0, {TOP}) == [0.0] * 6


def test_the_cascade_is_deterministic_with_a_seed():
    """Does the same seed give the same quarters, and another seed (usually) another run?"""
    org = build_org(4, 4)
    assert cascade_over_quarters(org, 8, 0.3, seed=7) == cascade_over_quarters(org, 8, 0.3, seed=7)
    runs = {tuple(cascade_over_quarters(org, 8, 0.3, seed=s)) for s in range(5)}
    assert len(runs) > 1


def test_higher_up_blocks_cut_off_more():
    """Does blocking managers near the top cut off more people than blocking as many near the bottom?"""
    org = build_org(3, 5)
    top = pick_blocked(org, 2, "near the top")
    bottom = pick_blocked(org, 2, "near the bottom")
    assert {level_of(p) for p in top} == {2} and {level_of(p) for p in bottom} == {4}
    assert reachable_share(org, top) < reachable_share(org, bottom)
    assert len(pick_blocked(org, 100, "near the top")) == 3
    assert pick_blocked(org, 0) == []


@pytest.mark.parametrize(
    "args, message",
    [
        ((build_org(2, 3), -1, 0.5), "quarters"),
        ((build_org(2, 3), 4, 1.5), "adoption_chance must be from 0 to 1"),
        ((build_org(2, 3), 4, "high"), "adoption_chance must be a number"),
        ((build_org(2, 3), 4, 0.5, {"9.9"}), "not in the organisation chart"),
        (({"x": []}, 4, 0.5), "org must be an organisation chart"),
    ],
)
def test_cascade_bad_arguments_raise_clear_errors(args, message):
    """Is each bad argument refused with a ValueError that says what is wrong?"""
    with pytest.raises(ValueError, match=message):
        cascade_over_quarters(*args)


def test_average_cascade_lies_between_the_runs():
    """Is the average of runs a non-decreasing curve starting at the top person's share?"""
    org = build_org(3, 4)
    average = average_cascade(org, 8, 0.4, runs=5)
    assert average[0] == pytest.approx(1 / len(org))
    assert all(a <= b + 1e-12 for a, b in zip(average, average[1:], strict=False))


def test_cascade_simulator_shows_chart_summary_and_honest_note():
    """Does the simulator show a chart, a summary, the assumptions and the note that this is a model?"""
    simulator = CascadeSimulator()
    assert "<img" in simulator.chart.value and "alt=" in simulator.chart.value
    assert "of people coach" in simulator.summary.value
    assert "model, not data" in simulator.assumptions.value
    assert "cross-sectional" in simulator.assumptions.value and "Coad" in simulator.assumptions.value
    assert len(CASCADE_ASSUMPTIONS) >= 3


def test_cascade_simulator_blocks_and_too_big_orgs():
    """Do blocked managers lower the curve and show the cut-off share, and is a too-big org a message?"""
    simulator = CascadeSimulator()
    simulator.blocked_count.value = 2
    assert simulator.result["blocked"]
    assert simulator.result["shares"][-1] < simulator.result["open_shares"][-1]
    assert "cut off" in simulator.summary.value
    simulator.span.value = 8
    simulator.depth.value = 6
    assert "at most" in simulator.summary.value and simulator.chart.value == ""


def test_importing_the_models_does_not_import_matplotlib():
    """Is matplotlib left unimported until a chart is drawn (a lesson must open fast)?"""
    code = (
        "import sys, coachkit.simulations.relief, coachkit.simulations.cascade, "
        "coachkit.simulations.talk_share, coachkit.interactives.approach_advisor, "
        "coachkit.classifiers.question_kinds, coachkit.interactives.grow_planner, "
        "coachkit.interactives.barrier_check; print('matplotlib' in "
        "sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_every_chart_has_a_title_and_labelled_axes():
    """Does each chart (relief, cascade, talk share) have a title and a label on every axis of every panel?"""
    from coachkit.simulations.cascade import cascade_figure
    from coachkit.simulations.relief import relief_figure
    from coachkit.simulations.talk_share import talk_figure

    figures = [
        relief_figure([3, 2], [3, 1], [15, 10], [45, 15]),
        cascade_figure([0.1, 0.5], [0.1, 0.6]),
        cascade_figure([0.1, 0.5], [0.1, 0.5]),
        talk_figure(talk_shares([("Ana", 3), ("Ben", 1)])),
    ]
    for figure in figures:
        axes = figure.get_axes()
        assert axes[0].get_title()
        for panel in axes:
            assert panel.get_xlabel() and panel.get_ylabel()


def test_blocking_higher_up_never_reaches_more_people_than_blocking_lower_down():
    """Property (issue 18): for every chart the simulator allows and every number of blocked managers, does
    blocking near the top leave at most as many reachable as in the middle, and that at most as many as near
    the bottom? And with adoption 1, do the final shares of the model keep that order?"""
    from coachkit.simulations.cascade import MAX_PEOPLE

    checked = 0
    for span in range(1, 9):
        for depth in range(2, 7):
            if sum(span**level for level in range(depth)) > MAX_PEOPLE:
                continue
            org = build_org(span, depth)
            for count in range(0, 11):
                reach = [reachable_share(org, pick_blocked(org, count, place)) for place in BLOCK_PLACES]
                assert reach[0] <= reach[1] <= reach[2], (span, depth, count, reach)
                if len(org) <= 400:
                    final = [
                        cascade_over_quarters(org, depth, 1.0, pick_blocked(org, count, place))[-1]
                        for place in BLOCK_PLACES
                    ]
                    assert final == pytest.approx(reach)  # adoption 1 reaches everyone reachable
                checked += 1
    assert checked > 300


def test_the_lessons_claim_holds_one_block_near_the_top_costs_more_than_near_the_bottom():
    """Lesson 06 asks what one blocked manager near the top does compared with one near the bottom: in the
    model's default chart, is the spread after 12 quarters clearly lower with the block near the top, and
    are top, middle and bottom three different numbers (not the same one twice)?"""
    simulator = CascadeSimulator()
    simulator.blocked_count.value = 1
    finals = {}
    for place in BLOCK_PLACES:
        simulator.blocked_place.value = place
        finals[place] = simulator.result["shares"][-1]
        assert "no separate level" not in simulator.summary.value
    assert finals["near the top"] < finals["in the middle"] < finals["near the bottom"]


def test_a_shallow_chart_says_that_two_places_are_the_same_level():
    """With four levels, 'near the top' and 'in the middle' are one level: does the simulator say so?"""
    simulator = CascadeSimulator()
    simulator.depth.value = 4
    simulator.blocked_count.value = 1
    simulator.blocked_place.value = "in the middle"
    assert "blocks the same managers as &#x27;near the top&#x27;" in simulator.summary.value

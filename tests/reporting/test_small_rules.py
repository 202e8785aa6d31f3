"""Small rules of the reports, checked with values written out."""

import pytest

from allyship.reporting.insights import _average, _gain, _hardest, _steps, live_scenarios
from learning.models import Principle
from quizzes.models import Rating, Response, Scenario, Step
from tests.factories import principle_for_quizzes


def test_gain_is_post_minus_pre_in_points_to_one_decimal():
    assert _gain(40.0, 55.5) == 15.5
    assert _gain(10.04, 20.1) == 10.1  # 10.06, shown to one decimal
    assert _gain(70.0, 60.0) == -10.0  # a fall is shown as one
    assert _gain(None, 60.0) is None
    assert _gain(60.0, None) is None


@pytest.mark.django_db
def test_live_scenarios_leave_out_retired_ones_in_curriculum_order():
    principle = principle_for_quizzes("speak-up")
    for slug, title, order, retired in [
        ("late", "Alpha", 2, False),
        ("zeta", "Zeta", 1, False),
        ("beta", "Beta", 1, False),
        ("gone", "Aardvark", 0, True),
    ]:
        Scenario.objects.create(
            slug=slug, title=title, principle=principle, order=order, retired=retired
        )
    assert [s.slug for s in live_scenarios()] == ["beta", "zeta", "late"]


def test_average_of_a_stored_sum_is_a_percentage_to_one_decimal():
    assert _average({"total": 1, "n": 3}) == 33.3
    assert _average({"total": 2, "n": 2}) == 100.0
    assert _average({"total": 0, "n": 0}) is None
    assert _average(None) is None


@pytest.mark.django_db
def test_scenario_steps_list_each_counted_step_in_order_with_shares():
    principle = principle_for_quizzes("speak-up")
    scenario = Scenario.objects.create(slug="s", title="S", principle=principle)
    ending = Step.objects.create(scenario=scenario, slug="end", title="End", order=9)
    uncounted = Step.objects.create(scenario=scenario, slug="a", title="A", order=0)
    later = Step.objects.create(scenario=scenario, slug="c", title="C", order=2)
    counted = Step.objects.create(scenario=scenario, slug="b", title="B", order=1)

    def response(step, slug, order, retired=False):
        return Response.objects.create(
            step=step,
            slug=slug,
            text=f"Said {slug}",
            rating=Rating.STRONG,
            points=10,
            principle=principle,
            feedback="Because.",
            next_step=ending,
            order=order,
            retired=retired,
        )

    # Made in the reverse of their order, so only the ordering puts them right.
    never = response(counted, "b4", 4)
    retired_chosen = response(counted, "b3", 3, retired=True)
    retired_unchosen = response(counted, "b2", 2, retired=True)
    most = response(counted, "b1", 1)
    only = response(later, "c0", 0)
    response(uncounted, "a0", 0)
    stored = {
        "steps": {
            str(counted.pk): {
                "people": 6,
                "times": {str(most.pk): 4, str(retired_chosen.pk): 2, str(retired_unchosen.pk): 0},
            },
            str(later.pk): {"people": 1, "times": {str(only.pk): 1}},
        }
    }
    assert never.pk and _steps(stored, scenario) == [
        {
            "title": "B",
            "people": 6,
            "enough": True,
            "rows": [
                {"text": "Said b1", "rating": "strong", "times": 4, "share": 67},
                {"text": "Said b3", "rating": "strong", "times": 2, "share": 33},
                {"text": "Said b4", "rating": "strong", "times": 0, "share": 0},
            ],
        },
        {
            "title": "C",
            "people": 1,
            "enough": True,
            "rows": [{"text": "Said c0", "rating": "strong", "times": 1, "share": 100}],
        },
    ]


def test_hardest_principles_come_lowest_first_with_both_measures():
    principles = {
        2: Principle(name="Listening"),
        3: Principle(name="Speaking up"),
        10: Principle(name="Credit"),
    }
    stored = {
        # Principle 1 is no longer live: its figures are left out.
        "check": {
            "1": {"total": 0, "n": 9, "people": 9},
            "2": {"total": 1, "n": 3, "people": 5},
            "10": {"total": 1, "n": 2, "people": 6},
        },
        "strong": {"2": {"total": 1, "n": 2, "people": 7}, "3": {"total": 1, "n": 4, "people": 5}},
    }
    assert _hardest(stored, principles) == [
        {
            "name": "Speaking up",
            "check": None,
            "scenario": 25.0,
            "check_people": 0,
            "scenario_people": 5,
            "overall": 25.0,
        },
        {
            "name": "Listening",
            "check": 33.3,
            "scenario": 50.0,
            "check_people": 5,
            "scenario_people": 7,
            "overall": 41.6,
        },
        {
            "name": "Credit",
            "check": 50.0,
            "scenario": None,
            "check_people": 6,
            "scenario_people": 0,
            "overall": 50.0,
        },
    ]

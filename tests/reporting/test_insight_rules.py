"""The insights read from a scope's stored figures, checked with the values written out.

The stored figures are the refresh's sums (see `figures`); here only the averages, gains,
shares, labels and the group-size rule are under test, so the sums are written by hand.
"""

import pytest

from allyship.reporting.insights import Insights, insights_from
from learning.models import Course, Principle
from quizzes.models import Scenario


@pytest.fixture
def principles(db):
    return {
        "listen": Principle.objects.create(slug="listen", name="Listening", order=2),
        "voice": Principle.objects.create(slug="voice", name="Voice", order=1),
        "credit": Principle.objects.create(slug="credit", name="Credit", order=1),
    }


def _sum(total, n):
    return {"total": total, "n": n}


def _stored(principles, course, **overrides):
    listen, voice, credit = (str(principles[slug].pk) for slug in ("listen", "voice", "credit"))
    gone = "999999"  # a principle since removed: its figures are left out
    stored = {
        "people": 7,
        "check": {},
        "strong": {},
        "prepost": {
            "all": {
                listen: {"pre": _sum(1, 4), "post": _sum(3, 4)},
                gone: {"pre": _sum(1, 1), "post": _sum(1, 1)},
            },
            str(course.pk): {
                voice: {"pre": _sum(2, 3), "post": _sum(1, 1)},
                credit: {"pre": _sum(1, 2)},
            },
        },
        "gain": {
            "all": {"d1": {"pre": _sum(3, 4), "post": _sum(1, 1)}},
            str(course.pk): {
                "d9": {"post": _sum(1, 2)},
                "d1": {"pre": _sum(1, 2), "post": _sum(2, 2)},
                "d2": {"pre": _sum(1, 5)},
            },
        },
        "departments": {"d1": "Sales", "d2": "Legal"},
        "commit": {
            "all": {"people": 7, "made": 10, "done": 3, "partly": 2, "not_yet": 1, "open": 4},
            "d1": {"people": 5, "made": 6, "done": 1, "partly": 1, "not_yet": 1, "open": 3},
            "d2": {"people": 4, "made": 2, "done": 0, "partly": 0, "not_yet": 0, "open": 2},
        },
        "steps": {},
        "retention": {
            listen: {"first": _sum(3, 4), "week_4": _sum(1, 3), "week_12": _sum(0, 0)},
            credit: {"week_1": _sum(1, 1)},
            gone: {"first": _sum(1, 1)},
        },
        "plans": {
            voice: {"reported": 2, "arose": 0, "acted": 0},
            credit: {"reported": 8, "arose": 6, "acted": 3},
            gone: {"reported": 5, "arose": 5, "acted": 5},
        },
    }
    return stored | overrides


@pytest.fixture
def course(db):
    return Course.objects.create(slug="course", title="Course")


def test_a_group_of_fewer_than_five_people_shows_nothing(principles, course):
    assert insights_from(_stored(principles, course, people=4), course=course) == Insights(
        4, False, [], [], [], None, None, []
    )
    assert insights_from({}) == Insights(0, False, [], [], [], None, None, [])
    assert insights_from(_stored(principles, course, people=5)).enough is True


def test_pre_and_post_scores_per_principle_for_the_course_asked_for(principles, course):
    assert insights_from(_stored(principles, course), course=course).pre_post == [
        {"slug": "credit", "name": "Credit", "order": 1, "pre": 50.0, "post": None, "gain": None},
        {"slug": "voice", "name": "Voice", "order": 1, "pre": 66.7, "post": 100.0, "gain": 33.3},
    ]
    assert insights_from(_stored(principles, course)).pre_post == [
        {"slug": "listen", "name": "Listening", "order": 2, "pre": 25.0, "post": 75.0, "gain": 50.0}
    ]


def test_departments_gain_is_shown_only_with_both_a_before_and_an_after(principles, course):
    insights = insights_from(_stored(principles, course), course=course)
    assert insights.departments == [
        {"label": "Legal", "pre": 20.0, "post": None, "gain": None, "enough": False},
        {"label": "Sales", "pre": 50.0, "post": 100.0, "gain": 50.0, "enough": True},
        # A department without a name stored is shown by its key.
        {"label": "d9", "pre": None, "post": 50.0, "gain": None, "enough": False},
    ]
    assert insights_from(_stored(principles, course)).departments == [
        {"label": "Sales", "pre": 75.0, "post": 100.0, "gain": 25.0, "enough": True}
    ]


def test_follow_through_counts_done_and_partly_of_the_reported_commitments(principles, course):
    commitments = insights_from(_stored(principles, course)).commitments
    assert commitments["overall"] == {
        "people": 7,
        "made": 10,
        "done": 3,
        "partly": 2,
        "not_yet": 1,
        "open": 4,
        "reported": 6,
        "followed": 5,
        "rate": 83,
        "enough": True,
    }
    assert commitments["departments"] == [
        {
            "people": 4,
            "made": 2,
            "done": 0,
            "partly": 0,
            "not_yet": 0,
            "open": 2,
            "reported": 0,
            "followed": 0,
            "rate": None,
            "enough": False,
            "label": "Legal",
        },
        {
            "people": 5,
            "made": 6,
            "done": 1,
            "partly": 1,
            "not_yet": 1,
            "open": 3,
            "reported": 3,
            "followed": 2,
            "rate": 67,
            "enough": True,
            "label": "Sales",
        },
    ]


def test_no_commitments_stored_reads_as_none_made(principles, course):
    commitments = insights_from(_stored(principles, course, commit={})).commitments
    assert commitments == {
        "overall": {
            "people": 0,
            "made": 0,
            "done": 0,
            "partly": 0,
            "not_yet": 0,
            "open": 0,
            "reported": 0,
            "followed": 0,
            "rate": None,
            "enough": False,
        },
        "departments": [],
    }


def test_retention_per_principle_and_interval_in_curriculum_order(principles, course):
    def cells(first, week_1, week_4, week_12):
        return [
            {"key": "first", "label": "First try", "value": first},
            {"key": "week_1", "label": "About 1 week", "value": week_1},
            {"key": "week_4", "label": "About 4 weeks", "value": week_4},
            {"key": "week_12", "label": "About 12 weeks", "value": week_12},
        ]

    assert insights_from(_stored(principles, course)).retention == [
        {
            "slug": "credit",
            "name": "Credit",
            "cells": cells(None, 100.0, None, None),
            "first": None,
            "week_1": 100.0,
            "week_4": None,
            "week_12": None,
        },
        {
            "slug": "listen",
            "name": "Listening",
            "cells": cells(75.0, None, 33.3, None),
            "first": 75.0,
            "week_1": None,
            "week_4": 33.3,
            "week_12": None,
        },
    ]


def test_plan_outcomes_per_principle(principles, course):
    assert insights_from(_stored(principles, course)).plans == [
        {
            "slug": "credit",
            "name": "Credit",
            "enough": True,
            "reported": 8,
            "arose_rate": 75,
            "acted_rate": 50,
        },
        {
            "slug": "voice",
            "name": "Voice",
            "enough": True,
            "reported": 2,
            "arose_rate": 0,
            "acted_rate": None,
        },
    ]


def test_older_figures_without_retention_or_plans_show_none(principles, course):
    stored = _stored(principles, course)
    del stored["retention"], stored["plans"]
    insights = insights_from(stored)
    assert (insights.retention, insights.plans) == ([], [])


def test_a_group_too_small_still_names_the_scenario_asked_about(principles, course):
    scenario = Scenario(slug="token-panel", title="The token panel")
    shown = insights_from(_stored(principles, course, people=4), scenario=scenario)
    assert (shown.enough, shown.scenario, shown.steps) == (False, scenario, [])

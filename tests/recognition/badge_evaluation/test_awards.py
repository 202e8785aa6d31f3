"""Badge evaluation at the service, with every value written out: which badges a trigger
awards and returns, thresholds one short and exactly met, whose rows count, and triggers."""

import pytest
from django.utils import timezone

from learning.models import (
    BadgeAward,
    CommitmentStatus,
    LearnerStats,
    XpEvent,
)
from learning.recognition import badges
from learning.recognition.badges import Trigger
from tests.learning.builders import build_course, build_module
from tests.queries import queries
from tests.recognition.badge_evaluation.conftest import (
    BEST_SCORE,
    STRONG_SCORE,
    commitments_made,
    course_finished,
    course_tests_taken,
    everything_done,
    held_badges,
    lessons_stored,
    modules_done,
    scenario_scored,
    slugs_of,
)
from tests.recognition.factories import (
    AssignmentFactory,
    BadgeAwardFactory,
    CourseProgressFactory,
    seed_scenario,
    stats_with_streak,
)
from tests.recognition.helpers import in_days

pytestmark = pytest.mark.django_db


# What evaluation awards and returns ----------------------------------------------------------


def test_evaluate_awards_and_returns_every_badge_of_the_trigger_the_person_meets(employee):
    course_finished(employee, due_in_days=2)
    awarded = badges.evaluate(employee, Trigger.COURSE)
    assert slugs_of(awarded) == ["first-course", "on-time"]
    assert all(award.pk is not None and award.user_id == employee.pk for award in awarded)
    stored = BadgeAward.objects.filter(user=employee).order_by("badge")
    assert [(a.badge, a.seen) for a in stored] == [("first-course", False), ("on-time", False)]
    paid = XpEvent.objects.filter(user=employee).order_by("source")
    assert [(e.source, e.amount) for e in paid] == [
        ("badge:first-course", 50),
        ("badge:on-time", 25),
    ]
    assert LearnerStats.objects.get(user=employee).xp_total == 75


def test_evaluate_awards_only_the_badges_whose_rule_is_met(employee):
    course_finished(employee, due_in_days=-1)  # completed a day after it was due
    assert slugs_of(badges.evaluate(employee, Trigger.COURSE)) == ["first-course"]
    assert held_badges(employee) == {"first-course"}


def test_evaluate_again_awards_nothing_more(employee):
    lessons_stored(employee, 1)
    assert slugs_of(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]
    assert badges.evaluate(employee, Trigger.LESSON) == []
    assert BadgeAward.objects.filter(user=employee).count() == 1
    assert XpEvent.objects.filter(user=employee).count() == 1


def test_a_badge_already_held_is_not_awarded_again_nor_returned(employee):
    held = BadgeAwardFactory(user=employee, badge="first-course", seen=True)
    course_finished(employee, due_in_days=2)
    assert slugs_of(badges.evaluate(employee, Trigger.COURSE)) == ["on-time"]
    first_course = BadgeAward.objects.get(user=employee, badge="first-course")
    assert (first_course.pk, first_course.seen) == (held.pk, True)
    assert list(XpEvent.objects.filter(user=employee).values_list("source", flat=True)) == [
        "badge:on-time"
    ]


def test_a_badge_of_another_trigger_is_not_considered_even_when_earned(employee):
    lessons_stored(employee, 1)
    modules_done(employee, 1)
    commitments_made(employee, 1)
    assert slugs_of(badges.evaluate(employee, Trigger.COMMITMENT)) == ["first-follow-through"]
    assert held_badges(employee) == {"first-follow-through"}
    assert slugs_of(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]
    assert held_badges(employee) == {"first-follow-through", "first-lesson"}


def test_each_trigger_awards_its_own_badges_to_someone_who_meets_every_rule(employee):
    everything_done(employee)
    expected = {
        Trigger.LESSON: ["first-lesson"],
        Trigger.MODULE: ["first-module"],
        Trigger.COURSE: ["first-course", "on-time"],
        Trigger.SCENARIO: ["strong-interrupted-in-meetings", "perfect-path"],
        Trigger.KNOWLEDGE: ["knowledge-gain"],
        Trigger.COMMITMENT: ["first-follow-through", "five-follow-throughs"],
        Trigger.STREAK: ["four-week-streak"],
    }
    assert set(expected) == set(Trigger)
    for trigger, slugs in expected.items():
        assert slugs_of(badges.evaluate(employee, trigger)) == slugs, trigger
    assert BadgeAward.objects.filter(user=employee).count() == 10


# Thresholds: one short earns nothing, the threshold itself earns ----------------------------


def test_the_first_lesson_badge_needs_one_lesson(employee):
    assert badges.evaluate(employee, Trigger.LESSON) == []
    lessons_stored(employee, 1)
    assert slugs_of(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]


def test_five_follow_throughs_are_not_earned_at_four_and_are_at_five(employee):
    commitments_made(employee, 4)
    assert slugs_of(badges.evaluate(employee, Trigger.COMMITMENT)) == ["first-follow-through"]
    commitments_made(employee, 1)
    assert slugs_of(badges.evaluate(employee, Trigger.COMMITMENT)) == ["five-follow-throughs"]
    assert held_badges(employee) == {"first-follow-through", "five-follow-throughs"}


def test_follow_throughs_count_only_done_or_partly_reported_on_or_after_the_check_in(employee):
    commitments_made(employee, 2, status=CommitmentStatus.NOT_YET)
    commitments_made(employee, 2, status=CommitmentStatus.NOT_ARISEN)
    commitments_made(employee, 2, on_time=False)  # reported before the check-in date
    assert badges.evaluate(employee, Trigger.COMMITMENT) == []
    commitments_made(employee, 1, status=CommitmentStatus.PARTLY)
    assert slugs_of(badges.evaluate(employee, Trigger.COMMITMENT)) == ["first-follow-through"]


def test_a_strong_path_is_not_earned_one_point_short_and_is_at_the_strong_score(employee):
    scenario_scored(employee, STRONG_SCORE - 1)
    assert badges.evaluate(employee, Trigger.SCENARIO) == []
    scenario_scored(employee, STRONG_SCORE)
    assert slugs_of(badges.evaluate(employee, Trigger.SCENARIO)) == [
        "strong-interrupted-in-meetings"
    ]
    scenario_scored(employee, BEST_SCORE - 1)
    assert badges.evaluate(employee, Trigger.SCENARIO) == []
    scenario_scored(employee, BEST_SCORE)
    assert slugs_of(badges.evaluate(employee, Trigger.SCENARIO)) == ["perfect-path"]


def test_a_scenario_loaded_but_not_finished_earns_nothing(employee):
    seed_scenario("interrupted-in-meetings")
    assert badges.evaluate(employee, Trigger.SCENARIO) == []


def test_the_streak_badge_is_not_earned_at_three_weeks_and_is_at_four(employee, outsider):
    stats_with_streak(employee, current=3)
    assert badges.evaluate(employee, Trigger.STREAK) == []
    stats_with_streak(employee, current=4)
    assert slugs_of(badges.evaluate(employee, Trigger.STREAK)) == ["four-week-streak"]
    # A streak reached once still earns it after it broke.
    stats_with_streak(outsider, current=1, longest=4)
    assert slugs_of(badges.evaluate(outsider, Trigger.STREAK)) == ["four-week-streak"]


def test_the_knowledge_badge_needs_a_post_test_above_the_pre_test(employee):
    course_tests_taken(employee, pre=0.5, post=0.5)
    assert badges.evaluate(employee, Trigger.KNOWLEDGE) == []
    course_tests_taken(employee, pre=0.5, post=0.75)
    assert slugs_of(badges.evaluate(employee, Trigger.KNOWLEDGE)) == ["knowledge-gain"]


def test_an_assigned_course_counts_on_time_when_completed_on_its_due_date(employee):
    course_finished(employee, due_in_days=0)
    assert slugs_of(badges.evaluate(employee, Trigger.COURSE)) == ["first-course", "on-time"]


def test_a_withdrawn_assignment_does_not_earn_on_time(employee):
    course_finished(employee, due_in_days=2, withdrawn_at=timezone.now())
    assert slugs_of(badges.evaluate(employee, Trigger.COURSE)) == ["first-course"]


# Whose progress counts ----------------------------------------------------------------------


def test_another_persons_progress_never_earns_this_person_a_badge(employee, outsider):
    everything_done(outsider)
    for trigger in Trigger:
        assert badges.evaluate(employee, trigger) == [], trigger
    assert held_badges(employee) == set()
    assert not XpEvent.objects.filter(user=employee).exists()


def test_someone_else_completing_a_course_assigned_to_this_person_is_not_on_time(
    employee, outsider
):
    course = build_course([build_module(lessons=1)])
    AssignmentFactory(user=employee, course=course, due_on=in_days(2))
    CourseProgressFactory(user=outsider, course=course, completed=True)
    course_finished(employee)  # another course, not assigned
    assert slugs_of(badges.evaluate(employee, Trigger.COURSE)) == ["first-course"]


def test_a_badge_held_by_another_person_does_not_stop_this_person_earning_it(employee, outsider):
    BadgeAwardFactory(user=outsider, badge="first-lesson")
    lessons_stored(employee, 1)
    assert slugs_of(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]
    assert BadgeAward.objects.filter(badge="first-lesson").count() == 2


# Triggers -----------------------------------------------------------------------------------


def test_an_unknown_trigger_raises_and_awards_nothing(employee):
    lessons_stored(employee, 1)
    with pytest.raises(ValueError, match="'lessons' is not a valid Trigger"):
        badges.evaluate(employee, "lessons")
    assert held_badges(employee) == set()


def test_a_trigger_given_as_its_plain_value_is_evaluated(employee):
    lessons_stored(employee, 1)
    assert slugs_of(badges.evaluate(employee, "lesson")) == ["first-lesson"]


def test_a_trigger_with_no_badges_returns_nothing_without_a_query(employee, monkeypatch):
    monkeypatch.setitem(badges.BY_TRIGGER, Trigger.LESSON, ())
    lessons_stored(employee, 1)
    with queries(0):
        assert badges.evaluate(employee, Trigger.LESSON) == []
    assert held_badges(employee) == set()

"""Badge awards at the service: one award with its XP, marking awards seen, the facts the rules
read, and what evaluation costs in queries."""

import pytest

from learning.models import (
    BadgeAward,
    CommitmentStatus,
    LearnerStats,
    XpEvent,
)
from learning.recognition import badges
from learning.recognition.badge_icons import Icon
from learning.recognition.badges import REGISTRY, Badge, LearnerFacts, Trigger
from tests.queries import queries
from tests.recognition.badge_evaluation.conftest import (
    BEST_SCORE,
    commitments_made,
    course_finished,
    everything_done,
    lessons_stored,
    modules_done,
    scenario_scored,
    slugs_of,
)
from tests.recognition.factories import (
    BadgeAwardFactory,
    CourseProgressFactory,
    stats_with_streak,
)

pytestmark = pytest.mark.django_db


# badge_award ---------------------------------------------------------------------------------


def test_a_badge_is_awarded_once_unseen_with_its_xp_and_reason(employee):
    award = badges.badge_award(user=employee, badge=REGISTRY["five-follow-throughs"])
    stored = BadgeAward.objects.get(pk=award.pk)
    assert (stored.user_id, stored.badge, stored.seen) == (
        employee.pk,
        "five-follow-throughs",
        False,
    )
    paid = XpEvent.objects.get(user=employee)
    assert (paid.source, paid.amount, paid.reason) == (
        "badge:five-follow-throughs",
        100,
        "Earned the badge “Ally in action”",
    )
    assert badges.badge_award(user=employee, badge=REGISTRY["five-follow-throughs"]) is None
    assert BadgeAward.objects.filter(user=employee).count() == 1
    assert XpEvent.objects.filter(user=employee).count() == 1
    assert LearnerStats.objects.get(user=employee).xp_total == 100


def test_a_badge_that_pays_no_xp_is_awarded_without_a_ledger_entry(employee):
    unpaid = Badge(
        slug="test-unpaid",
        name="Unpaid",
        description="A badge worth no XP.",
        criteria="Be tested.",
        triggers=frozenset({Trigger.LESSON}),
        rule=badges.AtLeast("lessons_read", 1),
        icon=Icon("star", "#1f4e8c"),
        xp=0,
    )
    award = badges.badge_award(user=employee, badge=unpaid)
    assert (award.badge, award.seen) == ("test-unpaid", False)
    assert not XpEvent.objects.filter(user=employee).exists()


# badge_awards_mark_seen ---------------------------------------------------------------------


def test_marking_seen_without_ids_marks_all_the_persons_unseen_awards(employee, outsider):
    mine = [BadgeAwardFactory(user=employee, badge=slug) for slug in ("first-lesson", "on-time")]
    BadgeAwardFactory(user=employee, badge="first-module", seen=True)
    theirs = BadgeAwardFactory(user=outsider, badge="first-lesson")
    assert badges.badge_awards_mark_seen(user=employee) == 2
    assert set(
        BadgeAward.objects.filter(user=employee, seen=True).values_list("pk", flat=True)
    ) == {
        mine[0].pk,
        mine[1].pk,
        BadgeAward.objects.get(user=employee, badge="first-module").pk,
    }
    assert BadgeAward.objects.get(pk=theirs.pk).seen is False
    assert badges.badge_awards_mark_seen(user=employee) == 0


def test_marking_seen_with_ids_marks_only_those_and_ignores_another_persons(employee, outsider):
    first, second, third = (
        BadgeAwardFactory(user=employee, badge=slug)
        for slug in ("first-lesson", "first-module", "on-time")
    )
    theirs = BadgeAwardFactory(user=outsider, badge="first-lesson")
    ids = [first.pk, third.pk, theirs.pk]
    assert badges.badge_awards_mark_seen(user=employee, award_ids=ids) == 2
    seen = dict(BadgeAward.objects.values_list("pk", "seen"))
    assert seen == {first.pk: True, second.pk: False, third.pk: True, theirs.pk: False}
    assert badges.badge_awards_mark_seen(user=employee, award_ids=ids) == 0


def test_marking_seen_with_no_ids_marks_nothing(employee):
    award = BadgeAwardFactory(user=employee)
    assert badges.badge_awards_mark_seen(user=employee, award_ids=[]) == 0
    assert BadgeAward.objects.get(pk=award.pk).seen is False


def test_marking_seen_takes_ids_from_any_iterable(employee):
    first, second = (BadgeAwardFactory(user=employee, badge=s) for s in ("on-time", "first-module"))
    assert badges.badge_awards_mark_seen(user=employee, award_ids=(pk for pk in [second.pk])) == 1
    assert dict(BadgeAward.objects.values_list("badge", "seen")) == {
        "on-time": False,
        "first-module": True,
    }


# LearnerFacts --------------------------------------------------------------------------------


def test_the_facts_count_only_the_persons_own_qualifying_rows(employee, outsider):
    lessons_stored(employee, 3)
    modules_done(employee, 2)
    modules_done(employee, 1, completed=False)
    course_finished(employee, due_in_days=1)
    course_finished(employee, due_in_days=-2)
    course_finished(employee)
    CourseProgressFactory(user=employee, percent=40)
    commitments_made(employee, 2)
    commitments_made(employee, 1, status=CommitmentStatus.PARTLY)
    commitments_made(employee, 1, status=CommitmentStatus.NOT_YET)
    commitments_made(employee, 1, on_time=False)
    for _ in range(2):
        everything_done(outsider)
    facts = LearnerFacts(employee)
    assert (
        facts.lessons_read,
        facts.modules_completed,
        facts.courses_completed,
        facts.courses_on_time,
        facts.commitments_followed_through,
    ) == (3, 2, 3, 1, 3)


def test_a_person_without_stats_reads_fresh_unsaved_stats(employee):
    stats = LearnerFacts(employee).stats
    assert (stats.pk, stats.user_id, stats.current_streak, stats.longest_streak) == (
        None,
        employee.pk,
        0,
        0,
    )
    assert not LearnerStats.objects.filter(user=employee).exists()


def test_a_person_with_stats_reads_their_own(employee, outsider):
    stats_with_streak(employee, current=2, longest=3)
    stats_with_streak(outsider, current=7)
    stats = LearnerFacts(employee).stats
    assert (stats.user_id, stats.current_streak, stats.longest_streak) == (employee.pk, 2, 3)


def test_scenario_scores_list_each_scenario_with_the_persons_best(employee, outsider):
    scenario_scored(outsider, BEST_SCORE)
    assert LearnerFacts(employee).scenario_scores == {"interrupted-in-meetings": (BEST_SCORE, None)}
    scenario_scored(employee, 20)
    assert LearnerFacts(employee).scenario_scores == {"interrupted-in-meetings": (BEST_SCORE, 20)}


@pytest.mark.parametrize(
    "fact",
    [
        "lessons_read",
        "modules_completed",
        "courses_completed",
        "courses_on_time",
        "commitments_followed_through",
        "stats",
        "scenario_scores",
    ],
)
def test_each_fact_is_one_query_loaded_once(employee, fact):
    everything_done(employee)
    facts = LearnerFacts(employee)
    with queries(1):
        first = getattr(facts, fact)
    with queries(0):
        assert getattr(facts, fact) is first


# What evaluation costs ----------------------------------------------------------------------

# Evaluating reads the person's awards among the trigger's badges (1 query), then once each
# fact the trigger's rules read (1 query each), however many badges read it.
NOTHING_EARNED = {
    Trigger.LESSON: 2,
    Trigger.MODULE: 2,
    Trigger.COURSE: 3,  # two facts: courses completed, and completed on time
    Trigger.SCENARIO: 2,  # twelve badges, one fact
    Trigger.KNOWLEDGE: 2,  # the courses with a post-test: none, so no gain to read
    Trigger.COMMITMENT: 2,  # two badges, one fact
    Trigger.STREAK: 2,
}
# Each award then costs 14: its savepoint and release (2); get_or_create's savepoint, lookup,
# savepoint, insert and two releases (6); the XP event's savepoint, insert and release (3); the
# stats row's lookup, the total's update and the re-read for the level (3), with no new level.
PER_AWARD = 14


@pytest.mark.parametrize("trigger", list(Trigger))
def test_evaluating_when_nothing_is_earned_reads_the_awards_and_each_fact_once(employee, trigger):
    assert set(NOTHING_EARNED) == set(Trigger)
    with queries(NOTHING_EARNED[trigger]):
        assert badges.evaluate(employee, trigger) == []


def test_evaluating_badges_already_held_reads_only_the_awards(employee):
    commitments_made(employee, 5)
    for slug in ("first-follow-through", "five-follow-throughs"):
        BadgeAwardFactory(user=employee, badge=slug)
    with queries(1):
        assert badges.evaluate(employee, Trigger.COMMITMENT) == []


@pytest.mark.parametrize("size", [5, 12])
def test_evaluating_costs_the_same_queries_for_few_and_many_facts(employee, size):
    commitments_made(employee, size)
    lessons_stored(employee, size)
    # 500 XP is level 3 (from 400 to 800): the awards' 160 XP keep the level, and the row exists.
    LearnerStats.objects.create(user=employee, xp_total=500, level=3)
    with queries(2 + 2 * PER_AWARD):
        awarded = badges.evaluate(employee, Trigger.COMMITMENT)
    assert slugs_of(awarded) == ["first-follow-through", "five-follow-throughs"]
    with queries(2 + PER_AWARD):
        assert slugs_of(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]
    assert LearnerStats.objects.get(user=employee).xp_total == 660

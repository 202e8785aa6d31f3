"""Badge evaluation at the service, with every expected value written out: which badges a
trigger awards and returns, thresholds one short and exactly met, whose rows count, marking
awards seen, and what evaluation costs in queries. Facts are stored directly (no service that
would evaluate on its own), so each test sees only the evaluation it calls."""

import pytest
from django.utils import timezone

from learning.models import (
    BadgeAward,
    Commitment,
    CommitmentStatus,
    LearnerStats,
    LessonCompletion,
    ModuleProgress,
    XpEvent,
)
from learning.recognition import badges
from learning.recognition.badge_icons import Icon
from learning.recognition.badges import REGISTRY, Badge, LearnerFacts, Trigger
from tests.factories import QuestionFactory
from tests.learning.builders import build_course, build_module
from tests.queries import queries
from tests.recognition.factories import (
    AssignmentFactory,
    BadgeAwardFactory,
    CourseProgressFactory,
    scenario_result,
    seed_scenario,
    stats_with_streak,
)
from tests.recognition.helpers import in_days

pytestmark = pytest.mark.django_db

# The test scenario's best possible score is 39; a strong path needs 80 % of it, rounded up.
BEST_SCORE = 39
STRONG_SCORE = 32


# Facts, stored as rows -----------------------------------------------------------------------


def _read_lessons(user, count: int) -> None:
    for lesson in build_module(lessons=count).lessons.all():
        LessonCompletion.objects.create(user=user, lesson=lesson)


def _modules(user, count: int, *, completed: bool = True) -> None:
    for _ in range(count):
        ModuleProgress.objects.create(
            user=user,
            module=build_module(lessons=1),
            percent=100 if completed else 50,
            completed_at=timezone.now() if completed else None,
        )


def _course_finished(user, *, due_in_days: int | None = None, **assignment):
    """A course the person completed today; assigned to them, due in that many days, if given."""
    course = build_course([build_module(lessons=1)])
    if due_in_days is not None:
        AssignmentFactory(user=user, course=course, due_on=in_days(due_in_days), **assignment)
    CourseProgressFactory(user=user, course=course, completed=True)
    return course


def _commitments(user, count: int, *, status: str = CommitmentStatus.DONE, on_time=True) -> None:
    """Plans reported today with `status`, their check-in yesterday (or, not on time, tomorrow)."""
    for _ in range(count):
        Commitment.objects.create(
            user=user,
            module=build_module(lessons=1),
            action="Credit the idea to the person who said it first",
            check_in_on=in_days(-1 if on_time else 1),
            status=status,
            reported_at=timezone.now(),
        )


def _scenario_scored(user, best_score: int):
    """The seed scenario "interrupted-in-meetings" (best 39), finished with `best_score`."""
    from quizzes.models import Scenario

    scenario = Scenario.objects.filter(slug="interrupted-in-meetings").first()
    scenario = scenario or seed_scenario("interrupted-in-meetings")
    return scenario_result(user, scenario, best_score)


def _tests_taken(user, pre: float, post: float) -> None:
    from quizzes.models import Answer

    course = build_course([build_module(lessons=1)])
    question = QuestionFactory(purpose="assessment")
    Answer.objects.create(user=user, question=question, context="pre", course=course, score=pre)
    Answer.objects.create(user=user, question=question, context="post", course=course, score=post)


def _everything(user) -> None:
    """Enough of every kind of progress to meet every badge's rule but the strong paths of the
    ten seed scenarios not loaded."""
    _read_lessons(user, 1)
    _modules(user, 1)
    _course_finished(user, due_in_days=3)
    _commitments(user, 5)
    _scenario_scored(user, BEST_SCORE)
    _tests_taken(user, pre=0.5, post=1.0)
    stats_with_streak(user, current=4)


def _slugs(awards) -> list[str]:
    return [award.badge for award in awards]


def _held(user) -> set[str]:
    return set(BadgeAward.objects.filter(user=user).values_list("badge", flat=True))


# What evaluation awards and returns ----------------------------------------------------------


def test_evaluate_awards_and_returns_every_badge_of_the_trigger_the_person_meets(employee):
    _course_finished(employee, due_in_days=2)
    awarded = badges.evaluate(employee, Trigger.COURSE)
    assert _slugs(awarded) == ["first-course", "on-time"]
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
    _course_finished(employee, due_in_days=-1)  # completed a day after it was due
    assert _slugs(badges.evaluate(employee, Trigger.COURSE)) == ["first-course"]
    assert _held(employee) == {"first-course"}


def test_evaluate_again_awards_nothing_more(employee):
    _read_lessons(employee, 1)
    assert _slugs(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]
    assert badges.evaluate(employee, Trigger.LESSON) == []
    assert BadgeAward.objects.filter(user=employee).count() == 1
    assert XpEvent.objects.filter(user=employee).count() == 1


def test_a_badge_already_held_is_not_awarded_again_nor_returned(employee):
    held = BadgeAwardFactory(user=employee, badge="first-course", seen=True)
    _course_finished(employee, due_in_days=2)
    assert _slugs(badges.evaluate(employee, Trigger.COURSE)) == ["on-time"]
    first_course = BadgeAward.objects.get(user=employee, badge="first-course")
    assert (first_course.pk, first_course.seen) == (held.pk, True)
    assert list(XpEvent.objects.filter(user=employee).values_list("source", flat=True)) == [
        "badge:on-time"
    ]


def test_a_badge_of_another_trigger_is_not_considered_even_when_earned(employee):
    _read_lessons(employee, 1)
    _modules(employee, 1)
    _commitments(employee, 1)
    assert _slugs(badges.evaluate(employee, Trigger.COMMITMENT)) == ["first-follow-through"]
    assert _held(employee) == {"first-follow-through"}
    assert _slugs(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]
    assert _held(employee) == {"first-follow-through", "first-lesson"}


def test_each_trigger_awards_its_own_badges_to_someone_who_meets_every_rule(employee):
    _everything(employee)
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
        assert _slugs(badges.evaluate(employee, trigger)) == slugs, trigger
    assert BadgeAward.objects.filter(user=employee).count() == 10


# Thresholds: one short earns nothing, the threshold itself earns ----------------------------


def test_the_first_lesson_badge_needs_one_lesson(employee):
    assert badges.evaluate(employee, Trigger.LESSON) == []
    _read_lessons(employee, 1)
    assert _slugs(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]


def test_five_follow_throughs_are_not_earned_at_four_and_are_at_five(employee):
    _commitments(employee, 4)
    assert _slugs(badges.evaluate(employee, Trigger.COMMITMENT)) == ["first-follow-through"]
    _commitments(employee, 1)
    assert _slugs(badges.evaluate(employee, Trigger.COMMITMENT)) == ["five-follow-throughs"]
    assert _held(employee) == {"first-follow-through", "five-follow-throughs"}


def test_follow_throughs_count_only_done_or_partly_reported_on_or_after_the_check_in(employee):
    _commitments(employee, 2, status=CommitmentStatus.NOT_YET)
    _commitments(employee, 2, status=CommitmentStatus.NOT_ARISEN)
    _commitments(employee, 2, on_time=False)  # reported before the check-in date
    assert badges.evaluate(employee, Trigger.COMMITMENT) == []
    _commitments(employee, 1, status=CommitmentStatus.PARTLY)
    assert _slugs(badges.evaluate(employee, Trigger.COMMITMENT)) == ["first-follow-through"]


def test_a_strong_path_is_not_earned_one_point_short_and_is_at_the_strong_score(employee):
    _scenario_scored(employee, STRONG_SCORE - 1)
    assert badges.evaluate(employee, Trigger.SCENARIO) == []
    _scenario_scored(employee, STRONG_SCORE)
    assert _slugs(badges.evaluate(employee, Trigger.SCENARIO)) == ["strong-interrupted-in-meetings"]
    _scenario_scored(employee, BEST_SCORE - 1)
    assert badges.evaluate(employee, Trigger.SCENARIO) == []
    _scenario_scored(employee, BEST_SCORE)
    assert _slugs(badges.evaluate(employee, Trigger.SCENARIO)) == ["perfect-path"]


def test_a_scenario_loaded_but_not_finished_earns_nothing(employee):
    seed_scenario("interrupted-in-meetings")
    assert badges.evaluate(employee, Trigger.SCENARIO) == []


def test_the_streak_badge_is_not_earned_at_three_weeks_and_is_at_four(employee, outsider):
    stats_with_streak(employee, current=3)
    assert badges.evaluate(employee, Trigger.STREAK) == []
    stats_with_streak(employee, current=4)
    assert _slugs(badges.evaluate(employee, Trigger.STREAK)) == ["four-week-streak"]
    # A streak reached once still earns it after it broke.
    stats_with_streak(outsider, current=1, longest=4)
    assert _slugs(badges.evaluate(outsider, Trigger.STREAK)) == ["four-week-streak"]


def test_the_knowledge_badge_needs_a_post_test_above_the_pre_test(employee):
    _tests_taken(employee, pre=0.5, post=0.5)
    assert badges.evaluate(employee, Trigger.KNOWLEDGE) == []
    _tests_taken(employee, pre=0.5, post=0.75)
    assert _slugs(badges.evaluate(employee, Trigger.KNOWLEDGE)) == ["knowledge-gain"]


def test_an_assigned_course_counts_on_time_when_completed_on_its_due_date(employee):
    _course_finished(employee, due_in_days=0)
    assert _slugs(badges.evaluate(employee, Trigger.COURSE)) == ["first-course", "on-time"]


def test_a_withdrawn_assignment_does_not_earn_on_time(employee):
    _course_finished(employee, due_in_days=2, withdrawn_at=timezone.now())
    assert _slugs(badges.evaluate(employee, Trigger.COURSE)) == ["first-course"]


# Whose progress counts ----------------------------------------------------------------------


def test_another_persons_progress_never_earns_this_person_a_badge(employee, outsider):
    _everything(outsider)
    for trigger in Trigger:
        assert badges.evaluate(employee, trigger) == [], trigger
    assert _held(employee) == set()
    assert not XpEvent.objects.filter(user=employee).exists()


def test_someone_else_completing_a_course_assigned_to_this_person_is_not_on_time(
    employee, outsider
):
    course = build_course([build_module(lessons=1)])
    AssignmentFactory(user=employee, course=course, due_on=in_days(2))
    CourseProgressFactory(user=outsider, course=course, completed=True)
    _course_finished(employee)  # another course, not assigned
    assert _slugs(badges.evaluate(employee, Trigger.COURSE)) == ["first-course"]


def test_a_badge_held_by_another_person_does_not_stop_this_person_earning_it(employee, outsider):
    BadgeAwardFactory(user=outsider, badge="first-lesson")
    _read_lessons(employee, 1)
    assert _slugs(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]
    assert BadgeAward.objects.filter(badge="first-lesson").count() == 2


# Triggers -----------------------------------------------------------------------------------


def test_an_unknown_trigger_raises_and_awards_nothing(employee):
    _read_lessons(employee, 1)
    with pytest.raises(ValueError, match="'lessons' is not a valid Trigger"):
        badges.evaluate(employee, "lessons")
    assert _held(employee) == set()


def test_a_trigger_given_as_its_plain_value_is_evaluated(employee):
    _read_lessons(employee, 1)
    assert _slugs(badges.evaluate(employee, "lesson")) == ["first-lesson"]


def test_a_trigger_with_no_badges_returns_nothing_without_a_query(employee, monkeypatch):
    monkeypatch.setitem(badges.BY_TRIGGER, Trigger.LESSON, ())
    _read_lessons(employee, 1)
    with queries(0):
        assert badges.evaluate(employee, Trigger.LESSON) == []
    assert _held(employee) == set()


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
    _read_lessons(employee, 3)
    _modules(employee, 2)
    _modules(employee, 1, completed=False)
    _course_finished(employee, due_in_days=1)
    _course_finished(employee, due_in_days=-2)
    _course_finished(employee)
    CourseProgressFactory(user=employee, percent=40)
    _commitments(employee, 2)
    _commitments(employee, 1, status=CommitmentStatus.PARTLY)
    _commitments(employee, 1, status=CommitmentStatus.NOT_YET)
    _commitments(employee, 1, on_time=False)
    for _ in range(2):
        _everything(outsider)
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
    _scenario_scored(outsider, BEST_SCORE)
    assert LearnerFacts(employee).scenario_scores == {"interrupted-in-meetings": (BEST_SCORE, None)}
    _scenario_scored(employee, 20)
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
    _everything(employee)
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
    _commitments(employee, 5)
    for slug in ("first-follow-through", "five-follow-throughs"):
        BadgeAwardFactory(user=employee, badge=slug)
    with queries(1):
        assert badges.evaluate(employee, Trigger.COMMITMENT) == []


@pytest.mark.parametrize("size", [5, 12])
def test_evaluating_costs_the_same_queries_for_few_and_many_facts(employee, size):
    _commitments(employee, size)
    _read_lessons(employee, size)
    # 500 XP is level 3 (from 400 to 800): the awards' 160 XP keep the level, and the row exists.
    LearnerStats.objects.create(user=employee, xp_total=500, level=3)
    with queries(2 + 2 * PER_AWARD):
        awarded = badges.evaluate(employee, Trigger.COMMITMENT)
    assert _slugs(awarded) == ["first-follow-through", "five-follow-throughs"]
    with queries(2 + PER_AWARD):
        assert _slugs(badges.evaluate(employee, Trigger.LESSON)) == ["first-lesson"]
    assert LearnerStats.objects.get(user=employee).xp_total == 660

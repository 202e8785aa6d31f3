"""The badge registry and each badge's rule: earned at the right moment, once, with its XP."""

import datetime
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning import events, services
from learning.models import BadgeAward, CommitmentStatus, LearnerStats, XpEvent
from learning.recognition import badges, rewards
from learning.recognition.badges import BADGES, REGISTRY, Trigger
from learning.recognition.quiz_facts import ScenarioScore
from tests.factories import QuestionFactory, UserFactory
from tests.learning.builders import build_course, build_module, plan_come_due, plan_make
from tests.recognition.factories import AssignmentFactory, seed_scenario
from tests.recognition.helpers import finish_module, in_days, play

pytestmark = pytest.mark.django_db

SEED_SCENARIOS = (
    "interrupted-in-meetings",
    "transgender-colleague",
    "leadership-representation",
    "performative-statement",
    "token-panel",
    "bystander-team-event",
    "hybrid-meeting-hearing",
    "direct-style-review",
    "where-are-you-really-from",
    "decided-in-the-kitchen",
    "ramadan-team-dinner",
)
# On the test scenario (best possible 39, strong path from 32): 5 + 4 + 10 + 10 = 29, short of
# it; 10 + 4 + 10 + 10 = 34, strong; 10 + 9 + 10 + 10 = 39, perfect.
SHORT_PATH = ["partial", "partial", "strong", "strong"]
STRONG_PATH = ["strong", "partial", "strong", "strong"]
PERFECT_PATH = ["strong", "strong", "strong", "strong"]


# The registry ---------------------------------------------------------------------------------


def test_there_are_at_least_twelve_badges_with_unique_slugs():
    assert len(BADGES) >= 12
    assert len(REGISTRY) == len(BADGES)
    max_length = BadgeAward._meta.get_field("badge").max_length
    for badge in BADGES:
        assert badge.slug.replace("-", "").isalnum() and len(badge.slug) <= max_length


@pytest.mark.parametrize("badge", BADGES, ids=lambda badge: badge.slug)
def test_every_badge_is_described_and_has_an_accessible_icon(badge):
    assert badge.name and badge.description and badge.criteria
    assert badge.triggers and badge.triggers <= set(Trigger)
    for earned in (True, False):
        svg = ET.fromstring(str(badge.svg(earned=earned, standalone=True)))
        assert svg.get("role") == "img"
        label = svg.get("aria-label")
        assert label.startswith(badge.alt)
        title = svg.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text == label
    decorative = ET.fromstring(str(badge.svg(decorative=True, standalone=True)))
    assert decorative.get("aria-hidden") == "true" and decorative.get("role") is None


@pytest.mark.parametrize("badge", BADGES, ids=lambda badge: badge.slug)
def test_every_badge_reports_progress_for_a_newcomer(badge, employee):
    progress = badge.progress(employee)
    current, target = progress
    assert 0 <= current < target and not progress.earned


def test_each_seed_scenario_has_a_strong_path_badge():
    for slug in SEED_SCENARIOS:
        assert f"strong-{slug}" in REGISTRY


def test_badges_are_registered_under_their_triggers():
    for trigger in Trigger:
        for badge in badges.BY_TRIGGER[trigger]:
            assert trigger in badge.triggers
    assert sum(len(found) for found in badges.BY_TRIGGER.values()) == sum(
        len(badge.triggers) for badge in BADGES
    )


# Each badge's rule: a step short of it earns nothing; the earning step earns it once. -------


def _lessons(user, count: int) -> None:
    module = build_module(lessons=max(count, 1))
    for lesson in list(module.lessons.all())[:count]:
        services.lesson_complete(user=user, lesson=lesson)


def _course(user, *, due_in_days: int | None = None, finish: bool = True):
    module = build_module(lessons=1)
    course = build_course([module])
    if due_in_days is not None:
        AssignmentFactory(user=user, course=course, due_on=in_days(due_in_days))
    services.course_start(user=user, course=course)
    if finish:
        finish_module(user, module)
    else:
        services.lesson_complete(user=user, lesson=module.lessons.first())
    return course


def _module(user, *, finish: bool = True) -> None:
    module = build_module(lessons=1)
    if finish:
        finish_module(user, module)
    else:
        services.lesson_complete(user=user, lesson=module.lessons.first())
        services.module_check_complete(user=user, module=module)


def _follow_through(user, count: int, status: str = CommitmentStatus.DONE) -> None:
    for _ in range(count):
        module = build_module(lessons=1)
        commitment = plan_make(user, module, suggestion=module.suggestions.first(), text="")
        plan_come_due(commitment)
        services.commitment_check_in(user=user, commitment=commitment, status=status)


def _scenario(slug: str, path: list[str]):
    def run(user):
        scenario = seed_scenario(slug) if not _exists(slug) else _get(slug)
        play(user, scenario, path)

    return run


def _exists(slug: str) -> bool:
    from quizzes.models import Scenario

    return Scenario.objects.filter(slug=slug).exists()


def _get(slug: str):
    from quizzes.models import Scenario

    return Scenario.objects.get(slug=slug)


def _knowledge(post_score: float):
    def run(user):
        from quizzes.models import Answer

        course = build_course([build_module(lessons=1)])
        question = QuestionFactory(purpose="assessment")
        Answer.objects.create(user=user, question=question, context="pre", course=course, score=0.5)
        Answer.objects.create(
            user=user, question=question, context="post", course=course, score=post_score
        )
        events.course_test_finished(user=user, course=course, context="post")

    return run


def _active_weeks_ago(*weeks_ago: int):
    def run(user):
        for weeks in weeks_ago:
            when = timezone.now() - datetime.timedelta(weeks=weeks)
            services.activity_record(user=user, when=when)

    return run


# slug -> (a step short of the badge, the step that earns it)
CASES = {
    "first-lesson": (lambda user: None, lambda user: _lessons(user, 1)),
    "first-module": (lambda user: _module(user, finish=False), lambda user: _module(user)),
    "first-course": (lambda user: _course(user, finish=False), lambda user: _course(user)),
    "on-time": (
        lambda user: _course(user, due_in_days=-1),  # completed, but after its due date
        lambda user: _course(user, due_in_days=0),  # on the due date counts
    ),
    **{
        f"strong-{slug}": (_scenario(slug, SHORT_PATH), _scenario(slug, STRONG_PATH))
        for slug in SEED_SCENARIOS
    },
    "perfect-path": (
        _scenario("interrupted-in-meetings", STRONG_PATH),
        _scenario("interrupted-in-meetings", PERFECT_PATH),
    ),
    "first-follow-through": (
        lambda user: _follow_through(user, 1, CommitmentStatus.NOT_YET),
        lambda user: _follow_through(user, 1, CommitmentStatus.PARTLY),
    ),
    "five-follow-throughs": (
        lambda user: _follow_through(user, 4),
        lambda user: _follow_through(user, 1),
    ),
    "knowledge-gain": (_knowledge(0.5), _knowledge(1.0)),
    "four-week-streak": (_active_weeks_ago(4, 3, 2), _active_weeks_ago(1)),
}


def test_every_badge_has_its_earning_test():
    assert set(CASES) == set(REGISTRY), "Add the new badge to CASES in this file."


@pytest.mark.parametrize("slug", sorted(CASES))
def test_a_badge_is_earned_by_its_rule_once_with_its_xp(slug, employee):
    badge = REGISTRY[slug]
    almost, earn = CASES[slug]
    almost(employee)
    assert not BadgeAward.objects.filter(user=employee, badge=slug).exists()
    assert not badge.progress(employee).earned
    earn(employee)
    assert BadgeAward.objects.filter(user=employee, badge=slug).count() == 1
    assert badge.progress(employee).earned
    for trigger in badge.triggers:  # evaluating again never awards twice
        assert slug not in {award.badge for award in badges.evaluate(employee, trigger)}
    assert BadgeAward.objects.filter(user=employee, badge=slug).count() == 1
    assert XpEvent.objects.filter(user=employee, source=f"badge:{slug}").count() == (
        1 if badge.xp else 0
    )
    stats = LearnerStats.objects.get(user=employee)
    assert stats.xp_total == sum(
        XpEvent.objects.filter(user=employee).values_list("amount", flat=True)
    )


def test_a_broken_streak_shows_the_running_weeks_but_a_reached_one_stays_earned(employee):
    _active_weeks_ago(2, 1)(employee)
    assert REGISTRY["four-week-streak"].progress(employee) == (2, 4)
    LearnerStats.objects.filter(user=employee).update(longest_streak=4, current_streak=1)
    assert REGISTRY["four-week-streak"].progress(employee).earned


def test_strong_path_threshold_is_eighty_percent_of_the_best_possible_score():
    assert badges.strong_path_score(39) == 32
    assert badges.strong_path_score(10) == 8
    assert badges.strong_path_score(0) == 0
    assert badges.strong_path_score(40) == 32  # exactly 80 %: not rounded up past it
    assert badges.strong_path_score(49) == 40  # 39.2 rounds up
    assert badges.strong_path_score(1) == 1


def test_a_scenario_not_loaded_cannot_be_earned(employee):
    assert REGISTRY["strong-token-panel"].progress(employee) == (0, 1)


def test_evaluate_considers_only_the_triggers_badges(employee):
    _lessons(employee, 1)
    BadgeAward.objects.filter(user=employee).delete()
    assert badges.evaluate(employee, Trigger.COMMITMENT) == []
    awarded = badges.evaluate(employee, Trigger.LESSON)
    assert [award.badge for award in awarded] == ["first-lesson"]


def test_a_second_award_of_the_same_badge_is_refused(employee):
    badge = REGISTRY["first-lesson"]
    assert badges.badge_award(user=employee, badge=badge) is not None
    assert badges.badge_award(user=employee, badge=badge) is None
    assert BadgeAward.objects.filter(user=employee).count() == 1
    assert XpEvent.objects.filter(user=employee, source="badge:first-lesson").count() == 1


def test_new_awards_are_unseen_until_marked_and_marking_is_idempotent(employee, outsider):
    mine = badges.badge_award(user=employee, badge=REGISTRY["first-lesson"])
    theirs = badges.badge_award(user=outsider, badge=REGISTRY["first-lesson"])
    assert mine.seen is False
    assert badges.badge_awards_mark_seen(user=employee, award_ids=[mine.pk, theirs.pk]) == 1
    assert badges.badge_awards_mark_seen(user=employee, award_ids=[mine.pk]) == 0
    theirs.refresh_from_db()
    assert theirs.seen is False


def _history(user, size: int) -> None:
    """`size` lessons read, modules finished and commitments followed through."""
    for _ in range(size):
        module = build_module(lessons=2)
        finish_module(user, module)
        commitment = user.commitments.get(module=module)
        plan_come_due(commitment)
        services.commitment_check_in(user=user, commitment=commitment, status="done")
    # Follow-through XP is capped per week: top both histories up past the highest level, so
    # they qualify for the same badges and only their size differs.
    rewards.xp_award(user=user, source="test:top-up", amount=2000, reason="Test")


@pytest.mark.parametrize("trigger", list(Trigger))
def test_evaluating_a_trigger_costs_the_same_queries_at_any_history_size(trigger):
    # Both histories qualify for the same badges, so only the history size differs.
    small, large = UserFactory(), UserFactory()
    _history(small, 5)
    _history(large, 9)
    counts = []
    for user in (small, large):
        BadgeAward.objects.filter(user=user).delete()  # so every rule is evaluated
        XpEvent.objects.filter(user=user, source__startswith="badge:").delete()
        with CaptureQueriesContext(connection) as context:
            badges.evaluate(user, trigger)
        counts.append(context)
    listing = "\n".join(q["sql"] for q in counts[1].captured_queries)
    assert len(counts[0]) == len(counts[1]), f"{len(counts[0])} vs {len(counts[1])}:\n{listing}"


def test_scenario_badges_name_the_scenarios_as_the_curriculum_does(employee):
    from learning.loader import load_curriculum
    from quizzes.models import Scenario

    load_curriculum()
    scenarios = Scenario.objects.filter(slug__in=SEED_SCENARIOS)
    assert scenarios.count() == len(SEED_SCENARIOS)
    # The best total of each seed scenario, summed by hand along its strongest path, and
    # 80 % of it rounded up: the score a learner needs for the badge.
    expected = {
        "interrupted-in-meetings": (48, 39),
        "leadership-representation": (50, 40),
        "performative-statement": (50, 40),
        "token-panel": (50, 40),
        "transgender-colleague": (49, 40),
        "bystander-team-event": (49, 40),
        "decided-in-the-kitchen": (49, 40),
        "direct-style-review": (49, 40),
        "hybrid-meeting-hearing": (49, 40),
        "ramadan-team-dinner": (49, 40),
        "where-are-you-really-from": (48, 39),
    }
    assert set(expected) == set(SEED_SCENARIOS)
    for scenario in scenarios:
        badge = REGISTRY[f"strong-{scenario.slug}"]
        assert f"“{scenario.title}”" in badge.criteria
        best, target = expected[scenario.slug]
        assert scenario.max_score == best
        assert badge.progress(employee) == (0, target)


def test_a_perfect_path_needs_the_best_score_of_a_scenario_that_has_one():
    def perfect(*scores):
        facts = SimpleNamespace(scenario_scores=dict(enumerate(scores)))
        return badges._perfect_path(facts)

    assert perfect(ScenarioScore(1, 1)) == badges.Progress(1, 1)
    assert perfect(ScenarioScore(30, 29), ScenarioScore(20, 20)) == badges.Progress(1, 1)
    assert perfect(ScenarioScore(30, 29), ScenarioScore(20, None)) == badges.Progress(0, 1)
    # A scenario with nothing to score (not loaded yet) is not perfect at 0 of 0.
    assert perfect(ScenarioScore(0, 0)) == badges.Progress(0, 1)


def test_a_strong_path_badge_needs_the_strong_share_of_a_scorable_scenario():
    rule = badges.StrongPath("meetings")

    def progress(score):
        return rule(SimpleNamespace(scenario_scores={"meetings": score}))

    assert progress(ScenarioScore(1, 1)) == badges.Progress(1, 1)
    assert progress(ScenarioScore(0, 0)) == badges.Progress(0, 1)  # nothing to score yet
    assert rule(SimpleNamespace(scenario_scores={})) == badges.Progress(0, 1)


@pytest.mark.django_db
def test_xp_is_paid_with_its_reason_on_the_ledger(employee):
    event = rewards.xp_award(
        user=employee, source="test:reason", amount=15, reason="Finished the scenario"
    )
    stored = XpEvent.objects.get(pk=event.pk)
    assert (stored.source, stored.amount, stored.reason) == (
        "test:reason",
        15,
        "Finished the scenario",
    )


def test_a_badge_draws_its_icon_earned_at_64_pixels_inline_by_default():
    badge = REGISTRY["first-lesson"]
    drawn = str(badge.svg())
    assert 'width="64" height="64"' in drawn and "xmlns=" not in drawn
    assert f'aria-label="{badge.alt}"' in drawn and "badge-icon-unearned" not in drawn
    locked = str(badge.svg(earned=False, size=40, standalone=True))
    assert 'width="40" height="40"' in locked and 'xmlns="http://www.w3.org/2000/svg"' in locked
    assert f'aria-label="{badge.alt} (not earned yet)"' in locked
    assert "badge-icon-unearned" in locked

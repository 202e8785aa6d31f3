"""Property-based: whatever events happen, repeated or reordered, XP and badges stay honest.

Each example uses a fresh person (the database is not rolled back between hypothesis
examples), so examples cannot see each other's XP or badges.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning import services
from learning.models import BadgeAward, LearnerStats, XpEvent
from learning.recognition import badges, rewards
from learning.recognition.badges import Trigger
from tests.factories import UserFactory
from tests.learning.builders import build_module, plan_come_due
from tests.recognition.helpers import in_days

pytestmark = pytest.mark.django_db

EVENTS = st.one_of(
    st.tuples(st.just("lesson"), st.integers(0, 1), st.integers(0, 1)),
    st.tuples(st.just("check"), st.integers(0, 1)),
    st.tuples(st.just("commit"), st.integers(0, 1)),
    st.tuples(
        st.just("check_in"), st.integers(0, 1), st.sampled_from(["done", "partly", "not_yet"])
    ),
    st.tuples(st.just("xp"), st.sampled_from(["a", "b", "badge:first-lesson"]), st.integers(1, 60)),
    st.tuples(st.just("evaluate"), st.sampled_from(list(Trigger))),
)
HYPOTHESIS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def modules(db):
    return [build_module(lessons=2), build_module(lessons=2)]


def _apply(user, modules, event) -> None:
    kind, *args = event
    try:
        if kind == "lesson":
            lesson = list(modules[args[0]].lessons.all())[args[1]]
            services.lesson_complete(user=user, lesson=lesson)
        elif kind == "check":
            services.module_check_complete(user=user, module=modules[args[0]])
        elif kind == "commit":
            module = modules[args[0]]
            services.commitment_make(
                user=user,
                module=module,
                suggestion=module.suggestions.first(),
                text="",
                check_in_on=in_days(3),
            )
        elif kind == "check_in":
            commitment = user.commitments.filter(module=modules[args[0]]).first()
            if commitment is not None:
                plan_come_due(commitment)
                services.commitment_check_in(user=user, commitment=commitment, status=args[1])
        elif kind == "xp":
            rewards.xp_award(user=user, source=f"test:{args[0]}", amount=args[1], reason="Test")
        else:
            badges.evaluate(user, args[0])
    except ValidationError:
        pass  # refused events (a second commitment, a second check-in) change nothing


def _level_by_hand(xp: int) -> int:
    """The level the README promises: Learner at 150 XP, Advocate at 400, Amplifier at 800,
    Champion at 1,400 (written out here, not read from learning.rewards)."""
    return 1 + sum(xp >= threshold for threshold in (150, 400, 800, 1400))


@pytest.mark.parametrize(
    "xp, level, name",
    [
        (0, 1, "Listener"),
        (149, 1, "Listener"),
        (150, 2, "Learner"),
        (399, 2, "Learner"),
        (400, 3, "Advocate"),
        (799, 3, "Advocate"),
        (800, 4, "Amplifier"),
        (1399, 4, "Amplifier"),
        (1400, 5, "Champion"),
        (100000, 5, "Champion"),
    ],
)
def test_levels_start_at_their_thresholds(xp, level, name):
    assert (rewards.level_for(xp).number, rewards.level_for(xp).name) == (level, name)
    assert _level_by_hand(xp) == level


def test_the_next_level_after_each_level_and_none_after_champion():
    names = [rewards.next_level(rewards.level_for(xp)) for xp in (0, 150, 400, 800, 1400)]
    assert [n.name if n else None for n in names] == [
        "Learner",
        "Advocate",
        "Amplifier",
        "Champion",
        None,
    ]


def test_xp_crossing_a_threshold_stores_the_new_level(db):
    user = UserFactory()
    rewards.xp_award(user=user, source="test:one", amount=149, reason="Test")
    assert LearnerStats.objects.get(user=user).level == 1
    rewards.xp_award(user=user, source="test:two", amount=1, reason="Test")
    stats = LearnerStats.objects.get(user=user)
    assert (stats.xp_total, stats.level) == (150, 2)
    assert rewards.xp_award(user=user, source="test:two", amount=1, reason="Test") is None
    assert rewards.xp_award(user=user, source="test:zero", amount=0, reason="Test") is None
    assert LearnerStats.objects.get(user=user).xp_total == 150


def _assert_honest(user) -> None:
    repeated_sources = (
        XpEvent.objects.filter(user=user).values("source").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert not repeated_sources.exists()
    repeated_badges = (
        BadgeAward.objects.filter(user=user).values("badge").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert not repeated_badges.exists()
    stats = LearnerStats.objects.filter(user=user).first()
    ledger = XpEvent.objects.filter(user=user).aggregate(total=Sum("amount"))["total"] or 0
    assert (stats.xp_total if stats else 0) == ledger
    if stats:
        assert stats.level == _level_by_hand(stats.xp_total)
    # Every badge-paid XP entry belongs to a badge the person holds.
    paid = {
        source.removeprefix("badge:")
        for source in XpEvent.objects.filter(user=user, source__startswith="badge:")
        .exclude(reason="Test")
        .values_list("source", flat=True)
    }
    assert paid <= set(BadgeAward.objects.filter(user=user).values_list("badge", flat=True))


@HYPOTHESIS
@given(events=st.lists(EVENTS, max_size=12))
def test_any_sequence_repeated_and_reversed_pays_once_and_totals_match(modules, events):
    user = UserFactory()
    for event in events:
        _apply(user, modules, event)
    _assert_honest(user)
    for event in [*events, *reversed(events)]:
        _apply(user, modules, event)
    _assert_honest(user)


@HYPOTHESIS
@given(events=st.lists(EVENTS, max_size=10), data=st.data())
def test_reordering_the_same_events_never_pays_a_source_twice(modules, events, data):
    shuffled = data.draw(st.permutations(events))
    for order in (events, shuffled):
        user = UserFactory()
        for event in order:
            _apply(user, modules, event)
        _assert_honest(user)
        # Lessons read pay the same however they were ordered: once each.
        lessons = {(e[1], e[2]) for e in order if e[0] == "lesson"}
        assert XpEvent.objects.filter(user=user, source__startswith="lesson:").count() == len(
            lessons
        )

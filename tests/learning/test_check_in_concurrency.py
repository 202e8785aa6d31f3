"""PostgreSQL only: check-ins sent at the same moment pay within the weekly cap, once each."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from learning import services
from learning.models import (
    Commitment,
    CommitmentStatus,
    FollowThroughReward,
    LearnerStats,
    XpEvent,
)
from tests.factories import UserFactory
from tests.learning.builders import build_module, plan_come_due, plan_make
from tests.threads import together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _due_plans(user, count: int) -> list[Commitment]:
    plans = [plan_make(user, build_module(lessons=1)) for _ in range(count)]
    for plan in plans:
        plan_come_due(plan)
    return plans


def _follow_through_xp(user) -> int:
    events = XpEvent.objects.filter(user=user, source__startswith="follow-through:")
    return events.aggregate(total=Sum("amount"))["total"] or 0


def test_plans_checked_in_at_once_fill_both_weekly_slots_and_no_more():
    user = UserFactory()
    plans = _due_plans(user, 3)
    paid: list[bool] = []

    def check_in(index: int) -> None:
        result = services.commitment_check_in(user=user, commitment=plans[index], status="done")
        paid.append(result.xp_paid)

    assert together(check_in, count=3) == []
    # Two of the three pay, whichever order they ran in: the one that lost the race for a
    # slot moves on to the next free one instead of going unpaid.
    assert sorted(paid) == [False, True, True]
    assert sorted(FollowThroughReward.objects.filter(user=user).values_list("slot", flat=True)) == [
        1,
        2,
    ]
    assert set(Commitment.objects.filter(user=user).values_list("status", flat=True)) == {
        CommitmentStatus.DONE
    }
    assert _follow_through_xp(user) == 2 * 120
    total = XpEvent.objects.filter(user=user).aggregate(total=Sum("amount"))["total"]
    assert LearnerStats.objects.get(user=user).xp_total == total


def test_one_plan_checked_in_from_several_tabs_at_once_is_reported_and_paid_once():
    user = UserFactory()
    (plan,) = _due_plans(user, 1)

    def check_in(index: int) -> None:
        services.commitment_check_in(user=user, commitment=plan, status="partly")

    errors = together(check_in)
    assert [type(error) for error in errors] == [ValidationError] * 3
    assert {message for error in errors for message in error.messages} == {
        "You have already reported on this plan."
    }
    assert Commitment.objects.get(pk=plan.pk).status == CommitmentStatus.PARTLY
    assert FollowThroughReward.objects.filter(user=user).count() == 1
    assert _follow_through_xp(user) == 60

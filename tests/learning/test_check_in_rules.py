"""The check-in's rules one by one, at the service: each refusal's exact message and field,
what each answer stores, and how the follow-through reward picks its weekly slot."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from learning import services
from learning.models import (
    Commitment,
    CommitmentStatus,
    FollowThroughReward,
    ModuleProgress,
    XpEvent,
)
from tests.learning.builders import build_module, module_start, plan_come_due, plan_make

pytestmark = pytest.mark.django_db


def _due_plan(user, module):
    plan = plan_make(user, module)
    plan_come_due(plan)
    return plan


def _refusal(user, plan, **answers) -> dict | list:
    with pytest.raises(ValidationError) as refused:
        services.commitment_check_in(user=user, commitment=plan, **answers)
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def _unchanged(plan) -> bool:
    stored = Commitment.objects.get(pk=plan.pk)
    return (stored.status, stored.reported_at, stored.rescheduled, stored.note) == (
        CommitmentStatus.OPEN,
        None,
        False,
        "",
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"arose": None, "status": "done"}, {"arose": ["Say whether the situation came up."]}),
        ({}, {"status": ["Choose what you did."]}),
        ({"status": "open"}, {"status": ["Choose what you did."]}),
        ({"status": "done", "went": "brilliantly"}, {"went": ["Choose how it went."]}),
        (
            {"status": "done", "note": "x" * 2001},
            {"note": ["Keep the note to 2,000 characters."]},
        ),
    ],
)
def test_each_bad_answer_is_refused_on_its_own_field_and_changes_nothing(
    employee, module, answers, expected
):
    plan = _due_plan(employee, module)
    assert _refusal(employee, plan, **answers) == expected
    assert _unchanged(plan)


def test_a_note_of_exactly_the_limit_is_kept_and_notes_are_trimmed(employee):
    longest = _due_plan(employee, build_module(lessons=1))
    services.commitment_check_in(user=employee, commitment=longest, status="done", note="x" * 2000)
    assert len(Commitment.objects.get(pk=longest.pk).note) == 2000
    trimmed = _due_plan(employee, build_module(lessons=1))
    services.commitment_check_in(user=employee, commitment=trimmed, status="partly", note="  ok  ")
    assert Commitment.objects.get(pk=trimmed.pk).note == "ok"
    no_note = _due_plan(employee, build_module(lessons=1))
    services.commitment_check_in(user=employee, commitment=no_note, status="not_yet", note=None)
    assert Commitment.objects.get(pk=no_note.pk).note == ""


def test_a_reported_plan_is_refused_with_its_message(employee, module):
    plan = _due_plan(employee, module)
    services.commitment_check_in(user=employee, commitment=plan, status="not_yet")
    assert _refusal(employee, plan, status="done") == ["You have already reported on this plan."]


def test_only_the_author_can_check_in_on_a_plan(employee, outsider, module):
    plan = _due_plan(employee, module)
    module_start(outsider, module)
    with pytest.raises(Commitment.DoesNotExist):
        services.commitment_check_in(user=outsider, commitment=plan, status="done")
    assert _unchanged(plan)
    assert not XpEvent.objects.filter(source__startswith="follow-through").exists()


def test_the_plan_needs_the_authors_own_reading_of_that_module(employee, outsider, module):
    """Neither another module read, nor another person's reading of this one, nor a progress
    row with no lesson read counts."""
    plan = _due_plan(employee, module)
    ModuleProgress.objects.filter(user=employee, module=module).update(lessons_completed=0)
    module_start(employee, build_module(lessons=1))
    module_start(outsider, module)
    assert _refusal(employee, plan, status="done") == [
        "Start the module (read at least one lesson) before making a plan for it."
    ]
    assert _unchanged(plan)


def test_it_didnt_come_up_stores_exactly_that(employee, module):
    plan = _due_plan(employee, module)
    first = services.commitment_check_in(user=employee, commitment=plan, arose=False)
    assert first.xp_paid is False
    stored = Commitment.objects.get(pk=plan.pk)
    assert (stored.arose, stored.rescheduled, stored.note, stored.went) == (False, True, "", "")
    assert stored.status == CommitmentStatus.OPEN
    plan_come_due(stored)
    services.commitment_check_in(
        user=employee, commitment=stored, arose=False, went="well", note=" Quiet month "
    )
    closed = Commitment.objects.get(pk=plan.pk)
    assert (closed.arose, closed.status, closed.went, closed.note) == (
        False,
        CommitmentStatus.NOT_ARISEN,
        "",
        "Quiet month",
    )


def test_a_note_given_when_it_didnt_come_up_is_kept(employee, module):
    plan = _due_plan(employee, module)
    services.commitment_check_in(user=employee, commitment=plan, arose=False, note=" Soon ")
    assert Commitment.objects.get(pk=plan.pk).note == "Soon"


def test_partly_pays_the_smaller_reward_with_its_own_reason(employee, module):
    plan = _due_plan(employee, module)
    result = services.commitment_check_in(user=employee, commitment=plan, status="partly")
    assert result.xp_paid is True
    event = XpEvent.objects.get(user=employee, source=f"follow-through:{module.pk}")
    assert (event.amount, event.reason) == (60, "Partly followed through on your plan")
    done = _due_plan(employee, build_module(lessons=1))
    services.commitment_check_in(user=employee, commitment=done, status="done")
    event = XpEvent.objects.get(user=employee, source=f"follow-through:{done.module_id}")
    assert (event.amount, event.reason) == (120, "Followed through on your plan")


def test_the_weekly_slots_are_the_learners_own_and_this_weeks(employee, outsider):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    # Another person's rewards this week, and the learner's own last week, take no slot.
    for user, week in ((outsider, monday), (employee, monday - datetime.timedelta(days=7))):
        for slot in (1, 2):
            other = _due_plan(user, build_module(lessons=1))
            FollowThroughReward.objects.create(
                user=user, module=other.module, commitment=other, week=week, slot=slot
            )
    plans = [_due_plan(employee, build_module(lessons=1)) for _ in range(3)]
    paid = [
        services.commitment_check_in(user=employee, commitment=plan, status="done").xp_paid
        for plan in plans
    ]
    assert paid == [True, True, False]
    slots = FollowThroughReward.objects.filter(user=employee, week=monday)
    assert sorted(slots.values_list("commitment_id", "slot")) == [
        (plans[0].pk, 1),
        (plans[1].pk, 2),
    ]

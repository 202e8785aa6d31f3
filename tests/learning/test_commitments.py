"""If-then plans: making them, the check-in states, and rewards that cannot be farmed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from allyship.reporting import insights, reports
from allyship.reporting.figures import report_figures_refresh
from allyship.reporting.organisation import ORG
from learning import services
from learning.models import (
    FOLLOWED_THROUGH,
    Commitment,
    CommitmentStatus,
    FollowThroughReward,
    LearnerStats,
    XpEvent,
)
from learning.recognition import rewards
from tests.factories import UserFactory
from tests.learning.builders import build_module, module_start, plan_come_due, plan_make

pytestmark = pytest.mark.django_db


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _xp(user) -> int:
    stats = LearnerStats.objects.filter(user=user).first()
    return stats.xp_total if stats else 0


def test_a_plan_keeps_its_situation_and_action_without_the_typed_lead_in(employee, module):
    plan = plan_make(employee, module, text="I will credit the idea", situation="When   a idea")
    assert (plan.situation, plan.action) == ("a idea", "credit the idea")
    assert plan.text == "When a idea, I will credit the idea"


def test_a_suggestions_situation_is_used_when_the_learner_gives_none(employee, module):
    suggestion = module.suggestions.first()
    suggestion.situation = "a colleague is talked over"
    suggestion.save()
    plan = plan_make(employee, module, suggestion=suggestion, text="", situation="")
    assert plan.situation == "a colleague is talked over" and plan.action == suggestion.text


def test_a_second_plan_for_the_same_module_is_refused(employee, module):
    plan_make(employee, module)
    with pytest.raises(ValidationError, match="already made a plan"):
        plan_make(employee, module, text="Two")
    assert Commitment.objects.filter(user=employee).count() == 1


def test_a_plan_needs_a_started_module(employee, module):
    with pytest.raises(ValidationError, match="Start the module"):
        services.commitment_make(
            user=employee, module=module, suggestion=None, text="Act", check_in_on=_in_days(3)
        )
    assert not Commitment.objects.exists()


def test_open_plans_are_bounded(employee):
    for _ in range(services.OPEN_COMMITMENTS_MAX):
        plan_make(employee, build_module(lessons=1))
    with pytest.raises(ValidationError, match="already have 5 plans open"):
        plan_make(employee, build_module(lessons=1))
    assert Commitment.objects.filter(user=employee).count() == 5


def test_a_check_in_before_the_date_is_refused_and_changes_nothing(employee, module):
    plan = plan_make(employee, module, days=3)
    with pytest.raises(ValidationError, match="You can check in on this plan from"):
        services.commitment_check_in(user=employee, commitment=plan, status="done")
    plan.refresh_from_db()
    assert plan.status == CommitmentStatus.OPEN and plan.reported_at is None


def test_following_through_pays_the_most_xp_once(employee, module):
    plan = plan_make(employee, module)
    plan_come_due(plan)
    before = _xp(employee)
    paid_before = set(XpEvent.objects.values_list("id", flat=True))
    services.commitment_check_in(
        user=employee, commitment=plan, status="done", went="well", note="Did it"
    )
    with pytest.raises(ValidationError, match="already reported"):
        services.commitment_check_in(user=employee, commitment=plan, status="done")
    event = XpEvent.objects.get(user=employee, source=f"follow-through:{module.pk}")
    assert event.amount == rewards.XP_COMMITMENT_DONE == 120
    # The follow-through and any badge it earned, nothing else.
    new = XpEvent.objects.exclude(id__in=paid_before)
    assert {e.source.split(":")[0] for e in new} <= {"follow-through", "badge"}
    assert _xp(employee) - before == sum(e.amount for e in new)
    assert event.amount == max(XpEvent.objects.values_list("amount", flat=True))
    plan.refresh_from_db()
    assert (plan.arose, plan.status, plan.went) == (True, "done", "well")


def test_it_didnt_come_up_keeps_the_plan_open_for_one_more_window(employee, module):
    plan = plan_make(employee, module)
    plan_come_due(plan)  # made 7 days before its check-in, which is today
    services.commitment_check_in(user=employee, commitment=plan, arose=False)
    plan.refresh_from_db()
    assert plan.status == CommitmentStatus.OPEN and plan.rescheduled
    assert plan.check_in_on == _in_days(7)  # a window as long as the first
    plan_come_due(plan)
    services.commitment_check_in(user=employee, commitment=plan, arose=False)
    plan.refresh_from_db()
    assert plan.status == CommitmentStatus.NOT_ARISEN and plan.reported_at is not None
    assert not XpEvent.objects.filter(source__startswith="follow-through").exists()


def test_a_second_window_can_have_its_own_date(employee, module):
    plan = plan_make(employee, module)
    plan_come_due(plan)
    services.commitment_check_in(
        user=employee, commitment=plan, arose=False, new_check_in_on=_in_days(12)
    )
    plan.refresh_from_db()
    assert plan.check_in_on == _in_days(12)


def test_a_plan_that_came_up_but_was_not_acted_on_closes_without_xp(employee, module):
    plan = plan_make(employee, module)
    plan_come_due(plan)
    services.commitment_check_in(user=employee, commitment=plan, status="not_yet")
    plan.refresh_from_db()
    assert plan.status == CommitmentStatus.NOT_YET and plan.arose is True
    assert not XpEvent.objects.filter(source__startswith="follow-through").exists()


def test_follow_through_xp_is_capped_per_week(employee):
    plans = [plan_make(employee, build_module(lessons=1)) for _ in range(3)]
    for plan in plans:
        plan_come_due(plan)
        services.commitment_check_in(user=employee, commitment=plan, status="done")
    paid = XpEvent.objects.filter(user=employee, source__startswith="follow-through")
    assert paid.count() == 2
    assert Commitment.objects.filter(user=employee).followed_through().count() == 3


def test_the_database_holds_the_weekly_cap_and_once_per_module(employee):
    plans = [plan_make(employee, build_module(lessons=1)) for _ in range(2)]
    week = datetime.date(2026, 11, 30)
    FollowThroughReward.objects.create(
        user=employee, module=plans[0].module, commitment=plans[0], week=week, slot=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowThroughReward.objects.create(
            user=employee, module=plans[1].module, commitment=plans[1], week=week, slot=3
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowThroughReward.objects.create(
            user=employee, module=plans[0].module, commitment=plans[1], week=week, slot=2
        )


def test_followed_through_counts_only_check_ins_on_or_after_the_date(employee, module):
    plan = plan_make(employee, module)
    # An early "done" from before this rule existed: reported before the check-in date.
    Commitment.objects.filter(pk=plan.pk).update(
        status="done", reported_at=timezone.now() - datetime.timedelta(days=3)
    )
    assert not Commitment.objects.filter(pk=plan.pk).followed_through().exists()
    Commitment.objects.filter(pk=plan.pk).update(check_in_on=timezone.localdate())
    Commitment.objects.filter(pk=plan.pk).update(reported_at=timezone.now())
    assert Commitment.objects.filter(pk=plan.pk).followed_through().exists()


def test_the_farming_sequence_from_issue_12_fails(client):
    """A new learner posts a plan for a module they never opened, with tomorrow's date, then
    checks in "done" at once, for every module: no plan, no XP, nothing followed through."""
    learner = UserFactory()
    client.force_login(learner)
    modules = [build_module(lessons=1) for _ in range(12)]
    for module in modules:
        made = client.post(
            reverse("learning:module-commit", args=[module.slug]),
            {"choice": "own", "text": "x", "situation": "y", "check_in_on": _in_days(1)},
        )
        assert made.status_code == 400 and "Start the module" in made.text
    assert not Commitment.objects.filter(user=learner).exists()
    # Even with one lesson read, the immediate check-in is refused.
    module = modules[0]
    module_start(learner, module)
    xp = _xp(learner)
    client.post(
        reverse("learning:module-commit", args=[module.slug]),
        {"choice": "own", "text": "x", "situation": "y", "check_in_on": _in_days(1)},
    )
    plan = Commitment.objects.get(user=learner)
    checked = client.post(
        reverse("learning:commitment-check-in", args=[plan.pk]), {"arose": "yes", "status": "done"}
    )
    assert checked.status_code == 400 and "You can check in on this plan from" in checked.text
    plan.refresh_from_db()
    assert plan.status == CommitmentStatus.OPEN
    assert not XpEvent.objects.filter(user=learner, source__startswith="follow-through").exists()
    assert _xp(learner) == xp
    assert not Commitment.objects.filter(FOLLOWED_THROUGH).exists()


def test_the_check_in_page_tells_an_early_visitor_when_to_come_back(client, employee, module):
    plan = plan_make(employee, module, days=4)
    client.force_login(employee)
    page = client.get(reverse("learning:commitment-check-in", args=[plan.pk]))
    assert "You can check in on this plan from" in page.text and 'name="arose"' not in page.text


def test_the_check_in_form_asks_whether_it_came_up(client, employee, module):
    plan = plan_make(employee, module)
    plan_come_due(plan)
    client.force_login(employee)
    url = reverse("learning:commitment-check-in", args=[plan.pk])
    missing = client.post(url, {"arose": "yes"})
    assert missing.status_code == 400 and "Choose what you did" in missing.text
    done = client.post(url, {"arose": "yes", "status": "partly", "went": "mixed"})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.went) == ("partly", "mixed")


def test_plan_outcomes_are_aggregate_only_for_five_or_more(employee):
    module = build_module(lessons=1)
    people = [UserFactory() for _ in range(5)]
    for index, person in enumerate(people):
        plan = plan_make(person, module)
        plan_come_due(plan)
        if index < 4:
            services.commitment_check_in(
                user=person, commitment=plan, status="done" if index < 3 else "not_yet"
            )
        else:
            services.commitment_check_in(user=person, commitment=plan, arose=False)
            plan_come_due(plan)
            services.commitment_check_in(user=person, commitment=plan, arose=False)
    # The insights pages read the figures from the stored, cell-protected sums.
    report_figures_refresh(scopes=[ORG])
    (shown,) = insights.insights_report(reports.Filters()).value.plans
    assert (shown["reported"], shown["arose_rate"], shown["acted_rate"]) == (5, 80, 75)
    # One person fewer and the plans are not shown at all.
    people[0].is_active = False
    people[0].save()
    report_figures_refresh(scopes=[ORG])
    assert insights.insights_report(reports.Filters()).value.plans == []

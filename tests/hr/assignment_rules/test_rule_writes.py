"""Assignment rules, called directly: creating a rule, changing its due date and withdrawing
it, with every assignment row, count and audit row written out."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from allyship.models import AuditEntry
from learning.assignments import (
    RuleOutcome,
    assign_rule_members,
    assignment_rule_create,
    assignment_rule_set_due_date,
    assignment_rule_withdraw,
)
from learning.models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    CourseProgress,
    LearningSummary,
)
from tests.factories import UserFactory
from tests.hr.assignment_rules.conftest import EARLIER, NOW, audit_rows, department_rule, rows

pytestmark = pytest.mark.django_db


# Creating a rule -----------------------------------------------------------------------------


def test_a_department_rule_assigns_the_new_revives_the_withdrawn_and_keeps_the_rest(
    hr, course, sales
):
    other_hr = UserFactory(email="other.hr@test.example", hr=True)
    ana = UserFactory(email="ana@test.example", department=sales)
    bo = UserFactory(email="bo@test.example", department=sales)
    gia = UserFactory(email="gia@test.example", department=sales)
    UserFactory(email="gone@test.example", department=sales, is_active=False)
    UserFactory(email="engineer@test.example")
    Assignment.objects.create(
        user=ana, course=course, due_on=date(2026, 12, 1), assigned_by=other_hr, assigned_at=EARLIER
    )
    Assignment.objects.create(
        user=gia,
        course=course,
        due_on=date(2026, 11, 30),
        assigned_by=other_hr,
        assigned_at=EARLIER,
        withdrawn_at=EARLIER,
    )
    outcome = assignment_rule_create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=sales,
        due_on=date(2026, 12, 4),
        acting_user=hr,
    )
    rule = AssignmentRule.objects.get()
    assert outcome == RuleOutcome(rule=rule, assigned=2, already_assigned=1)
    assert (
        rule.course,
        rule.scope,
        rule.department,
        rule.team_manager,
        rule.due_on,
        rule.created_by,
        rule.group_key,
        rule.withdrawn_at,
    ) == (course, "department", sales, None, date(2026, 12, 4), hr, f"department:{sales.pk}", None)
    assert rows(course) == {
        "ana@test.example": (None, date(2026, 12, 1), "other.hr@test.example", EARLIER, None),
        "bo@test.example": (rule.pk, date(2026, 12, 4), "hr@test.example", NOW, None),
        "gia@test.example": (rule.pk, date(2026, 12, 4), "hr@test.example", NOW, None),
    }
    summaries = LearningSummary.objects.filter(user__in=[bo, gia]).order_by("user__email")
    assert [(s.assigned, s.next_due_on) for s in summaries] == [
        (1, date(2026, 12, 4)),
        (1, date(2026, 12, 4)),
    ]
    assert audit_rows() == [
        (
            "hr@test.example",
            "assignment.create",
            "Speaking up: The Sales department",
            "",
            "due 2026-12-04; 2 assigned, 1 already had it",
        )
    ]


def test_a_rule_due_today_is_made(hr, course):
    outcome = assignment_rule_create(
        course=course, scope=AssignmentScope.EVERYONE, due_on=date(2026, 11, 24), acting_user=hr
    )
    assert (outcome.assigned, outcome.already_assigned) == (1, 0)
    assert rows(course) == {
        "hr@test.example": (outcome.rule.pk, date(2026, 11, 24), "hr@test.example", NOW, None)
    }


def test_chosen_people_named_twice_are_assigned_once(hr, course):
    emma = UserFactory(email="emma@test.example")
    oscar = UserFactory(email="oscar@test.example")
    Assignment.objects.create(user=oscar, course=course, due_on=date(2026, 12, 1))
    outcome = assignment_rule_create(
        course=course,
        scope=AssignmentScope.PEOPLE,
        people=[oscar, emma, emma],
        due_on=date(2026, 12, 4),
        acting_user=hr,
    )
    ids = f"{emma.pk},{oscar.pk}"
    assert outcome.rule.group_key == "people:" + hashlib.sha256(ids.encode()).hexdigest()
    assert (outcome.assigned, outcome.already_assigned) == (1, 1)
    assert rows(course)["emma@test.example"][:3] == (
        outcome.rule.pk,
        date(2026, 12, 4),
        "hr@test.example",
    )
    assert audit_rows() == [
        (
            "hr@test.example",
            "assignment.create",
            "Speaking up: Chosen people",
            "",
            "due 2026-12-04; 1 assigned, 1 already had it",
        )
    ]


def test_each_group_rule_is_keyed_and_audited_by_its_group(hr, course, org, sales):
    def create(scope, **group):
        outcome = assignment_rule_create(
            course=course, scope=scope, due_on=date(2026, 12, 4), acting_user=None, **group
        )
        return outcome.rule.group_key, outcome.assigned, outcome.already_assigned

    made = [
        create(AssignmentScope.TEAM, team_manager=org["ray"]),
        create(AssignmentScope.DEPARTMENT, department=sales),
        create(AssignmentScope.PEOPLE_LEADERS),
        create(AssignmentScope.EVERYONE),
    ]
    assert made == [
        (f"team:{org['ray'].pk}", 1, 0),  # Gia
        (f"department:{sales.pk}", 1, 1),  # Ana; Gia has it
        ("people-leaders", 2, 0),  # Lee and Ray
        ("everyone", 2, 4),  # Hana and Pat
    ]
    assert audit_rows() == [
        (None, "assignment.create", target, "", new)
        for target, new in [
            ("Speaking up: Ray Report's team", "due 2026-12-04; 1 assigned, 0 already had it"),
            ("Speaking up: The Sales department", "due 2026-12-04; 1 assigned, 1 already had it"),
            ("Speaking up: People leaders", "due 2026-12-04; 2 assigned, 0 already had it"),
            ("Speaking up: Everyone", "due 2026-12-04; 2 assigned, 4 already had it"),
        ]
    ]


def test_giving_members_without_reviving_leaves_a_withdrawn_assignment_withdrawn(
    hr, course, other_course
):
    rule = AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 4),
        created_by=hr,
        group_key="everyone",
    )
    ana = UserFactory(email="ana@test.example")
    bo = UserFactory(email="bo@test.example")
    gia = UserFactory(email="gia@test.example")
    Assignment.objects.create(
        user=ana, course=course, due_on=date(2026, 12, 1), assigned_at=EARLIER
    )
    Assignment.objects.create(
        user=gia,
        course=course,
        due_on=date(2026, 11, 30),
        assigned_at=EARLIER,
        withdrawn_at=EARLIER,
    )
    Assignment.objects.create(user=bo, course=other_course, due_on=date(2026, 12, 2))
    ids = [bo.pk, ana.pk, gia.pk]
    assert assign_rule_members(rule, ids, due_on=date(2026, 12, 9), revive=False) == (1, 2)
    assert rows(course) == {
        "ana@test.example": (None, date(2026, 12, 1), None, EARLIER, None),
        "bo@test.example": (rule.pk, date(2026, 12, 9), "hr@test.example", NOW, None),
        "gia@test.example": (None, date(2026, 11, 30), None, EARLIER, EARLIER),
    }
    # Reviving, the withdrawn one comes back under the rule and counts as newly assigned.
    assert assign_rule_members(rule, ids, due_on=date(2026, 12, 11), revive=True) == (1, 2)
    assert rows(course) == {
        "ana@test.example": (None, date(2026, 12, 1), None, EARLIER, None),
        "bo@test.example": (rule.pk, date(2026, 12, 9), "hr@test.example", NOW, None),
        "gia@test.example": (rule.pk, date(2026, 12, 11), "hr@test.example", NOW, None),
    }


# Changing the due date -----------------------------------------------------------------------


@pytest.fixture
def sales_rule(hr, course, other_course, sales):
    """A Sales rule due 4 December for Ana, Bo (completed) and Cy (withdrawn on the 20th);
    Ana also has another course due 10 December."""
    rule = department_rule(course, sales, due_on=date(2026, 12, 4), created_by=hr)
    people = {}
    for name, withdrawn in [("ana", None), ("bo", None), ("cy", EARLIER)]:
        people[name] = UserFactory(email=f"{name}@test.example", department=sales)
        Assignment.objects.create(
            user=people[name],
            course=course,
            rule=rule,
            due_on=date(2026, 12, 4),
            assigned_by=hr,
            assigned_at=EARLIER,
            withdrawn_at=withdrawn,
        )
    CourseProgress.objects.create(
        user=people["bo"], course=course, percent=100, completed_at=EARLIER
    )
    other = AssignmentRule.objects.create(
        course=other_course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 10),
        group_key="everyone",
    )
    Assignment.objects.create(
        user=people["ana"], course=other_course, rule=other, due_on=date(2026, 12, 10)
    )
    return rule


def test_a_new_due_date_moves_the_rules_assignments_that_are_not_withdrawn(
    hr, course, other_course, sales_rule
):
    moved = assignment_rule_set_due_date(rule=sales_rule, due_on=date(2027, 1, 15), acting_user=hr)
    assert (moved.pk, moved.due_on) == (sales_rule.pk, date(2027, 1, 15))
    assert AssignmentRule.objects.get(pk=sales_rule.pk).due_on == date(2027, 1, 15)
    # Completed or not, every live one moves (the date no longer matters to a completer).
    assert rows(course) == {
        "ana@test.example": (sales_rule.pk, date(2027, 1, 15), "hr@test.example", EARLIER, None),
        "bo@test.example": (sales_rule.pk, date(2027, 1, 15), "hr@test.example", EARLIER, None),
        "cy@test.example": (sales_rule.pk, date(2026, 12, 4), "hr@test.example", EARLIER, EARLIER),
    }
    assert [a.due_on for a in Assignment.objects.filter(course=other_course)] == [
        date(2026, 12, 10)
    ]
    assert LearningSummary.objects.get(user__email="ana@test.example").open_due_dates == [
        "2026-12-10",
        "2027-01-15",
    ]
    assert audit_rows() == [
        (
            "hr@test.example",
            "assignment.due_date",
            "Speaking up: The Sales department",
            "2026-12-04",
            "2027-01-15",
        )
    ]


def test_the_same_due_date_again_changes_nothing_and_is_not_audited(hr, course, sales_rule):
    before = rows(course)
    same = assignment_rule_set_due_date(rule=sales_rule, due_on=date(2026, 12, 4), acting_user=hr)
    assert same.due_on == date(2026, 12, 4)
    assert rows(course) == before
    assert not AuditEntry.objects.exists()


def test_a_due_date_can_move_to_today_but_not_to_yesterday(hr, course, sales_rule):
    with pytest.raises(ValidationError) as caught:
        assignment_rule_set_due_date(rule=sales_rule, due_on=date(2026, 11, 23), acting_user=hr)
    assert caught.value.message_dict == {"due_on": ["Choose a due date from today onwards."]}
    assert AssignmentRule.objects.get(pk=sales_rule.pk).due_on == date(2026, 12, 4)
    assert not AuditEntry.objects.exists()
    assignment_rule_set_due_date(rule=sales_rule, due_on=date(2026, 11, 24), acting_user=hr)
    assert rows(course)["ana@test.example"][1] == date(2026, 11, 24)


# Withdrawing ---------------------------------------------------------------------------------


def test_withdrawing_a_rule_withdraws_its_live_assignments_and_counts_them(
    hr, course, other_course, sales_rule, clock
):
    assert assignment_rule_withdraw(rule=sales_rule, acting_user=hr) == 2
    assert AssignmentRule.objects.get(pk=sales_rule.pk).withdrawn_at == NOW
    assert rows(course) == {
        "ana@test.example": (sales_rule.pk, date(2026, 12, 4), "hr@test.example", EARLIER, NOW),
        "bo@test.example": (sales_rule.pk, date(2026, 12, 4), "hr@test.example", EARLIER, NOW),
        # Withdrawn before: keeps the moment it was.
        "cy@test.example": (sales_rule.pk, date(2026, 12, 4), "hr@test.example", EARLIER, EARLIER),
    }
    assert [a.withdrawn_at for a in Assignment.objects.filter(course=other_course)] == [None]
    assert LearningSummary.objects.get(user__email="ana@test.example").open_due_dates == [
        "2026-12-10"
    ]
    expected_audit = [
        (
            "hr@test.example",
            "assignment.withdraw",
            "Speaking up: The Sales department",
            "due 2026-12-04; 2 people",
            "withdrawn",
        )
    ]
    assert audit_rows() == expected_audit
    # Again, an hour later: nothing more happens, and the first moment stays.
    clock.advance(hours=1)
    assert assignment_rule_withdraw(rule=sales_rule, acting_user=hr) == 0
    assert AssignmentRule.objects.get(pk=sales_rule.pk).withdrawn_at == NOW
    assert rows(course)["ana@test.example"][4] == NOW
    assert audit_rows() == expected_audit


def test_withdrawing_a_rule_that_reached_nobody_counts_none_and_is_audited(hr, course, sales):
    rule = department_rule(course, sales, due_on=date(2026, 12, 4), created_by=hr)
    assert assignment_rule_withdraw(rule=rule, acting_user=None) == 0
    assert AssignmentRule.objects.get(pk=rule.pk).withdrawn_at == NOW
    assert audit_rows() == [
        (
            None,
            "assignment.withdraw",
            "Speaking up: The Sales department",
            "due 2026-12-04; 0 people",
            "withdrawn",
        )
    ]


def test_reviving_a_withdrawn_assignment_leaves_the_persons_other_courses_alone(
    hr, course, other_course, sales
):
    gia = UserFactory(email="gia@test.example", department=sales)
    for withdrawn in (course, other_course):
        Assignment.objects.create(
            user=gia,
            course=withdrawn,
            due_on=date(2026, 11, 30),
            assigned_at=EARLIER,
            withdrawn_at=EARLIER,
        )
    outcome = assignment_rule_create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=sales,
        due_on=date(2026, 12, 4),
        acting_user=hr,
    )
    assert (outcome.assigned, outcome.already_assigned) == (1, 0)
    assert rows(other_course) == {
        "gia@test.example": (None, date(2026, 11, 30), None, EARLIER, EARLIER)
    }

"""Which assignment rules are refused, with the message that says why (nothing is saved),
and which groups count as the same rule."""

import pytest
from django.core.exceptions import ValidationError

from allyship.models import AuditEntry
from learning.assignments import (
    assignment_rule_create,
)
from learning.models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.hr.factories import days

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kwargs, errors",
    [
        ({"scope": AssignmentScope.DEPARTMENT}, {"department": ["Choose a department."]}),
        ({"scope": AssignmentScope.TEAM}, {"team_manager": ["Enter the manager's email address."]}),
        (
            {"scope": AssignmentScope.PEOPLE, "people": []},
            {"people": ["Enter at least one person's email address."]},
        ),
        ({"scope": "nonsense"}, {"scope": ["Choose who the course is for."]}),
        (
            {"scope": AssignmentScope.EVERYONE, "due_on": days(-1)},
            {"due_on": ["Choose a due date from today onwards."]},
        ),
        ({"scope": AssignmentScope.EVERYONE, "due_on": None}, {"due_on": ["Choose a due date."]}),
        (
            {"scope": AssignmentScope.EVERYONE, "due_on": days(2 * 366 + 1)},
            {"due_on": ["Choose a due date within the next two years."]},
        ),
    ],
)
def test_invalid_assignments_are_refused_and_nothing_is_saved(hr, course, kwargs, errors):
    kwargs = {"due_on": days(5), **kwargs}
    with pytest.raises(ValidationError) as caught:
        assignment_rule_create(course=course, acting_user=hr, **kwargs)
    assert caught.value.message_dict == errors
    assert not Assignment.objects.exists() and not AuditEntry.objects.exists()


def test_a_retired_course_cannot_be_assigned(hr, course):
    course.retired = True
    course.save()
    with pytest.raises(ValidationError) as caught:
        assignment_rule_create(
            course=course, scope=AssignmentScope.EVERYONE, due_on=days(5), acting_user=hr
        )
    assert caught.value.message_dict == {"course": ["This course has been retired."]}
    assert not AssignmentRule.objects.exists()


def test_people_who_have_left_are_named_and_nothing_is_assigned(hr, course, employee):
    gone = UserFactory(email="gone@test.example", is_active=False)
    also_gone = UserFactory(email="also.gone@test.example", is_active=False)
    with pytest.raises(ValidationError) as caught:
        assignment_rule_create(
            course=course,
            scope=AssignmentScope.PEOPLE,
            people=[employee, gone, also_gone],
            due_on=days(5),
            acting_user=hr,
        )
    assert caught.value.message_dict == {
        "people": [
            "These people have left and cannot be assigned: gone@test.example, "
            "also.gone@test.example"
        ]
    }
    assert not Assignment.objects.exists()


def test_only_active_reports_make_a_team_or_people_leaders(hr, course):
    lead = UserFactory(email="lead@test.example")
    UserFactory(manager=lead, is_active=False)
    with pytest.raises(ValidationError) as caught:
        assignment_rule_create(
            course=course,
            scope=AssignmentScope.TEAM,
            team_manager=lead,
            due_on=days(5),
            acting_user=hr,
        )
    assert caught.value.message_dict == {"team_manager": [f"{lead} has nobody reporting to them."]}
    # An active person reporting to someone who has left does not make a people leader either.
    gone_lead = UserFactory(is_active=False)
    UserFactory(manager=gone_lead)
    people_leaders_refused = {
        "scope": ["Nobody has an active report yet, so there are no people leaders."]
    }
    with pytest.raises(ValidationError) as caught:
        assignment_rule_create(
            course=course,
            scope=AssignmentScope.PEOPLE_LEADERS,
            due_on=days(5),
            acting_user=hr,
        )
    assert caught.value.message_dict == people_leaders_refused
    assert not AssignmentRule.objects.exists()


def test_each_department_and_team_is_its_own_group(hr, course, manager, employee):
    sales, legal = DepartmentFactory(name="Sales"), DepartmentFactory(name="Legal")
    boss = manager.manager

    def create(scope, **group):
        return assignment_rule_create(
            course=course, scope=scope, due_on=days(5), acting_user=hr, **group
        ).rule

    for department in (sales, legal):
        create(AssignmentScope.DEPARTMENT, department=department)
    for lead in (boss, manager):
        create(AssignmentScope.TEAM, team_manager=lead)
    # A form may post a department and a manager with another scope: they are not kept.
    everyone = create(AssignmentScope.EVERYONE, department=sales, team_manager=manager)
    assert (everyone.department, everyone.team_manager) == (None, None)
    rules = AssignmentRule.objects.order_by("pk")
    assert [(r.scope, r.department, r.team_manager) for r in rules] == [
        (AssignmentScope.DEPARTMENT, sales, None),
        (AssignmentScope.DEPARTMENT, legal, None),
        (AssignmentScope.TEAM, None, boss),
        (AssignmentScope.TEAM, None, manager),
        (AssignmentScope.EVERYONE, None, None),
    ]


def test_a_team_needs_a_manager_with_reports(hr, course, outsider):
    with pytest.raises(ValidationError, match="nobody reporting"):
        assignment_rule_create(
            course=course,
            scope=AssignmentScope.TEAM,
            team_manager=outsider,
            due_on=days(5),
            acting_user=hr,
        )


def test_people_leaders_cannot_be_assigned_when_nobody_has_a_report(hr, course, outsider):
    with pytest.raises(ValidationError) as caught:
        assignment_rule_create(
            course=course, scope=AssignmentScope.PEOPLE_LEADERS, due_on=days(5), acting_user=hr
        )
    assert caught.value.message_dict["scope"] == [
        "Nobody has an active report yet, so there are no people leaders."
    ]
    assert not Assignment.objects.exists() and not AuditEntry.objects.exists()


def test_the_same_people_in_another_order_are_the_same_rule(hr, course, employee, outsider):
    def assign(people):
        return assignment_rule_create(
            course=course,
            scope=AssignmentScope.PEOPLE,
            people=people,
            due_on=days(20),
            acting_user=hr,
        )

    assign([employee, outsider])
    with pytest.raises(ValidationError) as caught:
        assign([outsider, employee])
    assert caught.value.code == "duplicate_rule"
    assert caught.value.messages == [
        f"“{course.title}” is already assigned to these same people (due "
        f"{days(20):%-d %B %Y}), so nothing new was made. To change the due date, open that "
        "assignment from the list of assignments."
    ]
    assign([employee])  # a different set of people is a different rule

"""Assignment rules, called directly: how a group is described and who is in it, and what
is refused (due dates, groups that do not exist, a second live rule for the same group)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from allyship.models import Department
from learning.assignments import (
    _refuse_a_second_live_rule,
    _validate_due_on,
    _validate_group,
    rule_group_description,
    rule_members,
)
from learning.models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
)
from tests.factories import UserFactory
from tests.hr.assignment_rules.conftest import EARLIER, emails

pytestmark = pytest.mark.django_db


# Describing and listing a group ------------------------------------------------------------


def test_each_kind_of_group_is_described_in_words(sales):
    lee = UserFactory(full_name="Lee Lead", email="lee@test.example")
    scope = AssignmentScope
    described = [
        rule_group_description(AssignmentRule(**fields))
        for fields in [
            {"scope": scope.DEPARTMENT, "department": sales},
            {"scope": scope.TEAM, "team_manager": lee},
            {"scope": scope.PEOPLE_LEADERS},
            {"scope": scope.EVERYONE},
            {"scope": scope.PEOPLE},
            # A group whose department or manager is missing says no more than "chosen".
            {"scope": scope.DEPARTMENT},
            {"scope": scope.TEAM},
            # A department or manager on a rule of another kind is not what it is for.
            {"scope": scope.EVERYONE, "department": sales, "team_manager": lee},
            {"scope": scope.PEOPLE_LEADERS, "department": sales, "team_manager": lee},
            {"scope": scope.PEOPLE, "department": sales, "team_manager": lee},
            {"scope": scope.TEAM, "department": sales},
            {"scope": scope.DEPARTMENT, "team_manager": lee},
        ]
    ]
    assert described == [
        "The Sales department",
        "Lee Lead's team",
        "People leaders",
        "Everyone",
        "Chosen people",
        "Chosen people",
        "Chosen people",
        "Everyone",
        "People leaders",
        "Chosen people",
        "Chosen people",
        "Chosen people",
    ]


def test_each_group_has_its_active_members_only(org, sales):
    scope = AssignmentScope

    def members(**fields):
        return emails(rule_members(AssignmentRule(**fields)))

    assert members(scope=scope.DEPARTMENT, department=sales) == [
        "ana@test.example",
        "gia@test.example",
    ]
    # The whole team below the manager, at any depth; not the manager.
    assert members(scope=scope.TEAM, team_manager=org["lee"]) == [
        "gia@test.example",
        "ray@test.example",
    ]
    assert members(scope=scope.TEAM, team_manager=org["ray"]) == ["gia@test.example"]
    # Ana's only report has left; Olga has left herself.
    assert members(scope=scope.PEOPLE_LEADERS) == ["lee@test.example", "ray@test.example"]
    assert members(scope=scope.EVERYONE) == [
        "ana@test.example",
        "gia@test.example",
        "lee@test.example",
        "pat@test.example",
        "ray@test.example",
    ]


def test_a_people_rule_has_its_own_assignees_who_are_still_here(org, course, other_course):
    rule = AssignmentRule.objects.create(
        course=course, scope=AssignmentScope.PEOPLE, due_on=date(2026, 12, 4), group_key="p:1"
    )
    other = AssignmentRule.objects.create(
        course=other_course, scope=AssignmentScope.PEOPLE, due_on=date(2026, 12, 4), group_key="p:2"
    )
    for person in ("ray", "ivy", "ana"):
        Assignment.objects.create(user=org[person], course=course, rule=rule, due_on=rule.due_on)
    Assignment.objects.create(user=org["pat"], course=other_course, rule=other, due_on=rule.due_on)
    Assignment.objects.create(user=org["lee"], course=course, due_on=rule.due_on)  # no rule
    assert emails(rule_members(rule)) == ["ana@test.example", "ray@test.example"]


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "due_on", [date(2026, 11, 24), date(2026, 11, 25), date(2028, 11, 24), date(2028, 11, 25)]
)
def test_a_due_date_from_today_to_two_years_ahead_is_accepted(due_on):
    # Two years is 732 days: 24 November 2026 + 732 days is 25 November 2028 (2028 is leap).
    assert _validate_due_on(due_on) == due_on


@pytest.mark.parametrize(
    "due_on, message",
    [
        (None, "Choose a due date."),
        (date(2026, 11, 23), "Choose a due date from today onwards."),
        (date(2025, 1, 1), "Choose a due date from today onwards."),
        (date(2028, 11, 26), "Choose a due date within the next two years."),
    ],
)
def test_a_missing_past_or_far_due_date_is_refused(due_on, message):
    with pytest.raises(ValidationError) as caught:
        _validate_due_on(due_on)
    assert caught.value.message_dict == {"due_on": [message]}


def test_groups_that_exist_are_accepted(org, sales):
    def accepted(scope, department=None, team_manager=None, people=None):
        return _validate_group(
            scope=scope, department=department, team_manager=team_manager, people=people
        )

    assert accepted(AssignmentScope.EVERYONE) is None
    assert accepted(AssignmentScope.PEOPLE_LEADERS) is None
    assert accepted(AssignmentScope.DEPARTMENT, department=sales) is None
    # An empty department is still a department: later joiners will receive the rule.
    assert (
        accepted(AssignmentScope.DEPARTMENT, department=Department.objects.create(name="Legal"))
        is None
    )
    assert accepted(AssignmentScope.TEAM, team_manager=org["ray"]) is None
    assert accepted(AssignmentScope.PEOPLE, people=[org["ana"], org["pat"]]) is None


def test_groups_that_do_not_exist_are_refused_with_the_reason(org):
    def refused(scope, department=None, team_manager=None, people=None):
        with pytest.raises(ValidationError) as caught:
            _validate_group(
                scope=scope, department=department, team_manager=team_manager, people=people
            )
        return caught.value.message_dict

    assert refused("") == {"scope": ["Choose who the course is for."]}
    assert refused("Everyone") == {"scope": ["Choose who the course is for."]}
    assert refused(AssignmentScope.DEPARTMENT) == {"department": ["Choose a department."]}
    assert refused(AssignmentScope.TEAM) == {"team_manager": ["Enter the manager's email address."]}
    # Ana's only report has left; Gia has nobody at all.
    assert refused(AssignmentScope.TEAM, team_manager=org["ana"]) == {
        "team_manager": ["Ana Seller has nobody reporting to them."]
    }
    assert refused(AssignmentScope.TEAM, team_manager=org["gia"]) == {
        "team_manager": ["Gia Grand has nobody reporting to them."]
    }
    assert refused(AssignmentScope.PEOPLE) == {
        "people": ["Enter at least one person's email address."]
    }
    assert refused(AssignmentScope.PEOPLE, people=[org["ana"], org["sam"]]) == {
        "people": ["These people have left and cannot be assigned: sam@test.example"]
    }
    assert refused(AssignmentScope.PEOPLE, people=[org["sam"], org["ana"], org["ivy"]]) == {
        "people": [
            "These people have left and cannot be assigned: sam@test.example, ivy@test.example"
        ]
    }


def test_people_leaders_need_an_active_person_with_an_active_manager():
    lead = UserFactory(email="lead@test.example")
    UserFactory(email="left@test.example", manager=lead, is_active=False)
    gone_lead = UserFactory(email="gone.lead@test.example", is_active=False)
    UserFactory(email="stays@test.example", manager=gone_lead)
    with pytest.raises(ValidationError) as caught:
        _validate_group(
            scope=AssignmentScope.PEOPLE_LEADERS, department=None, team_manager=None, people=None
        )
    assert caught.value.message_dict == {
        "scope": ["Nobody has an active report yet, so there are no people leaders."]
    }


@pytest.mark.parametrize(
    "scope, group",
    [
        (AssignmentScope.DEPARTMENT, "the Sales department"),
        (AssignmentScope.TEAM, "Lee Lead's team"),
        (AssignmentScope.PEOPLE_LEADERS, "People leaders"),
        (AssignmentScope.EVERYONE, "everyone"),
        (AssignmentScope.PEOPLE, "these same people"),
    ],
)
def test_a_second_live_rule_for_the_same_group_names_the_first(course, sales, scope, group):
    lee = UserFactory(full_name="Lee Lead", email="lee@test.example")
    AssignmentRule.objects.create(
        course=course,
        scope=scope,
        department=sales if scope == AssignmentScope.DEPARTMENT else None,
        team_manager=lee if scope == AssignmentScope.TEAM else None,
        due_on=date(2026, 12, 4),
        group_key="the-group",
    )
    with pytest.raises(ValidationError) as caught:
        _refuse_a_second_live_rule(course, "the-group")
    assert caught.value.code == "duplicate_rule"
    assert caught.value.messages == [
        f"“Speaking up” is already assigned to {group} (due 4 December 2026), so nothing new "
        "was made. To change the due date, open that assignment from the list of assignments."
    ]


def test_a_withdrawn_rule_or_another_courses_rule_is_no_second_rule(course, other_course):
    AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 4),
        group_key="everyone",
        withdrawn_at=EARLIER,
    )
    AssignmentRule.objects.create(
        course=other_course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 4),
        group_key="everyone",
    )
    assert _refuse_a_second_live_rule(course, "everyone") is None

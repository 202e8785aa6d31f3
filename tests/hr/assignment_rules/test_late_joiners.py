"""Assignment rules, called directly: what a late joiner of a group receives, when it is due,
and which rules reach them."""

import datetime
from datetime import date

import pytest

from learning.assignments import (
    assignment_rules_apply,
    late_joiner_due_on,
)
from learning.models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    LearningSummary,
)
from tests.factories import UserFactory
from tests.hr.assignment_rules.conftest import EARLIER, NOW, department_rule, given, rows

pytestmark = pytest.mark.django_db


# Late joiners --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "created_on, due_on, today, joiner_due_on",
    [
        # Made ten days ago, due in twenty: the group had thirty days, and so does a joiner.
        (date(2026, 11, 14), date(2026, 12, 14), date(2026, 11, 24), date(2026, 12, 24)),
        # Made today: a joiner today has exactly the group's window.
        (date(2026, 11, 24), date(2026, 12, 9), date(2026, 11, 24), date(2026, 12, 9)),
        (date(2026, 11, 24), date(2026, 12, 8), date(2026, 11, 24), date(2026, 12, 8)),
        # A window shorter than fourteen days is stretched to fourteen.
        (date(2026, 11, 24), date(2026, 12, 7), date(2026, 11, 24), date(2026, 12, 8)),
        (date(2026, 11, 24), date(2026, 11, 24), date(2026, 11, 24), date(2026, 12, 8)),
        # A rule already past its due date still gives a joiner its nineteen days.
        (date(2026, 10, 1), date(2026, 10, 20), date(2026, 11, 24), date(2026, 12, 13)),
        # Never earlier than the rule's own due date.
        (date(2026, 11, 24), date(2026, 12, 24), date(2026, 11, 20), date(2026, 12, 24)),
    ],
)
def test_a_late_joiner_has_as_long_as_the_group_first_had(created_on, due_on, today, joiner_due_on):
    made = datetime.datetime.combine(created_on, datetime.time(9), tzinfo=datetime.UTC)
    rule = AssignmentRule(created_at=made, due_on=due_on)
    assert late_joiner_due_on(rule, today) == joiner_due_on


def test_the_window_starts_on_the_day_the_rule_was_made_where_it_was_made(settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # 23:30 UTC on the 13th is the 14th there
    made = datetime.datetime(2026, 11, 13, 23, 30, tzinfo=datetime.UTC)
    rule = AssignmentRule(created_at=made, due_on=date(2026, 12, 14))
    assert late_joiner_due_on(rule, date(2026, 11, 24)) == date(2026, 12, 24)


def test_a_late_joiner_receives_the_groups_course_once(hr, course, sales):
    rule = department_rule(
        course,
        sales,
        due_on=date(2026, 12, 14),
        created_by=hr,
        created_at=datetime.datetime(2026, 11, 14, 9, 0, tzinfo=datetime.UTC),
    )
    bo = UserFactory(email="bo@test.example", department=sales)
    UserFactory(email="cy@test.example", department=sales)  # joins too, checked another time
    UserFactory(email="engineer@test.example")
    UserFactory(email="gone@test.example", department=sales, is_active=False)
    assert assignment_rules_apply(user=bo) == 1
    assert given(course) == {
        "bo@test.example": (rule.pk, date(2026, 12, 24), "hr@test.example", None)
    }
    assert LearningSummary.objects.get(user=bo).next_due_on == date(2026, 12, 24)
    assert assignment_rules_apply(user=bo) == 0
    assert given(course) == {
        "bo@test.example": (rule.pk, date(2026, 12, 24), "hr@test.example", None)
    }


def test_a_late_joiner_whose_earlier_assignment_was_withdrawn_gets_the_course_back(
    hr, course, sales
):
    bo = UserFactory(email="bo@test.example")
    earlier = AssignmentRule.objects.create(
        course=course, scope=AssignmentScope.PEOPLE, due_on=date(2026, 12, 1), created_at=EARLIER
    )
    Assignment.objects.create(
        user=bo, course=course, rule=earlier, due_on=date(2026, 12, 1), withdrawn_at=EARLIER
    )
    rule = department_rule(course, sales, due_on=date(2026, 12, 14), created_by=hr)
    bo.department = sales
    bo.save()
    assert assignment_rules_apply(user=bo) == 1
    assert rows(course) == {
        "bo@test.example": (rule.pk, date(2026, 12, 14), "hr@test.example", NOW, None)
    }
    assert assignment_rules_apply(user=bo) == 0


def test_applying_counts_every_assignment_made_across_rules(hr, course, other_course, sales):
    sales_rule = department_rule(course, sales, due_on=date(2026, 12, 8), created_by=hr)
    everyone = AssignmentRule.objects.create(
        course=other_course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 20),
        created_by=None,
        created_at=NOW,
        group_key="everyone",
    )
    bo = UserFactory(email="bo@test.example", department=sales)
    eve = UserFactory(email="eve@test.example")
    gone = UserFactory(email="gone@test.example", department=sales, is_active=False)
    # Bo twice, and someone who has left: the ids are a set, and only active people count.
    assert assignment_rules_apply(user_ids=[bo.pk, eve.pk, bo.pk, gone.pk]) == 3
    assert given(course) == {
        "bo@test.example": (sales_rule.pk, date(2026, 12, 8), "hr@test.example", None)
    }
    assert given(other_course) == {
        "bo@test.example": (everyone.pk, date(2026, 12, 20), None, None),
        "eve@test.example": (everyone.pk, date(2026, 12, 20), None, None),
    }
    # With nobody named, everyone is checked: only Hana was still missing a course.
    assert assignment_rules_apply() == 1
    assert given(other_course)["hr@test.example"] == (everyone.pk, date(2026, 12, 20), None, None)
    assert assignment_rules_apply() == 0


def test_a_late_joiner_who_already_has_the_course_keeps_their_own(hr, course, sales):
    department_rule(course, sales, due_on=date(2026, 12, 8), created_by=hr)
    bo = UserFactory(email="bo@test.example", department=sales)
    Assignment.objects.create(user=bo, course=course, due_on=date(2026, 12, 1))
    assert assignment_rules_apply(user=bo) == 0
    assert given(course) == {"bo@test.example": (None, date(2026, 12, 1), None, None)}


def test_the_oldest_live_rule_of_a_course_decides_a_joiners_due_date(hr, course, sales):
    older = department_rule(
        course,
        sales,
        due_on=date(2026, 12, 8),
        created_by=hr,
        created_at=datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC),
    )
    AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 31),
        created_at=datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC),
        group_key="everyone",
    )
    bo = UserFactory(email="bo@test.example", department=sales)
    assert assignment_rules_apply(user=bo) == 1
    assert given(course) == {
        "bo@test.example": (older.pk, date(2026, 12, 8), "hr@test.example", None)
    }


def test_withdrawn_rules_and_retired_courses_reach_no_late_joiner(hr, course, other_course, sales):
    department_rule(course, sales, due_on=date(2026, 12, 8), created_by=hr)
    AssignmentRule.objects.create(
        course=other_course,
        scope=AssignmentScope.EVERYONE,
        due_on=date(2026, 12, 8),
        created_at=NOW,
        withdrawn_at=NOW,
        group_key="everyone",
    )
    course.retired = True
    course.save()
    bo = UserFactory(email="bo@test.example", department=sales)
    assert assignment_rules_apply(user=bo) == 0
    assert not Assignment.objects.exists()


def test_applying_to_nobody_or_with_only_people_rules_reads_the_rules_and_stops(
    hr, course, sales, django_assert_num_queries
):
    bo = UserFactory(email="bo@test.example", department=sales)
    rule = AssignmentRule.objects.create(
        course=course, scope=AssignmentScope.PEOPLE, due_on=date(2026, 12, 8), group_key="p:1"
    )
    Assignment.objects.create(user=hr, course=course, rule=rule, due_on=date(2026, 12, 8))
    # A people rule has no later joiners: it is not even looked at.
    with django_assert_num_queries(1):
        assert assignment_rules_apply(user=bo) == 0
    department_rule(course, sales, due_on=date(2026, 12, 8), created_by=hr, created_at=NOW)
    with django_assert_num_queries(1):
        assert assignment_rules_apply(user_ids=[]) == 0
    assert list(Assignment.objects.values_list("user__email", flat=True)) == ["hr@test.example"]

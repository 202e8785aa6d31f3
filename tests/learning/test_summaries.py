"""The stored learning summary: exact after every kind of write, overdue relative to today."""

import datetime

import pytest
from django.utils import timezone

from learning.assignments import (
    assignment_rule_create,
    assignment_rule_set_due_date,
    assignment_rule_withdraw,
    assignment_rules_apply,
)
from learning.models import AssignmentScope, CourseProgress, LearningSummary
from learning.services import course_start
from learning.summaries import (
    learning_summaries_refresh,
    learning_summaries_refresh_for_courses,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.hr.factories import course_with_modules, days

pytestmark = pytest.mark.django_db


def summary(person) -> LearningSummary:
    return LearningSummary.objects.get(user=person)


def test_a_new_person_has_an_empty_summary_with_their_name():
    person = UserFactory(full_name="Nia New")
    found = summary(person)
    assert (found.full_name, found.assigned, found.completion, found.next_due_on) == (
        "Nia New",
        0,
        None,
        None,
    )
    assert found.no_assignments and found.nothing_due


def test_assignment_rules_keep_the_summary_exact(hr):
    sales = DepartmentFactory(name="Sales")
    course = course_with_modules(1, slug="c-one")
    person = UserFactory(department=sales)
    outcome = assignment_rule_create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=sales,
        due_on=days(10),
        acting_user=hr,
    )
    assert (summary(person).assigned, summary(person).next_due_on) == (1, days(10))
    assignment_rule_set_due_date(rule=outcome.rule, due_on=days(20), acting_user=hr)
    assert summary(person).next_due_on == days(20)
    late = UserFactory(department=sales)
    assignment_rules_apply(user=late)
    assert summary(late).assigned == 1
    assignment_rule_withdraw(rule=outcome.rule, acting_user=hr)
    assert summary(person).assigned == 0 and summary(person).nothing_due


def test_progress_completion_and_retiring_a_course_update_the_summary(hr, employee):
    course = course_with_modules(1, slug="c-two")
    other = course_with_modules(1, slug="c-three")
    for chosen in (course, other):
        assignment_rule_create(
            course=chosen,
            scope=AssignmentScope.PEOPLE,
            people=[employee],
            due_on=days(3),
            acting_user=hr,
        )
    course_start(user=employee, course=course)
    assert (summary(employee).in_progress, summary(employee).completion) == (1, 0)
    CourseProgress.objects.filter(user=employee, course=course).update(
        percent=100, completed_at=timezone.now()
    )
    learning_summaries_refresh(user_ids=[employee.pk])  # as the progress refresh does
    found = summary(employee)
    assert (found.assigned, found.completed, found.in_progress, found.completion) == (2, 1, 0, 50)
    type(other).objects.filter(pk=other.pk).update(retired=True)
    learning_summaries_refresh_for_courses(course_ids=[other.pk])
    assert (summary(employee).assigned, summary(employee).completed) == (1, 1)


def test_overdue_is_counted_for_the_day_asked_from_the_open_due_dates(hr, employee):
    course = course_with_modules(1, slug="c-four")
    assignment_rule_create(
        course=course,
        scope=AssignmentScope.PEOPLE,
        people=[employee],
        due_on=days(2),
        acting_user=hr,
    )
    found = summary(employee)
    assert found.overdue_on(days(0)) == 0
    assert found.overdue_on(days(2)) == 0  # due today is not overdue
    assert found.overdue_on(days(3)) == 1
    assert found.overdue_on(days(3) + datetime.timedelta(days=30)) == 1

"""Truly concurrent HR posts (PostgreSQL only): one assignment rule, one audit row."""

import pytest
from django.test import Client
from django.urls import reverse

from allyship.models import AuditEntry
from learning.models import Assignment, AssignmentRule, AssignmentScope
from tests.factories import DepartmentFactory, UserFactory
from tests.hr.factories import course_with_modules, days
from tests.quizzes.test_concurrency import _at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_identical_assignment_posts_at_once_make_one_rule(hr):
    course = course_with_modules(1)
    engineering = DepartmentFactory(name="Platform")
    UserFactory.create_batch(3, department=engineering)
    data = {
        "course": course.pk,
        "scope": AssignmentScope.DEPARTMENT,
        "department": engineering.pk,
        "due_on": days(30).isoformat(),
    }
    url = reverse("hr:assignment-create")
    clients = []
    for _ in range(20):
        client = Client()
        client.force_login(hr)
        clients.append(client)

    statuses = _at_once([lambda c=c: c.post(url, data).status_code for c in clients])

    assert sorted(statuses) == [302] + [400] * 19
    assert AssignmentRule.objects.count() == 1
    assert AuditEntry.objects.filter(action="assignment.create").count() == 1
    assert Assignment.objects.filter(course=course).count() == 3

"""Shared by the assignment-rule tests. The clock stands still at 12:03:30 UTC on Tuesday 24
November 2026 (the `clock` fixture), so "today" is 24 November 2026 and due dates are dates
on a calendar, not offsets. Rows whose `created_at` the code reads (a rule's, for a late
joiner's window) are given one by hand: the model's default reads the real clock.
"""

import datetime

import pytest

from allyship.models import AuditEntry
from learning.models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    Course,
)
from tests.factories import DepartmentFactory, UserFactory

NOW = datetime.datetime(2026, 11, 24, 12, 3, 30, tzinfo=datetime.UTC)
EARLIER = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _still_clock(clock):
    return clock


@pytest.fixture
def course(db):
    return Course.objects.create(slug="speaking-up", title="Speaking up", module_count=2)


@pytest.fixture
def other_course(db):
    return Course.objects.create(slug="fair-hiring", title="Fair hiring", module_count=1)


@pytest.fixture
def sales(db):
    return DepartmentFactory(name="Sales")


@pytest.fixture
def org(sales):
    """Engineering: Lee leads Ray (who leads Gia, in Sales) and Ivy, who has left.
    Sales: Ana, whose only report Sam has left, and Gia. Pat reports to Olga, who has left."""
    lee = UserFactory(full_name="Lee Lead", email="lee@test.example")
    ray = UserFactory(full_name="Ray Report", email="ray@test.example", manager=lee)
    gia = UserFactory(
        full_name="Gia Grand", email="gia@test.example", manager=ray, department=sales
    )
    ivy = UserFactory(full_name="Ivy Gone", email="ivy@test.example", manager=lee, is_active=False)
    ana = UserFactory(full_name="Ana Seller", email="ana@test.example", department=sales)
    sam = UserFactory(
        full_name="Sam Gone",
        email="sam@test.example",
        manager=ana,
        department=sales,
        is_active=False,
    )
    olga = UserFactory(full_name="Olga Gone", email="olga@test.example", is_active=False)
    pat = UserFactory(full_name="Pat Plain", email="pat@test.example", manager=olga)
    return {
        "lee": lee,
        "ray": ray,
        "gia": gia,
        "ivy": ivy,
        "ana": ana,
        "sam": sam,
        "olga": olga,
        "pat": pat,
    }


def emails(people) -> list[str]:
    return [person.email for person in people]


def rows(course) -> dict[str, tuple]:
    """Each assignment of the course, by email: (rule id, due, assigned by, assigned at,
    withdrawn at)."""
    return {
        a.user.email: (
            a.rule_id,
            a.due_on,
            a.assigned_by.email if a.assigned_by else None,
            a.assigned_at,
            a.withdrawn_at,
        )
        for a in Assignment.objects.filter(course=course).select_related("user", "assigned_by")
    }


def given(course) -> dict[str, tuple]:
    """Each assignment of the course, by email: (rule id, due, assigned by, withdrawn at).
    Late joiners' rows are stamped by the model's default, the real clock: left out."""
    return {email: row[:3] + row[4:] for email, row in rows(course).items()}


def audit_rows() -> list[tuple]:
    return [
        (e.actor.email if e.actor else None, e.action, e.target, e.old_value, e.new_value)
        for e in AuditEntry.objects.order_by("id")
    ]


def department_rule(course, department, *, due_on, created_by, created_at=NOW):
    return AssignmentRule.objects.create(
        course=course,
        scope=AssignmentScope.DEPARTMENT,
        department=department,
        due_on=due_on,
        created_by=created_by,
        created_at=created_at,
        group_key=f"department:{department.pk}",
    )

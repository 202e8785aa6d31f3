"""Shared by the people-import rule tests: people and files written by hand, and readings of
the organisation to compare with. tests/people/test_importer.py follows one file through its
checks and a whole import; these pin each rule by exact values.
"""

import pytest
from django.contrib.auth.models import Group

from allyship.models import HR_GROUP, AuditEntry, Department, ImportBatch, User
from allyship.people.csv_file import ImportRejected, parse
from allyship.people.importer import (
    people_import_preview,
)
from tests.hr.factories import csv_bytes


def person(email, name, department="Engineering", manager=None, active=True, hr=False) -> User:
    user = User.objects.create(
        email=email,
        full_name=name,
        department=Department.objects.get_or_create(name=department)[0] if department else None,
        manager=manager,
        is_active=active,
    )
    if hr:
        user.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    return user


def rows_of(lines: list[list[str]]) -> list[dict]:
    """The rows as the file's own checks hand them to the plan."""
    parsed = parse(csv_bytes(lines))
    assert parsed.errors == []
    return parsed.rows


def preview(lines: list[list[str]], acting_user: User | None) -> ImportBatch:
    return people_import_preview(
        data=csv_bytes(lines), file_name="people.csv", acting_user=acting_user
    )


def refused(lines: list[list[str]], acting_user: User | None) -> list[tuple[int, str, str]]:
    """Preview a file that must be refused: its errors, once nothing was stored."""
    before = state()
    with pytest.raises(ImportRejected) as caught:
        preview(lines, acting_user)
    assert state() == before
    return [(error.row, error.column, error.message) for error in caught.value.errors]


def state() -> tuple:
    """Everything an import may write, to compare before and after one that must not."""
    through = User.groups.through
    return (
        list(
            User.objects.order_by("email").values_list(
                "email",
                "full_name",
                "department__name",
                "manager__email",
                "is_active",
                "is_hr_admin",
                "has_reports",
                "password",
            )
        ),
        list(Department.objects.order_by("name").values_list("name", flat=True)),
        list(
            through.objects.order_by("user__email", "group__name").values_list(
                "user__email", "group__name"
            )
        ),
        list(AuditEntry.objects.values_list("action", "target", "new_value")),
        list(
            ImportBatch.objects.order_by("id").values_list(
                "status", "preview", "applied_by", "applied_at"
            )
        ),
    )


def people() -> dict[str, tuple[str, str, str, bool]]:
    """Each person as written: email -> (name, department, manager's email, active)."""
    return {
        email: (name, department or "", manager or "", active)
        for email, name, department, manager, active in User.objects.values_list(
            "email", "full_name", "department__name", "manager__email", "is_active"
        )
    }


def hr_emails() -> set[str]:
    return set(User.objects.filter(groups__name=HR_GROUP).values_list("email", flat=True))


def without_fingerprint(preview: dict) -> dict:
    assert len(preview["fingerprint"]) == 64
    return {key: value for key, value in preview.items() if key != "fingerprint"}


# The organisation and file most tests below read: one of each kind of change.


@pytest.fixture
def organisation(hr):
    """The people FILE is read against; returns the HR admin who imports it."""
    ann = person("ann@test.example", "Ann Able")
    person("ben@test.example", "Ben Brown", manager=ann)
    cat = person("cat@test.example", "Cat Cole", department="", hr=True)
    cat.groups.add(Group.objects.create(name="Mentors"))
    person("dan@test.example", "Dan Dale", manager=ann, active=False)
    person("eve@test.example", "Eve Evans", active=False)
    person("fay@test.example", "Fay Fox", manager=ann, hr=True)
    return hr


FILE = [
    # Unchanged: the acting HR admin keeps themselves active and HR.
    ["hr@test.example", "Hana HR", "Engineering", "", "hr", "yes"],
    # Unchanged: the department's case differs only, and no manager before or after.
    ["ann@test.example", "Ann Able", "engineering", "", "", "yes"],
    # Renamed, a new department, no manager any more, made HR.
    ["ben@test.example", "Ben Browne", "Sales", "", "hr", "yes"],
    # Given a department and a manager, no longer HR, deactivated.
    ["cat@test.example", "Cat Cole", "Engineering", "ann@test.example", "employee", "no"],
    # Back from leave, under a new manager.
    ["dan@test.example", "Dan Dale", "Engineering", "ben@test.example", "", "yes"],
    # Renamed while away: updated, not deactivated (she was inactive already).
    ["eve@test.example", "Eve Evans-Ng", "Engineering", "", "", "no"],
    # Unchanged: an HR admin with the role column left empty stays HR.
    ["fay@test.example", "Fay Fox", "Engineering", "ann@test.example", "", "yes"],
    # New: the new department spelled differently, the role left empty.
    ["gil@test.example", "Gil Green", "SALES", "ben@test.example", "", ""],
    # New, HR, not active yet, no department.
    ["hal@test.example", "Hal Hart", "", "", "hr", "no"],
    # New, an employee said in so many words, a second new department.
    ["ivy@test.example", "Ivy Ives", "Accounts", "", "employee", "yes"],
]

import time

import pytest

from allyship.models import AuditEntry, ImportBatch, ImportStatus, User
from allyship.people.csv_file import ImportRejected, parse
from allyship.people.importer import _chunks, people_import_apply, people_import_preview
from allyship.permissions import is_hr
from learning.models import Assignment, AssignmentScope
from tests.factories import DepartmentFactory, UserFactory
from tests.hr.factories import AssignmentRuleFactory, csv_bytes, days

pytestmark = pytest.mark.django_db


def rejected(data: bytes, acting_user=None) -> list[tuple[int, str, str]]:
    """Try to import; return the errors as (row, column, message), checking nothing changed."""
    people_before = list(User.objects.order_by("id").values_list())
    with pytest.raises(ImportRejected) as caught:
        people_import_preview(data=data, file_name="people.csv", acting_user=acting_user)
    assert list(User.objects.order_by("id").values_list()) == people_before
    assert not ImportBatch.objects.exists()
    return [(e.row, e.column, e.message) for e in caught.value.errors]


def test_a_bad_email_is_reported_with_its_row_and_column():
    errors = rejected(csv_bytes([["ok@test.example", "Ok"], ["not-an-email", "Bad"]]))
    assert errors == [(3, "email", "“not-an-email” is not a valid email address.")]


def test_an_unknown_manager_is_reported():
    errors = rejected(csv_bytes([["a@test.example", "A", "", "ghost@test.example"]]))
    assert errors[0][:2] == (2, "manager_email")
    assert "ghost@test.example" in errors[0][2]


def test_a_cycle_in_the_file_is_reported_on_each_row_in_it():
    errors = rejected(
        csv_bytes(
            [
                ["a@test.example", "A", "", "b@test.example"],
                ["b@test.example", "B", "", "c@test.example"],
                ["c@test.example", "C", "", "a@test.example"],
                ["d@test.example", "D", "", "a@test.example"],
            ]
        )
    )
    assert [(row, column) for row, column, _ in errors] == [
        (2, "manager_email"),
        (3, "manager_email"),
        (4, "manager_email"),
    ]
    assert "a@test.example → b@test.example → c@test.example → a@test.example" in errors[0][2]


def test_a_cycle_through_people_already_in_the_organisation_is_reported(manager, employee):
    # The boss is not in the file, and reports to nobody; the file makes the boss report to
    # the employee, who reports (in the database) to the manager, who reports to the boss.
    boss = manager.manager
    errors = rejected(csv_bytes([[boss.email, boss.full_name, "", employee.email]]))
    assert errors[0][:2] == (2, "manager_email")
    assert "loops back" in errors[0][2]


def test_own_manager_is_reported():
    errors = rejected(csv_bytes([["a@test.example", "A", "", "A@test.example"]]))
    assert errors == [(2, "manager_email", "A person cannot be their own manager.")]


def test_duplicate_rows_are_reported():
    errors = rejected(csv_bytes([["a@test.example", "A"], ["A@test.example", "A"]]))
    assert errors == [(3, "email", "a@test.example is also on row 2: each person appears once.")]


def test_unknown_and_missing_columns_are_reported():
    errors = rejected(csv_bytes([["a@test.example", "x"]], header=["email", "salary"]))
    assert (1, "salary", errors[0][2]) in errors and "Unknown column" in errors[0][2]
    assert (1, "name", "The column “name” is missing.") in errors


def test_a_column_named_twice_is_reported():
    errors = rejected(csv_bytes([["a@test.example", "A", "A"]], header=["email", "name", "Name"]))
    assert errors == [(1, "name", "This column appears twice.")]


def test_bad_role_active_and_long_values_are_reported():
    errors = rejected(csv_bytes([["a@test.example", "x" * 151, "", "", "boss", "maybe"]]))
    assert {column for _, column, _ in errors} == {"name", "role", "active"}


def test_a_row_with_too_many_values_is_reported():
    errors = rejected(csv_bytes([["a@test.example", "A", "", "", "", "yes", "extra"]]))
    assert errors[0][0] == 2 and "7 values" in errors[0][2]


def test_wrong_encoding_names_the_lines():
    data = "email,name\na@test.example,Zoë\nb@test.example,Chloé\n".encode("latin-1")
    errors = rejected(data)
    assert [row for row, _, _ in errors] == [2, 3]
    assert "not UTF-8" in errors[0][2]


def test_utf16_is_refused_with_a_hint():
    errors = rejected("email,name\na@test.example,A\n".encode("utf-16"))
    assert errors[0][0] == 0 and "UTF-16" in errors[0][2]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x00\x01\x02\x03binary", "not a text file"),
        (b"", "empty"),
        (b"email,name\n", "no people"),
    ],
)
def test_files_that_are_not_csv_are_refused(data, words):
    errors = rejected(data)
    assert words in errors[0][2]


def test_new_departments_are_listed_in_the_preview(hr):
    batch = people_import_preview(
        data=csv_bytes([["a@test.example", "A", "Legal"], ["b@test.example", "B", "legal"]]),
        file_name="a.csv",
        acting_user=hr,
    )
    assert batch.preview["departments"] == ["Legal"]
    people_import_apply(batch=batch, acting_user=hr)
    assert set(User.objects.filter(department__name="Legal").values_list("email", flat=True)) == {
        "a@test.example",
        "b@test.example",
    }


def test_a_utf8_bom_and_semicolons_are_fine():
    data = "\ufeffemail;name;department\nzoe@test.example;Zoë Ø;Équipe\n".encode()
    parsed = parse(data)
    assert not parsed.errors
    assert parsed.rows[0]["name"] == "Zoë Ø" and parsed.rows[0]["department"] == "Équipe"


def test_every_error_is_listed_not_just_the_first():
    errors = rejected(
        csv_bytes(
            [
                ["bad", "A"],
                ["b@test.example", ""],
                ["c@test.example", "C", "", "ghost@test.example"],
            ]
        )
    )
    assert [row for row, _, _ in errors] == [2, 3, 4]


def test_an_unknown_manager_on_a_broken_row_is_not_reported_twice():
    errors = rejected(
        csv_bytes([["boss@test.example", "", ""], ["a@test.example", "A", "", "boss@test.example"]])
    )
    assert errors == [(2, "name", "The name is missing.")]


def test_preview_then_apply_creates_updates_and_deactivates(hr, employee, manager):
    rule = AssignmentRuleFactory(
        scope=AssignmentScope.DEPARTMENT,
        department=DepartmentFactory(name="Research"),
        due_on=days(30),
    )
    boss = manager.manager
    data = csv_bytes(
        [
            ["new.lead@test.example", "New Lead", "Research", boss.email, "", "yes"],
            [
                "new.person@test.example",
                "New Person",
                "research",
                "new.lead@test.example",
                "hr",
                "",
            ],
            [employee.email, "Emma Renamed", employee.department.name, boss.email, "", "yes"],
            [manager.email, manager.full_name, "Engineering", boss.email, "", "no"],
        ]
    )
    batch = people_import_preview(data=data, file_name="people.csv", acting_user=hr)
    assert batch.preview["counts"] == {
        "new": 2,
        "updated": 1,
        "deactivated": 1,
        "unchanged": 0,
        "rows": 4,
    }
    assert batch.preview["departments"] == []  # Research exists already (the rule's)
    assert batch.preview["updated"][0]["changes"] == [
        ["name", "Emma Employee", "Emma Renamed"],
        ["manager", manager.email, boss.email],
    ]
    assert not User.objects.filter(email="new.lead@test.example").exists()

    outcome = people_import_apply(batch=batch, acting_user=hr)
    assert outcome.applied
    lead = User.objects.get(email="new.lead@test.example")
    person = User.objects.get(email="new.person@test.example")
    assert lead.manager == boss and person.manager == lead
    assert person.department.name == "Research"  # matched case-insensitively
    assert not person.has_usable_password()
    assert is_hr(person) and not is_hr(lead)
    employee.refresh_from_db()
    manager.refresh_from_db()
    assert employee.full_name == "Emma Renamed"
    assert not manager.is_active and User.objects.filter(pk=manager.pk).exists()
    # Late joiners of the Research department received its assignment.
    assert set(Assignment.objects.filter(rule=rule).values_list("user__email", flat=True)) == {
        "new.lead@test.example",
        "new.person@test.example",
    }
    entry = AuditEntry.objects.get(action="people.import")
    assert entry.actor == hr and "2 new, 1 updated, 1 deactivated" in entry.new_value
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.applied_by == hr


def test_the_preview_lists_every_change_with_its_old_and_new_value(hr, manager, employee):
    boss = manager.manager
    other_hr = UserFactory(full_name="Olu Other", email="other.hr@test.example", hr=True)
    away = UserFactory(full_name="Ada Away", email="away@test.example", is_active=False)
    alone = UserFactory(full_name="Lou Alone", email="alone@test.example")
    data = csv_bytes(
        [
            # A new department, no manager any more, and made an HR admin.
            [employee.email, employee.full_name, "Research", "", "hr", "yes"],
            # Given a manager, no longer HR, and deactivated.
            [other_hr.email, other_hr.full_name, "Engineering", boss.email, "employee", "no"],
            # Back from leave.
            [away.email, away.full_name, "Engineering", "", "", "yes"],
            # Nothing changes: no manager before or after, the role column left empty.
            [alone.email, alone.full_name, "Engineering", "", "", "yes"],
            # New, and not active yet.
            ["starter@test.example", "Sol Starter", "", boss.email, "", "no"],
        ]
    )
    batch = people_import_preview(data=data, file_name="people.csv", acting_user=hr)
    preview = batch.preview
    assert preview["counts"]["unchanged"] == 1
    assert [(entry["email"], entry["changes"]) for entry in preview["updated"]] == [
        (
            employee.email,
            [
                ["department", "Engineering", "Research"],
                ["manager", manager.email, ""],
                ["role", "employee", "hr"],
            ],
        ),
        (away.email, [["active", "no", "yes"]]),
    ]
    assert [(entry["email"], entry["changes"]) for entry in preview["deactivated"]] == [
        (
            other_hr.email,
            [["manager", "", boss.email], ["role", "hr", "employee"], ["active", "yes", "no"]],
        )
    ]

    assert people_import_apply(batch=batch, acting_user=hr).applied
    written = {
        person.email: (person.department.name if person.department else "", person.manager_id)
        for person in User.objects.select_related("department")
    }
    assert written[employee.email] == ("Research", None)
    assert written[other_hr.email] == ("Engineering", boss.pk)
    assert written["starter@test.example"] == ("", boss.pk)
    active = dict(User.objects.values_list("email", "is_active"))
    assert [active[e] for e in (employee.email, other_hr.email, away.email)] == [True, False, True]
    assert active["starter@test.example"] is False
    assert [is_hr(User.objects.get(email=e)) for e in (employee.email, other_hr.email)] == [
        True,
        False,
    ]


def test_reapplying_a_batch_does_nothing(hr):
    batch = people_import_preview(
        data=csv_bytes([["a@test.example", "A"]]), file_name="a.csv", acting_user=hr
    )
    people_import_apply(batch=batch, acting_user=hr)
    again = people_import_apply(batch=batch, acting_user=hr)
    assert again.already_applied and not again.applied
    assert User.objects.filter(email="a@test.example").count() == 1
    assert AuditEntry.objects.filter(action="people.import").count() == 1


def test_the_same_file_a_second_time_changes_nothing(hr):
    data = csv_bytes([["a@test.example", "A", "Sales"]])
    people_import_apply(
        batch=people_import_preview(data=data, file_name="a.csv", acting_user=hr), acting_user=hr
    )
    second = people_import_preview(data=data, file_name="a.csv", acting_user=hr)
    assert second.preview["counts"]["unchanged"] == 1
    assert second.preview["counts"]["new"] == 0


def test_a_stale_preview_is_refreshed_instead_of_applied(hr, employee):
    batch = people_import_preview(
        data=csv_bytes([[employee.email, "New Name", "Engineering", employee.manager.email]]),
        file_name="a.csv",
        acting_user=hr,
    )
    User.objects.filter(pk=employee.pk).update(full_name="New Name")  # someone else did it
    outcome = people_import_apply(batch=batch, acting_user=hr)
    assert outcome.refreshed and not outcome.applied
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    assert batch.preview["counts"]["unchanged"] == 1


def test_hr_cannot_deactivate_themselves_or_drop_their_own_role(hr):
    errors = rejected(csv_bytes([[hr.email, hr.full_name, "", "", "employee", "no"]]), hr)
    assert {column for _, column, _ in errors} == {"role", "active"}


def test_an_inactive_manager_cannot_manage_an_active_person(hr):
    gone = UserFactory(email="gone@test.example", is_active=False)
    errors = rejected(csv_bytes([["a@test.example", "A", "", gone.email]]), hr)
    assert "inactive" in errors[0][2]


def test_deactivating_a_manager_of_people_outside_the_file_warns(hr, manager, employee):
    batch = people_import_preview(
        data=csv_bytes([[manager.email, manager.full_name, "", "", "", "no"]]),
        file_name="a.csv",
        acting_user=hr,
    )
    assert batch.preview["warnings"] and manager.email in batch.preview["warnings"][0]


def test_ten_thousand_rows_import_in_well_under_thirty_seconds(hr):
    rows = [
        [
            f"p{i:05d}@big.example",
            f"Person {i}",
            f"Department {i % 20}",
            "" if i < 10 else f"p{i // 10:05d}@big.example",
            "",
            "yes",
        ]
        for i in range(10_000)
    ]
    started = time.perf_counter()
    batch = people_import_preview(data=csv_bytes(rows), file_name="big.csv", acting_user=hr)
    outcome = people_import_apply(batch=batch, acting_user=hr)
    elapsed = time.perf_counter() - started
    assert outcome.counts["new"] == 10_000
    assert (
        User.objects.filter(email__endswith="@big.example", manager__isnull=False).count() == 9990
    )
    assert elapsed < 30, f"10,000 rows took {elapsed:.1f}s"


def test_an_email_longer_than_its_column_is_reported_not_failed_at_apply():
    local = "a" * 64
    long_email = f"{local}@{'b' * 63}.{'c' * 63}.{'d' * 63}.{'e' * 47}.example"
    assert len(long_email) == 312
    errors = rejected(csv_bytes([[long_email, "Long"], ["ok@test.example", "Ok", "", long_email]]))
    assert errors == [
        (2, "email", "The email address is longer than 254 characters."),
        (3, "manager_email", "The email address is longer than 254 characters."),
    ]


def test_a_nul_byte_after_the_first_8_kb_is_refused_with_its_line():
    rows = [[f"p{n}@test.example", f"Person {n:05d}"] for n in range(400)]
    data = csv_bytes(rows) + b"late@test.example,La\x00te\n"
    assert data.index(b"\x00") > 8192
    errors = rejected(data)
    assert errors == [
        (
            402,
            "",
            "This line contains a NUL character (a zero byte), not text. In your spreadsheet, "
            "choose Save as, then “CSV UTF-8”, and upload that file.",
        )
    ]


@pytest.mark.parametrize("value", ["Eve\r\nBcc: all@test.example", "Eve\nSmith", "Eve\rSmith"])
def test_a_line_break_in_a_name_or_department_is_refused(value):
    errors = rejected(csv_bytes([["eve@test.example", value], ["dan@test.example", "Dan", value]]))
    assert [(row, column) for row, column, _ in errors] == [(2, "name"), (3, "department")]
    assert "line break" in errors[0][2]


def test_chunks_cover_every_item_once_in_order():
    assert list(_chunks(list(range(5)), size=2)) == [[0, 1], [2, 3], [4]]
    assert list(_chunks(list(range(4)), size=2)) == [[0, 1], [2, 3]]
    assert list(_chunks([], size=2)) == []
    assert [len(chunk) for chunk in _chunks(list(range(1000)))] == [900, 100]

"""The people import's plan (`allyship.people.plan`), with the values written out: the
preview's counts and listed changes, and every refusal and warning with its exact message."""

import pytest

from allyship.models import Department, ImportStatus, User
from allyship.people.importer import (
    people_import_preview,
)
from allyship.people.plan import plan
from tests.people.import_rules.conftest import (
    FILE,
    person,
    preview,
    refused,
    rows_of,
    without_fingerprint,
)

pytestmark = pytest.mark.django_db


def test_the_preview_counts_and_lists_each_change_with_its_old_and_new_value(organisation):
    batch = preview(FILE, organisation)
    assert without_fingerprint(batch.preview) == {
        "counts": {"new": 3, "updated": 3, "deactivated": 1, "unchanged": 3, "rows": 10},
        "new": [
            {
                "row": 9,
                "email": "gil@test.example",
                "name": "Gil Green",
                "department": "Sales",
                "manager_email": "ben@test.example",
                "role": "employee",
                "active": True,
            },
            {
                "row": 10,
                "email": "hal@test.example",
                "name": "Hal Hart",
                "department": "",
                "manager_email": "",
                "role": "hr",
                "active": False,
            },
            {
                "row": 11,
                "email": "ivy@test.example",
                "name": "Ivy Ives",
                "department": "Accounts",
                "manager_email": "",
                "role": "employee",
                "active": True,
            },
        ],
        "updated": [
            {
                "row": 4,
                "email": "ben@test.example",
                "name": "Ben Browne",
                "changes": [
                    ["name", "Ben Brown", "Ben Browne"],
                    ["department", "Engineering", "Sales"],
                    ["manager", "ann@test.example", ""],
                    ["role", "employee", "hr"],
                ],
            },
            {
                "row": 6,
                "email": "dan@test.example",
                "name": "Dan Dale",
                "changes": [
                    ["manager", "ann@test.example", "ben@test.example"],
                    ["active", "no", "yes"],
                ],
            },
            {
                "row": 7,
                "email": "eve@test.example",
                "name": "Eve Evans-Ng",
                "changes": [["name", "Eve Evans", "Eve Evans-Ng"]],
            },
        ],
        "deactivated": [
            {
                "row": 5,
                "email": "cat@test.example",
                "name": "Cat Cole",
                "changes": [
                    ["department", "", "Engineering"],
                    ["manager", "", "ann@test.example"],
                    ["role", "hr", "employee"],
                    ["active", "yes", "no"],
                ],
            }
        ],
        # Sorted, in the spelling the file used first.
        "departments": ["Accounts", "Sales"],
        "warnings": [],
    }
    assert batch.status == ImportStatus.PREVIEWED
    assert not User.objects.filter(email="gil@test.example").exists()
    assert not Department.objects.filter(name="Sales").exists()


def test_the_preview_is_stored_with_its_name_digest_rows_and_author(hr):
    data = b"email,name,department,manager_email,role,active\nAnn@Test.Example,Ann Able,,,,\n"
    batch = people_import_preview(data=data, file_name="p" * 300 + ".csv", acting_user=hr)
    batch.refresh_from_db()
    assert batch.file_name == "p" * 255
    assert batch.sha256 == "d064e8a1abd9b57430afa32efce1a5df1f874c8b3e5da5152c350617f758696f"
    assert batch.rows == [
        {
            "row": 2,
            "email": "ann@test.example",
            "name": "Ann Able",
            "department": "",
            "manager_email": "",
            "role": "",
            "active": True,
        }
    ]
    assert batch.created_by == hr
    assert (batch.status, batch.applied_by, batch.applied_at) == (
        ImportStatus.PREVIEWED,
        None,
        None,
    )


def test_unknown_and_inactive_managers_are_refused_in_row_order_with_the_files_errors(hr):
    person("gone@test.example", "Gus Gone", active=False)
    person("leaving@test.example", "Lea Leaving")
    person("back@test.example", "Bo Back", active=False)
    errors = refused(
        [
            ["a@test.example", "Al A", "", "ghost@test.example"],
            ["not-an-email", "Bad"],
            ["b@test.example", "Bo B", "", "gone@test.example"],
            # An inactive manager may manage someone inactive.
            ["c@test.example", "Cy C", "", "gone@test.example", "", "no"],
            # Active in the organisation, deactivated by this file.
            ["d@test.example", "Di D", "", "leaving@test.example"],
            ["leaving@test.example", "Lea Leaving", "", "", "", "no"],
            # Inactive in the organisation, back by this file.
            ["e@test.example", "Ed E", "", "back@test.example"],
            ["back@test.example", "Bo Back", "", "", "", "yes"],
        ],
        hr,
    )
    assert errors == [
        (
            2,
            "manager_email",
            "Nobody with the email ghost@test.example is in this file or the organisation.",
        ),
        (3, "email", "“not-an-email” is not a valid email address."),
        (
            4,
            "manager_email",
            "gone@test.example is inactive, so they cannot manage an active person.",
        ),
        (
            6,
            "manager_email",
            "leaving@test.example is inactive, so they cannot manage an active person.",
        ),
    ]


def test_the_plan_lists_its_errors_by_row_then_column_and_plans_nothing_else(hr):
    result = plan(
        rows=rows_of(
            [
                ["hr@test.example", "Hana HR", "", "ghost@test.example", "employee", "no"],
                ["p@test.example", "Pat P", "", "q@test.example"],
                ["q@test.example", "Quin Q", "", "p@test.example"],
                ["r@test.example", "Ria R", "Legal", "nobody@test.example"],
            ]
        ),
        acting_user=hr,
    )
    loop = "The manager chain loops back to this person: "
    assert [(error.row, error.column, error.message) for error in result.errors] == [
        (2, "active", "You cannot deactivate your own account."),
        (
            2,
            "manager_email",
            "Nobody with the email ghost@test.example is in this file or the organisation.",
        ),
        (2, "role", "You cannot remove your own HR role; ask another HR admin."),
        (3, "manager_email", loop + "p@test.example → q@test.example → p@test.example."),
        (4, "manager_email", loop + "q@test.example → p@test.example → q@test.example."),
        (
            5,
            "manager_email",
            "Nobody with the email nobody@test.example is in this file or the organisation.",
        ),
    ]
    planned = (result.new, result.updated, result.deactivated, result.unchanged)
    assert planned == ([], [], [], 0)
    assert (result.departments, result.warnings) == ([], [])


def test_a_manager_loop_through_the_organisation_is_refused_on_each_row_in_it(hr):
    boss = person("boss@test.example", "Bea Boss")
    lead = person("lead@test.example", "Lee Lead", manager=boss)
    person("emp@test.example", "Em Emp", manager=lead)
    errors = refused(
        [
            # The boss would report to Em, who reports (in the organisation) to Lee.
            ["boss@test.example", "Bea Boss", "", "emp@test.example"],
            # Under the loop, not in it.
            ["new@test.example", "Nia New", "", "boss@test.example"],
            ["lead@test.example", "Lee Lead", "", "boss@test.example"],
        ],
        hr,
    )
    loop = "The manager chain loops back to this person: "
    assert errors == [
        (
            2,
            "manager_email",
            loop + "boss@test.example → emp@test.example → lead@test.example → boss@test.example.",
        ),
        (
            4,
            "manager_email",
            loop + "lead@test.example → boss@test.example → emp@test.example → lead@test.example.",
        ),
    ]


def test_you_cannot_deactivate_yourself_or_drop_your_own_hr_role(hr):
    rita = person("Rita.Root@Test.Example", "Rita Root", hr=True)
    errors = refused(
        [
            ["rita.root@test.example", "Rita Root", "Engineering", "", "employee", "no"],
            # Another HR admin's account: both are allowed.
            ["hr@test.example", "Hana HR", "Engineering", "", "employee", "no"],
        ],
        rita,
    )
    assert errors == [
        (2, "active", "You cannot deactivate your own account."),
        (2, "role", "You cannot remove your own HR role; ask another HR admin."),
    ]


def test_deactivating_a_manager_warns_how_many_active_reports_the_file_leaves_them(hr):
    # Read in name order: Aaron first (skipped: inactive), then Zed's report, then Amy's.
    amy = person("amy.lead@test.example", "Zoe Amy")
    zed = person("zed.lead@test.example", "Abe Zed")
    keep = person("keep.lead@test.example", "Kit Keep")
    person("aaron@test.example", "Aaron Away", manager=amy, active=False)
    person("abby@test.example", "Abby Zed-Report", manager=zed)
    person("bob@test.example", "Bob One", manager=amy)
    person("bea@test.example", "Bea Two", manager=amy)
    person("moe@test.example", "Moe Moved", manager=amy)  # in the file: given a new manager
    person("kid@test.example", "Kid Keep", manager=keep)  # their manager stays active
    batch = preview(
        [
            ["zed.lead@test.example", "Abe Zed", "Engineering", "", "", "no"],
            ["amy.lead@test.example", "Zoe Amy", "Engineering", "", "", "no"],
            ["keep.lead@test.example", "Kit Keep", "Engineering", "", "", "yes"],
            ["moe@test.example", "Moe Moved", "Engineering", "keep.lead@test.example", "", "yes"],
        ],
        hr,
    )
    assert batch.preview["warnings"] == [
        "amy.lead@test.example is being deactivated but still manages 2 active people not in "
        "this file: give them a new manager.",
        "zed.lead@test.example is being deactivated but still manages 1 active person not in "
        "this file: give them a new manager.",
    ]
    assert batch.preview["counts"] == {
        "new": 0,
        "updated": 1,
        "deactivated": 2,
        "unchanged": 1,
        "rows": 4,
    }


def test_a_manager_who_had_already_left_is_not_warned_about_again(hr):
    gone = person("gone.lead@test.example", "Gil Gone", active=False)
    person("still@test.example", "Sue Still", manager=gone)
    batch = preview([["gone.lead@test.example", "Gil Gone", "Engineering", "", "", "no"]], hr)
    assert batch.preview["warnings"] == []

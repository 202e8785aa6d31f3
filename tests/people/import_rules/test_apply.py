"""Applying a people import (`allyship.people.importer`), with the values written out: the rows
written, HR membership, managers created before their reports, who may have joined a group,
the outcome returned, and what a stale, refused or failed apply leaves (nothing)."""

import pytest
from django.utils import timezone

from allyship.models import HR_GROUP, AuditEntry, Department, ImportBatch, ImportStatus, User
from allyship.people.csv_file import ImportRejected
from allyship.people.importer import (
    ApplyOutcome,
    _manager_layers,
    _write,
    people_import_apply,
)
from allyship.people.plan import plan
from learning.models import Assignment, AssignmentScope, LearningSummary
from tests.hr.factories import AssignmentRuleFactory, days
from tests.people.import_rules.conftest import (
    FILE,
    hr_emails,
    people,
    person,
    preview,
    rows_of,
    state,
    without_fingerprint,
)

pytestmark = pytest.mark.django_db


def test_applying_writes_each_change_and_moves_hr_membership(organisation):
    people_import_apply(batch=preview(FILE, organisation), acting_user=organisation)
    assert people() == {
        "hr@test.example": ("Hana HR", "Engineering", "", True),
        "ann@test.example": ("Ann Able", "Engineering", "", True),
        "ben@test.example": ("Ben Browne", "Sales", "", True),
        "cat@test.example": ("Cat Cole", "Engineering", "ann@test.example", False),
        "dan@test.example": ("Dan Dale", "Engineering", "ben@test.example", True),
        "eve@test.example": ("Eve Evans-Ng", "Engineering", "", False),
        "fay@test.example": ("Fay Fox", "Engineering", "ann@test.example", True),
        "gil@test.example": ("Gil Green", "Sales", "ben@test.example", True),
        "hal@test.example": ("Hal Hart", "", "", False),
        "ivy@test.example": ("Ivy Ives", "Accounts", "", True),
    }
    # Listed as HR again (the acting admin) is no conflict; dropping HR keeps other groups.
    assert hr_emails() == {
        "hr@test.example",
        "ben@test.example",
        "fay@test.example",
        "hal@test.example",
    }
    assert set(User.groups.through.objects.values_list("user__email", "group__name")) == {
        ("hr@test.example", HR_GROUP),
        ("ben@test.example", HR_GROUP),
        ("cat@test.example", "Mentors"),
        ("fay@test.example", HR_GROUP),
        ("hal@test.example", HR_GROUP),
    }
    # The role facts stored on each row follow: HR admins, and who has an active report.
    admins = User.objects.filter(is_hr_admin=True).values_list("email", flat=True)
    assert set(admins) == {
        "hr@test.example",
        "ben@test.example",
        "fay@test.example",
        "hal@test.example",
    }
    leaders = User.objects.filter(has_reports=True).values_list("email", flat=True)
    assert set(leaders) == {
        "ann@test.example",  # Fay still reports to her (Cat too, but Cat is inactive now)
        "ben@test.example",  # Dan and Gil
    }
    new = User.objects.filter(
        email__in=["gil@test.example", "hal@test.example", "ivy@test.example"]
    )
    passwords = [user.password for user in new]
    assert [(p[0], len(p)) for p in passwords] == [("!", 41)] * 3  # what make_password(None) is
    assert len(set(passwords)) == 3
    assert [user.has_usable_password() for user in new] == [False] * 3
    assert sorted(Department.objects.values_list("name", flat=True)) == [
        "Accounts",
        "Engineering",
        "Sales",
    ]


def test_a_new_department_is_created_once_whatever_its_case_and_spacing(hr):
    lines = [
        ["al@test.example", "Al Ash", "  Human   Resources "],
        ["bo@test.example", "Bo Birch", "human resources"],
        ["cy@test.example", "Cy Cedar", "ENGINEERING"],
        ["di@test.example", "Di Dogwood", "HUMAN RESOURCES"],
    ]
    batch = preview(lines, hr)
    assert batch.preview["departments"] == ["Human Resources"]
    people_import_apply(batch=batch, acting_user=hr)
    assert sorted(Department.objects.values_list("name", flat=True)) == [
        "Engineering",
        "Human Resources",
    ]
    assert people() == {
        "hr@test.example": ("Hana HR", "Engineering", "", True),
        "al@test.example": ("Al Ash", "Human Resources", "", True),
        "bo@test.example": ("Bo Birch", "Human Resources", "", True),
        "cy@test.example": ("Cy Cedar", "Engineering", "", True),
        "di@test.example": ("Di Dogwood", "Human Resources", "", True),
    }
    again = preview(lines, hr)
    assert without_fingerprint(again.preview) == {
        "counts": {"new": 0, "updated": 0, "deactivated": 0, "unchanged": 4, "rows": 4},
        "new": [],
        "updated": [],
        "deactivated": [],
        "departments": [],
        "warnings": [],
    }


def test_emails_are_matched_whatever_their_case_and_surrounding_spaces(hr):
    person("Ann.Able@Test.Example", "Ann Able")  # stored in mixed case
    batch = preview(
        [
            ["  ANN.ABLE@test.example ", "Ann Renamed", "Engineering"],
            [" Kim.Kay@Test.Example", "Kim Kay", "Engineering", " ann.able@TEST.example "],
        ],
        hr,
    )
    assert batch.preview["counts"] == {
        "new": 1,
        "updated": 1,
        "deactivated": 0,
        "unchanged": 0,
        "rows": 2,
    }
    assert batch.preview["new"][0]["email"] == "kim.kay@test.example"
    assert batch.preview["new"][0]["manager_email"] == "ann.able@test.example"
    assert batch.preview["updated"] == [
        {
            "row": 2,
            "email": "ann.able@test.example",
            "name": "Ann Renamed",
            "changes": [["name", "Ann Able", "Ann Renamed"]],
        }
    ]
    people_import_apply(batch=batch, acting_user=hr)
    assert people() == {
        "hr@test.example": ("Hana HR", "Engineering", "", True),
        "Ann.Able@Test.Example": ("Ann Renamed", "Engineering", "", True),
        "kim.kay@test.example": ("Kim Kay", "Engineering", "Ann.Able@Test.Example", True),
    }


def test_new_people_are_written_under_managers_created_before_them(hr):
    person("boss@test.example", "Bea Boss")
    batch = preview(
        [
            # Each row's manager comes later in the file.
            [" Rae.Report@Test.Example ", "Rae Report", "Engineering", "MID@test.example"],
            ["mid@test.example", "Mo Middle", "Engineering", "top@test.example", "", "yes"],
            ["top@test.example", "Tia Top", "Engineering", "Boss@Test.Example", "", ""],
            ["solo@test.example", "Sol Solo", "", "", "hr", "no"],
        ],
        hr,
    )
    people_import_apply(batch=batch, acting_user=hr)
    assert people() == {
        "hr@test.example": ("Hana HR", "Engineering", "", True),
        "boss@test.example": ("Bea Boss", "Engineering", "", True),
        "rae.report@test.example": ("Rae Report", "Engineering", "mid@test.example", True),
        "mid@test.example": ("Mo Middle", "Engineering", "top@test.example", True),
        "top@test.example": ("Tia Top", "Engineering", "boss@test.example", True),
        "solo@test.example": ("Sol Solo", "", "", False),
    }
    assert hr_emails() == {"hr@test.example", "solo@test.example"}
    leaders = User.objects.filter(has_reports=True).values_list("email", flat=True)
    assert set(leaders) == {"boss@test.example", "top@test.example", "mid@test.example"}


def test_manager_layers_put_each_new_person_one_layer_below_their_new_manager():
    def entry(email: str, manager_email: str) -> dict:
        return {"email": email, "manager_email": manager_email}

    new = [
        entry("c@test.example", "b@test.example"),
        entry("b@test.example", "a@test.example"),
        entry("a@test.example", "boss@test.example"),  # the boss is not new
        entry("d@test.example", ""),
        entry("e@test.example", "c@test.example"),
        entry("f@test.example", "b@test.example"),
    ]
    layers = _manager_layers(new)
    assert [[person["email"] for person in layer] for layer in layers] == [
        ["a@test.example", "d@test.example"],
        ["b@test.example"],
        ["c@test.example", "f@test.example"],
        ["e@test.example"],
    ]
    assert layers[0][0] is new[2]
    assert _manager_layers([]) == []


def test_the_write_returns_who_may_have_joined_a_group_and_who_was_written(db):
    boss = person("boss@test.example", "Bea Boss")
    lead = person("lead@test.example", "Lee Lead", manager=boss)
    person("stays@test.example", "Sam Stays", manager=lead)
    person("mover@test.example", "Mo Mover", manager=lead)
    person("switch@test.example", "Sue Switch", manager=lead)
    person("back@test.example", "Ben Back", manager=lead, active=False)
    person("leaver@test.example", "Lou Leaver", manager=boss)
    rows = rows_of(
        [
            # Renamed only: in no new group.
            ["boss@test.example", "Bea Renamed", "Engineering", ""],
            ["stays@test.example", "Sam Renamed", "Engineering", "lead@test.example"],
            # A new department.
            ["mover@test.example", "Mo Mover", "Sales", "lead@test.example"],
            # A new manager, who may have just become a people leader.
            ["switch@test.example", "Sue Switch", "Engineering", "boss@test.example"],
            # Back from leave: in their groups again, and so is their manager.
            ["back@test.example", "Ben Back", "Engineering", "lead@test.example", "", "yes"],
            # Leaving: in no new group.
            ["leaver@test.example", "Lou Leaver", "Engineering", "boss@test.example", "", "no"],
            ["new@test.example", "Nia New", "Engineering", "lead@test.example"],
            ["solo@test.example", "Sol Solo", "", ""],
        ]
    )
    touched, written = _write(rows, plan(rows=rows, acting_user=None))
    email_of = dict(User.objects.values_list("id", "email"))
    assert [email_of[pk] for pk in touched] == [
        "new@test.example",
        "solo@test.example",
        "mover@test.example",
        "switch@test.example",
        "boss@test.example",
        "back@test.example",
        "lead@test.example",
        "lead@test.example",  # a new report makes a people leader
    ]
    assert [email_of[pk] for pk in written] == [
        "new@test.example",
        "solo@test.example",
        "boss@test.example",
        "stays@test.example",
        "mover@test.example",
        "switch@test.example",
        "back@test.example",
        "leaver@test.example",
    ]


def test_late_joiner_assignments_go_only_to_people_the_import_touched(hr):
    rule = AssignmentRuleFactory(scope=AssignmentScope.EVERYONE, due_on=days(30))
    person("out@test.example", "Oz Out")  # in the group already, not in the file
    people_import_apply(batch=preview([["new@test.example", "Nia New"]], hr), acting_user=hr)
    assigned = Assignment.objects.filter(rule=rule).values_list("user__email", flat=True)
    assert list(assigned) == ["new@test.example"]


SUMMARY_FILE = [
    ["new@test.example", "Nia New"],
    ["ann@test.example", "Ann Renamed", "Engineering"],
    ["ben@test.example", "Ben Brown", "Engineering", "", "", "no"],
    ["hr@test.example", "Hana HR", "Engineering", "", "hr", "yes"],
]


def test_applying_returns_the_counts_and_records_one_audit_row_once(hr):
    person("ann@test.example", "Ann Able")
    person("ben@test.example", "Ben Brown")
    olu = person("olu@test.example", "Olu Other", hr=True)
    batch = preview(SUMMARY_FILE, hr)
    started = timezone.now()
    # Previewed by Hana, applied by Olu.
    outcome = people_import_apply(batch=batch, acting_user=olu)
    assert outcome == ApplyOutcome(
        applied=True,
        counts={"new": 1, "updated": 1, "deactivated": 1, "unchanged": 1, "rows": 4},
    )
    applied = ImportBatch.objects.get(pk=batch.pk)
    assert (applied.status, applied.created_by, applied.applied_by) == (
        ImportStatus.APPLIED,
        hr,
        olu,
    )
    assert started <= applied.applied_at <= timezone.now()
    digest = "0b9cdd2d83d88d44a732b6c136b583b84cc2785432b53d22e943d7d378a8fa5b"  # sha256sum
    entry = (
        "olu@test.example",
        "people.import",
        f"people.csv (import #{batch.pk})",
        "",
        f"1 new, 1 updated, 1 deactivated, 1 unchanged; sha256 {digest}",
    )
    audit = AuditEntry.objects.values_list(
        "actor__email", "action", "target", "old_value", "new_value"
    )
    assert list(audit) == [entry]
    # The learning summaries of everyone created or changed (not only of those who may
    # have joined a group) copy who they now are.
    summaries = LearningSummary.objects.filter(
        user__email__in=["ann@test.example", "ben@test.example", "new@test.example"]
    ).values_list("user__email", "full_name", "is_active")
    assert sorted(summaries) == [
        ("ann@test.example", "Ann Renamed", True),
        ("ben@test.example", "Ben Brown", False),
        ("new@test.example", "Nia New", True),
    ]
    # Applied once only, however often it is asked for (here with the batch as it was read).
    written = people()
    assert people_import_apply(batch=batch, acting_user=olu) == ApplyOutcome(
        applied=False, already_applied=True
    )
    assert list(audit) == [entry]
    assert people() == written


def test_a_preview_gone_stale_is_refreshed_not_applied(hr):
    batch = preview([["ann@test.example", "Ann Able", "Legal"]], hr)
    first = batch.preview["fingerprint"]
    Department.objects.create(name="Legal")  # someone else made it in the meantime
    assert people_import_apply(batch=batch, acting_user=hr) == ApplyOutcome(
        applied=False, refreshed=True
    )
    batch.refresh_from_db()
    assert without_fingerprint(batch.preview) == {
        "counts": {"new": 1, "updated": 0, "deactivated": 0, "unchanged": 0, "rows": 1},
        "new": [
            {
                "row": 2,
                "email": "ann@test.example",
                "name": "Ann Able",
                "department": "Legal",
                "manager_email": "",
                "role": "employee",
                "active": True,
            }
        ],
        "updated": [],
        "deactivated": [],
        "departments": [],
        "warnings": [],
    }
    assert batch.preview["fingerprint"] != first
    assert (batch.status, batch.applied_by, batch.applied_at) == (
        ImportStatus.PREVIEWED,
        None,
        None,
    )
    assert "ann@test.example" not in people()
    assert not AuditEntry.objects.exists()
    # The refreshed preview is the one that applies.
    assert people_import_apply(batch=batch, acting_user=hr) == ApplyOutcome(
        applied=True,
        counts={"new": 1, "updated": 0, "deactivated": 0, "unchanged": 0, "rows": 1},
    )
    assert people()["ann@test.example"] == ("Ann Able", "Legal", "", True)
    assert list(Department.objects.filter(name__iexact="legal").values_list("name")) == [("Legal",)]


def test_an_apply_refused_by_the_organisation_as_it_is_now_changes_nothing(hr):
    rita = person("rita@test.example", "Rita Root", hr=True)
    batch = preview(
        [
            ["rita@test.example", "Rita Root", "Engineering", "", "", "no"],
            ["new@test.example", "Nia New", "Legal", "", "hr"],
        ],
        hr,
    )
    before = state()
    with pytest.raises(ImportRejected) as caught:
        # Previewed by Hana; applied by Rita, whom the file deactivates.
        people_import_apply(batch=batch, acting_user=rita)
    assert [(error.row, error.column, error.message) for error in caught.value.errors] == [
        (2, "active", "You cannot deactivate your own account.")
    ]
    assert state() == before


def test_a_failure_while_writing_leaves_nothing_half_saved(organisation, monkeypatch):
    batch = preview(FILE, organisation)
    before = state()

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("allyship.people.importer.learning_summaries_refresh", fail)
    with pytest.raises(RuntimeError):
        people_import_apply(batch=batch, acting_user=organisation)
    assert state() == before


def test_a_warning_that_arose_after_the_preview_sends_hr_back_to_it(hr):
    lead = person("lead@test.example", "Lee Lead")
    batch = preview([["lead@test.example", "Lee Lead", "Engineering", "", "", "no"]], hr)
    assert batch.preview["warnings"] == []
    person("new.report@test.example", "Nia New", manager=lead)  # given a report meanwhile
    assert people_import_apply(batch=batch, acting_user=hr) == ApplyOutcome(
        applied=False, refreshed=True
    )
    batch.refresh_from_db()
    assert batch.preview["warnings"] == [
        "lead@test.example is being deactivated but still manages 1 active person not in this "
        "file: give them a new manager."
    ]
    assert people()["lead@test.example"][3] is True  # not deactivated yet

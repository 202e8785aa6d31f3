"""Plan an import: the parsed rows compared with the organisation as it is now.

What would be new, changed or deactivated, and every error found against the organisation
(unknown managers, manager loops, deactivating oneself). Reads only; the importer writes.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from allyship.models import Department, User
from allyship.people.csv_file import RowError
from allyship.services import hr_group


@dataclass
class Plan:
    """What applying the rows would change, worked out against the organisation as it is now."""

    errors: list[RowError] = field(default_factory=list)
    new: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    deactivated: list[dict] = field(default_factory=list)
    unchanged: int = 0
    departments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The organisation as read for this plan, reused when it is applied.
    people: dict = field(default_factory=dict, repr=False)
    email_of: dict = field(default_factory=dict, repr=False)

    def fingerprint(self) -> str:
        # The warnings too: a warning that arose after the preview sends HR back to it.
        changes = [self.new, self.updated, self.deactivated, self.departments, self.warnings]
        return hashlib.sha256(json.dumps(changes, sort_keys=True).encode()).hexdigest()

    def preview(self) -> dict:
        return {
            "counts": {
                "new": len(self.new),
                "updated": len(self.updated),
                "deactivated": len(self.deactivated),
                "unchanged": self.unchanged,
                "rows": len(self.new) + len(self.updated) + len(self.deactivated) + self.unchanged,
            },
            "new": self.new,
            "updated": self.updated,
            "deactivated": self.deactivated,
            "departments": self.departments,
            "warnings": self.warnings,
            "fingerprint": self.fingerprint(),
        }


@dataclass
class Person:
    id: int
    name: str
    department: str
    manager_id: int | None
    is_active: bool
    is_hr: bool


def _organisation() -> tuple[dict[str, Person], dict[int, str]]:
    hr_ids = set(hr_group().user_set.values_list("id", flat=True))
    people = {}
    emails = {}
    for pk, email, name, department, manager_id, is_active in User.objects.values_list(
        "id", "email", "full_name", "department__name", "manager_id", "is_active"
    ).iterator(chunk_size=5000):
        email = email.lower()
        people[email] = Person(pk, name, department or "", manager_id, is_active, pk in hr_ids)
        emails[pk] = email
    return people, emails


def plan(*, rows: list[dict], acting_user: User | None, also_in_file: Iterable[str] = ()) -> Plan:
    """Compare the rows with the organisation: errors (unknown managers, cycles...) and changes.

    `also_in_file` names emails on rows that failed their own checks, so a manager on such
    a row is not reported as unknown as well. Three queries whatever the file's size.
    """
    people, email_of = _organisation()
    result = Plan(people=people, email_of=email_of)
    also_in_file = set(also_in_file)
    by_email = {row["email"]: row for row in rows}
    known_departments = {
        name.lower(): name for name in Department.objects.values_list("name", flat=True)
    }
    new_departments: dict[str, str] = {}

    def manager_after(email: str) -> str:
        if email in by_email:
            return by_email[email]["manager_email"]
        person = people.get(email)
        return email_of[person.manager_id] if person and person.manager_id else ""

    def active_after(email: str) -> bool:
        if email in by_email:
            return by_email[email]["active"]
        person = people.get(email)
        return bool(person and person.is_active)

    for row in rows:
        manager_email = row["manager_email"]
        if manager_email and manager_email in also_in_file and manager_email not in by_email:
            pass  # that row has its own error already
        elif manager_email and manager_email not in by_email and manager_email not in people:
            result.errors.append(
                RowError(
                    row["row"],
                    "manager_email",
                    f"Nobody with the email {manager_email} is in this file or the organisation.",
                )
            )
        elif manager_email and row["active"] and not active_after(manager_email):
            result.errors.append(
                RowError(
                    row["row"],
                    "manager_email",
                    f"{manager_email} is inactive, so they cannot manage an active person.",
                )
            )
        if acting_user is not None and row["email"] == acting_user.email.lower():
            if not row["active"]:
                result.errors.append(
                    RowError(row["row"], "active", "You cannot deactivate your own account.")
                )
            if (
                row["role"] == "employee"
                and people.get(row["email"], None)
                and (people[row["email"]].is_hr)
            ):
                result.errors.append(
                    RowError(
                        row["row"],
                        "role",
                        "You cannot remove your own HR role; ask another HR admin.",
                    )
                )
    result.errors.extend(_cycle_errors(rows, manager_after))
    if result.errors:
        result.errors.sort(key=lambda error: (error.row, error.column))
        return result

    for row in rows:
        department = row["department"]
        if department:
            key = department.lower()
            if key in known_departments:
                department = known_departments[key]
            else:
                department = new_departments.setdefault(key, department)
            row = {**row, "department": department}
        person = people.get(row["email"])
        if person is None:
            result.new.append(
                {
                    "row": row["row"],
                    "email": row["email"],
                    "name": row["name"],
                    "department": row["department"],
                    "manager_email": row["manager_email"],
                    "role": row["role"] or "employee",
                    "active": row["active"],
                }
            )
            continue
        changes = _changes(person, row, email_of)
        if not changes:
            result.unchanged += 1
            continue
        entry = {"row": row["row"], "email": row["email"], "name": row["name"], "changes": changes}
        if person.is_active and not row["active"]:
            result.deactivated.append(entry)
        else:
            result.updated.append(entry)
    result.departments = sorted(new_departments.values())
    result.warnings = _orphan_warnings(rows, people, email_of, by_email)
    return result


def _changes(person: Person, row: dict, email_of: dict[int, str]) -> list[list[str]]:
    changes = []
    if person.name != row["name"]:
        changes.append(["name", person.name, row["name"]])
    if person.department != row["department"]:
        changes.append(["department", person.department, row["department"]])
    old_manager = email_of.get(person.manager_id, "")  # no manager: no key, so ""
    if old_manager != row["manager_email"]:
        changes.append(["manager", old_manager, row["manager_email"]])
    if row["role"]:
        old_role = "hr" if person.is_hr else "employee"
        if old_role != row["role"]:
            changes.append(["role", old_role, row["role"]])
    if person.is_active != row["active"]:
        changes.append(
            ["active", "yes" if person.is_active else "no", "yes" if row["active"] else "no"]
        )
    return changes


def _cycle_errors(rows: list[dict], manager_after) -> list[RowError]:
    """Rows whose manager chain, after the import, would loop back to them."""
    state: dict[str, int] = {}  # 1: on the path being walked, 2: known to end
    in_cycle: dict[str, list[str]] = {}
    for row in rows:
        path: list[str] = []
        email = row["email"]
        while email and state.get(email) is None:
            state[email] = 1
            path.append(email)
            email = manager_after(email)
        if email and state.get(email) == 1:
            loop = path[path.index(email) :]
            for member in loop:
                in_cycle[member] = loop
        for member in path:
            state[member] = 2
    errors = []
    for row in rows:
        loop = in_cycle.get(row["email"])
        if loop:
            start = loop.index(row["email"])
            chain = loop[start:] + loop[:start] + [row["email"]]
            errors.append(
                RowError(
                    row["row"],
                    "manager_email",
                    "The manager chain loops back to this person: " + " → ".join(chain) + ".",
                )
            )
    return errors


def _orphan_warnings(rows, people, email_of, by_email) -> list[str]:
    # Only someone this import deactivates: a manager who had already left is not news.
    leaving = {
        row["email"]
        for row in rows
        if not row["active"] and row["email"] in people and people[row["email"]].is_active
    }
    if not leaving:
        return []
    counts: dict[str, int] = {}
    for email, person in people.items():
        if email in by_email or not person.is_active or not person.manager_id:
            continue
        manager = email_of[person.manager_id]
        if manager in leaving:
            counts[manager] = counts.get(manager, 0) + 1
    return [
        f"{manager} is being deactivated but still manages {count} active "
        f"{'person' if count == 1 else 'people'} not in this file: give them a new manager."
        for manager, count in sorted(counts.items())
    ]


# Services -----------------------------------------------------------------------------

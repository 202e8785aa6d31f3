"""Import people from a CSV file: parse, validate every row, preview the changes, apply.

Columns: email, name, department, manager_email, role (employee or hr), active.
People are matched by email. A row marked inactive deactivates the person (never
deletes them, so their history stays); people missing from the file are left as they
are. Any error anywhere means nothing changes: every error is listed with its row and
column. Applying is queued for a background task (`people_import_queue`), which writes
with bulk operations in one transaction and one audit row (`people_import_run`).
"""

import datetime
import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone

from allyship.models import Department, ImportBatch, ImportStatus, User
from allyship.people.csv_file import ImportRejected, RowError, parse
from allyship.services import audit_record, hr_group, roles_refresh


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
        changes = [self.new, self.updated, self.deactivated, self.departments]
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


# Planning against the organisation ----------------------------------------------------


@dataclass
class _Person:
    id: int
    email: str
    name: str
    department: str
    manager_id: int | None
    is_active: bool
    is_hr: bool


def _organisation() -> tuple[dict[str, _Person], dict[int, str]]:
    hr_ids = set(hr_group().user_set.values_list("id", flat=True))
    people = {}
    emails = {}
    for pk, email, name, department, manager_id, is_active in User.objects.values_list(
        "id", "email", "full_name", "department__name", "manager_id", "is_active"
    ).iterator(chunk_size=5000):
        email = email.lower()
        people[email] = _Person(
            pk, email, name, department or "", manager_id, is_active, pk in hr_ids
        )
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
        return email_of.get(person.manager_id, "") if person and person.manager_id else ""

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


def _changes(person: _Person, row: dict, email_of: dict[int, str]) -> list[list[str]]:
    changes = []
    if person.name != row["name"]:
        changes.append(["name", person.name, row["name"]])
    if person.department != row["department"]:
        changes.append(["department", person.department, row["department"]])
    old_manager = email_of.get(person.manager_id, "") if person.manager_id else ""
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
    leaving = {row["email"] for row in rows if not row["active"]}
    if not leaving:
        return []
    counts: dict[str, int] = {}
    for email, person in people.items():
        if email in by_email or not person.is_active or not person.manager_id:
            continue
        manager = email_of.get(person.manager_id, "")
        if manager in leaving:
            counts[manager] = counts.get(manager, 0) + 1
    return [
        f"{manager} is being deactivated but still manages {count} active "
        f"{'person' if count == 1 else 'people'} not in this file: give them a new manager."
        for manager, count in sorted(counts.items())
    ]


# Services -----------------------------------------------------------------------------


def people_import_preview(*, data: bytes, file_name: str, acting_user: User | None) -> ImportBatch:
    """Parse and validate an upload and store it with its preview; raises ImportRejected.

    Changes nothing in the organisation.
    """
    parsed = parse(data)
    if parsed.fatal:
        raise ImportRejected(parsed.errors)
    result = plan(rows=parsed.rows, acting_user=acting_user, also_in_file=parsed.emails)
    errors = sorted(parsed.errors + result.errors, key=lambda error: (error.row, error.column))
    if errors:
        raise ImportRejected(errors)
    return ImportBatch.objects.create(
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=parsed.rows,
        preview=result.preview(),
        created_by=acting_user,
    )


@dataclass(frozen=True)
class ApplyOutcome:
    applied: bool
    already_applied: bool = False
    refreshed: bool = False
    counts: dict = field(default_factory=dict)


def people_import_apply(*, batch: ImportBatch, acting_user: User | None) -> ApplyOutcome:
    """Apply a previewed batch atomically with bulk writes and one audit row; once only.

    The rows are checked again against the organisation as it is now: if the changes
    differ from the preview HR saw, the preview is refreshed and nothing is applied.
    Late joiners then receive their group assignments. Raises ImportRejected on errors.
    """
    from learning.assignments import assignment_rules_apply
    from learning.summaries import learning_summaries_refresh

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ImportStatus.APPLIED:
            return ApplyOutcome(applied=False, already_applied=True)
        result = plan(rows=batch.rows, acting_user=acting_user)
        if result.errors:
            raise ImportRejected(result.errors)
        if result.fingerprint() != batch.preview.get("fingerprint"):
            batch.preview = result.preview()
            batch.save(update_fields=["preview"])
            return ApplyOutcome(applied=False, refreshed=True)
        touched, written = _write(batch.rows, result)
        batch.status = ImportStatus.APPLIED
        batch.applied_by = acting_user
        batch.applied_at = timezone.now()
        batch.save(update_fields=["status", "applied_by", "applied_at"])
        counts = result.preview()["counts"]
        audit_record(
            acting_user=acting_user,
            action="people.import",
            target=f"{batch.file_name} (import #{batch.pk})",
            new=(
                f"{counts['new']} new, {counts['updated']} updated, "
                f"{counts['deactivated']} deactivated, {counts['unchanged']} unchanged; "
                f"sha256 {batch.sha256}"
            ),
        )
        assignment_rules_apply(user_ids=touched)
        learning_summaries_refresh(user_ids=written)
    return ApplyOutcome(applied=True, counts=counts)


# An import still "queued" or "applying" after this long lost its worker (the write is one
# transaction, so nothing was half-applied): HR may queue it again.
STALE_AFTER = datetime.timedelta(minutes=30)
IN_PROGRESS = (ImportStatus.QUEUED, ImportStatus.APPLYING)


@dataclass(frozen=True)
class QueueOutcome:
    queued: bool
    already_applied: bool = False
    in_progress: bool = False


def people_import_queue(*, batch: ImportBatch, acting_user: User | None) -> QueueOutcome:
    """Ask for a previewed batch to be applied: marks it queued and, once committed, enqueues
    the task. Asking again while it waits or runs (a double click) queues nothing more."""
    from allyship.people.tasks import apply_people_import

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().only("status", "queued_at").get(pk=batch.pk)
        if batch.status == ImportStatus.APPLIED:
            return QueueOutcome(queued=False, already_applied=True)
        stale = batch.queued_at is None or batch.queued_at < timezone.now() - STALE_AFTER
        if batch.status in IN_PROGRESS and not stale:
            return QueueOutcome(queued=False, in_progress=True)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.QUEUED,
            applied_by=acting_user,
            queued_at=timezone.now(),
            started_at=None,
            outcome={},
        )
        batch_id = batch.pk
        transaction.on_commit(lambda: apply_people_import.enqueue(batch_id))
    return QueueOutcome(queued=True)


def people_import_run(*, batch_id: int) -> ApplyOutcome:
    """The task's work: apply a queued batch as the person who queued it, and record how it
    ended on the batch (applied; or back to previewed, refreshed or with the errors found)."""
    started = ImportBatch.objects.filter(pk=batch_id, status__in=IN_PROGRESS).update(
        status=ImportStatus.APPLYING, started_at=timezone.now()
    )
    if not started:  # applied already, or the batch is gone
        return ApplyOutcome(applied=False, already_applied=True)
    batch = ImportBatch.objects.select_related("applied_by").get(pk=batch_id)
    try:
        outcome = people_import_apply(batch=batch, acting_user=batch.applied_by)
    except ImportRejected as rejected:
        errors = [
            {"row": error.row, "column": error.column, "message": error.message}
            for error in rejected.errors[:500]
        ]
        _finish(
            batch_id, {"kind": "rejected", "errors": errors, "error_count": len(rejected.errors)}
        )
        return ApplyOutcome(applied=False)
    except Exception:
        _finish(batch_id, {"kind": "failed"})
        raise  # the task is recorded as failed, with its traceback, for whoever runs the worker
    if outcome.refreshed:
        _finish(batch_id, {"kind": "refreshed"})
    elif outcome.applied:
        ImportBatch.objects.filter(pk=batch_id).update(
            outcome={"kind": "applied", "counts": outcome.counts}
        )
    return outcome


def _finish(batch_id: int, outcome: dict) -> None:
    """Back to previewed, so HR can apply again, with what happened."""
    ImportBatch.objects.filter(pk=batch_id).exclude(status=ImportStatus.APPLIED).update(
        status=ImportStatus.PREVIEWED, outcome=outcome
    )


def _chunks(items: list, size: int = 900) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(rows: list[dict], result: Plan) -> tuple[list[int], list[int]]:
    """Bulk-write the planned changes; returns the ids of people who may have joined a group
    (a manager who gains a report among them: they may have just become a people leader),
    and of everyone created or changed."""
    by_email = {row["email"]: row for row in rows}
    people = result.people
    Department.objects.bulk_create(
        [Department(name=name) for name in result.departments], ignore_conflicts=True
    )
    department_ids = {name.lower(): pk for pk, name in Department.objects.values_list("id", "name")}

    def department_id(row: dict) -> int | None:
        return department_ids.get(row["department"].lower()) if row["department"] else None

    ids = {email: person.id for email, person in people.items()}
    # Managers are created before the people they manage, a layer at a time, so every new
    # person is inserted with their manager already set (no second pass to update them).
    for layer in _manager_layers(result.new):
        new_users = [
            User(
                email=entry["email"],
                full_name=entry["name"],
                department_id=department_id(entry),
                manager_id=ids[entry["manager_email"]] if entry["manager_email"] else None,
                is_active=entry["active"],
                password=_unusable_password(),
            )
            for entry in layer
        ]
        User.objects.bulk_create(new_users, batch_size=1000)
        if new_users and new_users[0].pk is None:  # databases that do not return ids
            for chunk in _chunks([user.email for user in new_users]):
                ids.update(User.objects.filter(email__in=chunk).values_list("email", "id"))
        else:
            ids.update({user.email: user.pk for user in new_users})

    changed = [entry["email"] for entry in result.updated + result.deactivated]
    updates = []
    touched = [ids[entry["email"]] for entry in result.new]
    for email in changed:
        row = by_email[email]
        person = people[email]
        manager_id = ids[row["manager_email"]] if row["manager_email"] else None
        if (
            department_id(row) != _department_id_of(person, department_ids)
            or manager_id != person.manager_id
            or (row["active"] and not person.is_active)
        ):
            touched.append(person.id)
        if manager_id is not None and (manager_id != person.manager_id or not person.is_active):
            touched.append(manager_id)  # may have just become a people leader
        updates.append(
            User(
                id=person.id,
                full_name=row["name"],
                department_id=department_id(row),
                manager_id=manager_id,
                is_active=row["active"],
            )
        )
    User.objects.bulk_update(
        updates, ["full_name", "department", "manager", "is_active"], batch_size=500
    )
    # A new report makes a people leader.
    touched.extend(ids[entry["manager_email"]] for entry in result.new if entry["manager_email"])

    group = hr_group()
    through = User.groups.through
    make_hr = [ids[row["email"]] for row in rows if row["role"] == "hr"]
    through.objects.bulk_create(
        [through(user_id=user_id, group_id=group.pk) for user_id in make_hr],
        batch_size=500,
        ignore_conflicts=True,
    )
    drop_hr = [
        people[row["email"]].id
        for row in rows
        if row["role"] == "employee" and row["email"] in people and people[row["email"]].is_hr
    ]
    for chunk in _chunks(drop_hr):
        through.objects.filter(group_id=group.pk, user_id__in=chunk).delete()
    # Everyone in the file and everyone who managed them before: their roles may have moved.
    roles_refresh(user_ids=[*ids.values(), *(person.manager_id for person in people.values())])
    written = [ids[entry["email"]] for entry in result.new] + [person.id for person in updates]
    return touched, written


def _unusable_password() -> str:
    """What `make_password(None)` stores (no password can match it), from the system's random
    source in one call rather than forty: imported people set theirs by password reset."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _manager_layers(new: list[dict]) -> list[list[dict]]:
    """New people in layers: first those whose manager is not new, then those managed by
    the first layer, and so on (the plan has already refused loops)."""
    by_email = {entry["email"]: entry for entry in new}
    depth: dict[str, int] = {}
    for entry in new:
        chain = []
        email = entry["email"]
        while email in by_email and email not in depth:
            chain.append(email)
            email = by_email[email]["manager_email"]
        base = depth.get(email, -1) if email in by_email else -1
        for member in reversed(chain):
            base += 1
            depth[member] = base
    layers: list[list[dict]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for entry in new:
        layers[depth[entry["email"]]].append(entry)
    return layers


def _department_id_of(person: _Person, department_ids: dict[str, int]) -> int | None:
    return department_ids.get(person.department.lower()) if person.department else None

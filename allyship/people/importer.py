"""Import people from a CSV file: parse, validate every row, preview the changes, apply.

Columns: email, name, department, manager_email, role (employee or hr), active.
People are matched by email. A row marked inactive deactivates the person (never
deletes them, so their history stays); people missing from the file are left as they
are. Any error anywhere means nothing changes: every error is listed with its row and
column. The rows are planned in `allyship.people.plan`; applying is queued
(`allyship.people.queue`) for a background task (`allyship.people.tasks`), which calls
`people_import_apply`: bulk writes in one transaction and one audit row.
"""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone

from allyship.models import Department, ImportBatch, ImportStatus, User
from allyship.people.csv_file import ImportRejected, parse
from allyship.people.plan import Person, Plan, plan
from allyship.services import audit_record, hr_group, roles_refresh
from learning.assignments import assignment_rules_apply
from learning.summaries import learning_summaries_refresh

# A batch waiting for, or being applied by, the task.
IN_PROGRESS = (ImportStatus.QUEUED, ImportStatus.APPLYING)


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


def _chunks(items: list, size: int = 900) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(rows: list[dict], result: Plan) -> tuple[list[int], list[int]]:
    """Bulk-write the planned changes; returns the ids of people who may have joined a group
    (a manager who gains a report among them: they may have just become a people leader),
    and of everyone created or changed."""
    by_email = {row["email"]: row for row in rows}
    people = result.people
    # Another transaction may create one of these departments after the plan read them.
    Department.objects.bulk_create(
        [Department(name=name) for name in result.departments],
        ignore_conflicts=True,  # pragma: no mutate (only a concurrent insert can conflict)
    )
    department_ids = {name.lower(): pk for pk, name in Department.objects.values_list("id", "name")}

    def department_id(row: dict) -> int | None:
        return department_ids.get(row["department"].lower())  # none: "" is no department's key

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
        # SQLite and PostgreSQL return the new ids; Django splits the insert to each one's limits.
        User.objects.bulk_create(new_users)
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


def _department_id_of(person: Person, department_ids: dict[str, int]) -> int | None:
    return department_ids.get(person.department.lower())  # none: "" is no department's key

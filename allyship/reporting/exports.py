"""The CSV export of the employee table, safe to open in a spreadsheet.

The whole filtered table is one query and tens of ms of formatting at 10,000 people, so the
finished file is kept as a snapshot for a minute per set of filters and sort, under the same
policy and clock as the HR dashboard's figures (`reports.minute_snapshot`). The file name
says when the snapshot was taken. Every download is audited, snapshot or not.
"""

import csv
import datetime
import io
from collections.abc import Iterator

from django.utils import timezone

from allyship.models import User
from allyship.reporting.reports import (
    DEFAULT_SORT,
    PERSON_FIELDS,
    Filters,
    Snapshot,
    employee_rows,
    minute_snapshot,
)

EXPORT_HEADER = [
    "Name",
    "Email",
    "Department",
    "Manager",
    "Manager email",
    "Courses assigned",
    "Completed",
    "Overdue",
    "Average completion %",
    "Next due",
]
# Who each person is (without the id), then their measures, in the header's order.
EXPORT_COLUMNS = (
    *PERSON_FIELDS[1:],
    "assigned",
    "completed",
    "overdue",
    "completion",
    "next_due",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula: risky first characters get a quote."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_lines(filters: Filters, sort: str = DEFAULT_SORT) -> Iterator[list]:
    """The whole filtered table, header first, read from the database in chunks. Numbers and
    dates are left to csv.writer (None is an empty cell, a date its ISO form)."""
    yield EXPORT_HEADER
    rows = employee_rows(filters, sort).values_list(*EXPORT_COLUMNS)
    for name, email, department, manager, manager_email, *counts, completion, due in rows.iterator(
        chunk_size=2000
    ):
        yield [
            csv_safe(name),
            csv_safe(email),
            csv_safe(department),
            csv_safe(manager),
            csv_safe(manager_email),
            *counts,
            None if completion is None else round(completion),
            due,
        ]


def employees_csv(filters: Filters, sort: str = DEFAULT_SORT) -> bytes:
    """The export as UTF-8 bytes, with the byte-order mark spreadsheet programs need to read
    it as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(export_lines(filters, sort))
    return buffer.getvalue().encode()


def export_file_name(taken_at: datetime.datetime) -> str:
    """The download's name says when its snapshot was taken."""
    return f"employees-{timezone.localtime(taken_at):%Y-%m-%d-%H%M}.csv"


def employees_export_snapshot(filters: Filters, sort: str = DEFAULT_SORT) -> Snapshot[bytes]:
    """The export for these filters and sort, made at most once a minute on this server."""
    return minute_snapshot("hr-export", (filters, sort), lambda: employees_csv(filters, sort))


def employees_export_audit(
    *, acting_user: User, filters: Filters, taken_at: datetime.datetime
) -> None:
    """Record that HR downloaded the employee table as of `taken_at` (an audit row; the
    export itself is a read)."""
    from allyship.services import audit_record

    described = ", ".join(
        f"{name}={value}"
        for name, value in (
            ("department", filters.department_id),
            ("course", filters.course_id),
            ("team_of", filters.team_of),
            ("q", filters.query),
            ("overdue_only", filters.overdue_only or None),
        )
        if value
    )
    audit_record(
        acting_user=acting_user,
        action="employees.export",
        target="employees.csv",
        new=f"{described or 'everyone'}; figures as of "
        f"{timezone.localtime(taken_at):%Y-%m-%d %H:%M:%S}",
    )

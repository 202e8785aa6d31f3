"""The CSV export of the employee table, safe to open in a spreadsheet.

Streamed: rows are read from the database with a server-side cursor in chunks and written
out as they come, so memory stays flat at any size. The figures are current at the moment
of the download, whose time the file name carries. Every download is audited.
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
    employee_rows,
    sort_key,
)
from allyship.reporting.tables import SUMMARY_SORTS, summaries
from allyship.services import audit_record

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


SUMMARY_COLUMNS = (
    "full_name",
    "user__email",
    "user__department__name",
    "user__manager__full_name",
    "user__manager__email",
    "assigned",
    "completed",
    "open_due_dates",
    "completion",
    "next_due_on",
)
CHUNK = 2000


def _person(name, email, department, manager, manager_email) -> list[str]:
    return [csv_safe(value) for value in (name, email, department, manager, manager_email)]


def export_lines(filters: Filters, sort: str = DEFAULT_SORT) -> Iterator[list]:
    """The whole filtered table, header first, read from the database in chunks. Numbers and
    dates are left to csv.writer (None is an empty cell, a date its ISO form).

    Without a course filter the rows are the stored summaries, in the table's order; the
    overdue count is worked out for today from each person's open due dates."""
    yield EXPORT_HEADER
    if filters.course_id:
        rows = employee_rows(filters, sort).values_list(*EXPORT_COLUMNS)
        for *person, assigned, completed, overdue, completion, due in rows.iterator(CHUNK):
            yield [
                *_person(*person),
                assigned,
                completed,
                overdue,
                None if completion is None else round(completion),
                due,
            ]
        return
    cutoff = timezone.localdate().isoformat()
    rows = summaries(filters).order_by(*SUMMARY_SORTS[sort_key(sort)]).values_list(*SUMMARY_COLUMNS)
    for *person, assigned, completed, open_dues, completion, due in rows.iterator(CHUNK):
        yield [
            *_person(*person),
            assigned,
            completed,
            sum(1 for day in open_dues if day < cutoff),
            None if completion is None else round(completion),
            due,
        ]


def employees_csv_chunks(filters: Filters, sort: str = DEFAULT_SORT) -> Iterator[bytes]:
    """The export as UTF-8 bytes in pieces of CHUNK rows, for a streamed response: the
    byte-order mark spreadsheet programs need first, then the rows. Memory stays flat."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for count, line in enumerate(export_lines(filters, sort), start=1):
        writer.writerow(line)
        if count % CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def employees_csv(filters: Filters, sort: str = DEFAULT_SORT) -> bytes:
    """The whole export in one piece (for tests and small callers)."""
    return b"".join(employees_csv_chunks(filters, sort))


def export_file_name(taken_at: datetime.datetime) -> str:
    """The download's name says when it was made."""
    return f"employees-{timezone.localtime(taken_at):%Y-%m-%d-%H%M}.csv"


def employees_export_audit(
    *, acting_user: User, filters: Filters, taken_at: datetime.datetime
) -> None:
    """Record that HR downloaded the employee table as of `taken_at` (an audit row; the
    export itself is a read)."""

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

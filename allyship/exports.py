"""The streamed CSV export of the employee table, safe to open in a spreadsheet."""

from collections.abc import Iterator

from allyship.models import User
from allyship.reports import DEFAULT_SORT, Filters, employee_rows

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
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula: risky first characters get a quote."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_lines(filters: Filters, sort: str = DEFAULT_SORT) -> Iterator[list[str]]:
    """The whole filtered table, header first, streamed from the database in chunks."""
    yield EXPORT_HEADER
    for row in employee_rows(filters, sort).iterator(chunk_size=2000):
        completion = row["completion"]
        yield [
            csv_safe(row["full_name"]),
            csv_safe(row["email"]),
            csv_safe(row["department__name"]),
            csv_safe(row["manager__full_name"]),
            csv_safe(row["manager__email"]),
            str(row["assigned"]),
            str(row["completed"]),
            str(row["overdue"]),
            "" if completion is None else str(round(completion)),
            row["next_due"].isoformat() if row["next_due"] else "",
        ]


def employees_export_audit(*, acting_user: User, filters: Filters) -> None:
    """Record that HR exported the employee table (an audit row; the export itself is a read)."""
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
        new=described or "everyone",
    )

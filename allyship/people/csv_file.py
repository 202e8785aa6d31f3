"""Reading an uploaded people CSV: encoding, header, and each row checked on its own.

The rows are then planned against the organisation in allyship/people/importer.py.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from allyship.models import Department, User
from allyship.validators import SINGLE_LINE_MESSAGE, is_single_line

COLUMNS = ("email", "name", "department", "manager_email", "role", "active")
REQUIRED = ("email", "name")
ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "full_name": "name",
    "manager": "manager_email",
    "manager_email_address": "manager_email",
    "is_active": "active",
    "status": "active",
}
ROLES = ("employee", "hr")
TRUE = {"yes", "y", "true", "1", "active"}
FALSE = {"no", "n", "false", "0", "inactive"}
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
# The limits of the columns the rows are written to, so a row that passes here fits there.
MAX_EMAIL = User._meta.get_field("email").max_length
MAX_NAME = User._meta.get_field("full_name").max_length
MAX_DEPARTMENT = Department._meta.get_field("name").max_length
# Magic numbers of files people upload by mistake instead of a CSV export.
NOT_CSV = {
    b"PK\x03\x04": "This looks like an Excel workbook or another zipped file, not a CSV file.",
    b"\xd0\xcf\x11\xe0": "This looks like an old Excel (.xls) file, not a CSV file.",
    b"%PDF": "This is a PDF file, not a CSV file.",
    b"\x89PNG": "This is an image, not a CSV file.",
    b"\xff\xd8\xff": "This is an image, not a CSV file.",
}
SAVE_AS_CSV = "In your spreadsheet, choose Save as, then “CSV UTF-8”, and upload that file."


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row (the header is row 1; 0 is the whole file) and column."""

    row: int
    column: str
    message: str


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


# Parsing ------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str | None, list[RowError]]:
    if not data.strip():
        return None, [RowError(0, "", "The file is empty.")]
    for magic, message in NOT_CSV.items():
        if data.startswith(magic):
            return None, [RowError(0, "", f"{message} {SAVE_AS_CSV}")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [RowError(0, "", f"The file is UTF-16 text, not UTF-8. {SAVE_AS_CSV}")]
    if b"\x00" in data[:8192]:
        return None, [RowError(0, "", f"This is not a text file, so not a CSV file. {SAVE_AS_CSV}")]
    if b"\x00" in data:
        # Databases cannot store a NUL character; say where it is, wherever it is.
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        message = f"This line contains a NUL character (a zero byte), not text. {SAVE_AS_CSV}"
        return None, [RowError(line, "", message)]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    errors = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(
                RowError(
                    number,
                    "",
                    f"This line is not UTF-8 text (byte 0x{line[exc.start]:02x} at position "
                    f"{exc.start + 1}). {SAVE_AS_CSV}",
                )
            )
            if len(errors) >= 100:
                break
    return None, errors or [RowError(0, "", f"The file is not UTF-8 text. {SAVE_AS_CSV}")]


def _header_key(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return ALIASES.get(key, key)


def _delimiter(first_line: str) -> str:
    # Spreadsheets in some locales save with semicolons or tabs.
    for candidate in (",", ";", "\t"):
        if candidate in first_line:
            return candidate
    return ","


@dataclass
class Parsed:
    """The rows that passed the file's own checks, the errors, and every email the file names."""

    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    emails: set[str] = field(default_factory=set)
    # A fatal error (encoding, header...) means the rows could not be read at all.
    fatal: bool = False


def parse(data: bytes) -> Parsed:
    """Read and check the file on its own, without the database."""
    if len(data) > MAX_BYTES:
        message = f"The file is larger than {MAX_BYTES // 1024 // 1024} MB."
        return Parsed(errors=[RowError(0, "", message)], fatal=True)
    text, errors = _decode(data)
    if text is None:
        return Parsed(errors=errors, fatal=True)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n")[0]))
    try:
        header = next(reader)
    except csv.Error as exc:
        return Parsed(
            errors=[RowError(1, "", f"The file cannot be read as CSV: {exc}.")], fatal=True
        )
    except StopIteration:
        return Parsed(errors=[RowError(0, "", "The file is empty.")], fatal=True)
    keys = [_header_key(name) for name in header]
    for index, (name, key) in enumerate(zip(header, keys, strict=True)):
        if not name.strip():
            errors.append(RowError(1, f"column {index + 1}", "This column has no name."))
        elif key not in COLUMNS:
            errors.append(
                RowError(
                    1,
                    name.strip(),
                    f"Unknown column “{name.strip()}”. The columns are: {', '.join(COLUMNS)}.",
                )
            )
        elif keys.index(key) != index:
            errors.append(RowError(1, key, "This column appears twice."))
    for required in REQUIRED:
        if required not in keys:
            errors.append(RowError(1, required, f"The column “{required}” is missing."))
    if errors:
        return Parsed(errors=errors, fatal=True)
    parsed = Parsed()
    seen: dict[str, int] = {}
    # Spreadsheet rows: the header is row 1. A value with a line break is still one row.
    number = 1
    try:
        for number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            if len(parsed.rows) >= MAX_ROWS:
                message = f"The file has more than {MAX_ROWS:,} people."
                return Parsed(errors=[RowError(number, "", message)], fatal=True)
            row, row_errors = _clean_row(number, values, keys)
            if row is not None:
                parsed.emails.add(row["email"])
                first = seen.setdefault(row["email"], number)
                if first != number:
                    row_errors.append(
                        RowError(
                            number,
                            "email",
                            f"{row['email']} is also on row {first}: each person appears once.",
                        )
                    )
            parsed.errors.extend(row_errors)
            if row is not None and not row_errors:
                parsed.rows.append(row)
    except csv.Error as exc:
        message = f"The file cannot be read as CSV from here on: {exc}."
        parsed.errors.append(RowError(number + 1, "", message))
        parsed.fatal = True
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError(2, "", "The file has a header but no people."))
        parsed.fatal = True
    return parsed


def _email_ok(email: str) -> bool:
    if len(email) > MAX_EMAIL:
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _email_problem(email: str) -> str:
    if len(email) > MAX_EMAIL:
        return f"The email address is longer than {MAX_EMAIL} characters."
    return f"“{email}” is not a valid email address."


def _clean_row(
    number: int, values: list[str], keys: list[str]
) -> tuple[dict | None, list[RowError]]:
    errors: list[RowError] = []
    if len(values) > len(keys):
        extra = values[len(keys) :]
        if any(value.strip() for value in extra):
            return None, [
                RowError(
                    number,
                    "",
                    f"This row has {len(values)} values but the header names {len(keys)} columns.",
                )
            ]
    raw = {
        key: (values[index].strip() if index < len(values) else "")
        for index, key in enumerate(keys)
    }

    def fail(key: str, message: str) -> None:
        errors.append(RowError(number, key, message))

    email = raw.get("email", "").lower()
    if not email:
        fail("email", "The email address is missing.")
    elif not _email_ok(email):
        fail("email", _email_problem(raw["email"]))
    name = raw.get("name", "")
    if not name:
        fail("name", "The name is missing.")
    elif len(name) > MAX_NAME:
        fail("name", f"The name is longer than {MAX_NAME} characters.")
    elif not is_single_line(name):
        fail("name", f"The name has a line break in it. {SINGLE_LINE_MESSAGE}")
    department = raw.get("department", "")
    if not is_single_line(department):
        fail("department", f"The department has a line break in it. {SINGLE_LINE_MESSAGE}")
    department = re.sub(r"\s+", " ", department)
    if len(department) > MAX_DEPARTMENT:
        fail("department", f"The department is longer than {MAX_DEPARTMENT} characters.")
    manager_email = raw.get("manager_email", "").lower()
    if manager_email:
        if not _email_ok(manager_email):
            fail("manager_email", _email_problem(raw["manager_email"]))
        else:
            if manager_email == email:
                fail("manager_email", "A person cannot be their own manager.")
    role = raw.get("role", "").lower()
    if role and role not in ROLES:
        fail("role", f"“{raw['role']}” is not a role: use employee or hr.")
    active_text = raw.get("active", "").lower()
    if active_text and active_text not in TRUE | FALSE:
        fail("active", f"“{raw['active']}” is not yes or no.")
    if not email:
        return None, errors
    row = {
        "row": number,
        "email": email,
        "name": name,
        "department": department,
        "manager_email": manager_email,
        "role": role,
        "active": active_text not in FALSE,
    }
    return row, errors

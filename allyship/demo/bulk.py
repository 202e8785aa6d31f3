"""The mechanics the demo data shares: fast idempotent bulk inserts and the stable
"chance" that stands in for random data, so a person's numbers come from their id."""

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models.constants import OnConflict

from allyship.models import User
from learning.models import (
    Assignment,
    Course,
    Module,
)

DEMO_HR = "hr@example.com"
DEMO_LEARNER = "employee@example.com"
FOUNDATIONS = "allyship-foundations"
MEETINGS = "allyship-in-meetings"
LEADERS = "allyship-for-people-leaders"
# Quiz answers for at most this many people: plenty for every group of five.
QUIZ_SAMPLE = 2000
BATCH = 2000
DAY = datetime.timedelta(days=1)
# How many modules (in curriculum order) the named people have completed.
NAMED_LEVELS = {
    DEMO_LEARNER: 1,
    "manager@example.com": 7,
    "lead@example.com": 11,
    "dana@example.com": 6,
    "eli@example.com": 0,
    "fatima@example.com": 3,
    "grace@example.com": 9,
    "hugo@example.com": 2,
    "isla@example.com": 11,
    DEMO_HR: 11,
}


def insert_rows(model, rows: list[dict]) -> None:
    """Insert plain rows fast, skipping any that already exist (every column is given).

    bulk_create builds a model instance and prepares every value through the ORM, which
    dominates the seed at 10,000 people. Here each field still prepares its own value
    (dates, JSON) for the database in use, and rows go in as multi-row INSERTs on SQLite
    and through COPY on PostgreSQL.
    """
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    values = (
        [
            field.get_db_prep_save(row[name], connection)
            for field, name in zip(fields, names, strict=True)
        ]
        for row in rows
    )
    if connection.vendor == "postgresql":
        copy_rows(model, fields, values)
        return
    ops = connection.ops
    head = "{} {} ({}) VALUES ".format(
        ops.insert_statement(on_conflict=OnConflict.IGNORE),
        ops.quote_name(model._meta.db_table),
        ", ".join(ops.quote_name(field.column) for field in fields),
    )
    tail = " " + (ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None) or "")
    row_sql = "({})".format(", ".join(["%s"] * len(fields)))
    size = max(1, min(BATCH, (connection.features.max_query_params or 10**6) // len(fields)))
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(values, size)):
            cursor.execute(
                head + ", ".join([row_sql] * len(batch)) + tail,
                [value for row in batch for value in row],
            )


def copy_rows(model, fields: list, values) -> None:
    """PostgreSQL: COPY into a temporary table, then insert what is not there yet.

    COPY is many times faster than INSERT statements but cannot skip existing rows.
    """
    import psycopg

    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    stage = ops.quote_name(f"demo_stage_{model._meta.db_table}")
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {stage} AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {stage}")


def chance(*numbers: int) -> int:
    """A stable number from 0 to 99 for these ids: the demo's stand-in for chance."""
    value = 2166136261
    for number in numbers:
        value = ((value ^ (number & 0xFFFFFFFF)) * 16777619) & 0xFFFFFFFF
    return (value ^ (value >> 13)) * 2654435761 % 2**32 % 100


def level_of(user_id: int, email: str, module_count: int) -> int:
    if email in NAMED_LEVELS:
        return min(NAMED_LEVELS[email], module_count)
    bucket = chance(user_id, 1)
    half = max(module_count // 2, 1)
    if bucket < 18:
        return 0
    if bucket < 55:
        return 1 + chance(user_id, 2) % half
    if bucket < 82:
        return half + chance(user_id, 3) % max(module_count - half, 1)
    return module_count


@dataclass
class DemoContext:
    today: datetime.date
    now: datetime.datetime
    hr: User | None
    modules: list[Module]
    courses: list[Course]


def assigned_courses() -> dict[int, set[int]]:
    assigned: dict[int, set[int]] = defaultdict(set)
    live = Assignment.objects.filter(withdrawn_at__isnull=True)
    for user_id, course_id in live.values_list("user_id", "course_id").iterator(chunk_size=BATCH):
        assigned[user_id].add(course_id)
    return assigned

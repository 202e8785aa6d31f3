"""Reading the whole organisation once into *cells*, for the background figures.

A cell is the people who share a department and a direct manager; every scope a report can
ask for is a union of whole cells (see `allyship.reporting.figures`). `organisation_read`
runs one set of aggregate queries and returns an `Organisation`: people per cell, and each
cell's dashboard measures and insight units, each unit with the number of people behind it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from allyship.models import Department, User
from learning.models import (
    FOLLOWED_THROUGH,
    ON_TIME,
    Assignment,
    Commitment,
    CommitmentStatus,
    CourseProgress,
)
from learning.refreshers.models import RefresherReview
from learning.services import week_start
from quizzes.models import Answer, AnswerContext, Choice, Rating

ORG = "org"
WEEKS_SHOWN = 12
NO_DEPARTMENT = "No department"

Cell = tuple[int, int]  # (department id or 0, direct manager id or 0)


def scope_key(*, department_id: int | None = None, team_of: int | None = None) -> str:
    """The name of the scope a report covers (see `ReportFigures.scope`)."""
    parts = []
    if department_id:
        parts.append(f"department:{department_id}")
    if team_of:
        parts.append(f"team:{team_of}")
    return "|".join(parts) or ORG


def scope_parse(scope: str) -> tuple[int | None, int | None]:
    """A scope's department and team (None where it has none); an unknown scope raises."""
    department_id = team_of = None
    if scope != ORG:
        for part in scope.split("|"):
            kind, _, value = part.partition(":")
            if kind == "department":
                department_id = int(value)
            elif kind == "team":
                team_of = int(value)
            else:
                raise ValueError(f"Unknown scope {scope!r}")
    return department_id, team_of


# Reading the organisation into cells ----------------------------------------------------


@dataclass
class Organisation:
    """Everything one refresh needs, read once: people per cell and every cell's aggregates."""

    today: datetime.date
    mondays: list[datetime.date]
    managers: dict[int, int | None]  # each active person's manager
    departments: dict[int, str]
    people: dict[Cell, int] = field(default_factory=dict)
    # Dashboard measures per cell and course.
    progress: dict[Cell, dict[int, dict]] = field(default_factory=dict)
    weekly: dict[Cell, dict[int, list[int]]] = field(default_factory=dict)
    # Insight units per cell: unit key -> {"people": n, ...values}.
    units: dict[Cell, dict[tuple, dict]] = field(default_factory=dict)
    _reports: dict[int, list[int]] | None = None

    def reports_of(self) -> dict[int, list[int]]:
        """Each manager's direct reports (built once per refresh)."""
        if self._reports is None:
            self._reports = defaultdict(list)
            for person, boss in self.managers.items():
                if boss is not None:
                    self._reports[boss].append(person)
        return self._reports


def _cell(row: dict) -> Cell:
    return (row["d"] or 0, row["m"] or 0)


def _cells(prefix: str = "") -> dict:
    return {"d": F(f"{prefix}department_id"), "m": F(f"{prefix}manager_id")}


def organisation_read(today: datetime.date | None = None) -> Organisation:
    """The organisation grouped into cells: a fixed number of aggregate queries."""
    today = today or timezone.localdate()
    first = week_start(today) - datetime.timedelta(weeks=WEEKS_SHOWN - 1)
    mondays = [first + datetime.timedelta(weeks=index) for index in range(WEEKS_SHOWN + 1)]
    active = User.objects.filter(is_active=True)
    org = Organisation(
        today=today,
        mondays=mondays[:-1],
        managers=dict(active.values_list("id", "manager_id")),
        departments=dict(Department.objects.values_list("id", "name")),
    )
    for row in active.values(**_cells()).annotate(n=Count("id")).order_by():
        org.people[_cell(row)] = row["n"]
    _read_progress(org)
    _read_weekly(org, mondays)
    _read_answers(org)
    _read_choices(org)
    _read_commitments(org)
    _read_retention(org)
    _read_plans(org)
    return org


def _read_progress(org: Organisation) -> None:
    done = Q(cp__completed_at__isnull=False)
    rows = (
        Assignment.objects.live()
        .annotate(
            cp=FilteredRelation(
                "user__course_progress", condition=Q(user__course_progress__course=F("course"))
            )
        )
        .values("course_id", **_cells("user__"))
        .annotate(
            assigned=Count("id"),
            completed=Count("id", filter=done),
            overdue=Count("id", filter=Q(due_on__lt=org.today) & ~done),
            in_progress=Count("id", filter=Q(cp__id__isnull=False) & ~done),
            percent_total=Sum(Coalesce("cp__percent", 0)),
        )
        .order_by()
    )
    for row in rows:
        org.progress.setdefault(_cell(row), {})[row["course_id"]] = {
            key: row[key]
            for key in ("assigned", "completed", "overdue", "in_progress", "percent_total")
        }


def _read_weekly(org: Organisation, mondays: list[datetime.date]) -> None:
    bounds = [
        timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) for day in mondays
    ]
    rows = (
        CourseProgress.objects.filter(
            completed_at__gte=bounds[0], completed_at__lt=bounds[-1], user__is_active=True
        )
        .values("course_id", **_cells("user__"))
        .annotate(
            **{
                f"week_{index}": Count(
                    "id",
                    filter=Q(completed_at__gte=bounds[index], completed_at__lt=bounds[index + 1]),
                )
                for index in range(WEEKS_SHOWN)
            }
        )
        .order_by()
    )
    for row in rows:
        org.weekly.setdefault(_cell(row), {})[row["course_id"]] = [
            row[f"week_{index}"] for index in range(WEEKS_SHOWN)
        ]


def _unit(org: Organisation, row: dict, key: tuple, **values) -> None:
    org.units.setdefault(_cell(row), {})[key] = {"people": row["people"], **values}


def _read_answers(org: Organisation) -> None:
    answers = Answer.objects.filter(user__is_active=True)
    measures = {
        "total": Sum("score"),
        "n": Count("id"),
        "people": Count("user", distinct=True),
    }
    checks = (
        answers.filter(context=AnswerContext.MODULE)
        .values(principle=F("question__principle_id"), **_cells("user__"))
        .annotate(**measures)
        .order_by()
    )
    for row in checks:
        _unit(org, row, ("check", row["principle"]), total=row["total"], n=row["n"])
    tests = answers.filter(context__in=[AnswerContext.PRE, AnswerContext.POST])
    per_principle = (
        tests.values(
            "course_id", "context", principle=F("question__principle_id"), **_cells("user__")
        )
        .annotate(**measures)
        .order_by()
    )
    for row in per_principle:
        key = ("prepost", row["course_id"], row["principle"], row["context"])
        _unit(org, row, key, total=row["total"], n=row["n"])
    per_course = tests.values("course_id", "context", **_cells("user__")).annotate(**measures)
    for row in per_course.order_by():
        key = ("gain", row["course_id"], row["context"])
        _unit(org, row, key, total=row["total"], n=row["n"])


def _read_choices(org: Organisation) -> None:
    choices = Choice.objects.filter(attempt__user__is_active=True)
    strong = Case(
        When(response__rating=Rating.STRONG, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    by_principle = (
        choices.values(principle=F("step__scenario__principle_id"), **_cells("attempt__user__"))
        .annotate(total=Sum(strong), n=Count("id"), people=Count("attempt__user", distinct=True))
        .order_by()
    )
    for row in by_principle:
        _unit(org, row, ("strong", row["principle"]), total=row["total"], n=row["n"])
    steps = (
        choices.values("step_id", **_cells("attempt__user__"))
        .annotate(people=Count("attempt__user", distinct=True))
        .order_by()
    )
    for row in steps:
        _unit(org, row, ("step", row["step_id"]), times={})
    responses = (
        choices.values("step_id", "response_id", **_cells("attempt__user__"))
        .annotate(times=Count("id"))
        .order_by()
    )
    for row in responses:
        org.units[_cell(row)][("step", row["step_id"])]["times"][row["response_id"]] = row["times"]


def _read_commitments(org: Organisation) -> None:
    rows = (
        Commitment.objects.filter(user__is_active=True)
        .values(**_cells("user__"))
        .annotate(
            people=Count("user", distinct=True),
            made=Count("id"),
            # Only check-ins made on or after the plan's date count as followed through.
            done=Count("id", filter=Q(status=CommitmentStatus.DONE) & ON_TIME),
            partly=Count("id", filter=Q(status=CommitmentStatus.PARTLY) & ON_TIME),
            not_yet=Count("id", filter=Q(status=CommitmentStatus.NOT_YET)),
            open=Count("id", filter=Q(status=CommitmentStatus.OPEN)),
        )
        .order_by()
    )
    for row in rows:
        _unit(
            org,
            row,
            ("commit",),
            **{key: row[key] for key in ("made", "done", "partly", "not_yet", "open")},
        )


# Retention windows of the refresher answers, in days since the first try: the first try,
# then about 1 week (1-13 days), 4 weeks (14-55) and 12 weeks (56 on).
RETENTION_BUCKETS = ("first", "week_1", "week_4", "week_12")


def _read_retention(org: Organisation) -> None:
    bucket = Case(
        When(number=1, then=Value("first")),
        When(days_since_first__lt=1, then=Value("")),
        When(days_since_first__lt=14, then=Value("week_1")),
        When(days_since_first__lt=56, then=Value("week_4")),
        default=Value("week_12"),
        output_field=CharField(),
    )
    right = Case(When(correct=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    rows = (
        RefresherReview.objects.filter(user__is_active=True)
        .annotate(bucket=bucket)
        .exclude(bucket="")
        .values("principle_id", "bucket", **_cells("user__"))
        .annotate(people=Count("user", distinct=True), right=Sum(right), n=Count("id"))
        .order_by()
    )
    for row in rows:
        key = ("retention", row["principle_id"], row["bucket"])
        _unit(org, row, key, total=row["right"], n=row["n"])


def _read_plans(org: Organisation) -> None:
    # An open plan has no report date (a constraint), so ON_TIME leaves it out.
    reported = Commitment.objects.filter(ON_TIME, user__is_active=True)
    rows = (
        reported.values(principle_id=F("module__principle_id"), **_cells("user__"))
        .annotate(
            people=Count("user", distinct=True),
            reported=Count("id"),
            arose=Count("id", filter=Q(arose=True)),
            acted=Count("id", filter=FOLLOWED_THROUGH),
        )
        .order_by()
    )
    for row in rows:
        key = ("plans", row["principle_id"])
        _unit(org, row, key, reported=row["reported"], arose=row["arose"], acted=row["acted"])


# Building one scope's figures from its cells ------------------------------------------

"""Organisation, department and team figures, computed in the background into one table.

A refresh reads the whole organisation once, grouped into *cells*: the people who share a
department and a direct manager. Every scope a report can ask for (the organisation, a
department, a manager's whole team, or a department within a team) is a union of whole
cells, so its figures are sums over cells, and all of a run's scopes are built from one
set of aggregate queries. The results go into `ReportFigures`; pages only read them.

Insight figures (answers, choices, scores, commitments) count a cell only where at least
MINIMUM_GROUP people of that cell contributed to that very figure. Any two scopes then
differ by whole counted cells, each of five people or more, so no subtraction of two
reports can single out fewer than five people (see README, "Security and privacy").
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
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
from django.tasks import task
from django.utils import timezone

from allyship.models import Department, User
from allyship.reporting.models import ReportFigures
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
from quizzes.selectors import MINIMUM_GROUP

ORG = "org"
WEEKS_SHOWN = 12
# A scope no page has asked for in this long is no longer refreshed on the schedule.
KEEP_FRESH = datetime.timedelta(days=1)
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


def _parse_scope(scope: str) -> tuple[int | None, int | None]:
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
        CourseProgress.objects.filter(completed_at__gte=bounds[0], user__is_active=True)
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


# Retention windows of the refresher answers, in days since the first try (see
# learning.insights.RETENTION_WINDOWS): first try, about 1, 4 and 12 weeks.
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
    reported = (
        Commitment.objects.filter(user__is_active=True)
        .exclude(status=CommitmentStatus.OPEN)
        .filter(ON_TIME)
    )
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


def _team_managers(org: Organisation, manager_id: int) -> set[int]:
    """The manager and every active person below them who manages someone."""
    reports = org.reports_of()
    found, todo = set(), [manager_id]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        todo.extend(reports.get(current, []))
    return found


def scope_cells(org: Organisation, scope: str) -> list[Cell]:
    """The cells whose people make up a scope."""
    department_id, team_of = _parse_scope(scope)
    cells = set(org.people) | set(org.units) | set(org.progress)
    if department_id:
        cells = {cell for cell in cells if cell[0] == department_id}
    if team_of:
        managers = _team_managers(org, team_of)
        cells = {cell for cell in cells if cell[1] in managers}
    return sorted(cells)


def _department_label(org: Organisation, department_id: int) -> str:
    return org.departments.get(department_id, NO_DEPARTMENT) if department_id else NO_DEPARTMENT


def dashboard_figures(org: Organisation, cells: Iterable[Cell]) -> dict:
    """Per course and department: assigned, completed, overdue, in progress and percent
    total, people per department, and completions per week (JSON-ready)."""
    rows: dict[tuple[int, int], dict] = {}
    people: dict[int, int] = defaultdict(int)
    weekly: dict[tuple[int, int], list[int]] = {}
    for cell in cells:
        department = cell[0]
        people[department] += org.people.get(cell, 0)
        for course_id, measures in org.progress.get(cell, {}).items():
            row = rows.setdefault(
                (course_id, department),
                {"course_id": course_id, "department_id": department} | dict.fromkeys(measures, 0),
            )
            for name, value in measures.items():
                row[name] += value or 0
        for course_id, counts in org.weekly.get(cell, {}).items():
            total = weekly.setdefault((course_id, department), [0] * WEEKS_SHOWN)
            for index, count in enumerate(counts):
                total[index] += count
    return {
        "rows": list(rows.values()),
        "people": [[department, count] for department, count in sorted(people.items())],
        "weeks": [day.isoformat() for day in org.mondays],
        "weekly": [[course, department, counts] for (course, department), counts in weekly.items()],
    }


def _add(target: dict, unit: dict, names: Iterable[str]) -> None:
    for name in names:
        target[name] = target.get(name, 0) + (unit[name] or 0)


def insight_figures(org: Organisation, cells: Iterable[Cell]) -> dict:
    """The insight sums of a scope, from its cells' units that have MINIMUM_GROUP people or
    more (JSON-ready; keys are strings). Units below that are left out everywhere."""
    cells = list(cells)
    result: dict = {
        "people": sum(org.people.get(cell, 0) for cell in cells),
        "check": {},
        "strong": {},
        "prepost": {},
        "gain": {},
        "commit": {},
        "steps": {},
        "retention": {},
        "plans": {},
    }
    for cell in cells:
        department = str(cell[0])
        for key, unit in org.units.get(cell, {}).items():
            if unit["people"] < MINIMUM_GROUP:
                continue
            kind = key[0]
            if kind in ("check", "strong"):
                _add(result[kind].setdefault(str(key[1]), {}), unit, ("total", "n", "people"))
            elif kind == "prepost":
                _, course, principle, context = key
                for course_key in (str(course), "all"):
                    entry = (
                        result["prepost"].setdefault(course_key, {}).setdefault(str(principle), {})
                    )
                    _add(entry.setdefault(context, {}), unit, ("total", "n", "people"))
            elif kind == "gain":
                _, course, context = key
                for course_key in (str(course), "all"):
                    entry = result["gain"].setdefault(course_key, {}).setdefault(department, {})
                    _add(entry.setdefault(context, {}), unit, ("total", "n", "people"))
            elif kind == "commit":
                names = ("people", "made", "done", "partly", "not_yet", "open")
                _add(result["commit"].setdefault("all", {}), unit, names)
                _add(result["commit"].setdefault(department, {}), unit, names)
            elif kind == "retention":
                _, principle, bucket = key
                entry = result["retention"].setdefault(str(principle), {})
                _add(entry.setdefault(bucket, {}), unit, ("total", "n", "people"))
            elif kind == "plans":
                entry = result["plans"].setdefault(str(key[1]), {})
                _add(entry, unit, ("people", "reported", "arose", "acted"))
            elif kind == "step":
                step = result["steps"].setdefault(str(key[1]), {"people": 0, "times": {}})
                step["people"] += unit["people"]
                for response, times in unit["times"].items():
                    step["times"][str(response)] = step["times"].get(str(response), 0) + times
    result["departments"] = {str(cell[0]): _department_label(org, cell[0]) for cell in cells} | {
        "all": "Everyone"
    }
    return result


# The refresh service and the reads -----------------------------------------------------


def scopes_due(now: datetime.datetime | None = None) -> list[str]:
    """The scopes a scheduled refresh recomputes: the organisation, each department, and
    every other scope a page asked for within KEEP_FRESH."""
    now = now or timezone.now()
    scopes = {ORG}
    scopes.update(
        scope_key(department_id=pk) for pk in Department.objects.values_list("id", flat=True)
    )
    scopes.update(
        ReportFigures.objects.filter(requested_at__gte=now - KEEP_FRESH).values_list(
            "scope", flat=True
        )
    )
    return sorted(scopes)


def report_figures_refresh(*, scopes: Iterable[str] | None = None) -> int:
    """Recompute the figures of these scopes (by default `scopes_due`) from one read of the
    organisation and store them with the time they were taken. Returns how many scopes."""
    wanted = sorted(set(scopes) if scopes is not None else scopes_due())
    for scope in wanted:
        _parse_scope(scope)  # an unknown scope is refused before any work
    org = organisation_read()
    taken_at = timezone.now()
    computed = {}
    for scope in wanted:
        cells = scope_cells(org, scope)
        computed[scope] = (dashboard_figures(org, cells), insight_figures(org, cells))
    with transaction.atomic():
        for scope, (dashboard, insights) in computed.items():
            ReportFigures.objects.update_or_create(
                scope=scope,
                defaults={"dashboard": dashboard, "insights": insights, "taken_at": taken_at},
                create_defaults={
                    "dashboard": dashboard,
                    "insights": insights,
                    "taken_at": taken_at,
                    "requested_at": taken_at,
                },
            )
    return len(computed)


@task()
def refresh_report_figures(scopes: list[str] | None = None) -> int:
    """The background task: recompute these scopes' figures, or every scope that is due."""
    return report_figures_refresh(scopes=scopes)


def figures_for(scope: str) -> ReportFigures | None:
    """The stored figures of a scope, or None while they are being prepared.

    Marks the scope as requested (so the schedule keeps it fresh) and, the first time a
    scope is asked for, queues its computation. One query when the figures exist and were
    requested within the last minute, two otherwise.
    """
    now = timezone.now()
    found = ReportFigures.objects.filter(scope=scope).first()
    if found is None:
        _, created = ReportFigures.objects.get_or_create(scope=scope)
        if created:
            transaction.on_commit(lambda: refresh_report_figures.enqueue([scope]))
        return None
    if found.requested_at < now - datetime.timedelta(minutes=1):
        ReportFigures.objects.filter(pk=found.pk).update(requested_at=now)
    return found if found.taken_at is not None else None

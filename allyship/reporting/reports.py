"""Reads for the HR and manager pages: dashboards, the employee table, insights.

Everything is aggregated in the database from stored progress (CourseProgress.percent,
completed_at), so each page costs the same few queries at 100 or 100,000 people. A
person's row joins their live assignments to the progress of the same course:

    user LEFT JOIN assignment a (live) LEFT JOIN course_progress cp (same user and course)
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from allyship.models import Department, User
from allyship.reporting.figures import figures_for
from allyship.reporting.organisation import scope_key
from learning.models import (
    Assignment,
    AssignmentRule,
    Course,
)
from learning.summaries import people_matching

PER_PAGE = 50
NO_DEPARTMENT = "No department"


@dataclass(frozen=True)
class Filters:
    """Who a report covers: active people, narrowed by these. All optional."""

    department_id: int | None = None
    course_id: int | None = None
    team_of: int | None = None  # everyone below this person, at any depth
    reports_of: int | None = None  # this person's direct reports only
    query: str = ""
    overdue_only: bool = False


def people(filters: Filters) -> QuerySet[User]:
    """The active people a report covers (no joins: cheap to count and to use as a subquery)."""
    found = User.objects.filter(is_active=True)
    if filters.team_of:
        found = found.team_of(filters.team_of)
    if filters.reports_of:
        found = found.filter(manager_id=filters.reports_of)
    if filters.department_id:
        found = found.filter(department_id=filters.department_id)
    if filters.query:
        for matches in people_matching(filters.query):
            found = found.filter(id__in=matches)
    if filters.course_id:
        found = found.filter(
            Exists(
                Assignment.objects.live().filter(user=OuterRef("pk"), course_id=filters.course_id)
            )
        )
    if filters.overdue_only:
        overdue = Assignment.objects.live().overdue().filter(user=OuterRef("pk"))
        if filters.course_id:
            overdue = overdue.filter(course_id=filters.course_id)
        found = found.filter(Exists(overdue))
    return found


def _with_assignments(found: QuerySet[User], course_id: int | None) -> QuerySet[User]:
    """Join each person's live assignments (of one course, if given) and their progress."""
    joined = found.annotate(
        # Live assignments: the pages use this join for one course the filter form offers,
        # which is never retired, so "not withdrawn" is the part of `live()` left to check
        # (and the people are active, see `people`).
        a=FilteredRelation("assignments", condition=Q(assignments__withdrawn_at__isnull=True)),
        cp=FilteredRelation(
            "course_progress", condition=Q(course_progress__course_id=F("a__course_id"))
        ),
    )
    # In WHERE rather than in the join's condition: Django orders the joins wrongly when a
    # filtered relation's condition names a column that a later join also reaches. Every
    # person here has this course (see `people`), so nobody drops out.
    return joined.filter(a__course_id=course_id) if course_id else joined


def _measures(today: datetime.date) -> dict:
    done = Q(cp__completed_at__isnull=False)
    return {
        "assigned": Count("a__id"),
        "completed": Count("a__id", filter=done),
        "overdue": Count("a__id", filter=Q(a__due_on__lt=today) & ~done),
        "completion": Avg(Coalesce("cp__percent", 0), filter=Q(a__id__isnull=False)),
    }


def totals(filters: Filters) -> dict:
    """People, assignments, completed, overdue, in progress and average completion: one query."""
    today = timezone.localdate()
    measures = _measures(today)
    result = _with_assignments(people(filters), filters.course_id).aggregate(
        people=Count("id", distinct=True),
        in_progress=Count("a__id", filter=Q(cp__id__isnull=False, cp__completed_at__isnull=True)),
        **measures,
    )
    result["not_started"] = result["assigned"] - result["completed"] - result["in_progress"]
    result["completion_rate"] = percent_of(result["completed"], result["assigned"])
    return result


def percent_of(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


SUMMED = ("assigned", "completed", "overdue", "in_progress", "percent_total")


def _roll_up(rows: list[dict], key: str, **labels: str) -> list[dict]:
    """Add up already-aggregated rows (courses x departments) along one dimension."""
    groups: dict = {}
    for row in rows:
        group = groups.setdefault(
            row[key],
            {name: row[source] for name, source in labels.items()} | dict.fromkeys(SUMMED, 0),
        )
        for measure in SUMMED:
            group[measure] += row[measure]
    for group in groups.values():
        group["rate"] = percent_of(group["completed"], group["assigned"])
        group["completion"] = (
            group["percent_total"] / group["assigned"] if group["assigned"] else None
        )
    return list(groups.values())


@dataclass(frozen=True)
class Dashboard:
    totals: dict
    by_course: list[dict]
    by_department: list[dict]


@dataclass(frozen=True)
class Snapshot[T]:
    """A report and when its figures were taken: every page showing one says "as of"."""

    value: T
    taken_at: datetime.datetime


def _wanted(department_id: int, filters: Filters) -> bool:
    return not filters.department_id or department_id == filters.department_id


def dashboard_from(stored: dict, filters: Filters) -> tuple[Dashboard, list[dict]]:
    """The dashboard and completions per week for `filters`, from a scope's stored figures
    (see figures.dashboard_figures): the department and course are picked here, from rows
    already aggregated per course and department. Two small queries (names and titles)."""
    courses = {
        course.pk: course
        for course in Course.objects.filter(
            pk__in={row["course_id"] for row in stored.get("rows", [])}
        ).only("id", "title", "order", "retired")
    }
    names = dict(Department.objects.values_list("id", "name"))
    rows = [
        {
            **row,
            "course": courses[row["course_id"]].title,
            "position": courses[row["course_id"]].order,
            "department_name": names.get(row["department_id"], NO_DEPARTMENT),
        }
        for row in stored.get("rows", [])
        if row["course_id"] in courses
        and _wanted(row["department_id"], filters)
        and (not filters.course_id or row["course_id"] == filters.course_id)
    ]
    (overall,) = _roll_up(
        [{**row, "all": 1} for row in rows] or [dict.fromkeys(SUMMED, 0) | {"all": 1}], "all"
    )
    if filters.course_id:
        people = overall["assigned"]
    else:
        people = sum(
            count for department, count in stored.get("people", []) if _wanted(department, filters)
        )
    totals = {
        "people": people,
        **{measure: overall[measure] for measure in SUMMED},
        "not_started": overall["assigned"] - overall["completed"] - overall["in_progress"],
        "completion_rate": overall["rate"],
    }
    by_course = sorted(
        _roll_up(rows, "course_id", course_id="course_id", label="course", position="position"),
        key=lambda row: (row["position"], row["label"]),
    )
    by_department = sorted(
        _roll_up(rows, "department_name", label="department_name"), key=lambda row: row["label"]
    )
    weeks = [datetime.date.fromisoformat(day) for day in stored.get("weeks", [])]
    counts = [0] * len(weeks)
    for course_id, department, per_week in stored.get("weekly", []):
        if _wanted(department, filters) and (
            not filters.course_id or course_id == filters.course_id
        ):
            for index, count in enumerate(per_week):
                counts[index] += count
    weekly = [{"week": week, "count": count} for week, count in zip(weeks, counts, strict=True)]
    return Dashboard(totals=totals, by_course=by_course, by_department=by_department), weekly


def dashboard_report(filters: Filters) -> Snapshot[tuple[Dashboard, list[dict]]] | None:
    """The HR dashboard's figures from the stored figures of the organisation (or of the
    manager's team the filters name), or None while they are being prepared."""
    found = figures_for(scope_key(team_of=filters.team_of))
    if found is None:
        return None
    return Snapshot(value=dashboard_from(found.dashboard, filters), taken_at=found.taken_at)


# The employee table -------------------------------------------------------------------

SORTS = {
    "name": ("Name, A to Z", [F("full_name").asc(), F("id").asc()]),
    "-name": ("Name, Z to A", [F("full_name").desc(), F("id").desc()]),
    "completion": (
        "Completion, lowest first",
        [F("completion").asc(nulls_last=True), F("full_name").asc(), F("id").asc()],
    ),
    "-completion": (
        "Completion, highest first",
        [F("completion").desc(nulls_last=True), F("full_name").asc(), F("id").asc()],
    ),
    "due": (
        "Next due date, soonest first",
        [F("next_due").asc(nulls_last=True), F("full_name").asc(), F("id").asc()],
    ),
    "-due": (
        "Next due date, latest first",
        [F("next_due").desc(nulls_last=True), F("full_name").asc(), F("id").asc()],
    ),
}
DEFAULT_SORT = "name"


def sort_key(value: str | None) -> str:
    return value if value in SORTS else DEFAULT_SORT


def sort_headers(current: str) -> dict[str, dict]:
    """For each sortable column: the sort a click asks for and its aria-sort now."""
    headers = {}
    for key in ("name", "completion", "due"):
        if current == key:
            headers[key] = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            headers[key] = {"next": key, "aria": "descending"}
        else:
            headers[key] = {"next": key, "aria": ""}
    return headers


# Who a person is, in every row of the employee and team tables.
PERSON_FIELDS = (
    "id",
    "full_name",
    "email",
    "department__name",
    "manager__full_name",
    "manager__email",
)


def employee_rows(filters: Filters, sort: str = DEFAULT_SORT) -> QuerySet:
    """One dict per person: who they are and their assignments' totals, sorted. One query."""
    today = timezone.localdate()
    return (
        _with_assignments(people(filters), filters.course_id)
        .values(*PERSON_FIELDS)
        .annotate(
            next_due=Min("a__due_on", filter=Q(cp__completed_at__isnull=True)),
            **_measures(today),
        )
        .order_by(*SORTS[sort_key(sort)][1])
    )


class CountedPaginator(Paginator):
    """A paginator told the total, so it never counts a grouped query again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def page_of(rows, *, count: int, number, per_page: int = PER_PAGE) -> Page:
    return CountedPaginator(rows, per_page, count=count).get_page(number)


def short_date(day: datetime.date | None, year: bool = False) -> str:
    """ "3 Mar" (or "3 Mar 2026"): formatted once here, not by a filter per table cell."""
    if day is None:
        return "—"
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _rule_measure(kind: str) -> Subquery:
    today = timezone.localdate()
    members = Assignment.objects.live().filter(rule=OuterRef("pk"))
    if kind == "completed":
        members = members.completed()
    elif kind == "overdue":
        members = members.overdue(today)
    return Subquery(
        members.order_by().values("rule").annotate(n=Count("id")).values("n")[:1],
        output_field=IntegerField(),
    )


def assignment_rules() -> QuerySet[AssignmentRule]:
    """Every assignment HR made, newest first, with people, completed and overdue counts."""
    return (
        AssignmentRule.objects.select_related("course", "department", "team_manager", "created_by")
        .annotate(
            people=Coalesce(_rule_measure("people"), 0),
            completed=Coalesce(_rule_measure("completed"), 0),
            overdue=Coalesce(_rule_measure("overdue"), 0),
        )
        .order_by("-created_at", "-id")
    )


def assignment_rule_stats(rule: AssignmentRule) -> dict:
    """People a rule assigned (live), how many completed, how many are overdue: one query."""
    today = timezone.localdate()
    live = Assignment.objects.live().filter(rule=rule)
    stats = live.aggregate(
        people=Count("id"),
        completed=Count("id", filter=Q(pk__in=live.completed().values("pk"))),
        overdue=Count("id", filter=Q(pk__in=live.overdue(today).values("pk"))),
    )
    stats["rate"] = percent_of(stats["completed"], stats["people"])
    return stats


# Insights -----------------------------------------------------------------------------

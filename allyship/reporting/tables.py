"""The employee tables, a manager's team and HR's people: exact rows a page at a time.

Without a course filter both tables filter, sort and page on the stored learning summaries
(`LearningSummary`, one row per person kept exact by the write services), through indexes
that serve every sort, so a page costs the same at 100 or 100,000 people. Filtered to one
course, the rows are that course's assignments, aggregated per person over the people the
filters select (see `reports.employee_rows`).
"""

from django.core.paginator import Page
from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from allyship.models import TEAM_CTE, User
from allyship.reporting.reports import (
    PERSON_FIELDS,
    Filters,
    employee_rows,
    page_of,
    people,
    percent_of,
    short_date,
    sort_key,
    totals,
)
from learning.models import Assignment, LearningSummary, Nudge, is_overdue
from learning.services import week_start
from learning.summaries import people_matching

# The summary's columns for each sort the tables offer (see reports.SORTS); each has an
# index on LearningSummary that starts with is_active and serves the whole order.
SUMMARY_SORTS = {
    "name": ["full_name", "user_id"],
    "-name": ["-full_name", "-user_id"],
    "completion": ["no_assignments", "completion", "full_name", "user_id"],
    "-completion": ["no_assignments", "-completion", "full_name", "user_id"],
    "due": ["nothing_due", "next_due_on", "full_name", "user_id"],
    "-due": ["nothing_due", "-next_due_on", "full_name", "user_id"],
}


def summaries(filters: Filters) -> QuerySet[LearningSummary]:
    """The summaries of the active people `filters` select (not for a course filter)."""
    if filters.course_id:
        raise ValueError("A course filter needs that course's rows, not the summaries.")
    found = LearningSummary.objects.filter(is_active=True)
    if filters.team_of:
        found = found.filter(user_id__in=RawSQL(TEAM_CTE, [filters.team_of]))
    if filters.reports_of:
        found = found.filter(user__manager_id=filters.reports_of)
    if filters.department_id:
        found = found.filter(department_id=filters.department_id)
    if filters.query:
        for matches in people_matching(filters.query):
            found = found.filter(user_id__in=matches)
    if filters.overdue_only:
        # Someone has an overdue course exactly when their earliest open due date has passed.
        found = found.filter(next_due_on__lt=timezone.localdate())
    return found


def team_totals(filters: Filters) -> dict:
    """People, assignments, completed, overdue, in progress, not started and average
    completion of the people `filters` select, exact: summed from their summaries (two
    queries), or for one course from its assignments (one query)."""
    if filters.course_id:
        return totals(filters)
    found = summaries(filters)
    sums = found.aggregate(
        people=Count("user_id"),
        all_assigned=Coalesce(Sum("assigned"), 0),
        all_completed=Coalesce(Sum("completed"), 0),
        all_in_progress=Coalesce(Sum("in_progress"), 0),
        percent_total=Sum(F("completion") * F("assigned")),
    )
    result = {
        "people": sums["people"],
        "assigned": sums["all_assigned"],
        "completed": sums["all_completed"],
        "in_progress": sums["all_in_progress"],
        "percent_total": sums["percent_total"],
    }
    result["overdue"] = (
        Assignment.objects.live().overdue().filter(user_id__in=found.values("user_id")).count()
    )
    result["completion"] = (
        result.pop("percent_total") / result["assigned"] if result["assigned"] else None
    )
    result["not_started"] = result["assigned"] - result["completed"] - result["in_progress"]
    result["completion_rate"] = percent_of(result["completed"], result["assigned"])
    return result


def employee_page(filters: Filters, sort: str, number) -> Page:
    """An exact page of people for the team and people tables, each a dict of PERSON_FIELDS
    with their assignments and measures attached (see `attach_assignments`).

    Without a course filter the page is picked on the summaries' index (one query for the
    page, one to count), then only the page's people are read with their department and
    manager. With one, every selected person's measures of that course are aggregated to
    order them (see `employee_rows`).
    """
    if filters.course_id:
        page = page_of(employee_rows(filters, sort), count=people(filters).count(), number=number)
        page.object_list = list(page.object_list)
    else:
        found = summaries(filters)
        ordered = found.order_by(*SUMMARY_SORTS[sort_key(sort)]).values_list("user_id", flat=True)
        page = page_of(ordered, count=found.count(), number=number)
        ids = list(page.object_list)
        by_id = {row["id"]: row for row in User.objects.filter(id__in=ids).values(*PERSON_FIELDS)}
        page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    attach_assignments(page.object_list, filters.course_id)
    return page


def attach_assignments(rows: list[dict], course_id: int | None) -> None:
    """Give each person's row their live assignments (of one course, if given) and the
    measures `employee_rows` computes in SQL, counted here from those assignments: one query."""
    found = assignments_of_people([row["id"] for row in rows], course_id)
    for row in rows:
        mine = found.get(row["id"], [])
        open_dues = [item["due_on"] for item in mine if item["completed_at"] is None]
        row["assignments"] = mine
        row["assigned"] = len(mine)
        row["completed"] = len(mine) - len(open_dues)
        row["overdue"] = sum(1 for item in mine if item["is_overdue"])
        row["completion"] = sum(item["percent"] for item in mine) / len(mine) if mine else None
        row["next_due"] = min(open_dues, default=None)


def assignments_of_people(
    user_ids: list[int], course_id: int | None = None
) -> dict[int, list[dict]]:
    """Each person's live assignments as dicts (course id and title, due date, percent,
    completion time, whether it is overdue and, if so, whether they were nudged about it
    this week): one query, and one more when any of them is overdue."""
    if not user_ids:
        return {}
    today = timezone.localdate()
    assignments = (
        Assignment.objects.live()
        .filter(user_id__in=user_ids)
        .annotate(
            cp=FilteredRelation(
                "user__course_progress", condition=Q(user__course_progress__course=F("course"))
            )
        )
        .values(
            "user_id",
            "course_id",
            "due_on",
            course_title=F("course__title"),
            percent=Coalesce("cp__percent", 0),
            completed_at=F("cp__completed_at"),
        )
        .order_by("due_on", "course__title")
    )
    if course_id:
        assignments = assignments.filter(course_id=course_id)
    grouped: dict[int, list[dict]] = {}
    overdue = []
    for assignment in assignments:
        assignment["is_overdue"] = is_overdue(
            due_on=assignment["due_on"],
            completed=assignment["completed_at"] is not None,
            today=today,
        )
        assignment["nudged"] = False
        assignment["due_label"] = short_date(assignment["due_on"])
        # A string already, so the template does not localise the number three times a row.
        assignment["percent_text"] = str(assignment["percent"])
        grouped.setdefault(assignment["user_id"], []).append(assignment)
        if assignment["is_overdue"]:
            overdue.append(assignment)
    if overdue:
        nudged = set(
            Nudge.objects.filter(
                learner_id__in={item["user_id"] for item in overdue}, week=week_start(today)
            ).values_list("learner_id", "course_id")
        )
        for assignment in overdue:
            assignment["nudged"] = (assignment["user_id"], assignment["course_id"]) in nudged
    return grouped

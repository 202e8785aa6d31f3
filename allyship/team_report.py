"""The employee tables, a manager's team and HR's people: exact rows a page at a time, and
a team's totals as a minute-old snapshot. Built on the organisation reads in reports."""

from django.core.paginator import Page
from django.db.models import Count, F, FilteredRelation, Q, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from allyship.models import User
from allyship.reports import (
    PER_PAGE,
    PERSON_FIELDS,
    SORTS,
    CountedPaginator,
    Filters,
    Snapshot,
    employee_rows,
    minute_snapshot,
    page_of,
    people,
    short_date,
    sort_key,
    totals,
)
from learning.models import Assignment, Nudge
from learning.services import week_start


def team_totals_snapshot(manager_id: int, filters: Filters) -> Snapshot[dict]:
    """A manager's team totals (see `totals`), computed at most once a minute per manager and
    set of filters. The filters must be scoped to that manager's team or direct reports."""
    if manager_id not in (filters.team_of, filters.reports_of):
        raise ValueError("Team totals must be scoped to the manager's own team.")
    return minute_snapshot("team-totals", (manager_id, filters), lambda: totals(filters))


NAME_SORTS = ("name", "-name")
MAX_PAGE = 10**9


def employee_page(filters: Filters, sort: str, number) -> Page:
    """An exact page of people for the team and people tables, each a dict of PERSON_FIELDS
    with their assignments and measures attached (see `attach_assignments`).

    Sorted by name, the page is picked and everyone counted by one query on people alone,
    and only the page's 50 are joined to their assignments, so a 2,000-person team costs
    little more than a page of 50. Sorted by completion or due date, every person's measures
    must be aggregated to order them (see `employee_rows`).
    """
    if sort_key(sort) in NAME_SORTS:
        page = _people_page(filters, sort, number)
    else:
        page = page_of(employee_rows(filters, sort), count=people(filters).count(), number=number)
        page.object_list = list(page.object_list)
    attach_assignments(page.object_list, filters.course_id)
    return page


def _people_page(filters: Filters, sort: str, number, per_page: int = PER_PAGE) -> Page:
    """A page of people by name and the number of everyone matching, read together; then the
    page's names, departments and managers. Two queries (two more when the page asked for is
    past the end: the paginator then gives the last page, as `page_of` does)."""
    ordered = people(filters).order_by(*SORTS[sort_key(sort)][1])
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    found = []
    # A page past any real organisation would overflow the database's OFFSET: it is simply
    # past the end, so the paginator below gives the last page.
    if 1 <= wanted <= MAX_PAGE:
        start = (wanted - 1) * per_page
        found = list(ordered.values_list("id", Window(Count("*")))[start : start + per_page])
    if found:
        page = Page(
            [pk for pk, _ in found], wanted, CountedPaginator([], per_page, count=found[0][1])
        )
    else:
        page = page_of(
            ordered.values_list("id", flat=True),
            count=people(filters).count(),
            number=number,
            per_page=per_page,
        )
    ids = list(page.object_list)
    # Joined after the page is picked, so only 50 people reach the department and manager.
    by_id = {row["id"]: row for row in User.objects.filter(id__in=ids).values(*PERSON_FIELDS)}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
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
        Assignment.objects.filter(user_id__in=user_ids, withdrawn_at__isnull=True)
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
        assignment["is_overdue"] = (
            assignment["completed_at"] is None and assignment["due_on"] < today
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

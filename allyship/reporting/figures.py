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

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from allyship.models import Department
from allyship.reporting.models import ReportFigures
from allyship.reporting.organisation import (
    NO_DEPARTMENT,
    ORG,
    WEEKS_SHOWN,
    Cell,
    Organisation,
    organisation_read,
    scope_key,
    scope_parse,
)
from quizzes.selectors import MINIMUM_GROUP

# A scope no page has asked for in this long is no longer refreshed on the schedule.
KEEP_FRESH = datetime.timedelta(days=1)


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
    department_id, team_of = scope_parse(scope)
    cells = set(org.people) | set(org.units) | set(org.progress)
    if department_id:
        cells = {cell for cell in cells if cell[0] == department_id}
    if team_of:
        managers = _team_managers(org, team_of)
        cells = {cell for cell in cells if cell[1] in managers}
    return sorted(cells)


def _department_label(org: Organisation, department_id: int) -> str:
    return org.departments.get(department_id, NO_DEPARTMENT)  # 0, no department, is no key


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
        scope_parse(scope)  # an unknown scope is refused before any work
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

"""HR and manager insights: what people choose, find hard and follow through on.

Aggregates only, read from the figures the background refresh stores per scope (see
`figures`): a figure counts only the cells (people sharing a department and a manager) in
which at least MINIMUM_GROUP people contributed to it, so no two reports differ by fewer
than five people's answers. Here they are only turned into averages, shares and labels.
"""

from dataclasses import dataclass, field

from allyship.reporting.figures import figures_for
from allyship.reporting.organisation import scope_key
from allyship.reporting.reports import Filters, Snapshot, percent_of
from learning.models import Course, Principle
from quizzes.models import Response, Scenario
from quizzes.selectors import MINIMUM_GROUP


@dataclass(frozen=True)
class Insights:
    group_size: int
    enough: bool
    hardest: list
    pre_post: list
    departments: list
    commitments: dict | None
    scenario: Scenario | None
    steps: list
    # Retention after refreshers, and if-then plan outcomes, per principle.
    retention: list = field(default_factory=list)
    plans: list = field(default_factory=list)


def _average(entry: dict | None) -> float | None:
    """A stored (total, n) sum as a percentage, or None when nothing was counted."""
    if not entry or not entry.get("n"):
        return None
    return round(entry["total"] / entry["n"] * 100, 1)


def _gain(pre: float | None, post: float | None) -> float | None:
    return None if pre is None or post is None else round(post - pre, 1)


def _hardest(stored: dict, principles: dict[int, Principle]) -> list[dict]:
    rows = []
    for key in set(stored["check"]) | set(stored["strong"]):  # sorted below
        principle = principles.get(int(key))
        if principle is None:
            continue
        check, scenario = stored["check"].get(key), stored["strong"].get(key)
        entry = {
            "name": principle.name,
            "check": _average(check),
            "scenario": _average(scenario),
            "check_people": check["people"] if check else 0,
            "scenario_people": scenario["people"] if scenario else 0,
        }
        measures = [value for value in (entry["check"], entry["scenario"]) if value is not None]
        entry["overall"] = round(sum(measures) / len(measures), 1) if measures else None
        rows.append(entry)
    return sorted(rows, key=lambda e: (e["overall"] is None, e["overall"] or 0, e["name"]))


def _pre_post(stored: dict, course_key: str, principles: dict[int, Principle]) -> list[dict]:
    rows = []
    for key, contexts in stored["prepost"].get(course_key, {}).items():
        principle = principles.get(int(key))
        if principle is None:
            continue
        pre, post = _average(contexts.get("pre")), _average(contexts.get("post"))
        rows.append(
            {
                "slug": principle.slug,
                "name": principle.name,
                "order": principle.order,
                "pre": pre,
                "post": post,
                "gain": _gain(pre, post),
            }
        )
    return sorted(rows, key=lambda row: (row["order"], row["name"]))


def _departments(stored: dict, course_key: str) -> list[dict]:
    rows = []
    for key, contexts in stored["gain"].get(course_key, {}).items():
        pre, post = _average(contexts.get("pre")), _average(contexts.get("post"))
        rows.append(
            {
                "label": stored["departments"].get(key, key),
                "pre": pre,
                "post": post,
                "gain": _gain(pre, post),
                "enough": pre is not None and post is not None,
            }
        )
    return sorted(rows, key=lambda row: row["label"])


def _follow_through(row: dict) -> dict:
    reported = row["made"] - row["open"]
    followed = row["done"] + row["partly"]
    return {
        **row,
        "reported": reported,
        "followed": followed,
        "rate": percent_of(followed, reported),
        "enough": row["people"] >= MINIMUM_GROUP,
    }


def _commitments(stored: dict) -> dict:
    empty = dict.fromkeys(("people", "made", "done", "partly", "not_yet", "open"), 0)
    overall = _follow_through(stored["commit"].get("all", empty))
    departments = sorted(
        (
            _follow_through(row) | {"label": stored["departments"].get(key, key)}
            for key, row in stored["commit"].items()
            if key != "all"
        ),
        key=lambda row: row["label"],
    )
    return {"overall": overall, "departments": departments}


def _steps(stored: dict, scenario: Scenario) -> list[dict]:
    steps: dict[int, dict] = {}
    responses = (
        Response.objects.filter(step__scenario=scenario)
        .select_related("step")
        .order_by("step__order", "order")
    )
    for response in responses:
        counted = stored["steps"].get(str(response.step_id))
        if counted is None:
            continue
        times = counted["times"].get(str(response.pk), 0)
        if response.retired and not times:
            continue
        step = steps.setdefault(
            response.step_id,
            {"title": response.step.title, "people": counted["people"], "enough": True, "rows": []},
        )
        step["rows"].append({"text": response.text, "rating": response.rating, "times": times})
    for step in steps.values():
        total = sum(row["times"] for row in step["rows"])
        for row in step["rows"]:
            row["share"] = percent_of(row["times"], total)
    return list(steps.values())


RETENTION_LABELS = {
    "first": "First try",
    "week_1": "About 1 week",
    "week_4": "About 4 weeks",
    "week_12": "About 12 weeks",
}


def _ordered(stored: dict, principles: dict[int, Principle]) -> list[tuple[Principle, dict]]:
    found = [(principles.get(int(key)), value) for key, value in stored.items()]
    return sorted(
        ((p, value) for p, value in found if p is not None),
        key=lambda pair: (pair[0].order, pair[0].name),
    )


def _retention(stored: dict, principles: dict[int, Principle]) -> list[dict]:
    rows = []
    for principle, buckets in _ordered(stored.get("retention", {}), principles):
        row = {"slug": principle.slug, "name": principle.name, "cells": []}
        for key, label in RETENTION_LABELS.items():
            entry = buckets.get(key)
            value = round(entry["total"] * 100 / entry["n"], 1) if entry and entry["n"] else None
            row[key] = value
            row["cells"].append({"key": key, "label": label, "value": value})
        rows.append(row)
    return rows


def _plans(stored: dict, principles: dict[int, Principle]) -> list[dict]:
    return [
        {
            "slug": principle.slug,
            "name": principle.name,
            "enough": True,  # only cells of five or more people reached the sums
            "reported": entry["reported"],
            "arose_rate": percent_of(entry["arose"], entry["reported"]),
            "acted_rate": percent_of(entry["acted"], entry["arose"]),
        }
        for principle, entry in _ordered(stored.get("plans", {}), principles)
    ]


def insights_from(
    stored: dict, *, course: Course | None = None, scenario: Scenario | None = None
) -> Insights:
    """Everything the insights pages show, from a scope's stored insight figures; nothing
    at all for a group of fewer than MINIMUM_GROUP people. Two or three small queries."""
    size = stored.get("people", 0)
    if size < MINIMUM_GROUP:
        return Insights(size, False, [], [], [], None, scenario, [])
    principles = {principle.pk: principle for principle in Principle.objects.all()}
    course_key = str(course.pk) if course else "all"
    return Insights(
        group_size=size,
        enough=True,
        hardest=_hardest(stored, principles),
        pre_post=_pre_post(stored, course_key, principles),
        departments=_departments(stored, course_key),
        commitments=_commitments(stored),
        scenario=scenario,
        steps=_steps(stored, scenario) if scenario else [],
        retention=_retention(stored, principles),
        plans=_plans(stored, principles),
    )


def insights_report(
    filters: Filters, *, course: Course | None = None, scenario: Scenario | None = None
) -> Snapshot[Insights] | None:
    """The insights of the people a department and/or a manager's team make up, from the
    stored figures, or None while they are being prepared."""
    found = figures_for(scope_key(department_id=filters.department_id, team_of=filters.team_of))
    if found is None:
        return None
    return Snapshot(
        value=insights_from(found.insights, course=course, scenario=scenario),
        taken_at=found.taken_at,
    )


def live_scenarios():
    return Scenario.objects.filter(retired=False).order_by("order", "title")

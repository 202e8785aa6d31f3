"""HR and manager insights: what people choose, find hard and follow through on.

Aggregates only, computed in the database, and shown only for groups of at least
MINIMUM_GROUP people.
"""

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from allyship.models import User
from allyship.reporting.reports import (
    NO_DEPARTMENT,
    Filters,
    Snapshot,
    minute_snapshot,
    people,
    percent_of,
)
from learning.models import (
    Commitment,
    CommitmentStatus,
    Course,
)
from quizzes.models import Answer, AnswerContext, Choice, Rating, Response, Scenario
from quizzes.selectors import MINIMUM_GROUP, principle_pre_post_averages


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def hardest_principles(group: QuerySet[User]) -> list[dict]:
    """Per principle: knowledge-check score and share of strongest scenario choices (%).

    Hardest first. A measure drawn from fewer than MINIMUM_GROUP people is withheld.
    Two aggregate queries.
    """
    ids = group.values("id")
    checks = (
        Answer.objects.filter(user__in=ids, context=AnswerContext.MODULE)
        .values(
            slug=F("question__principle__slug"),
            name=F("question__principle__name"),
        )
        .annotate(score=Avg("score"), people=Count("user", distinct=True))
        .order_by()
    )
    strong = Case(
        When(response__rating=Rating.STRONG, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    choices = (
        Choice.objects.filter(attempt__user__in=ids)
        .values(
            slug=F("step__scenario__principle__slug"),
            name=F("step__scenario__principle__name"),
        )
        .annotate(strong=Avg(strong), people=Count("attempt__user", distinct=True))
        .order_by()
    )
    merged: dict[str, dict] = {}
    for row in checks:  # one row per principle, already aggregated
        entry = merged.setdefault(
            row["slug"], {"name": row["name"], "check": None, "scenario": None}
        )
        if row["people"] >= MINIMUM_GROUP:
            entry["check"] = _percent(row["score"])
        entry["check_people"] = row["people"]
    for row in choices:
        entry = merged.setdefault(
            row["slug"], {"name": row["name"], "check": None, "scenario": None}
        )
        if row["people"] >= MINIMUM_GROUP:
            entry["scenario"] = _percent(row["strong"])
        entry["scenario_people"] = row["people"]
    rows = []
    for entry in merged.values():
        measures = [value for value in (entry["check"], entry["scenario"]) if value is not None]
        entry["overall"] = round(sum(measures) / len(measures), 1) if measures else None
        rows.append(entry)
    return sorted(rows, key=lambda e: (e["overall"] is None, e["overall"] or 0, e["name"]))


def knowledge_gain_by_department(group: QuerySet[User], course: Course | None = None) -> list[dict]:
    """Per department: average pre- and post-test score (%) and the gain. One query."""
    answers = Answer.objects.filter(
        user__in=group.values("id"), context__in=[AnswerContext.PRE, AnswerContext.POST]
    )
    if course is not None:
        answers = answers.filter(course=course)
    rows = (
        answers.values(label=Coalesce(F("user__department__name"), Value(NO_DEPARTMENT)))
        .annotate(
            pre=Avg("score", filter=Q(context=AnswerContext.PRE)),
            post=Avg("score", filter=Q(context=AnswerContext.POST)),
            pre_people=Count("user", filter=Q(context=AnswerContext.PRE), distinct=True),
            post_people=Count("user", filter=Q(context=AnswerContext.POST), distinct=True),
        )
        .order_by("label")
    )
    results = []
    for row in rows:
        pre = _percent(row["pre"]) if row["pre_people"] >= MINIMUM_GROUP else None
        post = _percent(row["post"]) if row["post_people"] >= MINIMUM_GROUP else None
        results.append(
            {
                "label": row["label"],
                "pre": pre,
                "post": post,
                "gain": None if pre is None or post is None else round(post - pre, 1),
                "enough": row["pre_people"] >= MINIMUM_GROUP
                and row["post_people"] >= MINIMUM_GROUP,
            }
        )
    return results


def _commitment_measures() -> dict:
    return {
        "made": Count("id"),
        "people": Count("user", distinct=True),
        "done": Count("id", filter=Q(status=CommitmentStatus.DONE)),
        "partly": Count("id", filter=Q(status=CommitmentStatus.PARTLY)),
        "not_yet": Count("id", filter=Q(status=CommitmentStatus.NOT_YET)),
        "open": Count("id", filter=Q(status=CommitmentStatus.OPEN)),
    }


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


def commitment_follow_through(group: QuerySet[User]) -> dict:
    """Commitments made and followed through, overall and per department. Two queries."""
    commitments = Commitment.objects.filter(user__in=group.values("id"))
    overall = _follow_through(commitments.aggregate(**_commitment_measures()))
    departments = [
        _follow_through(row)
        for row in commitments.values(
            label=Coalesce(F("user__department__name"), Value(NO_DEPARTMENT))
        )
        .annotate(**_commitment_measures())
        .order_by("label")
    ]
    return {"overall": overall, "departments": departments}


def scenario_steps(scenario: Scenario, group: QuerySet[User]) -> list[dict]:
    """For each step of a scenario, how often each response was chosen (counts and %).

    Three aggregate queries (responses; choices per response; people per step). A step
    reached by fewer than MINIMUM_GROUP people shows no counts at all.
    """
    choices = Choice.objects.filter(step__scenario=scenario, attempt__user__in=group.values("id"))
    times = dict(
        choices.values("response_id").annotate(n=Count("id")).values_list("response_id", "n")
    )
    reached = dict(
        choices.values("step_id")
        .annotate(n=Count("attempt__user", distinct=True))
        .values_list("step_id", "n")
    )
    if not reached:
        return []
    steps: dict[int, dict] = {}
    responses = (
        Response.objects.filter(step__scenario=scenario)
        .select_related("step")
        .order_by("step__order", "order")
    )
    for response in responses:
        if response.retired and not times.get(response.pk):
            continue
        people_here = reached.get(response.step_id, 0)
        step = steps.setdefault(
            response.step_id,
            {
                "title": response.step.title,
                "people": people_here,
                "enough": people_here >= MINIMUM_GROUP,
                "rows": [],
            },
        )
        step["rows"].append(
            {
                "text": response.text,
                "rating": response.rating,
                "times": times.get(response.pk, 0) if step["enough"] else None,
            }
        )
    for step in steps.values():
        total = sum(row["times"] or 0 for row in step["rows"])
        for row in step["rows"]:
            row["share"] = percent_of(row["times"], total) if row["times"] is not None else None
    return list(steps.values())


def live_scenarios() -> QuerySet[Scenario]:
    return Scenario.objects.filter(retired=False).order_by("order", "title")


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


def insights(
    group: QuerySet[User], *, course: Course | None = None, scenario: Scenario | None = None
) -> Insights:
    """Everything the insights pages show for a group; nothing at all below MINIMUM_GROUP."""
    size = group.count()
    if size < MINIMUM_GROUP:
        return Insights(size, False, [], [], [], None, scenario, [])
    ids = group.values("id")
    return Insights(
        group_size=size,
        enough=True,
        hardest=hardest_principles(group),
        pre_post=principle_pre_post_averages(ids, course=course, minimum_group=MINIMUM_GROUP),
        departments=knowledge_gain_by_department(group, course),
        commitments=commitment_follow_through(group),
        scenario=scenario,
        steps=scenario_steps(scenario, group) if scenario else [],
    )


def insights_snapshot(
    filters: Filters, *, course: Course | None = None, scenario: Scenario | None = None
) -> Snapshot[Insights]:
    """The insights for the people `filters` select, computed at most once a minute per
    server for the same filters, course and scenario (aggregates over thousands of answers
    cost a few hundred ms at 10,000 people; a minute-old report is as useful)."""
    key = (filters, course.pk if course else None, scenario.pk if scenario else None)
    return minute_snapshot(
        "insights", key, lambda: insights(people(filters), course=course, scenario=scenario)
    )

"""Aggregate learning insights for the HR and manager insights pages: how well what was
learned is remembered (refreshers), and how often if-then plans met their moment and were
acted on. Per principle, aggregates only, each figure withheld when it is drawn from fewer
than MINIMUM_GROUP people.

Each function takes a queryset of people (the group a report is about), runs one
aggregate query, and returns plain rows the reporting code and templates can show. It
never returns anything about one person. Imports learning and quizzes models only.
"""

from django.db.models import Avg, Case, Count, F, FloatField, Q, QuerySet, Value, When

from learning.models import FOLLOWED_THROUGH, ON_TIME, Commitment, CommitmentStatus
from learning.refreshers.models import RefresherReview
from quizzes.selectors import MINIMUM_GROUP

# Retention windows, in days since the first try (the knowledge check in the module):
# answers given in [start, end) count toward "about N weeks".
RETENTION_WINDOWS = (
    ("week_1", "About 1 week", 1, 14),
    ("week_4", "About 4 weeks", 14, 56),
    ("week_12", "About 12 weeks", 56, None),
)


def _window(start: int, end: int | None) -> Q:
    q = Q(number__gt=1, days_since_first__gte=start)
    return q & Q(days_since_first__lt=end) if end is not None else q


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def retention_by_principle(group: QuerySet) -> list[dict]:
    """Per principle: accuracy on the first try and in refreshers about 1, 4 and 12 weeks
    later (%), each with its number of people; a figure from fewer than MINIMUM_GROUP people
    is None. One aggregate query."""
    right = Case(When(correct=True, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    measures = {
        "first": Avg(right, filter=Q(number=1)),
        "first_people": Count("user", filter=Q(number=1), distinct=True),
    }
    for key, _label, start, end in RETENTION_WINDOWS:
        measures[key] = Avg(right, filter=_window(start, end))
        measures[f"{key}_people"] = Count("user", filter=_window(start, end), distinct=True)
    rows = (
        RefresherReview.objects.filter(user__in=group.values("id"))
        .values(slug=F("principle__slug"), name=F("principle__name"))
        .annotate(**measures)
        .order_by("principle__order", "principle__name")
    )
    results = []
    for row in rows:
        entry = {"slug": row["slug"], "name": row["name"], "cells": []}
        for key, label in [("first", "First try")] + [(k, t) for k, t, _, _ in RETENTION_WINDOWS]:
            people = row[f"{key}_people"]
            enough = people >= MINIMUM_GROUP
            entry[key] = _percent(row[key]) if enough else None
            entry["cells"].append({"key": key, "label": label, "value": entry[key]})
        results.append(entry)
    return results


def plan_outcomes_by_principle(group: QuerySet) -> list[dict]:
    """Per principle of the plan's module: plans reported on (on or after their date), how
    often the situation arose (% of those) and how often the plan was acted on (done or
    partly, % of those where it arose). Withheld below MINIMUM_GROUP people. One query."""
    reported = (
        Commitment.objects.filter(user__in=group.values("id"))
        .exclude(status=CommitmentStatus.OPEN)
        .filter(ON_TIME)
    )
    rows = (
        reported.values(slug=F("module__principle__slug"), name=F("module__principle__name"))
        .annotate(
            reported=Count("id"),
            people=Count("user", distinct=True),
            arose=Count("id", filter=Q(arose=True)),
            acted=Count("id", filter=FOLLOWED_THROUGH),
        )
        .order_by("module__principle__order", "module__principle__name")
    )
    results = []
    for row in rows:
        enough = row["people"] >= MINIMUM_GROUP
        results.append(
            {
                "slug": row["slug"],
                "name": row["name"],
                "enough": enough,
                "reported": row["reported"] if enough else None,
                "arose_rate": _rate(row["arose"], row["reported"]) if enough else None,
                "acted_rate": _rate(row["acted"], row["arose"]) if enough else None,
            }
        )
    return results


def _rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None

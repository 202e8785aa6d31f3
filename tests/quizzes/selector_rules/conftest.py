"""Shared by the selector rule tests: known rows in, the whole answer out, with tie-breaks,
rounding, None where nothing was counted and rows that must not count.
"""

import datetime

from quizzes.models import (
    Scenario,
)
from tests.factories import (
    principle_for_quizzes,
)

NOW = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


def scenario_made(slug: str, **fields) -> Scenario:
    return Scenario.objects.create(
        slug=slug, title=fields.pop("title", slug), principle=principle_for_quizzes(), **fields
    )

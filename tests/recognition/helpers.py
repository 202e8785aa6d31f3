"""Helpers for recognition tests: events through the real services, and query counting."""

import datetime
from contextlib import contextmanager

from django.utils import timezone

from learning import services
from tests.queries import queries


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def finish_module(user, module) -> None:
    """Every step of a module through the services: lessons, the check, a commitment."""
    for lesson in module.lessons.all():
        services.lesson_complete(user=user, lesson=lesson)
    services.module_check_complete(user=user, module=module)
    services.commitment_make(
        user=user,
        module=module,
        suggestion=module.suggestions.first(),
        text="",
        check_in_on=in_days(7),
    )


def play(user, scenario, ratings: list[str]):
    """Play a scenario through the quizzes services, choosing a response of each rating."""
    from quizzes import services as quiz_services
    from quizzes.models import Response

    attempt = quiz_services.attempt_start(scenario=scenario, acting_user=user)
    for rating in ratings:
        response = Response.objects.get(step_id=attempt.current_step_id, rating=rating)
        attempt = quiz_services.attempt_choose(
            attempt=attempt, step_id=response.step_id, response_id=response.pk, acting_user=user
        ).attempt
    assert attempt.finished_at is not None, "the ratings did not reach an ending"
    return attempt


@contextmanager
def at_most(limit: int):
    with queries(limit, at_most=True) as context:
        yield context

"""Truly concurrent requests (PostgreSQL only): a step is recorded and paid exactly once."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from learning.models import XpEvent
from quizzes import services
from quizzes.models import Attempt, Choice, ScenarioResult
from tests.quizzes.conftest import response_at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(calls) -> list:
    """Run the callables in threads released together; each thread has its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_concurrent_posts_of_the_final_step_record_one_choice_and_pay_once(employee, scenario):
    attempt = services.attempt_start(scenario=scenario, acting_user=employee)
    for step in ("step-1", "step-2", "step-3"):
        response = response_at(scenario, step, "strong")
        services.attempt_choose(
            attempt=attempt, step_id=response.step_id, response_id=response.pk, acting_user=employee
        )
    final = response_at(scenario, "step-4", "strong")
    url = reverse("quizzes:attempt-choose", args=[attempt.pk])
    clients = [_client(employee), _client(employee)]
    data = {"step": final.step_id, "response": final.pk}

    statuses = _at_once([lambda c=c: c.post(url, data).status_code for c in clients])

    assert statuses == [302, 302]
    assert Choice.objects.filter(attempt=attempt).count() == 4
    attempt.refresh_from_db()
    assert attempt.score == 39 and attempt.finished_at is not None
    assert ScenarioResult.objects.get(user=employee).attempts_finished == 1
    assert XpEvent.objects.filter(user=employee, source__startswith="scenario:").count() == 1


def test_two_concurrent_starts_open_one_attempt(employee, scenario):
    url = reverse("quizzes:attempt-start", args=[scenario.slug])
    clients = [_client(employee), _client(employee)]

    responses = _at_once([lambda c=c: c.post(url) for c in clients])

    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].url == responses[1].url
    assert Attempt.objects.filter(user=employee, scenario=scenario).count() == 1

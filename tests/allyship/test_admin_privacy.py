"""The Django admin shows HR only what HR may see: no changelist filter reaches what a
learner wrote, chose or scored (issue 12, finding 4)."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from allyship.admin import PRIVATE_MODELS
from learning import services as learning_services
from quizzes import services as quiz_services
from quizzes.models import Choice
from tests.factories import scenario_from_file
from tests.learning.builders import build_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_records(employee):
    """A reflection, a commitment, an attempt with a choice and an answer, by the employee."""
    from tests.hr.factories import answer, assessment_question

    module = build_module()
    learning_services.reflection_save(user=employee, prompt=module.prompts.first(), text="Mine.")
    learning_services.lesson_complete(user=employee, lesson=module.lessons.first())
    commitment = learning_services.commitment_make(
        user=employee,
        module=module,
        suggestion=None,
        text="Act",
        check_in_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    scenario = scenario_from_file()
    attempt = quiz_services.attempt_start(scenario=scenario, acting_user=employee)
    step = attempt.current_step
    response = step.responses.order_by("order").first()
    quiz_services.attempt_choose(
        attempt=attempt, step_id=step.pk, response_id=response.pk, acting_user=employee
    )
    given = answer(employee, assessment_question(module))
    return {
        "commitment": commitment.pk,
        "attempt": attempt.pk,
        "answer": given.pk,
        "choice": Choice.objects.get(attempt=attempt).pk,
    }


def leaking_urls(ids: dict) -> list[str]:
    users = reverse("admin:allyship_user_changelist")
    return [
        f"{users}?reflections__isnull=False",
        f"{users}?commitments__id__exact={ids['commitment']}",
        f"{users}?attempts__id__exact={ids['attempt']}",
        f"{users}?answers__id__exact={ids['answer']}",
        f"{users}?scenario_results__best_score__gte=0",
        f"{reverse('admin:quizzes_response_changelist')}?choices__id__exact={ids['choice']}",
        f"{reverse('admin:quizzes_response_changelist')}?choices__attempt__user__id__exact=1",
        f"{reverse('admin:auth_group_changelist')}?user__reflections__isnull=False",
        f"{reverse('admin:learning_module_changelist')}?commitments__user__email__contains=e",
    ]


def test_the_leaking_admin_urls_of_the_probe_are_refused(client, hr, private_records):
    hr.is_superuser = True  # the strongest admin: even then nothing private is reachable
    hr.is_staff = True
    hr.save()
    client.force_login(hr)
    for url in leaking_urls(private_records):
        response = client.get(url)
        assert response.status_code == 400, url


def test_ordinary_admin_filters_still_work(client, hr, employee):
    hr.is_superuser = True
    hr.is_staff = True
    hr.save()
    client.force_login(hr)
    users = reverse("admin:allyship_user_changelist")
    response = client.get(f"{users}?is_active__exact=1&department__id__exact=1")
    assert response.status_code == 200
    assert client.get(f"{users}?manager__id__exact={employee.manager_id}").status_code == 200


def _paths_into_private(model, depth=2, prefix=""):
    for field in model._meta.get_fields():
        target = field.related_model
        if target is None or not field.is_relation:
            continue
        name = field.name
        if target._meta.label_lower in PRIVATE_MODELS:
            yield f"{prefix}{name}__id__exact"
        elif depth > 1:
            yield from _paths_into_private(target, depth - 1, f"{prefix}{name}__")


def test_no_registered_admin_allows_a_lookup_into_private_records(rf, hr):
    request = rf.get("/admin/")
    request.user = hr
    checked = 0
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        assert model._meta.label_lower not in PRIVATE_MODELS, f"{model} is registered"
        model_admin = admin.site.get_model_admin(model)
        for lookup in _paths_into_private(model):
            checked += 1
            assert not model_admin.lookup_allowed(lookup, "1", request), (model, lookup)
    assert checked >= 20


def test_the_admin_refuses_a_line_break_in_a_persons_name(client, hr, employee):
    hr.is_superuser = True
    hr.is_staff = True
    hr.save()
    client.force_login(hr)
    response = client.post(
        reverse("admin:allyship_user_change", args=[employee.pk]),
        {
            "email": employee.email,
            "full_name": "Emma\r\nBcc: everyone@test.example",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 200
    assert "Keep this on one line" in response.content.decode()
    employee.refresh_from_db()
    assert employee.full_name == "Emma Employee"

"""Every quizzes page runs a fixed number of queries, however much data there is.

Each page is requested at two data sizes under the same limit; a failure lists every
query that ran, so it explains itself.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import CourseProgress
from quizzes import services
from quizzes.models import Answer
from tests.factories import (
    QuestionFactory,
    QuizCourseFactory,
    QuizModuleFactory,
    scenario_file,
    scenario_from_file,
)
from tests.quizzes.conftest import response_at

pytestmark = pytest.mark.django_db

SIZES = [1, 20]
STRONGEST = [("step-1", "strong"), ("step-2", "strong"), ("step-3", "strong"), ("step-4", "strong")]


def _play(scenario, user, path) -> None:
    attempt = services.attempt_start(scenario=scenario, acting_user=user)
    for step, rating in path:
        response = response_at(scenario, step, rating)
        services.attempt_choose(
            attempt=attempt, step_id=response.step_id, response_id=response.pk, acting_user=user
        )


@pytest.mark.parametrize("size", SIZES)
def test_scenario_list_queries_do_not_grow_with_scenarios(
    client_for, employee, assert_max_queries, size
):
    for number in range(size):
        scenario = scenario_from_file(scenario_file(slug=f"scenario-{number}"), order=number)
        _play(scenario, employee, STRONGEST)
        services.attempt_start(scenario=scenario, acting_user=employee)
    client = client_for(employee)
    with assert_max_queries(5):
        response = client.get(reverse("quizzes:scenario-list"))
    assert response.content.decode().count('class="card"') == size


@pytest.mark.parametrize("size", SIZES)
def test_scenario_detail_queries_do_not_grow_with_attempts(
    client_for, employee, scenario, assert_max_queries, size
):
    for _ in range(size):
        _play(scenario, employee, STRONGEST)
    client = client_for(employee)
    with assert_max_queries(7):
        response = client.get(reverse("quizzes:scenario-detail", args=[scenario.slug]))
    assert response.content.decode().count("Things change") == size


@pytest.mark.parametrize("size", SIZES)
def test_an_open_attempt_page_queries_do_not_grow_with_attempts_or_choices(
    client_for, employee, scenario, assert_max_queries, size
):
    for _ in range(size):
        _play(scenario, employee, STRONGEST)
    attempt = services.attempt_start(scenario=scenario, acting_user=employee)
    _play(scenario, employee, STRONGEST[: min(size, 3)])
    client = client_for(employee)
    with assert_max_queries(7):
        response = client.get(reverse("quizzes:attempt-detail", args=[attempt.pk]))
    assert "What happened" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_a_debrief_queries_do_not_grow_with_attempts(
    client_for, employee, scenario, assert_max_queries, size
):
    for _ in range(size):
        _play(scenario, employee, STRONGEST)
    attempt = scenario.attempts.order_by("-number").first()
    client = client_for(employee)
    with assert_max_queries(9):
        response = client.get(reverse("quizzes:attempt-detail", args=[attempt.pk]))
    assert "Debrief" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_a_choice_over_htmx_queries_do_not_grow_with_attempts(
    client_for, employee, scenario, assert_max_queries, size
):
    for _ in range(size):
        _play(scenario, employee, STRONGEST)
    attempt = services.attempt_start(scenario=scenario, acting_user=employee)
    response = response_at(scenario, "step-1", "strong")
    client = client_for(employee)
    with assert_max_queries(16):
        result = client.post(
            reverse("quizzes:attempt-choose", args=[attempt.pk]),
            {"step": response.step_id, "response": response.pk},
            headers={"HX-Request": "true"},
        )
    assert "What happened" in result.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_module_check_queries_do_not_grow_with_questions(
    client_for, employee, assert_max_queries, size
):
    module = QuizModuleFactory()
    questions = [QuestionFactory(module=module, multiple=n % 2 == 1) for n in range(size * 2)]
    answered = questions[:size]
    for question in answered:
        option = question.options.first()
        Answer.objects.create(
            user=employee, question=question, context="module", selected=[option.pk], score=1
        )
    client = client_for(employee)
    with assert_max_queries(8):
        response = client.get(reverse("quizzes:module-check", args=[module.slug]))
    page = response.content.decode()
    assert page.count("<fieldset") == size and page.count("(your choice)") == size


@pytest.mark.parametrize("size", SIZES)
def test_course_test_results_queries_do_not_grow_with_modules(
    client_for, employee, assert_max_queries, size
):
    modules = [QuizModuleFactory() for _ in range(size)]
    course = QuizCourseFactory(modules=modules)
    for module in modules:
        question = QuestionFactory(module=module, purpose="assessment")
        right = question.options.get(is_correct=True)
        for context, score in (("pre", 0), ("post", 1)):
            Answer.objects.create(
                user=employee,
                question=question,
                context=context,
                course=course,
                selected=[right.pk],
                score=score,
            )
    CourseProgress.objects.create(
        user=employee, course=course, percent=100, completed_at=timezone.now()
    )
    client = client_for(employee)
    with assert_max_queries(11):
        response = client.get(reverse("quizzes:course-test", args=[course.slug, "post"]))
    assert response.content.decode().count("Correct answer") == size

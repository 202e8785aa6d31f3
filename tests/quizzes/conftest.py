from functools import partial

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Answer, Response, Step
from tests.factories import (
    QuestionFactory,
    QuizCourseFactory,
    QuizModuleFactory,
    principle_for_quizzes,
    scenario_from_file,
)
from tests.queries import queries


@pytest.fixture
def scenario(db):
    return scenario_from_file()


@pytest.fixture
def attempt(scenario, employee):
    return services.attempt_start(scenario=scenario, acting_user=employee)


def response_at(scenario, step_slug: str, rating: str) -> Response:
    """The response of that rating at a step of the practice scenario (see scenario_file)."""
    return Response.objects.get(step__scenario=scenario, step__slug=step_slug, rating=rating)


def answer_stored(user, question, context, score, course=None, **fields) -> Answer:
    """An answer row as the quiz services store it (right when the score is 1)."""
    return Answer.objects.create(
        user=user,
        question=question,
        context=context,
        course=course,
        score=score,
        is_correct=score == 1,
        **fields,
    )


def step_of(scenario, slug: str) -> Step:
    return Step.objects.get(scenario=scenario, slug=slug)


def choose(client, attempt, step_slug: str, rating: str, htmx: bool = False):
    """Post the response of that rating at that step, as the attempt page's form does."""
    response = response_at(attempt.scenario, step_slug, rating)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("quizzes:attempt-choose", args=[attempt.pk]),
        {"step": response.step_id, "response": response.pk},
        headers=headers,
    )


@pytest.fixture
def module_with_check(db):
    """A module with a single-choice and a multiple-choice knowledge-check question."""
    module = QuizModuleFactory(slug="checked-module", title="Checked module")
    QuestionFactory(module=module, order=0)
    QuestionFactory(module=module, order=1, multiple=True)
    return module


@pytest.fixture
def course(db):
    """A course of two modules, each with one assessment question (one single, one multiple)."""
    first = QuizModuleFactory(slug="first-module")
    second = QuizModuleFactory(
        slug="second-module", principle=principle_for_quizzes("active-listening")
    )
    QuestionFactory(module=first, purpose="assessment")
    QuestionFactory(module=second, purpose="assessment", multiple=True)
    return QuizCourseFactory(slug="quiz-course", title="Quiz course", modules=[first, second])


@pytest.fixture
def assert_max_queries():
    """At most N queries; a failure lists every query it ran (tests.queries)."""
    return partial(queries, at_most=True)

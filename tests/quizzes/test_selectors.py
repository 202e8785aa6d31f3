"""The aggregates HR insights and knowledge gain use: known data in, known numbers out."""

import pytest

from allyship.models import User
from quizzes import selectors, services
from quizzes.models import Answer
from tests.factories import QuestionFactory, QuizModuleFactory, UserFactory, principle_for_quizzes
from tests.quizzes.conftest import response_at

pytestmark = pytest.mark.django_db

STRONG_PATH = [
    ("step-1", "strong"),
    ("step-2", "strong"),
    ("step-3", "strong"),
    ("step-4", "strong"),
]
HARMFUL_PATH = [("step-1", "harmful"), ("consequence", "harmful")]


def _play(scenario, user, path) -> None:
    attempt = services.attempt_start(scenario=scenario, acting_user=user)
    for step, rating in path:
        response = response_at(scenario, step, rating)
        services.attempt_choose(
            attempt=attempt, step_id=response.step_id, response_id=response.pk, acting_user=user
        )


def _by(rows, step: str) -> dict[str, int | None]:
    return {row["response"].rsplit("-", 1)[1]: row["times"] for row in rows if row["step"] == step}


@pytest.fixture
def played(scenario):
    """Five learners take the strongest path; a sixth starts harmfully, then plays it again."""
    people = UserFactory.create_batch(6)
    for person in people[:5]:
        _play(scenario, person, STRONG_PATH)
    _play(scenario, people[5], HARMFUL_PATH)
    _play(scenario, people[5], STRONG_PATH)
    return people


def test_response_frequencies_count_each_response_per_step_in_one_query(
    scenario, played, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = selectors.response_frequencies(scenario)
    assert _by(rows, "step-1") == {"strong": 6, "partial": 0, "harmful": 1}
    assert _by(rows, "step-4") == {"strong": 6, "partial": 0, "harmful": 0}
    people = {row["step"]: row["people"] for row in rows}
    assert people["step-1"] == 6 and people["consequence"] == 1
    # Only one person reached the consequence: fewer than five, so it is withheld.
    assert _by(rows, "consequence") == {"strong": None, "partial": None, "harmful": None}
    assert [row["step"] for row in rows][:3] == ["step-1"] * 3


def test_response_frequencies_without_a_minimum_and_for_a_group(scenario, played):
    rows = selectors.response_frequencies(scenario, minimum_group=None)
    assert _by(rows, "consequence") == {"strong": 0, "partial": 0, "harmful": 1}
    group = User.objects.filter(pk__in=[played[0].pk, played[5].pk]).values("pk")
    rows = selectors.response_frequencies(scenario, group, minimum_group=None)
    assert _by(rows, "step-1") == {"strong": 2, "partial": 0, "harmful": 1}
    assert selectors.response_frequencies(scenario, group)[0]["times"] is None


def _answer(user, question, context, score, course=None) -> Answer:
    return Answer.objects.create(
        user=user,
        question=question,
        context=context,
        course=course,
        score=score,
        is_correct=score == 1,
    )


@pytest.fixture
def assessed(course):
    """Six learners: pre-test scores 0 and 0.5, post-test 1 and 1, on two principles."""
    first, second = (
        cm.module.questions.get(purpose="assessment") for cm in course.course_modules.all()
    )
    people = UserFactory.create_batch(6)
    for person in people:
        _answer(person, first, "pre", 0, course)
        _answer(person, second, "pre", 0.5, course)
        _answer(person, first, "post", 1, course)
        _answer(person, second, "post", 1, course)
    return people


def test_principle_averages_are_aggregated_in_one_query(
    assessed, course, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = selectors.principle_pre_post_averages()
    # Principles come in their curriculum order, then by name (both are order 0 here).
    assert [(r["slug"], r["pre"], r["post"], r["gain"], r["pre_people"]) for r in rows] == [
        ("active-listening", 50.0, 100.0, 50.0, 6),
        ("interrupting-bias", 0.0, 100.0, 100.0, 6),
    ]


def test_principle_averages_for_a_small_group_are_withheld(assessed, course):
    group = User.objects.filter(pk__in=[p.pk for p in assessed[:4]]).values("pk")
    rows = selectors.principle_pre_post_averages(group, course=course)
    assert all(r["pre"] is None and r["post"] is None and r["pre_people"] == 4 for r in rows)
    rows = selectors.principle_pre_post_averages(group, course=course, minimum_group=None)
    assert sorted(r["gain"] for r in rows) == [50.0, 100.0]


def test_principle_averages_ignore_module_knowledge_checks(assessed):
    question = QuestionFactory(module=QuizModuleFactory(principle=principle_for_quizzes("safe")))
    for person in assessed:
        _answer(person, question, "module", 1)
    assert "safe" not in {row["slug"] for row in selectors.principle_pre_post_averages()}


def test_course_knowledge_gain_is_post_minus_pre_in_points(course, employee):
    first, second = (
        cm.module.questions.get(purpose="assessment") for cm in course.course_modules.all()
    )
    assert selectors.course_knowledge_gain(user=employee, course=course) is None
    _answer(employee, first, "pre", 0, course)
    _answer(employee, second, "pre", 0.5, course)
    assert selectors.course_knowledge_gain(user=employee, course=course) is None
    _answer(employee, first, "post", 1, course)
    _answer(employee, second, "post", 0.5, course)
    assert selectors.course_knowledge_gain(user=employee, course=course) == 50.0
    by_principle = {
        row["slug"]: row["gain"]
        for row in selectors.knowledge_gain_by_principle(user=employee, course=course)
    }
    assert by_principle == {"interrupting-bias": 100.0, "active-listening": 0.0}

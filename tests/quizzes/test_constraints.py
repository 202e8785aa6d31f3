"""Every constraint of the quizzes' models, tested at the database (SQLite and PostgreSQL):
a direct second insert, or a value out of range, raises IntegrityError naming it."""

import pytest
from django.utils import timezone

from quizzes.models import Answer, Attempt, Choice, Question, Response, ScenarioResult, Step
from tests.constraints import Case, assert_refused_by, copy_of, declared_constraints, insert
from tests.factories import QuestionFactory, QuizCourseFactory, UserFactory, scenario_from_file
from tests.quizzes.conftest import response_at, step_of

pytestmark = pytest.mark.django_db


def _again(row, **changes):
    return type(row), insert(type(row), copy_of(row, **changes))


def step_twice():
    step = step_of(scenario_from_file(), "step-2")
    return _again(step, title="Another step with the same slug", order=9)


def response_twice():
    return _again(response_at(scenario_from_file(), "step-1", "strong"), text="Same slug", order=9)


def _response_with(rating: str, points: int):
    response = response_at(scenario_from_file(), "step-1", rating)
    return Response, lambda: Response.objects.filter(pk=response.pk).update(points=points)


def strong_response_worth_6():
    return _response_with("strong", 6)


def partial_response_worth_7():
    return _response_with("partial", 7)


def harmful_response_worth_3():
    return _response_with("harmful", 3)


def _attempt(**values):
    scenario = scenario_from_file()
    return Attempt.objects.create(
        user=UserFactory(), scenario=scenario, current_step=scenario.start_step, **values
    )


def attempt_number_twice():
    return _again(_attempt(number=1, finished_at=timezone.now()), finished_at=timezone.now())


def two_unfinished_attempts():
    return _again(_attempt(number=1), number=2)


def _choice():
    attempt = _attempt(number=1)
    strong = response_at(attempt.scenario, "step-1", "strong")
    return Choice.objects.create(
        attempt=attempt, step=strong.step, response=strong, position=1, points=strong.points
    )


def choice_twice_for_a_step():
    return _again(_choice(), position=2)


def two_choices_at_one_position():
    choice = _choice()
    second = response_at(choice.attempt.scenario, "step-2", "strong")
    return _again(choice, step=second.step, response=second, points=second.points)


def result_twice():
    attempt = _attempt(number=1, finished_at=timezone.now())
    row = ScenarioResult.objects.create(
        user=attempt.user, scenario=attempt.scenario, best_score=30, best_attempt=attempt
    )
    return _again(row, best_score=39)


def option_order_twice():
    return _again(QuestionFactory().options.get(order=0), text="Another option at order 0")


def _answer(**values):
    return Answer.objects.create(
        user=UserFactory(), question=QuestionFactory(purpose="assessment"), **values
    )


def module_answer_twice():
    return _again(_answer(context="module", score=1), score=0)


def course_test_answer_twice():
    return _again(_answer(context="pre", course=QuizCourseFactory(), score=0), score=1)


def score_above_1():
    row = _answer(context="module", score=1)
    return Answer, lambda: Answer.objects.filter(pk=row.pk).update(score=1.5)


def course_test_answer_without_a_course():
    return Answer, insert(Answer, copy_of(_answer(context="module"), context="post"))


def outcome_on_a_decision_step():
    step = step_of(scenario_from_file(), "step-1")
    return Step, lambda: Step.objects.filter(pk=step.pk).update(outcome="best")


def form_on_a_knowledge_check_question():
    question = QuestionFactory(purpose="check")
    return Question, lambda: Question.objects.filter(pk=question.pk).update(form="pre")


CASES: dict[str, Case] = {
    "step_outcome_only_on_endings": outcome_on_a_decision_step,
    "question_form_only_on_assessment": form_on_a_knowledge_check_question,
    "step_unique_slug": step_twice,
    "response_unique_slug": response_twice,
    "response_points_match_rating": strong_response_worth_6,
    "attempt_number_unique": attempt_number_twice,
    "attempt_one_unfinished": two_unfinished_attempts,
    "choice_once_per_step": choice_twice_for_a_step,
    "choice_once_per_position": two_choices_at_one_position,
    "scenario_result_once": result_twice,
    "option_unique_order": option_order_twice,
    "answer_once_in_module": module_answer_twice,
    "answer_once_per_course_test": course_test_answer_twice,
    "score_0_to_1": score_above_1,
    "answer_course_matches_context": course_test_answer_without_a_course,
}


def test_every_quizzes_constraint_has_a_database_test():
    assert declared_constraints("quizzes") == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_database_refuses_what_the_constraint_forbids(name):
    model, write = CASES[name]()
    before = model.objects.count()
    assert_refused_by(name, model, write)
    assert model.objects.count() == before


@pytest.mark.parametrize("case", [partial_response_worth_7, harmful_response_worth_3])
def test_each_rating_has_its_own_points_range(case):
    model, write = case()
    assert_refused_by("response_points_match_rating", model, write)

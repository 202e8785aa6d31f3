"""Scoring and recording in the services, and the database constraints behind them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning.models import CourseProgress
from quizzes import scoring, services
from quizzes.models import Answer, Attempt, Choice
from tests.factories import QuestionFactory, QuizCourseFactory, UserFactory
from tests.quizzes.conftest import response_at

pytestmark = pytest.mark.django_db


def _choose(attempt, step: str, rating: str, user):
    response = response_at(attempt.scenario, step, rating)
    return services.attempt_choose(
        attempt=attempt, step_id=response.step_id, response_id=response.pk, acting_user=user
    )


def test_only_the_owner_may_choose_for_an_attempt(attempt, outsider):
    with pytest.raises(PermissionDenied):
        _choose(attempt, "step-1", "strong", outsider)
    assert not Choice.objects.exists()


def test_a_foreign_response_raises_and_saves_nothing(attempt, employee):
    foreign = response_at(attempt.scenario, "step-2", "strong")
    with pytest.raises(ValidationError, match="not one of the choices for this step"):
        services.attempt_choose(
            attempt=attempt,
            step_id=attempt.current_step_id,
            response_id=foreign.pk,
            acting_user=employee,
        )
    attempt.refresh_from_db()
    assert (attempt.score, attempt.choices_made, Choice.objects.count()) == (0, 0, 0)


def test_the_score_comes_from_the_database_not_the_request(attempt, employee):
    outcome = _choose(attempt, "step-1", "partial", employee)
    assert outcome.recorded and outcome.attempt.score == 5
    assert Choice.objects.get().points == 5


def test_the_choice_constraint_is_the_guarantee_when_the_checks_are_bypassed(attempt, employee):
    # A row for this step that the attempt does not know about yet (as if another
    # request had just inserted it): the unique constraint refuses the second one.
    strong = response_at(attempt.scenario, "step-1", "strong")
    Choice.objects.create(
        attempt=attempt, step=strong.step, response=strong, position=1, points=strong.points
    )
    outcome = _choose(attempt, "step-1", "strong", employee)
    assert not outcome.recorded
    assert Choice.objects.count() == 1
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_the_database_refuses_a_second_choice_for_a_step_or_a_position(attempt):
    strong = response_at(attempt.scenario, "step-1", "strong")
    partial = response_at(attempt.scenario, "step-1", "partial")
    later = response_at(attempt.scenario, "step-2", "strong")
    Choice.objects.create(attempt=attempt, step=strong.step, response=strong, position=1, points=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Choice.objects.create(
            attempt=attempt, step=strong.step, response=partial, position=2, points=5
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Choice.objects.create(
            attempt=attempt, step=later.step, response=later, position=1, points=9
        )


def test_the_database_allows_one_unfinished_attempt_per_scenario(attempt, employee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(user=employee, scenario=attempt.scenario, number=2)
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=timezone.now())
    Attempt.objects.create(user=employee, scenario=attempt.scenario, number=2)


def test_starting_twice_returns_the_same_open_attempt(attempt, employee):
    again = services.attempt_start(scenario=attempt.scenario, acting_user=employee)
    assert again.pk == attempt.pk


def test_a_scenario_without_a_start_cannot_be_started(scenario, employee):
    scenario.start_step = None
    with pytest.raises(ValidationError, match="no steps"):
        services.attempt_start(scenario=scenario, acting_user=employee)


# Answer scoring -------------------------------------------------------------------------


def _options(question):
    return [option.pk for option in question.options.all()]


def test_a_single_choice_answer_scores_one_or_zero():
    question = QuestionFactory()
    right, wrong, _ = _options(question)
    assert scoring.answer_score(question, {right}) == (1.0, True)
    assert scoring.answer_score(question, {wrong}) == (0.0, False)


@pytest.mark.parametrize(
    ("picked", "score", "exact"),
    [
        ({0, 1}, 1.0, True),  # both correct options
        ({0}, 0.5, False),  # one of two correct
        ({0, 1, 2}, 0.5, False),  # both correct and one wrong
        ({0, 2}, 0.0, False),  # one correct, one wrong
        ({2, 3}, 0.0, False),  # only wrong: never below zero
    ],
)
def test_a_multiple_choice_answer_earns_partial_credit(picked, score, exact):
    question = QuestionFactory(multiple=True)
    options = _options(question)
    assert scoring.answer_score(question, {options[i] for i in picked}) == (score, exact)


def test_the_database_refuses_a_second_module_answer_and_a_test_answer_without_a_course(employee):
    question = QuestionFactory()
    Answer.objects.create(user=employee, question=question, context="module", score=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(user=employee, question=question, context="module", score=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(user=employee, question=question, context="pre", score=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(user=employee, question=question, context="module", score=2)


def test_the_database_refuses_a_second_pre_test_answer_for_a_course(employee):
    question = QuestionFactory(purpose="assessment")
    course = QuizCourseFactory(modules=[question.module])
    Answer.objects.create(user=employee, question=question, context="pre", course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(user=employee, question=question, context="pre", course=course)
    Answer.objects.create(user=employee, question=question, context="post", course=course)


def test_selections_for_options_of_another_question_are_refused(employee, module_with_check):
    first, second = module_with_check.questions.order_by("order")
    with pytest.raises(ValidationError, match="Choose one of the options shown"):
        services.module_check_submit(
            module=module_with_check,
            selections={first.pk: [_options(second)[0]]},
            acting_user=employee,
        )
    assert not Answer.objects.exists()


def test_a_result_created_by_a_simultaneous_finish_counts_this_attempt_too(
    attempt, employee, monkeypatch
):
    """Two attempts finishing at once: the one that loses the race to create the learner's
    result (its first look found none) counts itself into the winner's result."""
    from quizzes.models import ScenarioResult

    _choose(attempt, "step-1", "harmful", employee)
    _choose(attempt, "consequence", "harmful", employee)
    first = ScenarioResult.objects.get(user=employee)
    assert first.attempts_finished == 1
    second = services.attempt_start(scenario=attempt.scenario, acting_user=employee)
    real = ScenarioResult.objects.select_for_update
    looks = []

    def first_look_misses(*args, **kwargs):
        looks.append(1)
        queryset = real(*args, **kwargs)
        return queryset.none() if len(looks) == 1 else queryset

    monkeypatch.setattr(ScenarioResult.objects, "select_for_update", first_look_misses)
    for step in ("step-1", "step-2", "step-3", "step-4"):
        _choose(second, step, "strong", employee)
    result = ScenarioResult.objects.get(user=employee)
    assert len(looks) == 2
    assert result.attempts_finished == 2
    assert result.best_attempt_id == second.pk and result.best_score > first.best_score


def test_a_retired_response_on_a_live_step_is_refused_and_nothing_is_recorded(attempt, employee):
    strong = response_at(attempt.scenario, "step-1", "strong")
    strong.retired = True
    strong.save(update_fields=["retired"])
    with pytest.raises(ValidationError, match="not one of the choices for this step"):
        _choose(attempt, "step-1", "strong", employee)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.choices_made, Choice.objects.count()) == (0, 0, 0)
    assert attempt.current_step.slug == "step-1"
    # The step's live responses still count.
    assert _choose(attempt, "step-1", "partial", employee).recorded


# The course's pre- and post-test: which questions, who may take it when, once per question.


def _right_answers(questions) -> dict[int, list[int]]:
    """The first option is the right one (QuestionFactory); multiple: the first two."""
    return {
        q.pk: [o.pk for o in q.options.order_by("order")[: 2 if q.kind == "multiple" else 1]]
        for q in questions
    }


def _test_questions(course):
    return [cm.module.questions.get(form="") for cm in course.course_modules.order_by("order")]


def _submit(course, context, selections, user):
    return services.course_test_submit(
        course=course, context=context, selections=selections, acting_user=user
    )


def test_an_unknown_test_is_refused_by_name(course, employee):
    with pytest.raises(ValidationError) as caught:
        _submit(course, "mid", {}, employee)
    assert caught.value.messages == ["There is no such quiz."]


def test_a_question_of_the_other_form_is_not_part_of_this_test(course, employee):
    post_only = QuestionFactory(
        module=course.course_modules.first().module, purpose="assessment", form="post"
    )
    with pytest.raises(ValidationError) as caught:
        _submit(course, "pre", _right_answers([post_only]), employee)
    assert caught.value.messages == ["That question is not part of this quiz."]
    assert not Answer.objects.exists()


def test_the_closing_quiz_is_locked_until_the_course_is_finished(course, employee):
    with pytest.raises(ValidationError) as caught:
        _submit(course, "post", _right_answers(_test_questions(course)), employee)
    assert caught.value.code == "locked"
    assert caught.value.messages == [
        "The closing quiz opens once you have finished every module of the course, so it can "
        "show what you learned."
    ]
    assert not Answer.objects.exists()


def test_the_starting_quiz_after_the_course_is_locked_unless_it_was_begun(course, employee):
    first, second = _test_questions(course)
    _submit(course, "pre", _right_answers([first]), employee)
    CourseProgress.objects.create(user=employee, course=course, completed_at=timezone.now())
    # Begun before the course was finished: the rest may still be answered.
    assert [a.question for a in _submit(course, "pre", _right_answers([second]), employee)] == [
        second
    ]
    newcomer = UserFactory()
    CourseProgress.objects.create(user=newcomer, course=course, completed_at=timezone.now())
    with pytest.raises(ValidationError) as caught:
        _submit(course, "pre", _right_answers([first]), newcomer)
    assert caught.value.code == "locked"
    assert caught.value.messages == [
        "The starting quiz is taken before the course begins, and you have already finished "
        "this course. Take the closing quiz instead."
    ]


def test_the_test_is_finished_by_this_learners_own_answers_in_this_test(
    course, employee, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        services.events, "course_test_finished", lambda **kwargs: calls.append(kwargs)
    )
    first, second = _test_questions(course)
    other = UserFactory()
    # Someone else's answers, and this learner's answers elsewhere, do not finish the test.
    _submit(course, "pre", _right_answers([first, second]), other)
    other_course = QuizCourseFactory(modules=[cm.module for cm in course.course_modules.all()])
    _submit(other_course, "pre", _right_answers([first]), employee)
    calls.clear()
    _submit(course, "pre", _right_answers([first]), employee)
    assert calls == []
    saved = _submit(course, "pre", _right_answers([first, second]), employee)
    assert [(a.question, a.context, a.course, a.user) for a in saved] == [
        (second, "pre", course, employee)
    ]
    assert calls == [{"user": employee, "course": course, "context": "pre"}]


def test_every_option_of_a_multiple_choice_question_may_be_chosen_and_is_stored(course, employee):
    first, second = _test_questions(course)  # the second allows several options
    everything = sorted(second.options.values_list("pk", flat=True))
    (answer,) = _submit(course, "pre", {second.pk: everything}, employee)
    assert answer.selected == everything
    assert not answer.is_correct  # the third option is wrong


def test_a_single_choice_question_takes_exactly_one_option(course, employee):
    first, _ = _test_questions(course)
    two = list(first.options.values_list("pk", flat=True)[:2])
    with pytest.raises(ValidationError) as caught:
        _submit(course, "pre", {first.pk: two}, employee)
    assert caught.value.messages == [f"Choose exactly one option for “{first.prompt}”."]
    assert not Answer.objects.exists()

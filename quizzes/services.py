"""Writes for scenarios, knowledge checks and course tests: all scoring happens here.

Each function validates, then saves inside one transaction, and calls the learning
hooks (XP, badges, progress) in that same transaction. Database constraints are the
guarantee that a step is answered once and a question once per context; the Python
checks before them only choose the friendly message.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from learning import events
from learning.models import Course, Module
from learning.services import module_check_complete
from quizzes import selectors
from quizzes.endings import ending_for_path
from quizzes.models import (
    Answer,
    AnswerContext,
    Attempt,
    Choice,
    Question,
    QuestionKind,
    Scenario,
    ScenarioResult,
    Step,
)
from quizzes.models import Response as StepResponse
from quizzes.scoring import answer_score

NOT_THIS_STEP = (
    "That answer was for a step you have not reached. Nothing was recorded: "
    "please answer the step shown."
)
NOT_A_RESPONSE = (
    "That response is not one of the choices for this step. Nothing was recorded: "
    "please choose one of the responses shown."
)


# Scenarios ------------------------------------------------------------------------------


def _response_for_answer(response_id: int) -> StepResponse | None:
    """A response with what answering needs of its step and of the step it leads to."""
    return (
        StepResponse.objects.annotate(
            step_retired=F("step__retired"), leads_to_ending=F("next_step__is_ending")
        )
        .filter(pk=response_id)
        .first()
    )


def attempt_start(*, scenario: Scenario, acting_user) -> Attempt:
    """Open a new attempt at the scenario's first step, or return the unfinished one.

    A double click on Start or a second tab resumes the open attempt: a partial unique
    constraint allows one unfinished attempt per learner and scenario.
    """
    if scenario.retired:
        raise ValidationError("This scenario has been retired.")
    if scenario.start_step_id is None:
        raise ValidationError("This scenario has no steps yet.")
    mine = Attempt.objects.filter(user=acting_user, scenario=scenario)
    with transaction.atomic():
        unfinished = mine.filter(finished_at__isnull=True).first()
        if unfinished is not None:
            return unfinished
        number = (mine.aggregate(highest=Max("number"))["highest"] or 0) + 1
        try:
            with transaction.atomic():
                return Attempt.objects.create(
                    user=acting_user,
                    scenario=scenario,
                    number=number,
                    current_step_id=scenario.start_step_id,
                )
        except IntegrityError:
            pass
    # A concurrent request opened it first (and has committed): both get that attempt.
    return mine.get(finished_at__isnull=True)


@dataclass(frozen=True)
class ChoiceOutcome:
    attempt: Attempt
    # False when the step had already been answered (double submit, back button, two tabs).
    recorded: bool


def attempt_choose(
    *, attempt: Attempt, step_id: int, response_id: int, acting_user
) -> ChoiceOutcome:
    """Record the learner's response to the step they are on, scored from the database.

    Side effects: one Choice and the attempt's score, count and current step; reaching an
    ending finishes the attempt, updates the ScenarioResult (the best score counts) and
    calls learning.events.scenario_finished. A step already answered records nothing.
    Raises ValidationError for a response that is not one of the current step's.
    """
    with transaction.atomic():
        # The row lock makes concurrent posts for one attempt take turns; the second one
        # then sees the step already answered.
        attempt = Attempt.objects.select_for_update().filter(pk=attempt.pk).first()
        if attempt is None:
            raise Attempt.DoesNotExist("The attempt no longer exists.")
        if attempt.user_id != acting_user.pk:
            raise PermissionDenied("This is not your attempt.")
        if attempt.finished_at is not None:
            return ChoiceOutcome(attempt, recorded=False)
        if step_id != attempt.current_step_id:
            if attempt.choices.filter(step_id=step_id).exists():
                return ChoiceOutcome(attempt, recorded=False)
            raise ValidationError(NOT_THIS_STEP, code="not_this_step")
        response = _response_for_answer(response_id)
        if (
            response is None
            or response.step_id != attempt.current_step_id
            or not selectors.response_is_live_at(response, step_retired=response.step_retired)
        ):
            raise ValidationError(NOT_A_RESPONSE, code="not_a_response")
        now = timezone.now()
        try:
            with transaction.atomic():
                Choice.objects.create(
                    attempt=attempt,
                    step_id=step_id,
                    response=response,
                    position=attempt.choices_made + 1,
                    points=response.points,
                    made_at=now,
                )
        except IntegrityError:
            return ChoiceOutcome(attempt, recorded=False)
        attempt.score += response.points
        attempt.choices_made += 1
        fields = ["score", "choices_made", "current_step"]
        if response.next_step_id is None:
            # The path, not the last choice, decides which ending this is.
            ending = _ending_earned(attempt)
            attempt.current_step = ending
            attempt.finished_at = now
            attempt.ending = ending
            fields += ["finished_at", "ending"]
        elif response.leads_to_ending:
            attempt.current_step_id = response.next_step_id
            attempt.finished_at = now
            attempt.ending_id = response.next_step_id
            fields += ["finished_at", "ending"]
        else:
            attempt.current_step_id = response.next_step_id
        attempt.save(update_fields=fields)
        if attempt.finished_at is not None:
            _result_record(attempt)
    return ChoiceOutcome(attempt, recorded=True)


def _ending_earned(attempt: Attempt) -> Step:
    """The first ending whose conditions hold for the attempt's score, flags and harm.

    The loader proved that every path earns one; should the files have changed under an
    open attempt so that none holds, the last live ending stands in.
    """
    made = [choice.response for choice in attempt.choices.select_related("response")]
    endings = list(
        Step.objects.filter(
            scenario_id=attempt.scenario_id, is_ending=True, retired=False
        ).order_by("order")
    )
    if not endings:
        raise ValidationError("This scenario has no ending to reach.")
    scenario = Scenario.objects.only("max_score").get(pk=attempt.scenario_id)
    return ending_for_path(endings, made, max_score=scenario.max_score) or endings[-1]


def _result_record(attempt: Attempt) -> None:
    """Count a finished attempt toward the learner's result; pays XP through the hook."""
    result = (
        ScenarioResult.objects.select_for_update()
        .filter(user_id=attempt.user_id, scenario_id=attempt.scenario_id)
        .first()
    )
    if result is None:
        try:
            with transaction.atomic():
                ScenarioResult.objects.create(
                    user_id=attempt.user_id,
                    scenario_id=attempt.scenario_id,
                    best_score=attempt.score,
                    best_attempt=attempt,
                    attempts_finished=1,
                    updated_at=attempt.finished_at,
                )
        except IntegrityError:
            # Another of the learner's attempts finished at the same instant and created
            # the result first (the constraint allows one): count this one into it.
            result = ScenarioResult.objects.select_for_update().get(
                user_id=attempt.user_id, scenario_id=attempt.scenario_id
            )
        else:
            events.scenario_finished(attempt=attempt, previous_best=None)
            return
    previous_best = result.best_score
    result.attempts_finished += 1
    if attempt.score > result.best_score:
        result.best_score = attempt.score
        result.best_attempt = attempt
    result.updated_at = attempt.finished_at
    result.save()
    events.scenario_finished(attempt=attempt, previous_best=previous_best)


# Knowledge checks and course tests ------------------------------------------------------


def _answers_save(
    *,
    user,
    questions: list[Question],
    selections: dict[int, list[int]],
    context: str,
    course: Course | None,
) -> list[Answer]:
    """Validate every selection, then store the new answers once each (earlier ones stand)."""
    by_id = {question.pk: question for question in questions}
    scored = []
    for question_id, chosen in selections.items():
        question = by_id.get(question_id)
        if question is None:
            raise ValidationError("That question is not part of this quiz.")
        selected = set(chosen)
        options = {option.pk for option in question.options.all()}
        if not selected or not selected <= options:
            raise ValidationError(f"Choose one of the options shown for “{question.prompt}”.")
        if question.kind == QuestionKind.SINGLE and len(selected) != 1:
            raise ValidationError(f"Choose exactly one option for “{question.prompt}”.")
        scored.append((question, sorted(selected), *answer_score(question, selected)))
    saved = []
    for question, selected, score, exact in scored:
        shown = selectors.option_order(
            question, user_id=user.pk, context=context, course_id=course.pk if course else None
        )
        try:
            with transaction.atomic():
                saved.append(
                    Answer.objects.create(
                        user=user,
                        question=question,
                        context=context,
                        course=course,
                        selected=selected,
                        option_order=shown,
                        is_correct=exact,
                        score=score,
                    )
                )
        except IntegrityError:
            continue  # answered before (another tab, a replay): the first answer stands
    return saved


def module_check_submit(
    *, module: Module, selections: dict[int, list[int]], acting_user
) -> list[Answer]:
    """Score and store the learner's knowledge-check answers (once per question).

    When this completes the module's check, calls learning.services.module_check_complete
    (progress and XP) in the same transaction. Returns the newly stored answers.
    """
    with transaction.atomic():
        questions = list(selectors.check_questions(module))
        saved = _answers_save(
            user=acting_user,
            questions=questions,
            selections=selections,
            context=AnswerContext.MODULE,
            course=None,
        )
        answered = selectors.answers_by_question(acting_user, questions, AnswerContext.MODULE)
        if saved and questions and len(answered) == len(questions):
            module_check_complete(user=acting_user, module=module)
    return saved


def course_test_submit(
    *, course: Course, context: str, selections: dict[int, list[int]], acting_user
) -> list[Answer]:
    """Score and store the learner's pre- or post-test answers (once per question).

    Refuses a test the learner may not take now (the post-test before the course is
    finished). When this completes the test, calls learning.events.course_test_finished
    (knowledge-gain XP) in the same transaction. Returns the newly stored answers.
    """
    if context not in (AnswerContext.PRE, AnswerContext.POST):
        raise ValidationError("There is no such quiz.")
    with transaction.atomic():
        questions = list(selectors.course_test_questions(course, context))
        before = selectors.answers_by_question(acting_user, questions, context, course)
        reason = selectors.course_test_lock_reason(acting_user, course, context, bool(before))
        if reason:
            raise ValidationError(reason, code="locked")
        saved = _answers_save(
            user=acting_user,
            questions=questions,
            selections=selections,
            context=context,
            course=course,
        )
        if saved and len(before) + len(saved) == len(questions):
            events.course_test_finished(user=acting_user, course=course, context=context)
    return saved

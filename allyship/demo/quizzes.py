"""Demo scenario attempts and quiz answers, enough for every insight's group of five."""

import datetime
from collections import defaultdict

from django.db.models import Prefetch

from allyship.demo.bulk import (
    BATCH,
    NAMED_LEVELS,
    QUIZ_SAMPLE,
    DemoContext,
    assigned_courses,
    chance,
    insert_rows,
    level_of,
)
from allyship.models import User
from learning.models import (
    Course,
    CourseModule,
)
from quizzes.endings import ending_for_path
from quizzes.models import (
    Answer,
    AnswerContext,
    Attempt,
    Choice,
    Option,
    Question,
    QuestionKind,
    QuestionPurpose,
    Rating,
    Response,
    Scenario,
    ScenarioResult,
    Step,
)
from quizzes.selectors import option_order


def _sample(context: DemoContext) -> list[tuple[int, str, int]]:
    """People with progress who have no answers yet, from a fixed sample: everyone with
    progress up to QUIZ_SAMPLE, else every nth of them (and the named people)."""
    candidates = []
    for pk, email in User.objects.filter(is_active=True).order_by("id").values_list("id", "email"):
        level = level_of(pk, email, len(context.modules))
        if level:
            candidates.append((pk, email, level))
    if len(candidates) > QUIZ_SAMPLE:
        step = len(candidates) / QUIZ_SAMPLE
        chosen = {candidates[int(index * step)][0] for index in range(QUIZ_SAMPLE)}
        candidates = [c for c in candidates if c[0] in chosen or c[1] in NAMED_LEVELS]
    answered = set(Attempt.objects.values_list("user_id", flat=True).distinct())
    answered |= set(Answer.objects.values_list("user_id", flat=True).distinct())
    return [c for c in candidates if c[0] not in answered]


def _difficulty(principle_id: int) -> int:
    """How likely (out of 100) people get this principle right: some are harder than others."""
    return 50 + chance(principle_id, 11) * 40 // 100


def seed_quizzes(context: DemoContext) -> int:
    sample = _sample(context)
    if not sample:
        return 0
    scenarios = {
        scenario.pk: scenario
        for scenario in Scenario.objects.filter(retired=False).prefetch_related(
            Prefetch("steps", queryset=Step.objects.order_by("order")),
            Prefetch(
                "steps__responses",
                queryset=Response.objects.filter(retired=False).order_by("order"),
            ),
        )
    }
    questions = list(
        Question.objects.filter(retired=False).prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order"))
        )
    )
    checks: dict[int, list[Question]] = defaultdict(list)
    assessments: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        target = checks if question.purpose == QuestionPurpose.CHECK else assessments
        target[question.module_id].append(question)
    course_modules: dict[int, list[int]] = defaultdict(list)
    for course_id, module_id in CourseModule.objects.filter(course__in=context.courses).values_list(
        "course_id", "module_id"
    ):
        course_modules[course_id].append(module_id)
    assigned = assigned_courses()

    attempts: list[Attempt] = []
    paths: list[list[Response]] = []
    answers: list[dict] = []
    for pk, _email, level in sample:
        done_modules = context.modules[:level]
        done_ids = {module.pk for module in done_modules}
        when = context.now - datetime.timedelta(days=chance(pk, 5) * 84 // 100)
        seen_scenarios = set()
        for module in done_modules:
            scenario = scenarios.get(module.scenario_id)
            if scenario is not None and scenario.pk not in seen_scenarios:
                seen_scenarios.add(scenario.pk)
                path, ending = _walk(scenario, pk)
                if path:
                    attempts.append(
                        Attempt(
                            user_id=pk,
                            scenario=scenario,
                            number=1,
                            current_step=ending,
                            ending=ending,
                            score=sum(r.points for r in path),
                            choices_made=len(path),
                            started_at=when - datetime.timedelta(minutes=12),
                            finished_at=when,
                        )
                    )
                    paths.append(path)
            for question in checks.get(module.pk, []):
                answers.append(_answer(pk, question, AnswerContext.MODULE, None, 0, when))
        for course in context.courses:
            members = course_modules.get(course.pk, [])
            if course.pk not in assigned.get(pk, ()) or not members:
                continue
            tests = [(AnswerContext.PRE, -25)]
            if all(m in done_ids for m in members):
                tests.append((AnswerContext.POST, 5))
            for test, shift in tests:
                for module_id in members:
                    for question in assessments.get(module_id, []):
                        if question.form not in (test, ""):
                            continue  # the other test's parallel form
                        answers.append(_answer(pk, question, test, course, shift, when))
    Attempt.objects.bulk_create(attempts, batch_size=BATCH)
    if attempts and attempts[0].pk is None:  # a database that does not return ids
        ids = {
            (a.user_id, a.scenario_id): a.pk
            for a in Attempt.objects.filter(number=1, finished_at__isnull=False)
        }
        for attempt in attempts:
            attempt.pk = ids[(attempt.user_id, attempt.scenario_id)]
    insert_rows(
        Choice,
        [
            {
                "attempt_id": attempt.pk,
                "step_id": response.step_id,
                "response_id": response.pk,
                "position": position,
                "points": response.points,
                "made_at": attempt.started_at + datetime.timedelta(minutes=2 * position),
            }
            for attempt, path in zip(attempts, paths, strict=True)
            for position, response in enumerate(path, start=1)
        ],
    )
    insert_rows(
        ScenarioResult,
        [
            {
                "user_id": attempt.user_id,
                "scenario_id": attempt.scenario_id,
                "best_score": attempt.score,
                "best_attempt_id": attempt.pk,
                "attempts_finished": 1,
                "updated_at": attempt.finished_at,
            }
            for attempt in attempts
        ],
    )
    insert_rows(Answer, answers)
    return len(attempts)


def _walk(scenario: Scenario, pk: int) -> tuple[list[Response], Step | None]:
    """One path through a scenario and the ending it earns: stronger choices more often,
    harder scenarios less so. A choice with no next step finishes the scenario, and the
    path's score and flags pick the ending, as they do for a learner."""
    steps = {step.pk: step for step in scenario.steps.all()}
    step = steps.get(scenario.start_step_id)
    strong_share = _difficulty(scenario.principle_id)
    path: list[Response] = []
    while step is not None and not step.is_ending and len(path) < 12:
        responses = [
            r for r in step.responses.all() if r.next_step_id is None or r.next_step_id in steps
        ]
        if not responses:
            return []
        roll = chance(pk, step.pk, 13)
        wanted = (
            Rating.STRONG
            if roll < strong_share
            else Rating.PARTIAL
            if roll < strong_share + (100 - strong_share) * 2 // 3
            else Rating.HARMFUL
        )
        matching = [r for r in responses if r.rating == wanted] or responses
        response = matching[chance(pk, step.pk, 17) % len(matching)]
        path.append(response)
        if response.next_step_id is None:
            endings = [s for s in steps.values() if s.is_ending and not s.retired]
            step = ending_for_path(endings, path, max_score=scenario.max_score)
            break
        step = steps.get(response.next_step_id)
    if step is not None and step.is_ending:
        return path, step
    return [], None


def _answer(
    pk: int,
    question: Question,
    context: str,
    course: Course | None,
    shift: int,
    when: datetime.datetime,
) -> dict:
    options = list(question.options.all())
    correct = [option.pk for option in options if option.is_correct]
    wrong = [option.pk for option in options if not option.is_correct]
    likelihood = max(5, min(97, _difficulty(question.principle_id) + shift))
    right = chance(pk, question.pk, len(context)) < likelihood
    if right or not wrong:
        selected, score = correct, 1.0
    elif question.kind == QuestionKind.MULTIPLE and len(correct) > 1:
        selected, score = [correct[0]], 1 / len(correct)
    else:
        selected, score = [wrong[chance(pk, question.pk) % len(wrong)]], 0.0
    return {
        "user_id": pk,
        "question_id": question.pk,
        "context": context,
        "course_id": course.pk if course else None,
        "selected": sorted(selected),
        # The shuffled order this learner would have been shown, as a real answer stores.
        "option_order": option_order(
            question, user_id=pk, context=context, course_id=course.pk if course else None
        ),
        "is_correct": score == 1.0,
        "score": score,
        "answered_at": when,
    }

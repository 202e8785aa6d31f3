"""Reads for scenarios, knowledge checks and course tests.

Each function returns what its page shows with the related rows already loaded,
so templates never query. The HR-facing aggregates at the end compute in the
database (`values().annotate(...)`), never by looping over answer or choice rows.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import (
    Avg,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from learning.models import Course, CourseModule, CourseProgress, Module
from learning.recognition.quiz_facts import ScenarioScore
from quizzes.endings import Conditions
from quizzes.models import (
    Answer,
    AnswerContext,
    Attempt,
    Choice,
    Option,
    Question,
    QuestionPurpose,
    Rating,
    Response,
    Scenario,
    ScenarioResult,
    Step,
)

# Aggregates about fewer people than this are withheld, so nobody's answers can be singled out.
MINIMUM_GROUP = 5

# Scenarios ------------------------------------------------------------------------------


def scenario_catalogue(user) -> QuerySet[Scenario]:
    """Live scenarios with the learner's best score, finished attempts and unfinished attempt."""
    result = ScenarioResult.objects.filter(user=user, scenario=OuterRef("pk"))
    unfinished = Attempt.objects.filter(
        user=user, scenario=OuterRef("pk"), finished_at__isnull=True
    )
    return (
        Scenario.objects.filter(retired=False)
        .select_related("principle")
        .annotate(
            best_score=Subquery(result.values("best_score")[:1]),
            attempts_finished=Coalesce(Subquery(result.values("attempts_finished")[:1]), Value(0)),
            unfinished_attempt=Subquery(unfinished.values("pk")[:1], output_field=IntegerField()),
        )
        .order_by("order", "title")
    )


def scenario_attempts(user, scenario: Scenario) -> QuerySet[Attempt]:
    """The learner's attempts at a scenario, newest first, with the ending each reached."""
    return (
        Attempt.objects.filter(user=user, scenario=scenario)
        .select_related("ending")
        .order_by("-number")
    )


def scenario_result(user, scenario: Scenario) -> ScenarioResult | None:
    return ScenarioResult.objects.filter(user=user, scenario=scenario).first()


def live_responses(step: Step) -> QuerySet[Response]:
    """The responses a learner may choose at a step.

    A step retired from the files mid-attempt keeps all its old responses, so the old
    (validated) graph still leads the attempt to an ending.
    """
    responses = step.responses.all()
    return responses if step.retired else responses.filter(retired=False)


def response_is_live_at(response: Response, *, step_retired: bool) -> bool:
    """live_responses' rule for one response of a step, already read."""
    return step_retired or not response.retired


def responses_for_display(attempt: Attempt) -> list[Response]:
    """The current step's responses in an order shuffled per attempt and step.

    Authors tend to list the strongest response first; a stable shuffle (the same on
    every reload) keeps the page from giving that away.
    """
    if attempt.current_step is None or attempt.finished_at is not None:
        return []
    responses = list(live_responses(attempt.current_step).order_by("order"))
    random.Random(f"{attempt.pk}:{attempt.current_step_id}").shuffle(responses)
    return responses


def last_choice(attempt: Attempt) -> Choice | None:
    """The attempt's latest choice, with its response and principle (for "What happened")."""
    return (
        attempt.choices.select_related("step", "response", "response__principle")
        .order_by("-position")
        .first()
    )


def attempt_path(attempt: Attempt) -> QuerySet[Choice]:
    """Every choice of the attempt in order, with step, response and principle."""
    return attempt.choices.select_related("step", "response__principle").order_by("position")


@dataclass(frozen=True)
class StrongestMove:
    step: Step
    response: Response


def strongest_moves(scenario: Scenario) -> list[StrongestMove]:
    """At each step of the scenario's strongest path, the response that stays on it.

    Two queries (steps, responses with principles) whatever the scenario's size.
    """
    steps = {
        step.slug: step
        for step in scenario.steps.prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.select_related("principle").order_by("order"),
            )
        )
    }
    moves = []
    path = [slug for slug in scenario.strongest_path if slug in steps]
    for here, there in pairwise(path):
        # The last move of a path-aware scenario finishes it (no next step).
        targets = {steps[there].pk, None} if steps[there].is_ending else {steps[there].pk}
        leading = [r for r in steps[here].responses.all() if r.next_step_id in targets]
        if leading:
            moves.append(StrongestMove(steps[here], max(leading, key=lambda r: r.points)))
    return moves


@dataclass(frozen=True)
class TurningPoint:
    choice: Choice
    reasons: list[str]


def turning_points(path: Iterable[Choice], ending: Step | None) -> list[TurningPoint]:
    """The choices of a finished path that turned it, each with why, from loaded rows.

    A choice is a turning point when it set a flag the reached ending tests, when it was
    harmful, or when it was made at a dilemma step (two defensible moves).
    """
    tested = Conditions.from_data(ending.conditions).flags() if ending is not None else set()
    points = []
    for choice in path:
        reasons = []
        if set(choice.response.sets or []) & tested:
            reasons.append(f"It decided the ending you reached: “{ending.title}”.")
        if choice.response.rating == Rating.HARMFUL:
            reasons.append("It was a harmful move, and the story changed course because of it.")
        if choice.step.dilemma:
            reasons.append(
                "It was a real dilemma: more than one move was defensible, "
                "and the feedback weighs what each one costs."
            )
        if reasons:
            points.append(TurningPoint(choice, reasons))
    return points


# Knowledge checks and course tests ------------------------------------------------------


def _with_options(questions: QuerySet[Question]) -> QuerySet[Question]:
    return questions.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order"))
    ).select_related("principle")


def check_questions(module: Module) -> QuerySet[Question]:
    """A module's live knowledge-check questions in order, with their options."""
    return _with_options(
        Question.objects.filter(module=module, purpose=QuestionPurpose.CHECK, retired=False)
    ).order_by("order")


def course_test_questions(course: Course, context: str | None = None) -> QuerySet[Question]:
    """The assessment questions of a course's live modules, in course order, with options.

    With a context (pre or post), only that test's parallel form, plus any question that
    belongs to no form (it is then in both tests).
    """
    position = CourseModule.objects.filter(course=course, module=OuterRef("module")).values(
        "order"
    )[:1]
    return (
        _with_options(
            Question.objects.filter(
                purpose=QuestionPurpose.ASSESSMENT,
                retired=False,
                module__retired=False,
                module__course_modules__course=course,
            )
        )
        .filter(**({"form__in": [context, ""]} if context else {}))
        .annotate(position=Subquery(position))
        .order_by("position", "order")
    )


def option_order(
    question: Question, *, user_id: int, context: str, course_id: int | None
) -> list[int]:
    """The question's option ids in the order this learner sees them in this attempt.

    A stable shuffle (the same on every reload) keyed by learner, question, context and
    course, so the written position of the right answer gives nothing away. The services
    store this order with the answer.
    """
    ids = [option.pk for option in question.options.all()]
    random.Random(f"{user_id}:{question.pk}:{context}:{course_id or 0}").shuffle(ids)
    return ids


def option_orders(
    questions: Iterable[Question], *, user_id: int, context: str, course_id: int | None = None
) -> dict[int, list[int]]:
    return {
        question.pk: option_order(question, user_id=user_id, context=context, course_id=course_id)
        for question in questions
    }


def answers_by_question(
    user, questions: Iterable[Question], context: str, course: Course | None = None
) -> dict[int, Answer]:
    """The learner's stored answers to these questions in one context, by question id."""
    answers = Answer.objects.filter(
        user=user, question__in=[q.pk for q in questions], context=context
    )
    if context != AnswerContext.MODULE:
        answers = answers.filter(course=course)
    return {answer.question_id: answer for answer in answers}


@dataclass(frozen=True)
class OptionReview:
    option: Option
    chosen: bool


@dataclass(frozen=True)
class AnswerReview:
    """A question after answering: what was chosen, what was right, and why."""

    question: Question
    answer: Answer
    options: list[OptionReview] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.answer.is_correct:
            return "Right"
        return "Partly right" if self.answer.score > 0 else "Not quite"

    @property
    def percent(self) -> int:
        return round(self.answer.score * 100)


def answer_reviews(questions: Iterable[Question], answers: dict[int, Answer]) -> list[AnswerReview]:
    """Reviews of the answered questions, from rows already loaded (no queries)."""
    reviews = []
    for question in questions:
        answer = answers.get(question.pk)
        if answer is None:
            continue
        chosen = set(answer.selected)
        # In the order the learner was shown them, when that was recorded.
        shown = {pk: index for index, pk in enumerate(answer.option_order or [])}
        loaded = sorted(question.options.all(), key=lambda o: shown.get(o.pk, len(shown) + o.order))
        options = [OptionReview(o, o.pk in chosen) for o in loaded]
        reviews.append(AnswerReview(question, answer, options))
    return reviews


def course_completed(user, course: Course) -> bool:
    return CourseProgress.objects.filter(
        user=user, course=course, completed_at__isnull=False
    ).exists()


def course_test_lock_reason(user, course: Course, context: str, answered: bool) -> str | None:
    """Why the learner may not take this course test now, or None when they may."""
    completed = course_completed(user, course)
    if context == AnswerContext.POST and not completed:
        return (
            "The closing quiz opens once you have finished every module of the course, "
            "so it can show what you learned."
        )
    if context == AnswerContext.PRE and completed and not answered:
        return (
            "The starting quiz is taken before the course begins, and you have already "
            "finished this course. Take the closing quiz instead."
        )
    return None


def average_percent(answers: Iterable[Answer]) -> int | None:
    """The average score of already loaded answers, as a whole percentage."""
    scores = [answer.score for answer in answers]
    return round(100 * sum(scores) / len(scores)) if scores else None


# Knowledge gain and HR aggregates --------------------------------------------------------


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def course_knowledge_gain(*, user, course: Course) -> float | None:
    """Post-test average minus pre-test average for the course, in percentage points.

    None when either test has no answers. One aggregate query.
    """
    totals = Answer.objects.filter(user=user, course=course).aggregate(
        pre=Avg("score", filter=Q(context=AnswerContext.PRE)),
        post=Avg("score", filter=Q(context=AnswerContext.POST)),
    )
    if totals["pre"] is None or totals["post"] is None:
        return None
    return round((totals["post"] - totals["pre"]) * 100, 1)


def _by_principle(answers: QuerySet[Answer]) -> list[dict]:
    rows = (
        answers.filter(context__in=[AnswerContext.PRE, AnswerContext.POST])
        .values(
            slug=F("question__principle__slug"),
            name=F("question__principle__name"),
            principle_order=F("question__principle__order"),
        )
        .annotate(
            pre=Avg("score", filter=Q(context=AnswerContext.PRE)),
            post=Avg("score", filter=Q(context=AnswerContext.POST)),
        )
        .order_by("principle_order", "name")
    )
    return [
        {
            "slug": row["slug"],
            "name": row["name"],
            "pre": _percent(row["pre"]),
            "post": _percent(row["post"]),
            # From the averages, as the course's gain is, not from the rounded scores.
            "gain": None
            if row["pre"] is None or row["post"] is None
            else _percent(row["post"] - row["pre"]),
        }
        for row in rows  # one row per principle: already aggregated by the database
    ]


def knowledge_gain_by_principle(*, user, course: Course) -> list[dict]:
    """For one learner and course: each principle's pre and post score (%) and the gain."""
    return _by_principle(Answer.objects.filter(user=user, course=course))


# Facts that badges and XP read (registered in learning.recognition.quiz_facts at start-up).


def scenario_scores_of(user) -> dict[str, ScenarioScore]:
    """Every scenario (a curriculum-sized list) with the person's best finished score."""
    best = ScenarioResult.objects.filter(
        user=user, scenario=OuterRef("pk"), attempts_finished__gte=1
    ).values("best_score")[:1]
    return {
        slug: ScenarioScore(max_score, best_score)
        for slug, max_score, best_score in Scenario.objects.annotate(
            best=Subquery(best)
        ).values_list("slug", "max_score", "best")
    }


def knowledge_gained_by(user) -> bool:
    """Whether any course's post-test beat its pre-test.

    One query for the courses with a post-test, then one per such course until a gain is
    found: bounded by the curriculum's course count, not by people or history.
    """
    course_ids = (
        Answer.objects.filter(user=user, context=AnswerContext.POST)
        .values_list("course_id", flat=True)
        .distinct()
    )
    for course in Course.objects.filter(pk__in=course_ids).order_by("pk"):
        gain = course_knowledge_gain(user=user, course=course)
        if gain is not None and gain > 0:
            return True
    return False

"""Builders for HR and manager tests: courses, assignments, progress, quiz answers, CSV files.

Sequences, never random data. Bulk helpers build many people in a few queries, so the
query-count tests can compare two data sizes cheaply.
"""

import datetime
import io
import time

import factory
from django.utils import timezone

from allyship.models import User
from allyship.services import roles_refresh
from learning.models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    Commitment,
    CommitmentStatus,
    CourseProgress,
    Module,
)
from quizzes.models import (
    Answer,
    AnswerContext,
    Attempt,
    Choice,
    Question,
    QuestionKind,
    QuestionPurpose,
    Rating,
    Response,
    Scenario,
    Step,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.learning.builders import build_course, build_module

HEADER = ["email", "name", "department", "manager_email", "role", "active"]


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def course_with_modules(modules: int = 2, slug: str | None = None):
    return build_course([build_module(lessons=2) for _ in range(modules)], slug=slug)


class AssignmentRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignmentRule

    course = factory.LazyFunction(course_with_modules)
    scope = AssignmentScope.EVERYONE
    due_on = factory.LazyFunction(lambda: days(14))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    user = factory.SubFactory(UserFactory)
    course = factory.LazyFunction(course_with_modules)
    due_on = factory.LazyFunction(lambda: days(14))


class CourseProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseProgress

    user = factory.SubFactory(UserFactory)
    course = factory.LazyFunction(course_with_modules)
    percent = 50


def complete(user: User, course, when: datetime.datetime | None = None) -> CourseProgress:
    return CourseProgress.objects.create(
        user=user,
        course=course,
        percent=100,
        modules_completed=course.module_count,
        completed_at=when or timezone.now(),
    )


def bulk_team(
    size: int, *, manager: User | None = None, department=None, course=None, due_in: int = -3
) -> list[User]:
    """`size` people (under `manager`), each assigned `course` with varied progress."""
    department = department or DepartmentFactory(name="Engineering")
    start = User.objects.count()
    people = User.objects.bulk_create(
        [
            User(
                email=f"bulk{start + i}@test.example",
                full_name=f"Bulk Person {start + i:05d}",
                department=department,
                manager=manager,
            )
            for i in range(size)
        ]
    )
    if manager is not None:
        roles_refresh(user_ids=[manager.pk])
        manager.refresh_from_db(fields=["has_reports"])
    if course is not None:
        Assignment.objects.bulk_create(
            [
                Assignment(user=p, course=course, due_on=days(due_in + i % 7))
                for i, p in enumerate(people)
            ]
        )
        CourseProgress.objects.bulk_create(
            [
                CourseProgress(
                    user=p,
                    course=course,
                    percent=100 if i % 3 == 0 else (i * 17) % 100,
                    completed_at=timezone.now() - datetime.timedelta(days=i % 40)
                    if i % 3 == 0
                    else None,
                )
                for i, p in enumerate(people)
                if i % 4
            ]
        )
    return people


def csv_bytes(rows: list[list[str]], header: list[str] | None = None, encoding="utf-8") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def build_scenario(principle=None) -> Scenario:
    """A two-step scenario: one decision with a strong, partial and harmful response."""
    module = build_module(lessons=1)
    principle = principle or module.principle
    scenario = Scenario.objects.create(
        slug=f"scenario-{module.pk}", title=f"Scenario {module.pk}", principle=principle
    )
    start = Step.objects.create(scenario=scenario, slug="start", title="The moment", situation="x")
    end = Step.objects.create(
        scenario=scenario, slug="end", title="Ending", situation="y", is_ending=True, order=1
    )
    for order, (rating, points) in enumerate(
        [(Rating.STRONG, 10), (Rating.PARTIAL, 5), (Rating.HARMFUL, 0)]
    ):
        Response.objects.create(
            step=start,
            slug=f"r{order}",
            text=f"Response {rating}",
            rating=rating,
            points=points,
            principle=principle,
            feedback="Because.",
            next_step=end,
            order=order,
        )
    scenario.start_step = start
    scenario.save()
    return scenario


def play(user: User, scenario: Scenario, rating: str = Rating.STRONG) -> Attempt:
    response = Response.objects.get(step=scenario.start_step, rating=rating)
    attempt = Attempt.objects.create(
        user=user,
        scenario=scenario,
        current_step=response.next_step,
        ending=response.next_step,
        score=response.points,
        choices_made=1,
        finished_at=timezone.now(),
    )
    Choice.objects.create(
        attempt=attempt, step=scenario.start_step, response=response, position=1, points=1
    )
    return attempt


def assessment_question(module: Module) -> Question:
    return Question.objects.create(
        slug=f"q-{module.pk}-{Question.objects.count()}",
        module=module,
        principle=module.principle,
        purpose=QuestionPurpose.ASSESSMENT,
        kind=QuestionKind.SINGLE,
        prompt="Which is right?",
        explanation="This one.",
    )


def answer(user, question, context=AnswerContext.MODULE, course=None, score=1.0) -> Answer:
    return Answer.objects.create(
        user=user,
        question=question,
        context=context,
        course=course if context != AnswerContext.MODULE else None,
        score=score,
        is_correct=score == 1.0,
    )


def commit(user, module, status=CommitmentStatus.DONE) -> Commitment:
    return Commitment.objects.create(
        user=user, module=module, text="I will listen.", check_in_on=days(-1), status=status
    )


class Clock:
    """The wall clock, held still and moved by hand: `timezone.now()` and the cache's expiry
    check (`time.time()`) both read it, so a test can step past a minute's snapshot."""

    def __init__(self, monkeypatch, start: datetime.datetime):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)
        monkeypatch.setattr(time, "time", lambda: self.now.timestamp())

    def advance(self, **delta: float) -> None:
        self.now += datetime.timedelta(**delta)

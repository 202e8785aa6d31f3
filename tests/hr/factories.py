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
from learning.summaries import learning_summaries_refresh
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
from tests.factories import DepartmentFactory, SummaryKeepingFactory, UserFactory
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
    # Tests build several rules of one course for one group (lists, stats): each its own
    # key. Only assignment_rule_create keys rules by their group (tested in test_assignments).
    group_key = factory.Sequence(lambda n: f"factory:{n}")


class AssignmentFactory(SummaryKeepingFactory):
    class Meta:
        model = Assignment

    user = factory.SubFactory(UserFactory)
    course = factory.LazyFunction(course_with_modules)
    due_on = factory.LazyFunction(lambda: days(14))


class CourseProgressFactory(SummaryKeepingFactory):
    class Meta:
        model = CourseProgress

    user = factory.SubFactory(UserFactory)
    course = factory.LazyFunction(course_with_modules)
    percent = 50


def complete(user: User, course, when: datetime.datetime | None = None) -> CourseProgress:
    return CourseProgressFactory(
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
    learning_summaries_refresh(user_ids=[person.pk for person in people])
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


def commit(user, module, status=CommitmentStatus.DONE, reported_days_ago: int = 0) -> Commitment:
    """A plan due yesterday; unless open, reported `reported_days_ago` days ago (on time
    when that is at most 1)."""
    reported = None
    if status != CommitmentStatus.OPEN:
        reported = timezone.now() - datetime.timedelta(days=reported_days_ago)
    return Commitment.objects.create(
        user=user,
        module=module,
        situation="a colleague raises a concern",
        action="listen to the end before answering",
        check_in_on=days(-1),
        status=status,
        arose=None if status == CommitmentStatus.OPEN else status != CommitmentStatus.NOT_ARISEN,
        reported_at=reported,
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


def refresh_figures() -> None:
    """Run the background refresh of the stored report figures, as the worker would."""
    from allyship.reporting.figures import report_figures_refresh

    report_figures_refresh()

"""Factories and small builders for recognition tests: awards, ledger rows, certificates,
assignments, finished courses, scenario results and teams. Sequences, never random data."""

import datetime

import factory
from django.utils import timezone

from learning.models import (
    Assignment,
    BadgeAward,
    Certificate,
    Course,
    CourseProgress,
    LearnerStats,
    XpEvent,
)
from learning.recognition.certificates import certificate_code_new
from tests.factories import SummaryKeepingFactory, UserFactory, scenario_file, scenario_from_file
from tests.learning.builders import build_course, build_module


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"recognition-course-{n}")
    title = factory.Sequence(lambda n: f"Recognition course {n}")
    module_count = 1


class BadgeAwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BadgeAward

    user = factory.SubFactory(UserFactory)
    badge = "first-lesson"
    seen = False


class XpEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = XpEvent

    user = factory.SubFactory(UserFactory)
    source = factory.Sequence(lambda n: f"test:{n}")
    amount = 10
    reason = factory.Sequence(lambda n: f"Test reason {n}")


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    code = factory.LazyFunction(certificate_code_new)


class AssignmentFactory(SummaryKeepingFactory):
    class Meta:
        model = Assignment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class CourseProgressFactory(SummaryKeepingFactory):
    class Meta:
        model = CourseProgress

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    percent = 0

    class Params:
        completed = factory.Trait(
            percent=100, modules_completed=1, completed_at=factory.LazyFunction(timezone.now)
        )


def stats_with_streak(user, current: int, longest: int | None = None) -> LearnerStats:
    stats, _ = LearnerStats.objects.get_or_create(user=user)
    stats.current_streak = current
    stats.longest_streak = max(current, longest or 0)
    stats.save()
    return stats


def seed_scenario(slug: str):
    """A scenario with a seed slug, loaded through the real loader (best possible score 39)."""
    return scenario_from_file(scenario_file(slug=slug))


def scenario_result(user, scenario, best_score: int):
    from quizzes.models import ScenarioResult

    result, _ = ScenarioResult.objects.update_or_create(
        user=user,
        scenario=scenario,
        defaults={"best_score": best_score, "attempts_finished": 1},
    )
    return result


def small_course(lessons: int = 1):
    """A course of one module with `lessons` lessons (tests/learning/builders.py)."""
    module = build_module(lessons=lessons)
    return build_course([module]), module


def team(manager, size: int, **kwargs) -> list:
    """`size` active people reporting to `manager`."""
    return UserFactory.create_batch(size, manager=manager, **kwargs)

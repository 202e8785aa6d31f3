"""Every constraint of learning's models, tested at the database: a direct second insert (or
a value out of range) raises IntegrityError naming that constraint, on SQLite and PostgreSQL."""

import datetime

import pytest
from django.utils import timezone

from learning.models import (
    Assignment,
    BadgeAward,
    Certificate,
    Commitment,
    CommitmentSuggestion,
    CourseProgress,
    DigestSent,
    LessonCompletion,
    ModuleProgress,
    Nudge,
    Reflection,
    ReflectionPrompt,
    ReminderSent,
    XpEvent,
)
from tests.constraints import Case, assert_refused_by, copy_of, declared_constraints, insert
from tests.factories import UserFactory
from tests.learning.builders import build_course, build_module

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def _module():
    return build_module(lessons=1)


def _again(row, **changes):
    return type(row), insert(type(row), copy_of(row, **changes))


def lesson_twice():
    return _again(_module().lessons.get(), title="Same slug, other title", order=5)


def prompt_twice():
    return _again(ReflectionPrompt.objects.get(module=_module()), prompt="Another prompt")


def suggestion_twice():
    return _again(CommitmentSuggestion.objects.filter(module=_module()).first(), text="Other")


def course_module_twice():
    module = _module()
    return _again(build_course([module]).course_modules.get(), order=7)


def _assignment():
    return Assignment.objects.create(
        user=UserFactory(), course=build_course([_module()]), due_on=MONDAY
    )


def assignment_twice():
    return _again(_assignment(), due_on=MONDAY + datetime.timedelta(days=30))


def lesson_completed_twice():
    row = LessonCompletion.objects.create(user=UserFactory(), lesson=_module().lessons.get())
    return _again(row)


def _module_progress():
    return ModuleProgress.objects.create(user=UserFactory(), module=_module(), percent=40)


def module_progress_twice():
    return _again(_module_progress(), percent=60)


def module_percent_over_100():
    row = _module_progress()
    return ModuleProgress, lambda: ModuleProgress.objects.filter(pk=row.pk).update(percent=101)


def _course_progress():
    return CourseProgress.objects.create(
        user=UserFactory(), course=build_course([_module()]), percent=50
    )


def course_progress_twice():
    return _again(_course_progress(), percent=0)


def course_percent_over_100():
    row = _course_progress()
    return CourseProgress, lambda: CourseProgress.objects.filter(pk=row.pk).update(percent=101)


def reflection_twice():
    prompt = ReflectionPrompt.objects.get(module=_module())
    return _again(Reflection.objects.create(user=UserFactory(), prompt=prompt, text="First"))


def commitment_twice():
    row = Commitment.objects.create(
        user=UserFactory(), module=_module(), text="Ask a quiet colleague first", check_in_on=MONDAY
    )
    return _again(row, text="A second action for the same module")


def xp_twice():
    row = XpEvent.objects.create(user=UserFactory(), source="lesson:1", amount=10, reason="Read")
    return _again(row, amount=20, reason="Read again")


def badge_twice():
    row = BadgeAward.objects.create(user=UserFactory(), badge="first-steps")
    return _again(row, awarded_at=timezone.now() + datetime.timedelta(days=1))


def certificate_twice():
    row = Certificate.objects.create(
        user=UserFactory(), course=build_course([_module()]), code="ABCD2345EFGH"
    )
    return _again(row, code="ZZZZ2345ZZZZ")


def reminder_twice():
    row = ReminderSent.objects.create(assignment=_assignment(), kind="due_soon", sent_on=MONDAY)
    return _again(row)


def digest_twice():
    return _again(DigestSent.objects.create(manager=UserFactory(), week=MONDAY))


def nudge_twice():
    row = Nudge.objects.create(
        manager=UserFactory(),
        learner=UserFactory(),
        course=build_course([_module()]),
        week=MONDAY,
    )
    return _again(row, manager=UserFactory())


CASES: dict[str, Case] = {
    "lesson_unique_slug_in_module": lesson_twice,
    "prompt_unique_slug_in_module": prompt_twice,
    "suggestion_unique_slug_in_module": suggestion_twice,
    "course_module_once": course_module_twice,
    "assignment_once_per_course": assignment_twice,
    "lesson_completed_once": lesson_completed_twice,
    "module_progress_once": module_progress_twice,
    "module_percent_range": module_percent_over_100,
    "course_progress_once": course_progress_twice,
    "course_percent_range": course_percent_over_100,
    "reflection_once_per_prompt": reflection_twice,
    "commitment_once_per_module": commitment_twice,
    "xp_once_per_source": xp_twice,
    "badge_once_per_person": badge_twice,
    "certificate_once_per_course": certificate_twice,
    "reminder_once_per_day": reminder_twice,
    "digest_once_per_week": digest_twice,
    "nudge_once_per_week": nudge_twice,
}


def test_every_learning_constraint_has_a_database_test():
    assert declared_constraints("learning") == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_database_refuses_what_the_constraint_forbids(name):
    model, write = CASES[name]()
    before = model.objects.count()
    assert_refused_by(name, model, write)
    assert model.objects.count() == before


def test_the_percent_range_allows_0_and_100():
    row = ModuleProgress.objects.create(user=UserFactory(), module=_module(), percent=0)
    ModuleProgress.objects.filter(pk=row.pk).update(percent=100)
    assert ModuleProgress.objects.get(pk=row.pk).percent == 100

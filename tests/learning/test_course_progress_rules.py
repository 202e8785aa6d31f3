"""A course's stored progress, recomputed from its modules' progress: whose rows, which
modules, how the share is rounded, and what completing it pays."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from learning import services
from learning.models import CourseProgress, ModuleProgress, XpEvent
from tests.learning.builders import build_course, build_module

pytestmark = pytest.mark.django_db


def _progress(user, module, percent, *, completed=False):
    ModuleProgress.objects.update_or_create(
        user=user,
        module=module,
        defaults={"percent": percent, "completed_at": timezone.now() if completed else None},
    )


def test_only_the_learners_rows_for_the_courses_live_modules_count(employee, outsider):
    first, second, retired, elsewhere = (build_module(lessons=1) for _ in range(4))
    course = build_course([first, second, retired])
    course.module_count = 2  # the live modules: the retired one is not counted
    course.save()
    retired.retired = True
    retired.save()
    build_course([elsewhere])
    _progress(employee, first, 45)
    _progress(employee, retired, 100, completed=True)
    _progress(employee, elsewhere, 100, completed=True)
    _progress(outsider, first, 100, completed=True)
    _progress(outsider, second, 100, completed=True)
    progress = services.course_progress_refresh(user=employee, course=course)
    # 45 + 0 over two modules, rounded down: 22 (not 22.5, nor a share of anyone else's rows).
    assert (progress.percent, progress.modules_completed, progress.completed_at) == (22, 0, None)
    stored = CourseProgress.objects.get(user=employee, course=course)
    assert (stored.percent, stored.modules_completed) == (22, 0)
    assert not XpEvent.objects.filter(user=employee, source__startswith="course:").exists()


def test_a_one_module_course_shows_that_modules_share(employee):
    module = build_module(lessons=1)
    course = build_course([module])
    _progress(employee, module, 60)
    assert services.course_progress_refresh(user=employee, course=course).percent == 60


def test_completing_a_course_pays_its_xp_to_the_learner_once(employee, outsider):
    module = build_module(lessons=1)
    course = build_course([module])
    _progress(employee, module, 100, completed=True)
    progress = services.course_progress_refresh(user=employee, course=course)
    assert progress.percent == 100 and progress.completed_at is not None
    event = XpEvent.objects.get(source=f"course:{course.pk}")
    assert (event.user, event.amount, event.reason) == (
        employee,
        100,
        f"Completed the course “{course.title}”",
    )
    services.course_progress_refresh(user=employee, course=course)
    assert XpEvent.objects.filter(source=f"course:{course.pk}").count() == 1
    assert not XpEvent.objects.filter(user=outsider).exists()


def test_a_retired_course_cannot_be_started(employee):
    course = build_course([build_module(lessons=1)])
    course.retired = True
    course.save()
    with pytest.raises(ValidationError) as refused:
        services.course_start(user=employee, course=course)
    assert refused.value.messages == ["This course has been retired."]
    assert not CourseProgress.objects.exists()


def test_a_visit_is_remembered_even_when_someone_else_is_on_that_lesson(employee, outsider):
    module = build_module(lessons=2)
    lesson = module.lessons.order_by("order")[1]
    services.lesson_visit(user=outsider, lesson=lesson)
    services.lesson_visit(user=employee, lesson=lesson)
    assert ModuleProgress.objects.get(user=employee, module=module).last_lesson == lesson

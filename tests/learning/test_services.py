import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from learning import services
from learning.models import (
    Commitment,
    CourseProgress,
    LearnerStats,
    LessonCompletion,
    ModuleProgress,
    Reflection,
    ReflectionPrompt,
    XpEvent,
)
from tests.learning.builders import build_course, build_module

pytestmark = pytest.mark.django_db


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _finish_module(user, module):
    for lesson in module.lessons.all():
        services.lesson_complete(user=user, lesson=lesson)
    services.module_check_complete(user=user, module=module)
    services.commitment_make(
        user=user,
        module=module,
        suggestion=module.suggestions.first(),
        text="",
        check_in_on=_in_days(7),
    )


def test_completing_a_lesson_stores_progress_and_pays_xp_once(employee, module):
    lesson = module.lessons.first()
    services.lesson_complete(user=employee, lesson=lesson)
    services.lesson_complete(user=employee, lesson=lesson)
    assert LessonCompletion.objects.filter(user=employee).count() == 1
    progress = ModuleProgress.objects.get(user=employee, module=module)
    # 3 lessons + check + commitment = 5 steps; one done.
    assert progress.lessons_completed == 1 and progress.percent == 20
    assert progress.last_lesson == lesson
    assert XpEvent.objects.filter(user=employee, source=f"lesson:{lesson.pk}").count() == 1
    stats = LearnerStats.objects.get(user=employee)
    assert stats.xp_total == sum(
        XpEvent.objects.filter(user=employee).values_list("amount", flat=True)
    )


def test_reading_every_lesson_does_not_complete_a_module(employee, module):
    for lesson in module.lessons.all():
        services.lesson_complete(user=employee, lesson=lesson)
    progress = ModuleProgress.objects.get(user=employee, module=module)
    assert progress.percent == 60 and progress.completed_at is None


def test_a_module_completes_with_its_check_and_commitment(employee, module):
    _finish_module(employee, module)
    progress = ModuleProgress.objects.get(user=employee, module=module)
    assert progress.percent == 100 and progress.completed_at is not None
    assert XpEvent.objects.filter(user=employee, source=f"module:{module.pk}").count() == 1


def test_a_module_with_a_lesson_unread_is_not_complete_after_check_and_commitment(employee, module):
    first, second, last = module.lessons.order_by("order")
    services.lesson_complete(user=employee, lesson=first)
    services.lesson_complete(user=employee, lesson=second)
    services.module_check_complete(user=employee, module=module)
    services.commitment_make(
        user=employee,
        module=module,
        suggestion=module.suggestions.first(),
        text="",
        check_in_on=_in_days(7),
    )
    progress = ModuleProgress.objects.get(user=employee, module=module)
    # 2 lessons + check + commitment = 4 of 5 steps.
    assert (progress.percent, progress.completed_at) == (80, None)
    assert not XpEvent.objects.filter(user=employee, source=f"module:{module.pk}").exists()
    services.lesson_complete(user=employee, lesson=last)
    progress.refresh_from_db()
    assert progress.percent == 100 and progress.completed_at is not None
    assert XpEvent.objects.filter(user=employee, source=f"module:{module.pk}").count() == 1


def test_a_lesson_is_recorded_with_its_progress_or_not_at_all(employee, module, monkeypatch):
    """The progress refresh runs in the lesson's transaction: when it fails, the completion,
    its XP and its streak are rolled back with it, never left without their progress."""
    real_refresh = services.module_progress_refresh

    def refresh_then_fail(**kwargs):
        real_refresh(**kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "module_progress_refresh", refresh_then_fail)
    with pytest.raises(RuntimeError):
        services.lesson_complete(user=employee, lesson=module.lessons.first())
    assert not LessonCompletion.objects.filter(user=employee).exists()
    assert not XpEvent.objects.filter(user=employee).exists()
    assert not ModuleProgress.objects.filter(user=employee, percent__gt=0).exists()
    assert not LearnerStats.objects.filter(user=employee, xp_total__gt=0).exists()


def test_course_progress_follows_its_modules_and_completes(employee):
    first, second = build_module(), build_module()
    course = build_course([first, second])
    services.course_start(user=employee, course=course)
    _finish_module(employee, first)
    progress = CourseProgress.objects.get(user=employee, course=course)
    assert progress.percent == 50 and progress.modules_completed == 1
    _finish_module(employee, second)
    progress.refresh_from_db()
    assert progress.percent == 100 and progress.completed_at is not None
    stats = LearnerStats.objects.get(user=employee)
    assert stats.xp_total == sum(
        XpEvent.objects.filter(user=employee).values_list("amount", flat=True)
    )


def test_starting_a_course_counts_modules_done_before(employee):
    module = build_module()
    _finish_module(employee, module)
    course = build_course([module, build_module()])
    progress = services.course_start(user=employee, course=course)
    assert progress.percent == 50 and progress.modules_completed == 1


@pytest.mark.parametrize(
    ("days", "message"), [(0, "after today"), (-3, "after today"), (31, "at most 30 days")]
)
def test_check_in_dates_must_be_within_thirty_days(employee, module, days, message):
    with pytest.raises(ValidationError, match=message):
        services.commitment_make(
            user=employee, module=module, suggestion=None, text="Act", check_in_on=_in_days(days)
        )
    assert not Commitment.objects.exists()


def test_commitment_text_limits_and_foreign_suggestions(employee, module):
    with pytest.raises(ValidationError, match="500 characters"):
        services.commitment_make(
            user=employee, module=module, suggestion=None, text="x" * 501, check_in_on=_in_days(3)
        )
    other = build_module()
    with pytest.raises(ValidationError, match="not one of this module"):
        services.commitment_make(
            user=employee,
            module=module,
            suggestion=other.suggestions.first(),
            text="",
            check_in_on=_in_days(3),
        )
    with pytest.raises(ValidationError, match="Pick a suggested action"):
        services.commitment_make(
            user=employee, module=module, suggestion=None, text="  ", check_in_on=_in_days(3)
        )
    assert not Commitment.objects.exists()


def test_reflections_are_saved_edited_and_limited(employee, module):
    prompt = module.prompts.first()
    services.reflection_save(user=employee, prompt=prompt, text="First")
    services.reflection_save(user=employee, prompt=prompt, text="Second")
    assert Reflection.objects.get(user=employee).text == "Second"
    with pytest.raises(ValidationError) as refused:
        services.reflection_save(user=employee, prompt=prompt, text="x" * 5001)
    assert refused.value.message_dict == {"text": ["Keep it to 5,000 characters."]}
    assert Reflection.objects.get(user=employee).text == "Second"
    saved = services.reflection_save(user=employee, prompt=prompt, text=" " + "y" * 5000 + " ")
    assert Reflection.objects.get(pk=saved.pk).text == "y" * 5000  # trimmed, then measured


@pytest.mark.parametrize("text", ["", "   ", None])
def test_an_empty_reflection_is_refused_and_the_saved_one_kept(employee, module, text):
    prompt = module.prompts.first()
    services.reflection_save(user=employee, prompt=prompt, text="Kept")
    with pytest.raises(ValidationError) as refused:
        services.reflection_save(user=employee, prompt=prompt, text=text)
    assert refused.value.message_dict == {
        "text": ["Write something, or delete the reflection instead."]
    }
    assert list(Reflection.objects.filter(user=employee).values_list("text", flat=True)) == ["Kept"]


def test_deleting_a_reflection_removes_that_one_and_only_the_authors(employee, outsider, module):
    first = module.prompts.first()
    second = ReflectionPrompt.objects.create(module=module, slug="another", prompt="And?", order=9)
    kept = services.reflection_save(user=employee, prompt=second, text="Keep this")
    gone = services.reflection_save(user=employee, prompt=first, text="Remove this")
    theirs = services.reflection_save(user=outsider, prompt=first, text="Not yours")
    services.reflection_delete(user=employee, reflection=gone)
    # Someone else's reflection, passed in by mistake, is not deleted by this person.
    services.reflection_delete(user=employee, reflection=theirs)
    assert set(Reflection.objects.values_list("pk", flat=True)) == {kept.pk, theirs.pk}


def test_streak_counts_weeks_not_days(employee):
    monday = services.week_start(timezone.localdate())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(12)))
    for days in (0, 2, 4):  # three days in one week: one week of streak
        services.activity_record(user=employee, when=start + datetime.timedelta(days=days))
    stats = LearnerStats.objects.get(user=employee)
    assert stats.current_streak == 1
    services.activity_record(user=employee, when=start + datetime.timedelta(weeks=1))
    services.activity_record(user=employee, when=start + datetime.timedelta(weeks=2))
    stats.refresh_from_db()
    assert stats.current_streak == 3 and stats.longest_streak == 3
    services.activity_record(user=employee, when=start + datetime.timedelta(weeks=5))
    stats.refresh_from_db()
    assert stats.current_streak == 1 and stats.longest_streak == 3

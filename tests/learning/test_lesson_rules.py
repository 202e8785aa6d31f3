"""Reading a lesson, at the service: what a retired lesson refuses, what a second read pays,
and where the learner resumes."""

import pytest
from django.core.exceptions import ValidationError

from learning import services
from learning.models import LessonCompletion, ModuleProgress, XpEvent
from tests.learning.builders import build_module

pytestmark = pytest.mark.django_db

RETIRED = ["This lesson is no longer part of the curriculum."]


def _lessons(module):
    return list(module.lessons.order_by("order"))


@pytest.mark.parametrize("retire", ["lesson", "module"])
def test_a_retired_lesson_or_a_lesson_of_a_retired_module_is_refused(employee, retire):
    module = build_module(lessons=2)
    lesson = _lessons(module)[0]
    retired = lesson if retire == "lesson" else module
    retired.retired = True
    retired.save()
    lesson.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.lesson_complete(user=employee, lesson=lesson)
    assert refused.value.messages == RETIRED
    assert not LessonCompletion.objects.filter(user=employee).exists()
    assert not ModuleProgress.objects.filter(user=employee).exists()
    assert not XpEvent.objects.filter(user=employee).exists()


def test_reading_a_lesson_again_pays_nothing_more_and_moves_the_resume_point(employee):
    module = build_module(lessons=3)
    first, second, _ = _lessons(module)
    services.lesson_complete(user=employee, lesson=first)
    services.lesson_complete(user=employee, lesson=second)
    xp = list(XpEvent.objects.filter(user=employee).values_list("source", "amount"))
    progress = services.lesson_complete(user=employee, lesson=first)
    assert list(XpEvent.objects.filter(user=employee).values_list("source", "amount")) == xp
    assert LessonCompletion.objects.filter(user=employee).count() == 2
    assert (progress.last_lesson_id, progress.lessons_completed) == (first.pk, 2)
    assert ModuleProgress.objects.get(user=employee, module=module).last_lesson_id == first.pk


def test_opening_a_lesson_remembers_it_only_in_its_own_module(employee, outsider):
    module, other = build_module(lessons=2), build_module(lessons=1)
    first, second = _lessons(module)
    services.lesson_complete(user=employee, lesson=first)
    services.lesson_complete(user=outsider, lesson=second)
    services.lesson_complete(user=employee, lesson=_lessons(other)[0])
    services.lesson_visit(user=employee, lesson=second)
    stored = dict(
        ModuleProgress.objects.filter(user=employee).values_list("module_id", "last_lesson_id")
    )
    assert stored == {module.pk: second.pk, other.pk: _lessons(other)[0].pk}
    assert ModuleProgress.objects.get(user=outsider, module=module).last_lesson_id == second.pk

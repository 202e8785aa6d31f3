"""Small curriculum built in code, for tests that should not depend on the content files."""

from learning.models import (
    CommitmentSuggestion,
    Course,
    CourseModule,
    Lesson,
    Module,
    Principle,
    ReflectionPrompt,
)
from tests.factories import _seq


def build_module(lessons: int = 3, slug: str | None = None) -> Module:
    n = _seq()
    principle = Principle.objects.create(slug=f"principle-{n}", name=f"Principle {n}")
    module = Module.objects.create(
        slug=slug or f"module-{n}",
        title=f"Module {n}",
        principle=principle,
        lesson_count=lessons,
        minutes=lessons * 3 + 3,
    )
    for index in range(lessons):
        Lesson.objects.create(
            module=module,
            slug=f"lesson-{index + 1}",
            title=f"Lesson {index + 1}",
            body="Body text " * 400,
            body_html="<p>Body text</p>",
            order=index,
        )
    ReflectionPrompt.objects.create(module=module, slug="prompt", prompt="What did you notice?")
    for index in range(3):
        CommitmentSuggestion.objects.create(
            module=module, slug=f"action-{index}", text=f"Suggested action {index}", order=index
        )
    return module


def build_course(modules: list[Module], slug: str | None = None) -> Course:
    n = _seq()
    course = Course.objects.create(
        slug=slug or f"course-{n}", title=f"Course {n}", module_count=len(modules)
    )
    for index, module in enumerate(modules):
        CourseModule.objects.create(course=course, module=module, order=index)
    return course

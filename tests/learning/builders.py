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


def module_start(user, module: Module) -> None:
    """Read the module's first lesson, as a learner must before making a plan for it."""
    from learning.services import lesson_complete

    lesson_complete(user=user, lesson=module.lessons.filter(retired=False).order_by("order")[0])


def plan_make(user, module: Module, *, days: int = 7, text: str = "Credit ideas", **kwargs):
    """Start the module, then make an if-then plan for it with a check-in `days` ahead."""
    import datetime

    from django.utils import timezone

    from learning.services import commitment_make

    module_start(user, module)
    kwargs.setdefault("suggestion", None)
    kwargs.setdefault("situation", "someone's idea is repeated by another person")
    return commitment_make(
        user=user,
        module=module,
        text=text,
        check_in_on=timezone.localdate() + datetime.timedelta(days=days),
        **kwargs,
    )


def plan_come_due(commitment, days_ago: int = 0) -> None:
    """Let time pass: the plan was made a week before its check-in, which is today (or
    `days_ago` days back)."""
    import datetime

    from django.utils import timezone

    from learning.models import Commitment

    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    Commitment.objects.filter(pk=commitment.pk).update(
        check_in_on=day, created_at=timezone.now() - datetime.timedelta(days=days_ago + 7)
    )
    commitment.refresh_from_db()

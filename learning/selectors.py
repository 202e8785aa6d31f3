"""Reads for learning pages. Each returns what its template needs, already preloaded."""

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from learning.models import (
    Assignment,
    BadgeAward,
    Commitment,
    CommitmentStatus,
    CommitmentSuggestion,
    Course,
    CourseModule,
    CourseProgress,
    LearnerStats,
    Lesson,
    LessonCompletion,
    Module,
    ModuleProgress,
    Reflection,
    ReflectionPrompt,
    is_overdue,
)


def _course_percent(user) -> Subquery:
    return Subquery(
        CourseProgress.objects.filter(user=user, course=OuterRef("course_id")).values("percent")[:1]
    )


def assignments_for(user) -> list[Assignment]:
    """Live assignments, overdue first, then open ones by due date, then completed ones, each
    with its course, the learner's percent, `is_complete` and `is_overdue`.

    Completion is one EXISTS per row (the model's rule); the order is made here from it, since a
    learner has a handful of assignments and ordering in SQL would plan that EXISTS four times.
    """
    today = timezone.localdate()
    rows = list(
        Assignment.objects.live()
        .filter(user=user)
        .with_completion()
        .select_related("course")
        .annotate(percent=Coalesce(_course_percent(user), Value(0)))
    )
    for row in rows:
        row.is_overdue = is_overdue(due_on=row.due_on, completed=row.is_complete, today=today)
    return sorted(
        rows,
        key=lambda a: (2 if a.is_complete else 0 if a.is_overdue else 1, a.due_on, a.course.title),
    )


def courses_in_progress(user) -> QuerySet[CourseProgress]:
    return (
        CourseProgress.objects.filter(user=user, course__retired=False)
        .select_related("course")
        .order_by("completed_at", "-updated_at")
    )


def resume_point(user) -> ModuleProgress | None:
    """Where the learner left off: the most recently touched unfinished module."""
    return (
        ModuleProgress.objects.filter(user=user, completed_at__isnull=True, module__retired=False)
        .select_related("module", "last_lesson")
        .order_by("-updated_at", "-id")
        .first()
    )


def stats_of(user) -> LearnerStats:
    return LearnerStats.objects.filter(user=user).first() or LearnerStats(user=user)


def recent_badges(user, limit: int = 3) -> QuerySet[BadgeAward]:
    return BadgeAward.objects.filter(user=user).order_by("-awarded_at")[:limit]


def open_commitments(user) -> QuerySet[Commitment]:
    """Planned commitments, the ones whose check-in has come first."""
    today = timezone.localdate()
    return (
        Commitment.objects.filter(user=user, status=CommitmentStatus.OPEN)
        .select_related("module")
        .annotate(
            is_due=Case(
                When(check_in_on__lte=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("check_in_on")
    )


def commitments_of(user) -> QuerySet[Commitment]:
    return Commitment.objects.filter(user=user).select_related("module").order_by("-created_at")


def catalogue(user) -> QuerySet[Course]:
    """Live courses, with the learner's progress and assignment due date if any."""
    return (
        Course.objects.filter(retired=False)
        .annotate(
            percent=Subquery(
                CourseProgress.objects.filter(user=user, course=OuterRef("pk")).values("percent")[
                    :1
                ]
            ),
            due_on=Subquery(
                Assignment.objects.filter(
                    user=user, course=OuterRef("pk"), withdrawn_at__isnull=True
                ).values("due_on")[:1]
            ),
        )
        .order_by("order", "title")
    )


def course_modules(user, course: Course) -> QuerySet[CourseModule]:
    """A course's modules in order, each with the learner's percent and completion."""
    progress = ModuleProgress.objects.filter(user=user, module=OuterRef("module_id"))
    return (
        CourseModule.objects.filter(course=course, module__retired=False)
        .select_related("module", "module__principle")
        .annotate(
            percent=Coalesce(Subquery(progress.values("percent")[:1]), Value(0)),
            completed=Exists(progress.filter(completed_at__isnull=False)),
        )
        .order_by("order")
    )


def module_for_player(slug: str) -> QuerySet[Module]:
    """A live module with its live lessons, prompts and suggestions."""
    return (
        Module.objects.filter(slug=slug, retired=False)
        .select_related("principle", "scenario")
        .prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.filter(retired=False).order_by("order")),
            Prefetch("prompts", queryset=_live("prompts")),
            Prefetch("suggestions", queryset=_live("suggestions")),
        )
    )


def _live(relation: str):

    model = {"prompts": ReflectionPrompt, "suggestions": CommitmentSuggestion}[relation]
    return model.objects.filter(retired=False).order_by("order")


def completed_lesson_ids(user, module: Module) -> set[int]:
    return set(
        LessonCompletion.objects.filter(user=user, lesson__module=module).values_list(
            "lesson_id", flat=True
        )
    )


def module_progress_of(user, module: Module) -> ModuleProgress | None:
    return ModuleProgress.objects.filter(user=user, module=module).first()


def reflections_of(user) -> QuerySet[Reflection]:
    """The learner's own reflections (never anyone else's), with their prompt and module."""
    return (
        Reflection.objects.filter(user=user)
        .select_related("prompt", "prompt__module")
        .order_by("prompt__module__order", "prompt__order")
    )

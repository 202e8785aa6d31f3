"""Each learner's progress (lessons read, modules and courses completed) and the stored
summary per person that the HR and team tables sort and page on."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from learning.models.curriculum import Course, Lesson, Module

User = settings.AUTH_USER_MODEL


class LessonCompletion(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_completed_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.lesson}"


class ModuleProgress(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="module_progress")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="progress")
    lessons_completed = models.PositiveIntegerField(default=0)
    check_completed = models.BooleanField(default=False)
    commitment_made = models.BooleanField(default=False)
    percent = models.PositiveSmallIntegerField(default=0)
    last_lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="module_progress_once"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="module_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.module} {self.percent}%"


class CourseProgress(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="course_progress")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="progress")
    modules_completed = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    last_module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="course_progress_once"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="course_percent_range"
            ),
        ]
        indexes = [models.Index(fields=["course", "percent"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.course} {self.percent}%"


class LearningSummary(models.Model):
    """One row per person: their live assignments at a glance, for the HR and team tables.

    Kept exact by `learning.summaries.learning_summaries_refresh`, which every write that
    changes what it holds calls in its own transaction. Who the person is (name, active,
    department) is copied here so that both tables filter, sort and page on one index.
    "Overdue" depends on the day, so it is not stored as a count: `open_due_dates` holds
    the due dates of the open assignments, and the overdue count is those before today
    (`overdue_on`); someone has an overdue course exactly when `next_due_on` is before
    today, which the indexes below serve.
    """

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="learning_summary"
    )
    full_name = models.CharField(max_length=150)
    # The address the search words were last made from (see SummaryWord).
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    department = models.ForeignKey(
        "allyship.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    # The average of the live assignments' course percentages; None with none assigned.
    completion = models.FloatField(null=True, blank=True)
    no_assignments = models.BooleanField(default=True)
    next_due_on = models.DateField(null=True, blank=True)
    nothing_due = models.BooleanField(default=True)
    open_due_dates = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "learning summaries"
        indexes = [
            models.Index(fields=["is_active", "full_name", "user"], name="summary_by_name"),
            models.Index(
                fields=["is_active", "no_assignments", "completion", "full_name", "user"],
                name="summary_by_completion",
            ),
            models.Index(
                fields=["is_active", "no_assignments", "-completion", "full_name", "user"],
                name="summary_by_completion_desc",
            ),
            models.Index(
                fields=["is_active", "nothing_due", "next_due_on", "full_name", "user"],
                name="summary_by_due",
            ),
            models.Index(
                fields=["is_active", "nothing_due", "-next_due_on", "full_name", "user"],
                name="summary_by_due_desc",
            ),
            models.Index(fields=["department", "full_name", "user"], name="summary_by_department"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed__lte=models.F("assigned"))
                & Q(in_progress__lte=models.F("assigned")),
                name="summary_counts_within_assigned",
            ),
            models.CheckConstraint(
                condition=Q(completion__isnull=True) | Q(completion__gte=0, completion__lte=100),
                name="summary_completion_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}: {self.completed} of {self.assigned} completed"

    def overdue_on(self, today: datetime.date) -> int:
        """How many open assignments are past their due date on `today`."""
        cutoff = today.isoformat()
        return sum(1 for due in self.open_due_dates if due < cutoff)


class SummaryWord(models.Model):
    """One word of a person's name or email address, folded (lower case, no accents), for
    the people search: a search term matches the people with a word that starts with it,
    through the index on `word`, so searching costs the same at 100 or 100,000 people.
    Written only by `learning.summaries`, with the summary, when the name or address
    changes (see `summaries.search_words`)."""

    summary = models.ForeignKey(LearningSummary, on_delete=models.CASCADE, related_name="words")
    word = models.CharField(max_length=60, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["summary", "word"], name="summary_word_once"),
        ]

    def __str__(self) -> str:
        return self.word

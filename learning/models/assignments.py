"""Who must take which course by when: assignment rules (for a department, a manager's
team or everyone) and the assignments they make; the one definition of completed and overdue."""

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from learning.models.curriculum import Course
from learning.models.progress import CourseProgress

User = settings.AUTH_USER_MODEL


class AssignmentScope(models.TextChoices):
    PEOPLE = "people", "Chosen people"
    DEPARTMENT = "department", "A department"
    TEAM = "team", "A manager's whole team"
    PEOPLE_LEADERS = "people-leaders", "People leaders (everyone with at least one report)"
    EVERYONE = "everyone", "Everyone"


class AssignmentRule(models.Model):
    """A group assignment: everyone in the group now, and whoever joins it later."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="rules")
    scope = models.CharField(max_length=20, choices=AssignmentScope.choices)
    department = models.ForeignKey(
        "allyship.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team_manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Who the rule is for, as one value ("department:3", "team:12", "everyone", or
    # "people:<hash of their ids>"), so the database can hold one live rule per course
    # and group: the same form posted twice, at once or in a row, makes one rule.
    group_key = models.CharField(max_length=80)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "group_key"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assignment_rule_once_per_live_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} for {self.get_scope_display()}"

    @staticmethod
    def key_for(
        scope: str,
        department_id: int | None = None,
        team_manager_id: int | None = None,
        people_ids: Iterable[int] = (),
    ) -> str:
        """The `group_key` of a rule for that group (people: the same set, in any order)."""
        if scope == AssignmentScope.DEPARTMENT:
            return f"department:{department_id}"
        if scope == AssignmentScope.TEAM:
            return f"team:{team_manager_id}"
        if scope == AssignmentScope.PEOPLE:
            ids = ",".join(str(pk) for pk in sorted(set(people_ids)))
            return "people:" + hashlib.sha256(ids.encode()).hexdigest()
        return str(scope)


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    """The one definition of live, completed, open and overdue assignments: the home page,
    the reports, the summaries, reminders, digests and nudges all use these."""

    def live(self) -> "AssignmentQuerySet":
        """Not withdrawn, of a course still offered, for a person who is still here."""
        return self.filter(withdrawn_at__isnull=True, course__retired=False, user__is_active=True)

    def completed(self) -> "AssignmentQuerySet":
        """Its person has completed its course."""
        return self.filter(_course_completed())

    def open(self) -> "AssignmentQuerySet":
        """Its person has not completed its course yet."""
        return self.exclude(_course_completed())

    def with_completion(self) -> "AssignmentQuerySet":
        """Each assignment with `is_complete`: the same rule as `completed`, as a column."""
        return self.annotate(is_complete=_course_completed())

    def overdue(self, today: datetime.date | None = None) -> "AssignmentQuerySet":
        """Open and past its due date (due today is not overdue)."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


def _course_completed() -> Exists:
    """For an assignment: has its person completed its course?"""
    return Exists(
        CourseProgress.objects.filter(
            user=OuterRef("user"), course=OuterRef("course"), completed_at__isnull=False
        )
    )


def is_overdue(*, due_on: datetime.date, completed: bool, today: datetime.date) -> bool:
    """The same rule as `AssignmentQuerySet.overdue`, for one assignment already in memory."""
    return not completed and due_on < today


class Assignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="assignments")
    rule = models.ForeignKey(
        AssignmentRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    due_on = models.DateField()
    assigned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="assignment_once_per_course")
        ]
        indexes = [models.Index(fields=["course", "due_on"])]

    def __str__(self) -> str:
        return f"{self.course} for {self.user} by {self.due_on}"

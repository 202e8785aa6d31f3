"""What has been sent, so nothing is sent twice: reminders, digests, manager nudges."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from learning.models.assignments import Assignment
from learning.models.curriculum import Course

User = settings.AUTH_USER_MODEL


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ReminderSent(models.Model):
    """One reminder email; the constraint allows at most one of a kind per assignment per day."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "sent_on"], name="reminder_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder on {self.sent_on}"


class DigestSent(models.Model):
    """A manager's weekly digest of their team's overdue items: once per manager per week."""

    manager = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["manager", "week"], name="digest_once_per_week")
        ]

    def __str__(self) -> str:
        return f"Digest for {self.manager} week of {self.week}"


class Nudge(models.Model):
    """A manager's friendly reminder to a team member: once per person per course per week."""

    manager = models.ForeignKey(User, on_delete=models.CASCADE, related_name="nudges_sent")
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="nudges_received")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week it was sent.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course", "week"], name="nudge_once_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"Nudge to {self.learner} about {self.course}"


# The refresher models live in their package but belong to this app.
from learning.refreshers.models import (  # noqa: E402, F401
    RefresherCard,
    RefresherPause,
    RefresherReminder,
    RefresherReview,
)

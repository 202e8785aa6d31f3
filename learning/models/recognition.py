"""XP ledger, stats, badges and certificates."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from learning.models.curriculum import Course

User = settings.AUTH_USER_MODEL


class XpEvent(models.Model):
    """The append-only XP ledger. `source` names what paid, so each source pays once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="xp_events")
    source = models.CharField(max_length=120)
    amount = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "source"], name="xp_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.amount} XP: {self.reason}"


class LearnerStats(models.Model):
    """Each person's XP total, level and weekly streak, kept in step with the ledger."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="stats")
    xp_total = models.PositiveIntegerField(default=0)
    level = models.PositiveSmallIntegerField(default=1)
    current_streak = models.PositiveIntegerField(default=0)
    longest_streak = models.PositiveIntegerField(default=0)
    last_active_week = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.xp_total} XP"


class BadgeAward(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="badges")
    badge = models.CharField(max_length=60)
    awarded_at = models.DateTimeField(default=timezone.now)
    seen = models.BooleanField(default=False)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "badge"], name="badge_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.badge} for {self.user}"


class Certificate(models.Model):
    """Proof that a person completed a course; `code` is checked publicly at /verify/<code>/."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="certificate_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.course} for {self.user}"

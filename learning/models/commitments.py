"""What a learner writes for themselves: private reflections, commitments to act with their
check-ins, and the weekly follow-through reward."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from learning.models.curriculum import CommitmentSuggestion, Module, ReflectionPrompt

User = settings.AUTH_USER_MODEL


REFLECTION_MAX = 5000


class Reflection(models.Model):
    """A learner's private answer to a prompt. Only its author ever sees the text."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reflections")
    prompt = models.ForeignKey(ReflectionPrompt, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=REFLECTION_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "prompt"], name="reflection_once_per_prompt")
        ]

    def __str__(self) -> str:
        return f"Reflection #{self.pk}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "Planned"
    DONE = "done", "Done"
    PARTLY = "partly", "Partly done"
    NOT_YET = "not_yet", "Not acted on"
    NOT_ARISEN = "not_arisen", "Did not come up"


class CheckInOutcome(models.TextChoices):
    WELL = "well", "It went well"
    MIXED = "mixed", "Mixed"
    POORLY = "poorly", "Not well"


COMMITMENT_MAX = 500
SITUATION_MAX = 300
NOTE_MAX = 2000


# A check-in counts only when made on or after the plan's check-in date: the one rule for
# "followed through", used by the queryset below, the badges and the insights.
ON_TIME = Q(reported_at__date__gte=models.F("check_in_on"))
FOLLOWED_THROUGH = Q(status__in=["done", "partly"]) & ON_TIME


class CommitmentQuerySet(models.QuerySet):
    def followed_through(self) -> "CommitmentQuerySet":
        """Done or partly done, reported on or after the check-in date."""
        return self.filter(FOLLOWED_THROUGH)


class Commitment(models.Model):
    """An if-then plan made at the end of a module ("When <situation>, I will <action>"),
    and, at the check-in, whether the situation came up, what the learner did and how it went.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="commitments")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="commitments")
    suggestion = models.ForeignKey(
        CommitmentSuggestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    situation = models.CharField(max_length=SITUATION_MAX, blank=True)
    action = models.CharField(max_length=COMMITMENT_MAX)
    private_note = models.TextField(blank=True, max_length=NOTE_MAX)
    check_in_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    arose = models.BooleanField(null=True, blank=True)
    went = models.CharField(max_length=10, choices=CheckInOutcome.choices, blank=True)
    # What the learner did, written at the check-in; private like the plan's note.
    note = models.TextField(blank=True, max_length=NOTE_MAX)
    # True once "it didn't come up" opened the plan's second window.
    rescheduled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    reported_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["check_in_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="commitment_once_per_module"),
            models.CheckConstraint(
                condition=Q(status="open", reported_at__isnull=True)
                | (~Q(status="open") & Q(reported_at__isnull=False)),
                name="commitment_reported_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "check_in_on"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The plan as one sentence."""
        if not self.situation:
            return self.action
        return f"When {self.situation}, I will {self.action}"

    @property
    def followed_through(self) -> bool:
        return self.status in {CommitmentStatus.DONE, CommitmentStatus.PARTLY}


# Follow-through XP may be paid for at most this many modules per week.
FOLLOW_THROUGH_XP_PER_WEEK = 2


class FollowThroughReward(models.Model):
    """The XP a follow-through earned: once per module, and at most
    FOLLOW_THROUGH_XP_PER_WEEK per learner per week (a slot number per week)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    commitment = models.OneToOneField(Commitment, on_delete=models.CASCADE, related_name="reward")
    week = models.DateField(help_text="The Monday of the week it was paid.")
    slot = models.PositiveSmallIntegerField()
    paid_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="follow_through_once"),
            models.UniqueConstraint(
                fields=["user", "week", "slot"], name="follow_through_weekly_slot"
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1, slot__lte=FOLLOW_THROUGH_XP_PER_WEEK),
                name="follow_through_weekly_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-through reward for {self.user} in week {self.week}"

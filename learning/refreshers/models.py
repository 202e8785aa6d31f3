"""Refresher cards (one per learner and item), their answers, and a learner's pause.

Imported by learning/models.py, so these are models of the `learning` app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

User = settings.AUTH_USER_MODEL


class RefresherCard(models.Model):
    """One item that comes back to one learner: a knowledge-check question or a scenario
    moment. The columns from `state` to `last_review` are FSRS's card (see scheduling.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresher_cards")
    module = models.ForeignKey(
        "learning.Module", on_delete=models.CASCADE, related_name="refresher_cards"
    )
    principle = models.ForeignKey("learning.Principle", on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(
        "quizzes.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scenario_step = models.ForeignKey(
        "quizzes.Step", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.PositiveSmallIntegerField(default=1)
    learning_step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            # Nothing is scheduled twice: one card per learner and item.
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="refresher_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["user", "scenario_step"],
                condition=Q(scenario_step__isnull=False),
                name="refresher_once_per_step",
            ),
            models.CheckConstraint(
                condition=Q(question__isnull=False, scenario_step__isnull=True)
                | Q(question__isnull=True, scenario_step__isnull=False),
                name="refresher_one_item",
            ),
            models.CheckConstraint(condition=Q(state__in=[1, 2, 3]), name="refresher_state"),
        ]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self) -> str:
        return f"Refresher #{self.pk}"

    @property
    def is_question(self) -> bool:
        return self.question_id is not None


class RefresherReview(models.Model):
    """One answer to a card. Number 1 is the first try (in the module itself); the unique
    (card, number) means a replayed or concurrent answer can never count twice."""

    card = models.ForeignKey(RefresherCard, on_delete=models.CASCADE, related_name="history")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresher_reviews")
    principle = models.ForeignKey("learning.Principle", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    rating = models.PositiveSmallIntegerField()
    correct = models.BooleanField()
    # Option ids for a question, the response id for a scenario moment.
    selected = models.JSONField(default=list)
    reviewed_at = models.DateTimeField(default=timezone.now)
    # Days since the first try: what the retention insight groups by (1, 4, 12 weeks).
    days_since_first = models.PositiveIntegerField(default=0)
    next_due = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["card", "number"], name="refresher_review_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=4), name="refresher_rating"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="refresher_review_number"),
        ]
        indexes = [models.Index(fields=["principle", "days_since_first"])]

    def __str__(self) -> str:
        return f"Answer {self.number} to refresher #{self.card_id}"


class RefresherPause(models.Model):
    """A learner who paused refreshers: none are offered or emailed until they resume."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="refresher_pause")
    paused_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Refreshers paused for {self.user}"


class RefresherReminder(models.Model):
    """A weekly email about due refreshers: at most one per learner per week (constraint)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="refresher_reminder_weekly")
        ]

    def __str__(self) -> str:
        return f"Refresher reminder for {self.user}, week of {self.week}"

"""Reads for the refresher pages, each preloaded for its template (a fixed number of
queries whatever the number of cards)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from allyship.models import User
from learning.refreshers.models import RefresherCard, RefresherPause, RefresherReview
from quizzes.models import Option
from quizzes.models import Response as StepResponse

# A session is about two minutes: this many refreshers, then a pause is offered.
SESSION_SIZE = 5
SESSION_WINDOW = datetime.timedelta(minutes=20)


def _live() -> Q:
    return Q(module__retired=False) & (Q(question__retired=False) | Q(scenario_step__retired=False))


def due_cards(user, now: datetime.datetime | None = None) -> QuerySet[RefresherCard]:
    """The learner's due refreshers, longest overdue first, with what answering shows."""
    now = now or timezone.now()
    return (
        RefresherCard.objects.filter(_live(), user=user, due__lte=now)
        .select_related("module", "principle", "question", "scenario_step")
        .prefetch_related(
            Prefetch("question__options", queryset=Option.objects.order_by("order")),
            Prefetch(
                "scenario_step__responses",
                queryset=StepResponse.objects.filter(retired=False).order_by("order"),
            ),
        )
        .order_by("due", "id")
    )


@dataclass(frozen=True)
class RefresherSummary:
    due: int
    scheduled: int
    paused: bool
    next_due: datetime.datetime | None

    @property
    def minutes(self) -> int:
        """About 20 seconds a refresher, and one session at a time."""
        return max(1, (min(self.due, SESSION_SIZE) * 20 + 59) // 60)


def summary_of(user, now: datetime.datetime | None = None) -> RefresherSummary:
    """Due and scheduled counts, the next due time and the pause, in one query."""
    now = now or timezone.now()
    live = Q(refresher_cards__module__retired=False) & (
        Q(refresher_cards__question__retired=False)
        | Q(refresher_cards__scenario_step__retired=False)
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            due_now=Count("refresher_cards", filter=live & Q(refresher_cards__due__lte=now)),
            scheduled=Count("refresher_cards", filter=live),
            next_due=Min("refresher_cards__due", filter=live & Q(refresher_cards__due__gt=now)),
            paused=Exists(RefresherPause.objects.filter(user=OuterRef("pk"))),
        )
        .values("due_now", "scheduled", "next_due", "paused")
        .first()
    ) or {"due_now": 0, "scheduled": 0, "next_due": None, "paused": False}
    return RefresherSummary(
        due=row["due_now"],
        scheduled=row["scheduled"],
        paused=row["paused"],
        next_due=row["next_due"],
    )


def answered_in_session(user, now: datetime.datetime | None = None) -> int:
    """Refreshers answered in the last SESSION_WINDOW (first tries in a module excluded)."""
    now = now or timezone.now()
    return RefresherReview.objects.filter(
        user=user, number__gt=1, reviewed_at__gte=now - SESSION_WINDOW
    ).count()


def upcoming_by_module(user) -> QuerySet:
    """Per module: how many refreshers and when the next one comes back."""
    return (
        RefresherCard.objects.filter(_live(), user=user)
        .values("module__title", "module__slug")
        .annotate(cards=Count("id"), next_due=Min("due"))
        .order_by("next_due", "module__title")
    )


def history_of(user) -> QuerySet[RefresherReview]:
    """The learner's own answers (never anyone else's), newest first, with their item."""
    return (
        RefresherReview.objects.filter(user=user)
        .select_related("card__module", "card__question", "card__scenario_step", "principle")
        .order_by("-reviewed_at", "-id")
    )


def review_detail(review: RefresherReview) -> dict:
    """What the feedback on one answer shows: the item, the right answer(s) and the choice."""
    card = review.card
    chosen = set(review.selected)
    if card.question_id:
        options = list(card.question.options.order_by("order"))
        return {
            "kind": "question",
            "prompt": card.question.prompt,
            "explanation_html": card.question.explanation_html,
            "rows": [
                {"text": o.text, "chosen": o.pk in chosen, "right": o.is_correct} for o in options
            ],
        }
    responses = list(card.scenario_step.responses.filter(retired=False).order_by("order"))
    picked = next((r for r in responses if r.pk in chosen), None)
    return {
        "kind": "moment",
        "prompt": card.scenario_step.title,
        "situation_html": card.scenario_step.situation_html,
        "explanation_html": picked.feedback_html if picked else "",
        "rows": [
            {"text": r.text, "chosen": r.pk in chosen, "right": r.rating == "strong"}
            for r in responses
        ],
    }


def due_counts(user_ids: list[int], now: datetime.datetime | None = None) -> dict[int, int]:
    """Due refreshers per learner (paused learners left out): one query for any number."""
    now = now or timezone.now()
    return dict(
        RefresherCard.objects.filter(_live(), user_id__in=user_ids, due__lte=now)
        .exclude(user__refresher_pause__isnull=False)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )


def learners_with_due_refreshers(now: datetime.datetime | None = None) -> QuerySet:
    """Active, unpaused learners with at least one refresher due, with their count."""
    now = now or timezone.now()
    due = Q(refresher_cards__due__lte=now) & Q(refresher_cards__module__retired=False)
    return (
        User.objects.filter(is_active=True, refresher_pause__isnull=True)
        .annotate(refreshers_due=Count("refresher_cards", filter=due))
        .filter(refreshers_due__gt=0)
        .order_by("id")
    )

"""Demo refreshers and if-then plans: the demo learner has refreshers due and a plan at
each stage (planned, due for a check-in, in its second window, followed through), and
enough of the organisation has answered refreshers for the retention insight to show.

Deterministic (numbers come from ids, through allyship.demo.bulk.chance) and idempotent:
people who already have refresher cards, and modules that already have a plan, are left
alone.
"""

import datetime

from django.utils import timezone

from allyship.demo.bulk import DEMO_LEARNER, chance
from allyship.models import User
from learning.models import (
    Commitment,
    CommitmentStatus,
    FollowThroughReward,
    Lesson,
    LessonCompletion,
    ModuleProgress,
)
from learning.recognition import rewards
from learning.refreshers import scheduling
from learning.refreshers.models import RefresherCard, RefresherReview
from learning.refreshers.services import refreshers_schedule
from learning.services import week_start

# People (besides the demo learner) given a refresher history: plenty for groups of five.
HISTORY_PEOPLE = 60
# Refresher answers about 1, 4 and 12 weeks after the first try, right less often later.
LATER = ((8, 85), (30, 72), (86, 64))


def seed_demo_recall(modules: list) -> str:
    """Refreshers and plans for the demo; returns a summary line."""
    learner = User.objects.filter(email=DEMO_LEARNER).first()
    if learner is None or len(modules) < 4:
        return ""
    _demo_learner_plans(learner, modules)
    cards = _demo_learner_refreshers(learner)
    people = _refresher_histories()
    return f"Refreshers: {cards} due for the demo learner, histories for {people} people."


def _start(learner, module, now) -> None:
    """One lesson read in the module (so the learner may plan for it)."""
    lesson = Lesson.objects.filter(module=module, retired=False).order_by("order").first()
    if lesson is None:
        return
    LessonCompletion.objects.get_or_create(user=learner, lesson=lesson)
    progress, created = ModuleProgress.objects.get_or_create(
        user=learner,
        module=module,
        defaults={"lessons_completed": 1, "percent": 100 // module.step_count, "updated_at": now},
    )
    if not created and progress.lessons_completed == 0:
        ModuleProgress.objects.filter(pk=progress.pk).update(lessons_completed=1)


def _demo_learner_plans(learner, modules) -> None:
    today = timezone.localdate()
    now = timezone.now()
    day = datetime.timedelta(days=1)
    stages = [
        # (module index, situation, action, check-in offset, made days ago, stage)
        (
            0,
            "someone in a meeting is talked over",
            "say “I'd like to hear the end of that” and hand the floor back",
            0,
            14,
            "due",
        ),
        (
            1,
            "a colleague tells me about something that hurt them at work",
            "listen to the end, ask what would help, and not jump to fixing it",
            6,
            20,
            "second",
        ),
        (
            2,
            "a teammate's idea is repeated by someone louder",
            "credit it to them by name in the same meeting",
            10,
            2,
            "planned",
        ),
        (
            3,
            "I am asked to suggest speakers for an event",
            "put forward one person whose work is seldom seen",
            -3,
            17,
            "done",
        ),
    ]
    for index, situation, action, offset, made, stage in stages:
        module = modules[index]
        _start(learner, module, now)
        existing = Commitment.objects.filter(user=learner, module=module).first()
        if existing is not None and stage != "due":
            continue
        fields = {
            "situation": situation,
            "action": action,
            "check_in_on": today + day * offset,
            "created_at": now - day * made,
            "status": CommitmentStatus.OPEN,
            "rescheduled": stage == "second",
            "arose": False if stage == "second" else None,
            "reported_at": None,
            "went": "",
        }
        if stage == "done":
            fields.update(status=CommitmentStatus.DONE, arose=True, went="well")
            fields["reported_at"] = now - day * 2
        if existing is not None:
            if existing.status == CommitmentStatus.OPEN and not existing.situation:
                Commitment.objects.filter(pk=existing.pk).update(**fields)
            continue
        plan = Commitment.objects.create(user=learner, module=module, **fields)
        ModuleProgress.objects.filter(user=learner, module=module).update(commitment_made=True)
        if stage == "done":
            paid_on = today - day * 2
            FollowThroughReward.objects.get_or_create(
                user=learner,
                module=module,
                defaults={"commitment": plan, "week": week_start(paid_on), "slot": 1},
            )
            rewards.xp_award(
                user=learner,
                source=f"follow-through:{module.pk}",
                amount=rewards.XP_COMMITMENT_DONE,
                reason="Followed through on your plan",
            )


def _demo_learner_refreshers(learner) -> int:
    """The demo learner's finished modules' refreshers, three of them due now."""
    if RefresherCard.objects.filter(user=learner).exists():
        return RefresherCard.objects.filter(user=learner, due__lte=timezone.now()).count()
    for progress in ModuleProgress.objects.filter(
        user=learner, completed_at__isnull=False
    ).select_related("module", "module__scenario"):
        refreshers_schedule(module=progress.module, acting_user=learner)
    due = list(RefresherCard.objects.filter(user=learner).order_by("id")[:3])
    RefresherCard.objects.filter(pk__in=[c.pk for c in due]).update(
        due=timezone.now() - datetime.timedelta(hours=5)
    )
    return len(due)


def _refresher_histories() -> int:
    """First tries and later refreshers for people who finished modules long enough ago."""
    now = timezone.now()
    done = (
        ModuleProgress.objects.filter(completed_at__lte=now - datetime.timedelta(days=9))
        .exclude(user__email=DEMO_LEARNER)
        .exclude(user__refresher_cards__isnull=False)
        .select_related("module")
        .order_by("user_id", "module__order")
    )
    people: set[int] = set()
    cards, histories = [], []
    for progress in done.iterator():
        if progress.user_id not in people and len(people) >= HISTORY_PEOPLE:
            continue
        people.add(progress.user_id)
        for question in progress.module.questions.filter(purpose="check", retired=False):
            card = RefresherCard(
                user_id=progress.user_id,
                module_id=progress.module_id,
                principle_id=question.principle_id,
                question=question,
                due=progress.completed_at,
            )
            first = progress.completed_at
            reviews = []
            for number, (after, right_pct) in enumerate(((0, 70), *LATER), start=1):
                when = first + datetime.timedelta(days=after)
                if when > now:
                    break
                correct = chance(progress.user_id, question.pk, number) < right_pct
                rating = scheduling.rating_for(correct=correct)
                scheduling.store(card, scheduling.review(card, rating, when))
                card.reviews = number
                card.lapses += int(not correct)
                reviews.append((number, int(rating), correct, when, after, card.due))
            cards.append(card)
            histories.append(reviews)
    RefresherCard.objects.bulk_create(cards, ignore_conflicts=False)
    rows = [
        RefresherReview(
            card=card,
            user_id=card.user_id,
            principle_id=card.principle_id,
            number=number,
            rating=rating,
            correct=correct,
            reviewed_at=when,
            days_since_first=after,
            next_due=next_due,
        )
        for card, reviews in zip(cards, histories, strict=True)
        for number, rating, correct, when, after, next_due in reviews
    ]
    RefresherReview.objects.bulk_create(rows, batch_size=2000)
    return len(people)

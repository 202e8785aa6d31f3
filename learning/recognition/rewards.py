"""XP: the append-only ledger and each person's total and level, kept in step.

Every payment names its source (for example ``lesson:42``); a unique constraint on
(user, source) means a source pays at most once, whatever retries or concurrent
requests happen. Call these inside the transaction of the event that earns them.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from learning.models import LearnerStats, XpEvent


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    threshold: int


# The one place levels and their thresholds are defined.
LEVELS = (
    Level(1, "Listener", 0),
    Level(2, "Learner", 150),
    Level(3, "Advocate", 400),
    Level(4, "Amplifier", 800),
    Level(5, "Champion", 1400),
)

# What each kind of event pays. Following through on a commitment pays the most.
XP_LESSON = 10
XP_MODULE = 40
XP_COURSE = 100
XP_SCENARIO_FINISHED = 20
XP_SCENARIO_PER_POINT = 2
XP_KNOWLEDGE_GAIN = 50
XP_COMMITMENT_DONE = 120
XP_COMMITMENT_PARTLY = 60


def level_for(xp: int) -> Level:
    current = LEVELS[0]
    for level in LEVELS:
        if xp >= level.threshold:
            current = level
    return current


def next_level(level: Level) -> Level | None:
    return LEVELS[level.number] if level.number < len(LEVELS) else None


def xp_award(*, user, source: str, amount: int, reason: str) -> XpEvent | None:
    """Pay XP once per (user, source); returns the new event, or None if it was already paid.

    Side effects: one XpEvent row and the person's LearnerStats total and level.
    """
    if amount <= 0:
        return None
    try:
        with transaction.atomic():
            event = XpEvent.objects.create(user=user, source=source, amount=amount, reason=reason)
    except IntegrityError:
        return None
    LearnerStats.objects.get_or_create(user=user)
    LearnerStats.objects.filter(user=user).update(xp_total=F("xp_total") + amount)
    stats = LearnerStats.objects.get(user=user)
    new_level = level_for(stats.xp_total).number
    if new_level != stats.level:
        LearnerStats.objects.filter(user=user).update(level=new_level)
    return event

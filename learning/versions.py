"""Each learner's data version: the key that lets a server reuse a page it rendered.

Every write that changes what a learner's home shows (progress, commitments, XP, badges,
assignments, the curriculum) bumps the learner's `LearnerStats.version` in the same
transaction. Pages cached under a version are therefore never served after a change
committed: the next request reads the new version first, misses, and renders afresh.
The version lives in the database, so any number of app servers agree on it while each
keeps its own cache (no shared cache needed).
"""

from collections.abc import Iterable

from django.db.models import F

from allyship.models import User
from learning.models import LearnerStats

CHUNK = 500


def learners_touch(*, user_ids: Iterable[int]) -> None:
    """Bump these learners' versions (creating their stats row where there is none yet)."""
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        LearnerStats.objects.bulk_create(
            [LearnerStats(user_id=user_id) for user_id in chunk], ignore_conflicts=True
        )
        LearnerStats.objects.filter(user_id__in=chunk).update(version=F("version") + 1)


def learner_touch(*, user) -> None:
    """Bump one learner's version: one UPDATE once their stats row exists."""
    if not LearnerStats.objects.filter(user=user).update(version=F("version") + 1):
        learners_touch(user_ids=[user.pk])


def everyone_touch() -> None:
    """After a curriculum change every learner's pages are out of date, including those of
    people who have no stats row yet (their version would otherwise stay 0)."""
    learners_touch(user_ids=User.objects.filter(stats__isnull=True).values_list("pk", flat=True))
    LearnerStats.objects.update(version=F("version") + 1)

"""Asking for a previewed import to be applied: at most one waiting or running task per
batch, however often HR clicks."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from allyship.models import ImportBatch, ImportStatus, User
from allyship.people.importer import IN_PROGRESS
from allyship.people.tasks import apply_people_import

# An import still "queued" or "applying" after this long lost its worker (the write is one
# transaction, so nothing was half-applied): HR may queue it again.
STALE_AFTER = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class QueueOutcome:
    queued: bool
    already_applied: bool = False
    in_progress: bool = False


def people_import_queue(*, batch: ImportBatch, acting_user: User | None) -> QueueOutcome:
    """Ask for a previewed batch to be applied: marks it queued and, once committed, enqueues
    the task. Asking again while it waits or runs (a double click) queues nothing more."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().only("status", "queued_at").get(pk=batch.pk)
        if batch.status == ImportStatus.APPLIED:
            return QueueOutcome(queued=False, already_applied=True)
        stale = batch.queued_at is None or batch.queued_at < timezone.now() - STALE_AFTER
        if batch.status in IN_PROGRESS and not stale:
            return QueueOutcome(queued=False, in_progress=True)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.QUEUED,
            applied_by=acting_user,
            queued_at=timezone.now(),
            started_at=None,
            outcome={},
        )
        batch_id = batch.pk
        transaction.on_commit(lambda: apply_people_import.enqueue(batch_id))
    return QueueOutcome(queued=True)

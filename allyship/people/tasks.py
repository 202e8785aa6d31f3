"""Background tasks of the people import (queued in the database by django-tasks-db), and
the work the task does: apply a queued batch and record how it ended."""

from django.tasks import task
from django.utils import timezone

from allyship.models import ImportBatch, ImportStatus
from allyship.people.csv_file import ImportRejected
from allyship.people.importer import IN_PROGRESS, ApplyOutcome, people_import_apply


@task()
def apply_people_import(batch_id: int) -> dict:
    """Apply a queued import; returns how it ended and its counts."""
    outcome = people_import_run(batch_id=batch_id)
    return {"applied": outcome.applied, "refreshed": outcome.refreshed, "counts": outcome.counts}


def people_import_run(*, batch_id: int) -> ApplyOutcome:
    """The task's work: apply a queued batch as the person who queued it, and record how it
    ended on the batch (applied; or back to previewed, refreshed or with the errors found)."""
    started = ImportBatch.objects.filter(pk=batch_id, status__in=IN_PROGRESS).update(
        status=ImportStatus.APPLYING, started_at=timezone.now()
    )
    if not started:  # applied already, or the batch is gone
        return ApplyOutcome(applied=False, already_applied=True)
    batch = ImportBatch.objects.select_related("applied_by").get(pk=batch_id)
    try:
        outcome = people_import_apply(batch=batch, acting_user=batch.applied_by)
    except ImportRejected as rejected:
        errors = [
            {"row": error.row, "column": error.column, "message": error.message}
            for error in rejected.errors[:500]
        ]
        _finish(
            batch_id, {"kind": "rejected", "errors": errors, "error_count": len(rejected.errors)}
        )
        return ApplyOutcome(applied=False)
    except Exception:
        _finish(batch_id, {"kind": "failed"})
        raise  # the task is recorded as failed, with its traceback, for whoever runs the worker
    if outcome.refreshed:
        _finish(batch_id, {"kind": "refreshed"})
    elif outcome.applied:
        ImportBatch.objects.filter(pk=batch_id).update(
            outcome={"kind": "applied", "counts": outcome.counts}
        )
    return outcome


def _finish(batch_id: int, outcome: dict) -> None:
    """Back to previewed, so HR can apply again, with what happened."""
    ImportBatch.objects.filter(pk=batch_id).exclude(status=ImportStatus.APPLIED).update(
        status=ImportStatus.PREVIEWED, outcome=outcome
    )

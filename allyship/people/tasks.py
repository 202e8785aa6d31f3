"""Background tasks of the people import (queued in the database by django-tasks-db)."""

from django.tasks import task


@task()
def apply_people_import(batch_id: int) -> dict:
    """Apply a queued import; returns how it ended and its counts."""
    from allyship.people.importer import people_import_run

    outcome = people_import_run(batch_id=batch_id)
    return {"applied": outcome.applied, "refreshed": outcome.refreshed, "counts": outcome.counts}

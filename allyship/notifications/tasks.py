"""Background tasks (Django's tasks framework, queued in the database by django-tasks-db).

`python manage.py send_reminders` enqueues the daily ones; `python manage.py db_worker`
runs them. Arguments are JSON: dates travel as ISO strings.
"""

import datetime

from django.tasks import task

from allyship.notifications import reminders


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@task()
def send_reminders(today: str | None = None) -> dict[str, int]:
    """Due-soon and overdue reminder emails, at most one of a kind per assignment per day."""
    return reminders.reminders_send(today=_day(today))


@task()
def send_manager_digests(today: str | None = None) -> int:
    """Each manager's weekly digest of their team's overdue courses, once per week."""
    return reminders.digests_send(today=_day(today))


@task()
def send_nudge_email(nudge_id: int) -> bool:
    """The email for one manager's nudge."""
    return reminders.nudge_email_send(nudge_id=nudge_id)

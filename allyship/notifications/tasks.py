"""Background tasks (Django's tasks framework, queued in the database by django-tasks-db).

`python manage.py send_reminders` enqueues the daily ones; `python manage.py db_worker`
runs them. Arguments are JSON: dates travel as ISO strings.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.tasks import task

from allyship.forms import InvitePasswordResetForm
from allyship.notifications import reminders


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@task()
def send_password_reset(email: str) -> int:
    """The password reset email for an address, if an active person has it; else nothing.

    The link is built from SITE_URL, never from the request's Host header. Run from the
    queue, so the page answers equally fast whether or not the account exists.
    """

    form = InvitePasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.SITE_URL)
    people = list(form.get_users(form.cleaned_data["email"]))
    form.save(domain_override=site.netloc, use_https=site.scheme == "https")
    return len(people)


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

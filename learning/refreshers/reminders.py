"""The weekly refresher email: learners with refreshers due (and not paused) hear about
them at most once a week. `RefresherReminder` keeps that promise in the database; the
email is recorded and sent in one transaction, so a failed send is retried next run.
Called by the daily reminder task (allyship.notifications.reminders.reminders_send),
never by a page.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from learning.refreshers.models import RefresherReminder
from learning.refreshers.selectors import learners_with_due_refreshers


def refresher_reminders_send(*, today: datetime.date, week: datetime.date) -> int:
    """Email each learner with refreshers due, once in the week starting `week`."""
    already = RefresherReminder.objects.filter(week=week).values("user_id")
    sent = 0
    for learner in learners_with_due_refreshers().exclude(pk__in=already).iterator(500):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    RefresherReminder.objects.create(user=learner, week=week)
            except IntegrityError:
                continue
            count = learner.refreshers_due
            body = render_to_string(
                "learning/emails/refreshers_due.txt",
                {
                    "user": learner,
                    "count": count,
                    "url": settings.SITE_URL + reverse("refreshers:session"),
                    "pause_url": settings.SITE_URL + reverse("refreshers:overview"),
                },
            )
            EmailMessage(
                subject=f"{count} refresher{'s' if count != 1 else ''} waiting: about two minutes",
                body=body,
                to=[learner.email],
            ).send()
            sent += 1
    return sent

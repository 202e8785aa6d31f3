"""A manager's nudge about an overdue course: at most one per person, course and week
(the `Nudge` unique constraint), audited; its email is sent by a background task."""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from allyship.models import User
from allyship.notifications.tasks import send_nudge_email
from allyship.services import audit_record
from learning.models import Assignment, Course, Nudge
from learning.services import week_start


def next_nudge_on(today: datetime.date | None = None) -> datetime.date:
    """The Monday from which the next nudge about the same course is possible."""
    return week_start(today or timezone.localdate()) + datetime.timedelta(weeks=1)


def nudge_send(*, learner: User, course: Course, acting_user: User) -> Nudge:
    """A manager's friendly reminder about an overdue course: once per person, course, week.

    The caller has checked that the learner is in the acting manager's team. Audited; the email
    goes out through a background task queued once the nudge has committed.
    """
    today = timezone.localdate()
    assignment = Assignment.objects.live().open().filter(user=learner, course=course).first()
    if assignment is None:
        raise ValidationError(f"{course.title} is not an open assignment for {learner}.")
    if assignment.due_on >= today:
        raise ValidationError(
            f"{course.title} is not overdue yet: it is due on {assignment.due_on:%-d %B %Y}."
        )
    week = week_start(today)
    with transaction.atomic():
        try:
            with transaction.atomic():
                nudge = Nudge.objects.create(
                    manager=acting_user, learner=learner, course=course, week=week
                )
        except IntegrityError as exc:
            raise ValidationError(
                f"{learner.get_short_name()} has already had a nudge about {course.title} this "
                f"week. The next one is possible from {next_nudge_on(today):%A %-d %B}."
            ) from exc
        audit_record(
            acting_user=acting_user,
            action="nudge.send",
            target=f"{learner.email}: {course.title}",
            new=f"week of {week.isoformat()}",
        )
        transaction.on_commit(partial(send_nudge_email.enqueue, nudge.pk))
    return nudge

"""Reminder emails, managers' weekly digests and nudge emails: what each says and to whom.

The database keeps the promises: `ReminderSent` allows one reminder of a kind per
assignment per day, `DigestSent` one digest per manager per week. Each email's record is
committed first, on its own, and the email is sent after it, outside any transaction (a
slow mail server never holds a write lock); a failed send deletes its record, so the next
run retries it. These functions run in background tasks (allyship.notifications.tasks);
nothing here is called while a page waits.
"""

import datetime
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from allyship.models import User
from learning.models import (
    Assignment,
    Course,
    CourseProgress,
    DigestSent,
    Nudge,
    ReminderKind,
    ReminderSent,
)
from learning.refreshers.reminders import refresher_reminders_send
from learning.services import week_start

# A "due soon" reminder goes out once in the last few days before the due date.
DUE_SOON_DAYS = 3
# Overdue reminders repeat weekly, never daily: a reminder, not nagging.
OVERDUE_EVERY_DAYS = 7
# A digest lists at most this many overdue items; the team page has the rest.
DIGEST_ITEMS = 50


def course_url(course: Course) -> str:
    return settings.SITE_URL + reverse("learning:course-detail", args=[course.slug])


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    EmailMessage(subject=subject, body=body, to=[to]).send()


@contextmanager
def _released_on_failure(claim):
    """Send after the claim has committed; if sending fails, delete the claim so the next
    run tries again, and let the error reach the task (which records it)."""
    try:
        yield
    except Exception:
        type(claim).objects.filter(pk=claim.pk).delete()
        raise


def _live() -> QuerySet[Assignment]:
    """Live assignments not completed yet: the ones reminders and digests are about."""
    return Assignment.objects.live().open()


def _percent_of(assignment: Assignment) -> int:
    progress = CourseProgress.objects.filter(
        user_id=assignment.user_id, course_id=assignment.course_id
    ).first()
    return progress.percent if progress else 0


def reminders_due(today: datetime.date) -> dict[str, QuerySet[Assignment]]:
    """Assignments that should get a reminder today, by kind, with user and course."""
    recent = ReminderSent.objects.filter(assignment=OuterRef("pk"))
    due_soon = (
        _live()
        .filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .exclude(
            Exists(
                recent.filter(
                    kind=ReminderKind.DUE_SOON,
                    sent_on__gte=today - datetime.timedelta(days=DUE_SOON_DAYS),
                )
            )
        )
    )
    overdue = (
        _live()
        .overdue(today)
        .exclude(
            Exists(
                recent.filter(
                    kind=ReminderKind.OVERDUE,
                    sent_on__gt=today - datetime.timedelta(days=OVERDUE_EVERY_DAYS),
                )
            )
        )
    )
    return {
        ReminderKind.DUE_SOON: due_soon.select_related("user", "course").order_by("id"),
        ReminderKind.OVERDUE: overdue.select_related("user", "course").order_by("id"),
    }


def reminder_send(*, assignment: Assignment, kind: str, today: datetime.date) -> bool:
    """Email one reminder unless one of this kind already went out today; True if sent."""
    try:
        with transaction.atomic():
            claim = ReminderSent.objects.create(assignment=assignment, kind=kind, sent_on=today)
    except IntegrityError:
        return False
    with _released_on_failure(claim):
        user = assignment.user
        course = assignment.course
        if kind == ReminderKind.DUE_SOON:
            subject = f"A reminder: “{course.title}” is due on {assignment.due_on:%-d %B}"
            template = "hr/emails/reminder_due_soon.txt"
        else:
            subject = f"“{course.title}” is waiting for you"
            template = "hr/emails/reminder_overdue.txt"
        _send(
            to=user.email,
            subject=subject,
            template=template,
            context={
                "user": user,
                "course": course,
                "assignment": assignment,
                "percent": _percent_of(assignment),
                "url": course_url(course),
                "days_late": (today - assignment.due_on).days,
            },
        )
    return True


def reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Send today's due-soon and overdue reminders, and the week's refresher emails (once a
    week per learner); returns how many of each were sent."""
    today = today or timezone.localdate()
    sent = {}
    for kind, assignments in reminders_due(today).items():
        sent[str(kind)] = sum(
            reminder_send(assignment=assignment, kind=kind, today=today)
            for assignment in assignments.iterator(chunk_size=500)
        )
    sent["refreshers"] = refresher_reminders_send(today=today, week=week_start(today))
    return sent


@dataclass(frozen=True)
class DigestItem:
    learner: User
    course: Course
    due_on: datetime.date


def overdue_by_manager(today: datetime.date) -> dict[int, list[DigestItem]]:
    """Each manager's team's overdue items (reports at any depth), in two queries.

    The manager chain is read once and walked in memory: cheaper than one recursive
    query per manager when a weekly task covers the whole organisation.
    """
    manager_of = dict(User.objects.filter(is_active=True).values_list("id", "manager_id"))
    items: dict[int, list[DigestItem]] = defaultdict(list)
    overdue = _live().overdue(today).select_related("user", "course").order_by("due_on")
    for assignment in overdue.iterator(chunk_size=2000):
        item = DigestItem(assignment.user, assignment.course, assignment.due_on)
        seen = {assignment.user_id}
        boss = manager_of.get(assignment.user_id)
        while boss is not None and boss not in seen:
            items[boss].append(item)
            seen.add(boss)
            boss = manager_of.get(boss)
    return items


def digests_send(*, today: datetime.date | None = None) -> int:
    """Send this week's digest to each manager whose team has overdue items (once a week)."""
    today = today or timezone.localdate()
    week = week_start(today)
    by_manager = overdue_by_manager(today)
    already = set(DigestSent.objects.filter(week=week).values_list("manager_id", flat=True))
    managers = User.objects.in_bulk([pk for pk in by_manager if pk not in already])
    sent = 0
    for manager_id, manager in sorted(managers.items()):
        if not manager.is_active:
            continue
        items = by_manager[manager_id]
        try:
            with transaction.atomic():
                claim = DigestSent.objects.create(manager=manager, week=week)
        except IntegrityError:
            continue
        with _released_on_failure(claim):
            people = len({item.learner.pk for item in items})
            _send(
                to=manager.email,
                subject=f"Your team this week: {len(items)} overdue "
                f"course{'s' if len(items) != 1 else ''}",
                template="manager/emails/digest.txt",
                context={
                    "manager": manager,
                    "items": items[:DIGEST_ITEMS],
                    "more": max(len(items) - DIGEST_ITEMS, 0),
                    "count": len(items),
                    "people": people,
                    "team_url": settings.SITE_URL + reverse("manager:team") + "?scope=all",
                },
            )
            sent += 1
    return sent


def nudge_email_send(*, nudge_id: int) -> bool:
    """Email the learner their manager's nudge; False when the nudge no longer exists."""
    nudge = Nudge.objects.select_related("manager", "learner", "course").filter(pk=nudge_id).first()
    if nudge is None or not nudge.learner.is_active:
        return False
    assignment = Assignment.objects.filter(user=nudge.learner, course=nudge.course).first()
    _send(
        to=nudge.learner.email,
        subject=f"A friendly reminder from {nudge.manager.get_full_name()}",
        template="manager/emails/nudge.txt",
        context={
            "nudge": nudge,
            "learner": nudge.learner,
            "manager": nudge.manager,
            "course": nudge.course,
            "assignment": assignment,
            "url": course_url(nudge.course),
        },
    )
    return True

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from allyship.notifications.reminders import digests_send, reminders_send
from learning.models import DigestSent, ReminderKind, ReminderSent
from learning.services import week_start
from tests.factories import UserFactory
from tests.hr.factories import AssignmentFactory, complete, days

pytestmark = pytest.mark.django_db


def test_due_soon_and_overdue_reminders_go_out_once_a_day(settings, employee, course):
    settings.SITE_URL = "https://allyship.example.com"
    AssignmentFactory(user=employee, course=course, due_on=days(2))
    other = type(course).objects.create(slug="late-course", title="Late course", module_count=1)
    AssignmentFactory(user=employee, course=other, due_on=days(-4))

    assert reminders_send() == {"due_soon": 1, "overdue": 1, "refreshers": 0}
    assert reminders_send() == {"due_soon": 0, "overdue": 0, "refreshers": 0}
    assert len(mail.outbox) == 2
    due_soon = next(m for m in mail.outbox if course.title in m.subject)
    assert due_soon.to == [employee.email]
    assert "https://allyship.example.com/learn/inclusive-meetings/" in due_soon.body
    assert "Hi Emma" in due_soon.body
    overdue = next(m for m in mail.outbox if "Late course" in m.subject)
    assert "https://allyship.example.com/learn/late-course/" in overdue.body
    assert "<" not in overdue.body  # plain text, nothing escaped or HTML


def test_the_database_refuses_a_second_reminder_of_a_kind_on_the_same_day(employee, course):
    assignment = AssignmentFactory(user=employee, course=course, due_on=days(1))
    ReminderSent.objects.create(assignment=assignment, kind=ReminderKind.DUE_SOON, sent_on=days(0))
    with pytest.raises(IntegrityError):
        ReminderSent.objects.create(
            assignment=assignment, kind=ReminderKind.DUE_SOON, sent_on=days(0)
        )


def test_a_reminder_recorded_concurrently_is_not_sent_again(employee, course):
    from allyship.notifications.reminders import reminder_send

    assignment = AssignmentFactory(user=employee, course=course, due_on=days(1))
    ReminderSent.objects.create(assignment=assignment, kind=ReminderKind.DUE_SOON, sent_on=days(0))
    assert not reminder_send(assignment=assignment, kind=ReminderKind.DUE_SOON, today=days(0))
    assert mail.outbox == []


def test_overdue_reminders_repeat_weekly_not_daily(employee, course):
    AssignmentFactory(user=employee, course=course, due_on=days(-1))
    assert reminders_send(today=days(0))["overdue"] == 1
    for offset in range(1, 7):
        assert reminders_send(today=days(offset))["overdue"] == 0
    assert reminders_send(today=days(7))["overdue"] == 1


def test_no_reminders_for_completed_withdrawn_inactive_or_distant(employee, outsider, course):
    AssignmentFactory(user=employee, course=course, due_on=days(1))
    complete(employee, course)
    AssignmentFactory(user=outsider, course=course, due_on=days(-1), withdrawn_at=timezone.now())
    AssignmentFactory(user=UserFactory(is_active=False), course=course, due_on=days(-1))
    AssignmentFactory(user=UserFactory(), course=course, due_on=days(30))
    assert reminders_send() == {"due_soon": 0, "overdue": 0, "refreshers": 0}


def test_managers_get_a_weekly_digest_of_their_whole_teams_overdue_items(manager, employee, course):
    grandchild = UserFactory(manager=employee, full_name="Gina Grandchild")
    AssignmentFactory(user=grandchild, course=course, due_on=days(-3))
    # Gina's manager (the employee), the manager above them, and the boss above that.
    assert digests_send() == 3
    assert digests_send() == 0  # once a week
    to_manager = next(m for m in mail.outbox if m.to == [manager.email])
    assert "Gina Grandchild" in to_manager.body and course.title in to_manager.body
    assert "/manager/?scope=all" in to_manager.body
    assert DigestSent.objects.filter(manager=manager, week=week_start(days(0))).exists()
    assert digests_send(today=days(7)) == 3  # next week, if still overdue


def test_no_digest_without_overdue_items(manager, employee, course):
    AssignmentFactory(user=employee, course=course, due_on=days(3))
    assert digests_send() == 0
    assert not DigestSent.objects.exists()


# The worker closes connections left outside autocommit, as a test transaction would be.
@pytest.mark.django_db(transaction=True)
def test_send_reminders_command_enqueues_and_the_worker_sends(manager, employee, course):
    AssignmentFactory(user=employee, course=course, due_on=days(-2))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Queued reminders" in out.getvalue()
    assert DBTaskResult.objects.count() == 2
    assert mail.outbox == []
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO())
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([employee.email, manager.email, manager.manager.email])
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    # Running the day again sends nothing more.
    call_command("send_reminders", stdout=StringIO())
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO())
    assert len(mail.outbox) == 3


def test_send_reminders_accepts_a_date(immediate_tasks, employee, course):
    AssignmentFactory(user=employee, course=course, due_on=days(10))
    later = (days(0) + datetime.timedelta(days=8)).isoformat()
    call_command("send_reminders", date=later, stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[employee.email]]


def test_send_reminders_refuses_a_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--date"):
        call_command("send_reminders", date="tomorrow")


class TransactionWatchingBackend:
    """An email backend that notes, for each message, whether a transaction was open."""

    sent: list[tuple[str, bool]] = []

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        from django.db import connection

        for message in messages:
            TransactionWatchingBackend.sent.append((message.to[0], connection.in_atomic_block))
        return len(messages)


class FailingBackend(TransactionWatchingBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.mark.django_db(transaction=True)
def test_reminders_and_digests_are_sent_outside_any_transaction(settings, employee, course):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.TransactionWatchingBackend"}}
    TransactionWatchingBackend.sent = []
    AssignmentFactory(user=employee, course=course, due_on=days(-4))
    assert reminders_send()["overdue"] == 1
    assert digests_send() == 2  # Max Manager and Bea Boss above him
    assert len(TransactionWatchingBackend.sent) == 3
    assert not any(in_transaction for _, in_transaction in TransactionWatchingBackend.sent)


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_keeps_no_record_so_the_next_run_retries(settings, employee, course):
    AssignmentFactory(user=employee, course=course, due_on=days(-4))
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    with pytest.raises(ConnectionRefusedError):
        reminders_send()
    assert not ReminderSent.objects.exists()
    with pytest.raises(ConnectionRefusedError):
        digests_send()
    assert not DigestSent.objects.exists()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert reminders_send()["overdue"] == 1
    assert ReminderSent.objects.count() == 1

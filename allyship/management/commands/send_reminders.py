import datetime

from django.core.management.base import BaseCommand, CommandError

from allyship.notifications.tasks import send_manager_digests, send_reminders


class Command(BaseCommand):
    help = (
        "Queue today's reminder emails and managers' weekly digests for the background "
        "worker (python manage.py db_worker). Run it once a day, e.g. from cron; running it "
        "more often sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Act as if today were this date (YYYY-MM-DD), e.g. to test."
        )

    def handle(self, *args, date: str | None, **options):
        if date:
            try:
                datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError("--date must look like 2026-03-31.") from exc
        reminders = send_reminders.enqueue(date)
        digests = send_manager_digests.enqueue(date)
        self.stdout.write(
            f"Queued reminders (task {reminders.id}) and manager digests (task {digests.id}). "
            "The worker sends them: python manage.py db_worker"
        )

import time

from django.core.management.base import BaseCommand, CommandError

from allyship.reporting.figures import refresh_report_figures, report_figures_refresh


class Command(BaseCommand):
    help = (
        "Recompute the HR dashboard, team and insight figures every app server reads: the "
        "organisation, each department and every scope asked for in the last day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Keep running and refresh every this many seconds (for example 60).",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the refresh for the db_worker instead of running it here.",
        )

    def handle(self, *args, every: int, queue: bool, **options):
        if every < 0 or every > 86_400:
            raise CommandError("--every must be between 1 and 86400 seconds (or 0 for once).")
        while True:
            started = time.monotonic()
            if queue:
                refresh_report_figures.enqueue()
                self.stdout.write("Report figures refresh queued.")
            else:
                count = report_figures_refresh()
                self.stdout.write(
                    f"Report figures refreshed: {count} scopes in "
                    f"{time.monotonic() - started:.1f} s."
                )
            if not every:
                return
            time.sleep(max(every - (time.monotonic() - started), 1))

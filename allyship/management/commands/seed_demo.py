from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from allyship.demo.learning import seed_demo_learning
from allyship.demo.organisation import DEMO_PASSWORD, seed_demo_organisation


class Command(BaseCommand):
    help = (
        "Create the demo organisation (idempotent). Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=50, help="How many people in all.")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is false.")

    def handle(self, *args, employees: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is false: this looks like production. Use --force to seed demo data anyway."
            )
        if employees < 16 or employees > 200_000:
            raise CommandError("--employees must be between 16 and 200000.")
        result = seed_demo_organisation(total=employees)
        self.stdout.write(
            f"Demo organisation ready: {result['created']} people created "
            f"({employees} in the demo)."
        )
        learning = seed_demo_learning()
        if learning:
            self.stdout.write(learning)
        self.stdout.write(
            "Demo accounts (password "
            f"'{DEMO_PASSWORD}'):\n"
            "  employee@example.com  learner (reports to manager@example.com)\n"
            "  manager@example.com   manager with direct and indirect reports\n"
            "  hr@example.com        HR admin (and Django admin at /admin/)"
        )

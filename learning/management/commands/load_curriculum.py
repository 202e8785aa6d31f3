from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learning.content import CurriculumError
from learning.loader import load_curriculum


class Command(BaseCommand):
    help = "Load the curriculum from learning/curriculum/ (idempotent; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=None, help="Another curriculum folder.")

    def handle(self, *args, path: Path | None, **options):
        try:
            counts = load_curriculum(path)
        except CurriculumError as exc:
            raise CommandError(f"Curriculum not loaded: {exc}. Nothing was changed.") from exc
        self.stdout.write(
            "Curriculum loaded: "
            + ", ".join(f"{count} {name}" for name, count in counts.items())
            + "."
        )

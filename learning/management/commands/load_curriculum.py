from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the curriculum from learning/curriculum/."

    def handle(self, *args, **options):
        self.stdout.write("Curriculum loader not wired yet.")

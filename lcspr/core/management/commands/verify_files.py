from django.core.management.base import BaseCommand, CommandError

from lcspr.core import backup


class Command(BaseCommand):
    help = (
        "Check that every stored file exists and that its SHA-256 matches its record; list "
        "the missing and mismatched files and exit non-zero when there are any."
    )

    def handle(self, *args, **options):
        problems = backup.file_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} stored files have problems.")
        self.stdout.write("Every stored file is present and matches its record.")

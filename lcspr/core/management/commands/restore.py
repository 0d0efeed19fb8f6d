from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lcspr.core import backup


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded files from a folder written by `backup`. "
        "Refuses a database that already has people in it unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that is not empty."
        )

    def handle(self, *args, folder, force, **options):
        if not (folder / backup.MANIFEST).is_file():
            raise CommandError(f"{folder} holds no backup (no {backup.MANIFEST}).")
        if not force and not backup.database_is_empty():
            raise CommandError(
                "The database is not empty; restoring replaces everything in it. "
                "Run again with --force to do so."
            )
        backup.restore(folder)
        problems = backup.file_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Restored, but {len(problems)} stored files have problems.")
        self.stdout.write(f"Restored the database and files from {folder}; every file checks.")

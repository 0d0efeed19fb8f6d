from pathlib import Path

from django.core.management.base import BaseCommand

from lcspr.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files together into a folder, with a manifest "
        "of every file (path, size, SHA-256, the record it belongs to)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder, **options):
        manifest = backup.backup(folder)
        self.stdout.write(
            f"Backed up the {manifest['database']} database and {len(manifest['files'])} "
            f"files to {folder}."
        )

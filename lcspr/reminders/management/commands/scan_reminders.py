"""Run the daily reminder scan now (what beat does at the scan hour), e.g. after loading the demo
data. Running it twice on the same day sends nothing the second time."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lcspr.reminders.digests import send_digests
from lcspr.reminders.models import ScanRun
from lcspr.reminders.services import scan_day


class Command(BaseCommand):
    help = "Send the reminders due today (each goes out once), then the daily digests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Scan as of this date (YYYY-MM-DD) instead of today, for a rehearsal."
        )
        parser.add_argument(
            "--no-digests", action="store_true", help="Do not send the daily digests afterwards."
        )

    def handle(self, *args, date=None, no_digests=False, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError("--date must be a date written as YYYY-MM-DD") from None
        created = scan_day(day)
        run = ScanRun.objects.get(date=day)
        self.stdout.write(f"Reminder scan of {day:%Y-%m-%d}: {created} reminders sent.")
        if run.errors:
            raise CommandError(f"These clocks failed: {run.errors}")
        if not no_digests:
            self.stdout.write(f"Digests sent: {send_digests(day)}.")

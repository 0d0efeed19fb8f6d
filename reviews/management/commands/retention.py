"""List the closed reviews past their retention period (the default), or remove them.

    manage.py retention                                   # list what is due, change nothing
    manage.py retention --delete --by manager@example     # asks for typed confirmation
    manage.py retention --delete --yes --by manager@...   # for cron: no question

Each review is removed in its own transaction, which checks the legal hold again with the
review locked: a hold set after the list was made wins, and that review is skipped. Each
removal writes a RetentionRemoval record (no case content)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reviews.retention import services as retention


class Command(BaseCommand):
    help = "List closed reviews past their retention period; with --delete, remove them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove what is due (after confirmation)."
        )
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (for cron)."
        )
        parser.add_argument(
            "--by", help="E-mail address of the person responsible for the removal (required)."
        )
        parser.add_argument(
            "--date", help="Work out what is due as of this date (YYYY-MM-DD) instead of today."
        )

    def handle(self, *args, delete=False, yes=False, by=None, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError("--date must be a date written as YYYY-MM-DD") from None
        user = None
        if delete:
            if not by:
                raise CommandError("--delete needs --by with the e-mail address of who is removing")
            user = get_user_model().objects.filter(email__iexact=by, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user has the e-mail address {by}")
        due = retention.reviews_due_for_removal(today)
        if not due:
            self.stdout.write(f"No review is due for removal on {today:%d/%m/%Y}.")
            return
        self._list(due)
        if not delete:
            self.stdout.write("Nothing was removed. Run again with --delete --by EMAIL to remove.")
            return
        if not yes:
            expected = f"remove {len(due)}"
            answer = input(f"Type '{expected}' to remove these reviews for good: ").strip()
            if answer.lower() != expected:
                raise CommandError("Not confirmed: nothing was removed.")
        removed = skipped = 0
        for row in due:
            try:
                record = retention.review_remove_expired(review=row.review, by=user, today=today)
            except retention.RetentionRefused as error:
                skipped += 1
                self.stdout.write(f"Skipped {row.review.reference}: {' '.join(error.messages)}")
                continue
            removed += 1
            self.stdout.write(
                f"Removed {record.reference}: {record.rows_removed} records, "
                f"{record.history_rows_removed} history records, {record.files_removed} files."
            )
        self.stdout.write(f"{removed} removed, {skipped} skipped.")

    def _list(self, due) -> None:
        self.stdout.write(f"{len(due)} review{'s' if len(due) != 1 else ''} due for removal:")
        for row in due:
            try:
                counts = retention.removal_preview(row.review)
                size = f"{counts.rows} records, {counts.files} files"
            except retention.RetentionRefused as error:
                size = f"cannot be removed: {' '.join(error.messages)}"
            self.stdout.write(
                f"  {row.review.reference}  {row.type_label}  closed {row.closed_on:%d/%m/%Y}, "
                f"kept until {row.expires_on:%d/%m/%Y}  ({size})"
            )

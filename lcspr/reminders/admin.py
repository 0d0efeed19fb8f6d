from django.contrib import admin

from lcspr.core.admin import AppendOnlyAdmin
from lcspr.reminders.models import ScanRun, SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(AppendOnlyAdmin):
    list_display = ["created_at", "provider", "key", "due_date", "threshold", "recipient", "level"]
    list_filter = ["provider", "channel", "level"]
    raw_id_fields = ["recipient", "email", "notification"]


@admin.register(ScanRun)
class ScanRunAdmin(AppendOnlyAdmin):
    list_display = ["date", "started_at", "finished_at", "runs", "created", "errors"]

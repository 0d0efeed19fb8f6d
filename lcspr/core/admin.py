from django.contrib import admin

from lcspr.core.models import (
    AccessLog,
    ClosureDay,
    InAppNotification,
    OutboundEmail,
    ScanRun,
    SentReminder,
)


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "status", "attempts"]
    list_filter = ["status", "kind"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "what", "object_type", "object_id", "address"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["created_at", "provider", "key", "due_date", "threshold", "recipient", "level"]
    list_filter = ["provider", "channel", "level"]
    raw_id_fields = ["recipient", "email", "notification"]


@admin.register(ScanRun)
class ScanRunAdmin(admin.ModelAdmin):
    list_display = ["date", "started_at", "finished_at", "runs", "created", "errors"]


@admin.register(InAppNotification)
class InAppNotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    raw_id_fields = ["recipient"]

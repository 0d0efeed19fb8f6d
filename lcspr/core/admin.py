from django.contrib import admin

from lcspr.core.models import AccessLog, ClosureDay, OutboundEmail


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

from django.contrib import admin

from lcspr.core import closures
from lcspr.core.models import ClosureDay, OutboundEmail


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    """Closure days change through the calendar services, so that open clocks follow them: a
    day is added or removed, never edited in place."""

    list_display = ["date", "reason"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        day = closures.closure_day_add(by=request.user, date=obj.date, reason=obj.reason)
        obj.pk = day.pk

    def delete_model(self, request, obj):
        closures.closure_day_remove(by=request.user, day=obj)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            closures.closure_day_remove(by=request.user, day=day)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "status", "attempts"]
    list_filter = ["status", "kind"]

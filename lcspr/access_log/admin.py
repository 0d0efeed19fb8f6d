from django.contrib import admin

from lcspr.access_log.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "what", "object_type", "object_id", "address"]

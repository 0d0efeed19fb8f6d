from django.contrib import admin

from lcspr.access_log.models import AccessLog
from lcspr.core.admin import AppendOnlyAdmin


@admin.register(AccessLog)
class AccessLogAdmin(AppendOnlyAdmin):
    list_display = ["at", "user", "what", "object_type", "object_id", "address"]

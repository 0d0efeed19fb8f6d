from django import forms
from django.contrib import admin

from lcspr.core import closures
from lcspr.core.models import ClosureDay, OutboundEmail


class ClosureDayAdminForm(forms.ModelForm):
    """The service's rule, so a refused day is a message on the form, not an error page."""

    class Meta:
        model = ClosureDay
        fields = ["date", "reason"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for field, message in closures.closure_day_problem(
                cleaned.get("date"), cleaned.get("reason", "")
            ).items():
                self.add_error(field, message)
        return cleaned


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    """Closure days change through the calendar services, so that open clocks follow them: a
    day is added or removed, never edited in place."""

    list_display = ["date", "reason"]
    form = ClosureDayAdminForm

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


class AppendOnlyAdmin(admin.ModelAdmin):
    """An audit table in the technical administration site: rows can be read, never added,
    changed or deleted there (what was read or sent is history)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# E-mails whose body holds a live single-use link: whoever reads the outbox must not be able
# to follow it in someone else's name.
SECRET_EMAIL_KINDS = {"password_reset", "two_factor_link", "invitation"}


@admin.register(OutboundEmail)
class OutboundEmailAdmin(AppendOnlyAdmin):
    list_display = ["created_at", "kind", "to", "status", "attempts"]
    list_filter = ["status", "kind"]
    fields = ["created_at", "kind", "to", "subject", "status", "attempts", "body"]
    readonly_fields = fields

    @admin.display(description="Body")
    def body(self, obj):
        if obj.kind in SECRET_EMAIL_KINDS:
            return "Not shown: it holds a single-use link that only its recipient may follow."
        return obj.body_text

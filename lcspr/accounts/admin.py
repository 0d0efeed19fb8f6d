from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from lcspr.accounts.models import AccountLink, Agency, RoleAssignment, User
from lcspr.core.admin import AppendOnlyAdmin


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["email", "full_name", "agency", "is_active"]
    list_filter = ["is_active", "agency", "role_assignments__role"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "groups", "user_permissions"]
    # Who may use this site is decided on the server (`manage.py createsuperuser`), not here.
    readonly_fields = ["is_superuser", "is_staff", "last_login", "date_joined"]
    inlines = [RoleAssignmentInline]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_statutory_partner", "is_active"]
    list_filter = ["kind", "is_statutory_partner"]


# django-otp's own page shows an authenticator's secret key; this one never does. Apps are set
# up by their owner through an e-mailed link, and reset by a partnership manager in the service.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(AppendOnlyAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields


@admin.register(AccountLink)
class AccountLinkAdmin(AppendOnlyAdmin):
    list_display = ["created_at", "user", "purpose", "expires_at", "used_at", "created_by"]
    fields = ["user", "purpose", "created_at", "expires_at", "used_at", "created_by"]
    readonly_fields = fields

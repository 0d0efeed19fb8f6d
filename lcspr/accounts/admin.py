from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from lcspr.accounts.models import AccountLink, Agency, RoleAssignment, User
from lcspr.core.admin import AppendOnlyAdmin


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["role", "assigned_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    """People are read here, never changed: inviting, roles, leavers and their return are the
    partnership manager's pages (/account/people/), whose services apply the role rules, end a
    leaver's sessions and memberships and keep the history. Who may use this site is decided on
    the server (`manage.py createsuperuser`), not here."""

    list_display = ["email", "full_name", "agency", "is_active", "last_login"]
    list_filter = ["is_active", "agency", "role_assignments__role"]
    search_fields = ["email", "full_name"]
    fields = [
        "email",
        "full_name",
        "job_title",
        "agency",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
        "reminder_delivery",
    ]
    readonly_fields = fields
    inlines = [RoleAssignmentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        # An old version is shown, never put back: reverting would bypass the services.
        return True


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

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lcspr.accounts.models import Agency, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["email", "full_name", "agency", "is_active"]
    list_filter = ["is_active", "agency", "role_assignments__role"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "groups", "user_permissions"]
    inlines = [RoleAssignmentInline]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_statutory_partner", "is_active"]
    list_filter = ["kind", "is_statutory_partner"]

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "lcspr.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self):
        # The system check and the sign-in signal receiver register themselves on import.
        from lcspr.accounts import checks, reauth  # noqa: F401


class ServiceAdminConfig(admin_apps.AdminConfig):
    """Django admin, with the site that sits behind the service's sign-in (admin_site.py)."""

    default = False
    default_site = "lcspr.accounts.admin_site.ServiceAdminSite"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lcspr.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self):
        # The system check and the sign-in signal receiver register themselves on import.
        from lcspr.accounts import checks, reauth  # noqa: F401

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lcspr.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"

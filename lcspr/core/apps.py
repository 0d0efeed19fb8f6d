from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lcspr.core"
    label = "core"
    verbose_name = "Platform"

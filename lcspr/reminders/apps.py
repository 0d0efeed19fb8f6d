from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "lcspr.reminders"
    label = "reminders"
    verbose_name = "Reminders"

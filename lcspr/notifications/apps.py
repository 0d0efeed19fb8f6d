from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lcspr.notifications"
    label = "notifications"
    verbose_name = "Notifications"

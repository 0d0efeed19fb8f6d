from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"

    def ready(self):
        # Registers panels' permission rules on Review, the commissioning section of the task
        # list and the commissioning deadlines as a reminder clock.
        from panels import permissions, reminders, tasks_section  # noqa: F401

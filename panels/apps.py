from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"

    def ready(self):
        # Registers the panels policy on Review and the commissioning section of the task list.
        from panels import permissions, tasks_section  # noqa: F401

from django.apps import AppConfig


class ChronologiesConfig(AppConfig):
    name = "chronologies"

    def ready(self):
        # Registers the chronologies policy on Review and the chronologies section of the task
        # list.
        from chronologies import permissions, tasks_section  # noqa: F401

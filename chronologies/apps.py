from django.apps import AppConfig


class ChronologiesConfig(AppConfig):
    name = "chronologies"

    def ready(self):
        # Registers chronologies' permission rules, the chronologies section of the task list
        # and the chronology requests as a reminder clock.
        from chronologies import permissions, reminders, tasks_section  # noqa: F401

from django.apps import AppConfig


class ChronologiesConfig(AppConfig):
    name = "chronologies"

    def ready(self):
        # Registers chronologies' permission rules, the chronologies section of the task list,
        # the chronology requests as a reminder clock, their reviews in the work queue and the
        # merged chronology PDF as a background job.
        from chronologies import jobs, permissions, queue, reminders, tasks_section  # noqa: F401

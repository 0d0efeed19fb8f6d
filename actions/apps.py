from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"

    def ready(self):
        # Registers actions' permission rules with lcspr.core.permissions, the "Action plan"
        # section of the review's task list, the action due dates and stale actions as
        # reminder clocks, and the Executive report as a background job.
        from actions import jobs, permissions, reminders, tasks_section  # noqa: F401

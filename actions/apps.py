from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"

    def ready(self):
        # Registers actions' permission rules with lcspr.core.permissions, the "Action plan"
        # section of the review's task list, the action due dates and stale actions as
        # reminder clocks, overdue updates in the work queue, the Executive report as a
        # background job, and the action-plan part of the yearly report on reviews.
        from actions import jobs, permissions, queue, reminders, tasks_section, yearly  # noqa: F401

from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"

    def ready(self):
        # Registers panels' permission rules on Review, the commissioning section of the task
        # list, the commissioning deadlines as a reminder clock, and the author on the final
        # report's covering information.
        # A leaver's memberships end when their account is deactivated (lcspr/accounts).
        from lcspr.accounts.leavers import register_leaver_step
        from panels import covering, permissions, reminders, tasks_section  # noqa: F401
        from panels.services import memberships_end_for_leaver

        register_leaver_step(memberships_end_for_leaver)

"""The access log, the notification centre and the reminders moved to their own apps
(lcspr.access_log, lcspr.notifications, lcspr.reminders). Their tables keep their names
(core_accesslog, ...): this migration only takes the models out of core's state, and each new
app's first migration puts them in its own, and moves their content types, so nothing in the
database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_access_log_kind_and_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SentReminder"),
                migrations.DeleteModel(name="ScanRun"),
                migrations.DeleteModel(name="HistoricalReminderSettings"),
                migrations.DeleteModel(name="ReminderSettings"),
                migrations.DeleteModel(name="InAppNotification"),
                migrations.DeleteModel(name="AccessLog"),
            ],
            database_operations=[],
        ),
    ]

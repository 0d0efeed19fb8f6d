"""The reminders moved here from lcspr.core. Their tables keep their names (core_sentreminder,
core_scanrun, core_remindersettings and its history, core_historicalremindersettings), so this
migration only puts the models in this app's state (core's 0004 took them out of core's) and
moves their content types, with the permissions and admin log entries that point at them."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import lcspr.reminders.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ['remindersettings', 'historicalremindersettings', 'sentreminder', 'scanrun']


def move_content_types(apps, schema_editor, old="core", new="reminders"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="reminders", new="core")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0004_move_features_to_their_apps'),
        ('notifications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ScanRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True)),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('runs', models.PositiveIntegerField(default=0)),
                        ('created', models.PositiveIntegerField(default=0, verbose_name='Reminders sent')),
                        ('errors', models.TextField(blank=True)),
                    ],
                    options={
                        'db_table': 'core_scanrun',
                        'ordering': ['-date'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalReminderSettings',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('days_before', models.CharField(default='5,1', max_length=40, validators=[lcspr.reminders.models.validate_days_before], verbose_name='Working days before the due date to send a reminder')),
                        ('remind_on_day', models.BooleanField(default=True, verbose_name='Send a reminder on the due date')),
                        ('overdue_every_working_days', models.PositiveSmallIntegerField(default=5, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='Working days between reminders once overdue')),
                        ('escalate_after', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='Overdue reminders before each escalation step')),
                        ('scan_hour_utc', models.PositiveSmallIntegerField(default=6, validators=[lcspr.reminders.models.validate_scan_hour], verbose_name='Hour of the daily reminder scan (UTC)')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('subgroup_chair', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='Chair of the LCSPR sub-group')),
                    ],
                    options={
                        'verbose_name': 'historical reminder settings',
                        'verbose_name_plural': 'historical reminder settings',
                        'db_table': 'core_historicalremindersettings',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ReminderSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('days_before', models.CharField(default='5,1', max_length=40, validators=[lcspr.reminders.models.validate_days_before], verbose_name='Working days before the due date to send a reminder')),
                        ('remind_on_day', models.BooleanField(default=True, verbose_name='Send a reminder on the due date')),
                        ('overdue_every_working_days', models.PositiveSmallIntegerField(default=5, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='Working days between reminders once overdue')),
                        ('escalate_after', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='Overdue reminders before each escalation step')),
                        ('scan_hour_utc', models.PositiveSmallIntegerField(default=6, validators=[lcspr.reminders.models.validate_scan_hour], verbose_name='Hour of the daily reminder scan (UTC)')),
                        ('subgroup_chair', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='Chair of the LCSPR sub-group')),
                    ],
                    options={
                        'verbose_name_plural': 'reminder settings',
                        'db_table': 'core_remindersettings',
                    },
                ),
                migrations.CreateModel(
                    name='SentReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provider', models.CharField(max_length=60)),
                        ('key', models.CharField(max_length=120)),
                        ('due_date', models.DateField()),
                        ('threshold', models.CharField(max_length=40)),
                        ('level', models.PositiveSmallIntegerField(default=0, verbose_name='Escalation step')),
                        ('kind', models.CharField(blank=True, max_length=60)),
                        ('title', models.CharField(max_length=250)),
                        ('url', models.CharField(max_length=500)),
                        ('review_label', models.CharField(blank=True, max_length=200)),
                        ('review_id', models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ('channel', models.CharField(choices=[('immediate', 'E-mail straight away'), ('digest', 'Daily digest')], default='immediate', max_length=10)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('digest_sent_at', models.DateTimeField(blank=True, null=True)),
                        ('email', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.outboundemail')),
                        ('notification', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='notifications.inappnotification')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'core_sentreminder',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['channel', 'digest_sent_at'], name='sent_reminder_digest')],
                        'constraints': [models.UniqueConstraint(fields=('key', 'due_date', 'threshold', 'recipient'), name='sent_reminder_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]

"""The access log moved here from lcspr.core. Its table keeps its name (core_accesslog), so
this migration only puts the model in this app's state (core's 0004 took it out of core's) and
moves its content type, with the permissions and admin log entries that point at it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ['accesslog']


def move_content_types(apps, schema_editor, old="core", new="access_log"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="access_log", new="core")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0004_move_features_to_their_apps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AccessLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('kind', models.CharField(choices=[('view', 'Viewed a page'), ('download', 'Downloaded a file'), ('export', 'Exported data')], default='view', max_length=10)),
                        ('what', models.CharField(max_length=200)),
                        ('object_type', models.CharField(blank=True, max_length=100)),
                        ('object_id', models.CharField(blank=True, max_length=64)),
                        ('review_id', models.BigIntegerField(blank=True, null=True)),
                        ('path', models.CharField(max_length=500)),
                        ('address', models.CharField(blank=True, max_length=64)),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'core_accesslog',
                        'ordering': ['-at', '-pk'],
                        'indexes': [models.Index(fields=['user', 'at'], name='access_log_user_at'), models.Index(fields=['review_id', 'at'], name='access_log_review_at')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]

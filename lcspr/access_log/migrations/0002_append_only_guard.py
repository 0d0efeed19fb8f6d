"""The access log becomes append-only in the database (lcspr/access_log/guard.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from lcspr.access_log import guard

    guard.install(schema_editor)


def remove(apps, schema_editor):
    from lcspr.access_log import guard

    guard.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("access_log", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]

"""Beat schedule for the core app (created here so a fresh database has it)."""
from django.db import migrations

from apps.core.schedules import interval_task, remove_task


def create(apps, schema_editor):
    interval_task(apps, name="core.purge_idempotency_records", task="core.purge_idempotency_records", every=3600)


def remove(apps, schema_editor):
    remove_task(apps, name="core.purge_idempotency_records")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]

"""Beat schedule for the events app (created here so a fresh database has it)."""
from django.db import migrations

from apps.core.schedules import interval_task, remove_task


def create(apps, schema_editor):
    interval_task(apps, name="events.relay_outbox", task="events.relay_outbox", every=5)


def remove(apps, schema_editor):
    remove_task(apps, name="events.relay_outbox")


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]

"""Beat schedule for the returns reconciliation (every 15 minutes; editable in the admin)."""
from django.db import migrations

from apps.core.schedules import crontab_task, remove_task


def create(apps, schema_editor):
    crontab_task(apps, name="returns.reconcile", task="returns.reconcile", minute="*/15")


def remove(apps, schema_editor):
    remove_task(apps, name="returns.reconcile")


class Migration(migrations.Migration):
    dependencies = [("returns", "0001_self_service_returns"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]

"""Beat schedule for the payments app: reconcile payments whose webhooks never arrived."""
from django.db import migrations

from apps.core.schedules import interval_task, remove_task


def create(apps, schema_editor):
    interval_task(apps, name="payments.reconcile_pending", task="payments.reconcile_pending", every=5,
                  period="minutes")


def remove(apps, schema_editor):
    remove_task(apps, name="payments.reconcile_pending")


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]

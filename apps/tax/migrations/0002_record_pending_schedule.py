"""Beat schedule for the tax app: send Stripe Tax transactions whose queued task was lost."""
from django.db import migrations

from apps.core.schedules import interval_task, remove_task


def create(apps, schema_editor):
    interval_task(apps, name="tax.record_pending_transactions", task="tax.record_pending_transactions", every=15,
                  period="minutes")


def remove(apps, schema_editor):
    remove_task(apps, name="tax.record_pending_transactions")


class Migration(migrations.Migration):
    dependencies = [("tax", "0001_tax_rates_and_transactions"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]

"""Beat schedule for the inventory app (created here so a fresh database has it)."""
from django.db import migrations

from apps.core.schedules import crontab_task, interval_task, remove_task

TASKS = ["inventory.run_stock_check", "inventory.recalculate_sales_velocity", "inventory.send_low_stock_digest",
         "inventory.requeue_stale_deliveries"]


def create(apps, schema_editor):
    interval_task(apps, name="inventory.run_stock_check", task="inventory.run_stock_check", every=300)
    crontab_task(apps, name="inventory.recalculate_sales_velocity", task="inventory.recalculate_sales_velocity",
                 minute="15", hour="0")
    crontab_task(apps, name="inventory.send_low_stock_digest", task="inventory.send_low_stock_digest",
                 minute="0", hour="9")
    interval_task(apps, name="inventory.requeue_stale_deliveries", task="inventory.requeue_stale_deliveries",
                  every=60)


def remove(apps, schema_editor):
    for name in TASKS:
        remove_task(apps, name=name)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_thresholds_alerts_channels"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]

"""Beat schedule for the checkout app: the abandonment sweep every minute, stale pending orders
every five minutes."""
from django.db import migrations

from apps.core.schedules import interval_task, remove_task


def create(apps, schema_editor):
    interval_task(apps, name="checkout.sweep_abandoned_sessions", task="checkout.sweep_abandoned_sessions", every=60)
    interval_task(apps, name="checkout.expire_pending_orders", task="checkout.expire_pending_orders", every=300)


def remove(apps, schema_editor):
    remove_task(apps, name="checkout.sweep_abandoned_sessions")
    remove_task(apps, name="checkout.expire_pending_orders")


class Migration(migrations.Migration):
    dependencies = [("checkout", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]

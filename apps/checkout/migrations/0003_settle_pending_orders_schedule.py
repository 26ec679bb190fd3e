"""Beat schedule: every ten minutes, settle orders pending for more than 15 minutes from Stripe's view of
their PaymentIntent (`checkout.settle_pending_orders`)."""
from django.db import migrations

from apps.core.schedules import interval_task, remove_task


def create(apps, schema_editor):
    interval_task(apps, name="checkout.settle_pending_orders", task="checkout.settle_pending_orders", every=10,
                  period="minutes")


def remove(apps, schema_editor):
    remove_task(apps, name="checkout.settle_pending_orders")


class Migration(migrations.Migration):
    dependencies = [("checkout", "0002_periodic_tasks")]
    operations = [migrations.RunPython(create, remove)]

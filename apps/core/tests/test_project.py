"""Project-level promises: deploy checks pass in production mode, a fresh database has the beat
schedule, the demo loader is idempotent, topics can be created on demand."""
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

pytestmark = pytest.mark.django_db


def test_production_settings_pass_check_deploy_without_warnings():
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by browser tests
    env = {**inherited, "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "k3y-" + "Zq9!xV2#pL7@" * 5,
           "DJANGO_ALLOWED_HOSTS": "shop.example.com", "SERVICE_AUTH_TOKENS": "svc_6f1d0c9a8b7e",
           "STRIPE_WEBHOOK_SECRET": "whsec_9Hc2LxQ7pT4vN1rZ",
           # live Stripe keys: with the local placeholders the checkout would serve its test-card stand-in
           "STRIPE_PUBLISHABLE_KEY": "pk_live_51Vantage", "STRIPE_SECRET_KEY": "sk_live_51Hx7Q2eZvKYlo2C"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_fresh_database_has_the_beat_schedule():
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks["events.relay_outbox"] == "events.relay_outbox"
    assert tasks["core.purge_idempotency_records"] == "core.purge_idempotency_records"


def test_seed_demo_is_idempotent():
    from django.apps import apps

    product_model = apps.get_model("catalog", "Product")
    call_command("seed_demo", stdout=StringIO())
    first = product_model.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert product_model.objects.count() == first >= 60
    assert product_model.objects.filter(pk="prod_monitor_32in", sku="MON-32-4K-PRO").exists()


def test_ensure_topics_creates_the_design_topics(kafka_broker):
    out = StringIO()
    call_command("ensure_topics", stdout=out)
    call_command("ensure_topics", stdout=(second := StringIO()))
    for topic in ("inventory.alerts", "cart.abandonment", "returns.events", "analytics.events"):
        assert topic in out.getvalue()
        assert f"{topic}: exists" in second.getvalue()

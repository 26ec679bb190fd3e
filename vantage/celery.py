"""Celery application: configuration from Django settings (CELERY_*), tasks autodiscovered per app.

The beat schedule lives in the database (django-celery-beat); each app's data migration
creates its periodic tasks, so a fresh database has the full schedule.
"""
import os

from celery import Celery
from celery.signals import beat_init, worker_init
from django.core.exceptions import ImproperlyConfigured

from apps.core.settings_guard import refuse_to_serve_if_build_only

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")

app = Celery("vantage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_build_only_settings(**kwargs) -> None:
    # Celery logs and swallows a signal handler's exceptions; SystemExit is not one of those.
    try:
        refuse_to_serve_if_build_only()
    except ImproperlyConfigured as error:
        raise SystemExit(f"ImproperlyConfigured: {error}") from error

"""Celery application: configuration from Django settings (CELERY_*), tasks autodiscovered per app.

The beat schedule lives in the database (django-celery-beat); each app's data migration
creates its periodic tasks, so a fresh database has the full schedule.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")

app = Celery("vantage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""Ops app: staff pages under /ops/; no models, no API of its own (the numbers' JSON twins stay with
the domains under /api/v1/…)."""
from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "apps.ops"
    label = "ops"

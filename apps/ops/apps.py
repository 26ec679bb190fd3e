"""Ops app: staff pages under /ops/; no models, no API of its own (the numbers' JSON twins stay with
the domains under /api/v1/…)."""
from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "apps.ops"
    label = "ops"

    def ready(self) -> None:
        from django.contrib import admin

        # Ops start from /admin/: its home links the staff pages (the merchant portal keeps Django's own).
        admin.site.index_template = "admin/staff_index.html"
        admin.site.site_header = "Vantage ops admin"
        admin.site.site_title = "Vantage ops admin"

"""Catalog app: merchants, categories, suppliers and products — read by every other app."""
from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "apps.catalog"
    label = "catalog"

    def ready(self) -> None:
        from . import schema  # noqa: F401 — registers the OpenAPI auth extension

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)

"""Inventory app: stock, sales velocity, low-stock thresholds, the 5-minute stock check, alert
channels (Kafka, PagerDuty, email digest, merchant webhooks) and the read behind the staff panel."""
from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "apps.inventory"
    label = "inventory"

    def ready(self) -> None:
        from apps.core.metrics import scrape_collector_register

        from .metrics import InventoryCollector

        scrape_collector_register(InventoryCollector())

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)

"""Returns app: returns and return items, labels, the returns API and pages, reconciliation."""
from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "apps.returns"
    label = "returns"
    verbose_name = "Returns"

    def ready(self) -> None:
        from apps.core.metrics import scrape_collector_register

        from .metrics import ReturnsCollector

        scrape_collector_register(ReturnsCollector())

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)

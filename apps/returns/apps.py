"""Returns app: returns and return items, labels, the returns API and pages, reconciliation."""
from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "apps.returns"
    label = "returns"
    verbose_name = "Returns"
    _collector_registered = False

    def ready(self) -> None:
        from prometheus_client import REGISTRY

        from .metrics import ReturnsCollector

        if not ReturnsConfig._collector_registered:
            REGISTRY.register(ReturnsCollector())
            ReturnsConfig._collector_registered = True

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)

"""Events app: the transactional outbox and its Kafka relay — the only code that talks to Kafka."""
from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "apps.events"
    label = "events"

    def ready(self) -> None:
        from apps.core.metrics import scrape_collector_register

        from . import services  # noqa: F401 — connects the request signals that kick the relay once per request
        from .metrics import OutboxCollector

        scrape_collector_register(OutboxCollector())

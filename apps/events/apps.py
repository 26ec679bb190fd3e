"""Events app: the transactional outbox and its Kafka relay — the only code that talks to Kafka."""
from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "apps.events"
    label = "events"

    def ready(self) -> None:
        from .metrics import outbox_collector_register

        outbox_collector_register()

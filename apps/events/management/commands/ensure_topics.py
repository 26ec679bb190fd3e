"""`python manage.py ensure_topics`: create the Kafka topics of DESIGN.md if they are missing."""
from django.conf import settings
from django.core.management.base import BaseCommand

from ...integrations.kafka import ensure_topics
from ...topics import ALL_TOPICS


class Command(BaseCommand):
    help = "Create the Kafka topics this system publishes (inventory.alerts, cart.abandonment, ...)."

    def handle(self, *args, **options):
        created = ensure_topics(ALL_TOPICS, settings.KAFKA_TOPIC_PARTITIONS, settings.KAFKA_REPLICATION_FACTOR)
        for topic in ALL_TOPICS:
            self.stdout.write(f"{topic}: {'created' if topic in created else 'exists'}")

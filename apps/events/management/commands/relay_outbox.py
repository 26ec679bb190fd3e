"""`python manage.py relay_outbox [--loop]`: deliver pending outbox events to Kafka now."""
import time

from django.core.management.base import BaseCommand

from ...services import outbox_relay


class Command(BaseCommand):
    help = "Deliver pending outbox events to Kafka (once, or every few seconds with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep relaying until interrupted")
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            result = outbox_relay()
            self.stdout.write(f"delivered={result['delivered']} failed={result['failed']}")
            if not loop:
                return
            time.sleep(interval)

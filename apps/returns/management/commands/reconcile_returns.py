"""`python manage.py reconcile_returns`: run the returns reconciliation once (beat runs it too)."""
from django.core.management.base import BaseCommand

from ...services.reconciliation import returns_reconcile


class Command(BaseCommand):
    help = "Find stuck labels, orphan labels, overdue refunds and refunds without a return; repair what can be."

    def handle(self, *args, **options):
        for kind, count in returns_reconcile().items():
            self.stdout.write(f"{kind}: {'check failed (see logs)' if count < 0 else f'{count} new'}")

"""`python manage.py send_low_stock_digest`: send the daily low-stock digest now."""
from django.core.management.base import BaseCommand

from ...services.digest import low_stock_digest_send


class Command(BaseCommand):
    help = "Send the low-stock email digest now, to every recipient (even if today's was already sent)."

    def handle(self, *args, **options):
        summary = low_stock_digest_send(force=True)
        if not (summary.sent or summary.failed):
            self.stdout.write(self.style.WARNING(
                "no recipients: set LOW_STOCK_DIGEST_RECIPIENTS or add digest recipients in /admin/"))
        for email in summary.sent:
            self.stdout.write(f"sent to {email}")
        for email in summary.failed:
            self.stdout.write(self.style.ERROR(f"failed for {email} (will be retried)"))

"""`python manage.py run_stock_check`: the 5-minute stock check, now, with a summary."""
from django.core.management.base import BaseCommand

from ...services.stock_check import stock_check_run


class Command(BaseCommand):
    help = "Run the low-stock check now (the same code beat runs every 5 minutes) and print a summary."

    def handle(self, *args, **options):
        summary = stock_check_run()
        if summary.skipped:
            self.stdout.write(self.style.WARNING("another stock check is running; nothing done"))
            return
        self.stdout.write(
            f"evaluated {summary.evaluated} products near their threshold: {summary.alerted} alerted, "
            f"{summary.suppressed} suppressed (alerted within 24 h), {summary.early_warning} early warning, "
            f"{summary.resolved} resolved, {summary.paged} paged")

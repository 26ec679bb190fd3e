"""`python manage.py recalculate_sales_velocity [--product ID]`: the runbook's manual recalculation."""
from datetime import date

from django.core.management.base import BaseCommand

from ...selectors import stock_level_get
from ...services.velocity import sales_velocity_recalculate


class Command(BaseCommand):
    help = "Recompute average daily sales from the last 30 days (and relative thresholds) for all or one product."

    def add_arguments(self, parser):
        parser.add_argument("--product", help="only this product id, e.g. prod_monitor_32in")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None,
                            help="count the 30 days before this date (YYYY-MM-DD) instead of before today")

    def handle(self, *args, product=None, as_of=None, **options):
        updated = sales_velocity_recalculate(product_id=product, today=as_of)
        if product:
            level = stock_level_get(product_id=product)
            self.stdout.write(f"{product}: avg daily sales {level.avg_daily_sales:.2f}, "
                              f"threshold {level.threshold_units} units")
        else:
            self.stdout.write(f"recalculated sales velocity of {updated} products")

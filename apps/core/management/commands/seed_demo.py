"""`python manage.py seed_demo`: load the demo shop (idempotent; safe to run on every start).

Each app contributes its own part: an AppConfig with a `seed_demo(stdout)` method is called in
INSTALLED_APPS order (catalog before inventory before checkout, ...), so this command needs no
knowledge of the domain apps.
"""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load (or refresh) the demo shop: merchant 'demo', categories, products, stock, sales history."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            seed = getattr(config, "seed_demo", None)
            if callable(seed):
                with transaction.atomic():
                    seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("demo data ready"))

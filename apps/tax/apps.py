"""Tax app: sales tax and VAT on orders, from the ops admin's rate table or from Stripe Tax."""
from django.apps import AppConfig


class TaxConfig(AppConfig):
    name = "apps.tax"
    label = "tax"
    verbose_name = "Tax"

    def ready(self) -> None:
        from django.core.checks import register

        from .checks import tax_provider_check

        register(tax_provider_check)

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)

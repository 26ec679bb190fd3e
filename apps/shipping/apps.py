"""Shipping app: destination zones, shipping methods and their rates, and business-day delivery windows."""
from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "apps.shipping"
    label = "shipping"

    def ready(self) -> None:
        from django.conf import settings

        from .conf import shipping_settings_validate

        shipping_settings_validate(cutoff_hour=settings.SHIPPING_CUTOFF_HOUR, timezone=settings.SHIPPING_TIMEZONE)

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)

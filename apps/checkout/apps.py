"""Checkout app: carts, guest sessions (Redis), orders and the guest checkout v2 API."""
from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "apps.checkout"
    label = "checkout"

    def ready(self) -> None:
        from apps.payments.public import register_payment_event_handler

        from . import card_collection  # noqa: F401 - registers the card collection system checks
        from .services.orders import payment_event_handle

        register_payment_event_handler(payment_event_handle)

        from apps.core.metrics import scrape_collector_register

        from .metrics import GuestSessionsCollector

        scrape_collector_register(GuestSessionsCollector())

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)

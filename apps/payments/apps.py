"""Payments app (see DESIGN.md "Layout")."""
from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "apps.payments"
    label = "payments"

    def ready(self) -> None:
        import stripe
        import stripe._util

        # STRIPE_LOG / stripe.log make the SDK print request and response bodies straight to stderr,
        # past the logging filters that redact client secrets; the SDK's `stripe` logger (filtered)
        # remains the only way its debug output leaves the process.
        stripe.log = None
        stripe._util.STRIPE_LOG = None

        from apps.core.metrics import scrape_collector_register

        from .metrics import BreakerStateCollector

        scrape_collector_register(BreakerStateCollector())

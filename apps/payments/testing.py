"""Test support of the payments app (registered as a pytest plugin in the root conftest.py): the
payment factory, span capture, and a recorder of the payment events handed to other apps.

`payment_spans` yields an InMemorySpanExporter attached to the global tracer provider.
"""
from decimal import Decimal

import factory
import pytest

from apps.core.ids import new_public_id

from .models import Payment, PaymentStatus
from .public import register_payment_event_handler
from .registry import unregister


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    order_id = factory.LazyFunction(lambda: new_public_id("ord"))
    intent_id = factory.Sequence(lambda n: f"pi_factory{n:06d}")
    status = PaymentStatus.CREATED
    amount = Decimal("67.25")
    currency = "USD"
    cart_id = factory.LazyFunction(lambda: new_public_id("cart"))
    confirmation_token = factory.LazyFunction(lambda: new_public_id("cnf"))


@pytest.fixture(scope="session")
def _span_exporter():
    from opentelemetry import trace
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from apps.core import tracing

    tracing.configure()
    exporter = InMemorySpanExporter()
    trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


@pytest.fixture
def payment_spans(_span_exporter):
    """Finished spans of this test (`payment_spans.get_finished_spans()`)."""
    _span_exporter.clear()
    yield _span_exporter
    _span_exporter.clear()


@pytest.fixture
def payment_events():
    """The payment events handed to other apps' handlers during the test, as
    (event type, confirmation token, intent id, payment status)."""
    calls = []

    def handler(event_type, confirmation_token, intent_id, data):
        calls.append((event_type, confirmation_token, intent_id, data["payment_status"]))

    register_payment_event_handler(handler)
    yield calls
    unregister(handler)

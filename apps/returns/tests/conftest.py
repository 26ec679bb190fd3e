"""Fixtures of the returns tests: orders with lines (optionally really paid through the local
Stripe server), the flag switched on, label files in a temporary media root, API helpers."""
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model

from apps.checkout.testing import OrderFactory, OrderLineFactory
from apps.returns.labels.base import LabelAddress

SHOPPER = LabelAddress(name="Ann Shopper", line1="1 Main St", city="Springfield", state="IL", zip="62704",
                       country="US", email="ann@example.com")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LABEL_PROVIDER = "local_pdf"


@pytest.fixture
def returns_on(settings):
    settings.SELF_SERVICE_RETURNS_ENABLED = True


@pytest.fixture
def make_order(db):
    """`make_order(lines=[(qty, "unit price"), ...], **order_fields)` → a checkout order row."""

    def make(lines=((2, "25.00"),), **fields):
        subtotal = sum((Decimal(price) * qty for qty, price in lines), Decimal("0.00"))
        fields.setdefault("subtotal", subtotal)
        fields.setdefault("total", subtotal)
        order = OrderFactory(**fields)
        for qty, price in lines:
            OrderLineFactory(order=order, quantity=qty, unit_price=Decimal(price))
        return order

    return make


@pytest.fixture
def make_paid_order(make_order, local_stripe):
    """An order whose total was really charged through payments' public API (local Stripe)."""
    from apps.payments.public import ChargeRequest, charge

    def make(lines=((2, "25.00"),), **fields):
        order = make_order(lines=lines, **fields)
        charge(ChargeRequest(order_id=order.id, amount=order.total, currency="USD", payment_method_id="pm_card_visa",
                             confirmation_token=order.confirmation_token, customer_email=order.email))
        return order

    return make


def verified_customer(username: str, email: str, password: str = "pw"):
    """A customer who followed the emailed verification link: only such an account owns the orders placed
    with its email (issue 14)."""
    user = get_user_model().objects.create_user(username, email, password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def lines_of(order) -> list:
    return list(order.lines.order_by("id"))


def guest(order) -> dict:
    return {"email": order.email, "confirmation_token": order.confirmation_token}


def outbox_events(topic: str = "returns.events") -> list[dict]:
    """Payloads written to the outbox (looked up by model label: the events app owns the table)."""
    outbox = django_apps.get_model("events", "OutboxEvent")
    return [row.payload for row in outbox.objects.filter(topic=topic).order_by("id")]


@pytest.fixture
def create_return(api_client):
    """POST /api/v1/returns as the order's guest; `items` as [(line, qty, reason), ...]."""

    def create(order, items=None, client=None, **extra):
        body = {"order_id": order.id, **guest(order), **extra}
        if items is not None:
            body["items"] = [{"order_line_id": str(line.pk), "quantity": qty, "reason": reason}
                             for line, qty, reason in items]
        return (client or api_client).post("/api/v1/returns", body, format="json")

    return create


@pytest.fixture
def easypost(settings):
    """LABEL_PROVIDER=easypost against the local EasyPost-compatible server; yields its state."""
    from devtools.easypost_server import start_easypost_server

    server, state = start_easypost_server()
    settings.LABEL_PROVIDER = "easypost"
    settings.EASYPOST_API_KEY = "EZTK_test_key"
    settings.EASYPOST_API_BASE = f"{state.base_url}/v2"
    yield state
    server.shutdown()
    server.server_close()

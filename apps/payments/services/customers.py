"""Registered shoppers: one Stripe Customer per user, saved cards on it (attach, list, default,
remove) and a default shipping address — what express checkout needs to pay in one click.

A card is saved through a SetupIntent (`usage=off_session`), so a bank that wants 3-D Secure before the
card is used later gets it now: the first call answers `CardSetupPending`, and saving the same card again
after Stripe.js `handleNextAction` finds the same SetupIntent (same idempotency key) and its outcome."""
from collections.abc import Callable
from typing import TypeVar

import stripe
from django.conf import settings
from django.db import transaction
from opentelemetry.trace import SpanKind, Status, StatusCode

from apps.core.tracing import get_tracer

from ..errors import PaymentAuthenticationFailed, PaymentDeclined, PaymentGatewayUnavailable, SavedCardNotFound
from ..integrations.stripe.client import card_label
from ..interface import CardSetupPending, SavedCard
from ..models import ShippingAddress, StripeCustomer
from .breaker import BreakerOpen
from .gateway import call_stripe, idempotency_part

tracer = get_tracer("apps.payments")
T = TypeVar("T")


def _stripe(operation: Callable[[stripe.StripeClient], T], *, name: str) -> T:
    """One customer-side Stripe call: retried, breaker-guarded, errors mapped to the app's errors."""
    with tracer.start_as_current_span(f"payments.stripe.{name}", kind=SpanKind.CLIENT, record_exception=False,
                                      set_status_on_exception=False) as span:
        try:
            return call_stripe(operation, name=name, span=span)
        except BreakerOpen as exc:
            span.set_status(Status(StatusCode.ERROR, "circuit_open"))
            raise PaymentGatewayUnavailable(exc.retry_after_seconds) from exc
        except stripe.CardError as exc:
            span.set_status(Status(StatusCode.ERROR, exc.code or "card_error"))
            raise PaymentDeclined(exc.user_message or None) from exc
        except stripe.InvalidRequestError as exc:
            span.set_status(Status(StatusCode.ERROR, exc.code or "invalid_request"))
            raise SavedCardNotFound() from exc
        except stripe.StripeError as exc:
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise PaymentGatewayUnavailable(settings.PAYMENT_GATEWAY_RETRY_AFTER_SECONDS) from exc


def stripe_customer_ensure(*, user) -> StripeCustomer:
    """The user's Stripe Customer, created on first use (idempotency key per user: never two)."""
    existing = StripeCustomer.objects.filter(user=user).first()
    if existing:
        return existing
    params = {"email": user.email or None, "name": user.get_full_name() or user.get_username(),
              "metadata": {"user_id": str(user.pk)}}
    customer = _stripe(lambda client: client.v1.customers.create(
        params=params, options={"idempotency_key": f"vantage-customer-{user.pk}"}), name="customer.create")
    stripe_customer, _ = StripeCustomer.objects.get_or_create(user=user, defaults={"stripe_customer_id": customer.id})
    return stripe_customer


def _saved_card(method, default_id: str) -> SavedCard:
    card = method.card.to_dict() if method.card else {}
    return SavedCard(payment_method_id=method.id, brand=card.get("brand", ""), last4=card.get("last4", ""),
                     exp_month=int(card.get("exp_month") or 0), exp_year=int(card.get("exp_year") or 0),
                     label=card_label("card", card), is_default=method.id == default_id)


def saved_card_list(*, user) -> list[SavedCard]:
    customer = StripeCustomer.objects.filter(user=user).first()
    if customer is None:
        return []
    methods = _stripe(lambda client: client.v1.payment_methods.list(
        params={"customer": customer.stripe_customer_id, "type": "card"}), name="payment_method.list")
    return [_saved_card(method, customer.default_payment_method_id) for method in methods.data]


SETUP_IN_FLIGHT = ("requires_action", "processing")
SETUP_AUTHENTICATION_FAILURES = ("setup_intent_authentication_failure", "payment_intent_authentication_failure")


def saved_card_attach(*, user, payment_method_id: str, make_default: bool = False) -> SavedCard | CardSetupPending:
    """Save a card (a `pm_…` from Stripe.js) to the user's customer through a SetupIntent; the first card
    becomes the default. `CardSetupPending` while the bank's authentication is outstanding; raises
    PaymentAuthenticationFailed when it failed, PaymentDeclined when the card was refused."""
    customer = stripe_customer_ensure(user=user)
    key = f"vantage-setup-{customer.stripe_customer_id}-{idempotency_part(payment_method_id)}"
    params = {"customer": customer.stripe_customer_id, "payment_method": payment_method_id, "confirm": True,
              "usage": "off_session", "payment_method_types": ["card"]}
    setup = _stripe(lambda client: client.v1.setup_intents.create(params=params, options={"idempotency_key": key}),
                    name="setup_intent.create")
    if setup.status != "succeeded" and _replayed(setup):
        # saved again after the challenge: the key replays the first answer, Stripe holds the outcome
        setup = _stripe(lambda client: client.v1.setup_intents.retrieve(setup.id), name="setup_intent.retrieve")
    if setup.status in SETUP_IN_FLIGHT:
        return CardSetupPending(status=setup.status, setup_intent_id=setup.id, client_secret=setup.client_secret,
                                next_action_type=setup.next_action.type if setup.next_action else "")
    if setup.status != "succeeded":
        error = setup.last_setup_error.to_dict() if setup.last_setup_error else {}
        if error.get("code") in SETUP_AUTHENTICATION_FAILURES:
            raise PaymentAuthenticationFailed()
        raise PaymentDeclined(error.get("message") or None, extra={"decline_code": error.get("decline_code")
                                                                   or error.get("code") or "setup_failed"})
    method_id = setup.payment_method if isinstance(setup.payment_method, str) else setup.payment_method.id
    method = _stripe(lambda client: client.v1.payment_methods.retrieve(method_id), name="payment_method.retrieve")
    if make_default or not customer.default_payment_method_id:
        customer = saved_card_set_default(user=user, payment_method_id=method.id, verify=False)
    return _saved_card(method, customer.default_payment_method_id)


def _replayed(setup) -> bool:
    response = getattr(setup, "last_response", None)
    return bool(response and (response.headers or {}).get("Idempotent-Replayed") == "true")


def _owned(customer: StripeCustomer, payment_method_id: str):
    method = _stripe(lambda client: client.v1.payment_methods.retrieve(payment_method_id),
                     name="payment_method.retrieve")
    if method.customer != customer.stripe_customer_id:
        raise SavedCardNotFound()
    return method


@transaction.atomic
def saved_card_set_default(*, user, payment_method_id: str, verify: bool = True) -> StripeCustomer:
    customer = StripeCustomer.objects.select_for_update().filter(user=user).first()
    if customer is None:
        raise SavedCardNotFound()
    if verify:
        _owned(customer, payment_method_id)
    _stripe(lambda client: client.v1.customers.update(customer.stripe_customer_id, params={
        "invoice_settings": {"default_payment_method": payment_method_id}}), name="customer.update")
    customer.default_payment_method_id = payment_method_id
    customer.save(update_fields=["default_payment_method_id"])
    return customer


@transaction.atomic
def saved_card_remove(*, user, payment_method_id: str) -> None:
    customer = StripeCustomer.objects.select_for_update().filter(user=user).first()
    if customer is None:
        raise SavedCardNotFound()
    _owned(customer, payment_method_id)
    _stripe(lambda client: client.v1.payment_methods.detach(payment_method_id), name="payment_method.detach")
    if customer.default_payment_method_id == payment_method_id:
        customer.default_payment_method_id = ""
        customer.save(update_fields=["default_payment_method_id"])


@transaction.atomic
def shipping_address_set_default(*, user, line1: str, city: str, state: str, zip: str, country: str,  # noqa: A002
                                 line2: str = "") -> ShippingAddress:
    """Save the address express checkout ships to, replacing the previous default."""
    ShippingAddress.objects.select_for_update().filter(user=user, is_default=True).update(is_default=False)
    return ShippingAddress.objects.create(user=user, line1=line1, line2=line2, city=city, state=state, zip=zip,
                                          country=country.upper(), is_default=True)

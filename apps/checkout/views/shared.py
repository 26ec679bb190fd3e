"""Reads several shopper pages share, from the payments app: saved cards and express details."""
from dataclasses import asdict

from apps.payments.public import (
    PaymentGatewayUnavailable,
    SavedCard,
    default_address,
    express_checkout_details,
    saved_cards,
)


def saved_cards_for(user) -> list[SavedCard]:
    """The signed-in customer's saved cards, default first (none for guests or while Stripe is down)."""
    if not user.is_authenticated:
        return []
    try:
        cards = saved_cards(user=user)
    except PaymentGatewayUnavailable:
        return []
    return sorted(cards, key=lambda card: not card.is_default)


def express_details_for(user) -> tuple[str, dict] | None:
    """(default card's payment method id, default shipping address) when both are saved (no Stripe call)."""
    if not user.is_authenticated:
        return None
    details = express_checkout_details(user_id=user.pk)
    if details is None:
        return None
    return details.payment_method_id, asdict(details.shipping_address)


def default_address_text(user) -> str:
    address = default_address(user_id=user.pk) if user.is_authenticated else None
    if address is None:
        return ""
    parts = (address.line1, address.line2, address.city, f"{address.state} {address.zip}", address.country)
    return ", ".join(part for part in parts if part)


def default_shipping_address(user) -> dict:
    """The signed-in customer's default address as checkout form values ({} for guests)."""
    address = default_address(user_id=user.pk) if user.is_authenticated else None
    return asdict(address) if address else {}

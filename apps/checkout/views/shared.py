"""Reads several shopper pages share: saved cards and express details (payments), return links (returns)."""
from dataclasses import asdict

from apps.experiments.public import context_from_request
from apps.payments.public import (
    PaymentGatewayUnavailable,
    SavedCard,
    default_address,
    express_checkout_details,
    saved_cards,
)
from apps.returns.public import return_start_url, returns_page_enabled


def return_links(request, order_ids) -> dict[str, str]:
    """{order_id: url} of the orders this shopper can start a return for now (none while the
    `self_service_returns` flag is off for them, so no link is shown)."""
    context = context_from_request(request)
    links = {order_id: return_start_url(order_id=order_id, flag_context=context) for order_id in order_ids}
    return {order_id: url for order_id, url in links.items() if url}


def returns_section_shown(request) -> bool:
    return returns_page_enabled(flag_context=context_from_request(request))


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

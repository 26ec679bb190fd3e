"""Express checkout endpoints of the product and cart pages, JSON for express.js.

`POST /express/start` opens the 5-second window, `POST /express/<id>/complete` places the order when it
ends, `POST /express/<id>/cancel` cancels it (Cancel button or Escape). Signed-in customers only,
with a saved card and a default shipping address; the deadline and the outcome are the service's.

A saved card that needs 3-D Secure answers `{"status": "requires_action", "order_id", "client_secret",
"next_action_type"}`: the page runs the bank's challenge as the checkout page does, then posts to
`complete` again, which re-reads the intent: placed, still requires_action, or 402 (not charged).
"""
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError, ValidationFailed
from apps.core.money import format_money
from apps.payments.public import PaymentAuthenticationFailed, PaymentDeclined, PaymentGatewayUnavailable

from ..forms import CartLineForm
from ..page_flags import flag_on
from ..page_state import shopper_cart
from ..services.express import REQUIRES_ACTION, ExpressOutcome, express_cancel, express_complete, express_start
from .checkout import AUTHENTICATION_FAILED_MESSAGE, PAYMENT_RETRY_MESSAGE
from .shared import express_details_for, saved_cards_for


@dataclass(frozen=True)
class ExpressOffer:
    payment_method_id: str
    address: dict

    @property
    def address_text(self) -> str:
        a = self.address
        return ", ".join(part for part in (a.get("line1"), a.get("line2"), a.get("city"),
                                           f"{a.get('state', '')} {a.get('zip', '')}".strip()) if part)


def express_offer(request: HttpRequest) -> ExpressOffer | None:
    """The saved card and address express checkout would use, if this shopper may use it (no Stripe call:
    the button renders on every product page)."""
    if not request.user.is_authenticated:
        return None
    details = express_details_for(request.user)
    if details is None or not flag_on(request, "express_checkout", has_saved_card=True, has_default_address=True):
        return None
    return ExpressOffer(payment_method_id=details[0], address=details[1])


def _card_label(request: HttpRequest, payment_method_id: str) -> str:
    card = next((c for c in saved_cards_for(request.user) if c.payment_method_id == payment_method_id), None)
    return card.label if card else "Your saved card"


def _error(status: int, code: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": code, "message": message, **extra}, status=status)


def _outcome(outcome: ExpressOutcome) -> JsonResponse:
    body = {"status": outcome.status, "order_id": outcome.order_id or None}
    if outcome.confirmation_token:
        body["confirmation_url"] = reverse("checkout:confirmation", kwargs={"token": outcome.confirmation_token})
    if outcome.status == REQUIRES_ACTION:
        body.update(client_secret=outcome.client_secret, next_action_type=outcome.next_action_type)
    return JsonResponse(body, status=202 if outcome.status == "placing" else 200)


@require_POST
@login_required
def express_start_view(request: HttpRequest) -> JsonResponse:
    offer = express_offer(request)
    if offer is None:
        return _error(403, "EXPRESS_NOT_AVAILABLE",
                      "Express checkout needs a saved card and a default shipping address in your account.")
    cart_id, product_id, quantity = "", "", 1
    if request.POST.get("product_id"):
        form = CartLineForm(request.POST)
        if not form.is_valid():
            return _error(422, "INVALID_FORMAT", form.first_error())
        product_id, quantity = form.cleaned_data["product_id"], form.cleaned_data["quantity"]
    else:
        cart = shopper_cart(request)
        if cart is None or not cart.lines:
            return _error(404, "CART_NOT_FOUND", "Your cart is empty. Add a product first.")
        cart_id = cart.cart_id
    try:
        pending = express_start(user_id=request.user.pk, email=request.user.email,
                                payment_method_id=offer.payment_method_id,
                                card_label=_card_label(request, offer.payment_method_id),
                                shipping_address=offer.address, product_id=product_id, quantity=quantity,
                                cart_id=cart_id)
    except ValidationFailed as exc:
        return _error(422, exc.errors[0].code, exc.errors[0].message)
    except ApplicationError as exc:
        return _error(exc.status_code, exc.code, exc.message)
    return JsonResponse({
        "express_id": pending.express_id, "remaining_ms": pending.remaining_ms, "total": pending.total,
        "total_display": format_money(pending.total, pending.currency),
        "shipping_display": f"{format_money(pending.shipping, pending.currency)} ({pending.shipping_method})",
        "tax_label": "VAT included" if pending.prices_include_tax else "Tax",
        "tax_display": format_money(pending.tax, pending.currency),
        "currency": pending.currency, "card": pending.card_label, "address": offer.address_text,
        "lines": [{**line, "line_total_display": format_money(line["line_total"], pending.currency)}
                  for line in pending.lines],
        "complete_url": reverse("checkout:express-complete", kwargs={"express_id": pending.express_id}),
        "cancel_url": reverse("checkout:express-cancel", kwargs={"express_id": pending.express_id}),
    }, status=201)


def _decide(request: HttpRequest, action, express_id: str) -> JsonResponse:
    try:
        return _outcome(action(express_id=express_id, user_id=request.user.pk))
    except PaymentAuthenticationFailed as exc:
        return _error(402, exc.code, AUTHENTICATION_FAILED_MESSAGE, **exc.extra)
    except PaymentDeclined as exc:
        return _error(402, exc.code, exc.message)
    except PaymentGatewayUnavailable as exc:
        return _error(502, exc.code, PAYMENT_RETRY_MESSAGE, retry_after_seconds=exc.extra.get("retry_after_seconds"))
    except ApplicationError as exc:
        return _error(exc.status_code, exc.code, exc.message, **exc.extra)


@require_POST
@login_required
def express_complete_view(request: HttpRequest, express_id: str) -> JsonResponse:
    return _decide(request, express_complete, express_id)


@require_POST
@login_required
def express_cancel_view(request: HttpRequest, express_id: str) -> JsonResponse:
    return _decide(request, express_cancel, express_id)

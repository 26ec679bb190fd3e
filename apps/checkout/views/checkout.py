"""The single-page guest checkout and its confirmation page (two page transitions in total:
cart → checkout → confirmation).

The checkout page renders shipping, payment and review as collapsible sections. Its script talks to
the same guest checkout v2 API as every other client: each section is validated by the server when
it is recorded on the guest session (`PATCH /api/v2/checkout/guest/session/{id}`), and the order is
placed with `POST /api/v2/checkout/guest` under an `Idempotency-Key`, so a retry after a gateway
failure resumes the same order. This view only reads: it starts (or resumes) the guest session and
hands its id and bearer token to the page, with how it collects cards (`card_collection.py`: Stripe.js, or
the local test stand-in).
"""
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.accounts.public import account_signup_with_verification, verified_email
from apps.payments.public import payment_details

from ..amounts_shown import amounts_before_address, amounts_of_order, amounts_of_quote
from ..card_collection import payments_config, stripe_js_csp, stripe_js_url
from ..forms import GuestConversionForm
from ..models import Order
from ..page_flags import flag_on
from ..page_state import forget_cart, guest_session_for, owns_guest_session, shopper_cart
from ..selectors import account_exists_for_email, order_get_by_confirmation
from ..services.quote import session_quote
from ..sessions import GuestSessionStore
from .shared import default_shipping_address, return_links, saved_cards_for

STEPS = ("Cart", "Shipping", "Payment", "Review")
COUNTRIES = [("US", "United States"), ("CA", "Canada"), ("GB", "United Kingdom"), ("DE", "Germany"),
             ("FR", "France"), ("AU", "Australia")]
PAYMENT_RETRY_MESSAGE = "We're having trouble processing your payment. Please try again in a moment."
AUTHENTICATION_FAILED_MESSAGE = ("Your bank could not confirm this payment, so you have not been charged. "
                                 "Try again, or use a different card.")
AUTHENTICATION_INCOMPLETE_MESSAGE = ("Your bank's check was not finished, so you have not been charged yet. "
                                     "Select Try again to finish it, or use a different card.")


@stripe_js_csp
def checkout_page(request: HttpRequest) -> HttpResponse:
    cart = shopper_cart(request)
    if cart is None or not cart.lines:
        messages.info(request, "Your cart is empty. Add a product before checking out.")
        return redirect("checkout:cart")
    email = request.user.email if request.user.is_authenticated else ""
    session, token = guest_session_for(request, cart, email=email)
    store = GuestSessionStore()
    address = session.shipping_address or default_shipping_address(request.user)
    quote = session_quote(session=session, placed_at=timezone.now())
    amounts = amounts_of_quote(quote) if quote else amounts_before_address(cart)
    config = {
        "sessionId": session.session_id,
        "sessionToken": token,
        "cartId": cart.cart_id,
        "ttlSeconds": store.ttl_remaining(session.session_id),
        "sessionApi": reverse("guest-session", kwargs={"session_id": session.session_id}),
        "checkoutApi": reverse("guest-checkout"),
        "shippingOptionsApi": reverse("guest-shipping-options"),
        "shippingMethod": session.shipping_method,
        "eventsUrl": reverse("checkout:browser-event"),
        "confirmationUrl": reverse("checkout:confirmation", kwargs={"token": "TOKEN"}),
        "applePay": flag_on(request, "apple_pay"),
        "paymentRetryMessage": PAYMENT_RETRY_MESSAGE,
        "authenticationFailedMessage": AUTHENTICATION_FAILED_MESSAGE,
        "authenticationIncompleteMessage": AUTHENTICATION_INCOMPLETE_MESSAGE,
        "currency": cart.currency,
        "total": str(amounts.total),
        **payments_config(currency=cart.currency, amount=amounts.total),
    }
    return render(request, "checkout/checkout.html", {
        "cart": cart,
        "session": session,
        "email": session.email or email,
        "address": {"country": "US", **address},
        "saved_cards": saved_cards_for(request.user),
        "amounts": amounts,
        "steps": STEPS,
        "session_ttl_minutes": max(store.ttl // 60, 1),
        "countries": COUNTRIES,
        "progress_dots": flag_on(request, "checkout_progress_dots"),
        "checkout_config": config,
        "stripe_js_url": stripe_js_url(config),
    })


def _confirmed_order(request: HttpRequest, token: str) -> Order:
    """The order, if this visitor placed it (their guest session) or owns it (the account's verified email)."""
    order = order_get_by_confirmation(confirmation_token=token)
    if order is None:
        raise Http404("No such order")
    email = verified_email(request.user)
    signed_in_owner = bool(email) and email == order.email.lower()
    if not (owns_guest_session(request, order.session_id) or signed_in_owner
            or token in request.session.get("confirmed_orders", [])):
        raise Http404("No such order")
    return order


def confirmation_page(request: HttpRequest, token: str) -> HttpResponse:
    order = _confirmed_order(request, token)
    confirmed = request.session.get("confirmed_orders", [])
    if token not in confirmed:
        request.session["confirmed_orders"] = [*confirmed[-9:], token]
    if order.cart_id and request.session.get("shopper_cart_id") == order.cart_id:
        forget_cart(request)
    offer = not request.user.is_authenticated and not account_exists_for_email(email=order.email)
    form = GuestConversionForm(order_email=order.email) if offer else None
    if offer and request.method == "POST":
        form = GuestConversionForm(request.POST, order_email=order.email)
        if form.is_valid():
            # Typing an email at checkout proves nothing: the order (and any other with this email)
            # joins the account only once the link sent to that address is followed.
            return account_signup_with_verification(request, email=order.email,
                                                    password=form.cleaned_data["password1"],
                                                    redirect_url=reverse("checkout:account"))
    details = payment_details(order_id=order.id)
    label = order.payment_method_label or (details.payment_method_label if details else "") or "Card"
    lines = list(order.lines.all())
    return render(request, "checkout/confirmation.html", {
        "order": order, "lines": lines, "amounts": amounts_of_order(order, lines), "payment_label": label,
        "conversion_form": form, "paid": order.status != Order.Status.PENDING,
        "return_url": return_links(request, [order.id]).get(order.id),
    })

"""The account page: orders, saved cards, default address. Signing in, up and out is the accounts app's
(django-allauth at /accounts/).

Orders are a customer's when they were placed with the account's *verified* email (the address whose
emailed link the owner followed), which is also how a converted guest order joins the new account; an
account whose email is not verified yet sees none.
"""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.public import verified_email

from ..card_collection import payments_config, stripe_js_csp, stripe_js_url
from ..models import Cart
from ..selectors import order_list_for_email
from .shared import default_address_text, return_links, returns_section_shown, saved_cards_for


@login_required
@stripe_js_csp
def account_page(request: HttpRequest) -> HttpResponse:
    email = verified_email(request.user)
    orders = order_list_for_email(email=email) if email else []
    links = return_links(request, [order.id for order in orders])
    for order in orders:
        order.return_url = links.get(order.id)
    # Saving a card goes through a SetupIntent that may need 3-D Secure, like paying: same card collection.
    payments = payments_config(currency=Cart._meta.get_field("currency").default)
    return render(request, "accounts/account.html", {
        "payments_config": payments, "stripe_js_url": stripe_js_url(payments),
        "orders": orders, "email_verified": bool(email), "saved_cards": saved_cards_for(request.user),
        "default_address": default_address_text(request.user),
        "returns_shown": returns_section_shown(request),
    })

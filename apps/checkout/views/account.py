"""Sign in, sign up, sign out (Django auth) and the account page: orders, saved cards, default address.

Customers sign in with their email address (it is their username); orders are theirs when they were
placed with that email, which is also how a converted guest order joins the new account.
"""
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ..card_collection import payments_config, stripe_js_url
from ..forms import SignUpForm
from ..models import Cart
from ..selectors import order_list_for_email
from .shared import default_address_text, return_links, returns_section_shown, saved_cards_for


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def signin_page(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    form.fields["username"].label = "Email address"
    form.fields["username"].widget.attrs.update(autocomplete="email", inputmode="email")
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect(_next_url(request))
    return render(request, "accounts/signin.html", {"form": form, "next": _next_url(request)})


def signup_page(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your account is ready.")
        return redirect(_next_url(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request)})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("/")


@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    orders = list(order_list_for_email(email=request.user.email))
    links = return_links(request, [order.id for order in orders])
    for order in orders:
        order.return_url = links.get(order.id)
    # Saving a card goes through a SetupIntent that may need 3-D Secure, like paying: same card collection.
    payments = payments_config(currency=Cart._meta.get_field("currency").default)
    return render(request, "accounts/account.html", {
        "payments_config": payments, "stripe_js_url": stripe_js_url(payments),
        "orders": orders, "saved_cards": saved_cards_for(request.user),
        "default_address": default_address_text(request.user),
        "returns_shown": returns_section_shown(request),
    })

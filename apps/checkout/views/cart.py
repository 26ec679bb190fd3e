"""The cart page: add from a product page, change quantities, remove lines (plain form posts, so it
works without JavaScript). Every change goes through the cart services the REST API uses."""
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError, ValidationFailed

from ..forms import CartLineForm, CartQuantityForm
from ..page_state import remember_cart, shopper_cart
from ..services.carts import cart_create, cart_item_add, cart_item_set


def _first_error(exc: ApplicationError | ValidationFailed) -> str:
    if isinstance(exc, ValidationFailed):
        return exc.errors[0].message if exc.errors else "Check the cart and try again."
    return exc.message


def cart_page(request: HttpRequest) -> HttpResponse:
    return render(request, "checkout/cart.html", {"cart": shopper_cart(request)})


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = CartLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect(request.META.get("HTTP_REFERER") or "checkout:cart")
    product_id, quantity = form.cleaned_data["product_id"], form.cleaned_data["quantity"]
    cart = shopper_cart(request)
    try:
        if cart is None:
            remember_cart(request, cart_create(items=[(product_id, quantity)]).id)
        else:
            cart_item_add(cart_id=cart.cart_id, product_id=product_id, quantity=quantity)
    except (ApplicationError, ValidationFailed) as exc:
        messages.error(request, _first_error(exc))
        return redirect("checkout:cart")
    messages.success(request, "Added to your cart.")
    return redirect("checkout:cart")


@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    cart = shopper_cart(request)
    form = CartQuantityForm(request.POST)
    if cart is None or not form.is_valid():
        messages.error(request, form.first_error() if cart else "Your cart has expired. Add the items again.")
        return redirect("checkout:cart")
    quantity = 0 if "remove" in request.POST else form.cleaned_data["quantity"]
    try:
        cart_item_set(cart_id=cart.cart_id, product_id=form.cleaned_data["product_id"], quantity=quantity)
    except (ApplicationError, ValidationFailed) as exc:
        messages.error(request, _first_error(exc))
    return redirect("checkout:cart")

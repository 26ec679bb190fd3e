"""The cart page: add from a product page, change quantities, remove lines (plain form posts, so it
works without JavaScript). Every change goes through the cart services the REST API uses."""
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError, ValidationFailed
from apps.inventory.public import stock_on_hand

from ..forms import CartLineForm, CartQuantityForm
from ..page_state import remember_cart, shopper_cart
from ..services.carts import cart_create, cart_item_add, cart_item_set, stock_shortfall_message


def _first_error(exc: ApplicationError | ValidationFailed) -> str:
    if isinstance(exc, ValidationFailed):
        return exc.errors[0].message if exc.errors else "Check the cart and try again."
    return exc.message


def cart_page(request: HttpRequest) -> HttpResponse:
    """Each line with a warning when stock has dropped below its quantity since it was added, so the
    shopper fixes it here rather than at "Place order"."""
    cart = shopper_cart(request)
    lines = cart.lines if cart else []
    on_hand = stock_on_hand(product_ids=[line.product_id for line in lines])
    warnings = [stock_shortfall_message(name=line.name, available=on_hand[line.product_id])
                if line.quantity > on_hand[line.product_id] else "" for line in lines]
    return render(request, "checkout/cart.html", {"cart": cart, "lines": list(zip(lines, warnings, strict=True))})


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

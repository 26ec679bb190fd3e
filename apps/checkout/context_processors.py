"""Template context for every page: how many items the shopper's cart holds (header badge)."""
from django.http import HttpRequest

from .page_state import shopper_cart


def shopper_cart_count(request: HttpRequest) -> dict:
    if not hasattr(request, "session") or request.path.startswith(("/api/", "/admin/", "/merchant/")):
        return {}
    cart = shopper_cart(request)
    return {"cart_item_count": cart.item_count if cart else 0}

"""`{% express_checkout_button product_id=… %}` / `{% express_checkout_button cart_id=… %}` and
`{% express_checkout_assets %}`: the express checkout button for eligible shoppers only,
so product and cart pages in other apps show it without importing the checkout app."""
from django import template
from django.template.loader import render_to_string

from ..views.express import express_offer

register = template.Library()


@register.simple_tag(takes_context=True)
def express_checkout_button(context, product_id: str = "", cart_id: str = "") -> str:
    request = context.get("request")
    offer = express_offer(request) if request is not None else None
    if offer is None:
        return ""
    return render_to_string("checkout/_express.html", {"offer": offer, "product_id": product_id,
                                                       "cart_id": cart_id}, request=request)


@register.simple_tag(takes_context=True)
def express_checkout_assets(context) -> str:
    request = context.get("request")
    if request is None or express_offer(request) is None:
        return ""
    return render_to_string("checkout/_express_assets.html", {}, request=request)

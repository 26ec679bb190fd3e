"""`{% express_checkout_button product_id=… %}` / `{% express_checkout_button cart_id=… %}` and
`{% express_checkout_assets %}`: the express checkout button for eligible shoppers only,
so product and cart pages in other apps show it without importing the checkout app. The assets include the
payment provider script (and, in local mode, the simulated 3-D Secure challenge): a saved card may need the
bank's check before the express order is paid."""
from django import template
from django.template.loader import render_to_string

from ..card_collection import payments_config, stripe_js_url
from ..models import Cart
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
    # No amount: the page only authenticates an intent the server created; it mounts no card fields.
    payments = payments_config(currency=Cart._meta.get_field("currency").default)
    return render_to_string("checkout/_express_assets.html", {
        "payments_config": payments, "stripe_js_url": stripe_js_url(payments)}, request=request)

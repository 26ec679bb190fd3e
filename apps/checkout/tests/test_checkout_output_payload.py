"""The 201 body of a paid guest checkout is built directly (`GuestCheckoutOutputSerializer.payload`): it must
be, key for key and in order, the document the serializer (and so the OpenAPI schema) describes."""
import json

import pytest
from rest_framework.renderers import JSONRenderer

from apps.checkout.api.serializers import GuestCheckoutOutputSerializer
from apps.checkout.models import Order
from apps.checkout.services.orders import CheckoutResult

pytestmark = pytest.mark.django_db

US = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}
DE = {"line1": "Unter den Linden 1", "city": "Berlin", "zip": "10117", "country": "DE"}


@pytest.mark.parametrize("address", [US, DE], ids=["us", "de"])
def test_the_paid_checkout_body_is_the_serializers_document(client, local_stripe, make_product, make_cart, address):
    # given
    cart = make_cart([(make_product(price="19.99"), 2), (make_product(price="5.05"), 1)])
    # when
    response = client.post("/api/v2/checkout/guest", {
        "cart_id": cart.id, "email": "shape@example.com", "shipping_address": address,
        "payment_method_id": "pm_card_visa"}, content_type="application/json")
    # then
    assert response.status_code == 201, response.content
    result = CheckoutResult(order=Order.objects.get(id=response.json()["order_id"]),
                            session_id=response.json()["session_id"])
    described = GuestCheckoutOutputSerializer(result).data
    built = GuestCheckoutOutputSerializer.payload(result)
    assert list(built) == list(described)
    assert built == dict(described)
    assert json.loads(response.content) == json.loads(JSONRenderer().render(described))

"""Cart endpoints: `POST/GET /api/v1/carts`, item add/patch/delete.

Responses carry `ETag: "<version>"`; a client that sends `If-Match` with an older version gets
409 `CART_VERSION_CONFLICT` with the current cart in the body. Without `If-Match`, changes are
applied item by item, so two tabs adding different items both succeed. Asking for more than is in
stock is 422 `INSUFFICIENT_STOCK` (field `quantity`; `constraint` says how many are available).
"""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import FieldError, ValidationFailed
from apps.core.serializers import WholeBodySerializer

from ..errors import CartVersionConflict
from ..selectors import cart_view
from ..services.carts import cart_create, cart_item_add, cart_item_remove, cart_item_set
from .serializers import CartItemInputSerializer, CartOutputSerializer

# The values `expected_version` reads: `*` (any version) or a cart's ETag, `"3"` (weak `W/"3"` too).
IF_MATCH_PATTERN = r'^(?:\*|(?:W/)?"[0-9]+")$'
IF_MATCH = OpenApiParameter("If-Match", location=OpenApiParameter.HEADER, required=False,
                            type={"type": "string", "pattern": IF_MATCH_PATTERN},
                            description="The cart's ETag; a stale value is answered with 409 CART_VERSION_CONFLICT")


def expected_version(request) -> int | None:
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return None
    try:
        return int(raw.removeprefix("W/").strip('"'))
    except ValueError:
        raise ValidationFailed([FieldError("If-Match", "INVALID_FORMAT", "If-Match is not a cart version",
                                           'The ETag of a cart response, e.g. "3"')]) from None


def cart_response(cart_id: str, status: int = 200) -> Response:
    view = cart_view(cart_id=cart_id)
    headers = {"ETag": f'"{view.version}"'}
    if status == 201:
        headers["Location"] = f"/api/v1/carts/{view.cart_id}"
    return Response(CartOutputSerializer(view).data, status=status, headers=headers)


class CartApiBase(APIView):
    authentication_classes: list = []

    def change(self, request, cart_id: str, operation, **kwargs) -> Response:
        try:
            operation(cart_id=cart_id, expected_version=expected_version(request), **kwargs)
        except CartVersionConflict as conflict:
            conflict.extra = {"cart": CartOutputSerializer(cart_view(cart_id=cart_id)).data}
            raise
        return cart_response(cart_id)


class CartCreateApi(CartApiBase):
    class InputSerializer(serializers.Serializer):
        items = CartItemInputSerializer(many=True, required=False)

    @extend_schema(request=InputSerializer, responses={201: CartOutputSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [(item["product_id"], item["quantity"]) for item in data.validated_data.get("items", [])]
        return cart_response(cart_create(items=items).id, status=201)


class CartDetailApi(CartApiBase):
    @extend_schema(responses={200: CartOutputSerializer})
    def get(self, request, cart_id: str):
        return cart_response(cart_id)


class CartItemAddApi(CartApiBase):
    @extend_schema(request=CartItemInputSerializer, responses={200: CartOutputSerializer}, parameters=[IF_MATCH])
    def post(self, request, cart_id: str):
        data = CartItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.change(request, cart_id, cart_item_add, **data.validated_data)


class CartItemApi(CartApiBase):
    class CartItemQuantityInput(WholeBodySerializer):
        """The item's new quantity."""

        quantity = serializers.IntegerField(min_value=0, max_value=999, help_text="0 removes the item")

    @extend_schema(request=CartItemQuantityInput, responses={200: CartOutputSerializer}, parameters=[IF_MATCH])
    def patch(self, request, cart_id: str, product_id: str):
        data = self.CartItemQuantityInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self.change(request, cart_id, cart_item_set, product_id=product_id,
                           quantity=data.validated_data["quantity"])

    @extend_schema(request=None, responses={200: CartOutputSerializer}, parameters=[IF_MATCH])
    def delete(self, request, cart_id: str, product_id: str):
        return self.change(request, cart_id, cart_item_remove, product_id=product_id)



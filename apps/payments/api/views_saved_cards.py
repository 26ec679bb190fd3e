"""Saved cards and the default shipping address of the signed-in shopper (session auth)."""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.serializers import ExactRegexField

from ..errors import AddressNotFound
from ..interface import CardSetupPending
from ..selectors import default_shipping_address
from ..services.customers import (
    saved_card_attach,
    saved_card_list,
    saved_card_remove,
    saved_card_set_default,
    shipping_address_set_default,
)


class SavedCardSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SavedCard"

    payment_method_id = serializers.CharField()
    brand = serializers.CharField()
    last4 = serializers.CharField()
    exp_month = serializers.IntegerField()
    exp_year = serializers.IntegerField()
    label = serializers.CharField()
    is_default = serializers.BooleanField()


class SavedCardListSerializer(serializers.Serializer):
    class Meta:
        ref_name = "SavedCardList"

    payment_methods = SavedCardSerializer(many=True)


class CardSetupPendingSerializer(serializers.Serializer):
    """202: the bank wants 3-D Secure before the card is saved. Pass `setup_intent_client_secret` to Stripe.js
    `handleNextAction`, then POST the same card again: 201 when saved, 402 AUTHENTICATION_FAILED when not."""

    class Meta:
        ref_name = "CardSetupPending"

    status = serializers.ChoiceField(choices=["requires_action", "processing"])
    setup_intent_id = serializers.CharField()
    setup_intent_client_secret = serializers.CharField(source="client_secret")
    next_action_type = serializers.CharField(allow_blank=True)


class AddressSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ShippingAddress"

    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    state = serializers.CharField(max_length=100)
    zip = ExactRegexField(r"^[A-Za-z0-9][A-Za-z0-9 \-]{1,8}[A-Za-z0-9]\Z")
    country = ExactRegexField(r"^[A-Za-z]{2}\Z")


class PaymentMethodListCreateApi(APIView):
    """GET: the shopper's saved cards. POST: save a card (`pm_…` from Stripe.js) to the account through a
    SetupIntent: 201 saved, or 202 while the bank's 3-D Secure challenge is outstanding."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    error_constraints = {"payment_method_id": "a Stripe PaymentMethod id (pm_…)"}

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SavedCardAttachInput"

        payment_method_id = ExactRegexField(r"^pm_[A-Za-z0-9_]+\Z", max_length=255)
        make_default = serializers.BooleanField(default=False)

    @extend_schema(responses={200: SavedCardListSerializer})
    def get(self, request):
        cards = saved_card_list(user=request.user)
        return Response(SavedCardListSerializer({"payment_methods": cards}).data)

    @extend_schema(request=InputSerializer, responses={
        201: SavedCardSerializer,
        202: OpenApiResponse(CardSetupPendingSerializer, description="3-D Secure needed before the card is saved"),
        402: OpenApiResponse(description="PAYMENT_DECLINED; `decline_code` AUTHENTICATION_FAILED when 3-D Secure "
                                         "failed"),
        422: OpenApiResponse(description="validation errors")})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = saved_card_attach(user=request.user, **data.validated_data)
        if isinstance(result, CardSetupPending):
            return Response(CardSetupPendingSerializer(result).data, status=202)
        return Response(SavedCardSerializer(result).data, status=201)


class PaymentMethodDefaultApi(APIView):
    """Make a saved card the default (what express checkout charges)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: SavedCardListSerializer})
    def post(self, request, payment_method_id: str):
        saved_card_set_default(user=request.user, payment_method_id=payment_method_id)
        return Response(SavedCardListSerializer({"payment_methods": saved_card_list(user=request.user)}).data)


class PaymentMethodRemoveApi(APIView):
    """Remove a saved card from the account (detached from the Stripe customer)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, payment_method_id: str):
        saved_card_remove(user=request.user, payment_method_id=payment_method_id)
        return Response(status=204)


class DefaultShippingAddressApi(APIView):
    """GET/PUT the shopper's default shipping address (express checkout ships there)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    error_constraints = {"zip": "3-10 letters, digits, spaces or dashes, first and last a letter or digit",
                         "country": "ISO 3166-1 alpha-2"}

    @extend_schema(responses={200: AddressSerializer, 404: OpenApiResponse(description="no default address")})
    def get(self, request):
        address = default_shipping_address(user=request.user)
        if address is None:
            raise AddressNotFound()
        return Response(AddressSerializer(address).data)

    @extend_schema(request=AddressSerializer, responses={200: AddressSerializer})
    def put(self, request):
        data = AddressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = shipping_address_set_default(user=request.user, **data.validated_data)
        return Response(AddressSerializer(address).data)

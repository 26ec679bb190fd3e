"""Internal intents API (svc-payment-gateway in the seed): `X-Service-Auth: Bearer …` required."""
import json
from decimal import Decimal

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.money import MoneyField, from_minor_units
from apps.core.serializers import ExactRegexField
from apps.core.service_auth import HasServiceAuth

from ..interface import PAYMENT_METHOD_TYPES
from ..services.intents import idempotency_key_for, intent_confirm, intent_create

SERVICE_AUTH = OpenApiParameter("X-Service-Auth", str, OpenApiParameter.HEADER, required=True,
                                description="Bearer <internal service token>")


class ErrorSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PaymentError"

    error = serializers.CharField()
    message = serializers.CharField()
    request_id = serializers.CharField()


def _stripe_headers(request_id: str) -> dict:
    return {"X-Stripe-Request-ID": request_id} if request_id else {}


class IntentCreateApi(APIView):
    """Create a PaymentIntent (not yet confirmed) for a cart."""

    authentication_classes: list = []
    permission_classes = [HasServiceAuth]
    error_constraints = {"currency": "ISO 4217 three-letter code", "amount": "greater than 0, 2 decimal places"}

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "IntentCreateInput"

        class MetadataSerializer(serializers.Serializer):
            class Meta:
                ref_name = "IntentMetadata"

            cart_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
            checkout_type = serializers.ChoiceField(choices=["guest", "registered", "express"], default="guest")
            session_id = serializers.CharField(max_length=128, required=False, allow_blank=True)
            confirmation_token = serializers.CharField(max_length=64, required=False, allow_blank=True)
            order_id = serializers.CharField(max_length=64, required=False, allow_blank=True)

        amount = MoneyField(min_value=Decimal("0.01"))
        currency = ExactRegexField(r"^[A-Za-z]{3}\Z")
        payment_method_id = serializers.CharField(max_length=255, required=False, allow_blank=True)
        payment_method_types = serializers.ListField(
            child=serializers.ChoiceField(choices=PAYMENT_METHOD_TYPES), required=False, default=["card"])
        metadata = MetadataSerializer(required=False, default=dict)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "IntentCreateOutput"

        intent_id = serializers.CharField()
        status = serializers.CharField()
        client_secret = serializers.CharField()
        amount = MoneyField()
        currency = serializers.CharField()
        payment_method_types = serializers.ListField(child=serializers.CharField())

    @extend_schema(request=InputSerializer, parameters=[SERVICE_AUTH],
                   responses={200: OutputSerializer, 401: ErrorSerializer, 402: ErrorSerializer,
                              422: OpenApiResponse(description="validation errors"), 502: ErrorSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        client_key = request.headers.get("Idempotency-Key") or request.headers.get("X-Request-ID") or ""
        outcome = intent_create(
            amount=values["amount"], currency=values["currency"],
            payment_method_id=values.get("payment_method_id", ""),
            metadata={k: v for k, v in values["metadata"].items() if v},
            payment_method_types=values["payment_method_types"],
            idempotency_key=idempotency_key_for(operation="create", client_key=client_key,
                                                body=json.dumps(request.data, sort_keys=True, default=str)),
        )
        intent = outcome.intent
        body = self.OutputSerializer({
            "intent_id": intent.id, "status": intent.status, "client_secret": intent.client_secret,
            "amount": values["amount"], "currency": intent.currency.upper(),
            "payment_method_types": list(intent.payment_method_types),
        }).data
        return Response(body, headers=_stripe_headers(outcome.stripe_request_id))


class IntentConfirmApi(APIView):
    """Confirm a PaymentIntent; answers the charge."""

    authentication_classes: list = []
    permission_classes = [HasServiceAuth]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "IntentConfirmInput"

        intent_id = ExactRegexField(r"^pi_[A-Za-z0-9_]+\Z", max_length=255)
        return_url = serializers.URLField(required=False, allow_blank=True)
        payment_method_id = serializers.CharField(max_length=255, required=False, allow_blank=True)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "IntentConfirmOutput"

        intent_id = serializers.CharField()
        status = serializers.CharField()
        amount_received = MoneyField()
        currency = serializers.CharField()
        charge_id = serializers.CharField(allow_blank=True)

    error_constraints = {"intent_id": "a Stripe PaymentIntent id (pi_…)"}

    @extend_schema(request=InputSerializer, parameters=[SERVICE_AUTH],
                   responses={200: OutputSerializer, 401: ErrorSerializer, 402: ErrorSerializer,
                              404: ErrorSerializer, 422: OpenApiResponse(description="validation errors"),
                              502: ErrorSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        outcome = intent_confirm(intent_id=values["intent_id"], return_url=values.get("return_url", ""),
                                 payment_method_id=values.get("payment_method_id", ""))
        intent = outcome.intent
        charge = intent.latest_charge
        body = self.OutputSerializer({
            "intent_id": intent.id, "status": intent.status,
            "amount_received": from_minor_units(intent.amount_received or 0), "currency": intent.currency.upper(),
            "charge_id": (charge if isinstance(charge, str) else charge.id) if charge else "",
        }).data
        return Response(body, headers=_stripe_headers(outcome.stripe_request_id))

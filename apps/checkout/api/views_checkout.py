"""Guest checkout v2 endpoints: `POST /api/v2/checkout/guest` and the guest session resource.

The checkout POST is rate limited (10/min per IP), idempotent (`Idempotency-Key` replays the first
response) and bounded to 8 KB by the core layer. Session reads need the session's own bearer
token; a missing or expired session is 404 `SESSION_EXPIRED` (checked first, as in the seed).
"""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import IdempotencyMixin
from apps.core.ratelimit import RateLimit, RateLimitMixin

from ..addresses import ADDRESS_CONSTRAINT, COUNTRY_CONSTRAINT, US_STATE_CONSTRAINT, US_ZIP_CONSTRAINT
from ..errors import SessionExpired, SessionTokenInvalid
from ..metrics import CHECKOUT_ERRORS, CHECKOUT_REQUESTS, FLOW
from ..services.orders import GuestCheckoutInput, guest_checkout_complete
from ..services.sessions import guest_session_record, guest_session_start
from ..sessions import GuestSession, GuestSessionStore, iso_utc
from .renderers import MoneyJSONRenderer
from .serializers import (
    GuestCheckoutInputSerializer,
    GuestCheckoutOutputSerializer,
    GuestSessionCreatedSerializer,
    GuestSessionCreateInputSerializer,
    GuestSessionOutputSerializer,
    GuestSessionUpdateInputSerializer,
)

SESSION_TOKEN_HEADER = "X-Guest-Session-Token"
CONSTRAINTS = {
    "cart_id": "Cart id from POST /api/v1/carts (cart_…)",
    "email": "RFC 5322 compliant email required",
    "shipping_address": ADDRESS_CONSTRAINT,
    "shipping_address.line1": "Street address, 1 to 200 characters",
    "shipping_address.city": "City name, 1 to 100 characters",
    "shipping_address.state": US_STATE_CONSTRAINT,
    "shipping_address.zip": US_ZIP_CONSTRAINT,
    "shipping_address.country": COUNTRY_CONSTRAINT,
    "payment_method_id": "A payment method id (pm_…)",
}


def session_payload(session: GuestSession, ttl_remaining: int) -> dict:
    return {
        "session_id": session.session_id,
        "cart_id": session.cart_id,
        "email": session.email,
        "ttl_remaining_seconds": ttl_remaining,
        "created_at": iso_utc(session.created_at),
        "last_activity": iso_utc(session.last_activity),
        "status": "active",
        "shipping_address_complete": bool(session.shipping_address),
        "payment_method_attached": bool(session.payment_method_id),
        "last_step": session.last_step,
        "order_id": session.order_id or None,
    }


class GuestCheckoutApi(RateLimitMixin, IdempotencyMixin, APIView):
    authentication_classes: list = []
    renderer_classes = [MoneyJSONRenderer]
    rate_limit = RateLimit(scope="guest_checkout", limit=10)
    idempotency_scope = "guest_checkout"
    error_constraints = CONSTRAINTS

    @extend_schema(request=GuestCheckoutInputSerializer, responses={201: GuestCheckoutOutputSerializer}, parameters=[
        OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)])
    def post(self, request):
        data = GuestCheckoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = guest_checkout_complete(data=GuestCheckoutInput(**data.validated_data))
        headers = {SESSION_TOKEN_HEADER: result.session_token} if result.session_token else {}
        return Response(GuestCheckoutOutputSerializer(result).data, status=201, headers=headers)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code >= 500:  # ours or the gateway's; a shopper's bad input is not an error rate
            error_code = response.data.get("error", "INTERNAL_ERROR") if isinstance(response.data, dict) else "ERROR"
            CHECKOUT_ERRORS.labels(flow=FLOW, error_code=error_code).inc()
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Every answered POST (errors included, idempotent replays not) is the error ratio's denominator.
        if request.method == "POST":
            CHECKOUT_REQUESTS.labels(flow=FLOW).inc()
        return super().finalize_response(request, response, *args, **kwargs)


class GuestSessionCreateApi(RateLimitMixin, APIView):
    authentication_classes: list = []
    renderer_classes = [MoneyJSONRenderer]
    rate_limit = RateLimit(scope="guest_session", limit=30)
    error_constraints = CONSTRAINTS

    @extend_schema(request=GuestSessionCreateInputSerializer, responses={201: GuestSessionCreatedSerializer})
    def post(self, request):
        data = GuestSessionCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session, token = guest_session_start(**data.validated_data)
        body = {**session_payload(session, GuestSessionStore().ttl), "session_token": token}
        return Response(body, status=201)


class GuestSessionDetailApi(RateLimitMixin, APIView):
    authentication_classes: list = []
    renderer_classes = [MoneyJSONRenderer]
    rate_limit = RateLimit(scope="guest_session", limit=30)
    error_constraints = CONSTRAINTS

    def authorized_session(self, request, session_id: str) -> GuestSession:
        session = GuestSessionStore().get(session_id)
        if session is None:
            raise SessionExpired()
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not session.token_matches(token.strip()):
            raise SessionTokenInvalid(headers={"WWW-Authenticate": 'Bearer realm="guest-session"'})
        return session

    @extend_schema(responses={200: GuestSessionOutputSerializer})
    def get(self, request, session_id: str):
        session = self.authorized_session(request, session_id)
        return Response(session_payload(session, GuestSessionStore().ttl_remaining(session_id)))

    @extend_schema(request=GuestSessionUpdateInputSerializer, responses={200: GuestSessionOutputSerializer})
    def patch(self, request, session_id: str):
        self.authorized_session(request, session_id)
        data = GuestSessionUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = guest_session_record(session_id=session_id, **data.validated_data)
        return Response(session_payload(session, GuestSessionStore().ttl_remaining(session_id)))

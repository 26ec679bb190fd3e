"""Guest checkout v2 endpoints: `POST /api/v2/checkout/guest` and the guest session resource.

The checkout POST is rate limited (10/min per IP), idempotent (`Idempotency-Key` replays the first
response) and bounded to 8 KB by the core layer. Session reads need the session's own bearer
token; a missing or expired session is 404 `SESSION_EXPIRED` (checked first, as in the seed).
The checkout answers 201 when paid and 202 while the payment waits for 3-D Secure (or Stripe is still
processing it); see `GuestCheckoutPendingSerializer`.
"""
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import IDEMPOTENCY_KEY_HEADER, IdempotencyMixin
from apps.core.ratelimit import RateLimit, RateLimitMixin

from ..addresses import ADDRESS_CONSTRAINT, COUNTRY_CONSTRAINT, US_STATE_CONSTRAINT, US_ZIP_CONSTRAINT
from ..errors import SessionExpired
from ..metrics import CHECKOUT_ERRORS, CHECKOUT_REQUESTS, FLOW
from ..services.orders import GuestCheckoutInput, guest_checkout_complete
from ..services.proof import session_token_check
from ..services.quote import session_quote, session_shipping_method
from ..services.sessions import guest_session_record, guest_session_start
from ..sessions import GuestSession, GuestSessionStore
from .serializers import (
    GuestCheckoutInputSerializer,
    GuestCheckoutOutputSerializer,
    GuestCheckoutPendingSerializer,
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
    "shipping_method": "A method code from GET /api/v2/checkout/guest/shipping-options for this address",
}


def bearer_token(request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def session_response(session: GuestSession, ttl_remaining_seconds: int | None = None) -> Response:
    if ttl_remaining_seconds is None:
        ttl_remaining_seconds = GuestSessionStore().ttl_remaining(session.session_id)
    quote = session_quote(session=session, placed_at=timezone.now())
    return Response(GuestSessionOutputSerializer.payload(session, ttl_remaining_seconds=ttl_remaining_seconds,
                                                         quote=quote))


# The session's own bearer token (`guestSessionToken` in SPECTACULAR_SETTINGS): required on the session's
# endpoints, and on a checkout that names a session_id.
GUEST_SESSION_AUTH = [{"guestSessionToken": []}]


class GuestCheckoutApi(RateLimitMixin, IdempotencyMixin, APIView):
    authentication_classes: list = []
    rate_limit = RateLimit(scope="guest_checkout", limit=10)
    idempotency_scope = "guest_checkout"
    error_constraints = CONSTRAINTS

    @extend_schema(request=GuestCheckoutInputSerializer, responses={
        201: GuestCheckoutOutputSerializer,
        202: OpenApiResponse(GuestCheckoutPendingSerializer, description=(
            "The card needs authentication (3-D Secure) or the payment is still processing: the order stays "
            "pending with its stock reserved. After Stripe.js handleNextAction, send the same request again "
            "with a new Idempotency-Key: 201 when paid, 202 while still pending, 402 PAYMENT_DECLINED with "
            "decline_code AUTHENTICATION_FAILED when authentication failed.")),
        401: OpenApiResponse(description="SESSION_TOKEN_INVALID: `session_id` was sent without that session's token "
                                         "as 'Authorization: Bearer <token>'; the session is left untouched"),
        402: OpenApiResponse(description="PAYMENT_DECLINED; `decline_code` says why (e.g. AUTHENTICATION_FAILED)"),
        409: OpenApiResponse(description="CART_ALREADY_CHECKED_OUT: the cart's order belongs to another client "
                                         "(resend with the Idempotency-Key that placed it, or the order's session "
                                         "token, to see it again); CHECKOUT_IN_PROGRESS"),
    }, parameters=[IDEMPOTENCY_KEY_HEADER], auth=[{}, *GUEST_SESSION_AUTH])
    def post(self, request):
        data = GuestCheckoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = guest_checkout_complete(data=GuestCheckoutInput(
            **data.validated_data, session_token=bearer_token(request),
            idempotency_key=request.headers.get("Idempotency-Key", "")))
        headers = {SESSION_TOKEN_HEADER: result.session_token} if result.session_token else {}
        if result.payment_pending:
            return Response(GuestCheckoutPendingSerializer(result).data, status=202, headers=headers)
        return Response(GuestCheckoutOutputSerializer.payload(result), status=201, headers=headers)

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
    rate_limit = RateLimit(scope="guest_session", limit=30)
    error_constraints = CONSTRAINTS

    @extend_schema(request=GuestSessionCreateInputSerializer, responses={201: GuestSessionCreatedSerializer})
    def post(self, request):
        data = GuestSessionCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session, token = guest_session_start(**data.validated_data)
        context = {"ttl_remaining_seconds": GuestSessionStore().ttl, "session_token": token}
        return Response(GuestSessionCreatedSerializer(session, context=context).data, status=201)


class GuestSessionDetailApi(RateLimitMixin, APIView):
    authentication_classes: list = []
    rate_limit = RateLimit(scope="guest_session", limit=30)
    error_constraints = CONSTRAINTS

    def rate_limit_reads(self, request, batch, **kwargs) -> None:
        if request.method == "GET":  # the session comes with the rate limit's round trip
            GuestSessionStore.queue_read(batch, kwargs["session_id"])

    def authorized_session(self, request, session_id: str) -> GuestSession:
        session = GuestSessionStore().get(session_id)
        return self.authorized(request, session)

    def authorized(self, request, session: GuestSession | None) -> GuestSession:
        if session is None:
            raise SessionExpired()
        session_token_check(session=session, token=bearer_token(request))
        return session

    @extend_schema(responses={200: GuestSessionOutputSerializer}, auth=GUEST_SESSION_AUTH)
    def get(self, request, session_id: str):
        if len(self.rate_limit_replies) == 2:
            session, ttl = GuestSessionStore.from_read(session_id, *self.rate_limit_replies)
            return session_response(self.authorized(request, session), ttl)
        session = self.authorized_session(request, session_id)
        return session_response(session)

    @extend_schema(request=GuestSessionUpdateInputSerializer, responses={200: GuestSessionOutputSerializer},
                   auth=GUEST_SESSION_AUTH)
    def patch(self, request, session_id: str):
        session = self.authorized_session(request, session_id)
        data = GuestSessionUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes["shipping_method"] = session_shipping_method(
            session=session, shipping_address=changes.get("shipping_address"),
            shipping_method=changes.get("shipping_method"), placed_at=timezone.now())
        session = guest_session_record(session_id=session_id, **changes)
        return session_response(session)

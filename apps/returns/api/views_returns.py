"""The returns API: start, read, list and cancel returns (shoppers); move them along (services).

Shoppers are identified by their session (signed in) or, as guests, by the order's email and
confirmation token. The `self_service_returns` flag gates everything a shopper does (404
`FEATURE_DISABLED` when off) except for test orders, which the deploy smoke test uses before the
flag is on. Every POST /api/v1/returns outcome is counted for the initiation success rate.
"""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.public import verified_email
from apps.checkout.public import order_get
from apps.core.idempotency import IdempotencyMixin
from apps.core.ratelimit import RateLimit, RateLimitMixin
from apps.core.service_auth import HasServiceAuth
from apps.returns.errors import FeatureDisabled, ReturnNotFound
from apps.returns.flags import flag_context, returns_enabled, returns_enabled_for_order
from apps.returns.metrics import initiation_record
from apps.returns.models import ActorType, Return, ReturnStatus
from apps.returns.selectors import return_get, return_is_test, returns_for_order, returns_for_user
from apps.returns.services.access import Requester, order_for_requester, return_for_requester
from apps.returns.services.eligibility import RequestedItem
from apps.returns.services.lifecycle import Actor
from apps.returns.services.returns import return_cancel, return_mark_in_transit, return_receive, return_request

from .examples import CREATE_EXAMPLES
from .serializers import (
    GuestIdentitySerializer,
    ReturnCreateInputSerializer,
    ReturnListOutputSerializer,
    ReturnOutputSerializer,
    ReturnStatusInputSerializer,
)

ERROR_RESPONSES = {
    404: OpenApiResponse(description="FEATURE_DISABLED, ORDER_NOT_FOUND or RETURN_NOT_FOUND (error envelope)"),
    422: OpenApiResponse(description="Validation errors: `{errors: [{field, code, message, constraint}]}`"),
    429: OpenApiResponse(description="RATE_LIMITED"),
}
GUEST_PARAMETERS = [
    OpenApiParameter("email", OpenApiTypes.EMAIL, description="Checkout email (guests: send it with "
                                                            "confirmation_token; signed-in shoppers: neither)"),
    OpenApiParameter("confirmation_token", str, description="Order confirmation token `cnf_…` (guests)"),
]


def requester_from(request, data: dict) -> Requester:
    user = request.user
    return Requester(
        user_id=user.pk if user.is_authenticated else None,
        user_email=verified_email(user),
        guest_email=data.get("email", "") or "", guest_token=data.get("confirmation_token", "") or "",
    )


def flag_guard(request, *, is_test_order: bool) -> None:
    if not returns_enabled_for_order(flag_context(request), is_test_order=is_test_order):
        raise FeatureDisabled()


def flag_guard_for_order(request, order_id) -> bool:
    """Checked before anything else, so a disabled feature reveals nothing; returns `is_test`."""
    order_key = str(order_id)[:64] if order_id else ""
    # unvalidated input: a NUL can name no order and PostgreSQL refuses it in a query (a 500 before)
    order = order_get(order_id=order_key) if order_key and "\x00" not in order_key else None
    is_test = bool(order and order.is_test)
    flag_guard(request, is_test_order=is_test)
    return is_test


def _guest_query(request) -> dict:
    serializer = GuestIdentitySerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ReturnCollectionApi(IdempotencyMixin, RateLimitMixin, APIView):
    """POST starts a return for (part of) what an order shipped; GET lists a signed-in
    customer's returns, or a guest's returns of one order. POST honours `Idempotency-Key`."""

    authentication_classes = [SessionAuthentication]
    rate_limit = RateLimit(scope="returns", limit=30)
    error_constraints = {"email": "RFC 5322 compliant email required", "items": "at least one item"}

    def dispatch(self, request, *args, **kwargs):
        # Session shoppers send no Authorization header, so the core's per-credential key scope
        # would be shared by all of them: scope keys to the signed-in user (guests prove the
        # order in the body, which the fingerprint covers).
        user = getattr(request, "user", None)
        self.idempotency_scope = f"returns_create:user:{user.pk}" if user and user.is_authenticated else \
            "returns_create:guest"
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(request=ReturnCreateInputSerializer, responses={201: ReturnOutputSerializer, **ERROR_RESPONSES},
                   summary="Start a return", operation_id="returns_create", tags=["returns"],
                   examples=CREATE_EXAMPLES)
    def post(self, request):
        self._is_test = flag_guard_for_order(request, request.data.get("order_id") if isinstance(
            request.data, dict) else None)
        serializer = ReturnCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        requester = requester_from(request, data)
        order = order_for_requester(order_id=data["order_id"], requester=requester)
        items = [RequestedItem(order_line_id=i["order_line_id"], quantity=i["quantity"], reason=i["reason"],
                               note=i.get("note", "")) for i in data["items"]] if "items" in data else None
        ret = return_request(order=order, items=items, reason=data["reason"], actor=requester.actor(),
                             user_id=None if requester.is_guest else requester.user_id)
        return _return_response(request, ret.pk, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("order_id", str, description="Required for guests"),
                               *GUEST_PARAMETERS],
                   responses={200: ReturnListOutputSerializer, **ERROR_RESPONSES}, summary="List returns",
                   operation_id="returns_list", tags=["returns"])
    def get(self, request):
        identity = _guest_query(request)
        requester = requester_from(request, identity)
        order_id = request.query_params.get("order_id", "")
        if order_id or requester.is_guest or not request.user.is_authenticated:
            flag_guard_for_order(request, order_id)
            order = order_for_requester(order_id=order_id, requester=requester)
            returns = returns_for_order(order_id=order.order_id)
        else:
            if not returns_enabled(flag_context(request)):
                raise FeatureDisabled()
            returns = returns_for_user(user_id=request.user.pk, email=verified_email(request.user))
        return Response(ReturnListOutputSerializer({"results": returns}, context={"request": request}).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "POST":
            initiation_record(response.status_code, is_test=getattr(self, "_is_test", False))
        return response


def _return_response(request, return_id: str, status: int = status.HTTP_200_OK) -> Response:
    """The return as it is now (items and history fresh from the database)."""
    return Response(ReturnOutputSerializer(return_get(return_id=return_id), context={"request": request}).data,
                    status=status)


def _shopper_return(request, return_id: str, identity: dict) -> Return:
    flag_guard(request, is_test_order=return_is_test(return_id=return_id))
    return return_for_requester(return_id=return_id, requester=requester_from(request, identity))


class ReturnDetailApi(RateLimitMixin, APIView):
    """One return with its label link, items, refund and history."""

    authentication_classes = [SessionAuthentication]
    rate_limit = RateLimit(scope="returns_read", limit=60)

    @extend_schema(parameters=GUEST_PARAMETERS, responses={200: ReturnOutputSerializer, **ERROR_RESPONSES},
                   summary="Get a return", tags=["returns"])
    def get(self, request, return_id: str):
        ret = _shopper_return(request, return_id, _guest_query(request))
        return _return_response(request, ret.pk)


class ReturnCancelApi(RateLimitMixin, APIView):
    """Cancel a return whose package has not been sent yet (its label is voided)."""

    authentication_classes = [SessionAuthentication]
    rate_limit = RateLimit(scope="returns_create", limit=30)

    @extend_schema(request=GuestIdentitySerializer,
                   responses={200: ReturnOutputSerializer, 409: OpenApiResponse(
                       description="RETURN_NOT_CANCELLABLE"), **ERROR_RESPONSES},
                   summary="Cancel a return", tags=["returns"])
    def post(self, request, return_id: str):
        serializer = GuestIdentitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ret = _shopper_return(request, return_id, serializer.validated_data)
        return_cancel(return_id=ret.id, actor=requester_from(request, serializer.validated_data).actor())
        return _return_response(request, ret.pk)


class ReturnStatusUpdateApi(APIView):
    """Internal (X-Service-Auth): carrier and warehouse integrations report a return in transit or
    received; `received` refunds the items through the payments service."""

    authentication_classes: list = []
    permission_classes = [HasServiceAuth]

    @extend_schema(request=ReturnStatusInputSerializer,
                   responses={200: ReturnOutputSerializer, 401: OpenApiResponse(description="UNAUTHORIZED"),
                              409: OpenApiResponse(description="INVALID_TRANSITION"), **ERROR_RESPONSES},
                   summary="Report a return in transit or received (internal)", tags=["returns"])
    def post(self, request, return_id: str):
        serializer = ReturnStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if return_get(return_id=return_id) is None:
            raise ReturnNotFound()
        actor = Actor(ActorType.SERVICE, "internal")
        note = serializer.validated_data["note"]
        if serializer.validated_data["status"] == ReturnStatus.IN_TRANSIT:
            return_mark_in_transit(return_id=return_id, actor=actor, **({"note": note} if note else {}))
        else:
            return_receive(return_id=return_id, actor=actor, **({"note": note} if note else {}),
                           damaged_order_line_ids=serializer.validated_data["damaged_order_line_ids"])
        return _return_response(request, return_id)

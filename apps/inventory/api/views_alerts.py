"""Alerts list (the seed's `GET /api/v1/inventory/alerts?status=active&sort=stockout_eta`) and the
merchant's webhook endpoint, test send and delivery log."""
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ApplicationError, NotFound
from apps.core.merchant_access import IsMerchantOrOps, merchant_scope

from ..selectors import alert_list, webhook_delivery_list, webhook_endpoint_get
from ..services.webhooks import webhook_endpoint_save, webhook_test_send
from . import serializers as s


class AlertListApi(APIView):
    """Low-stock alerts of the caller's products, filtered by status/urgency/category, paginated."""

    permission_classes = [IsMerchantOrOps]

    @extend_schema(parameters=[s.AlertListQuery], responses={200: s.AlertListOutput}, operation_id="alert_list")
    def get(self, request):
        query = s.AlertListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        alerts = alert_list(merchant_id=merchant_scope(request),
                            status=None if params["status"] == "all" else params["status"],
                            urgency=params.get("urgency"), category_slug=params.get("category"),
                            product_id=params.get("product_id"), sort=params["sort"])
        page, per_page = params["page"], params["per_page"]
        rows = alerts[(page - 1) * per_page: page * per_page]
        return Response(s.AlertListOutput({"alerts": rows, "total": alerts.count(), "page": page,
                                           "per_page": per_page}).data)


def _merchant_only(request) -> int:
    merchant_id = merchant_scope(request)
    if merchant_id is None:
        raise ApplicationError("Webhook endpoints belong to a merchant: call this with a merchant token "
                               "(ops manage endpoints in /admin/).", code="MERCHANT_TOKEN_REQUIRED", status_code=403)
    return merchant_id


class WebhookEndpointApi(APIView):
    """GET or PUT the merchant's webhook endpoint. The secret is write-only: never returned."""

    permission_classes = [IsMerchantOrOps]
    error_constraints = {"url": "public https URL"}

    @extend_schema(responses={200: s.WebhookEndpointOutput}, operation_id="webhook_endpoint_get")
    def get(self, request):
        endpoint = webhook_endpoint_get(merchant_id=_merchant_only(request))
        if endpoint is None:
            raise NotFound("No webhook endpoint yet. Create one with PUT {url, secret}.")
        return Response(s.WebhookEndpointOutput(endpoint).data)

    @extend_schema(request=s.WebhookEndpointInput, responses={200: s.WebhookEndpointOutput},
                   operation_id="webhook_endpoint_set")
    def put(self, request):
        merchant_id = _merchant_only(request)
        data = s.WebhookEndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_save(merchant_id=merchant_id, url=data.validated_data["url"],
                                         secret=data.validated_data.get("secret"), fields=("url", "secret"))
        return Response(s.WebhookEndpointOutput(endpoint).data)


class WebhookTestApi(APIView):
    """Send a signed sample alert to the merchant's endpoint now."""

    permission_classes = [IsMerchantOrOps]

    @extend_schema(request=None, responses={202: s.WebhookDeliveryOutput}, operation_id="webhook_test_send")
    def post(self, request):
        endpoint = webhook_endpoint_get(merchant_id=_merchant_only(request), active_only=True)
        if endpoint is None:
            raise NotFound("No active webhook endpoint. Create one with PUT /api/v1/inventory/webhook-endpoint.")
        delivery = webhook_test_send(endpoint=endpoint)
        return Response(s.WebhookDeliveryOutput(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveryListApi(APIView):
    """The merchant's last 100 webhook deliveries with every attempt (status code, latency, error)."""

    permission_classes = [IsMerchantOrOps]

    @extend_schema(responses={200: s.WebhookDeliveryListOutput}, operation_id="webhook_delivery_list")
    def get(self, request):
        deliveries = webhook_delivery_list(merchant_id=merchant_scope(request))[:100]
        return Response(s.WebhookDeliveryListOutput({"deliveries": deliveries}).data)

"""Threshold endpoints: create/list/detail/change/delete one product's threshold, and bulk by category."""
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.merchant_access import IsMerchantOrOps, merchant_scope

from ..selectors import avg_daily_sales_of, threshold_get, threshold_list
from ..services.thresholds import (
    ThresholdSpecInput,
    threshold_create,
    threshold_delete,
    threshold_update,
    thresholds_bulk_apply,
)
from . import serializers as s

SPEC_FIELDS = ("threshold_type", "threshold_value", "threshold_percentage", "reorder_lead_days", "alert_channels")
CONSTRAINTS = {
    "threshold_percentage": "integer between 1 and 1000",
    "reorder_lead_days": "integer between 1 and 365",
    "threshold_value": "integer >= 0",
    "alert_channels": "non-empty list of kafka, pagerduty, email_digest, webhook",
    "threshold_type": "absolute or relative",
    "webhook_url": "https URL",
}


def _spec(data: dict) -> ThresholdSpecInput:
    return ThresholdSpecInput(**{field: data.get(field) for field in SPEC_FIELDS})


def _with_avg(threshold):
    threshold.avg_daily_sales = avg_daily_sales_of(product_ids=[threshold.product_id]).get(threshold.product_id, 0)
    return threshold


class ThresholdCollectionApi(APIView):
    """POST creates a product's threshold (the seed's 201); GET lists the caller's thresholds."""

    permission_classes = [IsMerchantOrOps]
    error_constraints = CONSTRAINTS

    @extend_schema(request=s.ThresholdCreateInput, responses={201: s.ThresholdOutput}, operation_id="threshold_create")
    def post(self, request):
        data = s.ThresholdCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        threshold = threshold_create(product_id=body["product_id"], merchant_scope=merchant_scope(request),
                                     spec=_spec(body), sku=body.get("sku"), webhook_url=body.get("webhook_url"),
                                     webhook_secret=body.get("webhook_secret"))
        return Response(s.ThresholdOutput(_with_avg(threshold)).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[s.ThresholdListQuery], responses={200: s.ThresholdListOutput},
                   operation_id="threshold_list")
    def get(self, request):
        query = s.ThresholdListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        thresholds = threshold_list(merchant_id=merchant_scope(request), product_id=params.get("product_id"),
                                    category_slug=params.get("category"))
        page, per_page = params["page"], params["per_page"]
        rows = list(thresholds[(page - 1) * per_page: page * per_page])
        averages = avg_daily_sales_of(product_ids=[t.product_id for t in rows])
        for threshold in rows:
            threshold.avg_daily_sales = averages.get(threshold.product_id, 0)
        return Response(s.ThresholdListOutput({"thresholds": rows, "total": thresholds.count(), "page": page,
                                               "per_page": per_page}).data)


class ThresholdDetailApi(APIView):
    """GET, PATCH or DELETE one threshold (`thr_…`); another merchant's is a 404."""

    permission_classes = [IsMerchantOrOps]
    error_constraints = CONSTRAINTS

    @extend_schema(responses={200: s.ThresholdDetailOutput}, operation_id="threshold_get",
                   parameters=[OpenApiParameter("threshold_id", str, OpenApiParameter.PATH)])
    def get(self, request, threshold_id: str):
        threshold = threshold_get(threshold_id=threshold_id, merchant_id=merchant_scope(request))
        return Response(s.ThresholdDetailOutput(_with_avg(threshold)).data)

    @extend_schema(request=s.ThresholdUpdateInput, responses={200: s.ThresholdOutput}, operation_id="threshold_update",
                   parameters=[OpenApiParameter("threshold_id", str, OpenApiParameter.PATH)])
    def patch(self, request, threshold_id: str):
        data = s.ThresholdUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        with transaction.atomic():
            threshold = threshold_get(threshold_id=threshold_id, merchant_id=merchant_scope(request))
            changes = {key: value for key, value in body.items() if key in SPEC_FIELDS}
            threshold = threshold_update(threshold=threshold, changes=changes, webhook_url=body.get("webhook_url"),
                                         webhook_secret=body.get("webhook_secret"))
        return Response(s.ThresholdOutput(_with_avg(threshold)).data)

    @extend_schema(responses={204: None}, operation_id="threshold_delete",
                   parameters=[OpenApiParameter("threshold_id", str, OpenApiParameter.PATH)])
    def delete(self, request, threshold_id: str):
        threshold_delete(threshold=threshold_get(threshold_id=threshold_id, merchant_id=merchant_scope(request)))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ThresholdBulkApi(APIView):
    """Apply one threshold to a whole category (the seed's 200 with applied/skipped)."""

    permission_classes = [IsMerchantOrOps]
    error_constraints = CONSTRAINTS

    @extend_schema(request=s.BulkInput, responses={200: s.BulkOutput}, operation_id="threshold_bulk_apply")
    def post(self, request):
        data = s.BulkInput(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        spec = _spec(body)
        result = thresholds_bulk_apply(category_slug=body["category"], merchant_scope=merchant_scope(request),
                                       spec=spec, override_existing=body["override_existing"])
        response = {"applied": result.applied, "skipped": result.skipped,
                    "skipped_reason": "existing_custom_threshold" if result.skipped else None,
                    "category": body["category"], "threshold_type": spec.threshold_type}
        if spec.threshold_type == "absolute":
            response["threshold_value"] = spec.threshold_value
        else:
            response.update(threshold_percentage=spec.threshold_percentage, reorder_lead_days=spec.reorder_lead_days)
        return Response(s.BulkOutput(response).data)

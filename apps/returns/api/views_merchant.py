"""Merchant API: the returns of a merchant's own products (Bearer merchant token, or ops staff).

Each return lists only the items of the caller's products; test-order returns are left out.
"""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.merchant_access import IsMerchantOrOps, merchant_scope

from ..models import ReturnStatus
from ..selectors import returns_for_merchant
from .serializers import ReturnItemOutputSerializer


class MerchantReturnListApi(APIView):
    permission_classes = [IsMerchantOrOps]

    class QuerySerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ReturnStatus.choices, required=False, allow_null=True,
                                         default=None)

    class OutputSerializer(serializers.Serializer):
        class ReturnSerializer(serializers.Serializer):
            return_id = serializers.CharField(source="ret.id")
            order_id = serializers.CharField(source="ret.order_id")
            status = serializers.ChoiceField(choices=ReturnStatus.choices, source="ret.status")
            created_at = serializers.DateTimeField(source="ret.created_at")
            items = ReturnItemOutputSerializer(many=True)

        results = ReturnSerializer(many=True)

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=ReturnStatus.values,
                                                description="Only returns in this status")],
                   responses={200: OutputSerializer}, summary="Returns of the merchant's products",
                   tags=["returns"])
    def get(self, request):
        query = self.QuerySerializer(data={"status": request.query_params.get("status") or None})
        query.is_valid(raise_exception=True)
        status = query.validated_data["status"]
        results = returns_for_merchant(merchant_id=merchant_scope(request), status=status)
        return Response(self.OutputSerializer({"results": results}).data)

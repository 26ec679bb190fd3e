"""A merchant-API view used only by tests of authentication and scoping."""
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.catalog.selectors import product_list
from apps.core.merchant_access import IsMerchantOrOps, merchant_scope


class MyProductsApi(APIView):
    permission_classes = [IsMerchantOrOps]

    def get(self, request):
        ids = sorted(product_list(merchant_id=merchant_scope(request)).values_list("id", flat=True))
        return Response({"products": ids})

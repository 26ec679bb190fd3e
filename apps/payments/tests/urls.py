"""Test URLconf: the project routes plus a stand-in for the checkout's call to `charge()`, so the
gateway's outcomes can be seen through HTTP and the core error envelope."""
from decimal import Decimal

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.tracing import get_tracer
from apps.payments.public import ChargeRequest, charge
from vantage.urls import urlpatterns as project_urlpatterns


class CheckoutStandInApi(APIView):
    """Like `POST /api/v2/checkout/guest`: a `checkout.guest.complete` span around `charge()`."""

    authentication_classes: list = []

    def post(self, request):
        with get_tracer("tests").start_as_current_span("checkout.guest.complete"):
            result = charge(ChargeRequest(
                order_id=request.data["order_id"], amount=Decimal(str(request.data["amount"])), currency="USD",
                payment_method_id=request.data["payment_method_id"], cart_id=request.data.get("cart_id", ""),
                confirmation_token="cnf_" + request.data["order_id"][4:]))
        return Response({"order_id": request.data["order_id"], "total_charged": result.amount_received,
                         "payment_method": result.payment_method_label}, status=201)


urlpatterns = [path("api/test/checkout", CheckoutStandInApi.as_view()), *project_urlpatterns]

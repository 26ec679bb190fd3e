"""Non-API HTTP endpoints of the payments app: the Stripe webhook receiver and Apple Pay's
domain association file."""
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from apps.core.errors import error_json_response

from .services.webhooks import WebhookSignatureInvalid, stripe_event_process, stripe_event_verify

logger = logging.getLogger(__name__)


@method_decorator(csrf_exempt, name="dispatch")
class StripeGuestCheckoutWebhook(View):
    """`POST /webhooks/stripe/guest-checkout`: 400 and no change unless Stripe's signature verifies."""

    http_method_names = ["post"]
    max_body_bytes = 512 * 1024  # Stripe events are larger than the API's 8 KB default

    def post(self, request):
        try:
            event = stripe_event_verify(payload=request.body, signature=request.headers.get("Stripe-Signature", ""))
        except WebhookSignatureInvalid as exc:
            logger.warning("stripe webhook rejected: %s", exc)
            return error_json_response(400, "INVALID_SIGNATURE",
                                       "The Stripe-Signature header does not verify against STRIPE_WEBHOOK_SECRET, "
                                       "or its timestamp is more than 300 seconds old.")
        processed = stripe_event_process(event=event)
        return JsonResponse({"received": True, "event_id": event["id"], "duplicate": not processed})


def apple_pay_domain_association(request):
    """Apple fetches this to verify the merchant domain; its content comes from APPLE_PAY_DOMAIN_ASSOCIATION."""
    if not settings.APPLE_PAY_DOMAIN_ASSOCIATION:
        raise Http404("Apple Pay domain association is not configured.")
    return HttpResponse(settings.APPLE_PAY_DOMAIN_ASSOCIATION, content_type="text/plain")

"""`POST /checkout/events`: the few analytics events only the browser can see (the Apple Pay button
was shown, the shopper authorized Apple Pay), recorded with the shared `track()`. Only these names
are accepted, so the endpoint cannot be used to write arbitrary events."""
import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from apps.experiments.public import APPLE_PAY_AUTHORIZED, APPLE_PAY_BUTTON_SHOWN, context_from_request, track

from ..page_state import GUEST_SESSION_KEY

BROWSER_EVENTS = {APPLE_PAY_BUTTON_SHOWN, APPLE_PAY_AUTHORIZED}


@require_POST
def browser_event(request: HttpRequest) -> JsonResponse:
    try:
        event = json.loads(request.body or b"{}").get("event", "")
    except (ValueError, AttributeError):
        event = ""
    if event not in BROWSER_EVENTS:
        return JsonResponse({"error": "INVALID_FORMAT", "message": "event must be one of: "
                             + ", ".join(sorted(BROWSER_EVENTS))}, status=422)
    guest = request.session.get(GUEST_SESSION_KEY) or {}
    track(event, {"payment_method": "apple_pay", "checkout_session_id": guest.get("session_id", ""),
                  "cart_id": guest.get("cart_id", "")}, context_from_request(request))
    return JsonResponse({"recorded": event}, status=202)

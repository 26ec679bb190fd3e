"""`POST /checkout/test-authentication`: the simulated 3-D Secure challenge of local and test mode.

With real Stripe, Stripe.js' `handleNextAction` shows the bank's challenge and tells Stripe the outcome. The
local Stripe-compatible server has no browser page of its own, and the checkout page cannot call it directly
(`STRIPE_API_BASE` may be a host only the web process reaches, e.g. a compose service name, and a future
Content-Security-Policy would have to allow it), so the page's Complete / Fail buttons post here, same origin
with the CSRF token, and this view forwards the outcome to the local server's `POST /_control/authenticate`.

It exists only while the local server is configured (`local_authentication_enabled()`: card collection in
local mode and `STRIPE_API_BASE` not Stripe's); otherwise it answers 404, so production never exposes it.
Like Stripe.js, it needs the intent's client secret (a PaymentIntent's at checkout, a SetupIntent's when a
card is saved on the account page), which only the page that received the 202 holds.
"""
import json

import requests
from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from ..card_collection import local_authentication_enabled

OUTCOMES = ("complete", "fail")
INTENT_KINDS = {"pi": "payment_intent", "seti": "setup_intent"}  # paying (checkout) or saving a card (account)


@require_POST
def simulated_authentication(request: HttpRequest) -> JsonResponse:
    if not local_authentication_enabled():
        raise Http404("Simulated authentication exists only with the local Stripe server")
    try:
        body = json.loads(request.body or b"{}")
        client_secret, outcome = str(body.get("client_secret", "")), body.get("outcome")
    except (ValueError, AttributeError):
        client_secret, outcome = "", None
    intent_id, _, secret = client_secret.partition("_secret_")
    kind = INTENT_KINDS.get(intent_id.partition("_")[0])
    if kind is None or not secret or outcome not in OUTCOMES:
        return JsonResponse({"error": "INVALID_FORMAT", "message": "Send {\"client_secret\": \"pi_…_secret_…\" (or "
                             "seti_…), \"outcome\": \"complete\" | \"fail\"} as JSON."}, status=422)
    try:
        response = requests.post(f"{settings.STRIPE_API_BASE}/_control/authenticate",
                                 json={kind: intent_id, "outcome": outcome},
                                 timeout=settings.OUTBOUND_HTTP_TIMEOUT_SECONDS)
    except requests.RequestException:
        return JsonResponse({"error": "PAYMENT_GATEWAY_UNAVAILABLE",
                             "message": "The local Stripe server did not answer. Is it running?"}, status=502)
    if response.status_code >= 400:
        return JsonResponse({"error": "AUTHENTICATION_NOT_RECORDED", "message": response.text[:200]}, status=409)
    return JsonResponse({"outcome": outcome}, status=200)

"""The local Stripe-compatible server itself: run as `python -m devtools.localstripe.server`,
Stripe's form encoding, idempotency keys, auth, test payment methods and signatures."""
import json
import subprocess
import sys
import time
import urllib.request

import pytest
import stripe

from conftest import free_port, wait_for_port
from devtools.localstripe.forms import decode_form
from devtools.localstripe.signing import sign_payload


def sdk(base_url: str, key: str = "sk_test_local") -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": base_url}, max_network_retries=0)


def test_runs_as_a_module_and_serves_the_sdk(settings):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "devtools.localstripe.server", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=settings.BASE_DIR)
    try:
        wait_for_port(port)
        intent = sdk(f"http://127.0.0.1:{port}").v1.payment_intents.create(
            params={"amount": 3499, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True})
        assert intent.status == "succeeded" and intent.amount_received == 3499
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_same_idempotency_key_returns_same_object(local_stripe):
    client = sdk(local_stripe.base_url)

    first = client.v1.customers.create(params={"email": "a@example.com"}, options={"idempotency_key": "k-1"})
    again = client.v1.customers.create(params={"email": "a@example.com"}, options={"idempotency_key": "k-1"})
    other = client.v1.customers.create(params={"email": "a@example.com"}, options={"idempotency_key": "k-2"})

    assert first.id == again.id != other.id
    assert again.last_response.headers.get("Idempotent-Replayed") == "true"


def test_requires_a_secret_key(local_stripe):
    with pytest.raises(stripe.AuthenticationError):
        sdk(local_stripe.base_url, key="pk_test_wrong_kind").v1.customers.create()


@pytest.mark.parametrize(("pm", "code"), [("pm_card_chargeDeclined", "card_declined"),
                                          ("pm_card_chargeDeclinedInsufficientFunds", "card_declined")])
def test_declining_test_cards(local_stripe, pm, code):
    with pytest.raises(stripe.CardError) as raised:
        sdk(local_stripe.base_url).v1.payment_intents.create(
            params={"amount": 100, "currency": "usd", "payment_method": pm, "confirm": True})

    assert raised.value.http_status == 402 and raised.value.code == code


def test_form_decoding_of_nested_params():
    decoded = decode_form("amount=100&metadata[cart_id]=cart_1&payment_method_types[0]=card"
                          "&payment_method_types[1]=apple_pay&expand[]=latest_charge")

    assert decoded == {"amount": "100", "metadata": {"cart_id": "cart_1"},
                       "payment_method_types": ["card", "apple_pay"], "expand": ["latest_charge"]}


def test_signature_verifies_with_the_sdk():
    header = sign_payload('{"id": "evt_1"}', "whsec_x")

    assert stripe.WebhookSignature.verify_header('{"id": "evt_1"}', header, "whsec_x", 300)


def test_failure_window_fails_every_call_until_it_ends(local_stripe):
    # given an outage window of half a second
    client = sdk(local_stripe.base_url)
    local_stripe._post("/_control/fail", {"mode": "502", "seconds": 0.5})

    # when two calls land inside it and one after it
    inside = []
    for _ in range(2):
        with pytest.raises(stripe.APIError):
            client.v1.customers.create(params={"email": "a@example.com"})
        inside.append(True)
    time.sleep(0.6)
    after = client.v1.customers.create(params={"email": "a@example.com"})

    # then both inside failed and the one after went through
    assert inside == [True, True] and after.id.startswith("cus_")


def test_intents_listing_shows_status_and_metadata(local_stripe):
    client = sdk(local_stripe.base_url)
    client.v1.payment_intents.create(params={"amount": 500, "currency": "usd", "payment_method": "pm_card_visa",
                                             "confirm": True, "metadata": {"order_id": "ord_1"}})

    with urllib.request.urlopen(local_stripe.base_url + "/_control/intents", timeout=10) as response:  # noqa: S310
        intents = json.loads(response.read())["intents"]

    assert [(i["status"], i["amount"], i["metadata"]) for i in intents] == [("succeeded", 500, {"order_id": "ord_1"})]

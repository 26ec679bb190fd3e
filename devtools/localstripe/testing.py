"""pytest plugin (registered in the root conftest.py): the `local_stripe` fixture.

`local_stripe` runs one local Stripe-compatible server for the test session (in a thread, on a free
127.0.0.1 port), points STRIPE_API_BASE / STRIPE_SECRET_KEY at it for each test, shrinks the retry
backoff so retry tests stay quick, and resets the server's objects, failures and call log between
tests. The yielded `LocalStripeControl` injects failures, counts calls and sends signed webhooks:

    def test_retry(local_stripe):
        local_stripe.fail("502", count=1)
        ...
        assert local_stripe.call_count("POST", "/v1/payment_intents") == 2
"""
import json
import threading
import urllib.request

import pytest

from .server import make_server
from .signing import build_event, sign_payload

TEST_BACKOFF_SECONDS = [0.01, 0.02, 0.04]  # the 1 s / 2 s / 4 s shape, a hundred times faster


class LocalStripeControl:
    """A small client of the server's `/_control/*` endpoints."""

    def __init__(self, base_url: str, server):
        self.base_url, self.server = base_url, server

    def _post(self, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(  # noqa: S310 - local test server
            self.base_url + path, data=json.dumps(body or {}).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local test server
            return json.loads(response.read())

    def fail(self, mode: str, count: int = 1, delay_ms: int | None = None) -> None:
        """Make the next `count` API calls fail: "502", "500", "429", "timeout" or "slow"."""
        body = {"mode": mode, "count": count}
        if delay_ms is not None:
            body["delay_ms"] = delay_ms
        self._post("/_control/fail", body)

    def reset(self) -> None:
        self._post("/_control/reset")

    def next_intent_status(self, status: str, count: int = 1) -> None:
        """Make the next `count` confirmations end in `status` (e.g. "processing"), whatever the card."""
        self._post("/_control/next_intent_status", {"status": status, "count": count})

    def authenticate(self, payment_intent: str, outcome: str = "complete") -> dict:
        """Answer the intent's 3-D Secure challenge ("complete" or "fail"), as the shopper would."""
        return self._post("/_control/authenticate", {"payment_intent": payment_intent, "outcome": outcome})

    def calls(self, method: str = "", path: str = "") -> list[dict]:
        with urllib.request.urlopen(self.base_url + "/_control/calls", timeout=10) as response:  # noqa: S310
            calls = json.loads(response.read())["calls"]
        return [c for c in calls if (not method or c["method"] == method) and (not path or c["path"] == path)]

    def call_count(self, method: str = "", path: str = "") -> int:
        return len(self.calls(method, path))

    def dispute(self, charge: str, reason: str = "fraudulent") -> dict:
        """The cardholder disputes `charge` (`charge.dispute.created` goes to the webhook endpoint)."""
        return self._post("/_control/disputes", {"charge": charge, "reason": reason})

    def dispute_close(self, dispute: str, status: str) -> dict:
        """Stripe's decision on the dispute, "won" or "lost" (`charge.dispute.closed`)."""
        return self._post("/_control/disputes", {"dispute": dispute, "status": status})

    @property
    def store(self):
        """The server's objects (same process), for asserting what Stripe holds."""
        return self.server.app.store

    def intents(self) -> list[dict]:
        return list(self.store.intents.values())

    def send_webhook(self, url: str, secret: str, event_type: str, obj: dict, **kwargs) -> dict:
        """Have the server deliver one signed event to `url` (a live server) and report Stripe's view."""
        return self._post("/_control/webhooks", {"url": url, "secret": secret, "type": event_type,
                                                 "object": obj, **kwargs})

    def webhook_endpoint(self, url: str, secret: str) -> None:
        self._post("/_control/webhook_endpoint", {"url": url, "secret": secret})

    @staticmethod
    def signed_event(event_type: str, obj: dict, secret: str, *, timestamp: int | None = None,
                     event_id: str = "") -> tuple[str, str, dict]:
        """(payload, Stripe-Signature header, event) exactly as the server would deliver them."""
        event = build_event(event_type, obj, event_id=event_id)
        payload = json.dumps(event, indent=2)
        return payload, sign_payload(payload, secret, timestamp), event


@pytest.fixture(scope="session")
def _local_stripe_server():
    server = make_server(0)
    thread = threading.Thread(target=server.serve_forever, name="localstripe", daemon=True)
    thread.start()
    yield server
    server.app.reset()
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_stripe(_local_stripe_server, settings):
    base_url = f"http://127.0.0.1:{_local_stripe_server.server_address[1]}"
    settings.STRIPE_API_BASE = base_url
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.PAYMENT_GATEWAY_BACKOFF_SECONDS = TEST_BACKOFF_SECONDS
    control = LocalStripeControl(base_url, _local_stripe_server)
    control.reset()
    yield control
    control.reset()

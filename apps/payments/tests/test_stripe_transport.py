"""The Stripe SDK's transport (apps/payments/integrations/stripe/transport.py): what requests did for the
SDK, on urllib3 directly. Answers come back whole, failures are the SDK's connection errors (timeouts
named so, for the gateway's `timeout` status), and the HTTPS_PROXY / NO_PROXY environment is honoured."""
import socket

import pytest
import stripe

from apps.payments.integrations.stripe.transport import Urllib3Client


def test_an_answer_comes_back_with_its_status_and_headers(local_stripe):
    # given
    client = Urllib3Client(timeout=5)
    # when
    body, status, headers = client.request("get", f"{local_stripe.base_url}/v1/payment_intents/pi_missing",
                                           {"Authorization": "Bearer sk_test_localstripe"})
    # then
    assert status == 404 and b"resource_missing" in body
    assert headers["Content-Type"].startswith("application/json")


def test_a_refused_connection_is_a_retryable_connection_error():
    # given: a port nobody listens on
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # when
    with pytest.raises(stripe.APIConnectionError) as raised:
        Urllib3Client(timeout=2).request("post", f"http://127.0.0.1:{port}/v1/payment_intents", {}, b"")
    # then
    assert raised.value.should_retry
    assert "NewConnectionError" in str(raised.value) or "MaxRetryError" in str(raised.value)


def test_a_slow_answer_is_a_timeout_by_name(local_stripe):
    # given
    local_stripe.fail("timeout", count=1, delay_ms=1500)
    # when
    with pytest.raises(stripe.APIConnectionError) as raised:
        Urllib3Client(timeout=0.3).request("post", f"{local_stripe.base_url}/v1/payment_intents",
                                           {"Authorization": "Bearer sk_test_localstripe"}, b"amount=100")
    # then
    assert "timed out" in str(raised.value).lower()


def test_the_proxy_environment_is_honoured(monkeypatch):
    # given
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    client = Urllib3Client(timeout=5)
    # then
    assert client._pool_for("https://api.stripe.com/v1/payment_intents") is client._proxied
    assert client._pool_for("http://127.0.0.1:12111/v1/payment_intents") is client._direct


def test_without_a_proxy_environment_every_call_goes_direct(monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    client = Urllib3Client(timeout=5)
    assert client._proxied is None
    assert client._pool_for("https://api.stripe.com/v1/payment_intents") is client._direct

"""No Stripe client secret in any log line at any level: a full payment through the real SDK with
DEBUG logging on, read from the project's configured log handler."""
import io
import logging
import re

import pytest

from apps.core.logging import SecretRedactionFilter

pytestmark = pytest.mark.django_db

SECRET_SHAPE = re.compile(r"(pi|seti|cs)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+")


@pytest.fixture
def debug_log_output():
    """The configured console handler (with its filters and JSON formatter) writing into a buffer."""
    root = logging.getLogger()
    [handler] = [h for h in root.handlers if any(isinstance(f, SecretRedactionFilter) for f in h.filters)]
    buffer = io.StringIO()
    previous_stream = handler.setStream(buffer)
    levels = {name: logging.getLogger(name).level for name in ("", "stripe", "urllib3")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield buffer
    handler.setStream(previous_stream)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_full_payment_logs_no_client_secret(local_stripe, client, settings, debug_log_output):
    # given
    settings.SERVICE_AUTH_TOKENS = ["svc_tok_checkout_7f8e9d"]
    auth = {"X-Service-Auth": "Bearer svc_tok_checkout_7f8e9d"}

    # when: create (Stripe answers with the client secret) and confirm, logging everything
    created = client.post("/api/v1/intents/create", {"amount": 67.25, "currency": "USD",
                                                     "payment_method_id": "pm_card_visa"},
                          content_type="application/json", headers=auth)
    secret = created.json()["client_secret"]
    logging.getLogger("apps.payments").debug("intent created %s", created.json())
    client.post("/api/v1/intents/confirm", {"intent_id": created.json()["intent_id"]},
                content_type="application/json", headers=auth)

    # then: the SDK did log the response bodies, with the secret replaced
    output = debug_log_output.getvalue()
    assert "API response body" in output
    assert "cs_***" in output
    assert secret not in output
    assert not SECRET_SHAPE.search(output)

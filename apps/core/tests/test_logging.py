"""JSON log lines carry request and trace ids; secrets never reach a log line at any level."""
import json
import logging

import pytest

from apps.core.logging import JsonFormatter, RequestContextFilter, SecretRedactionFilter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("apps.core.tests.urls")]


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.addFilter(RequestContextFilter())
        self.addFilter(SecretRedactionFilter())
        self.setFormatter(JsonFormatter())

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler, root = ListHandler(), logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_log_lines_during_a_request_carry_its_ids(client, log_lines):
    client.raise_request_exception = False
    response = client.get("/api/test/boom", headers={"X-Request-ID": "req_log_check"})
    records = [json.loads(line) for line in log_lines]
    errors = [r for r in records if r["level"] == "ERROR"]
    assert errors and errors[0]["request_id"] == "req_log_check"
    assert errors[0]["trace_id"] == response["X-Trace-ID"]


def test_client_secrets_are_redacted_in_messages_args_and_tracebacks(client, log_lines):
    logger = logging.getLogger("apps.payments.test")
    logger.debug("intent created with %s", "pi_3Nabc_secret_XyZ123")
    logger.info("key sk_test_51Habc and webhook whsec_abc123")
    client.raise_request_exception = False
    client.get("/api/test/boom")  # its traceback contains pi_123_secret_abc
    text = "\n".join(log_lines)
    for secret in ("pi_3Nabc_secret_XyZ123", "sk_test_51Habc", "whsec_abc123", "pi_123_secret_abc"):
        assert secret not in text
    assert "cs_***" in text


def test_djangos_own_404_log_line_carries_the_request_id(client, log_lines):
    client.get("/api/nope", headers={"X-Request-ID": "req_not_found_log"})
    warnings = [json.loads(line) for line in log_lines if "Not Found" in line]
    assert warnings and warnings[-1]["request_id"] == "req_not_found_log"


def test_secrets_are_redacted_for_every_handler_not_only_the_console(caplog):
    with caplog.at_level(logging.DEBUG, logger="stripe"):
        logging.getLogger("stripe").debug("response body: client_secret=pi_9a8b_secret_1a2b3c")
    assert "pi_9a8b_secret_1a2b3c" not in caplog.text
    assert "cs_***" in caplog.text


def test_the_stripe_sdks_per_call_info_lines_are_off_by_default_its_warnings_kept(log_lines):
    from stripe._util import log_info  # what the SDK calls twice per API request

    log_info("Request to Stripe api", method="post", url="https://api.stripe.com/v1/payment_intents")
    logging.getLogger("stripe").warning("Stripe API error received")
    assert not any("Request to Stripe api" in line for line in log_lines)
    assert any("Stripe API error received" in line for line in log_lines)

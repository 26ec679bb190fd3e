"""The project's PagerDuty Events v2 client against the local PagerDuty server: what it sends, and
which failures it reports as worth a retry (the callers retry; the client makes one attempt)."""
import socket

import pytest

from apps.core.integrations.pagerduty import PagerDutyError, pagerduty_enabled, pagerduty_event_send


def test_a_trigger_is_accepted_with_its_summary_cut_to_pagerduty_s_limit(local_pagerduty):
    outcome = pagerduty_event_send(action="trigger", dedup_key="k-1", payload={
        "summary": "x" * 5000, "source": "vantage-test", "severity": "warning", "custom_details": {"n": 1}})

    assert outcome.ok and outcome.error == ""
    sent = local_pagerduty.events[0]
    assert len(sent["payload"]["summary"]) == 1024
    assert sent["payload"]["custom_details"] == {"n": 1} and sent["dedup_key"] == "k-1"


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_acknowledge_and_resolve_carry_no_payload(local_pagerduty, action):
    assert pagerduty_event_send(action=action, dedup_key="k-2", payload={"summary": "ignored"}).ok
    assert set(local_pagerduty.events[0]) == {"routing_key", "event_action", "dedup_key"}


@pytest.mark.parametrize("status", [429, 500, 503])
def test_an_outage_is_reported_as_retryable(local_pagerduty, status):
    local_pagerduty.fail(status)

    outcome = pagerduty_event_send(action="resolve", dedup_key="k-3")

    assert (outcome.ok, outcome.retryable) == (False, True)
    assert outcome.error.startswith(f"HTTP {status}")
    with pytest.raises(PagerDutyError):
        outcome.raise_for_failure()


def test_an_invalid_event_is_not_retryable(local_pagerduty):
    outcome = pagerduty_event_send(action="trigger", dedup_key="k-4", payload={"summary": "no source"})

    assert (outcome.ok, outcome.retryable) == (False, False)
    assert "payload.source" in outcome.error


def test_an_unreachable_pagerduty_is_retryable(settings):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.PAGERDUTY_EVENTS_URL = f"http://127.0.0.1:{port}/v2/enqueue"
    settings.PAGERDUTY_ROUTING_KEY = "R0UT1NGKEY0000000000000000000000"

    outcome = pagerduty_event_send(action="resolve", dedup_key="k-5")

    assert (outcome.ok, outcome.retryable, outcome.error) == (False, True, "ConnectionError")


def test_pagerduty_is_a_channel_only_with_a_routing_key(settings):
    settings.PAGERDUTY_ROUTING_KEY = ""
    assert not pagerduty_enabled()
    settings.PAGERDUTY_ROUTING_KEY = "R0UT1NGKEY0000000000000000000000"
    assert pagerduty_enabled()

"""Idempotency-Key: replay, reuse with another body, in-flight duplicates, and 20 concurrent requests."""
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.test import RequestFactory

from apps.core.idempotency import scope_for
from apps.core.models import IdempotencyRecord
from apps.core.redis import get_redis
from apps.core.tests.views import HANDLER_RUNS_KEY

pytestmark = pytest.mark.urls("apps.core.tests.urls")


def post(client, body, key="idk_8a2f1bc9_001"):
    return client.post("/api/test/echo", json.dumps(body), content_type="application/json",
                       headers={"Idempotency-Key": key})


@pytest.mark.django_db
def test_same_key_and_body_replays_the_first_response_byte_for_byte(client):
    first = post(client, {"email": "a@example.com"})
    again = post(client, {"email": "a@example.com"})
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert int(get_redis().get(HANDLER_RUNS_KEY)) == 1


@pytest.mark.django_db
def test_same_key_with_a_different_body_is_422(client):
    post(client, {"email": "a@example.com"})
    response = post(client, {"email": "b@example.com"})
    assert response.status_code == 422
    assert response.json()["error"] == "IDEMPOTENCY_KEY_REUSED"


@pytest.mark.django_db
def test_validation_failures_are_replayed_too(client):
    first = post(client, {"email": "nope"}, key="idk_bad")
    assert first.status_code == 422
    assert post(client, {"email": "nope"}, key="idk_bad").content == first.content


@pytest.mark.django_db
def test_request_while_first_is_in_flight_is_409(client):
    # given another process holds the key's lock (its request is still running)
    request = RequestFactory().post("/api/test/echo", "{}", content_type="application/json")
    lock = f"idem:lock:{scope_for(request, 'test_echo')}:{hashlib.sha256(b'idk_busy').hexdigest()}"
    get_redis().set(lock, "other-process")
    # when the duplicate arrives
    response = post(client, {}, key="idk_busy")
    # then it is refused without running the handler
    assert response.status_code == 409
    assert response.json()["error"] == "IDEMPOTENCY_KEY_IN_USE"
    assert get_redis().get(HANDLER_RUNS_KEY) is None


@pytest.mark.django_db
def test_keys_expire_after_24_hours(client):
    post(client, {"email": "a@example.com"}, key="idk_old")
    IdempotencyRecord.objects.update(created_at="2000-01-01T00:00:00Z")
    again = post(client, {"email": "a@example.com"}, key="idk_old")
    assert "Idempotent-Replayed" not in again
    assert int(get_redis().get(HANDLER_RUNS_KEY)) == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_with_one_key_run_the_handler_once(live_server):
    url = f"{live_server.url}/api/test/echo"
    body = {"email": "a@example.com", "slow": 0.5}

    def send(_):
        return requests.post(url, json=body, headers={"Idempotency-Key": "idk_concurrent"}, timeout=30)

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(send, range(20)))
    assert int(get_redis().get(HANDLER_RUNS_KEY)) == 1
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}
    originals = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r.headers]
    assert len(originals) == 1
    # once the first finished, the same key replays it
    replay = send(None)
    assert replay.status_code == 201 and replay.content == originals[0].content

"""Guest sessions: the Redis layout, optimistic updates, and the session endpoints through HTTP."""
import json
import threading

import pytest
from redis.crc import key_slot

from apps.checkout.errors import SessionExpired
from apps.checkout.sessions import EXPIRY_INDEX, GuestSessionStore, trail_key
from apps.core.redis import get_redis

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v2/checkout/guest/session"
ADDRESS = {"line1": "742 Evergreen Terrace", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"}


def start(client, cart_id, **extra):
    return client.post(SESSIONS, {"cart_id": cart_id, **extra}, content_type="application/json")


def test_session_is_created_for_an_existing_cart_with_key_ttl_and_token(client, make_product, make_cart):
    # given
    cart = make_cart([(make_product(price="47.99"), 1)])
    # when
    response = start(client, cart.id, email="user4827@example.com")
    # then
    assert response.status_code == 201
    body = response.json()
    session_id, token = body["session_id"], body["session_token"]
    assert session_id.startswith("guest:sess:") and token.startswith("guest_session_tok_")
    redis = get_redis()
    stored = json.loads(redis.get(session_id))
    assert stored["cart_id"] == cart.id and stored["email"] == "user4827@example.com"
    assert stored["cart_snapshot"]["subtotal"] == "47.99"
    assert token not in redis.get(session_id).decode()  # only the token's hash is kept
    assert 895 <= redis.ttl(session_id) <= 900
    assert redis.zscore(EXPIRY_INDEX, session_id) is not None
    assert redis.exists(trail_key(session_id))


def test_no_orphan_session_for_an_unknown_cart(client):
    response = start(client, "cart_does_not_exist")
    assert response.status_code == 404 and response.json()["error"] == "CART_NOT_FOUND"
    assert get_redis().keys("guest:sess:*") == []


def test_session_get_requires_its_own_bearer_token(client, make_product, make_cart):
    cart = make_cart([(make_product(), 1)])
    session_id = start(client, cart.id).json()["session_id"]
    url = f"{SESSIONS}/{session_id}"
    assert client.get(url).status_code == 401
    wrong = client.get(url, headers={"Authorization": "Bearer guest_session_tok_wrong"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "SESSION_TOKEN_INVALID"
    other = start(client, cart.id).json()["session_token"]
    assert client.get(url, headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_progress_renews_the_ttl_and_is_reported(client, make_product, make_cart, settings):
    # given: a short TTL and a session whose TTL has run down
    settings.GUEST_SESSION_TTL_SECONDS = 120
    cart = make_cart([(make_product(), 1)])
    created = start(client, cart.id).json()
    session_id, auth = created["session_id"], {"Authorization": f"Bearer {created['session_token']}"}
    get_redis().expire(session_id, 5)
    # when
    response = client.patch(f"{SESSIONS}/{session_id}", {"email": "a@example.com", "shipping_address": ADDRESS},
                            content_type="application/json", headers=auth)
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["ttl_remaining_seconds"] >= 115
    assert body["shipping_address_complete"] is True and body["payment_method_attached"] is False
    assert body["last_step"] == "shipping"
    fetched = client.get(f"{SESSIONS}/{session_id}", headers=auth).json()
    assert fetched["email"] == "a@example.com" and fetched["status"] == "active"


def test_session_patch_validates_the_address(client, make_product, make_cart):
    cart = make_cart([(make_product(), 1)])
    created = start(client, cart.id).json()
    response = client.patch(f"{SESSIONS}/{created['session_id']}", {"shipping_address": {**ADDRESS, "zip": "6270"}},
                            content_type="application/json",
                            headers={"Authorization": f"Bearer {created['session_token']}"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "shipping_address.zip"


def test_session_reads_are_limited_to_30_a_minute_per_ip(client, behind_proxy):
    ip = {"X-Forwarded-For": "198.51.100.7"}
    statuses = [client.get(f"{SESSIONS}/guest:sess:nope", headers=ip).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_concurrent_updates_both_land_through_watch_multi_exec(make_product, make_cart):
    # given: one session, two tabs writing different fields at the same moment
    cart = make_cart([(make_product(), 1)])
    store = GuestSessionStore()
    session, _ = store.create(cart_id=cart.id, cart_snapshot={})
    barrier = threading.Barrier(2)

    def write(**changes):
        barrier.wait()
        GuestSessionStore().update(session.session_id, **changes)

    # when
    threads = [threading.Thread(target=write, kwargs={"email": "tab-a@example.com"}),
               threading.Thread(target=write, kwargs={"payment_method_id": "pm_card_visa"})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: neither write overwrote the other
    stored = store.get(session.session_id)
    assert stored.email == "tab-a@example.com" and stored.payment_method_id == "pm_card_visa"


def test_update_of_an_expired_session_is_session_expired(make_product, make_cart):
    cart = make_cart([(make_product(), 1)])
    store = GuestSessionStore()
    session, _ = store.create(cart_id=cart.id, cart_snapshot={})
    get_redis().delete(session.session_id)
    with pytest.raises(SessionExpired):
        store.update(session.session_id, email="a@example.com")


def test_session_and_trail_share_one_cluster_slot():
    session_id = "guest:sess:a1b2c3d4-e5f6-7890-abcd-ef1234567890"
    assert key_slot(session_id.encode()) == key_slot(trail_key(session_id).encode())


def test_an_unreachable_redis_is_a_503_with_retry_after_not_a_500(client, monkeypatch, make_product, make_cart):
    # given: Redis is down (nothing listens on the port) while a shopper starts a guest session
    from redis import Redis

    from conftest import free_port

    dead = Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.2)
    monkeypatch.setattr("apps.core.redis.get_redis_connection", lambda alias="default": dead)
    cart = make_cart([(make_product(), 1)])
    # when
    response = start(client, cart.id)
    # then: a retryable outage in the envelope, never a 500
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == "SERVICE_UNAVAILABLE"

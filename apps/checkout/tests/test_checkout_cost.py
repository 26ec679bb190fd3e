"""What one guest checkout and one guest session read cost, as counts: SQL statements (Django's query
capture, transaction statements included) and Redis round trips (a pipeline or MULTI/EXEC block is one),
counted on the client. Pinned exactly, so a change in either direction is seen; the issue's budgets
(≤ 25 SQL, ≤ 15 Redis per checkout) are asserted besides.

Transactional tests: the checkout's own transactions and its after-commit work (the session marked
completed) run as in production, not inside a test transaction. The flags' freshness check (one Redis
GET per process at most every FLAGS_CACHE_CHECK_MS, whichever request comes first) is measured by the
flags benchmark, not here: the tests push it out of the counted requests.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.checkout.api.serializers import GuestSessionOutputSerializer
from apps.checkout.sessions import GuestSession
from apps.core.testing import RedisCounter

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}
CHECKOUT_SQL = 17  # the shipping and tax quote included (2 whatever the cart: shipping zones, tax rates)
CHECKOUT_REDIS_ROUND_TRIPS = 6
CHECKOUT_WITH_KEY_REDIS_ROUND_TRIPS = 8  # + the Idempotency-Key lock taken and released
CHECKOUT_BROKER_MESSAGES = 1  # the confirmation email and the relay's kick, sent together after the response
SESSION_GET_SQL = 0
SESSION_GET_REDIS_ROUND_TRIPS = 1


def checkout(client, cart, index: int, **headers):
    body = {"cart_id": cart.id, "email": "cost@example.com", "shipping_address": ADDRESS,
            "payment_method_id": "pm_card_visa"}
    return client.post("/api/v2/checkout/guest", body, content_type="application/json",
                       headers={"X-Forwarded-For": f"198.51.100.{index}", **headers})


def counted(call):
    with CaptureQueriesContext(connection) as queries, RedisCounter() as redis:
        response = call()
    return response, [query["sql"] for query in queries.captured_queries], redis


@pytest.fixture
def warm(client, behind_proxy, local_stripe, make_product, make_cart, settings):
    """A first checkout pays the process' one-time costs (connections, content types, the Lua script,
    the flags' configuration)."""
    settings.FLAGS_CACHE_CHECK_MS = 3_600_000
    response = checkout(client, make_cart([(make_product(), 1)]), 1)
    assert response.status_code == 201, response.content
    return response


def test_a_guest_checkout_costs_its_pinned_sql_and_redis(client, warm, make_product, make_cart):
    # given
    cart = make_cart([(make_product(), 2), (make_product(), 1)])
    # when
    response, sql, redis = counted(lambda: checkout(client, cart, 2))
    # then
    assert response.status_code == 201, response.content
    assert len(sql) == CHECKOUT_SQL, "\n".join(sql)
    assert redis.round_trips == CHECKOUT_REDIS_ROUND_TRIPS, " ".join(redis.commands)
    assert redis.round_trips <= 15


def test_a_guest_checkout_sends_one_broker_message_after_its_response(client, warm, make_product, make_cart,
                                                                       monkeypatch):
    # given: what Celery is asked to publish, by task and arguments
    from celery.app.task import Task

    published: list[tuple[str, list]] = []
    monkeypatch.setattr(Task, "apply_async", lambda task, args=None, **options: published.append((task.name, args)))
    cart = make_cart([(make_product(), 1)])
    # when
    response = checkout(client, cart, 4)
    # then: one message, whose worker sends the confirmation email and kicks the outbox relay
    assert response.status_code == 201, response.content
    assert len(published) == CHECKOUT_BROKER_MESSAGES, published
    (name, [tasks]), = published
    assert name == "core.dispatch"
    assert sorted(task for task, _ in tasks) == ["checkout.send_email", "events.relay_outbox"]


def test_in_production_a_checkout_skips_the_breaker_read_a_recent_one_found_quiet(client, warm, make_product,
                                                                                   make_cart, settings):
    # given: production's trust in a quiet breaker reading (the tests read it on every call)
    settings.PAYMENT_BREAKER_QUIET_CACHE_MS = 60_000
    assert checkout(client, make_cart([(make_product(), 1)]), 5).status_code == 201  # reads it quiet
    # when
    response, _, redis = counted(lambda: checkout(client, make_cart([(make_product(), 1)]), 6))
    # then: one round trip fewer, the breaker's MGET
    assert response.status_code == 201, response.content
    assert redis.round_trips == CHECKOUT_REDIS_ROUND_TRIPS - 1, " ".join(redis.commands)
    assert "MGET" not in redis.commands


def test_an_idempotent_guest_checkout_adds_only_its_key_lock(client, warm, make_product, make_cart):
    # given
    cart = make_cart([(make_product(), 1)])
    # when
    response, sql, redis = counted(lambda: checkout(client, cart, 3, **{"Idempotency-Key": "idk_cost_1"}))
    # then: the idempotency record is three statements more (look-up, insert, the stored response)
    assert response.status_code == 201, response.content
    assert len(sql) == CHECKOUT_SQL + 3, "\n".join(sql)
    assert redis.round_trips == CHECKOUT_WITH_KEY_REDIS_ROUND_TRIPS, " ".join(redis.commands)


def test_a_guest_session_read_is_one_redis_round_trip_and_no_sql(client, warm):
    # given
    session_id, token = warm.json()["session_id"], warm["X-Guest-Session-Token"]
    # when
    response, sql, redis = counted(lambda: client.get(
        f"/api/v2/checkout/guest/session/{session_id}", headers={"Authorization": f"Bearer {token}",
                                                                 "X-Forwarded-For": "198.51.100.9"}))
    # then: the rate limit, the session and its TTL share one round trip
    assert response.status_code == 200, response.content
    assert response.json()["ttl_remaining_seconds"] > 0
    assert response["X-RateLimit-Remaining"] == "29"
    assert len(sql) == SESSION_GET_SQL, sql
    assert redis.round_trips == SESSION_GET_REDIS_ROUND_TRIPS, " ".join(redis.commands)


def test_a_guest_session_read_with_a_wrong_token_is_refused_after_the_same_round_trip(client, warm):
    # given: the session's id with a token that is not its own
    session_id = warm.json()["session_id"]
    # when
    response, _, redis = counted(lambda: client.get(
        f"/api/v2/checkout/guest/session/{session_id}", headers={"Authorization": "Bearer nope",
                                                                 "X-Forwarded-For": "198.51.100.10"}))
    # then
    assert response.status_code == 401
    assert redis.round_trips == SESSION_GET_REDIS_ROUND_TRIPS


@pytest.mark.parametrize("progress", [
    {},
    {"email": "a@example.com", "shipping_address": ADDRESS, "payment_method_id": "pm_card_visa",
     "last_step": "payment", "order_id": "ord_abcdefghijkl"},
])
def test_the_session_read_builds_the_document_its_serializer_documents(progress):
    # given
    session = GuestSession(session_id="guest:sess:00000000-0000-4000-8000-000000000000", cart_id="cart_x",
                           created_at=1760525112.25, last_activity=1760525200.75, token_hash="h", **progress)
    # when
    built = GuestSessionOutputSerializer.payload(session, ttl_remaining_seconds=812)
    # then
    assert built == GuestSessionOutputSerializer(session, context={"ttl_remaining_seconds": 812}).data


def test_a_read_of_something_that_is_no_session_id_reads_no_key(client, warm):
    # given: an existing key of another kind, named as if it were a session
    # when
    response, _, redis = counted(lambda: client.get(
        "/api/v2/checkout/guest/session/guest:sess-expiries", headers={"Authorization": "Bearer x",
                                                                        "X-Forwarded-For": "198.51.100.11"}))
    # then
    assert response.status_code == 404
    assert response.json()["error"] == "SESSION_EXPIRED"
    assert "GET" not in redis.commands and "TTL" not in redis.commands

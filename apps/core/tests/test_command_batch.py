"""CommandBatch: the rate limiter's one round trip (with the guest session's read queued on it) sent
without redis-py's Pipeline object. Replies in order, one round trip, no connection reused half-read or
broken, and the limiter still fails open when Redis does not answer."""
import uuid

import pytest
from redis.exceptions import ConnectionError, NoScriptError, ResponseError

from apps.core.redis import CommandBatch, get_redis
from apps.core.testing import RedisCounter


@pytest.fixture
def key():
    name = f"test:batch:{uuid.uuid4().hex}"
    yield name
    get_redis().delete(name, f"{name}:hash")


def test_replies_come_back_in_order_in_one_round_trip(key):
    # given
    get_redis().set(key, b"stored", ex=100)
    batch = CommandBatch()
    batch.get(key)
    batch.ttl(key)
    batch.incr(f"{key}:missing")
    # when
    with RedisCounter() as redis:
        replies = batch.execute(get_redis())
    get_redis().delete(f"{key}:missing")
    # then
    assert replies[0] == b"stored" and 0 < replies[1] <= 100 and replies[2] == 1
    assert redis.round_trips == 1 and redis.commands == ["GET", "TTL", "INCR"]


def batch_connection_id(client) -> int:
    batch = CommandBatch()
    batch.client("ID")
    return batch.execute(client)[0]


def test_a_connection_the_server_dropped_is_not_used(key):
    # given: the batch's idle connection's server side is gone, as after a Redis restart
    client = get_redis()
    client.set(key, b"v")
    dropped = batch_connection_id(client)
    client.client_kill_filter(_id=dropped, skipme=False)
    batch = CommandBatch()
    batch.get(key)
    batch.client("ID")
    # when
    replies = batch.execute(client)
    # then
    assert replies[0] == b"v" and replies[1] != dropped


def test_a_connection_dropped_mid_batch_raises_redis_py_s_connection_error_and_is_not_reused(key):
    # given: the server closes the batch's own connection after its first reply, before the second's
    client = get_redis()
    own = batch_connection_id(client)
    batch = CommandBatch()
    batch.quit()
    batch.get(key)
    # when / then: a RedisError, which the rate limiter's fail-open catches
    with pytest.raises(ConnectionError):
        batch.execute(client)
    assert batch_connection_id(client) != own


def test_an_idle_connection_is_reused(key):
    client = get_redis()
    assert batch_connection_id(client) == batch_connection_id(client)


def test_an_error_reply_raises_and_leaves_no_reply_behind_for_the_next_batch(key):
    # given: GET on a hash is an error; the INCR after it would leave its reply unread
    client = get_redis()
    client.hset(f"{key}:hash", "field", "value")
    failing = CommandBatch()
    failing.get(f"{key}:hash")
    failing.incr(key)
    with pytest.raises(ResponseError):
        failing.execute(client)
    # when
    following = CommandBatch()
    following.get(key)
    replies = following.execute(client)
    # then: the INCR's reply was not read as this GET's
    assert replies == [b"1"]


def test_error_replies_raise_redis_py_s_own_exceptions(key):
    # callers tell a flushed script cache (NOSCRIPT) from other errors, as with redis-py's own commands
    batch = CommandBatch()
    batch.evalsha("0" * 40, 1, key)
    with pytest.raises(NoScriptError):
        batch.execute(get_redis())


@pytest.mark.django_db
@pytest.mark.urls("apps.core.tests.urls")
def test_the_rate_limit_fails_open_when_redis_does_not_answer(client, monkeypatch):
    # given
    def unreachable(self, client):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(CommandBatch, "execute", unreachable)
    # when
    responses = [client.post("/api/test/echo", {"email": "a@example.com"}, content_type="application/json")
                 for _ in range(12)]
    # then: served, past the limit too (refusing every shopper would be worse than briefly not limiting)
    assert [response.status_code for response in responses] == [201] * 12

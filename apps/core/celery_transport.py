"""Celery's broker transport: kombu's Redis transport, except that a channel whose connection was
already released fails with a connection error instead of an AttributeError that kills the worker.

Selected by `CELERY_BROKER_TRANSPORT` (vantage/settings.py) for `redis://` and `rediss://` brokers.

Why: when the broker connection breaks, celery 5.7's consumer first `collect()`s the connection
(kombu closes its channels and then sets the transport's `client` to None) and then `close()`s it
again (`Consumer.on_connection_error_after_connected`). `collect()` stops at the first channel whose
close fails on the dead socket (a fanout queue's delete, the pending BRPOP's read), so the task
channel may still be open when the transport loses its `client`. The second close then restores the
channel's unacknowledged messages, which builds a new Redis pool from `transport.client.hostname`:
`AttributeError: 'NoneType' object has no attribute 'hostname'` in `restore_unacked`, which
`kombu.common.ignore_errors` does not catch (it catches connection errors only), so the worker exits
with "Unrecoverable error". It happens when the broker dies while a task is unacknowledged and the
worker waits in BRPOP for another (`--concurrency 2` with one task running; the proof run's 3 of 5). The same
failure in an older code path: https://github.com/celery/kombu/issues/582; kombu 5.7.0, celery 5.7.0
and redis-py 8.1.0 (the newest releases) still have it.

Raising redis' ConnectionError there turns it into what it is, a lost connection: celery ignores it
while cleaning up and reconnects, and a late ack on the old channel is logged ("Couldn't ack") instead
of raised. Nothing is lost: a message delivered on the old channel stays in the broker's `unacked`
hash and is delivered again after the visibility timeout (`CELERY_BROKER_TRANSPORT_OPTIONS`), as
kombu does for any unacknowledged message whose restore failed; messages still queued are consumed
after the reconnect. Both need a broker that keeps its data across a restart (AOF, README "Proof").
"""
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("the broker connection of this channel is already closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel

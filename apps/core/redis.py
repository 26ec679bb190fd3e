"""The shared Redis connection (the same server and pool as the Django cache)."""
from django_redis import get_redis_connection
from redis import Redis


def get_redis() -> Redis:
    return get_redis_connection("default")


class CommandBatch:
    """Redis commands queued by name (`batch.incr(key)`, `batch.get(key)`), sent in one packet and their
    replies read back in order: a non-transactional pipeline without redis-py's Pipeline object, whose
    per-command bookkeeping is a quarter of a rate-limited read's Redis CPU (benchmarks/checkout.py).
    Replies are as Redis sends them (EXPIRE answers 1, not True). The pool hands out no connection the
    server has closed (it checks before lending one); a connection that fails or answers an error here is
    dropped, never lent again with replies unread."""

    def __init__(self):
        self.commands: list[tuple] = []

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args: self.commands.append((name.upper(), *args))

    def execute(self, client: Redis) -> list:
        pool = client.connection_pool
        connection = pool.get_connection()
        try:
            connection.send_packed_command(connection.pack_commands(self.commands))
            return [connection.read_response() for _ in self.commands]
        except BaseException:
            connection.disconnect()  # a failed or half-read connection is never reused
            raise
        finally:
            pool.release(connection)

"""The shared Redis connection (the same server and pool as the Django cache), and `CommandBatch`."""
import os
import select
from collections import deque

import hiredis
from django_redis import get_redis_connection
from redis import Redis
from redis._parsers import BaseParser
from redis.connection import ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import InvalidResponse, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError


def get_redis() -> Redis:
    return get_redis_connection("default")


class CommandBatch:
    """Redis commands queued by name (`batch.incr(key)`, `batch.get(key)`), sent in one packet and their
    replies read back in order: a non-transactional pipeline for the rate limiter's round trip, which every
    rate-limited request makes (with a guest session's read queued on it).

    It runs on connections of its own (`_Link`), not lent by redis-py's pool: the pool's lending, its
    command packing and its reply reading were ~40 of this round trip's ~70 µs of CPU (the system calls
    are most of the rest). redis-py's Connection still connects them (TLS, AUTH, SELECT, timeouts, as
    the client is configured) and writes to them; the replies are read with hiredis directly. An idle
    connection the server has closed (a restart) is never used; one that fails is closed, never reused half
    read. Replies are as Redis sends them (EXPIRE answers 1, not True); an error reply raises redis-py's
    exception for it once every reply is read."""

    def __init__(self):
        self.commands: list[tuple] = []

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args: self.commands.append((name.upper(), *args))

    def execute(self, client: Redis) -> list:
        pool = client.connection_pool
        idle = _idle_links(pool)
        link = _lend(idle, pool)
        try:
            replies = link.round_trip(pack_batch(self.commands), len(self.commands))
        except BaseException:
            link.close()
            raise
        idle.append(link)
        for reply in replies:
            if isinstance(reply, ResponseError):
                raise reply
        return replies


def pack_batch(commands: list[tuple]) -> bytes:
    """The commands in Redis' wire format, as one packet (RedisCounter counts them here)."""
    return b"".join([hiredis.pack_command(command) for command in commands])


class _Link:
    """A connection of CommandBatch's own: redis-py's Connection, made from the pool's settings, and a
    hiredis reader of its replies."""

    __slots__ = ("connection", "reader", "poller", "buffer")

    def __init__(self, pool: ConnectionPool):
        self.connection = pool.connection_class(**pool.connection_kwargs)
        self.connection.connect()
        self.reader = hiredis.Reader(protocolError=InvalidResponse, replyError=BaseParser.parse_error)
        self.poller = select.poll()  # poll, not select: no limit on the descriptor's number
        self.poller.register(self.connection._sock, select.POLLIN)
        self.buffer = bytearray(16 * 1024)

    def quiet(self) -> bool:
        """True while the idle connection has nothing to read: a connection the server closed reads as
        readable (EOF), and an idle one never has a reply pending."""
        sock = self.connection._sock
        return sock is not None and not self.poller.poll(0) and not (hasattr(sock, "pending") and sock.pending())

    def round_trip(self, packet: bytes, count: int) -> list:
        self.connection.send_packed_command([packet], check_health=False)  # maps socket errors to redis-py's
        sock, reader, buffer, replies = self.connection._sock, self.reader, self.buffer, []
        while len(replies) < count:
            reply = reader.gets()
            if reply is not False:
                replies.append(reply)
                continue
            try:
                received = sock.recv_into(buffer)
            except TimeoutError:  # the socket's (socket.timeout)
                raise RedisTimeoutError("Timeout reading from Redis") from None
            except OSError as error:
                raise RedisConnectionError(f"Error while reading from Redis: {error}") from None
            if not received:
                raise RedisConnectionError("Connection closed by server.")
            reader.feed(buffer, 0, received)
        return replies

    def close(self) -> None:
        self.connection.disconnect()


def _idle_links(pool: ConnectionPool) -> deque:
    """The pool's idle links in this process (a forked child starts with none: its parent's sockets are the
    parent's). deque's append and pop need no lock."""
    pid, idle = getattr(pool, "_vantage_batch_links", (None, None))
    if pid != os.getpid():
        idle = deque()
        pool._vantage_batch_links = (os.getpid(), idle)
    return idle


def _lend(idle: deque, pool: ConnectionPool) -> _Link:
    while idle:
        try:
            link = idle.pop()
        except IndexError:  # another thread took the last one
            break
        if link.quiet():
            return link
        link.close()
    return _Link(pool)

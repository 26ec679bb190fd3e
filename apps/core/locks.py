"""The project's locks: one Redis lock and PostgreSQL advisory locks, each written once.

- `redis_lock(name, ttl=…)`: a context manager around redis-py's `Lock`. Non-blocking: a lock held
  by someone else raises `LockUnavailable` at once (callers answer "in progress" or skip; none of
  them wants to queue behind a checkout that may take two minutes). The lock expires after `ttl`
  seconds so a crashed holder cannot block forever, and release is owner-checked (a token compared
  in a Lua script): a holder whose lock expired and was taken by another never deletes the other's.
- `advisory_lock(name)`: `pg_advisory_xact_lock`, held until the current transaction ends (it
  cannot be released early, so it is a call, not a context manager); `blocking=False` tries once.
- `advisory_session_lock(name)`: a session-level advisory lock for work that spans several
  transactions on Django's connection (the outbox relay commits per batch); released on exit.

Advisory-lock keys are a 64-bit hash of the name computed here (not PostgreSQL's `hashtext`, whose
result may change between PostgreSQL versions), so every process and server agrees on a name's key.
The beat leader lock (`apps.core.beat`) uses the same keys but keeps its own SQL: it holds the
lock on a dedicated connection that outlives Django's and checks that connection on every tick.
"""
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from redis.exceptions import LockNotOwnedError, RedisError

from .redis import get_redis

logger = logging.getLogger(__name__)


class LockUnavailable(Exception):
    """Another holder has the lock; the caller decides what that means (409, skip, …)."""

    def __init__(self, name: str):
        super().__init__(f"The lock {name!r} is held by another process; retry later or skip this run.")
        self.name = name


@contextmanager
def redis_lock(name: str, *, ttl: float, fail_open: bool = False) -> Iterator[None]:
    """Hold the Redis lock `name` for the block, at most `ttl` seconds; raises LockUnavailable when
    it is taken. `fail_open=True` runs the block unlocked when Redis is unreachable, for callers whose
    real guard is elsewhere (a unique row); otherwise the RedisError propagates."""
    lock = get_redis().lock(name, timeout=ttl, blocking=False)
    try:
        acquired = lock.acquire()
    except RedisError:
        if not fail_open:
            raise
        logger.warning("redis lock unavailable; running unlocked", extra={"lock": name})
        acquired = None
    if acquired is False:
        raise LockUnavailable(name)
    try:
        yield
    finally:
        if acquired:
            _release(lock, name)


def _release(lock, name: str) -> None:
    try:
        lock.release()
    except LockNotOwnedError:
        logger.warning("redis lock expired before its holder finished (ttl too short?); another holder's "
                       "lock is left in place", extra={"lock": name})
    except RedisError:
        logger.warning("redis lock release failed; it expires by itself", extra={"lock": name})


def advisory_key(name: str) -> int:
    """The signed 64-bit PostgreSQL advisory-lock key of `name` (stable across processes and servers)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def advisory_lock(name: str, *, blocking: bool = True) -> bool:
    """Take the transaction-scoped advisory lock `name` (released at commit or rollback). Blocks until
    it is free, or with `blocking=False` returns whether it was free."""
    if not connection.in_atomic_block:
        raise RuntimeError(f"advisory_lock({name!r}) outside a transaction would be released at once; "
                           "call it inside transaction.atomic().")
    function = "pg_advisory_xact_lock" if blocking else "pg_try_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [advisory_key(name)])
        return True if blocking else bool(cursor.fetchone()[0])


@contextmanager
def advisory_session_lock(name: str) -> Iterator[None]:
    """Hold the session-level advisory lock `name` on Django's connection for the block (any number
    of transactions inside); raises LockUnavailable when another session has it. A crash releases it
    with the connection."""
    key = advisory_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            raise LockUnavailable(name)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])

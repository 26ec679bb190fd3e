"""The project's locks (`apps.core.locks`) against real Redis and PostgreSQL: a lock excludes another
process, and only its owner frees it."""
import os
import select
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.db import connection, transaction

from apps.core.locks import LockUnavailable, advisory_key, advisory_lock, advisory_session_lock, redis_lock
from apps.core.redis import get_redis

REPO = Path(__file__).resolve().parents[3]

# A second Django process on the test database and Redis that takes and drops locks on command
# ("<kind> <name>" → "held" or "unavailable"; "release -" → "released").
CHILD = """
import sys, django
django.setup()
from contextlib import ExitStack
from django.db import connection, transaction
from apps.core.locks import LockUnavailable, advisory_key, advisory_lock, advisory_session_lock, redis_lock

held = ExitStack()
for line in sys.stdin:
    kind, name = line.split()
    if kind == "release":
        held.close()
        print("released", flush=True)
        continue
    try:
        if kind == "redis":
            held.enter_context(redis_lock(name, ttl=30))
        elif kind in ("xact", "xact-wait"):
            held.enter_context(transaction.atomic())
            if not advisory_lock(name, blocking=kind == "xact-wait"):
                raise LockUnavailable(name)
        elif kind == "session":
            held.enter_context(advisory_session_lock(name))
        elif kind == "stray-unlock":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [advisory_key(name)])
                print("unlocked" if cursor.fetchone()[0] else "not-owner", flush=True)
            continue
        print("held", flush=True)
    except LockUnavailable:
        held.close()
        print("unavailable", flush=True)
"""


class OtherProcess:
    def __init__(self):
        db = connection.settings_dict
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update({"DJANGO_SETTINGS_MODULE": "vantage.settings",
                    "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                                    f"{db['NAME']}"})
        self.process = subprocess.Popen([sys.executable, "-c", CHILD], cwd=REPO, env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(self, kind: str, name: str = "-") -> None:
        self.process.stdin.write(f"{kind} {name}\n")
        self.process.stdin.flush()

    def answer(self, timeout: float = 30) -> str | None:
        """The next answer, or None when there is none within `timeout` seconds (still blocked)."""
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        return self.process.stdout.readline().strip() if ready else None

    def ask(self, kind: str, name: str = "-") -> str | None:
        self.send(kind, name)
        return self.answer()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture
def other_process():
    process = OtherProcess()
    yield process
    process.close()


@pytest.fixture
def lock_name(request):
    name = f"test-lock:{request.node.name}"
    get_redis().delete(name)
    yield name
    get_redis().delete(name)


def test_redis_lock_excludes_another_process(other_process, lock_name):
    # given the other process holds the lock
    assert other_process.ask("redis", lock_name) == "held"
    # then this one cannot take it
    with pytest.raises(LockUnavailable), redis_lock(lock_name, ttl=30):
        pass
    # when the other process releases it, this one takes it and the other is refused meanwhile
    assert other_process.ask("release") == "released"
    with redis_lock(lock_name, ttl=30):
        assert other_process.ask("redis", lock_name) == "unavailable"
    # and after this one's release the other takes it again
    assert other_process.ask("redis", lock_name) == "held"


def test_redis_lock_that_expired_never_releases_the_next_holders_lock(lock_name):
    redis = get_redis()
    with ExitStack() as second:
        # given A's lock expired while A was still working, and B took the lock
        with redis_lock(lock_name, ttl=0.2):
            time.sleep(0.4)
            second.enter_context(redis_lock(lock_name, ttl=30))
            held_by_b = redis.get(lock_name)
        # when A finishes and releases, then B still holds the lock
        assert redis.get(lock_name) == held_by_b
        with pytest.raises(LockUnavailable), redis_lock(lock_name, ttl=30):
            pass
    # and B's own release frees it
    assert redis.get(lock_name) is None


@pytest.mark.django_db(transaction=True)  # the lock must outlive a real commit
def test_advisory_lock_excludes_another_process_until_the_transaction_ends(other_process, lock_name):
    # given this process holds the transaction-scoped lock
    with transaction.atomic():
        assert advisory_lock(lock_name) is True
        # then the other process can neither try it nor, waiting, get it before the commit
        assert other_process.ask("xact", lock_name) == "unavailable"
        other_process.send("xact-wait", lock_name)
        assert other_process.answer(timeout=1) is None
    # when this transaction commits, the waiting process gets it
    assert other_process.answer() == "held"
    # and now this process is the one refused
    with transaction.atomic():
        assert advisory_lock(lock_name, blocking=False) is False
    assert other_process.ask("release") == "released"
    with transaction.atomic():
        assert advisory_lock(lock_name, blocking=False) is True


@pytest.mark.django_db(transaction=True)
def test_advisory_lock_belongs_to_its_transaction(other_process, lock_name):
    # given this process holds the lock in a transaction that then fails
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        advisory_lock(lock_name)
        # then another session cannot release it (PostgreSQL checks the owner)
        assert other_process.ask("stray-unlock", lock_name) == "not-owner"
        assert other_process.ask("xact", lock_name) == "unavailable"
        1 / 0  # noqa: B018 — the rollback must release the lock as surely as a commit
    # when the rollback ended the transaction, the other process takes it
    assert other_process.ask("xact", lock_name) == "held"


def test_advisory_lock_outside_a_transaction_is_refused(lock_name):
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        advisory_lock(lock_name)


@pytest.mark.django_db(transaction=True)
def test_advisory_session_lock_spans_transactions_and_excludes_another_process(other_process, lock_name):
    # given the other process holds the session-level lock across transactions
    assert other_process.ask("session", lock_name) == "held"
    # then this process is refused, and a stray unlock from here does not free it
    with pytest.raises(LockUnavailable), advisory_session_lock(lock_name):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [advisory_key(lock_name)])
        assert cursor.fetchone()[0] is False
    # when the other process leaves its block, this one takes the lock, through several commits
    assert other_process.ask("release") == "released"
    with advisory_session_lock(lock_name):
        for _ in range(2):
            with transaction.atomic():
                assert other_process.ask("session", lock_name) == "unavailable"
    assert other_process.ask("session", lock_name) == "held"


def test_advisory_keys_are_stable_signed_64_bit_numbers():
    # The key of a name must never change between releases: old and new processes of a deploy
    # would otherwise not exclude each other.
    assert advisory_key("events:outbox-relay") == advisory_key("events:outbox-relay")
    assert advisory_key("inventory:stock-check") != advisory_key("events:outbox-relay")
    assert -(2 ** 63) <= advisory_key("returns:order:ord_1") < 2 ** 63
    assert advisory_key("core:beat-leader") == -2894972449637226091

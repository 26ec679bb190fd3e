"""Test support of the core app (registered as a pytest plugin in the root conftest.py): users, counters.

The user model is Django's, which no domain app owns; every app's tests build users here.
`staff_user` is an ops user, signed in to `staff_client` (pages) and `staff_api` (DRF).
`RedisCounter` counts the Redis traffic of a block (tests pinning a request's cost, the benchmarks).
"""
import threading
import time

import factory
import pytest
from django.contrib.auth import get_user_model
from redis.connection import AbstractConnection
from rest_framework.test import APIClient

from . import redis as core_redis


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"shopper{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("s3cret-pass")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="ops", email="ops@vantage.example", password="ops-password", is_staff=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def staff_api(staff_user):
    """A DRF test client signed in as `staff_user` (ops reach the merchant API through their session)."""
    client = APIClient()
    client.force_login(staff_user)
    return client


@pytest.fixture
def service_headers(settings) -> dict:
    """The `X-Service-Auth` header of an internal caller (the first configured service token)."""
    return {"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"}


def wait_for(condition, timeout: float = 10.0) -> None:
    """Poll `condition` until it is true (a live server or webhook finishing in another thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


class RedisCounter:
    """Counts, inside the `with` block, the Redis round trips (a pipeline or MULTI/EXEC block is one) and
    the commands in them, of every redis-py connection in this process (any thread).

    Counted on the client, not with the server's INFO commandstats: xdist workers share one Redis server,
    and a server-side delta would include the other workers' commands.
    """

    def __init__(self):
        self.round_trips = 0
        self.commands: list[str] = []
        self._lock = threading.Lock()

    def __enter__(self) -> "RedisCounter":
        counter = self
        self._saved = (AbstractConnection.send_command, AbstractConnection.pack_commands,
                       AbstractConnection.send_packed_command)
        send_command, pack_commands, send_packed_command = self._saved

        def counted_send_command(connection, *args, **kwargs):
            counter._add([args])
            return send_command(connection, *args, **kwargs)

        def counted_pack_commands(connection, commands):
            commands = list(commands)
            counter._add(commands)
            return pack_commands(connection, commands)

        def counted_send_packed_command(connection, command, check_health=True):
            with counter._lock:
                counter.round_trips += 1
            return send_packed_command(connection, command, check_health)

        def counted_pack_batch(commands):
            counter._add(commands)
            return pack_batch(commands)

        AbstractConnection.send_command = counted_send_command
        AbstractConnection.pack_commands = counted_pack_commands
        AbstractConnection.send_packed_command = counted_send_packed_command
        pack_batch = self._saved_pack_batch = core_redis.pack_batch
        core_redis.pack_batch = counted_pack_batch  # CommandBatch packs its own (and sends it as above)
        return self

    def __exit__(self, *exc_info) -> None:
        (AbstractConnection.send_command, AbstractConnection.pack_commands,
         AbstractConnection.send_packed_command) = self._saved
        core_redis.pack_batch = self._saved_pack_batch

    def _add(self, commands) -> None:
        names = [str(args[0]) if not isinstance(args[0], bytes) else args[0].decode() for args in commands]
        with self._lock:
            self.commands.extend(name.upper() for name in names)

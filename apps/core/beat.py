"""One beat at a time: django-celery-beat's DatabaseScheduler behind a PostgreSQL advisory lock.

django-celery-beat has no leader election, so two beat processes (a rolling deploy, a second
`make run`, an operator's mistake) would send every periodic task twice. `LockedDatabaseScheduler`
sends the schedule only while it holds a session-level advisory lock on its own connection; any
other beat stands by, trying the lock every BEAT_STANDBY_POLL_SECONDS. PostgreSQL releases the
lock when the leader's connection ends (exit, crash, killed pod), so a standby takes over within
one poll. The lock is checked with one `SELECT 1` per tick: a leader that lost its connection
stops sending at once and competes for the lock again like any standby.

Enabled by CELERY_BEAT_SCHEDULER (settings), so `celery -A vantage beat` needs no flag.
"""
import contextlib
import logging

from django.conf import settings
from django.db import connection
from django_celery_beat.schedulers import DatabaseScheduler

from .locks import advisory_key

logger = logging.getLogger(__name__)

BEAT_LOCK_ID = advisory_key("core:beat-leader")


class LeaderLock:
    """A PostgreSQL session advisory lock held on a dedicated autocommit connection (not Django's,
    which Django closes between requests and tasks). Its SQL stays here rather than in
    `apps.core.locks`: the lock lives as long as this connection, which `held()` probes every tick."""

    def __init__(self, lock_id: int = BEAT_LOCK_ID):
        self.lock_id = lock_id
        self._conn = None

    def held(self) -> bool:
        """Whether this process still holds the lock (its connection answers)."""
        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 — any failure means the session (and its lock) is gone
            self._drop()
            logger.error("beat lost its leader lock connection; standing by")
            return False

    def acquire(self) -> bool:
        try:
            if self._conn is None:
                self._conn = connection.get_new_connection(connection.get_connection_params())
                self._conn.autocommit = True
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", [self.lock_id]).fetchone()
        except Exception as exc:  # noqa: BLE001 — database down: stand by and try again next poll
            self._drop()
            logger.warning("beat could not reach the database for its leader lock: %s", type(exc).__name__)
            return False
        return bool(row[0])

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # closing the session releases it anyway
                self._conn.execute("SELECT pg_advisory_unlock(%s)", [self.lock_id])
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
        self._conn = None


class LockedDatabaseScheduler(DatabaseScheduler):
    def __init__(self, *args, **kwargs):
        self.leader = LeaderLock()
        self._leading = False
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs) -> float:
        if self._leading and not self.leader.held():
            self._leading = False
        if not self._leading:
            if not self.leader.acquire():
                return settings.BEAT_STANDBY_POLL_SECONDS
            self._leading = True
            logger.info("beat holds the leader lock and sends the schedule")
            # Another beat may have run tasks meanwhile: start from the database's last_run_at.
            self._initial_read, self._heap = True, None
        return super().tick(*args, **kwargs)

    def close(self) -> None:
        super().close()
        self.leader.release()

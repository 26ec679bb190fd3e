"""The in-process configuration cache: flag and experiment evaluation without a database query.

Each process keeps an immutable `Snapshot`. At most every FLAGS_CACHE_CHECK_MS it reads one Redis
key, the configuration version, which every flag or experiment change increments after commit;
a different value means "reload from the database". A process also reloads when its snapshot is
older than FLAGS_CACHE_MAX_AGE_SECONDS (a lost bump, or a change rolled back after it invalidated
the local copy), so no process can stay stale for long.

When Redis is unreachable the last snapshot keeps serving, Redis is retried after a back-off, and
the snapshot is refreshed from the database every FLAGS_CACHE_REDIS_DOWN_RELOAD_SECONDS. When the
database is unreachable too, the last snapshot keeps serving (or, before any load, an empty one:
every flag then serves its caller's default).
"""
import logging
import threading
import time

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.dispatch import receiver
from redis.exceptions import RedisError

from apps.core.redis import get_redis

from .errors import InvalidRule
from .evaluation import CompiledExperiment, CompiledFlag, Snapshot, compile_eligibility, compile_flag
from .models import Experiment, Flag

logger = logging.getLogger(__name__)

VERSION_KEY = "vantage:experiments:config_version"
REDIS_RETRY_SECONDS = 5.0
_UNREACHABLE = object()


def _load_snapshot() -> Snapshot:
    flags: dict[str, CompiledFlag] = {}
    for flag in Flag.objects.all():
        try:
            flags[flag.key] = compile_flag(
                key=flag.key, enabled=flag.enabled, kill_switch=flag.kill_switch, on_value=flag.on_value,
                fallback_value=flag.fallback_value, rollout_percentage=flag.rollout_percentage,
                rules_config=flag.rules, prerequisites=flag.prerequisites, client_side=flag.client_side,
                archived=flag.archived,
            )
        except (InvalidRule, KeyError, TypeError, AttributeError):
            # Only reachable if the row was written around the services; serve the safe value.
            logger.exception("flag has an invalid configuration; serving its fallback", extra={"flag": flag.key})
            flags[flag.key] = CompiledFlag(key=flag.key, enabled=False, kill_switch=True, on_value=flag.on_value,
                                           fallback_value=flag.fallback_value, rollout_percentage=0.0)
    experiments: dict[str, CompiledExperiment] = {}
    for experiment in Experiment.objects.filter(status=Experiment.Status.RUNNING):
        try:
            eligibility = compile_eligibility(experiment.eligibility)
        except InvalidRule:
            logger.exception("experiment has an invalid eligibility rule; skipping it",
                             extra={"experiment": experiment.key})
            continue
        experiments[experiment.key] = CompiledExperiment(
            pk=experiment.pk, experiment_id=experiment.experiment_id, key=experiment.key,
            control_key=experiment.control_key,
            weights=tuple((v["key"], float(v["weight"])) for v in experiment.variants), eligibility=eligibility,
        )
    return Snapshot(flags=flags, running_experiments=experiments)


class ConfigStore:
    """One per process (`config_store`); thread-safe; `snapshot()` is the hot path."""

    def __init__(self):
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._seen_version = _UNREACHABLE
        self._loaded_at = 0.0
        self._redis_retry_at = 0.0
        self._dirty = True
        # Until when the snapshot is served without looking at Redis: the hot path is one clock read
        # and one comparison (no settings lookup, no arithmetic); 0 forces a check on the next read.
        self._fresh_until = 0.0

    def snapshot(self) -> Snapshot:
        if time.monotonic() < self._fresh_until:
            return self._snapshot
        with self._lock:
            return self._refresh(time.monotonic())

    def invalidate(self) -> None:
        """Reload on the next read (this process's own change; other processes learn via Redis)."""
        self._dirty = True
        self._fresh_until = 0.0

    def reset(self) -> None:
        """Forget everything (snapshot, version seen, a Redis outage being waited out), as a new process
        would: tests start each case from here, since Redis is flushed and the database rolled back."""
        self.__init__()

    def recheck(self) -> None:
        """Look at the Redis version on the next read (the check interval setting changed)."""
        self._fresh_until = 0.0

    def _read_version(self, now: float):
        if now < self._redis_retry_at:
            return _UNREACHABLE
        try:
            return get_redis().get(VERSION_KEY)
        except RedisError:
            self._redis_retry_at = now + REDIS_RETRY_SECONDS
            logger.warning("redis unreachable; flags serve the last loaded configuration")
            return _UNREACHABLE

    def _refresh(self, now: float) -> Snapshot:
        if now < self._fresh_until:
            return self._snapshot  # another thread refreshed while this one waited for the lock
        version = self._read_version(now)
        age = now - self._loaded_at
        if version is _UNREACHABLE:
            stale = age > settings.FLAGS_CACHE_REDIS_DOWN_RELOAD_SECONDS
        else:
            stale = version != self._seen_version or age > settings.FLAGS_CACHE_MAX_AGE_SECONDS
        if self._snapshot is None or self._dirty or stale:
            try:
                self._snapshot = _load_snapshot()
                self._loaded_at = now
                self._dirty = False
                if version is not _UNREACHABLE:
                    self._seen_version = version
            except DatabaseError:
                logger.exception("could not load flag configuration; serving the last loaded one")
                self._snapshot = self._snapshot or Snapshot()
                self._loaded_at = now
        if not self._dirty:
            self._fresh_until = now + settings.FLAGS_CACHE_CHECK_MS / 1000
        return self._snapshot


config_store = ConfigStore()


@receiver(setting_changed)
def _check_interval_changed(*, setting: str, **kwargs) -> None:
    if setting == "FLAGS_CACHE_CHECK_MS":
        config_store.recheck()


def _bump_version() -> None:
    try:
        get_redis().incr(VERSION_KEY)
    except RedisError:
        logger.warning("could not bump the flag configuration version; other processes reload within "
                       "FLAGS_CACHE_MAX_AGE_SECONDS")


def config_changed() -> None:
    """Call inside the transaction that changed a flag or experiment: this process reloads on its
    next read; every other process reloads once the version bump (after commit) is seen."""
    config_store.invalidate()
    transaction.on_commit(config_store.invalidate)
    transaction.on_commit(_bump_version)

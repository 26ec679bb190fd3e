"""The payment gateway's circuit breaker: pybreaker's state machine, state in Redis.

All web and worker processes share one state (keys `payments-stripe:pybreaker:*`). It opens after
PAYMENT_BREAKER_FAIL_MAX transient failures in a row, fails fast while open, lets exactly one probe
through once PAYMENT_BREAKER_RESET_SECONDS have passed (a Redis `SET NX` claims the probe across
processes), and closes when the probe succeeds. Card errors prove Stripe is up: they count as success.

pybreaker's own `call()` holds a process-wide lock for the whole call, which would serialize every
payment in a process behind one slow Stripe request; so the network call happens outside it and only
its outcome is fed to the state machine (`record_success`/`record_failure`).

The common case costs one Redis round trip: `before_call` reads the state and the failure counter in one
pipeline, and while the breaker is closed with no failures counted a success has nothing to record, so
pybreaker's state machine (and its Redis reads and writes) is only built when something is to change.
A quiet reading is trusted by the process for PAYMENT_BREAKER_QUIET_CACHE_MS (0: every call reads), so a busy
process reads the state a few times a second rather than once per payment: a breaker opened by another
process is seen that much later, and a failure here forgets the reading at once.
"""
import logging
import math
import time
from datetime import UTC, datetime

import pybreaker
from django.conf import settings
from prometheus_client import Counter
from redis.exceptions import RedisError

from apps.core.redis import get_redis

logger = logging.getLogger(__name__)

BREAKER_NAME = "payments-stripe"
PROBE_KEY = f"{BREAKER_NAME}:probe"


def redis_key(field: str) -> str:
    """Where pybreaker keeps `state`, `fail_counter`, `opened_at`… of this breaker."""
    return f"{BREAKER_NAME}:{pybreaker.CircuitRedisStorage.BASE_NAMESPACE}:{field}"

TRANSITIONS = Counter(
    "payments_gateway_breaker_transitions_total", "Payment gateway circuit breaker state changes",
    ["from_state", "to_state"],
)


# When (time.monotonic()) this process last read the breaker quiet; None: read it on the next call.
_quiet_read_at: float | None = None


class BreakerOpen(Exception):
    """Raised instead of calling Stripe while the breaker is open."""

    def __init__(self, retry_after_seconds: int):
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"payment gateway circuit open; retry in {retry_after_seconds}s")


class _TransitionLog(pybreaker.CircuitBreakerListener):
    def state_change(self, cb, old_state, new_state) -> None:
        old_name = old_state.name if old_state else "none"
        TRANSITIONS.labels(from_state=old_name, to_state=new_state.name).inc()
        logger.warning("payment gateway circuit breaker %s -> %s", old_name, new_state.name,
                       extra={"breaker": cb.name, "from_state": old_name, "to_state": new_state.name,
                              "fail_counter": cb.fail_counter})


class _Outcome(Exception):
    """Carries a transient failure into pybreaker's bookkeeping."""


class GatewayBreaker:
    """One breaker view per gateway operation; the truth lives in Redis."""

    def __init__(self):
        self.redis = get_redis()
        self.reset_seconds = settings.PAYMENT_BREAKER_RESET_SECONDS
        self._cb: pybreaker.CircuitBreaker | None = None
        self.probing = False
        self.quiet = False  # closed with no failures counted, as read by before_call

    @property
    def cb(self) -> pybreaker.CircuitBreaker:
        if self._cb is None:
            self._cb = pybreaker.CircuitBreaker(
                fail_max=settings.PAYMENT_BREAKER_FAIL_MAX,
                reset_timeout=self.reset_seconds,
                state_storage=pybreaker.CircuitRedisStorage(pybreaker.STATE_CLOSED, self.redis,
                                                            namespace=BREAKER_NAME),
                listeners=[_TransitionLog()],
                name=BREAKER_NAME,
                throw_new_error_on_trip=False,
            )
        return self._cb

    @property
    def state(self) -> str:
        return self.cb.current_state

    def retry_after_seconds(self) -> int:
        opened_at = self.cb._state_storage.opened_at
        if not opened_at:
            return max(1, self.reset_seconds)
        remaining = self.reset_seconds - (datetime.now(UTC) - opened_at).total_seconds()
        return max(1, math.ceil(remaining))

    def before_call(self) -> None:
        """Raise BreakerOpen unless a call may go to Stripe now."""
        global _quiet_read_at
        now = time.monotonic()
        if _quiet_read_at is not None and now - _quiet_read_at < settings.PAYMENT_BREAKER_QUIET_CACHE_MS / 1000:
            self.quiet = True
            return
        try:
            state, failures = self.redis.mget(redis_key("state"), redis_key("fail_counter"))
        except RedisError:
            state, failures = b"unknown", None  # pybreaker's storage logs it and falls back to closed
        self.quiet = state in (None, pybreaker.STATE_CLOSED.encode()) and int(failures or 0) == 0
        _quiet_read_at = now if self.quiet else None
        if self.quiet:
            return
        state = self.cb.state.name
        if state == pybreaker.STATE_CLOSED:
            return
        if state == pybreaker.STATE_OPEN and not self._reset_elapsed():
            raise BreakerOpen(self.retry_after_seconds())
        if not self.redis.set(PROBE_KEY, "1", nx=True, ex=max(self.reset_seconds, 1)):
            raise BreakerOpen(1)
        self.probing = True
        if state == pybreaker.STATE_OPEN:
            self.cb.half_open()

    def _reset_elapsed(self) -> bool:
        opened_at = self.cb._state_storage.opened_at
        return opened_at is None or (datetime.now(UTC) - opened_at).total_seconds() >= self.reset_seconds

    def record_success(self) -> None:
        if self.quiet and not self.probing:
            return  # closed, no failures to forget: pybreaker would only write the counter's 0 again
        self._report(None)

    def record_failure(self, exc: BaseException) -> None:
        global _quiet_read_at
        _quiet_read_at = None  # the next call reads what this failure made of the breaker
        self._report(exc)

    def _report(self, exc: BaseException | None) -> None:
        def outcome():
            if exc is not None:
                raise _Outcome(str(exc))

        try:
            self.cb.call(outcome)
        except (_Outcome, pybreaker.CircuitBreakerError):
            pass
        finally:
            if self.probing:
                self.redis.delete(PROBE_KEY)
                self.probing = False

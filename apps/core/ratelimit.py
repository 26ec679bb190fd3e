"""Per-route rate limits shared by every process through Redis (fixed one-minute windows).

Use as a DRF view mixin: `rate_limit = RateLimit(scope="guest_checkout", limit=10)`. Every
response of a limited route carries `X-RateLimit-Limit/Remaining/Reset`; past the limit the
answer is 429 `RATE_LIMITED` with `Retry-After`. When Redis is unreachable the limiter fails
open (logged): refusing every shopper would be worse than briefly not limiting.

A view may queue the Redis reads its handler needs on the limiter's batch (`rate_limit_reads`, an
`apps.core.redis.CommandBatch`), so that a read-only request costs one round trip; their replies are in
`self.rate_limit_replies` (empty when Redis failed: the handler then reads for itself and meets the error
there).
"""
import logging
import time
from dataclasses import dataclass

from redis.exceptions import RedisError

from .client_ip import client_ip
from .errors import ApplicationError
from .redis import CommandBatch, get_redis

logger = logging.getLogger(__name__)


class RateLimited(ApplicationError):
    status_code = 429
    code = "RATE_LIMITED"
    message = "Too many requests. Wait for the number of seconds in Retry-After, then retry."


@dataclass(frozen=True)
class RateLimit:
    scope: str
    limit: int
    window_seconds: int = 60

    def hit(self, identity: str, now: float | None = None, also=None) -> "RateLimitState":
        """Count one request of `identity`; `also(batch)` may queue more commands on the same round trip
        (a CommandBatch; their replies in the state's `replies`)."""
        now = time.time() if now is None else now
        window = int(now // self.window_seconds)
        reset = (window + 1) * self.window_seconds
        key = f"rl:{self.scope}:{identity}:{window}"
        try:
            # No MULTI: the counter and the expiry go in one packet, and the reads queued after them
            # name keys of other Redis Cluster slots, which a MULTI could not span.
            batch = CommandBatch()
            batch.incr(key)
            batch.expire(key, self.window_seconds + 5)
            if also is not None:
                also(batch)
            count, _, *replies = batch.execute(get_redis())
        except RedisError:
            logger.warning("rate limiter unavailable; failing open", extra={"scope": self.scope})
            return RateLimitState(self.limit, self.limit, reset, allowed=True)
        return RateLimitState(self.limit, max(self.limit - count, 0), reset, allowed=count <= self.limit,
                              replies=tuple(replies))


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset_epoch: int
    allowed: bool
    replies: tuple = ()

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_epoch),
        }


class RateLimitMixin:
    """Mixin for DRF APIViews: counts the request before the handler runs."""

    rate_limit: RateLimit | None = None
    rate_limit_replies: tuple = ()

    def rate_limit_reads(self, request, batch, **kwargs) -> None:
        """Override to queue the handler's Redis reads on the limiter's CommandBatch (see the module docstring)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.rate_limit is None:
            return
        state = self.rate_limit.hit(client_ip(request),
                                    also=lambda batch: self.rate_limit_reads(request, batch, **kwargs))
        self._rate_limit_state = state
        self.rate_limit_replies = state.replies
        if not state.allowed:
            retry_after = max(int(state.reset_epoch - time.time()), 1)
            raise RateLimited(headers={"Retry-After": str(retry_after)})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        state = getattr(self, "_rate_limit_state", None)
        if state is not None:
            for name, value in state.headers().items():
                response[name] = value
        return response

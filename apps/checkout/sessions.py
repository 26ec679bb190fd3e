"""`GuestSessionStore`: the guest checkout's ephemeral sessions in Redis.

- Key `guest:sess:<uuid>` (the key is also the public session id), JSON value, TTL
  `GUEST_SESSION_TTL_SECONDS` renewed on every activity.
- Updates are optimistic: WATCH the key, read, MULTI/EXEC the new value; a concurrent writer makes
  EXEC fail and the update retries, a bounded number of times.
- Redis TTL expiry is silent, so abandonment is tracked separately: every write also refreshes
  a trail copy `{guest:sess:<uuid>}:trail` that outlives the session (its hash tag is the session
  key itself, so both keys live in one Redis Cluster slot and share one MULTI), and the expiry
  time goes into the sorted set `guest:sess-expiries`, which the abandonment sweep reads.
- Only the SHA-256 of the session token is stored; the token is shown once, at creation.
"""
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from redis import Redis
from redis.exceptions import WatchError

from apps.core.redis import get_redis

from .errors import SessionConflict, SessionExpired

SESSION_PREFIX = "guest:sess:"
SESSION_TOKEN_PREFIX = "guest_session_tok_"  # the OpenAPI scheme `guestSessionToken` names it (settings)
EXPIRY_INDEX = "guest:sess-expiries"
TRAIL_GRACE_SECONDS = 24 * 3600  # how long the sweep may lag before a trail is lost
MAX_UPDATE_ATTEMPTS = 5


class Step:
    """How far the shopper got (reported with abandonment)."""

    STARTED = "started"
    CONTACT = "contact"
    SHIPPING = "shipping"
    PAYMENT = "payment"
    COMPLETED = "completed"


@dataclass
class GuestSession:
    session_id: str
    cart_id: str
    created_at: float
    last_activity: float
    token_hash: str
    email: str = ""
    shipping_address: dict | None = None
    shipping_method: str = ""  # the chosen shipping method's code ("" = the cheapest that ships there)
    payment_method_id: str = ""
    payment_intent_id: str = ""
    cart_snapshot: dict = field(default_factory=dict)
    last_step: str = Step.STARTED
    order_id: str = ""

    @property
    def completed(self) -> bool:
        return bool(self.order_id)

    def token_matches(self, token: str) -> bool:
        return bool(token) and hmac.compare_digest(self.token_hash, _hash_token(token))


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def trail_key(session_id: str) -> str:
    return "{" + session_id + "}:trail"


def is_session_id(value: str) -> bool:
    if not value.startswith(SESSION_PREFIX):
        return False
    try:
        uuid.UUID(value[len(SESSION_PREFIX):])
    except ValueError:
        return False
    return True


class GuestSessionStore:
    """Create, read and update guest sessions; see the module docstring for the Redis layout."""

    def __init__(self, redis: Redis | None = None, ttl_seconds: int | None = None):
        self.redis = redis or get_redis()
        self.ttl = ttl_seconds or settings.GUEST_SESSION_TTL_SECONDS

    def create(self, *, cart_id: str, cart_snapshot: dict, email: str = "", **progress) -> tuple[GuestSession, str]:
        """A new session for an existing cart (the caller checked it: no orphan sessions), with any
        progress already made (`shipping_address`, `payment_method_id`, `last_step`).
        Returns the session and its bearer token."""
        token = SESSION_TOKEN_PREFIX + secrets.token_urlsafe(24)
        now = time.time()
        progress.setdefault("last_step", Step.CONTACT if email else Step.STARTED)
        session = GuestSession(
            session_id=f"{SESSION_PREFIX}{uuid.uuid4()}", cart_id=cart_id, created_at=now, last_activity=now,
            token_hash=_hash_token(token), email=email, cart_snapshot=cart_snapshot, **progress,
        )
        # One round trip, no MULTI: nobody else knows the new key yet, and the index entry is queued first
        # (the index lives in another Cluster slot, so it could not share a MULTI anyway).
        pipe = self.redis.pipeline(transaction=False)
        pipe.zadd(EXPIRY_INDEX, {session.session_id: now + self.ttl})
        self._write(pipe, session)
        pipe.execute()
        return session, token

    def get(self, session_id: str) -> GuestSession | None:
        if not is_session_id(session_id):
            return None
        raw = self.redis.get(session_id)
        return _decode(raw) if raw else None

    def ttl_remaining(self, session_id: str) -> int:
        return max(int(self.redis.ttl(session_id)), 0)

    @staticmethod
    def queue_read(batch, session_id: str) -> None:
        """Queue the session's GET and TTL on another caller's pipeline or CommandBatch (one round trip);
        `from_read` turns the two replies into what `get` and `ttl_remaining` answer. Nothing is queued
        for a string that is not a session id (no other key is ever read on a client's say-so)."""
        if is_session_id(session_id):
            batch.get(session_id)
            batch.ttl(session_id)

    @staticmethod
    def from_read(session_id: str, raw: bytes | None, ttl: int) -> tuple[GuestSession | None, int]:
        if not raw:
            return None, 0
        return _decode(raw), max(int(ttl), 0)

    def update(self, session_id: str, **changes) -> GuestSession:
        """Apply `changes` and renew the TTL, optimistically (WATCH/MULTI/EXEC, bounded retries).
        Raises SessionExpired if the session is gone and SessionConflict if writers keep racing."""
        if not is_session_id(session_id):
            raise SessionExpired()
        for _ in range(MAX_UPDATE_ATTEMPTS):
            with self.redis.pipeline(transaction=True) as pipe:
                try:
                    pipe.watch(session_id)
                    raw = pipe.get(session_id)
                    if not raw:
                        raise SessionExpired()
                    session = _decode(raw)
                    for name, value in changes.items():
                        setattr(session, name, value)
                    session.last_activity = time.time()
                    if not session.completed:
                        self._index(session_id, session.last_activity)
                    pipe.multi()
                    self._write(pipe, session)
                    pipe.execute()
                    if session.completed:
                        self.redis.zrem(EXPIRY_INDEX, session_id)
                    return session
                except WatchError:
                    continue
        raise SessionConflict()

    def update_unseen(self, session: GuestSession, **changes) -> GuestSession:
        """Apply `changes` to a session this request created, whose id and token it has not answered yet:
        no other writer can race it, so no WATCH/GET/MULTI, and the session, its trail and (once completed)
        the index entry's removal go in one round trip instead of four."""
        for name, value in changes.items():
            setattr(session, name, value)
        session.last_activity = time.time()
        pipe = self.redis.pipeline(transaction=False)
        self._write(pipe, session)
        if session.completed:
            pipe.zrem(EXPIRY_INDEX, session.session_id)
        pipe.execute()
        return session

    def _write(self, pipe, session: GuestSession) -> None:
        payload = json.dumps(asdict(session), default=str)
        pipe.set(session.session_id, payload, ex=self.ttl)
        pipe.set(trail_key(session.session_id), payload, ex=self.ttl + TRAIL_GRACE_SECONDS)

    def _index(self, session_id: str, now: float) -> None:
        # Written before the session itself: a crash in between leaves an index entry without a
        # session, which the sweep drops, never a session the sweep cannot see.
        self.redis.zadd(EXPIRY_INDEX, {session_id: now + self.ttl})

    # --- used by the abandonment sweep ------------------------------------------------------

    def due_for_sweep(self, *, now: float | None = None, limit: int = 500) -> list[str]:
        now = time.time() if now is None else now
        return [member.decode() for member in self.redis.zrangebyscore(EXPIRY_INDEX, "-inf", now, start=0, num=limit)]

    def still_alive(self, session_id: str) -> bool:
        """True (and re-indexed) if the session was renewed after its index entry was written."""
        ttl = int(self.redis.ttl(session_id))
        if ttl > 0:
            self.redis.zadd(EXPIRY_INDEX, {session_id: time.time() + ttl})
            return True
        return False

    def trail(self, session_id: str) -> GuestSession | None:
        raw = self.redis.get(trail_key(session_id))
        return _decode(raw) if raw else None

    def forget(self, session_id: str) -> None:
        self.redis.zrem(EXPIRY_INDEX, session_id)
        self.redis.delete(trail_key(session_id))


def _decode(raw: bytes) -> GuestSession:
    return GuestSession(**json.loads(raw))


def iso_utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

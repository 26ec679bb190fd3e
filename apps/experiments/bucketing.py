"""Stable bucketing: the same (salt, unit) always lands in the same place, in every process.

`bucket(salt, unit)` maps sha256("salt:unit") to a number in [0, 100). A unit is in a rollout
of p % when its bucket < p, so growing a rollout from 5 % to 25 % only adds units: everyone in
the first 5 % stays in. Flags salt with their key and experiments with theirs, so a unit's
position in one says nothing about its position in another.
"""
import hashlib

_SCALE = 100.0 / 2**64


def bucket(salt: str, unit_id: str) -> float:
    """The unit's stable position in [0, 100) for this salt (first 8 bytes of sha256)."""
    digest = hashlib.sha256(f"{salt}:{unit_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") * _SCALE


def unit_id_for(context: dict) -> str:
    """The bucketing unit: the user id for signed-in users (same variant on every device),
    otherwise the session id; '' when the context has neither (no percentage applies)."""
    user_id = context.get("user_id")
    if user_id not in (None, ""):
        return f"user:{user_id}"
    session_id = context.get("session_id")
    if session_id not in (None, ""):
        return f"session:{session_id}"
    return ""


def allocate(position: float, weights: list[tuple[str, float]]) -> str | None:
    """The variant whose cumulative weight range holds `position` (weights are percentages
    of 100; units past their sum are not in the experiment)."""
    cumulative = 0.0
    for key, weight in weights:
        cumulative += weight
        if position < cumulative:
            return key
    return None

"""The return state machine: the only code that changes `Return.status`.

Every transition is checked against `ALLOWED_TRANSITIONS`, recorded as a `ReturnTransition`
(who or what caused it) and published on `returns.events` through the outbox — all in the
caller's transaction, so a state change and its event are committed together or not at all.
"""
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.events.public import RETURNS_EVENTS, publish
from apps.returns.errors import InvalidTransition
from apps.returns.models import ALLOWED_TRANSITIONS, ActorType, Return, ReturnStatus, ReturnTransition


@dataclass(frozen=True)
class Actor:
    """Who caused a change: a shopper, an ops user, a service, or a job."""

    type: str
    id: str = ""

    @classmethod
    def system(cls, name: str) -> "Actor":
        return cls(ActorType.SYSTEM, name)


RECONCILIATION = Actor(ActorType.RECONCILIATION, "reconcile_returns")


def return_event_payload(ret: Return, *, event_type: str, from_status: str, actor: Actor, note: str) -> dict:
    return {
        "event_type": event_type,
        "return_id": ret.id,
        "order_id": ret.order_id,
        "status": ret.status,
        "from_status": from_status or None,
        "actor": {"type": actor.type, "id": actor.id},
        "note": note,
        "is_test": ret.is_test,
        "currency": ret.currency,
        "refund_estimate": str(ret.refund_estimate),
        "refunded_amount": str(ret.refunded_amount),
        "items": [{"order_line_id": item.order_line_id, "product_id": item.product_id, "quantity": item.quantity,
                   "reason": item.reason} for item in ret.items.all()],
        "tracking_code": ret.label_tracking_code or None,
    }


def _record(ret: Return, *, from_status: str, actor: Actor, note: str, event_type: str) -> None:
    ReturnTransition.objects.create(ret=ret, from_status=from_status, to_status=ret.status, actor_type=actor.type,
                                    actor_id=actor.id[:150], note=note[:500])
    payload = return_event_payload(ret, event_type=event_type, from_status=from_status, actor=actor, note=note)
    publish(RETURNS_EVENTS, ret.order_id, payload)


def return_created_record(*, ret: Return, actor: Actor) -> None:
    """The first transition (∅ → requested) of a new return."""
    _record(ret, from_status="", actor=actor, note="return requested", event_type="return.requested")


@transaction.atomic
def return_transition(*, ret: Return, to_status: str, actor: Actor, note: str = "",
                      update_fields: tuple[str, ...] = ()) -> Return:
    """Move a row-locked return to `to_status`, saving `update_fields` the caller changed too."""
    from_status = ret.status
    if to_status not in ALLOWED_TRANSITIONS[ReturnStatus(from_status)]:
        raise InvalidTransition(f"A return that is {from_status} cannot become {to_status}.",
                                extra={"status": from_status})
    ret.status = to_status
    now = timezone.now()
    fields = {"status", "updated_at", *update_fields}
    if to_status == ReturnStatus.RECEIVED:
        ret.received_at = now
        fields.add("received_at")
    if to_status == ReturnStatus.REFUNDED:
        ret.refunded_at = now
        fields.add("refunded_at")
    ret.save(update_fields=sorted(fields))
    _record(ret, from_status=from_status, actor=actor, note=note, event_type=f"return.{to_status}")
    return ret


def return_lock(return_id: str) -> Return:
    """The return row locked for update (call inside a transaction)."""
    return Return.objects.select_for_update().get(pk=return_id)

"""`event_track`: the one way an analytics event is recorded (Segment's `track`).

The row (for dashboards) and the outbox event (Kafka `analytics.events`) are written in one
transaction. Test orders (`is_test` in properties or context) are dropped before either.
"""
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from apps.core.inserts import insert_instances, insert_later
from apps.events.public import ANALYTICS_EVENTS, publish_many

from ..bucketing import unit_id_for
from ..errors import InvalidEvent
from ..evaluation import experiment_variant
from ..models import AnalyticsEvent
from ..store import config_store

MAX_EVENT_NAME_LENGTH = 80


def _plain_json(value: dict | None) -> dict:
    """Decimals, dates and UUIDs become strings, as every JSON consumer reads them."""
    return json.loads(json.dumps(value or {}, cls=DjangoJSONEncoder))


def is_test_traffic(properties: dict, context: dict) -> bool:
    return bool(properties.get("is_test") or context.get("is_test"))


def active_experiments(context: dict, unit_id: str) -> dict[str, str]:
    """{experiment_id: variant} for every running experiment this unit is in (no DB query)."""
    assignments = {}
    for experiment in config_store.snapshot().running_experiments.values():
        variant = experiment_variant(experiment, context, unit_id)
        if variant is not None:
            assignments[experiment.experiment_id] = variant
    return assignments


def event_track(*, event: str, properties: dict | None = None, context: dict | None = None,
                occurred_at=None) -> AnalyticsEvent | None:
    """Store and publish one event; None when it is test traffic (never counted anywhere)."""
    return event_track_many(events=[(event, properties, context, occurred_at)])[0]


def event_track_many(*, events: list[tuple[str, dict | None, dict | None, object]]) -> list[AnalyticsEvent | None]:
    """Store and publish several events — (event, properties, context, occurred_at) each — with one insert
    of rows and one of outbox events, in the caller's transaction (no savepoint) or a new one. Every name is
    checked before anything is written. One result per event, None for test traffic."""
    for event, *_ in events:
        if not event or len(event) > MAX_EVENT_NAME_LENGTH:
            raise InvalidEvent(f"event must be a name of 1 to {MAX_EVENT_NAME_LENGTH} characters, "
                               "e.g. 'order_confirmed'.")
    results: list[AnalyticsEvent | None] = []
    rows = []
    for event, properties, context, occurred_at in events:
        properties, context = _plain_json(properties), _plain_json(context)
        if is_test_traffic(properties, context):
            results.append(None)
            continue
        unit_id = unit_id_for(context)
        row = AnalyticsEvent(
            occurred_at=occurred_at or timezone.now(), event=event, unit_id=unit_id,
            user_id=str(context.get("user_id") or ""), session_id=str(context.get("session_id") or ""),
            properties=properties, context=context, experiments=active_experiments(context, unit_id),
        )
        rows.append(row)
        results.append(row)
    if not rows:
        return results
    with transaction.atomic(savepoint=False):
        # An anonymous event's outbox key is its row's id, so it needs the row at once; others can wait for
        # the caller's `insert_batch()`.
        (insert_later if all(row.unit_id for row in rows) else insert_instances)(rows)
        publish_many([(ANALYTICS_EVENTS, row.unit_id or f"anon:{row.pk}", _payload(row), row.occurred_at)
                      for row in rows])
    return results


def _payload(row: AnalyticsEvent) -> dict:
    experiments = [{"experiment_id": eid, "variant": variant} for eid, variant in sorted(row.experiments.items())]
    payload = {
        "event": row.event, "unit_id": row.unit_id, "user_id": row.user_id or None,
        "session_id": row.session_id or None, "properties": row.properties, "context": row.context,
        "experiments": experiments,
    }
    if len(experiments) == 1:
        payload.update(experiments[0])
    return payload

"""Cart abandonment through the real broker: a guest session that expires without an order
produces exactly one `cart.abandonment` event; a completed one produces none."""
import importlib
import json
import threading
import time

import pytest
from django.apps import apps as django_apps
from django_celery_beat.models import PeriodicTask

from apps.checkout.models import AbandonedSession
from apps.checkout.services.abandonment import abandoned_sessions_sweep, email_hash
from apps.checkout.sessions import EXPIRY_INDEX, GuestSessionStore
from apps.core.redis import get_redis
from apps.events.public import CART_ABANDONMENT

from .broker import consume, relay_outbox

pytestmark = [pytest.mark.kafka, pytest.mark.django_db(transaction=True)]

ADDRESS = {"line1": "742 Evergreen Terrace", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"}


def test_expired_session_emits_one_event_and_completed_session_none(kafka_broker, client, local_stripe, settings,
                                                                     make_product, make_cart):
    # given: a short TTL; one shopper leaves after entering shipping, another completes checkout
    settings.GUEST_SESSION_TTL_SECONDS = 1
    abandoned_cart = make_cart([(make_product(price="47.99"), 2)])
    started = client.post("/api/v2/checkout/guest/session", {"cart_id": abandoned_cart.id,
                                                              "email": "Leaver@Example.com"},
                          content_type="application/json").json()
    client.patch(f"/api/v2/checkout/guest/session/{started['session_id']}", {"shipping_address": ADDRESS},
                 content_type="application/json", headers={"Authorization": f"Bearer {started['session_token']}"})
    completed_cart = make_cart([(make_product(price="12.99"), 1)])
    checkout = client.post("/api/v2/checkout/guest", {
        "cart_id": completed_cart.id, "email": "buyer@example.com", "shipping_address": ADDRESS,
        "payment_method_id": "pm_card_visa"}, content_type="application/json")
    assert checkout.status_code == 201
    completed_session = checkout.json()["session_id"]
    # when: both sessions expire and two sweeps race, then a third runs
    time.sleep(2.2)
    results = []
    sweeps = [threading.Thread(target=lambda: results.append(abandoned_sessions_sweep())) for _ in range(2)]
    for sweep in sweeps:
        sweep.start()
    for sweep in sweeps:
        sweep.join()
    results.append(abandoned_sessions_sweep())
    relayed = relay_outbox()
    # then: exactly one event, for the abandoned session, on the real broker
    assert sum(results) == 1 and relayed.endswith("failed=0")
    assert get_redis().zcard(EXPIRY_INDEX) == 0
    wanted = {started["session_id"], completed_session}
    events = consume(kafka_broker.bootstrap, CART_ABANDONMENT, lambda event: event.get("session_id") in wanted)
    assert len(events) == 1
    event = events[0]
    assert event["session_id"] == started["session_id"] and event["cart_id"] == abandoned_cart.id
    assert event["cart_value"] == "95.98" and event["item_count"] == 2 and event["currency"] == "USD"
    assert event["last_step"] == "shipping"
    assert event["email_hash"] == email_hash("leaver@example.com") and "Leaver" not in json.dumps(event)
    assert event["session_created_at"] and event["last_activity_at"] and event["expired_at"]
    assert event["event_id"] == AbandonedSession.objects.get().event_id


def test_renewed_session_is_not_reported(settings, make_product, make_cart):
    # given: a session whose index entry is due but whose TTL was renewed meanwhile
    settings.GUEST_SESSION_TTL_SECONDS = 60
    store = GuestSessionStore()
    session, _ = store.create(cart_id=make_cart([(make_product(), 1)]).id, cart_snapshot={})
    # when
    reported = abandoned_sessions_sweep(now=time.time() + 120)
    # then: the sweep saw the live key and re-indexed it instead of reporting
    assert reported == 0 and AbandonedSession.objects.count() == 0
    assert get_redis().zscore(EXPIRY_INDEX, session.session_id) is not None


def test_beat_schedules_the_sweeps():
    # given: the data migration's schedule (re-applied: transactional tests empty every table)
    importlib.import_module("apps.checkout.migrations.0002_periodic_tasks").create(django_apps, None)
    tasks = dict(PeriodicTask.objects.filter(name__startswith="checkout.").values_list("task", "interval__every"))
    assert tasks.items() >= {"checkout.sweep_abandoned_sessions": 60, "checkout.expire_pending_orders": 300}.items()

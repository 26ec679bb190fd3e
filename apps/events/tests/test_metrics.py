"""The outbox backlog on /metrics: unpublished rows and the age of the oldest, per topic, read at
scrape time; a database failure during the scrape leaves the families empty instead of failing it."""
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apps.events.models import OutboxEvent
from apps.events.public import INVENTORY_ALERTS, RETURNS_EVENTS, publish

pytestmark = pytest.mark.django_db


def scrape(client) -> dict[tuple[str, str], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    return {(sample.name, sample.labels.get("topic", "")): sample.value
            for family in text_string_to_metric_families(response.content.decode())
            if family.name.startswith("outbox_")
            for sample in family.samples}


def test_backlog_counts_unpublished_events_per_topic_and_ages_the_oldest(client):
    # given two undelivered inventory alerts, the older written 5 minutes ago, and one delivered returns event
    publish(INVENTORY_ALERTS, "prod_1", {"n": 1})
    publish(INVENTORY_ALERTS, "prod_2", {"n": 2})
    publish(RETURNS_EVENTS, "ord_1", {"n": 3})
    oldest = OutboxEvent.objects.filter(topic=INVENTORY_ALERTS).order_by("id").first()
    OutboxEvent.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    OutboxEvent.objects.filter(topic=RETURNS_EVENTS).update(delivered_at=timezone.now())

    # when
    metrics = scrape(client)

    # then
    assert metrics[("outbox_events_unpublished", INVENTORY_ALERTS)] == 2
    assert 300 <= metrics[("outbox_oldest_unpublished_age_seconds", INVENTORY_ALERTS)] < 330
    assert metrics[("outbox_events_unpublished", RETURNS_EVENTS)] == 0
    assert metrics[("outbox_oldest_unpublished_age_seconds", RETURNS_EVENTS)] == 0


def test_backlog_drops_to_zero_once_delivered(client):
    # given a backlog
    publish(INVENTORY_ALERTS, "prod_1", {"n": 1})
    assert scrape(client)[("outbox_events_unpublished", INVENTORY_ALERTS)] == 1

    # when the relay marks it delivered
    OutboxEvent.objects.update(delivered_at=timezone.now())

    # then the series stay, at zero
    metrics = scrape(client)
    assert metrics[("outbox_events_unpublished", INVENTORY_ALERTS)] == 0
    assert metrics[("outbox_oldest_unpublished_age_seconds", INVENTORY_ALERTS)] == 0


def test_database_error_during_scrape_leaves_the_backlog_out_but_serves_the_rest(client, caplog):
    # given the outbox table cannot be read
    def refuse_outbox(execute, sql, params, many, context):
        if "events_outboxevent" in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    # when
    with caplog.at_level("WARNING", logger="apps.events.metrics"), connection.execute_wrapper(refuse_outbox):
        response = client.get("/metrics")

    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "# TYPE outbox_events_unpublished gauge" in body
    assert "outbox_events_unpublished{" not in body
    assert "process_cpu_seconds_total" in body or "python_info" in body
    assert any("outbox metrics unavailable" in record.getMessage() for record in caplog.records)

"""`python manage.py ensure_topics` creates each missing topic with the configured partitions and
replication factor (1 on the local broker, 3 on a production cluster), and leaves existing ones alone."""
from concurrent.futures import Future
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from apps.events.integrations import kafka
from apps.events.topics import ALL_TOPICS


class FakeAdmin:
    def __init__(self, existing):
        self.existing, self.requested = set(existing), []

    def list_topics(self, timeout):
        return SimpleNamespace(topics={topic: None for topic in self.existing})

    def create_topics(self, new_topics, **kwargs):
        self.requested += new_topics
        done = Future()
        done.set_result(None)
        return {topic.topic: done for topic in new_topics}


@pytest.fixture
def admin(monkeypatch):
    fake = FakeAdmin(existing=[ALL_TOPICS[0]])
    monkeypatch.setattr(kafka, "AdminClient", lambda config: fake)
    return fake


def test_missing_topics_get_the_configured_partitions_and_replicas(admin, settings):
    settings.KAFKA_TOPIC_PARTITIONS, settings.KAFKA_REPLICATION_FACTOR = 12, 3

    call_command("ensure_topics")

    assert sorted(t.topic for t in admin.requested) == sorted(ALL_TOPICS[1:])
    assert {(t.num_partitions, t.replication_factor) for t in admin.requested} == {(12, 3)}

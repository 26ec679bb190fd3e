"""confluent-kafka clients: an idempotent, acks=all producer and topic administration.

A restarted in-memory broker (tansu in dev/test) forgets its topics, so the relay makes sure
they exist before each delivery run.
"""
import logging

from confluent_kafka import KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from django.conf import settings

logger = logging.getLogger(__name__)


def base_config() -> dict:
    return {"bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS, "socket.connection.setup.timeout.ms": 3000}


def new_producer(delivery_timeout_ms: int = 15000) -> Producer:
    return Producer({
        **base_config(),
        "enable.idempotence": True,
        "acks": "all",
        "max.in.flight.requests.per.connection": 5,
        "message.timeout.ms": delivery_timeout_ms,
        "linger.ms": 5,
        "compression.type": "none",
    })


def broker_reachable(timeout_seconds: float) -> bool:
    try:
        AdminClient(base_config()).list_topics(timeout=timeout_seconds)
        return True
    except KafkaException:
        return False


def ensure_topics(topics: tuple[str, ...], partitions: int, replication_factor: int = 1,
                  timeout_seconds: float = 10.0) -> list[str]:
    """Create missing topics; returns the ones created. Existing topics are left alone."""
    admin = AdminClient(base_config())
    existing = set(admin.list_topics(timeout=timeout_seconds).topics)
    missing = [t for t in topics if t not in existing]
    if not missing:
        return []
    futures = admin.create_topics(
        [NewTopic(t, num_partitions=partitions, replication_factor=replication_factor) for t in missing],
        operation_timeout=timeout_seconds, request_timeout=timeout_seconds,
    )
    created = []
    for topic, future in futures.items():
        try:
            future.result(timeout=timeout_seconds)
            created.append(topic)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
    logger.info("kafka topics created", extra={"topics": created})
    return created

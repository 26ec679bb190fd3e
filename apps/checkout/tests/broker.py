"""Reading events back from the real Kafka-compatible broker in tests."""
import io
import json
import time
import uuid
from collections.abc import Callable

from confluent_kafka import Consumer
from django.core.management import call_command


def relay_outbox() -> str:
    """Run the events app's relay once (its management command); returns its report line."""
    out = io.StringIO()
    call_command("relay_outbox", stdout=out)
    return out.getvalue().strip()


def consume(bootstrap: str, topic: str, match: Callable[[dict], bool], settle_seconds: float = 3.0,
            timeout: float = 30.0) -> list[dict]:
    """Every message on `topic` whose JSON payload `match`es, read from the beginning; keeps reading
    `settle_seconds` after the last match so a duplicate would be seen too."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"test-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "session.timeout.ms": 6000, "enable.auto.commit": False})
    consumer.subscribe([topic])
    found: list[dict] = []
    deadline = time.monotonic() + timeout
    last_match = None
    try:
        while time.monotonic() < deadline:
            if last_match and time.monotonic() - last_match > settle_seconds:
                break
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            payload = json.loads(message.value())
            if match(payload):
                found.append(payload)
                last_match = time.monotonic()
    finally:
        consumer.close()
    return found

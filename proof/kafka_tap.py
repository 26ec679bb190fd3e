"""What a downstream consumer actually receives: a consumer thread recording every event on the
project's topics by `event_id`, for the whole run.

The bundled broker keeps topics in memory, so a stopped broker comes back empty; the tap therefore
reads continuously (from the earliest offset, again after every broker restart) instead of reading
the topics once at the end, and de-duplicates on `event_id` as the contract tells consumers to.
"""
import json
import threading
import time
import uuid

from confluent_kafka import Consumer, KafkaError

# Every topic the project publishes: a topic missing here (orders.events was) counts each of its delivered
# events as lost.
from apps.events.topics import ALL_TOPICS as TOPICS


class KafkaTap:
    def __init__(self, bootstrap: str):
        self.bootstrap = bootstrap
        self.events: dict[str, dict] = {}  # event_id → {"topic", "event", "order_id", "seen_at"}
        self.messages = 0
        self._stop = threading.Event()
        self._renew = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kafka-tap", daemon=True)
        self.lock = threading.Lock()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=15)

    def broker_restarted(self) -> None:
        """The broker came back empty: subscribe again from the earliest offsets of the new topics."""
        self._renew.set()

    def seen(self) -> set[str]:
        with self.lock:
            return set(self.events)

    def _consumer(self) -> Consumer:
        consumer = Consumer({
            "bootstrap.servers": self.bootstrap, "group.id": f"proof-tap-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest", "enable.auto.commit": False,
            "topic.metadata.refresh.interval.ms": 2000, "allow.auto.create.topics": False,
            "log_level": 0,
        })
        consumer.subscribe(list(TOPICS))
        return consumer

    def _run(self) -> None:
        consumer = self._consumer()
        while not self._stop.is_set():
            if self._renew.is_set():
                self._renew.clear()
                consumer.close()
                consumer = self._consumer()
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                    time.sleep(0.5)  # not recreated yet after a broker restart
                continue
            self._record(message.topic(), message.value())
        consumer.close()

    def _record(self, topic: str, value: bytes) -> None:
        try:
            payload = json.loads(value)
        except (TypeError, ValueError):
            return
        event_id = str(payload.get("event_id") or "")
        properties = payload.get("properties") or {}
        with self.lock:
            self.messages += 1
            if event_id and event_id not in self.events:
                # analytics events name themselves `event` with the order in `properties`; orders.events
                # carry `event_type` and `order_id` at the top level
                self.events[event_id] = {"topic": topic, "event": payload.get("event") or payload.get("event_type", ""),
                                         "order_id": properties.get("order_id") or payload.get("order_id", ""),
                                         "seen_at": time.time()}

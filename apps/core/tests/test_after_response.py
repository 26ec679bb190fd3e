"""`task_send` (apps.core.after_response): inside a request, tasks leave once the response is done, all in
one broker message; outside a request at once; a broker that is down costs a log line, not the request."""
import logging

import pytest
from celery import shared_task
from celery.app.task import Task
from django.core.signals import request_finished, request_started

from apps.core.after_response import task_send, tasks_dispatch

pytestmark = pytest.mark.django_db  # Django's request signals close stale database connections


@shared_task(name="tests.after_response.relay")
def relay() -> None:
    pass


@shared_task(name="tests.after_response.email")
def email(delivery_id: int) -> None:
    pass


RELAY, EMAIL = relay.name, email.name


@pytest.fixture
def published(monkeypatch):
    """What Celery is asked to publish: (task name, args)."""
    sent: list[tuple[str, list]] = []
    monkeypatch.setattr(Task, "apply_async", lambda task, args=None, **options: sent.append((task.name, args)))
    return sent


def test_a_requests_tasks_leave_after_its_response_as_one_message(published):
    # given: a request (Django's signals, as every WSGI server sends them)
    request_started.send(sender=None)
    # when: it sends two tasks, one of them twice
    task_send(relay)
    task_send(email, 41)
    task_send(relay)
    # then: nothing until the response is done; then one message carrying each task once, in order
    assert published == []
    request_finished.send(sender=None)
    assert published == [("core.dispatch", [[[RELAY, []], [EMAIL, [41]]]])]


def test_a_requests_only_task_is_sent_as_itself(published):
    request_started.send(sender=None)
    task_send(email, 7)
    request_finished.send(sender=None)
    assert published == [(EMAIL, [7])]


def test_a_request_that_sends_nothing_publishes_nothing(published):
    request_started.send(sender=None)
    request_finished.send(sender=None)
    assert published == []


def test_outside_a_request_a_task_is_sent_at_once(published):
    task_send(email, 8)
    assert published == [(EMAIL, [8])]


def test_the_worker_sends_each_task_of_a_combined_message_on(published):
    tasks_dispatch([[RELAY, []], [EMAIL, [41]]])
    assert published == [(RELAY, []), (EMAIL, [41])]


def test_a_broker_that_is_down_is_logged_and_the_request_ends_normally(monkeypatch, caplog):
    def broker_down(task, *args, **options):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(Task, "apply_async", broker_down)
    request_started.send(sender=None)
    task_send(relay)
    task_send(email, 3)
    with caplog.at_level(logging.WARNING, logger="apps.core.after_response"):
        request_finished.send(sender=None)
    assert "could not queue core.dispatch" not in caplog.text
    assert f"could not queue {RELAY}, {EMAIL}" in caplog.text

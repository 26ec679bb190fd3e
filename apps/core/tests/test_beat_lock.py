"""One beat sends the schedule at a time (DESIGN.md: "one beat, DB-locked"): a second beat stands
by on the PostgreSQL advisory lock and takes over when the leader exits or loses its connection."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from apps.core.beat import LockedDatabaseScheduler
from vantage.celery import app

pytestmark = pytest.mark.django_db(transaction=True)  # the scheduler closes connections in a transaction


@pytest.fixture
def due_task():
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update(enabled=False)  # only this one is due
    return PeriodicTask.objects.create(name="test.due", task="core.test_due", interval=every_minute,
                                       last_run_at=timezone.now() - timedelta(hours=1))


@pytest.fixture
def beats():
    started = []

    def start():
        scheduler = LockedDatabaseScheduler(app=app)
        scheduler.sent = []
        scheduler.apply_async = lambda entry, **kwargs: scheduler.sent.append(entry.name)
        started.append(scheduler)
        return scheduler

    yield start
    for scheduler in started:
        scheduler.leader.release()
        scheduler._finalize.cancel()  # no sync at interpreter exit, when the test database is gone


def run(scheduler, ticks: int = 5) -> list[float]:
    return [scheduler.tick() for _ in range(ticks)]


def test_second_beat_stands_by_while_the_first_leads(due_task, beats):
    leader = beats()
    run(leader)
    standby = beats()
    waits = run(standby)

    assert leader.sent == ["test.due"]
    assert standby.sent == []
    assert waits == [settings.BEAT_STANDBY_POLL_SECONDS] * 5


def test_standby_takes_over_when_the_leader_exits(due_task, beats):
    leader, standby = beats(), beats()
    run(leader)
    leader.leader.release()  # what close() does on exit; a crash ends the session the same way

    PeriodicTask.objects.filter(pk=due_task.pk).update(last_run_at=timezone.now() - timedelta(hours=1))
    run(standby)

    assert standby.sent == ["test.due"]


def test_a_leader_that_lost_its_connection_stops_sending(due_task, beats):
    leader, standby = beats(), beats()
    run(leader)
    pid = leader.leader._conn.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    run(standby)  # the lock died with the leader's session: the standby takes it

    PeriodicTask.objects.filter(pk=due_task.pk).update(last_run_at=timezone.now() - timedelta(hours=1))
    leader.sent.clear()
    waits = run(leader)

    assert standby.sent == ["test.due"]
    assert leader.sent == [] and waits == [settings.BEAT_STANDBY_POLL_SECONDS] * 5

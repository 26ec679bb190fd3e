"""Two real `celery beat` processes on the test database: exactly one sends the schedule, the other
stands by, and the standby takes over when the leader is killed (DESIGN.md: "one beat, DB-locked").

Each beat sends to a real Redis broker (the tests' Redis database), so the sends can be read back
from the queue: every task message carries `origin`, the sending process' `gen<pid>@<host>`.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from apps.core.checks import LOCKED_SCHEDULER

REPO = Path(__file__).resolve().parents[3]
TASK = "core.test_beat_ping"
QUEUE = "celery"  # Celery's default queue: a Redis list of task messages
STANDBY_POLL_SECONDS = 1

pytestmark = pytest.mark.django_db(transaction=True)  # the beats read the schedule from other connections


@pytest.fixture
def broker():
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete(QUEUE)
    yield client
    client.delete(QUEUE)


@pytest.fixture
def every_second_task():
    PeriodicTask.objects.update(enabled=False)  # only this one is due (the flush restores the schedule)
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(name="test.beat_ping", task=TASK, interval=every_second)


@pytest.fixture
def start_beat(tmp_path):
    db = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({
        "DJANGO_SETTINGS_MODULE": "vantage.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "BEAT_STANDBY_POLL_SECONDS": str(STANDBY_POLL_SECONDS),
    })
    started = []

    def start(name: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "vantage", "beat", "-S", LOCKED_SCHEDULER,
             "--max-interval", "1", "--loglevel", "INFO", "--pidfile", ""],
            cwd=REPO, env=env, stdout=(tmp_path / f"{name}.log").open("w"), stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def senders(broker) -> list[int]:
    """The pid of the beat that sent each task message queued so far, oldest first (kombu pushes
    new messages at the head of the list)."""
    pids = []
    for raw in reversed(broker.lrange(QUEUE, 0, -1)):
        headers = json.loads(raw)["headers"]
        assert headers["task"] == TASK
        pids.append(int(headers["origin"].split("@")[0].removeprefix("gen")))
    return pids


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_one_beat_sends_the_other_stands_by_and_takes_over_when_it_is_killed(broker, every_second_task, start_beat):
    # given two beats started together on the same database and schedule
    first, second = start_beat("first"), start_beat("second")

    # when both have run long enough to send several times (one-second schedule)
    assert wait_for(lambda: len(senders(broker)) >= 5, timeout=30), "no beat sent the every-second task"
    time.sleep(3 * STANDBY_POLL_SECONDS)  # the standby has polled the lock a few times meanwhile

    # then every send came from one of them
    before_kill = senders(broker)
    assert len(set(before_kill)) == 1
    leader_pid = before_kill[0]
    assert leader_pid in (first.pid, second.pid)
    leader, standby = (first, second) if leader_pid == first.pid else (second, first)
    assert standby.poll() is None  # standing by, not crashed

    # when the leader is killed without a chance to release anything
    leader.send_signal(signal.SIGKILL)
    leader.wait(timeout=10)

    # then the standby takes the lock and sends the schedule from then on, never both at once
    assert wait_for(lambda: standby.pid in senders(broker), timeout=15), "the standby never took over"
    assert wait_for(lambda: senders(broker).count(standby.pid) >= 3, timeout=10)
    sends = senders(broker)
    takeover = sends.index(standby.pid)
    assert set(sends[:takeover]) == {leader.pid} and set(sends[takeover:]) == {standby.pid}

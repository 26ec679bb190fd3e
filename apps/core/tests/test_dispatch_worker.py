"""`core.dispatch` on a real `celery worker` (apps.core.after_response): one message from the web process,
each task it carries run by the worker as its own task."""
from celery import Celery

from .test_broker_restart import TASK, Probe, broker, worker  # noqa: F401 — fixtures: a real broker and worker

RECOVERY_SECONDS = 45


def test_a_combined_message_runs_each_task_it_carries(broker, worker, tmp_path):  # noqa: F811
    # given: a worker that is up
    probe = Probe(broker, tmp_path / "runs.txt")
    probe.send("ready")
    probe.wait("done ready", worker, timeout=RECOVERY_SECONDS)
    # when: one core.dispatch message carries two probe tasks (as a request's after-response tasks leave)
    app = Celery("dispatch-sender", set_as_current=False)
    runs = str(probe.runs)
    with app.connection_for_write(broker.url) as connection:
        app.send_task("core.dispatch", args=[[[TASK, [runs, "first"]], [TASK, [runs, "second"]]]],
                      connection=connection)
    # then: the worker runs both
    probe.wait("done first", worker, timeout=RECOVERY_SECONDS)
    probe.wait("done second", worker, timeout=RECOVERY_SECONDS)

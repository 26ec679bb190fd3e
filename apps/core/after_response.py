"""`task_send`: Celery tasks a request sends once its response is done, all in one broker message.

A guest checkout sends two tasks (its confirmation email and the outbox relay's kick), and each publish costs
the request's process ~0.3 ms of CPU on the memory broker, ~0.6 ms on Redis (benchmarks/checkout.py). Inside a
request, `task_send` keeps the task until the WSGI server has closed the response (`request_finished`), so
none of it delays the response, and the request's tasks then leave as one message: the task itself when
there is one, else `core.dispatch`, whose worker sends each on (with the task's own retry options). The same
task with the same arguments sent twice in a request leaves once. Outside a request (Celery tasks, management
commands, shells) a task is sent at once.

A publish that fails (the broker down) is logged, not raised: callers send only what is recovered another
way too (an email stays queued for the admin's resend; beat runs the outbox relay every few seconds).
"""
import contextvars
import logging

from celery import Task, current_app
from django.core.signals import request_finished, request_started
from django.dispatch import receiver

logger = logging.getLogger(__name__)

# The tasks the current request will send, in order; None outside a request.
_pending: contextvars.ContextVar[list[tuple[Task, tuple]] | None] = contextvars.ContextVar(
    "after_response_tasks", default=None)


def task_send(task: Task, *args) -> None:
    """Send the Celery `task` with positional `args` (JSON-safe) after the response, or now outside a
    request."""
    pending = _pending.get()
    if pending is None:
        _publish([(task, args)])
    elif (task, args) not in pending:
        pending.append((task, args))


def tasks_dispatch(tasks: list) -> None:
    """The worker's half of a combined message: send each [task name, args] as its own task (the worker has
    every task registered)."""
    for name, args in tasks:
        current_app.tasks[name].apply_async(args=args)


@receiver(request_started)
def _request_begins(**kwargs) -> None:
    _pending.set([])


@receiver(request_finished)
def _request_ends(**kwargs) -> None:
    pending = _pending.get()
    _pending.set(None)
    if pending:
        _publish(pending)


def _publish(tasks: list[tuple[Task, tuple]]) -> None:
    from .tasks import dispatch

    if len(tasks) == 1:
        task, args = tasks[0]
    else:
        task, args = dispatch, ([[each.name, list(each_args)] for each, each_args in tasks],)
    try:
        task.apply_async(args=list(args), retry=False)
    except Exception:  # noqa: BLE001 — see the module's docstring: what was sent is recovered another way
        logger.warning("could not queue %s; it is recovered later", ", ".join(each.name for each, _ in tasks))
